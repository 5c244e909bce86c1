// When is a behaviour what the package is for? A vendor SDK reading its own settings (`stripe` →
// `STRIPE_SECRET_KEY`), a package reading names that start with its own name, any network client
// honouring proxy variables, npm tooling reading npm's config, a dotenv loader reading `.env`.
// Expected behaviour still shows in the report; it weighs less and its reason says why.
//
// The rules never excuse "someone else's secret": a name claimed by a vendor below is expected only
// for that vendor's packages (a package called `aws` reading `AWS_SECRET_ACCESS_KEY` is not the AWS
// SDK), and a CI/registry token (`NPM_TOKEN`, `GITHUB_TOKEN`, `ACTIONS_*`) is expected only for the
// vendor listed with its prefix — never by the own-name rule.
import { secretKind } from './secret-names.js';

interface VendorRule {
  /** who, for the reason text: "the Stripe SDK". */
  label: string;
  /** package names; a trailing `*` matches any suffix (`@sentry/*`, `pg-*`, `firebase*`). */
  packages: string[];
  /** env name prefixes (or whole names) the vendor owns, compared case-insensitively. */
  env: string[];
  /** false: only the non-secret names under these prefixes are expected (build tooling reads npm_config_arch, not tokens). */
  secrets?: boolean;
}

const VENDOR_ENV_RULES: readonly VendorRule[] = [
  { label: 'the Stripe SDK', packages: ['stripe', '@stripe/*'], env: ['STRIPE_'] },
  { label: 'the Sentry SDK', packages: ['@sentry/*', 'raven', 'raven-js'], env: ['SENTRY_'] },
  { label: 'the OpenAI SDK', packages: ['openai', '@openai/*'], env: ['OPENAI_'] },
  { label: 'the Anthropic SDK', packages: ['@anthropic-ai/*'], env: ['ANTHROPIC_'] },
  {
    label: 'the AWS SDK',
    packages: ['aws-sdk', '@aws-sdk/*', '@smithy/*', 'aws-amplify', '@aws-amplify/*', 'aws-cdk', 'aws-cdk-lib', '@aws-cdk/*'],
    env: ['AWS_', 'AMAZON_'],
  },
  {
    label: 'a Google Cloud / Firebase SDK',
    packages: [
      '@google-cloud/*', 'firebase*', '@firebase/*', 'googleapis', 'googleapis-common', '@googleapis/*',
      'google-auth-library', 'google-gax', 'gcp-metadata', 'gtoken', '@google/*',
    ],
    env: ['GOOGLE_', 'GCLOUD_', 'GCP_', 'FIREBASE_', 'GCE_', 'GEMINI_'],
  },
  { label: 'the PostgreSQL client', packages: ['pg', 'pg-*', 'pgpass', 'postgres'], env: ['PG'] },
  { label: 'the MySQL client', packages: ['mysql', 'mysql2'], env: ['MYSQL_'] },
  { label: 'the Redis client', packages: ['redis', 'ioredis', '@redis/*'], env: ['REDIS_'] },
  { label: 'the MongoDB client', packages: ['mongodb', 'mongoose', 'mongodb-connection-string-url'], env: ['MONGO'] },
  { label: 'the Twilio SDK', packages: ['twilio'], env: ['TWILIO_'] },
  { label: 'the GitHub API client', packages: ['@octokit/*'], env: ['GITHUB_', 'GH_'] },
  { label: 'the GitHub Actions toolkit', packages: ['@actions/*'], env: ['GITHUB_', 'ACTIONS_', 'RUNNER_', 'INPUT_', 'STATE_'] },
  { label: 'the GitLab API client', packages: ['@gitbeaker/*'], env: ['GITLAB_', 'CI_'] },
  { label: 'the Azure SDK', packages: ['@azure/*', '@azure-rest/*', 'azure-storage'], env: ['AZURE_', 'MSI_', 'IDENTITY_'] },
  { label: 'the Slack SDK', packages: ['@slack/*'], env: ['SLACK_'] },
  { label: 'the Datadog tracer', packages: ['@datadog/*', 'dd-trace'], env: ['DD_', 'DATADOG_'] },
  { label: 'the New Relic agent', packages: ['newrelic', '@newrelic/*'], env: ['NEW_RELIC_', 'NEWRELIC_'] },
  { label: 'the Vercel SDK', packages: ['@vercel/*', 'vercel'], env: ['VERCEL_'] },
  { label: 'the Netlify tooling', packages: ['@netlify/*', 'netlify', 'netlify-cli'], env: ['NETLIFY_'] },
  { label: 'the Cloudflare tooling', packages: ['cloudflare', 'wrangler', '@cloudflare/*'], env: ['CLOUDFLARE_', 'CF_'] },
  { label: 'the SendGrid SDK', packages: ['@sendgrid/*'], env: ['SENDGRID_'] },
  { label: 'the Mailgun SDK', packages: ['mailgun.js', 'mailgun-js'], env: ['MAILGUN_'] },
  { label: 'the Algolia client', packages: ['algoliasearch', '@algolia/*'], env: ['ALGOLIA_'] },
  { label: 'the Supabase client', packages: ['@supabase/*'], env: ['SUPABASE_'] },
  { label: 'the OpenTelemetry SDK', packages: ['@opentelemetry/*'], env: ['OTEL_'] },
  { label: 'the Elastic APM agent', packages: ['elastic-apm-node', '@elastic/*'], env: ['ELASTIC_', 'ELASTICSEARCH_'] },
  { label: 'the Bugsnag SDK', packages: ['@bugsnag/*'], env: ['BUGSNAG_'] },
  { label: 'the Hugging Face client', packages: ['@huggingface/*'], env: ['HF_', 'HUGGINGFACE_'] },
  { label: 'the Mistral SDK', packages: ['@mistralai/*'], env: ['MISTRAL_'] },
  { label: 'the Auth.js library', packages: ['next-auth', '@auth/*'], env: ['NEXTAUTH_', 'AUTH_'] },
  { label: 'the Auth0 SDK', packages: ['auth0', '@auth0/*'], env: ['AUTH0_'] },
  { label: 'the Clerk SDK', packages: ['@clerk/*'], env: ['CLERK_'] },
  { label: 'the Kubernetes client', packages: ['@kubernetes/client-node'], env: ['KUBERNETES_', 'KUBECONFIG'] },
  { label: 'the Docker client', packages: ['dockerode', 'docker-modem'], env: ['DOCKER_'] },
  { label: 'the Vault client', packages: ['node-vault', '@hashicorp/*'], env: ['VAULT_'] },
  { label: 'an SSH client', packages: ['ssh2', 'node-ssh', 'ssh2-sftp-client'], env: ['SSH_'] },
  {
    // registry clients: they send npm's auth config to the registry it belongs to, so secrets too
    label: 'npm tooling',
    packages: [
      'npm', '@npmcli/*', 'pacote', 'npm-registry-fetch', 'libnpm*', 'npm-profile', 'registry-auth-token',
      'registry-url', 'npm-check-updates', 'pnpm', '@pnpm/*', 'yarn', '@yarnpkg/*', 'corepack',
    ],
    env: ['npm_config_', 'npm_package_', 'npm_lifecycle_', 'npm_execpath', 'npm_node_execpath', 'npm_command', 'YARN_', 'PNPM_'],
  },
  {
    // build and script runners read npm's config for arch/runtime/paths, never its auth
    label: 'npm build tooling',
    packages: [
      'node-gyp', 'node-gyp-build', 'prebuild-install', 'node-pre-gyp', '@mapbox/node-pre-gyp', 'prebuildify',
      'cmake-js', 'npm-run-all', 'npm-run-all2', 'npm-lifecycle', 'run-script-os', 'husky', 'patch-package',
      'which-pm-runs', 'preferred-pm', 'detect-package-manager', 'lerna', '@lerna/*', 'nx', 'turbo',
    ],
    env: ['npm_config_', 'npm_package_', 'npm_lifecycle_', 'npm_execpath', 'npm_node_execpath', 'npm_command'],
    secrets: false,
  },
];

/** Proxy settings: any network client may honour them (exact names, either case; npm's spelling too). */
const PROXY_NAMES = new Set([
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY', 'FTP_PROXY',
  'NPM_CONFIG_PROXY', 'NPM_CONFIG_HTTP_PROXY', 'NPM_CONFIG_HTTPS_PROXY', 'NPM_CONFIG_NO_PROXY', 'NPM_CONFIG_NOPROXY',
]);

/** Package names too generic for the own-name rule (`api` reading `API_KEY` says nothing). */
const GENERIC_OWN_NAMES = new Set([
  'API', 'APP', 'CORE', 'ENV', 'CONFIG', 'SERVER', 'CLIENT', 'NODE', 'UTILS', 'UTIL', 'LIB', 'COMMON', 'AUTH',
  'TOKEN', 'SECRET', 'SECRETS', 'KEY', 'KEYS', 'CLI', 'SDK', 'HTTP', 'HTTPS', 'WEB', 'DB', 'CI', 'NPM', 'MAIN',
  'INDEX', 'SHARED', 'PLUGIN', 'SETTINGS', 'CREDENTIALS', 'PASSWORD',
]);

interface CredentialFileRule {
  packages: string[];
  /** tested against the finding's detail (the file as the detector describes it). */
  file: RegExp;
  /** only when the file is in the project folder, not the home folder or an absolute path. */
  projectOnly?: boolean;
  reason: string;
}

const DOTENV_LOADERS = [
  'dotenv', 'dotenv-expand', 'dotenv-flow', 'dotenv-safe', 'dotenv-defaults', 'dotenv-cli', 'dotenv-webpack',
  'dotenv-extended', '@dotenvx/dotenvx', 'env-cmd', '@next/env', 'next', 'vite', '@vue/cli-service',
  'react-scripts', 'gatsby', 'astro', '@nestjs/config', 'c12', '@expo/env', 'serverless', '@remix-run/dev',
  'nuxt', '@nuxt/kit',
];

// only the registry clients: .npmrc holds auth tokens, which build tooling has no need for
const NPM_REGISTRY_CLIENTS = VENDOR_ENV_RULES.filter((r) => r.label === 'npm tooling').flatMap((r) => r.packages);

const CREDENTIAL_FILE_RULES: readonly CredentialFileRule[] = [
  {
    packages: DOTENV_LOADERS,
    file: /(^|[\\/'"`\s])\.env([.\-_][\w.-]*)?['"`]?[)\s]*$/i,
    projectOnly: true,
    reason: 'a dotenv-style loader reads .env files from the project folder',
  },
  { packages: NPM_REGISTRY_CLIENTS, file: /(^|[\\/'"`\s])\.npmrc['"`]?[)\s]*$/i, reason: 'npm tooling reads .npmrc for registry settings' },
  { packages: ['yarn', '@yarnpkg/*'], file: /(^|[\\/'"`\s])\.yarnrc(\.yml)?['"`]?[)\s]*$/i, reason: 'yarn reads its own .yarnrc' },
  {
    packages: ['aws-sdk', '@aws-sdk/*', '@smithy/*'],
    file: /\.aws[\\/](credentials|config)\b/i,
    reason: 'the AWS SDK loads its shared credentials and config files',
  },
  {
    packages: ['google-auth-library', '@google-cloud/*', 'googleapis', 'firebase-tools'],
    file: /gcloud[\\/].*\.json|application_default_credentials/i,
    reason: 'the Google auth library loads application default credentials',
  },
  { packages: ['@azure/*'], file: /\.azure[\\/]/i, reason: 'the Azure SDK reads the Azure CLI login' },
  { packages: ['dockerode', 'docker-modem'], file: /\.docker[\\/]config\.json/i, reason: 'the Docker client reads its own config' },
  { packages: ['@kubernetes/client-node'], file: /\.kube[\\/]config|kubeconfig/i, reason: 'the Kubernetes client reads kubeconfig' },
  {
    packages: ['ssh2', 'node-ssh', 'ssh2-sftp-client', 'ssh-config'],
    file: /\.ssh[\\/](config|known_hosts)\b/i,
    reason: 'an SSH client reads ssh config and known hosts',
  },
];

/** Does `name` match a package pattern (exact, or prefix when the pattern ends with `*`)? */
function matchesPackage(name: string, pattern: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

function matchesAny(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => matchesPackage(name, p));
}

function envPrefixOf(envName: string, prefixes: readonly string[]): string | null {
  const upper = envName.toUpperCase();
  return prefixes.find((p) => upper.startsWith(p.toUpperCase())) ?? null;
}

function shown(prefix: string): string {
  return /_$|^PG$|^MONGO$/i.test(prefix) ? `${prefix}*` : prefix;
}

/** Is `envName` under a prefix some vendor rule claims (so only that vendor may read it as "expected")? */
function claimedByVendor(envName: string): boolean {
  return VENDOR_ENV_RULES.some((r) => envPrefixOf(envName, r.env) !== null);
}

/** The prefixes the own-name rule allows: the package name without scope, and the scope itself. */
export function ownEnvPrefixes(packageName: string): string[] {
  const norm = (s: string): string => s.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase();
  const m = /^@([^/]+)\/(.+)$/.exec(packageName);
  const parts = m ? [m[2], m[1]] : [packageName];
  const out: string[] = [];
  for (const p of parts) {
    const n = norm(p);
    if (n.length >= 3 && !GENERIC_OWN_NAMES.has(n) && !out.includes(n)) out.push(n);
  }
  return out;
}

/** Proxy variable, either case (HTTP_PROXY, https_proxy, no_proxy, …)? */
function isProxyName(envName: string): boolean {
  return PROXY_NAMES.has(envName.toUpperCase());
}

/**
 * Why reading `envName` is expected of `packageName`, or null when it is not. Order: proxy
 * variables, vendor tables, then the own-name rule (never for CI/registry tokens or names a vendor
 * owns).
 */
export function expectedEnvReason(packageName: string, envName: string): string | null {
  if (isProxyName(envName)) return 'proxy settings are honoured by proxy-aware network clients';
  const kind = secretKind(envName);
  for (const rule of VENDOR_ENV_RULES) {
    if (!matchesAny(packageName, rule.packages)) continue;
    const prefix = envPrefixOf(envName, rule.env);
    if (prefix === null) continue;
    if (rule.secrets === false && kind !== null) continue;
    return `${rule.label} reads its own ${shown(prefix)} settings`;
  }
  if (kind === 'CI/registry token' || claimedByVendor(envName)) return null;
  const upper = envName.toUpperCase();
  for (const own of ownEnvPrefixes(packageName)) {
    if (upper === own || upper.startsWith(own + '_')) return `the name starts with the package's own name (${own}_*)`;
  }
  return null;
}

/** Does the detail point into the home folder or at an absolute path (not the project folder)? */
function outsideProject(detail: string): boolean {
  return /^\s*['"`]?(~|\/|[A-Za-z]:[\\/]|\$HOME|%USERPROFILE%)/.test(detail) || /homedir|\bHOME\b|USERPROFILE|\.\.[\\/]/.test(detail);
}

/** Why reading the credential file `detail` is expected of `packageName`, or null when it is not. */
export function expectedCredentialFileReason(packageName: string, detail: string): string | null {
  const d = detail.trim();
  for (const rule of CREDENTIAL_FILE_RULES) {
    if (!matchesAny(packageName, rule.packages) || !rule.file.test(d)) continue;
    if (rule.projectOnly && outsideProject(d)) continue;
    return rule.reason;
  }
  return null;
}
