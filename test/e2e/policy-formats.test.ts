// End to end, in a child process: the CI formats with the policy applied. SARIF validates against
// the official schema, the Markdown comment parses (marked) with the new risk first, and on GitHub
// Actions the annotations and the step summary appear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { marked, type Tokens } from 'marked';
import { fixture, parseJson, runCli } from '../helpers.js';
import type { Report } from '../../src/model.js';
import { validateSarif } from '../report/validate.js';
import { parseSarif } from '../report/sarif-log.js';
import { tmpDir, writeJson } from '../policy/util.js';
import { allTokens } from '../report/markdown-tokens.js';

const BASE = fixture('policy-base');
const HEAD = fixture('policy-head');
const work = tmpDir();
const baselineFile = path.join(work, 'baseline.json');

function cli(args: string[], env?: Record<string, string | undefined>) {
  return runCli([...args, '--no-cache'], { env });
}

test('setup: a baseline of the base tree', () => {
  assert.equal(cli(['baseline', BASE, '--write', baselineFile]).status, 0);
});

test('--sarif writes SARIF 2.1.0 that validates, accepted findings included', () => {
  const sarifFile = path.join(work, 'out.sarif');
  const config = writeJson(path.join(work, 'allow.json'), {
    allow: [{ package: 'legacy-reporter', reason: 'build reports', expires: '2999-01-01' }],
  });
  const r = cli([HEAD, '--sarif', sarifFile, '--config', config, '--fail-on', 'high', '-q']);
  assert.equal(r.status, 1, 'telemetry-beacon still fails');
  const log = parseSarif(fs.readFileSync(sarifFile, 'utf8'));
  assert.deepEqual(validateSarif(log), []);
  // one result per package at or above the --fail-on level; the accepted one is suppressed
  const results = log.runs[0].results;
  assert.deepEqual(results.map((x) => x.properties.package).sort(), ['legacy-reporter', 'telemetry-beacon']);
  const beacon = results.find((x) => x.properties.package === 'telemetry-beacon');
  assert.ok(beacon);
  assert.equal(beacon.locations[0].physicalLocation.artifactLocation.uri, 'node_modules/telemetry-beacon/index.js');
  assert.match(beacon.message.text, /NPM_TOKEN/);
  assert.ok((beacon.relatedLocations ?? []).length >= 1);
  assert.equal(beacon.suppressions, undefined);
  const legacy = results.find((x) => x.properties.package === 'legacy-reporter');
  assert.ok(legacy);
  assert.deepEqual(legacy.suppressions, [{ kind: 'external', justification: 'build reports' }]);
});


test('--markdown with a baseline: summary, the new risk first, collapsed detail per package', () => {
  const mdFile = path.join(work, 'comment.md');
  const r = cli([HEAD, '--baseline', baselineFile, '--markdown', mdFile, '--fail-on', 'high', '-q']);
  assert.equal(r.status, 1);
  const md = fs.readFileSync(mdFile, 'utf8');
  const tokens = marked.lexer(md);
  const headings = tokens.filter((t): t is Tokens.Heading => t.type === 'heading').map((h) => `${h.depth} ${h.text}`);
  assert.deepEqual(headings.slice(0, 2), ['2 env-audit', '3 New or changed risk']);
  assert.ok(headings.includes('3 Other packages at medium or above'), headings.join(' | '));
  // the summary sentence right under the title
  const para = tokens.find((t) => t.type === 'paragraph') as Tokens.Paragraph;
  assert.match(para.text, /4 packages/);
  // first table: the new package only; second: the accepted, unchanged one
  const tables = tokens.filter((t): t is Tokens.Table => t.type === 'table');
  assert.equal(tables.length, 2);
  assert.deepEqual(tables[0].header.map((c) => c.text), ['Package', 'Level', 'Score', 'Env vars', 'Capabilities', 'Reason']);
  assert.equal(tables[0].rows.length, 1);
  assert.match(tables[0].rows[0][0].text, /telemetry-beacon@0\.3\.1/);
  assert.match(tables[1].rows[0][0].text, /legacy-reporter@2\.1\.0/);
  // collapsed detail: <details> blocks, one per listed package, the new one first
  const html = allTokens(tokens).filter((t) => t.type === 'html').map((t) => (t as Tokens.HTML).raw.trim());
  const summaries = html.filter((h) => h.startsWith('<details>'));
  assert.equal(summaries.length, 2);
  assert.match(summaries[0], /telemetry-beacon@0\.3\.1/);
  // rendered to HTML, nothing but our own elements and no links
  const rendered = marked.parse(md, { async: false });
  assert.doesNotMatch(rendered, /<a |<img /);
  assert.match(rendered, /<details><summary><code>telemetry-beacon@0\.3\.1<\/code>/);
});

test('on GitHub Actions: annotations for failing findings only, Markdown appended to the step summary', () => {
  const summary = path.join(work, 'step-summary.md');
  fs.writeFileSync(summary, '# earlier step\n');
  const r = cli([HEAD, '--baseline', baselineFile, '--fail-on', 'high', '-q'], {
    GITHUB_ACTIONS: 'true',
    GITHUB_STEP_SUMMARY: summary,
  });
  assert.equal(r.status, 1);
  // one annotation per failing package
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('::'));
  assert.equal(lines.length, 1, r.stdout);
  assert.match(lines[0], /^::error file=node_modules\/telemetry-beacon\/index\.js,line=\d+,col=\d+,title=env-audit%3A telemetry-beacon@0\.3\.1 · high · score 50 · new::telemetry-beacon@0\.3\.1: reads NPM_TOKEN/);
  // the unchanged, baselined package is not annotated
  assert.doesNotMatch(r.stdout, /legacy-reporter/);
  const text = fs.readFileSync(summary, 'utf8');
  assert.ok(text.startsWith('# earlier step\n## env-audit\n'), 'appended, not overwritten');
  assert.match(text, /### New or changed risk/);
  const tables = marked.lexer(text).filter((t) => t.type === 'table');
  assert.ok(tables.length >= 1);
});

test('on GitHub Actions with the finding accepted: no annotation, exit 0', () => {
  const summary = path.join(work, 'summary-2.md');
  const config = writeJson(path.join(work, 'allow-beacon.json'), {
    allow: [{ package: 'telemetry-beacon', env: ['NPM_TOKEN'], capabilities: ['network', 'env'], reason: 'ours' }],
  });
  const r = cli([HEAD, '--baseline', baselineFile, '--fail-on', 'high', '--config', config, '-q'], {
    GITHUB_ACTIONS: 'true',
    GITHUB_STEP_SUMMARY: summary,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('::')).length, 0, r.stdout);
  assert.ok(fs.existsSync(summary));
});

test('on GitHub Actions with --json to stdout: the JSON stays parseable, annotations go to stderr', () => {
  const r = cli([HEAD, '--baseline', baselineFile, '--fail-on', 'high', '--json'], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '' });
  assert.equal(r.status, 1);
  const report = parseJson<Report>(r.stdout);
  assert.deepEqual(report.policy?.failing, ['telemetry-beacon@0.3.1']);
  assert.match(r.stderr, /^::error file=node_modules\/telemetry-beacon\/index\.js/m);
});
