import assert from 'node:assert/strict';
import test from 'node:test';
import { VENDORS, ownershipOf, vendorOfEnv, vendorOwnsHost } from '../../src/risk/ownership.js';

test('ownership table: every vendor the issue names is there, each with env prefixes and domains', () => {
  const labels = new Set(VENDORS.map((v) => v.label));
  for (const l of ['OpenAI', 'Anthropic', 'GitHub', 'npm', 'AWS', 'Google', 'Azure', 'Vercel', 'Sentry', 'Stripe', 'Slack', 'Datadog']) assert.ok(labels.has(l), l);
  for (const v of VENDORS) {
    assert.ok(v.env.length > 0 && v.domains.length > 0, v.label);
    for (const d of v.domains) assert.match(d, /^[a-z0-9-]+(\.[a-z0-9-]+)+$/, `${v.label}: ${d}`);
  }
});

test('ownership: the longest env prefix decides the vendor', () => {
  assert.equal(vendorOfEnv('OPENAI_API_KEY')?.label, 'OpenAI');
  assert.equal(vendorOfEnv('AZURE_OPENAI_API_KEY')?.label, 'Azure OpenAI');
  assert.equal(vendorOfEnv('AZURE_CLIENT_SECRET')?.label, 'Azure');
  assert.equal(vendorOfEnv('npm_config__authToken')?.label, 'npm');
  assert.equal(vendorOfEnv('BLOB_READ_WRITE_TOKEN')?.label, 'Vercel');
  assert.equal(vendorOfEnv('MY_APP_TOKEN'), null);
});

test('ownership: hosts under a vendor domain (and its reserved .example stand-in) are its own', () => {
  const openai = vendorOfEnv('OPENAI_API_KEY')!;
  assert.ok(vendorOwnsHost(openai, 'api.openai.com'));
  assert.ok(vendorOwnsHost(openai, 'API.OPENAI.COM.'));
  assert.ok(vendorOwnsHost(openai, 'api.openai.example'));
  assert.ok(!vendorOwnsHost(openai, 'openai.com.attacker.invalid'));
  assert.ok(!vendorOwnsHost(openai, 'notopenai.com'));
  assert.ok(!vendorOwnsHost(openai, 'relay.attacker.invalid'));
});

test('ownership: own host, own settings, foreign host, unknown destination', () => {
  assert.deepEqual(ownershipOf('OPENAI_API_KEY', ['api.openai.com'], []), { kind: 'own', service: 'OpenAI', where: 'api.openai.com' });
  assert.equal(ownershipOf('OPENAI_API_KEY', [], ['OPENAI_BASE_URL']).kind, 'own');
  assert.equal(ownershipOf('VAULT_TOKEN', [], ['VAULT_ADDR']).kind, 'own');
  assert.equal(ownershipOf('ACTIONS_ID_TOKEN_REQUEST_TOKEN', [], ['ACTIONS_ID_TOKEN_REQUEST_URL']).kind, 'own');
  assert.equal(ownershipOf('NPM_TOKEN', ['registry.npmjs.org'], ['npm_config_registry']).kind, 'own');
  // a worm authenticating to GitHub with someone else's npm token, or a key sent to a relay
  assert.deepEqual(ownershipOf('NPM_TOKEN', ['api.github.com'], []), { kind: 'foreign', where: 'api.github.com' });
  assert.equal(ownershipOf('OPENAI_API_KEY', ['api.openai.com', 'relay.attacker.invalid'], []).kind, 'foreign');
  assert.equal(ownershipOf('MY_TOKEN', ['api.example.com'], []).kind, 'foreign');
  assert.equal(ownershipOf('OPENAI_API_KEY', [], ['PROXY_URL']).kind, 'unknown');
  assert.equal(ownershipOf('OPENAI_API_KEY', [], []).kind, 'unknown');
});
