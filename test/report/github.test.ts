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

test('one annotation per finding at or above the threshold, command from the package level', () => {
  const report = sampleReport();
  const out = renderGithubAnnotations(report, 'medium');
  const lines = out.trimEnd().split('\n');
  const expected = report.packages.filter((p) => ['critical', 'high', 'medium'].includes(p.level)).reduce((n, p) => n + p.findings.length, 0);
  assert.equal(lines.length, expected);
  const commands = lines.map((l) => parse(l).command);
  assert.deepEqual([...new Set(commands)], ['error', 'warning']);
  assert.ok(!out.includes('debug@4.3.4'), 'low is below the threshold');

  const low = renderGithubAnnotations(report, 'low').trimEnd().split('\n').map(parse);
  assert.ok(low.some((a) => a.command === 'notice' && a.data.startsWith('debug@4.3.4: DEBUG')));
  assert.equal(renderGithubAnnotations(report, 'critical').trimEnd().split('\n').length, 10);
});

test('properties: file under node_modules, line, 1-based col, title; message with reason', () => {
  const lines = renderGithubAnnotations(sampleReport(), 'high').trimEnd().split('\n').map(parse);
  const bulk = lines.find((a) => a.props.file === 'node_modules/evil-pkg/setup.js' && a.props.line === '3')!;
  assert.equal(bulk.command, 'error');
  assert.equal(bulk.props.col, '15');
  assert.equal(unescape(bulk.props.title), 'env-audit env-bulk (critical): evil-pkg@1.0.0');
  assert.equal(bulk.data, 'evil-pkg@1.0.0: JSON.stringify(process.env) — the whole environment flows into https.request at install time (install time)');
  const scored = lines.find((a) => a.props.file === 'node_modules/evil-pkg/setup.js' && a.props.line === '8')!;
  assert.match(scored.data, /~\/\.npmrc — reads ~\/\.npmrc \(install time\)$/, 'reason from the score item of this finding');
});

test('workflow-command escaping', () => {
  assert.equal(escapeData('100% done\r\nnext'), '100%25 done\\r\\nnext');
  assert.equal(escapeProperty('a:b,c%'), 'a%3Ab%2Cc%25');
  assert.equal(escapeData('%0A'), '%250A', 'a literal %0A cannot become a newline');
});

test('hostile package: one line per finding, no control bytes, properties cannot be split', () => {
  const report = hostileReport();
  const out = renderGithubAnnotations(report, 'none');
  assertNoControlChars(out, 'annotations');
  const lines = out.trimEnd().split('\n');
  assert.equal(lines.length, report.packages.reduce((n, p) => n + p.findings.length, 0));
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
