// Never leak, never execute. The CLI runs under the guard (guard.ts), which records any network
// use, child process, load of a scanned file, or read of a fake secret, in the main thread and in
// the scan workers; fake secrets sit in the CLI's own environment and must appear in no output and
// no cache file. The exec-marker package leaves EXECUTED* files if any of its code or lifecycle
// scripts ever runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture } from '../helpers.js';
import { runGuarded, writeGuard } from './guard.js';
import { filesUnder, markerHits, outputProblems } from './output-checks.js';

const SECRETS: Record<string, string> = {
  NPM_TOKEN: 'npm_FAKE_SECRET_4b1d7e0c9a',
  GITHUB_TOKEN: 'ghp_FAKE_SECRET_9a2c5f11e3',
  AWS_SECRET_ACCESS_KEY: 'FAKE_AWS_SECRET_7e11c3d0b8',
  AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKE3f9d21',
  STRIPE_SECRET_KEY: 'sk_live_FAKE_0d6a4e2b',
  OPENAI_API_KEY: 'sk-FAKE-openai-1c8e77',
  NODE_AUTH_TOKEN: 'FAKE_NODE_AUTH_5c0ffee42',
};
const MARKERS = Object.values(SECRETS);

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-noleak-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function tempDir(name: string): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

test('control: the guard does catch network, processes, loading scanned code and secret reads', () => {
  const dir = tempDir('control');
  const treeDir = tempDir('control-tree');
  fs.writeFileSync(path.join(treeDir, 'a.js'), 'module.exports = 1;\n');
  fs.writeFileSync(path.join(treeDir, 'b.mjs'), 'export default 1;\n');
  const guard = writeGuard(dir, { trees: [treeDir], secrets: ['NPM_TOKEN'] });
  const script = `
    const attempt = async (f) => { try { await f(); } catch {} };
    (async () => {
      await attempt(() => require(${JSON.stringify(path.join(treeDir, 'a.js'))}));
      await attempt(() => import(${JSON.stringify(new URL(`file://${path.join(treeDir, 'b.mjs')}`).href)}));
      await attempt(() => require('https').get('https://x.invalid/'));
      await attempt(() => fetch('https://x.invalid/'));
      await attempt(() => require('dns').lookup('x.invalid', () => {}));
      await attempt(() => require('child_process').execSync('true'));
      await attempt(() => process.env.NPM_TOKEN);
      await attempt(() => ({ ...process.env }));
      const { Worker } = require('worker_threads');
      await new Promise((resolve) => new Worker('try { require("net").connect(1) } catch {}', { eval: true, env: {} }).on('exit', resolve));
    })();`;
  const r = spawnSync(process.execPath, ['--require', guard.file, '-e', script], { env: { ...process.env, NPM_TOKEN: 'x' }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const log = guard.read();
  for (const what of ['main: require ', 'hooks: import ', 'main: https.get', 'main: fetch', 'main: dns.lookup', 'main: child_process.execSync', 'main: process.env.NPM_TOKEN read', 'worker: net.connect']) {
    assert.ok(log.includes(what), `the guard missed "${what}":\n${log}`);
  }
});

test('the attack tree, with fake secrets in the environment: no secret read, none in any output or cache file', () => {
  const dir = tempDir('attack');
  const cacheDir = path.join(dir, 'cache');
  const guard = writeGuard(dir, { trees: [fixture('attack'), fixture('traps')], secrets: Object.keys(SECRETS) });
  const env = { ...SECRETS, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md') };
  const o = (f: string) => path.join(dir, f);
  const runs = {
    // inline (main thread), writing the cache
    first: runGuarded(guard, ['scan', fixture('attack'), '--jobs', '0', '--json', o('a.json'), '--sarif', o('a.sarif'), '--markdown', o('a.md'), '--cache-dir', cacheDir], { env }),
    // from the cache
    cached: runGuarded(guard, ['scan', fixture('attack'), '--json', '--cache-dir', cacheDir], { env }),
    // on worker threads
    workers: runGuarded(guard, ['scan', fixture('attack'), '--jobs', '2', '--no-cache', '--json', o('w.json')], { env }),
    explain: runGuarded(guard, ['explain', 'crossenv', fixture('attack'), '--cache-dir', cacheDir], { env }),
    failOn: runGuarded(guard, ['scan', fixture('attack'), '--fail-on', 'high', '--cache-dir', cacheDir], { env }),
    diff: runGuarded(guard, ['diff', fixture('traps'), fixture('attack'), '--cache-dir', cacheDir, '--markdown', o('diff.md')], { env }),
  };
  const texts: Record<string, Buffer> = {};
  for (const [name, r] of Object.entries(runs)) {
    assert.equal(r.error, undefined, `${name}: ${r.error?.message}`);
    assert.equal(r.status, name === 'failOn' ? 1 : 0, `${name}: ${r.stderr.toString().slice(0, 2000)}`);
    texts[`${name} stdout`] = r.stdout;
    texts[`${name} stderr`] = r.stderr;
  }
  const files = [...filesUnder(dir)].filter((f) => !f.endsWith('.cjs'));
  assert.ok(filesUnder(cacheDir).length > 0, 'the cache was written');
  for (const f of files) texts[f] = fs.readFileSync(f);
  assert.deepEqual(markerHits(MARKERS, texts), []);
  assert.equal(guard.read(), '', 'the guard caught something');
  // the names are reported (that is the point), only the values are not
  const report = JSON.parse(fs.readFileSync(o('a.json'), 'utf8')) as { packages: { env: { reads: string[] } }[] };
  const names = new Set(report.packages.flatMap((p) => p.env.reads));
  for (const name of ['NPM_TOKEN', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY']) assert.ok(names.has(name), name);
  assert.deepEqual(outputProblems('attack stdout', runs.first.stdout), []);
});

test('never execute: no file of the scanned package and none of its lifecycle scripts runs, inline or on workers', () => {
  const dir = tempDir('exec');
  const project = path.join(dir, 'project');
  fs.mkdirSync(path.join(project, 'node_modules'), { recursive: true });
  fs.writeFileSync(path.join(project, 'package.json'), '{"name":"exec-project","version":"1.0.0","dependencies":{"exec-marker":"1.0.0"}}\n');
  fs.cpSync(fixture('hostile', 'node_modules', 'exec-marker'), path.join(project, 'node_modules', 'exec-marker'), { recursive: true });
  const marker = path.join(dir, 'marker');
  const guard = writeGuard(dir, { trees: [project], secrets: Object.keys(SECRETS) });
  const env = { ...SECRETS, ENV_AUDIT_EXEC_MARKER: marker };
  const runs = [
    runGuarded(guard, ['scan', project, '--jobs', '0', '--json', path.join(dir, 'inline.json'), '--no-cache'], { env }),
    // the default for a small tree: one worker
    runGuarded(guard, ['scan', project, '--json', path.join(dir, 'default.json'), '--no-cache'], { env }),
    runGuarded(guard, ['scan', project, '--jobs', '2', '--no-cache', '--json', path.join(dir, 'workers.json')], { env }),
    runGuarded(guard, ['explain', 'exec-marker', project, '--no-cache'], { env }),
    runGuarded(guard, ['baseline', project, '--no-cache'], { env }),
  ];
  for (const r of runs) assert.equal(r.status, 0, r.stderr.toString().slice(0, 2000));
  const left = filesUnder(dir).filter((f) => /^EXECUTED/.test(path.basename(f)) || f === marker);
  assert.deepEqual(left, [], 'scanned code ran');
  assert.equal(guard.read(), '');
  // and it was all seen: the scripts are findings, the files were analysed
  for (const json of ['inline.json', 'default.json', 'workers.json']) {
    const report = JSON.parse(fs.readFileSync(path.join(dir, json), 'utf8')) as { packages: { name: string; files: number; findings: { rule: string; detail: string }[] }[] };
    const p = report.packages.find((x) => x.name === 'exec-marker')!;
    assert.equal(p.files, 4, json);
    const scripts = p.findings.filter((f) => f.rule === 'install-script').map((f) => f.detail.split(':')[0]);
    for (const event of ['preinstall', 'install', 'postinstall']) assert.ok(scripts.includes(event), `${json}: ${scripts.join(', ')}`);
  }
});
