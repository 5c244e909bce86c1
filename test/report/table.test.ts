import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Report } from '../../src/model.js';
import { renderTable } from '../../src/report/table.js';
import { displayWidth } from '../../src/report/table-layouts.js';
import { formatBytes, formatCount, formatDuration, joinLimited, truncate } from '../../src/report/util.js';
import { assertNoControlChars, hostileReport, sampleReport } from './fixtures.js';
import { applyAllowlist } from '../../src/policy/allowlist.js';

/** Lines of the table body that hold a package (first cell starts with a name). */
function dataRows(out: string): string[] {
  return out.split('\n').filter((l) => /^│ \S/.test(l) && !l.startsWith('│ Package'));
}

test('rows riskiest first; level none counted, not listed', () => {
  const out = renderTable(sampleReport());
  const rows = dataRows(out);
  assert.equal(rows.length, 4);
  assert.match(rows[0], /^│ evil-pkg@1\.0\.0 +│ critical │ +96 │/);
  assert.match(rows[1], /^│ @sentry\/node@7\.100\.0 +│ high /);
  assert.match(rows[2], /^│ config-loader@2\.1\.0 \(dev\) +│ medium /);
  assert.match(rows[3], /^│ debug@4\.3\.4 +│ low /);
  assert.ok(!out.includes('left-pad'));
  assert.match(out, /2 packages at level none not listed/);
});

test('all lists level none too', () => {
  const out = renderTable(sampleReport(), { all: true });
  assert.equal(dataRows(out).length, 6);
  assert.match(out, /left-pad@1\.3\.0/);
  assert.doesNotMatch(out, /not listed/);
});

test('env column: markers first, secrets marked, long lists cut between names', () => {
  const out = renderTable(sampleReport());
  const [evil, sentry, config, debug] = dataRows(out);
  assert.match(evil, /\[whole env\], AWS_SECRET_ACCESS_KEY\*/);
  assert.match(sentry, /SENTRY_DSN\*, SENTRY_RELEASE +│/);
  assert.match(config, /\[dynamic\], DATABASE_URL\*(, STRIPE_SECRET_KEY\*)? \+\d+ more/);
  assert.match(debug, /│ DEBUG +│ env +│ reads DEBUG/);
  assert.match(out, /\* = name looks like a secret/);
});

test('capabilities use short names; reason is reasons[0]', () => {
  const [evil] = dataRows(renderTable(sampleReport()));
  assert.match(evil, /proc, env, creds, install, net, obfusc/);
  assert.match(evil, /the whole environment flows into https\.request at install time/);
});

test('summary line and hint', () => {
  const out = renderTable(sampleReport());
  assert.ok(
    out.includes(
      '812 packages, 23,110 files (187 MB) scanned in 4.1s: 1 critical, 1 high, 1 medium, 1 low, 808 none. 3 files could not be parsed.',
    ),
    out,
  );
  assert.ok(out.includes('Run "env-audit explain <name>" for evidence.'));
  assert.ok(out.endsWith('\n'));
});

test('no package above none: a sentence instead of an empty table', () => {
  const r = sampleReport();
  r.packages = r.packages.filter((p) => p.level === 'none');
  r.summary = { ...r.summary, packages: 2, parseErrors: 0, byLevel: { critical: 0, high: 0, medium: 0, low: 0, none: 2 } };
  const out = renderTable(r);
  assert.ok(!out.includes('┌'));
  assert.match(out, /No risky package found: all 2 packages are at level none\./);
  assert.match(out, /^2 packages, 23,110 files/m);
  const empty: Report = { ...r, packages: [], summary: { ...r.summary, packages: 0, byLevel: { critical: 0, high: 0, medium: 0, low: 0, none: 0 } } };
  assert.match(renderTable(empty), /No packages were scanned\./);
});

test('colour off: not a single ESC byte; colour on: levels coloured', () => {
  const plain = renderTable(sampleReport(), { color: false, all: true });
  assert.ok(!plain.includes('\u001b'));
  const coloured = renderTable(sampleReport(), { color: true });
  assert.ok(coloured.includes('\u001b[31m'), 'critical in red');
  assert.ok(coloured.includes('\u001b[33mhigh'), 'high in yellow');
});

test('width: the table shrinks to fit a narrow terminal', () => {
  for (const width of [100, 120]) {
    const out = renderTable(sampleReport(), { width });
    const tableLines = out.split('\n').filter((l) => /^[┌│├└]/.test(l));
    for (const l of tableLines) assert.ok(Array.from(l).length <= width, `${Array.from(l).length} > ${width}: ${l}`);
    assert.match(out, /evil-pkg@1\.0\.0/);
  }
});

test('hostile package: escaped, no control bytes with colour off or on (except our own SGR)', () => {
  const plain = renderTable(hostileReport(), { all: true });
  assertNoControlChars(plain, 'table');
  assert.ok(plain.includes('\\x1b[31m'), 'ESC shown as a visible escape');
  assert.ok(plain.includes('\\u202e'), 'bidi override shown as a visible escape');
  const narrow = renderTable(hostileReport(), { width: 80 });
  assertNoControlChars(narrow, 'narrow table');
  const coloured = renderTable(hostileReport(), { color: true });
  // Strip only the SGR sequences we emit; nothing else may remain.
  assertNoControlChars(coloured.replace(/\u001b\[\d+m/g, ''), 'coloured table');
  assert.ok(!coloured.includes('\u001b]'), 'no OSC (hyperlink) sequence');
});

test('formatting helpers', () => {
  assert.equal(formatCount(23110), '23,110');
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(formatBytes(187_000_000), '187 MB');
  assert.equal(formatBytes(5120), '5.1 kB');
  assert.equal(formatBytes(999), '999 B');
  assert.equal(formatDuration(4120), '4.1s');
  assert.equal(formatDuration(850), '850ms');
  assert.equal(formatDuration(83_000), '1m 23s');
  assert.equal(joinLimited(['A', 'B', 'C', 'D', 'E'], 3), 'A, B, C +2 more');
  assert.equal(truncate('short', 10), 'short');
  assert.equal(truncate('reads a secret and can reach the network', 20), 'reads a secret and…');
  assert.equal(Array.from(truncate('😀'.repeat(10), 5)).length, 5, 'never splits a surrogate pair');
});

test('an allowlist that lowers a level shows both: scanned → effective, and says what that means', () => {
  const report = sampleReport();
  applyAllowlist(report, [{ package: '@sentry/node', env: ['SENTRY_*'], capabilities: ['network'], reason: 'error reporting', field: 'allow[0]' }], '2026-01-01');
  const sentry = report.packages.find((p) => p.name === '@sentry/node')!;
  assert.ok(sentry.effectiveLevel && sentry.effectiveLevel !== sentry.level, 'the entry lowers the level');
  const out = renderTable(report);
  const row = dataRows(out).find((r) => r.includes('@sentry/node'))!;
  assert.ok(row.includes(`high → ${sentry.effectiveLevel}`), row);
  assert.match(out, /a → b: scanned level a, level b once the allowlist's accepted findings are left out/);
  // without an allowlist there is no arrow and no note
  assert.doesNotMatch(renderTable(sampleReport()), /→/);
});

test('under 100 columns: a compact layout in which every line fits the width, whatever the package strings', () => {
  for (const width of [60, 80, 99]) {
    for (const report of [sampleReport(), hostileReport()]) {
      const out = renderTable(report, { width, all: true });
      for (const l of out.trimEnd().split('\n')) assert.ok(displayWidth(l) <= width, `${displayWidth(l)} > ${width}: ${l}`);
      assert.ok(!out.includes('│'), 'no borders');
      assertNoControlChars(out, 'compact table');
    }
  }
  const out = renderTable(sampleReport(), { width: 80 });
  assert.match(out, /^critical {2}96 {2}evil-pkg@1\.0\.0 · proc, env, creds, install, net, obfusc$/m);
  assert.match(out, /^ {4}\[whole env\], AWS_SECRET_ACCESS_KEY\* \+2 more — the whole environment flows/m);
  // wide characters take two columns
  const wide = sampleReport();
  wide.packages[0].reasons = ['漢字'.repeat(60)];
  for (const l of renderTable(wide, { width: 80 }).trimEnd().split('\n')) assert.ok(displayWidth(l) <= 80, l);
});

test('piped: one stable line per package, no borders, bounded length', () => {
  const out = renderTable(sampleReport(), { layout: 'lines' });
  const rows = out.split('\n').filter((l) => /^(critical|high|medium|low) /.test(l));
  assert.equal(rows.length, 4);
  assert.equal(rows[0], 'critical  96  evil-pkg@1.0.0  env: [whole env], AWS_SECRET_ACCESS_KEY*, NPM_TOKEN*, HOME  caps: proc, env, creds, install, net, obfusc  the whole environment flows into https.request at install time');
  assert.match(rows[2], /^medium {4}40 {2}config-loader@2\.1\.0 \(dev\) {2}/);
  for (const l of rows) assert.ok(l.length <= 300, String(l.length));
  assert.ok(!out.includes('│'));
});

test('against a baseline, new and changed packages are marked in every layout', () => {
  const report = sampleReport();
  report.packages[1].baseline = 'new';
  report.packages[2].baseline = 'changed';
  report.packages[0].baseline = 'unchanged';
  for (const opts of [{}, { width: 80 }, { layout: 'lines' as const }]) {
    const out = renderTable(report, opts);
    assert.match(out, /@sentry\/node@7\.100\.0 \[new\]/);
    assert.match(out, /config-loader@2\.1\.0 \(dev\) \[changed\]/);
    assert.doesNotMatch(out, /evil-pkg@1\.0\.0 \[/);
    assert.match(out, /\[new\], \[changed\]: not in the baseline, or riskier than it recorded\./);
  }
});
