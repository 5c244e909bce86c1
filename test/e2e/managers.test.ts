// End to end: the same small project (fixtures/managers/project) installed by each real package
// manager — npm, pnpm 10, Yarn 1, Yarn 4 with node-modules and with Plug'n'Play — from its
// committed lockfile against a registry on 127.0.0.1, never running install scripts; then scanned
// by the real CLI. Every manager must give the same packages, levels, flags and dependency paths,
// and `scan --lockfile` on each lockfile alone must give what the installed tree gives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Report } from '../../src/model.js';
import type { ReportDiff } from '../../src/policy/diff.js';
import { validateReport } from '../report/validate.js';
import { runCliAsync, snapshot, tmpDir } from '../policy/util.js';
import { registryEnv, type TestRegistry } from '../policy/registry.js';
import { fixtureRegistry, install, lockfileOf, MANAGERS, PROJECT, projectWithLockfile, type Manager } from '../managers/install.js';

let reg: TestRegistry;
const work = tmpDir('env-audit-managers-');
const installed = new Map<Manager, { dir: string; report: Report }>();
const locked = new Map<Manager, Report>();
/** one Berry lockfile serves both Yarn 4 linkers; scanning it once is enough */
const LOCK_MODES: Manager[] = ['npm', 'pnpm', 'yarn1', 'yarn4-nm'];

async function scanJson(args: string[]): Promise<Report> {
  const r = await runCliAsync([...args, '--json'], { env: registryEnv(reg, work) });
  assert.equal(r.status, 0, `${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return JSON.parse(r.stdout) as Report;
}

before(async () => {
  reg = await fixtureRegistry();
  // installs run two at a time (the machine is shared); each tree is built once and shared below
  const queue = [...MANAGERS];
  await Promise.all([0, 1].map(async () => {
    for (let m = queue.shift(); m; m = queue.shift()) {
      const dir = projectWithLockfile(m, reg, path.join(work, m, 'project'));
      await install(m, reg, dir, path.join(work, m, 'home'));
      const before = snapshot(dir);
      installed.set(m, { dir, report: await scanJson(['scan', dir, '--no-cache']) });
      assert.deepEqual(snapshot(dir), before, `${m}: scanning changed the project`);
    }
  }));
  for (const m of LOCK_MODES) {
    const dir = path.join(work, `${m}-lock`, 'project');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(PROJECT, 'package.json'), path.join(dir, 'package.json'));
    const { file } = lockfileOf(m);
    fs.copyFileSync(path.join(work, m, 'project', file), path.join(dir, file));
    locked.set(m, await scanJson(['scan', dir, '--lockfile', '--no-cache']));
  }
});
after(() => reg?.close());

/** What must not depend on the manager: identity, level, flags, findings' rules and dependency paths. */
function essence(report: Report): string[] {
  return report.packages
    .map((p) =>
      [
        `${p.name}@${p.version} ${p.level} score=${p.score}`,
        `dev=${p.dev} optional=${p.optional} peer=${p.peer}`,
        `rules=${[...new Set(p.findings.map((f) => f.rule))].sort().join(',')}`,
        `paths=${p.paths.map((x: string[]) => x.join(' > ')).sort().join(' | ')}`,
      ].join(' '),
    )
    .sort();
}

function notInstalled(report: Report): string[] {
  return (report.notInstalled ?? []).map((n) => `${n.name} ${n.paths.map((x: string[]) => x.join(' > ')).join(' | ')}`).sort();
}

test('every manager installs the same tree: same packages, levels, flags, rules and dependency paths as npm', () => {
  const npm = installed.get('npm')!.report;
  assert.deepEqual(validateReport(npm), []);
  assert.equal(npm.packages.length, 6);
  // the fixture's shape: fx-util at two versions, one only under fx-http; fx-devtool dev-only
  const paths = essence(npm).join('\n');
  assert.match(paths, /fx-util@1\.0\.0 none .*paths=managers-fixture > @fx\/config > fx-util \| managers-fixture > fx-devtool > fx-util/);
  assert.match(paths, /fx-util@2\.0\.0 none .*paths=managers-fixture > fx-http > fx-util$/m);
  assert.match(paths, /fx-devtool@1\.0\.0 none score=\d+ dev=true/);
  for (const m of MANAGERS) {
    const report = installed.get(m)!.report;
    assert.deepEqual(validateReport(report), [], m);
    assert.deepEqual(essence(report), essence(npm), `${m} differs from npm`);
    assert.equal(report.root.name, 'managers-fixture', m);
  }
});

test('the optional platform package is "not installed for this platform" in every layout, never a scanned package', () => {
  for (const m of MANAGERS) {
    const report = installed.get(m)!.report;
    assert.ok(!report.packages.some((p) => p.name === 'fx-native-aix'), `${m}: fx-native-aix scanned`);
    assert.deepEqual(notInstalled(report), ['fx-native-aix managers-fixture > fx-native > fx-native-aix'], m);
    const reason = report.notInstalled?.[0]?.reason ?? '';
    // Yarn classic's lockfile records no os/cpu, so its reason cannot name them
    if (m === 'yarn1') assert.match(reason, /not installed here/);
    else assert.match(reason, /^not installed for this platform \(os aix, cpu ppc64; this is /, m);
  }
  for (const m of LOCK_MODES) {
    const report = locked.get(m)!;
    assert.ok(!report.packages.some((p) => p.name === 'fx-native-aix'), `${m} --lockfile: fx-native-aix scanned`);
    assert.deepEqual(notInstalled(report), ['fx-native-aix managers-fixture > fx-native > fx-native-aix'], `${m} --lockfile`);
    assert.match(report.notInstalled?.[0]?.reason ?? '', /^not installed for this platform \(os aix, cpu ppc64/, `${m} --lockfile`);
  }
});

test('registry packages: `prepare` never counts, under any manager; install scripts counted as the manager runs them', () => {
  for (const m of MANAGERS) {
    const report = installed.get(m)!.report;
    const http = report.packages.find((p) => p.name === 'fx-http')!;
    assert.ok(!http.findings.some((f) => f.rule === 'install-script'), `${m}: fx-http's prepare counted`);
    const native = report.packages.find((p) => p.name === 'fx-native')!;
    assert.ok(native.findings.some((f) => f.rule === 'install-script' && f.detail.startsWith('postinstall')), `${m}: fx-native's postinstall missing`);
  }
  // pnpm 10 runs it only because package.json "pnpm".onlyBuiltDependencies lists it; explain says so
  const pnpm = installed.get('pnpm')!.report.packages.find((p) => p.name === 'fx-native')!;
  assert.match(pnpm.findings.find((f) => f.rule === 'install-script')?.message ?? '', /listed in onlyBuiltDependencies \(package\.json "pnpm"\)/);
});

test('pnpm: dependency paths follow pnpm\'s links, not the hoisted .pnpm/node_modules (fx-util@2 declares a devDependency on fx-devtool)', () => {
  const pnpm = installed.get('pnpm')!.report;
  const devtool = pnpm.packages.find((p) => p.name === 'fx-devtool')!;
  assert.deepEqual(devtool.paths, [['managers-fixture', 'fx-devtool']]);
  assert.ok(pnpm.packages.every((p) => p.location.startsWith('node_modules/.pnpm/')));
});

test('Yarn Plug\'n\'Play: packages read from the .yarn/cache archives and .yarn/unplugged, located there', () => {
  const pnp = installed.get('yarn4-pnp')!;
  const locations = pnp.report.packages.map((p) => p.location).sort();
  assert.ok(locations.filter((l: string) => /^\.yarn\/cache\/[^/]+\.zip\/node_modules\//.test(l)).length === 5, locations.join('\n'));
  assert.ok(locations.some((l: string) => /^\.yarn\/unplugged\/fx-native-npm-1\.0\.0-[^/]+\/node_modules\/fx-native$/.test(l)), locations.join('\n'));
  assert.ok(!fs.existsSync(path.join(pnp.dir, 'node_modules')));
});

test('scan --lockfile on each lockfile format gives what the installed tree gives', () => {
  for (const m of LOCK_MODES) {
    const report = locked.get(m)!;
    assert.deepEqual(validateReport(report), [], m);
    assert.deepEqual(essence(report), essence(installed.get(m)!.report), `${m}: --lockfile differs from the installed tree`);
  }
  // pnpm-lock.yaml and yarn.lock v1 carry tarball integrity, checked as for package-lock.json
  const pnpmHttp = locked.get('pnpm')!.packages.find((p) => p.name === 'fx-http')!;
  assert.equal(pnpmHttp.integrity, reg.get('fx-http', '1.0.0').integrity);
});

test('a project with a lockfile and no installed tree: the message names what was found and what to run', async () => {
  await Promise.all((['pnpm', 'yarn1', 'yarn4-nm'] as const).map(async (m) => {
    const dir = path.join(work, `${m}-bare`, 'project');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(PROJECT, 'package.json'), path.join(dir, 'package.json'));
    const { file } = lockfileOf(m);
    fs.copyFileSync(path.join(work, m, 'project', file), path.join(dir, file));
    const r = await runCliAsync(['scan', dir, '--no-cache'], { env: registryEnv(reg, work) });
    assert.equal(r.status, 2, r.stderr);
    const advice = { pnpm: 'pnpm install --frozen-lockfile --ignore-scripts', yarn1: 'yarn install --frozen-lockfile --ignore-scripts', 'yarn4-nm': 'yarn install --immutable --mode=skip-build' }[m];
    assert.ok(r.stderr.includes(advice), `${m}: ${r.stderr}`);
    assert.ok(r.stderr.includes(`env-audit scan --lockfile ${dir}`), r.stderr);
    assert.ok(!r.stderr.includes('npm ci'), r.stderr);
  }));
});

test('explain on a package not installed for this platform says so, with its path', async () => {
  const r = await runCliAsync(['explain', 'fx-native-aix', installed.get('yarn4-pnp')!.dir, '--no-cache'], { env: registryEnv(reg, work) });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^fx-native-aix@1\.0\.0: not installed for this platform \(os aix, cpu ppc64; this is \S+ \S+\); not scanned \(managers-fixture > fx-native > fx-native-aix\)\n$/);
});

test('preview on a Plug\'n\'Play project: the upgrade is resolved and scanned; platform packages of the ideal tree are not "added"', async () => {
  const r = await runCliAsync(['preview', 'fx-util@^2.0.0', '--dir', installed.get('yarn4-pnp')!.dir, '--no-cache', '--json'], { env: registryEnv(reg, work) });
  assert.equal(r.status, 0, r.stderr);
  const diff = (JSON.parse(r.stdout) as { previews: Array<{ diff: ReportDiff }> }).previews[0].diff;
  assert.deepEqual(diff.added.map((a) => a.facts.name), []);
  assert.equal(diff.unchanged, 6);
});
