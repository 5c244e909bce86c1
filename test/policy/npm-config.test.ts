import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { nameFromKey, npmOptions, parseNpmrc } from '../../src/scan/lockfile.js';
import { tmpDir } from './util.js';

test('parseNpmrc: comments, quotes, arrays and ${VAR} expansion', () => {
  const rc = parseNpmrc(
    [
      '; comment',
      '# another',
      'registry = https://npm.example.invalid/',
      '@corp:registry=https://corp.example.invalid/npm/',
      '//corp.example.invalid/npm/:_authToken=${CORP_TOKEN}',
      'ca[] = "first"',
      'ca[] = second',
      'strict-ssl=false',
      'flag',
    ].join('\n'),
    { CORP_TOKEN: 'tok' },
  );
  assert.equal(rc.registry, 'https://npm.example.invalid/');
  assert.equal(rc['@corp:registry'], 'https://corp.example.invalid/npm/');
  assert.equal(rc['//corp.example.invalid/npm/:_authToken'], 'tok');
  assert.deepEqual(rc.ca, ['first', 'second']);
  assert.equal(rc['strict-ssl'], 'false');
  assert.equal(rc.flag, 'true');
});

test('npmOptions: global < user < project < environment, flattened for pacote', () => {
  const dir = tmpDir();
  const global = path.join(dir, 'global-npmrc');
  const user = path.join(dir, 'user-npmrc');
  const project = path.join(dir, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(global, 'registry=https://global.invalid/\nstrict-ssl=false\n');
  fs.writeFileSync(user, 'registry=https://user.invalid\n@corp:registry=https://corp.invalid/\n//corp.invalid/:_authToken=${T}\n');
  fs.writeFileSync(path.join(project, '.npmrc'), 'https-proxy=http://proxy.invalid:3128\n');
  const env = { T: 'abc', HOME: dir, npm_config_globalconfig: global, npm_config_userconfig: user, npm_config_cache: path.join(dir, 'c'), npm_config_prefer_offline: 'true' };
  const o = npmOptions(project, env);
  assert.equal(o.registry, 'https://user.invalid/', 'user wins over global, trailing slash added');
  assert.equal(o['@corp:registry'], 'https://corp.invalid/');
  assert.equal(o['//corp.invalid/:_authToken'], 'abc');
  assert.equal(o.strictSSL, false);
  assert.equal(o.httpsProxy, 'http://proxy.invalid:3128');
  assert.equal(o.cache, path.join(dir, 'c', '_cacache'));
  assert.equal(o.preferOffline, true);
  assert.equal(o.ignoreScripts, true);
  const overridden = npmOptions(project, { ...env, npm_config_registry: 'http://127.0.0.1:1/' });
  assert.equal(overridden.registry, 'http://127.0.0.1:1/');
});

test('nameFromKey', () => {
  assert.equal(nameFromKey('node_modules/a'), 'a');
  assert.equal(nameFromKey('node_modules/a/node_modules/@s/b'), '@s/b');
});
