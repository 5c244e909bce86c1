import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderExplain } from '../../src/report/explain.js';
import { assertNoControlChars, hostileReport, sampleReport } from './fixtures.js';

const pkgNamed = (name: string) => sampleReport().packages.find((p) => p.name === name)!;

test('header: name@version, level, score, location, flags', () => {
  const out = renderExplain(pkgNamed('evil-pkg'));
  const [first, second] = out.split('\n');
  assert.equal(first, 'evil-pkg@1.0.0  CRITICAL  score 96/100');
  assert.equal(second, 'location: node_modules/evil-pkg');
  assert.match(out, /^integrity \(as the lockfile records it; not verified against the installed files\): sha512-abc==$/m);
  assert.match(renderExplain(pkgNamed('config-loader')), /^location: node_modules\/config-loader {2}\(dev\)$/m);
});

test('reasons and score breakdown (points → reason → file:line)', () => {
  const out = renderExplain(pkgNamed('evil-pkg'));
  assert.match(out, /^Reasons\n {2}- the whole environment flows into https\.request at install time$/m);
  assert.match(out, /^ {2}\+60 {2}the whole environment flows into a network sink {2}→ setup\.js:19$/m);
  assert.match(out, /^ {2}\+25 {2}runs at install time {2}→ package\.json:6$/m);
  assert.match(out, /96 \(points add up to 105; the score is capped to 0\.\.100\)/);
});

test('--all: every finding grouped by file, file:line:column (1-based column), rule, detail, snippet indented', () => {
  const out = renderExplain(pkgNamed('evil-pkg'), { all: true });
  assert.match(out, /^ {2}setup\.js:3:15 {2}env-bulk {2}JSON\.stringify\(process\.env\) {2}\(install time\)\n {6}const data = JSON\.stringify\(process\.env\);$/m);
  // Files are contiguous blocks.
  const files = out
    .slice(out.indexOf('\nFindings ('))
    .split('\n')
    .map((l) => /^ {2}(\S+):\d+:\d+ {2}/.exec(l)?.[1])
    .filter(Boolean);
  const blocks = files.filter((f, i) => f !== files[i - 1]);
  assert.equal(new Set(blocks).size, blocks.length, `files interleaved: ${blocks.join(', ')}`);
});

test('the evidence that sets the level comes first, then the ledger, then findings grouped by rule with counts and the first locations', () => {
  const pkg = pkgNamed('evil-pkg');
  for (let i = 0; i < 40; i++) pkg.findings.push({ ...pkg.findings[2], line: 100 + i, detail: `VAR_${i}` });
  const out = renderExplain(pkg);
  const order = ['Reasons', 'Why critical: the evidence that sets the level', 'Score', 'Environment', 'Capabilities', 'Findings (50) by rule', 'Dependency paths'];
  const at = order.map((h) => out.split('\n').indexOf(h));
  assert.ok(at.every((i) => i >= 0), JSON.stringify(at));
  assert.deepEqual([...at].sort((a, b) => a - b), at, 'sections in order');
  const why = out.slice(out.indexOf('Why critical'), out.indexOf('\nScore\n'));
  assert.match(why, /^ {2}setup\.js:19:3 {2}exfiltration {2}process\.env\.NPM_TOKEN \(line 4\) → https\.request body \(line 19\)/m, 'the flow with both ends');
  assert.match(out, /^ {2}env-read \(43\)\n {4}lib\/run\.js:9:5 {2}HOME\n {4}setup\.js:4:11 {2}NPM_TOKEN {2}\(install time\)\n {4}setup\.js:5:11 {2}AWS_SECRET_ACCESS_KEY {2}\(install time\)\n {4}… 40 more \(--all lists every finding\)$/m);
  assert.match(out, /^ {2}exfiltration \(1\)$/m);
  assert.ok(out.split('\n').length < 60, 'a page, not a listing');
  assert.ok(renderExplain(pkg, { all: true }).includes('VAR_39'));
  // the ledger stays complete
  for (const item of pkg.scoreBreakdown!) assert.ok(out.includes(item.reason), item.reason);
});

test('flows show both ends; message shown', () => {
  const out = renderExplain(pkgNamed('evil-pkg'));
  assert.match(out, /setup\.js:19:3 {2}exfiltration {2}process\.env\.NPM_TOKEN \(line 4\) → https\.request body \(line 19\) {2}\(install time\)/);
  assert.match(out, /the whole environment is sent in an HTTPS request body/);
});

test('unreachable and expected are marked', () => {
  assert.match(renderExplain(pkgNamed('config-loader')), /examples\/db\.js:1:13 {2}env-read {2}DATABASE_URL {2}\(unreachable\)/);
  assert.match(renderExplain(pkgNamed('@sentry/node')), /SENTRY_DSN {2}\(expected: vendor SDK reading its own prefix\)/);
});

test('env summary and dependency paths as a > b > c', () => {
  const out = renderExplain(pkgNamed('config-loader'));
  assert.match(out, /reads: DATABASE_URL \(secret\), STRIPE_SECRET_KEY \(secret\), APP_NAME/);
  assert.match(out, /writes: NODE_ENV/);
  assert.match(out, /reads keys computed at run time/);
  assert.match(renderExplain(pkgNamed('evil-pkg')), /^Dependency paths\n {2}my-app > useful-lib > evil-pkg\n {2}my-app > other > evil-pkg$/m);
});

test('a package without findings says so', () => {
  assert.match(renderExplain(pkgNamed('left-pad')), /No findings/);
});

test('colour only when asked', () => {
  assert.ok(!renderExplain(pkgNamed('evil-pkg')).includes('\u001b'));
  assert.ok(renderExplain(pkgNamed('evil-pkg'), { color: true }).includes('\u001b[31m'));
});

test('hostile package: every field escaped, no control bytes', () => {
  const evil = hostileReport().packages[0];
  const out = renderExplain(evil);
  assertNoControlChars(out, 'explain');
  assert.ok(out.includes('\\x1b[31m'));
  assert.ok(out.includes('\\u202e'));
  assert.ok(out.includes('\\n::error::x.js'), 'a newline in a file name cannot start a new line');
  const coloured = renderExplain(evil, { color: true });
  assertNoControlChars(coloured.replace(/\u001b\[\d+m/g, ''), 'coloured explain');
});

test('a minified one-line snippet is cut, not printed whole', () => {
  const p = pkgNamed('debug');
  p.findings[0].snippet = 'x'.repeat(100_000);
  assert.ok(renderExplain(p).length < 2_000);
});
