// End to end: the real CLI in a child process on installed-looking fixture trees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture, runCli } from '../helpers.js';
import { validateReport } from '../report/validate.js';
import type { Report } from '../../src/model.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-e2e-'));

function scanJson(tree: string, extra: string[] = []): { report: Report; status: number | null; stderr: string } {
  const out = path.join(tmp, `${path.basename(tree)}-${Math.random().toString(36).slice(2)}.json`);
  const r = runCli(['scan', tree, '--json', out, '--quiet', '--no-cache', ...extra]);
  assert.ok(fs.existsSync(out), `no report written; stderr: ${r.stderr}`);
  return { report: JSON.parse(fs.readFileSync(out, 'utf8')) as Report, status: r.status, stderr: r.stderr };
}

test('JSON report of the attack tree is schema-valid and ranked riskiest first', () => {
  const { report, status } = scanJson(fixture('attack'));
  assert.equal(status, 0, 'without --fail-on nothing fails');
  assert.deepEqual(validateReport(report), []);
  assert.equal(report.schemaVersion, 1);
  assert.equal(report.tool.name, 'env-audit');
  assert.ok(report.summary.packages >= 20);
  const scores = report.packages.map((p) => p.score);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'sorted by score descending');
  const total = Object.values(report.summary.byLevel).reduce((a, b) => a + b, 0);
  assert.equal(total, report.summary.packages);
});

test('every finding is evidence: file, 1-based line, 0-based column, escaped snippet', () => {
  const { report } = scanJson(fixture('attack'));
  for (const p of report.packages) {
    for (const f of p.findings) {
      assert.ok(f.file.length > 0 && !f.file.includes('\\'), `posix path: ${f.file}`);
      assert.ok(f.line >= 1 && f.column >= 0);
      assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(f.snippet));
    }
  }
});

test('--fail-on: exit 1 at or above the level, 0 below it', () => {
  const high = runCli(['scan', fixture('attack'), '--fail-on', 'high', '--no-cache']);
  assert.equal(high.status, 1, high.stderr);
  assert.match(high.stderr, /at or above high/);
  const traps = runCli(['scan', fixture('traps'), '--fail-on', 'critical', '--no-cache', '--quiet']);
  assert.equal(traps.status, 0, traps.stderr);
});

test('the table: riskiest first, none-level packages counted not listed, no colour when piped', () => {
  const r = runCli(['scan', fixture('traps'), '--no-cache']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(!r.stdout.includes('\x1b'), 'no ESC byte without a TTY');
  // piped: one line per package, no borders
  assert.doesNotMatch(r.stdout, /│/);
  assert.match(r.stdout, /^(critical|high|medium|low) +\d+ {2}\S+@\S+ {2}env: /m);
  assert.match(r.stdout, /none/);
  assert.ok(!/env-docs-snippets/.test(r.stdout), 'a none-level package is not listed');
  const all = runCli(['scan', fixture('traps'), '--no-cache', '--all']);
  assert.match(all.stdout, /env-docs-snippets/);
  // COLUMNS says how wide the reader is: the compact layout, every line within 80 columns
  const narrow = runCli(['scan', fixture('attack'), '--no-cache'], { env: { COLUMNS: '80' } });
  const lines = narrow.stdout.trimEnd().split('\n');
  assert.ok(lines.length > 10, narrow.stdout);
  for (const l of lines) assert.ok(Array.from(l).length <= 80, `${Array.from(l).length}: ${l}`);
});

test('explain shows file:line evidence and dependency paths', () => {
  const r = runCli(['explain', 'crossenv', fixture('attack'), '--no-cache']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /crossenv@/);
  assert.match(r.stdout, /install\.js:\d+/);
  assert.match(r.stdout, /attack-fixtures|>/);
  const missing = runCli(['explain', 'no-such-package', fixture('attack'), '--no-cache']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no installed package no-such-package/);
});

test('a folder without package.json, or without node_modules: exit 2 with one clear line', () => {
  const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
  const r1 = runCli(['scan', empty, '--no-cache']);
  assert.equal(r1.status, 2);
  assert.match(r1.stderr, /package\.json/);
  assert.equal(r1.stderr.trim().split('\n').length, 1, r1.stderr);
  fs.writeFileSync(path.join(empty, 'package.json'), '{"name":"x","version":"1.0.0","dependencies":{"a":"1"}}');
  const r2 = runCli(['scan', empty, '--no-cache']);
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /node_modules/);
  assert.match(r2.stderr, /npm (ci|install)/);
});

test('bad arguments: exit 2', () => {
  assert.equal(runCli(['scan', '--fail-on', 'severe']).status, 2);
  assert.equal(runCli(['scan', '--omit', 'prod']).status, 2);
  assert.equal(runCli(['--no-such-flag']).status, 2);
});

test('--omit dev drops dev packages; --include-root adds the root', () => {
  const { report: full } = scanJson(fixture('attack'));
  const { report: omitted } = scanJson(fixture('attack'), ['--omit', 'dev']);
  assert.ok(full.packages.some((p) => p.dev));
  assert.ok(!omitted.packages.some((p) => p.dev));
  assert.ok(omitted.summary.packages < full.summary.packages);
});

test('second round: a skipped file calling an env-reader helper is parsed again, inline, on workers and from the cache', () => {
  const tree = fixture('traps');
  const cacheDir = fs.mkdtempSync(path.join(tmp, 'cache-'));
  const reads = (r: Report): string[] => {
    const p = r.packages.find((x) => x.name === 'pg-settings');
    assert.ok(p, 'pg-settings was scanned');
    return p.findings.filter((f) => f.rule === 'env-read').map((f) => `${f.detail}@${f.file}:${f.line}`).sort();
  };
  const want = ['DATABASE_URL@index.js:5', 'PGPASSWORD@index.js:6'];
  assert.deepEqual(reads(scanJson(tree, ['--jobs', '0']).report), want, 'inline');
  assert.deepEqual(reads(scanJson(tree, ['--jobs', '2']).report), want, 'on two workers');
  // scanJson scans with --no-cache; these two share one cache: cold fills it, warm reads it
  const withCache = (): Report => {
    const out = path.join(tmp, `pg-${Math.random().toString(36).slice(2)}.json`);
    const r = runCli(['scan', tree, '--json', out, '--quiet', '--cache-dir', cacheDir]);
    assert.ok(fs.existsSync(out), r.stderr);
    return JSON.parse(fs.readFileSync(out, 'utf8')) as Report;
  };
  assert.deepEqual(reads(withCache()), want, 'cold, filling the cache');
  assert.deepEqual(reads(withCache()), want, 'warm, from the cache');
});

test('a small tree is analysed on one worker, so the per-file time and memory limits apply; --jobs 0 is the main thread', () => {
  const timings = (extra: string[]): { workers: number; analysedFiles: number } => {
    const r = runCli(['scan', fixture('tree-basic'), '--quiet', '--no-cache', ...extra], { env: { ENV_AUDIT_TIMINGS: '1' } });
    assert.equal(r.status, 0, r.stderr);
    const line = r.stderr.split('\n').find((l) => l.startsWith('env-audit timings: '));
    assert.ok(line, r.stderr);
    return JSON.parse(line.slice('env-audit timings: '.length)) as { workers: number; analysedFiles: number };
  };
  const small = timings([]);
  assert.ok(small.analysedFiles > 0 && small.analysedFiles < 64, 'the fixture is a small tree');
  assert.equal(small.workers, 1);
  assert.equal(timings(['--jobs', '0']).workers, 0);
  assert.equal(timings(['--jobs', '2']).workers, 2);
});
