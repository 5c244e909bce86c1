// Does an environment variable name look like it holds a secret? Decided on words, never on
// substrings: `MONKEY` is not a key and `TOKENIZER_PARALLELISM` is not a token. A name is split on
// `_ - . / : @` and camelCase into lowercase words; a few words are secrets on their own (token,
// secret, password, credentials, dsn, webhook), a few only in the right position (`key` as the last
// word, `url` after a database word, `pass`/`auth`/`pat` as the last word). Words after a secret
// word that describe it rather than hold it (`KEY_PREFIX`, `TOKEN_TTL`, `SECRET_SCANNING_ENABLED`)
// and words before it that say it is public (`PUBLIC_KEY`, `NEXT_PUBLIC_*`) cancel it.
//
// Judgement calls, so reviewers can disagree with a line rather than a heuristic:
// - `KEY_PREFIX`, `KEY_SEPARATOR`: naming parameters (cache key prefix), not secrets.
// - `SECRET_SCANNING_ENABLED`, `PASSWORD_MIN_LENGTH`: settings about secrets, not secrets.
// - `SSH_AUTH_SOCK`: secret. The agent socket lets whoever reads it authenticate as the user, and
//   reading it is a classic credential-theft step; SSH clients get it as "expected" (expected.ts).
// - `KUBECONFIG`, `GOOGLE_APPLICATION_CREDENTIALS`, `*_KEY_FILE`, `*_PASSWORD_FILE`: secrets. They
//   are paths, but to key material; reading them is one step from reading the key.
// - `AWS_ACCESS_KEY_ID`: secret (half of a credential pair); other `*_KEY_ID`s are identifiers.
// - `HTTP_PROXY`: not secret even though a proxy URL can embed a password; a name tells us nothing.
// - `NEXT_PUBLIC_*`, `EXPO_PUBLIC_*`, `NUXT_PUBLIC_*`, `PUBLIC_*`: shipped to browsers by
//   convention, so public. `VITE_*` / `REACT_APP_*` are not treated as public: the name still says
//   what it holds, and a secret put there is worth seeing.

export type SecretKind =
  | 'CI/registry token'
  | 'cloud credential'
  | 'connection URL'
  | 'webhook'
  | 'private key'
  | 'API key'
  | 'key'
  | 'token'
  | 'password'
  | 'credential'
  | 'secret'
  | 'SSH agent';

/** Whole names (uppercased) decided by hand because their words mislead. */
const EXACT: ReadonlyMap<string, SecretKind> = new Map<string, SecretKind>([
  ['SSH_AUTH_SOCK', 'SSH agent'],
  ['DOCKER_AUTH_CONFIG', 'CI/registry token'],
  ['NODE_AUTH_TOKEN', 'CI/registry token'],
  ['SYSTEM_ACCESSTOKEN', 'CI/registry token'],
  ['KUBECONFIG', 'cloud credential'],
]);

/** Prefixes that mean "this value is shipped to the browser": public by convention. */
const PUBLIC_PREFIXES = ['NEXT_PUBLIC_', 'EXPO_PUBLIC_', 'NUXT_PUBLIC_', 'GATSBY_PUBLIC_', 'PUBLIC_'];

/** Words that are a secret wherever they stand (unless cancelled). */
const STRONG: ReadonlyMap<string, SecretKind> = new Map<string, SecretKind>([
  ['token', 'token'], ['tokens', 'token'], ['accesstoken', 'token'], ['authtoken', 'token'],
  ['bearer', 'token'], ['authorization', 'token'],
  ['secret', 'secret'], ['secrets', 'secret'],
  ['password', 'password'], ['passwords', 'password'], ['passwd', 'password'],
  ['passphrase', 'password'], ['passfile', 'password'], ['otp', 'password'], ['totp', 'password'],
  ['credential', 'credential'], ['credentials', 'credential'], ['creds', 'credential'], ['cred', 'credential'],
  ['apikey', 'API key'], ['apikeys', 'API key'],
  ['privatekey', 'private key'], ['keyfile', 'private key'],
  ['secretkey', 'key'], ['accesskey', 'key'], ['masterkey', 'key'],
  ['dsn', 'connection URL'],
  ['webhook', 'webhook'], ['webhooks', 'webhook'],
]);

/** A single word ending in one of these is that secret (`PGPASSWORD`, `GHTOKEN`, `NEXTAUTH_SECRET` is split anyway). */
const STRONG_SUFFIXES: ReadonlyArray<readonly [string, SecretKind]> = [
  ['password', 'password'], ['passwd', 'password'], ['passphrase', 'password'], ['passfile', 'password'],
  ['secret', 'secret'], ['token', 'token'], ['apikey', 'API key'], ['accesskey', 'key'],
  ['secretkey', 'key'], ['privatekey', 'private key'], ['credentials', 'credential'],
];

/** Words that, after a secret word, describe it instead of holding it. */
const DESCRIPTORS = new Set([
  'prefix', 'suffix', 'separator', 'delimiter', 'name', 'names', 'field', 'fields', 'header', 'headers',
  'length', 'len', 'size', 'min', 'max', 'ttl', 'expiry', 'expires', 'expire', 'expiration', 'lifetime',
  'timeout', 'type', 'types', 'format', 'enabled', 'disabled', 'enable', 'disable', 'scanning', 'scan',
  'rounds', 'algorithm', 'algorithms', 'alg', 'url', 'uri', 'endpoint', 'host', 'issuer', 'audience',
  'check', 'required', 'prompt', 'policy', 'strength', 'hint', 'reset', 'validation', 'rotation',
  'interval', 'count', 'limit', 'mode', 'var', 'variable', 'store', 'helper', 'provider',
]);

/** Words that, before a secret word, say it is not one (`PUBLIC_KEY`, `MAX_TOKENS`). */
const PUBLIC_BEFORE = new Set(['public', 'publishable', 'pub', 'anon', 'max', 'min', 'num', 'total']);

/** Words before `key` that make it a lookup key rather than key material. */
const LOOKUP_KEY_QUALIFIERS = new Set([
  'site', 'sort', 'cache', 'primary', 'foreign', 'partition', 'hash', 'object', 'i18n', 'translation',
  'locale', 'lookup', 'index', 'shard', 'routing', 'idempotency', 'dedupe', 'unique', 'composite', 'row',
  'column', 'map', 'query', 'metric', 'label', 'tag', 'group', 'cursor',
]);

/** After `key`, these still name key material (a path to it, or its encoding). */
const KEY_MATERIAL_SUFFIXES = new Set(['file', 'path', 'pem', 'base64', 'b64', 'data', 'material', 'value', 'contents', 'content', 'raw', 'json']);

/** Words before `key` that say what kind of key. */
const PRIVATE_KEY_WORDS = new Set(['private', 'ssh', 'ssl', 'tls', 'signing', 'gpg', 'pgp', 'rsa', 'ecdsa', 'ed25519', 'deploy']);

/** Database / broker words: `<word>_URL`, `<word>_URI`, `<word>_DSN` is a connection URL with credentials. */
const DB_WORDS_EXACT = new Set(['db', 'pg', 'sql', 'nats', 'conn', 'connection', 'broker', 'celery', 'mqtt', 'amqp', 'amqps']);
const DB_WORDS_AFFIX = [
  'database', 'redis', 'mongo', 'postgres', 'mysql', 'mariadb', 'mssql', 'sqlserver', 'amqp', 'rabbitmq',
  'rabbit', 'kafka', 'memcache', 'elastic', 'opensearch', 'cassandra', 'neo4j', 'couchdb', 'couchbase',
  'clickhouse', 'libsql', 'cockroach', 'influx', 'planetscale',
];
const URL_WORDS = new Set(['url', 'uri', 'urls', 'uris', 'string', 'str']);

/** Words that place a token/password in CI or a package registry. */
const CI_REGISTRY_WORDS = new Set([
  'npm', 'npmjs', 'yarn', 'pnpm', 'github', 'gh', 'actions', 'gitlab', 'ci', 'circle', 'circleci', 'travis',
  'buildkite', 'jenkins', 'drone', 'codecov', 'docker', 'dockerhub', 'registry', 'pypi', 'twine', 'nuget',
  'cargo', 'bitbucket', 'codeartifact', 'jfrog', 'artifactory', 'sonar', 'runner',
]);

/** Words that place a credential with a cloud provider. */
const CLOUD_WORDS = new Set([
  'aws', 'amazon', 'azure', 'arm', 'gcp', 'gcloud', 'google', 'gce', 'gke', 'digitalocean', 'alicloud',
  'aliyun', 'alibaba', 'oci', 'ibmcloud', 'tencentcloud',
]);

/** Split a name into lowercase words on separators and camelCase (`apiKey`, `APIKey`, `npm_config__authToken`). */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

function isDbWord(word: string): boolean {
  if (DB_WORDS_EXACT.has(word)) return true;
  return DB_WORDS_AFFIX.some((d) => word.startsWith(d) || word.endsWith(d));
}

/** The kind the word at `i` makes the name, before cancellation; null when it is not a secret word. */
function wordKind(w: string[], i: number): SecretKind | null {
  const word = w[i];
  const prev = i > 0 ? w[i - 1] : undefined;
  const last = i === w.length - 1;
  const strong = STRONG.get(word);
  if (strong) return strong;
  for (const [suffix, kind] of STRONG_SUFFIXES) {
    if (word.length > suffix.length && word.endsWith(suffix)) return kind;
  }
  switch (word) {
    case 'pass':
      return last || w[i + 1] === 'file' ? 'password' : null;
    case 'pwd':
      // `PWD` / `OLDPWD` are the working directory; `MYSQL_PWD` is a password.
      return i > 0 ? 'password' : null;
    case 'auth':
      return last && i > 0 ? 'token' : null; // npm_config__auth, BASIC_AUTH; not AUTH alone
    case 'pat':
      return last && i > 0 ? 'token' : null; // GITHUB_PAT
    case 'jwt':
      return last || /^v\d+$/.test(w[i + 1] ?? '') ? 'token' : null; // CI_JOB_JWT, CI_JOB_JWT_V2
    case 'salt':
      return last ? 'secret' : null;
    case 'key':
    case 'keys': {
      const rest = w.slice(i + 1);
      const idOfAccessKey = rest.length === 1 && rest[0] === 'id' && prev === 'access';
      if (!idOfAccessKey && !rest.every((r) => KEY_MATERIAL_SUFFIXES.has(r))) return null;
      if (prev && LOOKUP_KEY_QUALIFIERS.has(prev)) return null;
      if (prev === 'api') return 'API key';
      if ((prev && PRIVATE_KEY_WORDS.has(prev)) || rest.includes('pem')) return 'private key';
      return 'key';
    }
  }
  if (URL_WORDS.has(word) && i > 0 && w.slice(0, i).some(isDbWord)) {
    // `string`/`str` only after `connection`/`conn`, so `REDIS_STRING` stays out.
    if ((word === 'string' || word === 'str') && !w.slice(0, i).some((p) => p === 'connection' || p === 'conn')) return null;
    return 'connection URL';
  }
  return null;
}

/** Is the secret word at `i` cancelled by a descriptor after it or a "public" word before it? */
function cancelled(w: string[], i: number, kind: SecretKind): boolean {
  const after = w.slice(i + 1);
  // a webhook's URL is the webhook; a connection URL's own word is not a descriptor of itself
  const describes = after.some((a) => DESCRIPTORS.has(a) && !(kind === 'webhook' && (a === 'url' || a === 'uri')));
  if (describes) return true;
  return w.slice(0, i).some((b) => PUBLIC_BEFORE.has(b));
}

/** Narrow a generic kind by where the credential belongs (CI/registry first, then cloud). */
function refine(kind: SecretKind, w: string[]): SecretKind {
  const generic = kind === 'token' || kind === 'password' || kind === 'credential';
  if (generic && w.some((x) => CI_REGISTRY_WORDS.has(x))) return 'CI/registry token';
  const cloudable = generic || kind === 'key' || kind === 'API key' || kind === 'secret' || kind === 'private key';
  if (cloudable && w.some((x) => CLOUD_WORDS.has(x))) return 'cloud credential';
  return kind;
}

/**
 * The kind of secret a name looks like, or null when it does not look like one. Case-insensitive;
 * the last uncancelled secret word decides (it is usually the noun: `AWS_SECRET_ACCESS_KEY` → key).
 */
export function secretKind(name: string): SecretKind | null {
  const upper = name.toUpperCase();
  const exact = EXACT.get(upper);
  if (exact) return exact;
  if (PUBLIC_PREFIXES.some((p) => upper.startsWith(p))) return null;
  const w = nameWords(name);
  for (let i = w.length - 1; i >= 0; i--) {
    const kind = wordKind(w, i);
    if (kind && !cancelled(w, i, kind)) return refine(kind, w);
  }
  return null;
}

/** Does the name look like it holds a secret (token, key, password, credential, connection URL, …)? */
export function isSecretName(name: string): boolean {
  return secretKind(name) !== null;
}

/**
 * Names that half of npm reads: environment mode, colour, locale, home and temp folders, the shell,
 * CI detection flags and npm's own lifecycle hints. Reading only these is not a risk signal.
 */
const BENIGN_NAMES = new Set(
  [
    'NODE_ENV', 'BABEL_ENV', 'NODE_DEBUG', 'DEBUG', 'DEBUG_COLORS', 'DEBUG_DEPTH', 'DEBUG_HIDE_DATE', 'DEBUG_FD',
    'NODE_NO_WARNINGS', 'NODE_PENDING_DEPRECATION', 'NODE_DISABLE_COLORS', 'NODE_OPTIONS', 'NODE_PATH',
    'NO_COLOR', 'FORCE_COLOR', 'COLORTERM', 'TERM', 'TERM_PROGRAM', 'TERM_PROGRAM_VERSION', 'COLUMNS', 'LINES',
    'CI', 'CONTINUOUS_INTEGRATION', 'BUILD_NUMBER', 'RUN_ID', 'GITHUB_ACTIONS', 'GITLAB_CI', 'TRAVIS',
    'CIRCLECI', 'BUILDKITE', 'TF_BUILD', 'JENKINS_URL', 'TEAMCITY_VERSION', 'CODEBUILD_BUILD_ID',
    'HOME', 'USERPROFILE', 'HOMEDRIVE', 'HOMEPATH', 'PATH', 'PATHEXT', 'PWD', 'SHELL', 'COMSPEC', 'USER',
    'USERNAME', 'LOGNAME', 'HOSTNAME', 'EDITOR', 'VISUAL', 'BROWSER', 'PAGER',
    'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'LC_MESSAGES', 'TZ',
    'TMPDIR', 'TMP', 'TEMP', 'APPDATA', 'LOCALAPPDATA', 'PROGRAMDATA', 'PROGRAMFILES', 'SYSTEMROOT',
    'WINDIR', 'OS', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME',
    'XDG_RUNTIME_DIR', 'WSL_DISTRO_NAME',
    'JEST_WORKER_ID', 'VITEST', 'NODE_TEST_CONTEXT',
    'NPM_CONFIG_USER_AGENT', 'NPM_LIFECYCLE_EVENT', 'NPM_EXECPATH', 'NPM_NODE_EXECPATH', 'NPM_COMMAND',
  ],
);

/** Is this one of the ordinary settings most packages read (NODE_ENV, DEBUG, HOME, …)? Case-insensitive. */
export function isBenignName(name: string): boolean {
  return BENIGN_NAMES.has(name.toUpperCase());
}
