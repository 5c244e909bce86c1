import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { ConfigError, isIsoDate, loadConfig, validateConfig } from '../../src/policy/config.js';
import { tmpDir, writeJson } from './util.js';

test('no config anywhere: an empty policy', () => {
  const dir = tmpDir();
  writeJson(path.join(dir, 'package.json'), { name: 'x', version: '1.0.0' });
  assert.deepEqual(loadConfig(dir), { file: null, source: 'none', allow: [] });
});

test('.env-audit.json wins over package.json; --config wins over both', () => {
  const dir = tmpDir();
  writeJson(path.join(dir, 'package.json'), { name: 'x', 'env-audit': { failOn: 'low' } });
  assert.equal(loadConfig(dir).failOn, 'low');
  assert.equal(loadConfig(dir).source, 'package.json');
  writeJson(path.join(dir, '.env-audit.json'), { failOn: 'medium' });
  assert.equal(loadConfig(dir).failOn, 'medium');
  assert.equal(loadConfig(dir).source, 'file');
  const other = writeJson(path.join(tmpDir(), 'policy.json'), { failOn: 'critical' });
  assert.equal(loadConfig(dir, other).failOn, 'critical');
  // --config may name a package.json: its "env-audit" key is read
  assert.equal(loadConfig(tmpDir(), path.join(dir, 'package.json')).failOn, 'low');
});

test('a broken root package.json is not the policy\'s error', () => {
  const dir = tmpDir();
  fs.writeFileSync(path.join(dir, 'package.json'), '{ nope');
  assert.equal(loadConfig(dir).source, 'none');
});

test('entries are validated and normalised', () => {
  const c = validateConfig(
    {
      $schema: 'x',
      failOn: 'HIGH',
      omit: 'dev',
      allow: [{ package: '@scope/sdk', version: '^14 || ^15', env: ['SDK_*'], capabilities: ['network'], reason: ' payment SDK ', expires: '2027-06-30' }],
    },
    'f.json',
    '',
  );
  assert.equal(c.failOn, 'high');
  assert.deepEqual(c.omit, ['dev']);
  assert.deepEqual(c.allow[0], {
    package: '@scope/sdk', reason: 'payment SDK', field: 'allow[0]', version: '^14 || ^15',
    env: ['SDK_*'], capabilities: ['network'], expires: '2027-06-30',
  });
});

test('errors name the file, the field and the problem', () => {
  const cases: [unknown, string][] = [
    [[], 'f.json: must be an object, got an array'],
    [{ failOn: 'none' }, 'f.json: failOn: must be one of critical, high, medium, low, got "none"'],
    [{ allow: [{ package: 'stripe@14', reason: 'r' }] }, 'f.json: allow[0].package: "stripe@14" is not a package name (a version goes in "version")'],
    [{ allow: [{ package: 'a', reason: '' }] }, 'f.json: allow[0].reason: is required: say why a is accepted, got ""'],
    [{ allow: [{ package: 'a', reason: 'r', env: ['A B'] }] }, 'f.json: allow[0].env[0]: "A B" is not an env name (no spaces or "="; "*" only at the end)'],
    [{ allow: [{ package: 'a', reason: 'r', env: [''] }] }, 'f.json: allow[0].env[0]: must be a non-empty string, got ""'],
    [{ allow: [{ package: 'a', reason: 'r', expires: 20270101 }] }, 'f.json: allow[0].expires: must be a date YYYY-MM-DD, got number 20270101'],
    [{ allow: ['stripe'] }, 'f.json: allow[0]: must be an object like { "package": "stripe", "reason": "…" }, got "stripe"'],
  ];
  for (const [data, message] of cases) {
    assert.throws(() => validateConfig(data, 'f.json', ''), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.name, 'ConfigError');
      assert.equal(err.message, message);
      return true;
    });
  }
});

test('isIsoDate checks the calendar', () => {
  assert.ok(isIsoDate('2028-02-29'));
  assert.ok(!isIsoDate('2027-02-29'));
  assert.ok(!isIsoDate('2027-1-01'));
  assert.ok(!isIsoDate('2027-01-01T00:00:00Z'));
});
