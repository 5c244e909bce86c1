import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marked, type Tokens } from 'marked';
import { applyAllowlist } from '../../src/policy/allowlist.js';
import { diffFailing, diffReports, hijackSignals, renderDiffJson, renderDiffText, versionStep } from '../../src/policy/diff.js';
import { renderDiffMarkdown } from '../../src/policy/diff-markdown.js';
import { factsOf } from '../../src/policy/facts.js';
import { f, pkg, quiet, report, secretNet } from './build.js';

test('versionStep via semver', () => {
  assert.equal(versionStep('1.2.3', '1.2.4'), 'patch');
  assert.equal(versionStep('1.2.3', '1.3.0'), 'minor');
  assert.equal(versionStep('1.2.3', '2.0.0'), 'major');
  assert.equal(versionStep('1.2.3', '1.2.4-rc.1'), 'prerelease');
  assert.equal(versionStep('1.2.3', '2.0.0-beta.1'), 'prerelease');
  assert.equal(versionStep('1.2.4', '1.2.3'), 'downgrade');
  assert.equal(versionStep('1.2.3', '1.2.3'), 'same');
  assert.equal(versionStep('1.2.3', 'git-sha'), 'unknown');
});

test('hijack signals: network, secret, whole env, install script, obfuscation', () => {
  const before = factsOf(quiet('x', '1.0.0'));
  const after = factsOf(
    pkg('x', '1.0.1', [
      f('env-read', 'NPM_TOKEN'), f('network', 'https'), f('env-bulk', 'JSON.stringify(process.env)'),
      f('install-script', 'postinstall: node x.js', { installTime: true, file: 'package.json' }), f('obfuscation', 'hex string array'),
    ]),
  );
  assert.deepEqual(hijackSignals(before, after), [
    'network reach', 'a secret read (NPM_TOKEN)', 'a read of the whole environment', 'an install script', 'obfuscated code',
  ]);
  assert.deepEqual(hijackSignals(after, after), []);
});

const base = report([quiet('fmt', '1.2.3'), quiet('colors', '2.0.0'), quiet('gone', '0.1.0'), quiet('same', '1.0.0'), quiet('multi', '1.0.0'), quiet('multi', '2.0.0')], 'app');
const head = report(
  [
    secretNet('fmt', '1.2.4'),
    pkg('colors', '3.0.0', [f('network', 'https'), f('env-read', 'GITHUB_TOKEN')]),
    secretNet('fresh', '1.0.0'),
    quiet('same', '1.0.0'),
    quiet('multi', '1.0.1'),
    quiet('multi', '2.1.0'),
  ],
  'app',
);

test('diffReports: added, removed, changed with version steps; hijack callout only for small steps', () => {
  const d = diffReports(base, head, { base: 'base.json', head: 'head/' });
  assert.deepEqual(d.added.map((a) => `${a.facts.name}@${a.facts.version}`), ['fresh@1.0.0']);
  assert.deepEqual(d.removed.map((a) => `${a.facts.name}@${a.facts.version}`), ['gone@0.1.0']);
  assert.equal(d.unchanged, 1);
  const byName = Object.fromEntries(d.changed.map((c) => [`${c.name}@${c.to.version}`, c]));
  assert.deepEqual(Object.keys(byName).sort(), ['colors@3.0.0', 'fmt@1.2.4', 'multi@1.0.1', 'multi@2.1.0']);
  assert.equal(byName['multi@1.0.1'].from.version, '1.0.0', 'versions pair within a major');
  assert.equal(byName['multi@2.1.0'].from.version, '2.0.0');
  const fmt = byName['fmt@1.2.4'];
  assert.equal(fmt.step, 'patch');
  assert.deepEqual(fmt.env, { added: ['NPM_TOKEN'], removed: [] });
  assert.deepEqual(fmt.capabilities, { gained: ['env', 'network'], lost: [] });
  assert.equal(fmt.score.from, 0);
  assert.ok(fmt.score.delta >= 50);
  assert.deepEqual(fmt.suspicious, ['network reach', 'a secret read (NPM_TOKEN)']);
  assert.equal(byName['colors@3.0.0'].step, 'major');
  assert.equal(byName['colors@3.0.0'].suspicious, null, 'a major release may change behaviour');
  assert.equal(d.changed[0].name, 'fmt', 'suspicious first');
});

test('diffFailing: new or grown risk at or above the threshold; the allowlist applies', () => {
  const d = diffReports(base, head);
  assert.deepEqual(diffFailing(d, 'high').sort(), ['colors@3.0.0 (high, was 2.0.0 none)', 'fmt@1.2.4 (high, was 1.2.3 none)', 'fresh@1.0.0 (new, high)']);
  assert.deepEqual(diffFailing(d, undefined), []);
  const accepted = structuredClone(head);
  applyAllowlist(accepted, [{ package: 'fresh', reason: 'ok', field: 'allow[0]' }], '2026-01-01');
  assert.ok(!diffFailing(diffReports(base, accepted), 'high').some((x) => x.startsWith('fresh')));
});

test('text, JSON and Markdown renderings', () => {
  const d = diffReports(base, head, { base: 'base.json', head: 'head/' });
  const text = renderDiffText(d);
  assert.match(text, /^env-audit diff: base\.json → head\/\n/);
  assert.match(text, /Suspicious releases:\n {2}! fmt 1\.2\.3 → 1\.2\.4 is a patch release that gains network reach and a secret read \(NPM_TOKEN\)/);
  assert.match(text, /\+ fresh@1\.0\.0 {2}high/);
  assert.match(text, /~ fmt 1\.2\.3 → 1\.2\.4 \(patch\) {2}score 0 → \d+ \(\+\d+\) {2}none → high\n {6}env: \+NPM_TOKEN\*\n {6}capabilities: \+env \+network/);
  assert.match(text, /2 version changes without risk change \(--all lists them\)/);
  assert.match(renderDiffText(d, { all: true }), /~ multi 1\.0\.0 → 1\.0\.1 \(patch\)/);
  assert.equal((JSON.parse(renderDiffJson(d)) as { envAuditDiff: number }).envAuditDiff, 1);

  const md = renderDiffMarkdown(d, head);
  const tokens = marked.lexer(md);
  const headings = tokens.filter((t): t is Tokens.Heading => t.type === 'heading').map((t) => t.text);
  assert.deepEqual(headings.slice(0, 3), ['env-audit diff', 'Suspicious releases', 'Added and changed']);
  assert.ok(headings.includes('Packages after the change'));
  assert.ok(headings.includes('New or changed risk'));
  const table = tokens.find((t): t is Tokens.Table => t.type === 'table')!;
  assert.deepEqual(table.header.map((c) => c.text), ['Package', 'Change', 'Level', 'Score', 'Env', 'Capabilities']);
  assert.equal(table.rows.length, 3);
});

test('package strings are escaped in text output', () => {
  const evil = report([secretNet('evil\u001b[2Jname', '1.0.0\u202e')]);
  const text = renderDiffText(diffReports(report([]), evil));
  assert.ok(!/[\u001b\u202e]/.test(text));
  assert.match(text, /evil\\x1b\[2Jname/);
});
