// End to end, in a child process: `env-audit diff BASE HEAD` on fixtures/diff-base → diff-head,
// where tiny-fmt 1.2.3 → 1.2.4 is a patch release that starts reading NPM_TOKEN and reaching the
// network (and brings fmt-helpers along), color-names takes a major step, old-logger goes away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { marked, type Tokens } from 'marked';
import { fixture, parseJson, runCli } from '../helpers.js';
import type { ReportDiff } from '../../src/policy/diff.js';
import { tmpDir, writeJson } from '../policy/util.js';

const BASE = fixture('diff-base');
const HEAD = fixture('diff-head');
const work = tmpDir();

function cli(args: string[]) {
  return runCli([...args, '--no-cache']);
}

test('two folders: added, removed, changed, and the patch release called out on its own line', () => {
  const r = cli(['diff', BASE, HEAD]);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  assert.match(out, /4 → 4 packages: 1 added, 1 removed, 2 changed \(2 in risk\), 1 unchanged\./);
  const suspicious = out.split('\n').filter((l) => l.startsWith('  ! '));
  assert.equal(suspicious.length, 1, out);
  assert.match(suspicious[0], /^ {2}! tiny-fmt 1\.2\.3 → 1\.2\.4 is a patch release that gains network reach(, | and )a secret read \(NPM_TOKEN\)/);
  assert.match(suspicious[0], /hijacked releases look like this/);
  assert.match(out, /\+ fmt-helpers@1\.0\.0 {2}low/);
  assert.match(out, /- old-logger@0\.4\.0 {2}none/);
  assert.match(out, /~ tiny-fmt 1\.2\.3 → 1\.2\.4 \(patch\) {2}score 0 → \d+ \(\+\d+\) {2}none → (high|critical)\n {6}env: \+NPM_TOKEN\*\n {6}capabilities: \+env \+network/);
  assert.match(out, /~ color-names 2\.0\.0 → 3\.0\.0 \(major\)/);
  assert.doesNotMatch(suspicious[0], /color-names/, 'a major release is not called out');
});

test('--fail-on high: exit 1 naming the grown risk', () => {
  const r = cli(['diff', BASE, HEAD, '--fail-on', 'high', '-q']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /tiny-fmt@1\.2\.4 \((high|critical), was 1\.2\.3 none\)/);
  assert.doesNotMatch(r.stderr, /fmt-helpers/, 'low is below the threshold');
  // the same tree against itself: nothing new
  assert.equal(cli(['diff', HEAD, HEAD, '--fail-on', 'low', '-q']).status, 0);
});

test('JSON reports as sides give the same diff; --json is machine-readable', () => {
  const baseJson = path.join(work, 'base.json');
  const headJson = path.join(work, 'head.json');
  assert.equal(cli([BASE, '--json', baseJson, '-q']).status, 0);
  assert.equal(cli([HEAD, '--json', headJson, '-q']).status, 0);
  const r = cli(['diff', baseJson, headJson, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const d = parseJson<ReportDiff & { envAuditDiff: number }>(r.stdout);
  assert.equal(d.envAuditDiff, 1);
  assert.deepEqual(d.added.map((a) => `${a.facts.name}@${a.facts.version}`), ['fmt-helpers@1.0.0']);
  assert.deepEqual(d.removed.map((a) => `${a.facts.name}@${a.facts.version}`), ['old-logger@0.4.0']);
  const fmt = d.changed.find((c) => c.name === 'tiny-fmt')!;
  assert.equal(fmt.step, 'patch');
  assert.deepEqual(fmt.env.added, ['NPM_TOKEN']);
  assert.ok(fmt.capabilities.gained.includes('network'));
  assert.ok(fmt.suspicious?.includes('network reach'));
  assert.ok(fmt.score.delta > 0);
  // a report on one side, a folder on the other
  const mixed = cli(['diff', baseJson, HEAD, '-q', '--fail-on', 'high']);
  assert.equal(mixed.status, 1);
});

test('--markdown: a comment that parses, the suspicious release first', () => {
  const mdFile = path.join(work, 'diff.md');
  const r = cli(['diff', BASE, HEAD, '--markdown', mdFile, '-q']);
  assert.equal(r.status, 0, r.stderr);
  const tokens = marked.lexer(fs.readFileSync(mdFile, 'utf8'));
  const headings = tokens.filter((t): t is Tokens.Heading => t.type === 'heading').map((h) => h.text);
  assert.deepEqual(headings.slice(0, 3), ['env-audit diff', 'Suspicious releases', 'Added and changed']);
  const list = tokens.find((t): t is Tokens.List => t.type === 'list')!;
  assert.match(list.items[0].text, /tiny-fmt 1\.2\.3 → 1\.2\.4 is a patch release/);
  const table = tokens.find((t): t is Tokens.Table => t.type === 'table')!;
  assert.ok(table.rows.some((row) => /tiny-fmt@1\.2\.4/.test(row[0].text) && /1\.2\.3 → 1\.2\.4 \(patch\)/.test(row[1].text.replace(/\\/g, ''))));
});

test('an allowlist in the head folder applies to --fail-on', () => {
  const dir = tmpDir();
  const head = path.join(dir, 'head');
  fs.cpSync(HEAD, head, { recursive: true });
  writeJson(path.join(head, '.env-audit.json'), {
    allow: [{ package: 'tiny-fmt', version: '1.2.4', env: ['NPM_TOKEN'], capabilities: ['network'], reason: 'reviewed: metrics opt-in' }],
  });
  const r = cli(['diff', BASE, head, '--fail-on', 'high', '-q']);
  assert.equal(r.status, 0, r.stderr);
});

test('could not run → exit 2', () => {
  const one = cli(['diff', BASE]);
  assert.equal(one.status, 2);
  assert.match(one.stderr, /diff needs two sides/);
  const notReport = writeJson(path.join(work, 'not-a-report.json'), { hello: 'world' });
  const bad = cli(['diff', notReport, HEAD]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /not-a-report\.json: schemaVersion: not an env-audit JSON report/);
  const missing = cli(['diff', path.join(work, 'nope'), HEAD]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no such file or folder/);
});
