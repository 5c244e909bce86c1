// The secret-name classifier as a table: a false positive becomes one more `false` row, a miss one
// more `true` row. Each row is [name, looks like a secret?, optional expected kind].
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBenignName, isSecretName, nameWords, secretKind, type SecretKind } from '../../src/risk/secret-names.js';

const SECRET: [string, SecretKind?][] = [
  ['AWS_SECRET_ACCESS_KEY', 'cloud credential'],
  ['AWS_ACCESS_KEY_ID', 'cloud credential'],
  ['AWS_SESSION_TOKEN', 'cloud credential'],
  ['AWS_SECURITY_TOKEN', 'cloud credential'],
  ['AWS_WEB_IDENTITY_TOKEN_FILE', 'cloud credential'],
  ['AZURE_CLIENT_SECRET', 'cloud credential'],
  ['ARM_CLIENT_SECRET', 'cloud credential'],
  ['AZURE_STORAGE_ACCOUNT_KEY', 'cloud credential'],
  ['AZURE_STORAGE_CONNECTION_STRING', 'connection URL'],
  ['GOOGLE_APPLICATION_CREDENTIALS', 'cloud credential'],
  ['GOOGLE_API_KEY', 'cloud credential'],
  ['GCP_SERVICE_ACCOUNT_KEY', 'cloud credential'],
  ['GCLOUD_KEYFILE', 'cloud credential'],
  ['KUBECONFIG', 'cloud credential'],
  ['npm_config__authToken', 'CI/registry token'],
  ['npm_config__auth', 'CI/registry token'],
  ['npm_config_//registry.npmjs.org/:_authToken', 'CI/registry token'],
  ['npm_config_//npm.pkg.github.com/:_password', 'CI/registry token'],
  ['NPM_TOKEN', 'CI/registry token'],
  ['NODE_AUTH_TOKEN', 'CI/registry token'],
  ['YARN_NPM_AUTH_TOKEN', 'CI/registry token'],
  ['GITHUB_TOKEN', 'CI/registry token'],
  ['GH_TOKEN', 'CI/registry token'],
  ['GITHUB_PAT', 'CI/registry token'],
  ['ACTIONS_RUNTIME_TOKEN', 'CI/registry token'],
  ['ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'CI/registry token'],
  ['CI_JOB_TOKEN', 'CI/registry token'],
  ['CI_JOB_JWT_V2', 'CI/registry token'],
  ['CIRCLE_TOKEN', 'CI/registry token'],
  ['CODECOV_TOKEN', 'CI/registry token'],
  ['DOCKER_PASSWORD', 'CI/registry token'],
  ['DOCKER_AUTH_CONFIG', 'CI/registry token'],
  ['SYSTEM_ACCESSTOKEN', 'CI/registry token'],
  ['NPM_OTP', 'CI/registry token'],
  ['DATABASE_URL', 'connection URL'],
  ['DATABASE_URL_UNPOOLED', 'connection URL'],
  ['DB_URI', 'connection URL'],
  ['REDIS_URL', 'connection URL'],
  ['MONGODB_URI', 'connection URL'],
  ['MONGO_URL', 'connection URL'],
  ['AMQP_URL', 'connection URL'],
  ['CLOUDAMQP_URL', 'connection URL'],
  ['POSTGRES_PRISMA_URL', 'connection URL'],
  ['SENTRY_DSN', 'connection URL'],
  ['mongoUri', 'connection URL'],
  ['SLACK_WEBHOOK_URL', 'webhook'],
  ['DISCORD_WEBHOOK', 'webhook'],
  ['webhookUrl', 'webhook'],
  ['STRIPE_SECRET_KEY', 'key'],
  ['OPENAI_API_KEY', 'API key'],
  ['ANTHROPIC_API_KEY', 'API key'],
  ['apiKey', 'API key'],
  ['APIKEY', 'API key'],
  ['PGPASSWORD', 'password'],
  ['MYSQL_PWD', 'password'],
  ['SMTP_PASS', 'password'],
  ['POSTGRES_PASSWORD_FILE', 'password'],
  ['GPG_PASSPHRASE', 'password'],
  ['PGPASSFILE', 'password'],
  ['dbPassword', 'password'],
  ['JWT_SECRET', 'secret'],
  ['SESSION_SECRET', 'secret'],
  ['COOKIE_SECRET', 'secret'],
  ['NEXTAUTH_SECRET', 'secret'],
  ['SECRET_KEY_BASE', 'secret'],
  ['clientSecret', 'secret'],
  ['SLACK_SIGNING_SECRET', 'secret'],
  ['PRIVATE_KEY', 'private key'],
  ['privateKey', 'private key'],
  ['SSL_KEY_FILE', 'private key'],
  ['DEPLOY_KEY', 'private key'],
  ['VAULT_TOKEN', 'token'],
  ['NETLIFY_AUTH_TOKEN', 'token'],
  ['TWILIO_AUTH_TOKEN', 'token'],
  ['SLACK_BOT_TOKEN', 'token'],
  ['accessToken', 'token'],
  ['authToken', 'token'],
  ['HTTP_AUTHORIZATION', 'token'],
  ['BASIC_AUTH', 'token'],
  ['ENCRYPTION_KEY', 'key'],
  ['MASTER_KEY', 'key'],
  ['RAILS_MASTER_KEY', 'key'],
  ['NEW_RELIC_LICENSE_KEY', 'key'],
  ['SUPABASE_SERVICE_ROLE_KEY', 'key'],
  ['secretAccessKey', 'key'],
  ['KEY', 'key'],
  ['SECRET'],
  ['TOKEN'],
  ['PASSWORD'],
  ['HASH_SALT'],
  ['SSH_AUTH_SOCK', 'SSH agent'],
  ['aws_secret_access_key', 'cloud credential'],
];

const NOT_SECRET: string[] = [
  'NODE_ENV', 'PWD', 'OLDPWD', 'KEYBOARD', 'KEYBOARD_LAYOUT', 'MONKEY', 'HOTKEY', 'TOKENIZER_PARALLELISM',
  'PATH', 'HOME', 'DEBUG', 'CI', 'NO_COLOR', 'FORCE_COLOR', 'TERM', 'LANG', 'SHELL', 'USER', 'TZ',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'npm_config_registry', 'npm_lifecycle_event', 'npm_config_user_agent',
  'npm_package_version', 'GITHUB_ACTIONS', 'GITHUB_REPOSITORY', 'GITHUB_SHA', 'GITHUB_WORKSPACE',
  'ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_CACHE_URL', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_KMS_KEY_ID', 'AZURE_CLIENT_ID', 'AZURE_TENANT_ID',
  'GOOGLE_CLOUD_PROJECT', 'TWILIO_ACCOUNT_SID', 'SECRET_SCANNING_ENABLED', 'KEY_PREFIX', 'keyPrefix',
  'KEY_SEPARATOR', 'PUBLIC_KEY', 'publicKey', 'VAPID_PUBLIC_KEY', 'STRIPE_PUBLISHABLE_KEY', 'RECAPTCHA_SITE_KEY',
  'SUPABASE_ANON_KEY', 'NEXT_PUBLIC_API_KEY', 'NEXT_PUBLIC_SUPABASE_URL', 'EXPO_PUBLIC_TOKEN', 'SORT_KEY',
  'CACHE_KEY', 'PRIMARY_KEY', 'TOKEN_URL', 'TOKEN_TTL', 'TOKEN_COUNT', 'MAX_TOKENS', 'OPENAI_MAX_TOKENS',
  'PASSWORD_MIN_LENGTH', 'JWT_EXPIRES_IN', 'JWT_ALGORITHM', 'SECRET_NAME', 'BCRYPT_SALT_ROUNDS', 'REDIS_HOST',
  'DB_CONNECTION', 'DATABASE_NAME', 'KEYCLOAK_URL', 'NEXTAUTH_URL', 'NODE_TLS_REJECT_UNAUTHORIZED',
  'GIT_ASKPASS', 'AUTHOR', 'AUTH', 'OAUTH_CLIENT_ID', 'COMPASS', 'BYPASS', 'PASSENGER_APP_ENV', 'VAULT_ADDR',
  'SENTRY_ENVIRONMENT', 'SENTRY_RELEASE', 'DD_ENV', 'PORT', 'HOST', '',
];

test('secret names (at least 60)', () => {
  assert.ok(SECRET.length >= 60);
  const wrong = SECRET.filter(([name, kind]) => !isSecretName(name) || (kind !== undefined && secretKind(name) !== kind))
    .map(([name, kind]) => `${name}: want ${kind ?? 'secret'}, got ${secretKind(name)}`);
  assert.deepEqual(wrong, []);
});

test('non-secret names (at least 60)', () => {
  assert.ok(NOT_SECRET.length >= 60);
  const wrong = NOT_SECRET.filter(isSecretName).map((name) => `${name}: got ${secretKind(name)}`);
  assert.deepEqual(wrong, []);
});

test('nameWords splits separators and camelCase', () => {
  assert.deepEqual(nameWords('npm_config__authToken'), ['npm', 'config', 'auth', 'token']);
  assert.deepEqual(nameWords('npm_config_//registry.npmjs.org/:_authToken'), ['npm', 'config', 'registry', 'npmjs', 'org', 'auth', 'token']);
  assert.deepEqual(nameWords('APIKey'), ['api', 'key']);
  assert.deepEqual(nameWords('secretAccessKey'), ['secret', 'access', 'key']);
  assert.deepEqual(nameWords('KEYBOARD_LAYOUT'), ['keyboard', 'layout']);
});

const BENIGN: [string, boolean][] = [
  ['NODE_ENV', true], ['DEBUG', true], ['NO_COLOR', true], ['FORCE_COLOR', true], ['CI', true], ['HOME', true],
  ['PATH', true], ['TERM', true], ['LANG', true], ['TZ', true], ['PWD', true], ['SHELL', true], ['USER', true],
  ['TMPDIR', true], ['npm_lifecycle_event', true], ['Path', true],
  ['NPM_TOKEN', false], ['AWS_REGION', false], ['HTTP_PROXY', false], ['MY_APP_PORT', false], ['DATABASE_URL', false],
];

test('benign names', () => {
  for (const [name, expected] of BENIGN) assert.equal(isBenignName(name), expected, name);
});

test('no benign name looks secret', () => {
  for (const [name, benign] of BENIGN) if (benign) assert.equal(isSecretName(name), false, name);
});
