import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { compareWithBaseline, createBaseline, readBaseline, renderBaseline, type Baseline } from '../../src/policy/baseline.js';
import { applyPolicy } from '../../src/policy/gate.js';
import { ConfigError } from '../../src/policy/config.js';
import { f, pkg, quiet, report, secretNet } from './build.js';
import { tmpDir } from './util.js';

const noConfig = { file: null, source: 'none' as const, allow: [] };

test('the baseline is sorted and independent of package order, locations and timing', () => {
  const a = report([secretNet('zeta', '1.0.0'), quiet('alpha', '2.0.0'), quiet('alpha', '10.0.0')]);
  const b = report([quiet('alpha', '10.0.0'), quiet('alpha', '2.0.0'), secretNet('zeta', '1.0.0', 'NPM_TOKEN')]);
  b.generatedAt = '2030-01-01T00:00:00.000Z';
  b.summary.durationMs = 999;
  b.packages[0].location = 'node_modules/x/node_modules/alpha';
  const ta = renderBaseline(createBaseline(a));
  assert.equal(ta, renderBaseline(createBaseline(b)));
  const data = JSON.parse(ta) as Baseline;
  assert.deepEqual(Object.keys(data.packages), ['alpha', 'zeta']);
  assert.deepEqual(Object.keys(data.packages.alpha), ['2.0.0', '10.0.0'], 'semver order, not string order');
  assert.deepEqual(data.packages.zeta['1.0.0'], { level: 'high', env: ['NPM_TOKEN'], secretEnv: ['NPM_TOKEN'], capabilities: ['env', 'network'] });
});

test('install-time and exfiltration facts are recorded without lines', () => {
  const p = pkg('inst', '1.0.0', [
    f('install-script', 'postinstall: node setup.js', { file: 'package.json', installTime: true }),
    f('network', 'https', { installTime: true }),
  ]);
  const b = createBaseline(report([p]));
  assert.deepEqual(b.packages.inst['1.0.0'].installTime, ['install-script: postinstall: node setup.js', 'network: https']);
});

test('readBaseline round-trips, accepts a JSON report, and rejects junk with the field', () => {
  const dir = tmpDir();
  const r = report([secretNet('zeta', '1.0.0')]);
  const file = path.join(dir, 'b.json');
  fs.writeFileSync(file, renderBaseline(createBaseline(r)));
  assert.deepEqual(readBaseline(file), createBaseline(r));
  const reportFile = path.join(dir, 'r.json');
  fs.writeFileSync(reportFile, JSON.stringify(r));
  assert.deepEqual(readBaseline(reportFile), createBaseline(r));
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, JSON.stringify({ envAuditBaseline: 1, packages: { z: { '1.0.0': { level: 'none', capabilities: ['net'] } } } }));
  assert.throws(() => readBaseline(bad), (e: unknown) => e instanceof ConfigError && /packages\["z"\]\["1\.0\.0"\]\.capabilities: unknown capability "net"/.test(e.message));
  fs.writeFileSync(bad, JSON.stringify({ envAuditBaseline: 2, packages: {} }));
  assert.throws(() => readBaseline(bad), /envAuditBaseline: version 2 is not supported/);
});

test('drift: new package, new secret, new capability, level increase; unchanged and upgrades that keep to it pass', () => {
  const baseline = createBaseline(report([secretNet('known', '1.0.0', 'GITHUB_TOKEN'), pkg('lib', '1.0.0', [f('env-read', 'NODE_ENV')])]));
  const now = report([
    secretNet('known', '1.0.0', 'GITHUB_TOKEN'), // unchanged
    secretNet('known', '1.1.0', 'GITHUB_TOKEN'), // upgrade, same behaviour
    pkg('known', '2.0.0', [f('env-read', 'GITHUB_TOKEN'), f('env-read', 'NPM_TOKEN'), f('network', 'https')]), // new secret
    pkg('lib', '1.1.0', [f('env-read', 'NODE_ENV'), f('network', 'https')]), // new capability, still low
    secretNet('fresh', '0.1.0'), // new package
  ]);
  compareWithBaseline(now, baseline);
  const by = (n: string, v: string) => now.packages.find((p) => p.name === n && p.version === v)!;
  assert.equal(by('known', '1.0.0').baseline, 'unchanged');
  assert.equal(by('known', '1.1.0').baseline, 'unchanged');
  assert.equal(by('known', '2.0.0').baseline, 'changed');
  assert.deepEqual(by('known', '2.0.0').drift, ['new secret read NPM_TOKEN']);
  assert.equal(by('lib', '1.1.0').baseline, 'changed');
  assert.deepEqual(by('lib', '1.1.0').drift, ['level none → low', 'gains network']);
  assert.equal(by('fresh', '0.1.0').baseline, 'new');
});

test('the gate: only drift at or above the threshold fails', () => {
  const baseline = createBaseline(report([secretNet('known', '1.0.0'), quiet('lib', '1.0.0')]));
  const now = report([secretNet('known', '1.0.0'), pkg('lib', '1.1.0', [f('network', 'https')]), quiet('newish', '1.0.0'), secretNet('fresh', '1.0.0')]);
  const out = applyPolicy(now, { config: noConfig, failOn: 'high', baseline: { file: 'b.json', data: baseline } });
  assert.deepEqual(out.failing.map((p) => p.name), ['fresh']);
  assert.deepEqual([...out.newOrChanged].sort(), ['fresh@1.0.0', 'lib@1.1.0', 'newish@1.0.0']);
  assert.deepEqual(now.policy?.baseline, { file: 'b.json', new: ['fresh@1.0.0', 'newish@1.0.0'], changed: ['lib@1.1.0'] });
  assert.deepEqual(now.policy?.failing, ['fresh@1.0.0']);
  const low = applyPolicy(report([pkg('lib', '1.1.0', [f('network', 'https')])]), { config: noConfig, failOn: 'low', baseline: { file: 'b.json', data: baseline } });
  assert.deepEqual(low.failing.map((p) => p.name), ['lib']);
});

test('without a policy nothing is added to the report', () => {
  const r = report([secretNet('a', '1.0.0')]);
  const out = applyPolicy(r, { config: noConfig, failOn: 'high' });
  assert.equal(r.policy, undefined);
  assert.deepEqual(out.failing.map((p) => p.name), ['a']);
  assert.deepEqual(applyPolicy(r, { config: noConfig }).failing, []);
});

test('the allowlist applies to drift: an accepted new secret is not drift', () => {
  const baseline = createBaseline(report([pkg('sdk', '1.0.0', [f('network', 'https')])]));
  const now = report([pkg('sdk', '1.0.1', [f('network', 'https'), f('env-read', 'SDK_SECRET_KEY')])]);
  const out = applyPolicy(now, {
    config: { ...noConfig, allow: [{ package: 'sdk', env: ['SDK_SECRET_KEY'], reason: 'its own key', field: 'allow[0]' }] },
    failOn: 'low',
    baseline: { file: 'b.json', data: baseline },
  });
  assert.equal(now.packages[0].baseline, 'unchanged');
  assert.deepEqual(out.failing, []);
});
