// End to end, with the real CLI in child processes: `env-audit trace` runs the fixture app
// (fixtures/trace-apps/app, executed on purpose: see its README), then `scan --trace` and
// `explain --trace` merge the record. A fake secret is in the traced environment throughout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PackageReport, Report } from '../../src/model.js';
import { fixture, runCli } from '../helpers.js';
import { validateReport } from '../report/validate.js';
import { parseTrace } from '../../src/trace/read.js';

const APP = fixture('trace-apps', 'app');
const FAKE_SECRET = 'FAKE-SECRET-VALUE-e2e-93b1d7';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-trace-e2e-'));
const traceFile = path.join(tmp, 'trace.jsonl');
const env = { TRACE_FAKE_SECRET: FAKE_SECRET, TRACE_CJS_NAME: 'on', TRACE_HIDDEN_NAME: 'on' };
// every piece of output any command produced, checked for the secret at the end
const outputs: string[] = [];

function cli(args: string[]): ReturnType<typeof runCli> {
  const r = runCli(args, { cwd: APP, env });
  outputs.push(r.stdout, r.stderr);
  return r;
}

const traced = cli(['trace', '--out', traceFile, '--', process.execPath, 'index.js', '5']);
// --jobs 0: six tiny packages, no worker start-up
const scan = (extra: string[], trace = traceFile): ReturnType<typeof runCli> => cli(['scan', '--no-cache', '--jobs', '0', '--trace', trace, ...extra]);
const merged = scan(['--all', '--json', path.join(tmp, 'merged.json'), '--sarif', path.join(tmp, 'merged.sarif'), '--markdown', path.join(tmp, 'merged.md')]);
const mergedReport = JSON.parse(fs.readFileSync(path.join(tmp, 'merged.json'), 'utf8')) as Report;

function pkg(report: Report, name: string): PackageReport {
  const p = report.packages.find((x) => x.name === name);
  assert.ok(p, name);
  return p;
}

test('trace: the command output and exit code pass through unchanged', () => {
  assert.equal(traced.status, 5);
  assert.equal(traced.stdout, 'trace-app done (7)\n');
  assert.equal(traced.stderr, '', 'nothing added when stderr is not a terminal');
  assert.ok(fs.statSync(traceFile).size > 0);
});

test('scan --trace: schema-valid report; confirmed, static-only and the hidden read', () => {
  assert.equal(merged.status, 0, merged.stderr);
  for (const f of ['merged.json', 'merged.sarif', 'merged.md']) outputs.push(fs.readFileSync(path.join(tmp, f), 'utf8'));
  const report = mergedReport;
  assert.deepEqual(validateReport(report), []);

  assert.ok(report.trace && report.trace.processes >= 3, 'main, worker and child');
  assert.deepEqual(report.trace.projectReads, ['TRACE_PROJECT_NAME']);
  assert.equal(report.trace.invalidLines, 0);

  const computed = pkg(report, 'computed-reader');
  const hidden = computed.findings.filter((f) => f.rule === 'hidden-access');
  assert.deepEqual(hidden.map((f) => [f.detail, f.file, f.line]), [['dns.lookup', 'index.js', 11], ['TRACE_HIDDEN_NAME', 'index.js', 12]]);
  assert.equal(hidden[1].snippet, 'return process.env[name];');
  assert.deepEqual(computed.trace?.reads, [{ name: 'TRACE_HIDDEN_NAME', status: 'runtime-only', count: 1 }]);
  assert.deepEqual(computed.trace?.capabilities, [{ capability: 'network', status: 'runtime-only', apis: ['dns.lookup'] }]);
  assert.ok(computed.capabilities.includes('network'));

  const cjs = pkg(report, 'cjs-reader');
  const status = Object.fromEntries((cjs.trace?.reads ?? []).map((x) => [x.name, x.status]));
  assert.deepEqual(status, { TRACE_CJS_NAME: 'confirmed', TRACE_FAKE_SECRET: 'confirmed', TRACE_NEVER_READ: 'static-only' });
  assert.deepEqual(cjs.trace?.writes, [{ name: 'TRACE_CJS_WRITTEN', status: 'confirmed', count: 1 }]);
  assert.equal(cjs.findings.some((f) => f.rule === 'hidden-access'), false);

  assert.equal(pkg(report, 'bulk-dumper').trace?.bulk, 'confirmed');
  assert.equal(pkg(report, 'worker-reader').trace?.reads[0]?.status, 'confirmed');
  assert.equal(pkg(report, 'esm-reader').trace?.reads[0]?.status, 'confirmed');
  const child = pkg(report, 'child-reader');
  assert.equal(child.trace?.reads[0]?.status, 'confirmed');
  assert.deepEqual(child.trace?.capabilities, [{ capability: 'child_process', status: 'confirmed', apis: ['child_process.execFileSync'] }]);
  assert.equal(child.trace?.bulk, undefined, 'the env a child inherits is not a whole-env read');
});

test('scan --trace raises the package the static analysis under-rated', () => {
  const plain = cli(['scan', '--no-cache', '--jobs', '0', '--json']);
  const before = pkg(JSON.parse(plain.stdout) as Report, 'computed-reader');
  const after = pkg(mergedReport, 'computed-reader');
  assert.equal(after.score - before.score, 20, 'hidden read 15 + hidden dns 5');
});

test('scan --trace table marks confirmed and runtime-only names; explain shows both sides', () => {
  const table = merged;
  assert.match(table.stdout, /TRACE_HIDDEN_NAME!/);
  assert.match(table.stdout, /TRACE_CJS_NAME✓/);
  assert.match(table.stdout, /TRACE_NEVER_READ /, 'static-only names carry no mark');
  assert.match(table.stdout, /✓ = also read during the trace, ! = read only during the trace/);
  const explain = cli(['explain', 'computed-reader', '--no-cache', '--jobs', '0', '--trace', traceFile]);
  assert.equal(explain.status, 0, explain.stderr);
  assert.match(explain.stdout, /Static analysis vs\. run time \(--trace\)\n {2}reads: TRACE_HIDDEN_NAME runtime-only \(1×\)\n {2}network: runtime-only \(dns\.lookup\)/);
  assert.match(explain.stdout, /index\.js:12:21 {2}hidden-access {2}TRACE_HIDDEN_NAME/);
  assert.match(explain.stdout, /env-read-dynamic {2}process\.env\[name\]/, 'the static side stays');
});

test('trace: ES module entry point', () => {
  const out = path.join(tmp, 'esm.jsonl');
  const r = cli(['trace', '--out', out, '--', process.execPath, 'esm-main.mjs']);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, 'esm-app done (0)\n');
  const text = fs.readFileSync(out, 'utf8');
  outputs.push(text);
  const t = parseTrace(text);
  assert.ok(t.events.some((e) => e.package === null && e.name === 'TRACE_ESM_PROJECT_NAME'));
  assert.ok(t.events.some((e) => e.package === 'esm-reader' && e.name === 'TRACE_ESM_NAME'));
});

test('trace and --trace: usage errors and a command that cannot start', () => {
  const none = cli(['trace']);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /trace needs a command/);
  const missing = cli(['trace', '--out', path.join(tmp, 'x.jsonl'), '--', 'env-audit-no-such-program-x']);
  assert.equal(missing.status, 127);
  assert.match(missing.stderr, /cannot start env-audit-no-such-program-x/);
  const bad = cli(['scan', '--no-cache', '--trace', path.join(tmp, 'absent.jsonl')]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /cannot read the trace file/);
});

test('scan --trace: a hostile trace file cannot quote files outside the package or steer the terminal', () => {
  const hostile = path.join(tmp, 'hostile.jsonl');
  const line = (o: object): string =>
    JSON.stringify({ v: 1, pid: 1, thread: 0, package: 'cjs-reader', location: 'node_modules/cjs-reader', version: '1.0.0', count: 1, ...o });
  fs.writeFileSync(
    hostile,
    [
      line({ kind: 'env-read', name: 'EVIL_\u001b[31mRED', site: '../../package.json:2:1' }),
      line({ kind: 'network', name: 'http.request', site: '/etc/hostname:1:1' }),
      'garbage line',
    ].join('\n'),
  );
  const r = scan(['--all', '--json', path.join(tmp, 'hostile.json')], hostile);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(!r.stdout.includes('\u001b'), 'no escape byte reaches the terminal');
  assert.match(r.stderr, /1 line\(s\) of .* are not trace records/);
  const json = JSON.parse(fs.readFileSync(path.join(tmp, 'hostile.json'), 'utf8')) as Report;
  const hidden = pkg(json, 'cjs-reader').findings.filter((f) => f.rule === 'hidden-access');
  assert.equal(hidden.length, 2);
  assert.ok(hidden.every((f) => f.snippet === ''), 'nothing quoted from outside the package');
  assert.deepEqual(validateReport(json), []);
});

test('the fake secret value never appears in any output', () => {
  assert.ok(outputs.length > 10);
  outputs.push(fs.readFileSync(traceFile, 'utf8'));
  for (const o of outputs) assert.ok(!o.includes(FAKE_SECRET));
  fs.rmSync(tmp, { recursive: true, force: true });
});
