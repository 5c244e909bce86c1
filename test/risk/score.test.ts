// The scoring model as a table of packages built from Finding objects, plus properties every
// report must have (breakdown sums to the score, level matches its band, order is deterministic).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LEVELS, levelRank, type Finding, type Level, type PackageReport, type PackageUnit, type RuleId } from '../../src/model.js';
import { compareReports, levelForScore, scorePackage, summarize, WEIGHTS } from '../../src/risk/score.js';
import { packageUnit, structured } from '../helpers.js';

function unit(name: string, extra: Partial<PackageUnit> = {}): PackageUnit {
  return packageUnit({ name, path: `/repo/node_modules/${name}`, integrity: 'sha512-x', paths: [['app', name]], ...extra });
}

let col = 0;
function f(rule: RuleId, detail: string, file = 'lib/index.js', line = 1, extra: Partial<Finding> = {}): Finding {
  return structured({ rule, file, line, column: col++ % 7, detail, snippet: `/* ${detail} */`, ...extra });
}

const sum = (r: PackageReport): number => (r.scoreBreakdown ?? []).reduce((s, i) => s + i.points, 0);

interface Case {
  name: string;
  pkg: string;
  findings: Finding[];
  /** allowed levels */
  level: Level | Level[];
  score?: number;
  /** substrings the first (main) reason must contain */
  main?: string[];
  /** substrings some reason must contain */
  someReason?: string[];
}

const CASES: Case[] = [
  { name: 'no findings', pkg: 'left-pad', findings: [], level: 'none', score: 0 },
  {
    name: 'only NODE_ENV and DEBUG',
    pkg: 'chalk',
    findings: [f('env-read', 'NODE_ENV'), f('env-read', 'DEBUG', 'lib/debug.js', 4)],
    level: 'none',
    score: 0,
    main: ['reads only common settings', 'NODE_ENV'],
  },
  {
    name: 'ordinary non-secret names are capped',
    pkg: 'some-lib',
    findings: ['A_PORT', 'B_HOST', 'C_MODE', 'D_LEVEL', 'E_FLAG', 'F_FLAG'].map((n, i) => f('env-read', n, 'lib/a.js', i + 1)),
    level: 'low',
    score: WEIGHTS.envOtherCap,
  },
  {
    name: 'secret read alone',
    pkg: 'some-lib',
    findings: [f('env-read', 'AWS_SECRET_ACCESS_KEY', 'lib/upload.js', 12)],
    level: 'medium',
    main: ['AWS_SECRET_ACCESS_KEY', 'cloud credential', 'lib/upload.js:12'],
  },
  {
    name: 'AWS secret + network',
    pkg: 'some-lib',
    findings: [f('env-read', 'AWS_SECRET_ACCESS_KEY', 'lib/upload.js', 12), f('network', 'https', 'lib/upload.js', 40)],
    level: 'high',
    main: ['reads AWS_SECRET_ACCESS_KEY and can reach the network', 'lib/upload.js:12, lib/upload.js:40'],
  },
  {
    name: 'secret + child process',
    pkg: 'some-lib',
    findings: [f('env-read', 'NPM_TOKEN'), f('child-process', 'child_process', 'lib/run.js', 3)],
    level: 'high',
    main: ['NPM_TOKEN', 'start processes'],
  },
  {
    name: 'bulk + network',
    pkg: 'some-lib',
    findings: [f('env-bulk', 'JSON.stringify(process.env)', 'lib/t.js', 5), f('network', 'fetch', 'lib/t.js', 9)],
    level: 'high',
    main: ['whole environment', 'reach the network'],
  },
  {
    name: 'bulk alone outweighs a secret read',
    pkg: 'some-lib',
    findings: [f('env-bulk', 'Object.keys', 'lib/t.js', 5)],
    level: 'medium',
    score: WEIGHTS.envBulk,
  },
  {
    name: 'exfiltration of a secret',
    pkg: 'some-lib',
    findings: [
      f('env-read', 'AWS_SECRET_ACCESS_KEY', 'lib/x.js', 2),
      f('network', 'fetch', 'lib/x.js', 8),
      f('exfiltration', 'AWS_SECRET_ACCESS_KEY → fetch', 'lib/x.js', 8, {
        flow: { source: { detail: 'AWS_SECRET_ACCESS_KEY', line: 2, column: 0 }, sink: { detail: 'fetch', line: 8, column: 2 } },
      }),
    ],
    level: 'critical',
    main: ['AWS_SECRET_ACCESS_KEY flows into fetch', 'lib/x.js:8'],
  },
  {
    name: 'whole env exfiltration marked expected is still critical',
    pkg: 'some-lib',
    findings: [
      f('env-bulk', '{...process.env}', 'lib/x.js', 2),
      f('exfiltration', 'process.env → https.request', 'lib/x.js', 8, { expected: true, expectedReason: 'telemetry' }),
    ],
    level: 'critical',
    main: ['whole environment', 'https.request'],
  },
  {
    name: 'openai sending its own key: expected exfiltration is high, not critical',
    pkg: 'openai',
    findings: [
      f('env-read', 'OPENAI_API_KEY', 'core.js', 10),
      f('network', 'fetch', 'core.js', 50),
      f('exfiltration', 'OPENAI_API_KEY → fetch', 'core.js', 50, {
        flow: { source: { detail: 'OPENAI_API_KEY', line: 10, column: 0 }, sink: { detail: 'fetch', line: 50, column: 4 } },
      }),
    ],
    level: 'high',
    main: ['OPENAI_API_KEY flows into fetch', 'expected: the OpenAI SDK'],
  },
  {
    name: "a vendor's own plain setting carried in its request (FIREBASE_WEBAPP_CONFIG into the URL) is medium, not high",
    pkg: '@firebase/util',
    findings: [
      f('env-read', 'FIREBASE_WEBAPP_CONFIG', 'postinstall.js', 25),
      f('network', 'fetch', 'postinstall.js', 88),
      f('exfiltration', 'FIREBASE_WEBAPP_CONFIG → fetch url', 'postinstall.js', 88, {
        flow: { source: { detail: 'process.env.FIREBASE_WEBAPP_CONFIG', line: 25, column: 0 }, sink: { detail: 'fetch url', line: 88, column: 4, position: 'payload' } },
      }),
    ],
    level: 'medium',
  },
  {
    name: 'analyzer-marked expected exfiltration is high',
    pkg: 'openai',
    findings: [f('exfiltration', 'OPENAI_API_KEY → fetch', 'core.js', 50, { expected: true, expectedReason: 'its own API key' })],
    level: 'high',
    main: ['expected: its own API key'],
  },
  {
    name: 'a CI token is never expected for someone else, whatever the analyzer says',
    pkg: 'openai',
    findings: [f('exfiltration', 'GITHUB_TOKEN → fetch', 'core.js', 50, { expected: true, expectedReason: 'looks fine' })],
    level: 'critical',
  },
  {
    name: 'someone else\'s secret sent by a vendor SDK is critical',
    pkg: 'stripe',
    findings: [
      f('exfiltration', 'AWS_SECRET_ACCESS_KEY → https.request', 'lib/a.js', 3, {
        flow: { source: { detail: 'AWS_SECRET_ACCESS_KEY', line: 1, column: 0 }, sink: { detail: 'https.request', line: 3, column: 0 } },
      }),
    ],
    level: 'critical',
  },
  {
    name: 'stripe reading its own secret without network: expected, low',
    pkg: 'stripe',
    findings: [f('env-read', 'STRIPE_SECRET_KEY', 'lib/stripe.js', 10)],
    level: ['low', 'medium'],
    main: ['STRIPE_SECRET_KEY', 'expected: the Stripe SDK', 'lib/stripe.js:10'],
  },
  {
    name: 'vendor SDK reading its own key with network: no high floor',
    pkg: '@octokit/auth-action',
    findings: [f('env-read', 'GITHUB_TOKEN'), f('network', 'fetch', 'lib/b.js', 2)],
    level: ['low', 'medium'],
    someReason: ['expected: the GitHub API client'],
  },
  {
    name: 'someone else reading GITHUB_TOKEN with network: high',
    pkg: 'release-helper',
    findings: [f('env-read', 'GITHUB_TOKEN'), f('network', 'fetch', 'lib/b.js', 2)],
    level: 'high',
  },
  {
    name: 'unreachable-only findings stay at most low',
    pkg: 'some-lib',
    findings: [
      f('env-bulk', 'Object.keys', 'test/a.js', 1, { reachable: false }),
      f('env-read', 'AWS_SECRET_ACCESS_KEY', 'test/a.js', 2, { reachable: false }),
      f('network', 'fetch', 'test/a.js', 3, { reachable: false }),
      f('obfuscation', 'hex string array', 'examples/b.js', 1, { reachable: false }),
      f('credential-file', '~/.npmrc', 'examples/b.js', 5, { reachable: false }),
      f('exfiltration', 'AWS_SECRET_ACCESS_KEY → fetch', 'test/a.js', 3, { reachable: false }),
      f('child-process', 'child_process', 'test/a.js', 9, { reachable: false }),
    ],
    level: ['low', 'none'],
    someReason: ['(unreachable: no entry point loads it)'],
  },
  {
    name: 'unreachable secret read beside reachable network is not a combination',
    pkg: 'some-lib',
    findings: [f('env-read', 'NPM_TOKEN', 'test/a.js', 2, { reachable: false }), f('network', 'fetch', 'lib/a.js', 3)],
    level: 'low',
  },
  {
    name: 'install-time bulk + network: critical',
    pkg: 'some-lib',
    findings: [
      f('install-script', 'postinstall: node install.js', 'package.json', 1, { installTime: true }),
      f('env-bulk', 'JSON.stringify(process.env)', 'install.js', 4, { installTime: true }),
      f('network', 'https', 'install.js', 9, { installTime: true }),
    ],
    level: 'critical',
    main: ['at install time', 'whole environment', 'install.js:4'],
  },
  {
    name: 'install-time secret read + runtime-only network: high, not critical',
    pkg: 'some-lib',
    findings: [f('env-read', 'NPM_TOKEN', 'install.js', 4, { installTime: true }), f('network', 'https', 'lib/a.js', 9)],
    level: 'high',
  },
  {
    name: 'install script alone: low',
    pkg: 'esbuild',
    findings: [f('install-script', 'postinstall: node install.js', 'package.json', 1, { installTime: true })],
    level: 'low',
    main: ['install script'],
  },
  {
    name: 'obfuscation + env read + network: high (hiding a capability), not critical without a flow',
    pkg: 'some-lib',
    findings: [f('obfuscation', 'string-array obfuscation', 'dist/a.js', 1), f('env-read', 'HOSTNAME_X', 'dist/a.js', 1), f('network', 'http', 'dist/a.js', 1)],
    level: 'high',
    main: ['obfuscated code'],
  },
  {
    name: 'obfuscation + only NODE_ENV + network: high (hidden network use), not critical',
    pkg: 'some-lib',
    findings: [f('obfuscation', 'hex identifiers', 'dist/a.js', 1), f('env-read', 'NODE_ENV', 'dist/a.js', 1), f('network', 'http', 'dist/a.js', 1)],
    level: 'high',
  },
  {
    name: 'a plain setting flowing into a request body: medium (no secret), not critical',
    pkg: 'some-lib',
    findings: [
      f('env-read', 'AWS_REGION', 'lib/a.js', 2),
      f('network', 'https', 'lib/a.js', 1),
      { ...f('exfiltration', 'process.env.AWS_REGION (line 2) → https.request body (line 9)', 'lib/a.js', 9), flow: { source: { detail: 'process.env.AWS_REGION', line: 2, column: 0 }, sink: { detail: 'https.request body', line: 9, column: 0 } } },
    ],
    level: 'medium',
  },
  {
    name: 'install-time code that could not be analysed: medium',
    pkg: 'some-lib',
    findings: [
      { ...f('parse-error', 'skipped: file is 31.2 MB, over the 20 MB limit', 'setup.js', 1), installTime: true },
      { ...f('install-script', 'postinstall: node setup.js', 'package.json', 5), installTime: true },
    ],
    level: 'medium',
  },
  {
    name: 'decode-then-execute + eval: critical',
    pkg: 'some-lib',
    findings: [f('obfuscation', 'decode-then-execute: hex → vm.runInNewContext', 'lib/w.js', 7), f('eval', 'vm.runInNewContext of a non-constant string', 'lib/w.js', 12)],
    level: 'critical',
  },
  {
    name: 'install-time network + process (dropper): high',
    pkg: 'some-lib',
    findings: [
      { ...f('network', 'https', 'pre.js', 1), installTime: true },
      { ...f('child-process', 'child_process', 'pre.js', 2), installTime: true },
      { ...f('install-script', 'preinstall: node pre.js', 'package.json', 5), installTime: true },
    ],
    level: 'high',
  },
  {
    name: 'credential file + network: high',
    pkg: 'some-lib',
    findings: [f('credential-file', '~/.npmrc', 'lib/c.js', 3), f('network', 'https', 'lib/c.js', 20)],
    level: 'high',
    main: ['credential file ~/.npmrc', 'reach the network'],
  },
  {
    name: 'npm tooling reading .npmrc and its auth config with network: not high',
    pkg: 'npm-registry-fetch',
    findings: [f('credential-file', '~/.npmrc', 'lib/c.js', 3), f('env-read', 'npm_config__authToken', 'lib/auth.js', 5), f('network', 'https', 'lib/c.js', 20)],
    level: ['low', 'medium'],
    someReason: ['expected: npm tooling'],
  },
  {
    name: 'dotenv reading .env: expected, low',
    pkg: 'dotenv',
    findings: [f('credential-file', '.env', 'lib/main.js', 20)],
    level: 'low',
    main: ['expected: a dotenv-style loader'],
  },
  {
    name: 'dynamic key that looks like a token + network: high',
    pkg: 'some-lib',
    findings: [f('env-read-dynamic', 'process.env[`${p}_TOKEN`]', 'lib/d.js', 3), f('network', 'fetch', 'lib/d.js', 8)],
    level: 'high',
  },
  {
    name: 'plain dynamic key + network: medium',
    pkg: 'some-lib',
    findings: [f('env-read-dynamic', 'process.env[key]', 'lib/d.js', 3), f('network', 'fetch', 'lib/d.js', 8)],
    level: 'medium',
  },
  {
    name: 'parse error: tiny',
    pkg: 'some-lib',
    findings: [f('parse-error', 'Unexpected token', 'lib/weird.js', 1)],
    level: 'low',
    score: WEIGHTS.parseError,
  },
  {
    name: 'skipped oversize file: slightly more',
    pkg: 'some-lib',
    findings: [f('parse-error', 'skipped: file larger than 5 MB', 'dist/big.js', 1)],
    level: 'low',
    score: WEIGHTS.parseErrorSkipped,
  },
  {
    name: 'proxy variables are expected for any network client',
    pkg: 'got',
    findings: [f('env-read', 'HTTP_PROXY'), f('env-read', 'no_proxy'), f('network', 'http', 'lib/a.js', 2)],
    level: 'low',
    someReason: ['expected: proxy settings'],
  },
  {
    name: 'reading only proxy variables: expected, none',
    pkg: 'proxy-from-env',
    findings: [f('env-read', 'HTTPS_PROXY'), f('env-read', 'npm_config_proxy', 'index.js', 3), f('env-read', 'no_proxy', 'index.js', 4)],
    level: 'none',
    score: 0,
    main: ['expected: proxy settings'],
  },
  {
    name: 'a vendor SDK reading only its ordinary settings: none',
    pkg: '@sentry/node',
    findings: [f('env-read', 'SENTRY_RELEASE'), f('env-read', 'SENTRY_ENVIRONMENT', 'lib/b.js', 2)],
    level: 'none',
    score: 0,
    main: ['expected: the Sentry SDK'],
  },
  {
    name: 'an unreachable secret read alone: low, and says so',
    pkg: 'some-lib',
    findings: [f('env-read', 'NPM_TOKEN', 'test/publish.test.js', 7, { reachable: false })],
    level: 'low',
    main: ['NPM_TOKEN', '(unreachable: no entry point loads it)', 'test/publish.test.js:7'],
  },
  {
    name: 'writing NODE_TLS_REJECT_UNAUTHORIZED weighs more than an ordinary write',
    pkg: 'some-lib',
    findings: [f('env-write', 'NODE_TLS_REJECT_UNAUTHORIZED', 'lib/a.js', 2)],
    level: 'low',
    score: WEIGHTS.envWriteSensitive,
  },
  {
    name: 'many capabilities sum past the high band: still high without evidence of theft',
    pkg: 'some-lib',
    findings: [
      f('env-bulk', 'Object.entries', 'a.js', 1),
      f('network', 'net', 'a.js', 2),
      f('child-process', 'exec', 'a.js', 3),
      f('eval', 'new Function', 'a.js', 4),
      f('credential-file', '~/.ssh/id_rsa', 'a.js', 5),
    ],
    level: 'high',
  },
  {
    name: 'ownership: a vendor key as authentication to its own constant host is high and says so',
    pkg: 'ai-review-cli',
    findings: [f('env-read', 'OPENAI_API_KEY', 'lib/a.js', 2), f('network', 'fetch', 'lib/a.js', 9), { ...f('exfiltration', `process.env.OPENAI_API_KEY (line 2) → fetch headers (line 9)`, 'lib/a.js', 9), flow: { source: { detail: 'process.env.OPENAI_API_KEY', line: 2, column: 0 }, sink: { detail: 'fetch headers', line: 9, column: 0, position: 'auth', hosts: ['api.openai.com'], destinationEnv: ['OPENAI_BASE_URL'] } } }],
    level: 'high',
    main: ['sends OPENAI_API_KEY to api.openai.com (its own service)'],
  },
  {
    name: 'ownership: the reserved .example stand-in of the vendor domain counts as its own',
    pkg: 'blob-upload-lite',
    findings: [f('env-read', 'BLOB_READ_WRITE_TOKEN', 'lib/a.js', 2), { ...f('exfiltration', `process.env.BLOB_READ_WRITE_TOKEN (line 2) → XMLHttpRequest header (line 9)`, 'lib/a.js', 9), flow: { source: { detail: 'process.env.BLOB_READ_WRITE_TOKEN', line: 2, column: 0 }, sink: { detail: 'XMLHttpRequest header', line: 9, column: 0, position: 'auth', hosts: ['vercel.example'], destinationEnv: ['VERCEL_BLOB_API_URL'] } } }],
    level: 'high',
    main: ['(its own service)'],
  },
  {
    name: "ownership: a base URL from the vendor's own setting is its own service",
    pkg: 'x',
    findings: [f('env-read', 'VAULT_TOKEN', 'lib/a.js', 2), { ...f('exfiltration', `process.env.VAULT_TOKEN (line 2) → https.request headers (line 9)`, 'lib/a.js', 9), flow: { source: { detail: 'process.env.VAULT_TOKEN', line: 2, column: 0 }, sink: { detail: 'https.request headers', line: 9, column: 0, position: 'auth', hosts: [], destinationEnv: ['VAULT_ADDR'] } } }],
    level: 'high',
    main: ['its own service'],
  },
  {
    name: 'ownership: the same key to a foreign constant host is critical',
    pkg: 'openai',
    findings: [f('env-read', 'OPENAI_API_KEY', 'lib/a.js', 2), f('network', 'fetch', 'lib/a.js', 9), { ...f('exfiltration', `process.env.OPENAI_API_KEY (line 2) → fetch headers (line 9)`, 'lib/a.js', 9), flow: { source: { detail: 'process.env.OPENAI_API_KEY', line: 2, column: 0 }, sink: { detail: 'fetch headers', line: 9, column: 0, position: 'auth', hosts: ['relay.attacker.invalid'], destinationEnv: [] } } }],
    level: 'critical',
    main: ['not its own service'],
  },
  {
    name: 'ownership: a worm posting a token in a payload to the vendor host is still critical',
    pkg: 'gh-token-sync',
    findings: [
      { ...f('exfiltration', `process.env.GITHUB_TOKEN (line 2) → https.request headers (line 9)`, 'lib/a.js', 9), flow: { source: { detail: 'process.env.GITHUB_TOKEN', line: 2, column: 0 }, sink: { detail: 'https.request headers', line: 9, column: 0, position: 'auth', hosts: ['api.github.com'], destinationEnv: [] } } },
      { ...f('exfiltration', 'process.env.NPM_TOKEN (line 3) → https.request body (line 9)', 'lib/a.js', 9), flow: { source: { detail: 'process.env.NPM_TOKEN', line: 3, column: 0 }, sink: { detail: 'https.request body', line: 9, column: 0, position: 'payload', hosts: ['api.github.com'] } } },
    ],
    level: 'critical',
  },
  {
    name: 'ownership: a credential to a destination set at runtime (not the vendor setting) is high, not critical',
    pkg: 'x',
    findings: [{ ...f('exfiltration', `process.env.OPENAI_API_KEY (line 2) → fetch headers (line 9)`, 'lib/a.js', 9), flow: { source: { detail: 'process.env.OPENAI_API_KEY', line: 2, column: 0 }, sink: { detail: 'fetch headers', line: 9, column: 0, position: 'auth', hosts: [], destinationEnv: ['MY_PROXY_URL'] } } }],
    level: 'high',
    main: ['destination set at runtime'],
  },
  {
    name: 'hidden code that sends the whole environment is critical and says it is hidden',
    pkg: 'env-snapshot-worker',
    findings: [
      { ...f('obfuscation', 'encoded payload: 464-character base64 literal decodes to code', 'lib/index.js', 3), embeddedAs: 'lib/index.js#embedded@3' },
      { ...f('exfiltration', 'process.env (line 4) → https.request body (line 7)', 'lib/index.js#embedded@3', 7), hidden: true, origin: 'constant decoded from base64 at lib/index.js:3', flow: { source: { detail: 'process.env', line: 4, column: 0 }, sink: { detail: 'https.request body', line: 7, column: 0, position: 'payload' } } },
    ],
    level: 'critical',
    main: ['hidden code'],
  },
  {
    name: 'an encoded worker script analysed as embedded code weighs by what it does (network only: low)',
    pkg: 'worker-embed-sdk',
    findings: [
      { ...f('obfuscation', 'encoded payload: 892-character base64 literal decodes to code', 'lib/index.js', 3), embeddedAs: 'lib/index.js#embedded@3' },
      { ...f('network', 'https', 'lib/index.js#embedded@3', 4), hidden: true },
    ],
    level: 'low',
  },
  {
    name: 'points alone never pass medium: secret read, bulk read, dynamic reads and writes without a way out',
    pkg: 'x',
    findings: [
      f('env-bulk', 'Object.keys(process.env)', 'a.js', 1),
      f('env-read', 'DOTENV_KEY', 'a.js', 2),
      f('env-read-dynamic', 'process.env[k]', 'a.js', 3),
      f('env-write', 'NODE_OPTIONS', 'a.js', 4),
      f('eval', 'new Function', 'a.js', 5),
      f('dynamic-require', 'require(x)', 'a.js', 6),
    ],
    level: 'medium',
  },
  {
    name: 'obfuscation next to a computed require names that capability (no "can undefined")',
    pkg: 'x',
    findings: [
      f('obfuscation', "hidden name: assembled name 'child_process'", 'a.js', 1),
      f('dynamic-require', 'require(x)', 'a.js', 2),
    ],
    level: 'high',
    main: ['load modules by computed name'],
  },
];

for (const c of CASES) {
  test(`score: ${c.name}`, () => {
    const r = scorePackage(unit(c.pkg), c.findings);
    const levels = Array.isArray(c.level) ? c.level : [c.level];
    assert.ok(levels.includes(r.level), `level ${r.level} (score ${r.score}) not in ${levels.join('/')}; reasons: ${r.reasons.join(' | ')}`);
    if (c.score !== undefined) assert.equal(r.score, c.score);
    assert.equal(r.level, levelForScore(r.score));
    if (r.score < 100) assert.equal(sum(r), r.score, 'breakdown sums to the score');
    if (r.score > 0) assert.ok(r.reasons.length > 0, 'a scored package has reasons');
    for (const x of r.reasons) assert.ok(!/\bundefined\b/.test(x), `a reason with a missing value: ${x}`);
    for (const s of c.main ?? []) assert.ok(r.reasons[0]?.includes(s), `main reason "${r.reasons[0]}" should contain "${s}"`);
    for (const s of c.someReason ?? []) assert.ok(r.reasons.some((x) => x.includes(s)), `some reason should contain "${s}": ${r.reasons.join(' | ')}`);
    for (const item of r.scoreBreakdown ?? []) {
      assert.ok(item.points > 0, 'no empty items');
      assert.ok(c.findings.some((x) => x.rule === item.rule && x.file === item.file && x.line === item.line), `item tied to a finding: ${item.reason}`);
    }
  });
}

test('env summary, capabilities and contract fields', () => {
  const u = unit('some-lib', { warnings: ['broken bin'] });
  const r = scorePackage(u, [
    f('env-read', 'NPM_TOKEN', 'b.js', 1),
    f('env-read', 'NODE_ENV', 'a.js', 1),
    f('env-read', 'NPM_TOKEN', 'a.js', 3),
    f('env-read-dynamic', 'process.env[k]', 'a.js', 4),
    f('env-write', 'FOO', 'a.js', 5),
    f('env-write', 'BAR', 'a.js', 6),
    f('exfiltration', 'NPM_TOKEN → fetch', 'a.js', 7),
    f('install-script', 'postinstall', 'package.json', 1),
  ]);
  assert.deepEqual(r.env, { reads: ['NODE_ENV', 'NPM_TOKEN'], secretReads: ['NPM_TOKEN'], dynamic: true, bulk: false, writes: ['BAR', 'FOO'] });
  // exfiltration alone does not invent network: no network finding, no network capability
  assert.deepEqual(r.capabilities, ['env', 'install_script']);
  assert.equal(r.name, 'some-lib');
  assert.equal(r.location, 'node_modules/some-lib');
  assert.deepEqual(r.paths, [['app', 'some-lib']]);
  assert.equal(r.integrity, 'sha512-x');
  assert.deepEqual(r.warnings, ['broken bin']);
});

test('findings are sorted (file, line, column, rule) and the output is deterministic', () => {
  const findings = [
    f('network', 'fetch', 'lib/b.js', 3, { column: 1 }),
    f('env-read', 'AWS_SECRET_ACCESS_KEY', 'lib/a.js', 10, { column: 0 }),
    f('env-read', 'FOO_BAR', 'lib/a.js', 2, { column: 5 }),
    f('child-process', 'exec', 'lib/a.js', 2, { column: 5 }),
    f('env-read', 'NPM_TOKEN', 'lib/a.js', 2, { column: 1 }),
  ];
  const a = scorePackage(unit('x-lib'), findings);
  const b = scorePackage(unit('x-lib'), [...findings].reverse());
  assert.deepEqual(a, b);
  assert.deepEqual(
    a.findings.map((x) => `${x.file}:${x.line}:${x.column}:${x.rule}`),
    ['lib/a.js:2:1:env-read', 'lib/a.js:2:5:child-process', 'lib/a.js:2:5:env-read', 'lib/a.js:10:0:env-read', 'lib/b.js:3:1:network'],
  );
});

test('scorePackage does not mutate its input; expected findings are marked in the output', () => {
  const input = [f('env-read', 'STRIPE_SECRET_KEY', 'a.js', 1)];
  const copy = structuredClone(input);
  const r = scorePackage(unit('stripe'), input);
  assert.deepEqual(input, copy);
  assert.equal(r.findings[0].expected, true);
  assert.match(r.findings[0].expectedReason ?? '', /Stripe/);
});

/** A small seeded PRNG so the property test is reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const TEMPLATES: [RuleId, string][] = [
  ['env-read', 'NODE_ENV'], ['env-read', 'AWS_SECRET_ACCESS_KEY'], ['env-read', 'NPM_TOKEN'], ['env-read', 'MY_PORT'],
  ['env-read', 'OPENAI_API_KEY'], ['env-read', 'HTTP_PROXY'], ['env-read', 'OTHER_SETTING'], ['env-read', 'DATABASE_URL'],
  ['env-read-dynamic', 'process.env[`${x}_SECRET`]'], ['env-read-dynamic', 'process.env[k]'], ['env-bulk', 'Object.keys'],
  ['env-write', 'PATH'], ['env-write', 'FOO'], ['network', 'fetch'], ['child-process', 'exec'],
  ['credential-file', '~/.npmrc'], ['credential-file', '.env'], ['credential-file', '~/.ssh/id_rsa'], ['eval', 'eval'],
  ['dynamic-require', 'require(x)'], ['obfuscation', 'hex array'], ['install-script', 'postinstall'],
  ['exfiltration', 'OPENAI_API_KEY → fetch'], ['exfiltration', 'process.env → exec'], ['parse-error', 'Unexpected token'],
  ['parse-error', 'skipped: too large'],
];
const PKGS = ['openai', 'dotenv', 'some-lib', 'npm-registry-fetch', 'got'];

test('property: breakdown sums to the score, level matches band, unreachable-only ≤ low, deterministic', () => {
  const next = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  for (let n = 0; n < 2000; n++) {
    const count = Math.floor(next() * 9);
    const findings: Finding[] = [];
    for (let i = 0; i < count; i++) {
      const [rule, detail] = pick(TEMPLATES);
      findings.push({
        rule,
        detail,
        file: pick(['a.js', 'b.js', 'test/c.js']),
        line: 1 + Math.floor(next() * 30),
        column: Math.floor(next() * 5),
        snippet: '',
        ...(next() < 0.3 ? { reachable: false } : {}),
        ...(next() < 0.2 ? { installTime: true } : {}),
        ...(next() < 0.1 ? { expected: true } : {}),
      });
    }
    const u = unit(pick(PKGS));
    const r = scorePackage(u, findings);
    assert.ok(r.score >= 0 && r.score <= 100);
    assert.equal(r.level, levelForScore(r.score));
    if (r.score < 100) assert.equal(sum(r), r.score, JSON.stringify(r.scoreBreakdown));
    if (findings.length && findings.every((x) => x.reachable === false)) {
      assert.ok(levelRank(r.level) <= levelRank('low'), `unreachable-only went ${r.level}`);
    }
    assert.deepEqual(scorePackage(u, [...findings].reverse()), r);
    // re-scoring a report's own findings (the policy stage does) changes nothing
    assert.deepEqual(scorePackage(u, r.findings), r);
  }
});

test('compareReports: score desc, then name, then version', () => {
  const mk = (name: string, version: string, score: number): PackageReport =>
    ({ ...scorePackage(unit(name, { version }), []), score });
  const sorted = [mk('b', '1.0.0', 10), mk('a', '1.10.0', 10), mk('a', '1.9.0', 10), mk('z', '1.0.0', 90), mk('c', '1.0.0', 0)].sort(compareReports);
  assert.deepEqual(sorted.map((r) => `${r.name}@${r.version}`), ['z@1.0.0', 'a@1.9.0', 'a@1.10.0', 'b@1.0.0', 'c@1.0.0']);
});

test('summarize counts every level', () => {
  const reports = [
    scorePackage(unit('a'), []),
    scorePackage(unit('b'), [f('install-script', 'postinstall', 'package.json', 1)]),
    scorePackage(unit('c'), [f('env-bulk', 'Object.keys'), f('network', 'fetch')]),
  ];
  const { byLevel } = summarize(reports);
  assert.deepEqual(Object.keys(byLevel).sort(), [...LEVELS].sort());
  assert.deepEqual(byLevel, { critical: 0, high: 1, medium: 0, low: 1, none: 1 });
});
