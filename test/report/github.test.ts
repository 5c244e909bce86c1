import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { appendStepSummary, escapeData, escapeProperty, renderGithubAnnotations } from '../../src/report/github.js';
import { assertNoControlChars, hostileReport, sampleReport } from './fixtures.js';

/** Split a workflow command the way the runner does: `::cmd props::data`. */
function parse(line: string): { command: string; props: Record<string, string>; data: string } {
  const m = /^::(\w+) ([^]*?)::([^]*)$/.exec(line);
  assert.ok(m, `not a workflow command: ${line}`);
  const props: Record<string, string> = {};
  for (const pair of m[2].split(',')) {
    const eq = pair.indexOf('=');
    props[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { command: m[1], props, data: m[3] };
}

const unescape = (s: string) =>
  s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

test('one annotation per package at or above the threshold, command from the package level', () => {
  const report = sampleReport();
  const lines = renderGithubAnnotations(report, 'medium').trimEnd().split('\n').map(parse);
  assert.deepEqual(lines.map((a) => a.command), ['error', 'error', 'warning']);
  assert.deepEqual(lines.map((a) => unescape(a.props.title).replace(/ · .*$/, '')), ['env-audit: evil-pkg@1.0.0', 'env-audit: @sentry/node@7.100.0', 'env-audit: config-loader@2.1.0']);
  const low = renderGithubAnnotations(report, 'low').trimEnd().split('\n').map(parse);
  assert.ok(low.some((a) => a.command === 'notice' && a.data.startsWith('debug@4.3.4: reads DEBUG')));
  assert.equal(renderGithubAnnotations(report, 'critical').trimEnd().split('\n').length, 1);
});

test('properties: the file and line of the evidence that sets the level, 1-based col, title; message with reason, evidence and how to see more', () => {
  const [evil] = renderGithubAnnotations(sampleReport(), 'high').trimEnd().split('\n').map(parse);
  assert.equal(evil.command, 'error');
  assert.equal(evil.props.file, 'node_modules/evil-pkg/setup.js');
  assert.equal(evil.props.line, '19');
  assert.equal(evil.props.col, '3');
  assert.equal(unescape(evil.props.title), 'env-audit: evil-pkg@1.0.0 · critical · score 96');
  assert.equal(
    unescape(evil.data),
    'evil-pkg@1.0.0: the whole environment flows into https.request at install time — evidence: exfiltration process.env.NPM_TOKEN (line 4) → https.request body (line 19) (install time) — 10 findings; run "env-audit explain evil-pkg"',
  );
});

test('at most 10 annotations, new and changed packages first, then one notice counting the rest', () => {
  const report = sampleReport();
  const base = report.packages[2];
  report.packages = Array.from({ length: 25 }, (_, i) => ({ ...base, name: `pkg-${String(i).padStart(2, '0')}`, score: 40 - i }));
  report.packages[20].baseline = 'new';
  report.packages[21].baseline = 'changed';
  report.packages[21].drift = ['gains network'];
  const lines = renderGithubAnnotations(report, 'medium').trimEnd().split('\n').map(parse);
  assert.equal(lines.length, 11);
  assert.match(lines[0].data, /^pkg-20@/);
  assert.match(unescape(lines[0].props.title), / · medium · score \d+ · new$/);
  assert.match(unescape(lines[1].data), /^pkg-21@.* — drift: gains network — /);
  assert.match(lines[2].data, /^pkg-00@/);
  const summary = lines[10];
  assert.equal(summary.command, 'notice');
  assert.equal(unescape(summary.props.title), 'env-audit: 15 more packages at or above medium');
  assert.match(unescape(summary.data), /^pkg-08@2\.1\.0 \(medium\), .*, … — see the job summary or the Markdown report$/);
});

test('workflow-command escaping', () => {
  assert.equal(escapeData('100% done\r\nnext'), '100%25 done\\r\\nnext');
  assert.equal(escapeProperty('a:b,c%'), 'a%3Ab%2Cc%25');
  assert.equal(escapeData('%0A'), '%250A', 'a literal %0A cannot become a newline');
});

test('hostile package: one line per package, no control bytes, properties cannot be split', () => {
  const report = hostileReport();
  const out = renderGithubAnnotations(report, 'none');
  assertNoControlChars(out, 'annotations');
  const lines = out.trimEnd().split('\n');
  assert.equal(lines.length, report.packages.length);
  for (const line of lines) {
    const a = parse(line);
    assert.deepEqual(Object.keys(a.props), ['file', 'line', 'col', 'title']);
    assert.match(a.props.line, /^\d+$/);
    assert.match(a.props.col, /^\d+$/);
    for (const v of Object.values(a.props)) assert.ok(!/[:,]/.test(v), `unescaped separator in ${v}`);
    assert.ok(!/%(?!25|0D|0A|3A|2C)/.test(a.data), `unescaped % in ${a.data}`);
  }
});

test('nothing at or above the threshold: empty output', () => {
  const r = sampleReport();
  r.packages = r.packages.filter((p) => p.level === 'none');
  assert.equal(renderGithubAnnotations(r, 'low'), '');
});

test('appendStepSummary appends to GITHUB_STEP_SUMMARY and only when it is set', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'env-audit-summary-'));
  try {
    const file = path.join(dir, 'summary.md');
    writeFileSync(file, 'earlier step\n');
    assert.equal(appendStepSummary('## env-audit', { GITHUB_STEP_SUMMARY: file }), true);
    assert.equal(appendStepSummary('more\n', { GITHUB_STEP_SUMMARY: file }), true);
    assert.equal(readFileSync(file, 'utf8'), 'earlier step\n## env-audit\nmore\n');
    assert.equal(appendStepSummary('ignored', {}), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
