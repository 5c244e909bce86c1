// End to end on the hostile tree: fixtures/hostile/ copied to a temp folder, plus what is generated
// at test time (tree.ts): a 30 MB file, a 10 MB one-line bundle, 19 files nested 50,000 deep,
// binary and invalid UTF-8 files, symlink loops, links out of the package and out of the project,
// FIFOs and /dev/zero links where .js files, package.json and binding.gyp should be, a path longer
// than PATH_MAX, and file names, package names, env names and snippets full of terminal escapes,
// bidi overrides and newlines.
//
// One guarded scan in a child process writes every format at once (table with colour forced on,
// --json, --sarif, --markdown, GitHub annotations and step summary); the later runs (explain, the
// plain table, --fail-on) read the result cache the first one wrote, so the tree is analysed once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Finding, PackageReport, Report } from '../../src/model.js';
import { validateReport, validateSarif } from '../report/validate.js';
import { buildHostileTree, deepSources, OUTSIDE_MARKER, writeDenseBundle, type HostileTree } from './tree.js';
import { runGuarded, writeGuard, type Guard } from './guard.js';
import { filesUnder, markdownProblems, markerHits, outputProblems } from './output-checks.js';

/**
 * The bound on the first (uncached) scan, and why: it takes ~10-20 s on a 2-core machine, about
 * 20 s of CPU shared by two workers, most of it the 10 MB bundle (~4 s) and the 19 files nested
 * 50,000 deep (~1 s each). A hang would instead stop at the per-file limit (--file-timeout 60 here)
 * once per stuck file, or never end without one, so a single stuck file already costs 60 s. 120 s
 * leaves a loaded CI runner several times the normal time and still fails on any two stuck files.
 */
const SCAN_BOUND_MS = 120_000;
/** Later runs read the cache: tree load, file selection and rendering only. */
const CACHED_BOUND_MS = 30_000;

/** Fake secrets in the CLI's own environment: none may show up anywhere. */
const SECRETS: Record<string, string> = {
  NPM_TOKEN: 'npm_FAKE_SECRET_4b1d7e0c9a',
  GITHUB_TOKEN: 'ghp_FAKE_SECRET_9a2c5f11e3',
  AWS_SECRET_ACCESS_KEY: 'FAKE_AWS_SECRET_7e11c3d0b8',
  NODE_AUTH_TOKEN: 'FAKE_NODE_AUTH_5c0ffee42',
};
const MARKERS = [...Object.values(SECRETS), OUTSIDE_MARKER];

let tree: HostileTree;
let guard: Guard;
let out: string;
let cacheDir: string;
let report: Report;
let main: ReturnType<typeof runGuarded>;
const texts: Record<string, Buffer> = {};

function file(name: string): string {
  return path.join(out, name);
}

function pkgAt(location: string): PackageReport {
  assert.ok(report, 'no JSON report: see the first test');
  const p = report.packages.find((x) => x.location === location);
  assert.ok(p, `no package at ${location}; have ${report.packages.map((x) => x.location).join(', ')}`);
  return p;
}

function findingsOf(location: string, fileName?: string): Finding[] {
  return pkgAt(location).findings.filter((f) => fileName === undefined || f.file === fileName);
}

function warningsAbout(location: string): string {
  assert.ok(report, 'no JSON report: see the first test');
  return (report.warnings ?? []).filter((w) => w.includes(location.replace(/^node_modules\//, ''))).join('\n');
}

function baseEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { ...SECRETS, ENV_AUDIT_EXEC_MARKER: file('exec-marker-ran'), ...extra };
}

before(() => {
  tree = buildHostileTree();
  out = path.join(tree.base, 'out');
  cacheDir = path.join(tree.base, 'cache');
  fs.mkdirSync(out);
  guard = writeGuard(out, { trees: [tree.root, tree.outside], secrets: Object.keys(SECRETS) });
  main = runGuarded(
    guard,
    ['scan', tree.root, '--json', file('r.json'), '--sarif', file('r.sarif'), '--markdown', file('r.md'), '--cache-dir', cacheDir, '--file-timeout', '60'],
    {
      env: baseEnv({
        NO_COLOR: undefined,
        FORCE_COLOR: '1',
        GITHUB_ACTIONS: 'true',
        GITHUB_STEP_SUMMARY: file('step-summary.md'),
      }),
      timeoutMs: SCAN_BOUND_MS + 10_000,
    },
  );
  texts['scan stdout'] = main.stdout;
  texts['scan stderr'] = main.stderr;
  for (const f of ['r.json', 'r.sarif', 'r.md', 'step-summary.md']) if (fs.existsSync(file(f))) texts[f] = fs.readFileSync(file(f));
  if (texts['r.json']) report = JSON.parse(texts['r.json'].toString('utf8')) as Report;
});

after(() => tree?.cleanup());

describe('the hostile tree, end to end', () => {
  test('scans in a child process within the bound, exits 0, and writes every report', (t) => {
    t.diagnostic(`first scan: ${Math.round(main.ms)} ms (bound ${SCAN_BOUND_MS} ms)`);
    assert.equal(main.error, undefined, `the scan did not finish within ${SCAN_BOUND_MS + 10_000} ms: ${main.error?.message}`);
    assert.equal(main.status, 0, `exit ${main.status} signal ${main.signal}\n${main.stderr.toString().slice(0, 3000)}`);
    assert.ok(main.ms < SCAN_BOUND_MS, `took ${Math.round(main.ms)} ms, bound ${SCAN_BOUND_MS} ms`);
    for (const f of ['r.json', 'r.sarif', 'r.md', 'step-summary.md']) assert.ok(texts[f]?.length, `${f} was not written`);
  });

  test('the JSON report and the SARIF log are schema-valid', () => {
    assert.deepEqual(validateReport(report), []);
    assert.deepEqual(validateSarif(JSON.parse(texts['r.sarif'].toString('utf8'))), []);
    assert.equal(report.summary.packages, report.packages.length);
  });

  test('syntax error: a parse-error finding for the file, the rest of the package still analysed', () => {
    const pe = findingsOf('node_modules/syntax-error', 'index.js').filter((f) => f.rule === 'parse-error');
    assert.equal(pe.length, 1);
    assert.ok(pe[0].line > 1 && pe[0].detail.length > 0, JSON.stringify(pe[0]));
    assert.ok(pkgAt('node_modules/syntax-error').env.reads.includes('NPM_TOKEN'), 'lib/token.js was analysed');
  });

  test('package.json that is not JSON, and a folder without one: a warning each, files still scanned', () => {
    assert.match(warningsAbout('node_modules/bad-package-json'), /node_modules\/bad-package-json: package\.json is not valid JSON \(.+\); scanned without it/);
    assert.ok(pkgAt('node_modules/bad-package-json').env.reads.includes('AWS_REGION'));
    assert.match(warningsAbout('node_modules/no-package-json'), /node_modules\/no-package-json: folder has no package\.json; its files are scanned anyway/);
    assert.ok(pkgAt('node_modules/no-package-json').env.reads.includes('GITHUB_TOKEN'));
  });

  test('an empty package is listed, with nothing to report', () => {
    const p = pkgAt('node_modules/empty-package');
    assert.equal(p.files, 0);
    assert.deepEqual(p.findings, []);
    assert.equal(p.level, 'none');
  });

  test('50,000-deep nesting: every file gets its env read, or a parse-error saying it is too deep', () => {
    // Too deep for the stack is a fair answer (the parser or walker says so); running out of
    // memory or time is not: that is a superlinear path in the analyser.
    for (const f of tree.deepFiles) {
      const fs_ = findingsOf('node_modules/deep-nesting', f);
      const ok = fs_.some((x) => x.rule === 'env-read' || x.rule === 'env-read-dynamic') ||
        fs_.some((x) => x.rule === 'parse-error' && /stack/i.test(x.detail));
      assert.ok(ok, `${f}: ${JSON.stringify(fs_.map((x) => `${x.rule}: ${x.detail.slice(0, 100)}`))}`);
    }
    const analysed = tree.deepFiles.filter((f) => findingsOf('node_modules/deep-nesting', f).some((x) => x.rule !== 'parse-error'));
    assert.ok(analysed.length >= tree.deepFiles.length / 2, `only ${analysed.join(', ')} analysed: on a worker's 64 MB stack most of them parse`);
  });

  test('a 30 MB file is skipped with its size and the limit; the other files are analysed', () => {
    const pe = findingsOf('node_modules/huge-file', 'index.js');
    assert.equal(pe.length, 1);
    assert.equal(pe[0].rule, 'parse-error');
    assert.match(pe[0].detail, /^skipped: file is 30(\.\d)? MB, over the 20 MB limit$/);
    assert.ok(pkgAt('node_modules/huge-file').env.reads.includes('HUGE_SMALL_TOKEN'));
  });

  test('a 10 MB one-line bundle is analysed: windowed snippets, capped findings', () => {
    const fs_ = findingsOf('node_modules/one-line-bundle', 'index.js');
    const pe = fs_.filter((f) => f.rule === 'parse-error');
    assert.deepEqual(pe.map((f) => f.detail), [], 'the bundle was not analysed');
    const p = pkgAt('node_modules/one-line-bundle');
    assert.ok(p.env.reads.some((r) => r.startsWith('BUNDLE_TOKEN_')), JSON.stringify(p.env));
    assert.ok(fs_.some((f) => f.rule === 'env-bulk' || f.rule === 'exfiltration'), 'JSON.stringify(process.env) into a request');
    const perRule = new Map<string, number>();
    for (const f of fs_) {
      perRule.set(f.rule, (perRule.get(f.rule) ?? 0) + 1);
      assert.equal(f.line, 1);
      assert.ok(f.snippet.length <= 200, `a ${f.snippet.length}-character snippet from a one-line file`);
    }
    for (const [rule, n] of perRule) assert.ok(n <= 50, `${n} ${rule} findings in one file`);
  });

  test('binary index.js and a mostly-control-bytes file: skipped as binary, by name', () => {
    assert.equal(findingsOf('node_modules/binary-index', 'index.js')[0]?.detail, 'skipped: binary file');
    assert.equal(findingsOf('node_modules/binary-index', 'lib/mostly-control.js')[0]?.detail, 'skipped: binary file');
  });

  test('invalid UTF-8: analysed where it only sits in strings and comments, a parse error where it is code', () => {
    const p = pkgAt('node_modules/invalid-utf8');
    for (const name of ['INVALID_UTF8_TOKEN', 'BOM_TOKEN', 'TRUNCATED_TOKEN']) assert.ok(p.env.reads.includes(name), name);
    assert.equal(findingsOf('node_modules/invalid-utf8', 'lib/ident.js')[0]?.rule, 'parse-error');
    assert.equal(findingsOf('node_modules/invalid-utf8', 'lib/utf16.js')[0]?.detail, 'skipped: binary file');
  });

  test('symlink loops: a warning each, the real file analysed once', () => {
    const w = warningsAbout('symlink-loop');
    for (const name of ['a.js', 'b.js', 'self.js']) assert.match(w, new RegExp(`symlink-loop \\(node_modules/symlink-loop\\): ${name.replace('.', '\\.')} is a symlink loop; skipped`));
    assert.deepEqual([...new Set(findingsOf('node_modules/symlink-loop').map((f) => f.file))], ['lib/real.js']);
  });

  test('links out of the package are not followed, each with a warning', () => {
    const w = warningsAbout('symlink-outside');
    for (const name of ['index.js', 'outside-dir', 'root-link', 'etc', 'environ.js', 'zero.js', 'node-modules-link', 'project-link', 'sibling.js']) {
      assert.match(w, new RegExp(`\\(node_modules/symlink-outside\\): ${name.replace('.', '\\.')} links outside the package \\(.+\\); not followed`), name);
    }
    assert.deepEqual([...new Set(findingsOf('node_modules/symlink-outside').map((f) => f.file))], ['lib/own.js']);
  });

  test('links out of the project: a linked package folder is scanned; /, /etc and the project parent are not', () => {
    const linked = report.packages.find((p) => p.name === 'linked-pkg');
    assert.ok(linked?.env.reads.includes('LINKED_PKG_TOKEN'), 'npm-link style package outside the tree is scanned');
    for (const name of ['link-to-root', 'link-to-etc', 'link-to-parent']) {
      assert.match((report.warnings ?? []).join('\n'), new RegExp(`node_modules/${name}: symlink to .+, outside the project and not a package folder; skipped`), name);
      assert.ok(!report.packages.some((p) => p.location === `node_modules/${name}`), name);
    }
    assert.ok(report.summary.files < 200, `${report.summary.files} files: a link was walked`);
  });

  test('paths that cannot be read: a FIFO, a link to it, a dangling link, an over-long path, mode 000', (t) => {
    const w = warningsAbout('unreadable-files');
    if (tree.fifo) assert.match(w, /\(node_modules\/unreadable-files\): y\.js is not a regular file \(fifo\); skipped/);
    else t.diagnostic('mkfifo missing: FIFO case not run');
    assert.match(w, /w\.js links to something that is not a regular file; skipped/);
    assert.match(w, /z\.js is a dangling symlink; skipped/);
    if (tree.longPath) assert.match(w, /cannot read folder long\/a+\/.*\(ENAMETOOLONG\); skipped/);
    const reads = pkgAt('node_modules/unreadable-files').env.reads;
    assert.ok(reads.includes('DIR_NAMED_JS_TOKEN'), 'a folder named x.js is walked like any folder');
    if (tree.root_user) {
      // root reads mode-000 files: they are simply analysed
      assert.ok(reads.includes('MODE_000_TOKEN') && reads.includes('LOCKED_DIR_TOKEN'), JSON.stringify(reads));
    } else {
      assert.match(w, /cannot read secret\.js \(permission denied\); skipped/);
      assert.match(w, /cannot read folder locked \(EACCES\); skipped/);
    }
  });

  test('package.json, binding.gyp or a nested package.json that is a FIFO or /dev/zero: never read, a warning each', () => {
    const w = (report.warnings ?? []).join('\n');
    assert.match(w, /node_modules\/zero-package-json: package\.json is a device, not a file; not scanned/);
    if (tree.fifo) assert.match(w, /node_modules\/fifo-package-json: package\.json is a FIFO, not a file; not scanned/);
    assert.match(w, /special-files \(node_modules\/special-files\): lib\/package\.json is a device, not a file; using the package's type/);
    const p = pkgAt('node_modules/special-files');
    assert.ok(p.env.reads.includes('SPECIAL_PKG_TOKEN') && p.env.reads.includes('SPECIAL_LIB_TOKEN'), JSON.stringify(p.env.reads));
  });

  test('hostile names survive as data in the JSON (escaped bytes, exact strings)', () => {
    const p = pkgAt('node_modules/ansi-inject');
    assert.ok(p.name.includes('\x1b[31m') && p.name.includes('\u202e'), JSON.stringify(p.name));
    for (const name of ['\x1b[31mRED_TOKEN\x1b[0m', '\x1b]0;pwned\x07TITLE_SECRET', 'LINE1\nLINE2\r\n::error file=package.json::forged', 'ADMIN\u202e_NEKOT\u2066']) {
      assert.ok(p.env.reads.includes(name), `${JSON.stringify(name)} not in ${JSON.stringify(p.env.reads)}`);
    }
    const files = new Set(p.findings.map((f) => f.file));
    for (const f of tree.hostileNames) assert.ok(files.has(f), `no finding in ${JSON.stringify(f)}`);
    assert.ok(p.findings.some((f) => f.rule === 'install-script'));
  });

  test('no raw control, bidi or separator character from the tree in any output; ESC only as our colours', () => {
    const problems = [
      ...outputProblems('table + annotations (stdout, FORCE_COLOR=1)', texts['scan stdout'], { sgr: true }),
      ...outputProblems('stderr', texts['scan stderr']),
      ...outputProblems('--json', texts['r.json']),
      ...outputProblems('--sarif', texts['r.sarif']),
      ...outputProblems('--markdown', texts['r.md']),
      ...outputProblems('step summary', texts['step-summary.md']),
    ];
    assert.deepEqual(problems, []);
    assert.ok(texts['scan stdout'].includes('\x1b['), 'colour was on: the SGR check saw colour sequences');
  });

  test('GitHub annotations: one well-formed line per package at or above high, nothing forged', () => {
    const lines = texts['scan stdout'].toString('utf8').split('\n').filter((l) => l.startsWith('::'));
    const expected = report.packages.filter((p) => p.level === 'critical' || p.level === 'high').length;
    assert.ok(expected > 0 && expected <= 10, String(expected));
    assert.equal(lines.length, expected);
    for (const l of lines) assert.match(l, /^::(error|warning|notice) file=[^,:]*,line=\d+,col=\d+,title=[^:,]*::/, l.slice(0, 200));
  });

  test('Markdown: package text can open no HTML, link or image', () => {
    for (const name of ['r.md', 'step-summary.md']) {
      const md = texts[name].toString('utf8');
      assert.deepEqual(markdownProblems(name, md), []);
      assert.ok(md.includes('MD\\_INJECT\\_TOKEN'), `${name} lists md-inject`);
      assert.ok(md.includes('ansi-inject') && md.includes('<img src=x'), `${name} shows the hostile package and its snippet, as text`);
    }
  });

  test('explain, the plain table and --fail-on read the cache, stay escaped, and exit 0/1 by the findings', () => {
    const hostileName = pkgAt('node_modules/ansi-inject').name;
    const runs = {
      explain: runGuarded(guard, ['explain', hostileName, tree.root, '--cache-dir', cacheDir], { env: baseEnv({ NO_COLOR: undefined, FORCE_COLOR: '1' }), timeoutMs: CACHED_BOUND_MS }),
      'plain table --all': runGuarded(guard, ['scan', tree.root, '--all', '--cache-dir', cacheDir], { env: baseEnv(), timeoutMs: CACHED_BOUND_MS }),
      '--fail-on low': runGuarded(guard, ['scan', tree.root, '--fail-on', 'low', '--quiet', '--cache-dir', cacheDir], { env: baseEnv(), timeoutMs: CACHED_BOUND_MS }),
      '--fail-on high': runGuarded(guard, ['scan', tree.root, '--fail-on', 'high', '--cache-dir', cacheDir], { env: baseEnv(), timeoutMs: CACHED_BOUND_MS }),
    };
    for (const [name, r] of Object.entries(runs)) {
      assert.equal(r.error, undefined, `${name}: ${r.error?.message}`);
      texts[`${name} stdout`] = r.stdout;
      texts[`${name} stderr`] = r.stderr;
    }
    assert.equal(runs.explain.status, 0, runs.explain.stderr.toString());
    assert.match(runs.explain.stdout.toString(), /Findings \(\d+\)/);
    assert.equal(runs['plain table --all'].status, 0);
    assert.equal(runs['--fail-on low'].status, 1);
    assert.equal(runs['--fail-on high'].status, 1);
    assert.deepEqual(
      [
        ...outputProblems('explain (FORCE_COLOR=1)', runs.explain.stdout, { sgr: true }),
        ...outputProblems('explain stderr', runs.explain.stderr),
        ...outputProblems('plain table', runs['plain table --all'].stdout),
        ...outputProblems('plain table stderr', runs['plain table --all'].stderr),
        ...outputProblems('--fail-on stderr', runs['--fail-on high'].stderr),
      ],
      [],
    );
    assert.ok(!runs['plain table --all'].stdout.includes(0x1b), 'no ESC at all without colour');
  });

  test("a package's own policy, expectations and comments do not steer the scan", () => {
    const p = pkgAt('node_modules/steer-policy');
    assert.ok(p.level === 'critical' || p.level === 'high', p.level);
    assert.ok(!p.accepted && p.effectiveLevel === undefined, 'its own allow entry was not applied');
    assert.ok(p.env.reads.includes('NPM_TOKEN'));
    assert.ok(p.findings.some((f) => f.rule === 'network'));
    assert.equal(report.policy, undefined, 'no policy: the project has none, and a package cannot bring one');
    const failOn = texts['--fail-on high stderr'] ??
      runGuarded(guard, ['scan', tree.root, '--fail-on', 'high', '--quiet', '--cache-dir', cacheDir], { env: baseEnv(), timeoutMs: CACHED_BOUND_MS }).stderr;
    assert.match(failOn.toString(), /steer-policy@1\.0\.0/);
  });

  test('the fake secrets and the outside marker appear in no output and no cache file', () => {
    const cacheFiles = filesUnder(cacheDir);
    assert.ok(cacheFiles.length > 0, 'the cache was written');
    const all: Record<string, Buffer> = { ...texts };
    for (const f of [...cacheFiles, ...filesUnder(out)]) all[f] = fs.readFileSync(f);
    assert.deepEqual(markerHits(MARKERS, all), []);
  });

  test('nothing ran: no network, no process, no scanned file loaded, no secret read, no marker left', () => {
    assert.equal(guard.read(), '');
    const left = filesUnder(tree.base).filter((f) => /EXECUTED|exec-marker-ran/.test(path.basename(f)));
    assert.deepEqual(left, []);
  });
});

describe('a small tree on the main thread (--jobs 0)', () => {
  // acorn's stack-overflow handler tested the error with a regex that was compiled right there,
  // with no stack left; V8 then aborted the process ("FATAL ERROR: RegExpCompiler Allocation
  // failed"). 2,000 nested function calls (24 KB) were enough on the main thread, ~20,000 on a
  // worker. A fresh process each time: once that regex is compiled, the abort no longer happens.
  test('2,000 nested function calls: a parse-error finding, not a V8 abort', () => {
    const base = fs.mkdtempSync(path.join(tree.base, 'nested-'));
    fs.writeFileSync(path.join(base, 'package.json'), '{"name":"nested","version":"1.0.0","dependencies":{"nested-calls":"1.0.0"}}\n');
    const pkgDir = path.join(base, 'node_modules', 'nested-calls');
    fs.mkdirSync(path.join(pkgDir, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(pkgDir, 'package.json'), '{"name":"nested-calls","version":"1.0.0"}\n');
    fs.writeFileSync(path.join(pkgDir, 'index.js'), deepSources(2000)['nested-calls.js']);
    fs.writeFileSync(path.join(pkgDir, 'lib', 'ok.js'), 'module.exports = process.env.NESTED_OK_TOKEN;\n');
    const r = runGuarded(guard, ['scan', base, '--jobs', '0', '--no-cache', '--json', path.join(base, 'r.json')], { env: baseEnv(), timeoutMs: CACHED_BOUND_MS });
    assert.equal(r.status, 0, `exit ${r.status} signal ${r.signal}: ${r.stderr.toString().slice(-800)}`);
    const small = JSON.parse(fs.readFileSync(path.join(base, 'r.json'), 'utf8')) as Report;
    const p = small.packages.find((x) => x.name === 'nested-calls')!;
    const index = p.findings.filter((f) => f.file === 'index.js');
    assert.ok(index.some((f) => f.rule === 'env-read' || (f.rule === 'parse-error' && /stack/i.test(f.detail))), JSON.stringify(index));
    assert.ok(p.env.reads.includes('NESTED_OK_TOKEN'));
  });
});

describe('a small tree with one huge file, on a small heap', () => {
  // A 2-file tree holding a 10 MB file whose syntax tree needs ~470 MB must go to a worker: inline,
  // that is more than a 384 MB main heap and the whole process dies (exit 134, no report). On a
  // worker, capped at 384 MB of its own, it is one finding and the rest of the package is analysed.
  const scanDense = (nodeOptions: string): void => {
    const base = fs.mkdtempSync(path.join(tree.base, 'dense-'));
    fs.writeFileSync(path.join(base, 'package.json'), '{"name":"small","version":"1.0.0","dependencies":{"dense-bundle":"1.0.0"}}\n');
    writeDenseBundle(path.join(base, 'node_modules', 'dense-bundle'));
    const r = runGuarded(guard, ['scan', base, '--no-cache', '--json', path.join(base, 'r.json')], {
      env: baseEnv({ NODE_OPTIONS: nodeOptions }),
      timeoutMs: SCAN_BOUND_MS,
    });
    assert.equal(r.status, 0, `exit ${r.status} signal ${r.signal}: ${r.stderr.toString().slice(-1500)}`);
    const small = JSON.parse(fs.readFileSync(path.join(base, 'r.json'), 'utf8')) as Report;
    assert.deepEqual(validateReport(small), []);
    const p = small.packages.find((x) => x.name === 'dense-bundle')!;
    const index = p.findings.filter((f) => f.file === 'index.js');
    assert.equal(index.length, 1, JSON.stringify(index));
    assert.equal(index[0].rule, 'parse-error');
    assert.match(index[0].detail, /^analysis crashed: .*memory/i);
    assert.ok(p.env.reads.includes('DENSE_PKG_OK_TOKEN'), 'the rest of the package was analysed');
    assert.equal(guard.read(), '');
  };

  test('a file whose syntax tree outgrows the heap: exit 0 and a finding saying so, not a dead process', () => {
    scanDense('--max-old-space-size=384');
  });

  // CI often sets NODE_OPTIONS=--max-old-space-size=4096 for its builds. That V8 flag is
  // process-wide and used to override the workers' own 384 MB limit, so the same file was parsed
  // into a 470 MB tree instead of being stopped: the scan's memory had no cap left.
  test('a large --max-old-space-size in NODE_OPTIONS does not lift the workers\' heap limit', () => {
    scanDense('--max-old-space-size=4096');
  });
});
