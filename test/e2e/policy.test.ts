// End to end, in a child process: config + allowlist + baseline as a CI gate. A baseline is
// written on fixtures/policy-base; fixtures/policy-head is the same tree plus telemetry-beacon,
// which reads NPM_TOKEN and can reach the network (high).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fixture, runCli, parseJson } from '../helpers.js';
import type { Report } from '../../src/model.js';
import type { Baseline } from '../../src/policy/baseline.js';
import { validateReport } from '../report/validate.js';
import { copyTree, readJson, tmpDir, writeJson } from '../policy/util.js';

const BASE = fixture('policy-base');
const HEAD = fixture('policy-head');
const work = tmpDir();
const baselineFile = path.join(work, 'env-audit-baseline.json');

function cli(args: string[], env?: Record<string, string | undefined>) {
  return runCli([...args, '--no-cache'], { env });
}

const beaconEntry = {
  package: 'telemetry-beacon',
  version: '^0.3.0',
  env: ['NPM_TOKEN'],
  capabilities: ['network'],
  reason: 'our own telemetry client; the token is scoped to the metrics endpoint',
  expires: '2999-12-31',
};

test('baseline --write records the accepted state as stable, sorted JSON', () => {
  const r = cli(['baseline', BASE, '--write', baselineFile]);
  assert.equal(r.status, 0, r.stderr);
  const text = fs.readFileSync(baselineFile, 'utf8');
  const data = parseJson<Baseline>(text);
  assert.equal(data.envAuditBaseline, 1);
  assert.deepEqual(Object.keys(data.packages), ['chalk-lite', 'left-pad', 'legacy-reporter']);
  assert.deepEqual(data.packages['legacy-reporter']['2.1.0'], {
    level: 'high',
    env: ['GITHUB_TOKEN'],
    secretEnv: ['GITHUB_TOKEN'],
    capabilities: ['env', 'network'],
  });
  assert.deepEqual(data.packages['left-pad']['1.3.0'], { level: 'none' });
  assert.ok(!/generatedAt|durationMs|"score"|"line"/.test(text), 'nothing that changes from run to run');
  assert.ok(text.endsWith('}\n'));

  // a second run produces the same bytes: the file diffs cleanly in a pull request
  const again = cli(['baseline', BASE]);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout, text);
});

test('without a baseline the known high package fails --fail-on high', () => {
  const r = cli([BASE, '--fail-on', 'high', '-q']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /legacy-reporter@2\.1\.0/);
});

test('same tree, nothing new: unchanged risk passes the baseline gate', () => {
  const r = cli([BASE, '--baseline', baselineFile, '--fail-on', 'high', '-q']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
});

test('a new package with a secret read + network fails, naming it', () => {
  const r = cli([HEAD, '--baseline', baselineFile, '--fail-on', 'high', '-q']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /telemetry-beacon@0\.3\.1/);
  assert.match(r.stderr, /not in the baseline/);
  assert.doesNotMatch(r.stderr, /legacy-reporter/, 'the accepted package is not blamed');
});

test('the JSON report shows drift per package and a policy section that validates', () => {
  const r = cli([HEAD, '--baseline', baselineFile, '--fail-on', 'high', '--json']);
  assert.equal(r.status, 1);
  const report = parseJson<Report>(r.stdout);
  assert.deepEqual(validateReport(report), []);
  const beacon = report.packages.find((p) => p.name === 'telemetry-beacon')!;
  const legacy = report.packages.find((p) => p.name === 'legacy-reporter')!;
  assert.equal(beacon.baseline, 'new');
  assert.equal(legacy.baseline, 'unchanged');
  assert.equal(report.policy?.baseline?.file, baselineFile);
  assert.deepEqual(report.policy?.baseline?.new, ['telemetry-beacon@0.3.1']);
  assert.deepEqual(report.policy?.failing, ['telemetry-beacon@0.3.1']);
  assert.equal(report.policy?.failOn, 'high');
});

test('an allowlist entry accepting it (--config): exit 0, finding reported as accepted', () => {
  const config = writeJson(path.join(work, 'allow.json'), { allow: [beaconEntry] });
  const r = cli([HEAD, '--baseline', baselineFile, '--fail-on', 'high', '--config', config, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const report = parseJson<Report>(r.stdout);
  assert.deepEqual(validateReport(report), []);
  const beacon = report.packages.find((p) => p.name === 'telemetry-beacon')!;
  assert.equal(beacon.level, 'high', 'the risk itself is still reported');
  assert.equal(beacon.accepted, true);
  assert.equal(beacon.effectiveLevel, 'none');
  assert.equal(beacon.acceptedReason, beaconEntry.reason);
  assert.ok(beacon.findings.filter((f) => f.rule === 'env-read' || f.rule === 'network').every((f) => f.accepted === true));
  assert.deepEqual(report.policy?.allow, [
    {
      package: 'telemetry-beacon', version: '^0.3.0', reason: beaconEntry.reason, expires: '2999-12-31',
      expired: false, matched: ['telemetry-beacon@0.3.1'],
    },
  ]);
  assert.deepEqual(report.policy?.failing, []);
});

test('the allowlist works without a baseline too, from .env-audit.json at the project root', () => {
  const tree = copyTree(HEAD);
  writeJson(path.join(tree, '.env-audit.json'), {
    failOn: 'high',
    allow: [
      beaconEntry,
      { package: 'legacy-reporter', reason: 'build reports; reviewed 2026-11', expires: '2999-01-01' },
    ],
  });
  // failOn comes from the config: no --fail-on on the command line
  const r = cli([tree, '-q']);
  assert.equal(r.status, 0, r.stderr);
});

test('the config can live in package.json under "env-audit"', () => {
  const tree = copyTree(HEAD);
  const pkgFile = path.join(tree, 'package.json');
  const pkg = readJson(pkgFile);
  pkg['env-audit'] = { failOn: 'high', allow: [beaconEntry] };
  writeJson(pkgFile, pkg);
  const r = cli([tree, '--baseline', baselineFile, '-q']);
  assert.equal(r.status, 0, r.stderr);
  // and --fail-on on the command line wins over the config's failOn
  const low = cli([tree, '--baseline', baselineFile, '--fail-on', 'low', '-q']);
  assert.equal(low.status, 0, 'accepted and unchanged packages still pass at low');
});

test('an expired entry is reported and no longer accepts: exit 1', () => {
  const config = writeJson(path.join(work, 'expired.json'), { allow: [{ ...beaconEntry, expires: '2020-06-30' }] });
  const r = cli([HEAD, '--baseline', baselineFile, '--fail-on', 'high', '--config', config, '-q']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /allow\[0\] \(telemetry-beacon@\^0\.3\.0\) expired on 2020-06-30/);
  assert.match(r.stderr, /telemetry-beacon@0\.3\.1/);
  const json = cli([HEAD, '--baseline', baselineFile, '--fail-on', 'high', '--config', config, '--json']);
  const report = parseJson<Report>(json.stdout);
  assert.equal(report.policy?.allow[0].expired, true);
  assert.deepEqual(report.policy?.allow[0].matched, ['telemetry-beacon@0.3.1']);
  assert.ok(!report.packages.some((p) => p.findings.some((f) => f.accepted)));
});

test('an entry for the env name only leaves the network reach counted (effective level)', () => {
  const config = writeJson(path.join(work, 'partial.json'), {
    allow: [{ package: 'telemetry-beacon', env: ['NPM_TOKEN'], reason: 'token read reviewed' }],
  });
  const high = cli([HEAD, '--config', config, '--fail-on', 'high', '--json']);
  const beacon = parseJson<Report>(high.stdout).packages.find((p) => p.name === 'telemetry-beacon')!;
  assert.equal(beacon.accepted, false);
  assert.equal(beacon.effectiveLevel, 'low', 'network alone is low');
  // legacy-reporter (no baseline here) still fails high; telemetry-beacon does not
  assert.equal(high.status, 1);
  assert.deepEqual(parseJson<Report>(high.stdout).policy?.failing, ['legacy-reporter@2.1.0']);
});

test('an entry whose version range does not match accepts nothing', () => {
  const config = writeJson(path.join(work, 'range.json'), { allow: [{ ...beaconEntry, version: '^1.0.0' }] });
  const r = cli([HEAD, '--baseline', baselineFile, '--fail-on', 'high', '--config', config]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /matched no finding/);
});

test('drift in a known package: a new version that starts reading a secret fails', () => {
  const tree = copyTree(BASE);
  const dir = path.join(tree, 'node_modules', 'legacy-reporter');
  const pkg = readJson(path.join(dir, 'package.json'));
  pkg.version = '2.2.0';
  writeJson(path.join(dir, 'package.json'), pkg);
  fs.appendFileSync(path.join(dir, 'index.js'), 'module.exports.region = process.env.AWS_SECRET_ACCESS_KEY;\n');
  const r = cli([tree, '--baseline', baselineFile, '--fail-on', 'high', '-q']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /legacy-reporter@2\.2\.0 \(high; new secret read AWS_SECRET_ACCESS_KEY\)/);

  // an upgrade that keeps doing the same passes
  const same = copyTree(BASE);
  const sameDir = path.join(same, 'node_modules', 'legacy-reporter');
  writeJson(path.join(sameDir, 'package.json'), { ...readJson<Record<string, unknown>>(path.join(sameDir, 'package.json')), version: '2.1.1' });
  const ok = cli([same, '--baseline', baselineFile, '--fail-on', 'high', '-q']);
  assert.equal(ok.status, 0, ok.stderr);
});

test('a JSON report works as a baseline too', () => {
  const reportFile = path.join(work, 'base-report.json');
  const r = cli([BASE, '--json', reportFile, '-q']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(cli([BASE, '--baseline', reportFile, '--fail-on', 'high', '-q']).status, 0);
  assert.equal(cli([HEAD, '--baseline', reportFile, '--fail-on', 'high', '-q']).status, 1);
});

test('--omit from the config decides what is scanned', () => {
  const tree = copyTree(HEAD);
  const pkgFile = path.join(tree, 'package.json');
  const pkg = readJson<{ dependencies: Record<string, string>; devDependencies?: Record<string, string> }>(pkgFile);
  delete pkg.dependencies['telemetry-beacon'];
  pkg.devDependencies = { 'telemetry-beacon': '^0.3.1' };
  writeJson(pkgFile, pkg);
  writeJson(path.join(tree, '.env-audit.json'), { omit: ['dev'] });
  const r = cli([tree, '--baseline', baselineFile, '--fail-on', 'high', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(!parseJson<Report>(r.stdout).packages.some((p) => p.name === 'telemetry-beacon'));
});

// ---------------------------------------------------------------------------------------------
// exit 2: a config or baseline that cannot be used names the file, the field and what is wrong

const BAD: [string, unknown, RegExp][] = [
  ['unknown top-level key', { failon: 'high' }, /bad\.json: failon: unknown field \(did you mean "failOn"\?\)/],
  ['bad level', { failOn: 'severe' }, /bad\.json: failOn: must be one of critical, high, medium, low, got "severe"/],
  ['bad omit', { omit: ['devDependencies'] }, /bad\.json: omit\[0\]: must be dev, optional or peer/],
  ['allow not an array', { allow: { package: 'x' } }, /bad\.json: allow: must be an array of entries, got an object/],
  ['missing package', { allow: [{ reason: 'r' }] }, /bad\.json: allow\[0\]\.package: is required/],
  ['missing reason', { allow: [{ package: 'stripe' }] }, /bad\.json: allow\[0\]\.reason: is required/],
  ['bad range', { allow: [{ package: 'stripe', version: 'fourteen', reason: 'r' }] }, /bad\.json: allow\[0\]\.version: must be a semver range/],
  ['bad capability', { allow: [{ package: 'stripe', capabilities: ['net'], reason: 'r' }] }, /bad\.json: allow\[0\]\.capabilities\[0\]: unknown capability "net"/],
  ['bad env list', { allow: [{ package: 'stripe', env: 'STRIPE_API_KEY', reason: 'r' }] }, /bad\.json: allow\[0\]\.env: must be an array of strings/],
  ['bad date', { allow: [{ package: 'stripe', reason: 'r', expires: '2027-02-30' }] }, /bad\.json: allow\[0\]\.expires: must be a date YYYY-MM-DD, got "2027-02-30"/],
  ['unknown entry key', { allow: [{ package: 'stripe', reason: 'r', expiry: '2027-01-01' }] }, /bad\.json: allow\[0\]\.expiry: unknown field \(did you mean "expires"\?\)/],
];

for (const [what, data, expected] of BAD) {
  test(`malformed config (${what}) → exit 2 with file, field and problem`, () => {
    const config = writeJson(path.join(tmpDir(), 'bad.json'), data);
    const r = cli([BASE, '--config', config, '-q']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, expected);
    assert.doesNotMatch(r.stderr, /internal error/);
  });
}

test('malformed config: not JSON, missing file, and a bad "env-audit" key in package.json', () => {
  const dir = tmpDir();
  fs.writeFileSync(path.join(dir, 'broken.json'), '{ "allow": [ }');
  const notJson = cli([BASE, '--config', path.join(dir, 'broken.json')]);
  assert.equal(notJson.status, 2);
  assert.match(notJson.stderr, /broken\.json: not valid JSON/);

  const missing = cli([BASE, '--config', path.join(dir, 'nope.json')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope\.json: file not found/);

  const tree = copyTree(BASE);
  const pkg = readJson(path.join(tree, 'package.json'));
  pkg['env-audit'] = { allow: [{ package: 'left-pad', reason: 'r', capabilities: 'network' }] };
  writeJson(path.join(tree, 'package.json'), pkg);
  const inPkg = cli([tree]);
  assert.equal(inPkg.status, 2);
  assert.match(inPkg.stderr, /package\.json: "env-audit"\.allow\[0\]\.capabilities: must be an array of strings/);
});

test('a broken baseline file → exit 2 naming it', () => {
  const dir = tmpDir();
  const missing = cli([BASE, '--baseline', path.join(dir, 'none.json'), '--fail-on', 'high']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /none\.json: baseline file not found/);
  const bad = writeJson(path.join(dir, 'bad-baseline.json'), { envAuditBaseline: 1, packages: { x: { '1.0.0': { level: 'severe' } } } });
  const r = cli([BASE, '--baseline', bad, '--fail-on', 'high']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad-baseline\.json: packages\["x"\]\["1\.0\.0"\]\.level: must be one of/);
});
