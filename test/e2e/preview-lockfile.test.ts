// End to end, in a child process: `scan --lockfile` on a project with a package-lock.json and no
// node_modules. Every locked tarball comes from a registry this test serves on 127.0.0.1, is
// checked against the lockfile's integrity, and is unpacked into the cache, never the project.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fixture, parseJson } from '../helpers.js';
import type { Report } from '../../src/model.js';
import { validateReport } from '../report/validate.js';
import { runCliAsync, snapshot, tmpDir, writeJson } from '../policy/util.js';
import { registryEnv, startRegistry, type TestRegistry } from '../policy/registry.js';

const HEAD = fixture('diff-head', 'node_modules');
const reg: TestRegistry = await startRegistry([
  path.join(HEAD, 'tiny-fmt'),
  path.join(HEAD, 'fmt-helpers'),
  path.join(HEAD, 'color-names'),
  path.join(HEAD, 'http-helper'),
]);
after(() => reg.close());

const work = tmpDir();
const env = registryEnv(reg, work);

/** A project whose lockfile locks diff-head's packages, fmt-helpers nested under tiny-fmt. */
function project(mutate?: (lock: { packages: Record<string, unknown> }) => void): string {
  const dir = path.join(tmpDir(), 'app');
  fs.mkdirSync(dir, { recursive: true });
  const deps = { 'tiny-fmt': '^1.2.4', 'color-names': '^3.0.0', 'http-helper': '^3.1.0' };
  writeJson(path.join(dir, 'package.json'), { name: 'locked-app', version: '1.0.0', private: true, dependencies: deps });
  const entry = (name: string, version: string, extra: Record<string, unknown> = {}) => {
    const v = reg.get(name, version);
    return { version, resolved: v.url, integrity: v.integrity, license: 'MIT', ...extra };
  };
  const lock = {
    name: 'locked-app',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'locked-app', version: '1.0.0', dependencies: deps },
      'node_modules/color-names': entry('color-names', '3.0.0'),
      'node_modules/http-helper': entry('http-helper', '3.1.0'),
      'node_modules/tiny-fmt': entry('tiny-fmt', '1.2.4', { dependencies: { 'fmt-helpers': '^1.0.0' } }),
      'node_modules/tiny-fmt/node_modules/fmt-helpers': entry('fmt-helpers', '1.0.0'),
    },
  };
  mutate?.(lock);
  writeJson(path.join(dir, 'package-lock.json'), lock);
  return dir;
}

test('scan --lockfile: fetched, verified, scanned; the same findings as the installed tree', async () => {
  const dir = project();
  const before = snapshot(dir);
  const cacheDir = path.join(work, 'cache');
  const r = await runCliAsync(['scan', dir, '--lockfile', '--cache-dir', cacheDir, '--json'], { env });
  assert.equal(r.status, 0, r.stderr);
  const report = parseJson<Report>(r.stdout);
  assert.deepEqual(validateReport(report), []);
  assert.equal(report.root.name, 'locked-app');
  const got = report.packages.map((p) => `${p.location} ${p.name}@${p.version} ${p.level}`).sort();
  assert.equal(got.length, 4);
  assert.ok(got.includes('node_modules/tiny-fmt/node_modules/fmt-helpers fmt-helpers@1.0.0 low'), got.join('\n'));
  const fmt = report.packages.find((p) => p.name === 'tiny-fmt')!;
  assert.ok(['high', 'critical'].includes(fmt.level));
  assert.deepEqual(fmt.env.secretReads, ['NPM_TOKEN']);
  assert.ok(fmt.capabilities.includes('network'));
  assert.equal(fmt.integrity, reg.get('tiny-fmt', '1.2.4').integrity);

  // the same findings as scanning the installed fixture tree
  const installed = await runCliAsync(['scan', fixture('diff-head'), '--no-cache', '--json'], { env });
  const direct = parseJson<Report>(installed.stdout).packages.find((p) => p.name === 'tiny-fmt')!;
  assert.deepEqual(fmt.findings, direct.findings);
  assert.equal(fmt.score, direct.score);

  // the project is untouched: no node_modules appeared
  assert.deepEqual(snapshot(dir), before);
  // every request went to our registry (tarballs only: the lockfile names them)
  assert.ok(reg.requests.length >= 4);
  assert.ok(reg.requests.every((p) => p.endsWith('.tgz')), reg.requests.join(' '));

  // a second run reuses the unpacked tree from the cache: no fetch at all
  const count = reg.requests.length;
  const again = await runCliAsync(['scan', dir, '--lockfile', '--cache-dir', cacheDir, '--json'], { env });
  assert.equal(again.status, 0, again.stderr);
  assert.equal(reg.requests.length, count);
  assert.deepEqual(parseJson<Report>(again.stdout).packages.map((p) => p.name).sort(), report.packages.map((p) => p.name).sort());
});

test('scan --lockfile with policy: --fail-on and --baseline work the same way', async () => {
  const dir = project();
  const r = await runCliAsync(['scan', dir, '--lockfile', '--no-cache', '--fail-on', 'high', '-q'], { env });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /tiny-fmt@1\.2\.4/);
});

test('a tarball that does not match the lockfile integrity: exit 2, nothing scanned', async () => {
  const bad = tmpDir();
  const reg2 = await startRegistry([path.join(HEAD, 'http-helper'), path.join(HEAD, 'color-names')]);
  try {
    const v = reg2.get('http-helper', '3.1.0');
    reg2.tamper('http-helper', '3.1.0', reg2.get('color-names', '3.0.0').tarball);
    const dir = path.join(bad, 'app');
    writeJson(path.join(dir, 'package.json'), { name: 'tampered', version: '1.0.0', dependencies: { 'http-helper': '^3.1.0' } });
    writeJson(path.join(dir, 'package-lock.json'), {
      name: 'tampered', lockfileVersion: 3, requires: true,
      packages: { '': { name: 'tampered', dependencies: { 'http-helper': '^3.1.0' } }, 'node_modules/http-helper': { version: '3.1.0', resolved: v.url, integrity: v.integrity } },
    });
    const r = await runCliAsync(['scan', dir, '--lockfile', '--no-cache'], { env: registryEnv(reg2, bad) });
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /node_modules\/http-helper: integrity check failed: the tarball for http-helper@3\.1\.0 does not match package-lock\.json/);
    assert.equal(r.stdout, '');
  } finally {
    await reg2.close();
  }
});

test('git and file dependencies are not fetched (their fetch could run scripts): a warning', async () => {
  const dir = project((lock) => {
    lock.packages['node_modules/from-git'] = { version: '1.0.0', resolved: 'git+ssh://git@github.invalid/x/y.git#abc' };
    lock.packages['node_modules/local-lib'] = { resolved: 'libs/local-lib', link: true };
  });
  const r = await runCliAsync(['scan', dir, '--lockfile', '--no-cache', '--json'], { env });
  assert.equal(r.status, 0, r.stderr);
  const report = parseJson<Report>(r.stdout);
  assert.ok(report.warnings?.some((w: string) => /node_modules\/from-git: git\+ssh:.* is not a registry tarball; not fetched/.test(w)));
  assert.ok(report.warnings?.some((w: string) => /node_modules\/local-lib: linked to libs\/local-lib/.test(w)));
});

test('no lockfile, or an old one: exit 2 saying what to do', async () => {
  const none = tmpDir();
  writeJson(path.join(none, 'package.json'), { name: 'x', version: '1.0.0' });
  const r = await runCliAsync(['scan', none, '--lockfile', '--no-cache'], { env });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--lockfile: no package-lock\.json, npm-shrinkwrap\.json, pnpm-lock\.yaml or yarn\.lock/);
  writeJson(path.join(none, 'package-lock.json'), { name: 'x', lockfileVersion: 1, dependencies: {} });
  const old = await runCliAsync(['scan', none, '--lockfile', '--no-cache'], { env });
  assert.equal(old.status, 2);
  assert.match(old.stderr, /lockfileVersion 1 has no "packages" section; upgrade it with "npm install --package-lock-only"/);
});

test('a lockfile key that leaves node_modules is refused', async () => {
  const dir = project((lock) => {
    const v = reg.get('http-helper', '3.1.0');
    lock.packages['node_modules/../../escape'] = { version: '3.1.0', resolved: v.url, integrity: v.integrity };
  });
  const r = await runCliAsync(['scan', dir, '--lockfile', '--no-cache', '--json'], { env });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(parseJson<Report>(r.stdout).warnings?.some((w: string) => /node_modules\/\.\.\/\.\.\/escape: lockfile key leaves node_modules; skipped/.test(w)));
  assert.ok(!fs.existsSync(path.join(dir, '..', 'escape')));
});

test('--omit dev with --lockfile: dev packages are not even fetched', async () => {
  const fresh = await startRegistry([path.join(HEAD, 'http-helper'), path.join(HEAD, 'color-names')]);
  try {
    const dir = path.join(tmpDir(), 'app');
    const entry = (name: string, version: string, extra: Record<string, unknown> = {}) => {
      const v = fresh.get(name, version);
      return { version, resolved: v.url, integrity: v.integrity, ...extra };
    };
    writeJson(path.join(dir, 'package.json'), { name: 'dev-app', version: '1.0.0', dependencies: { 'http-helper': '^3.1.0' }, devDependencies: { 'color-names': '^3.0.0' } });
    writeJson(path.join(dir, 'package-lock.json'), {
      name: 'dev-app', lockfileVersion: 3, requires: true,
      packages: {
        '': { name: 'dev-app', dependencies: { 'http-helper': '^3.1.0' }, devDependencies: { 'color-names': '^3.0.0' } },
        'node_modules/http-helper': entry('http-helper', '3.1.0'),
        'node_modules/color-names': entry('color-names', '3.0.0', { dev: true }),
      },
    });
    const r = await runCliAsync(['scan', dir, '--lockfile', '--no-cache', '--omit', 'dev', '--json'], { env: registryEnv(fresh, tmpDir()) });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(parseJson<Report>(r.stdout).packages.map((p) => p.name), ['http-helper']);
    assert.ok(!fresh.requests.some((p) => p.includes('color-names')), fresh.requests.join(' '));
    assert.equal(parseJson<Report>(r.stdout).warnings, undefined, 'an omitted dev dependency is not "missing"');
  } finally {
    await fresh.close();
  }
});
