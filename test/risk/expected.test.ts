// When reading an env name or a credential file is what a package is for. Rows: [package, name,
// expected?, optional substring of the reason].
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectedCredentialFileReason, expectedEnvReason, ownEnvPrefixes } from '../../src/risk/expected.js';

const ENV: [string, string, boolean, string?][] = [
  // vendor SDKs reading their own prefix
  ['stripe', 'STRIPE_SECRET_KEY', true, 'Stripe'],
  ['@sentry/node', 'SENTRY_DSN', true, 'Sentry'],
  ['@sentry/core', 'SENTRY_RELEASE', true],
  ['openai', 'OPENAI_API_KEY', true, 'OPENAI_*'],
  ['@aws-sdk/credential-provider-env', 'AWS_SECRET_ACCESS_KEY', true, 'AWS'],
  ['aws-sdk', 'AWS_ACCESS_KEY_ID', true],
  ['@google-cloud/storage', 'GOOGLE_APPLICATION_CREDENTIALS', true],
  ['firebase-admin', 'FIREBASE_CONFIG', true],
  ['googleapis', 'GCLOUD_PROJECT', true],
  ['google-auth-library', 'GCP_PROJECT', true],
  ['pg', 'PGPASSWORD', true, 'PG*'],
  ['pg-connection-string', 'PGHOST', true],
  ['mysql2', 'MYSQL_PWD', true],
  ['ioredis', 'REDIS_URL', true],
  ['twilio', 'TWILIO_AUTH_TOKEN', true],
  ['@octokit/auth-action', 'GITHUB_TOKEN', true, 'GitHub'],
  ['@octokit/rest', 'GH_TOKEN', true],
  ['@actions/core', 'ACTIONS_RUNTIME_TOKEN', true],
  ['@actions/github', 'GITHUB_TOKEN', true],
  ['@azure/identity', 'AZURE_CLIENT_SECRET', true],
  ['@anthropic-ai/sdk', 'ANTHROPIC_API_KEY', true],
  ['@slack/web-api', 'SLACK_BOT_TOKEN', true],
  ['mongoose', 'MONGODB_URI', true],
  ['dd-trace', 'DD_API_KEY', true],
  ['@datadog/pprof', 'DD_SITE', true],
  ['newrelic', 'NEW_RELIC_LICENSE_KEY', true],
  ['@vercel/blob', 'VERCEL_TOKEN', true],
  // own-name rule
  ['foo-bar', 'FOO_BAR_TOKEN', true, 'FOO_BAR_*'],
  ['@acme/widget-kit', 'WIDGET_KIT_API_KEY', true],
  ['@acme/widget-kit', 'ACME_API_KEY', true],
  ['cloudinary', 'CLOUDINARY_URL', true],
  // proxies: any package, either case
  ['got', 'HTTP_PROXY', true, 'proxy'],
  ['axios', 'https_proxy', true],
  ['some-lib', 'NO_PROXY', true],
  ['some-lib', 'all_proxy', true],
  ['proxy-from-env', 'npm_config_https_proxy', true],
  // npm tooling and npm's config
  ['@npmcli/config', 'npm_config_registry', true, 'npm tooling'],
  ['npm-registry-fetch', 'npm_config__authToken', true],
  ['pacote', 'npm_config_cache', true],
  ['libnpmpublish', 'npm_config_//registry.npmjs.org/:_authToken', true],
  ['node-gyp', 'npm_config_arch', true, 'build tooling'],
  ['prebuild-install', 'npm_package_name', true],
  ['node-gyp', 'npm_config__authToken', false], // build tooling has no business with auth
  ['left-pad', 'npm_config_registry', false],
  // someone else's secret
  ['stripe', 'AWS_SECRET_ACCESS_KEY', false],
  ['openai', 'GITHUB_TOKEN', false],
  ['aws', 'AWS_SECRET_ACCESS_KEY', false], // named like the vendor, is not the vendor
  ['evil-aws-helper', 'AWS_SECRET_ACCESS_KEY', false],
  ['@evil/aws', 'AWS_ACCESS_KEY_ID', false],
  ['pgx-helper', 'PGPASSWORD', false],
  // CI/registry tokens: only their own vendor, never the own-name rule
  ['npm', 'NPM_TOKEN', false],
  ['npm-publish-helper', 'NPM_TOKEN', false],
  ['github-release', 'GITHUB_TOKEN', false],
  ['@actions/core', 'NPM_TOKEN', false],
  ['@octokit/rest', 'ACTIONS_RUNTIME_TOKEN', false],
  ['ci-job', 'CI_JOB_TOKEN', false],
  ['semantic-release', 'GH_TOKEN', false],
  // too generic to be "its own name"
  ['api', 'API_KEY', false],
  ['config', 'CONFIG_SECRET', false],
  ['db', 'DB_PASSWORD', false],
  // unrelated
  ['left-pad', 'DATABASE_URL', false],
  ['chalk', 'OPENAI_API_KEY', false],
];

test('expectedEnvReason table', () => {
  const wrong: string[] = [];
  for (const [pkg, name, expected, contains] of ENV) {
    const reason = expectedEnvReason(pkg, name);
    if ((reason !== null) !== expected) wrong.push(`${pkg} reading ${name}: want ${expected}, got ${reason}`);
    else if (contains && !reason!.includes(contains)) wrong.push(`${pkg}/${name}: "${reason}" should mention ${contains}`);
  }
  assert.deepEqual(wrong, []);
});

test('ownEnvPrefixes strips the scope, normalises, skips generic names', () => {
  assert.deepEqual(ownEnvPrefixes('foo-bar'), ['FOO_BAR']);
  assert.deepEqual(ownEnvPrefixes('@acme/widget.kit'), ['WIDGET_KIT', 'ACME']);
  assert.deepEqual(ownEnvPrefixes('@acme/core'), ['ACME']);
  assert.deepEqual(ownEnvPrefixes('db'), []);
});

const FILES: [string, string, boolean][] = [
  ['dotenv', '.env', true],
  ['dotenv', '.env.local', true],
  ['dotenv-flow', '.env.production.local', true],
  ['@dotenvx/dotenvx', '.env.keys', true],
  ['@next/env', '.env.development', true],
  ['vite', 'path.resolve(root, ".env")', true],
  ['env-cmd', './.env', true],
  ['dotenv', '~/.env', false], // not the project folder
  ['dotenv', '/proc/self/environ', false],
  ['dotenv', '~/.npmrc', false],
  ['dotenv', 'path.join(os.homedir(), ".env")', false],
  ['left-pad', '.env', false],
  ['@npmcli/config', '~/.npmrc', true],
  ['npm-registry-fetch', '.npmrc', true],
  ['registry-auth-token', '.npmrc', true],
  ['node-gyp', '.npmrc', false], // build tooling: no need for registry auth
  ['@npmcli/config', '~/.ssh/id_rsa', false],
  ['evil-pkg', '.npmrc', false],
  ['@aws-sdk/shared-ini-file-loader', '~/.aws/credentials', true],
  ['stripe', '~/.aws/credentials', false],
  ['google-auth-library', '~/.config/gcloud/application_default_credentials.json', true],
  ['ssh2', '~/.ssh/known_hosts', true],
  ['ssh2', '~/.ssh/id_rsa', false],
  ['dockerode', '~/.docker/config.json', true],
];

test('expectedCredentialFileReason table', () => {
  const wrong = FILES.filter(([pkg, file, expected]) => (expectedCredentialFileReason(pkg, file) !== null) !== expected)
    .map(([pkg, file, expected]) => `${pkg} reading ${file}: want ${expected}, got ${expectedCredentialFileReason(pkg, file)}`);
  assert.deepEqual(wrong, []);
});
