import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RULE_IDS } from '../../src/model.js';
import { RULE_DEFAULT_LEVEL, RULE_HELP, defaultRules } from '../../src/report/rule-help.js';
import { FINGERPRINT_KEY, packageFingerprint, pathToUri, renderSarif, sarifLevel, type SarifOptions } from '../../src/report/sarif.js';
import type { Level } from '../../src/model.js';
import { assertNoControlChars, hostileReport, sampleReport } from './fixtures.js';
import { validateSarif } from './validate.js';
import { parseSarif, type SarifLog } from './sarif-log.js';
import { applyAllowlist } from '../../src/policy/allowlist.js';

/** The value, asserted present (a result or location the test expects to find). */
function must<T>(x: T | undefined): T {
  assert.ok(x !== undefined);
  return x;
}

function sarif(report = sampleReport(), level?: Level | SarifOptions): SarifLog {
  return parseSarif(renderSarif(report, typeof level === 'string' ? { level } : (level ?? {})));
}

test('RULE_HELP has one actionable entry per rule id', () => {
  assert.deepEqual(Object.keys(RULE_HELP).sort(), [...RULE_IDS].sort());
  assert.deepEqual(Object.keys(RULE_DEFAULT_LEVEL).sort(), [...RULE_IDS].sort());
  const names = new Set<string>();
  for (const id of RULE_IDS) {
    const h = RULE_HELP[id];
    assert.match(h.name, /^[A-Z][A-Za-z]+$/, id);
    assert.ok(!names.has(h.name), `duplicate name ${h.name}`);
    names.add(h.name);
    assert.ok(h.shortDescription.endsWith('.'), id);
    assert.ok(h.help.split('\n\n').length >= 2, `${id}: help should say what was seen and what to check`);
    assert.match(h.help, /Check/, id);
  }
});

test('SARIF output validates against the official SARIF 2.1.0 schema', () => {
  assert.deepEqual(validateSarif(sarif()), []);
});

test('run metadata: $schema, version, one run, driver with every rule', () => {
  const log = sarif();
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-2\.1\.0/);
  assert.equal(log.runs.length, 1);
  const driver = log.runs[0].tool.driver;
  assert.equal(driver.name, 'env-audit');
  assert.equal(driver.version, '0.1.0');
  assert.match(driver.informationUri, /^https:\/\//);
  assert.deepEqual(driver.rules.map((r) => r.id), [...RULE_IDS]);
  for (const r of driver.rules) {
    assert.ok(r.name && r.shortDescription.text && r.fullDescription.text && r.help.text && r.help.markdown, r.id);
    assert.ok(!r.help.text.includes('`'), 'help.text is plain text');
    assert.ok(['error', 'warning', 'note'].includes(r.defaultConfiguration.level));
  }
});

test('one result per package at or above the reporting level (default medium), ruleIndex pointing at its rule', () => {
  const report = sampleReport();
  const results = sarif(report).runs[0].results;
  assert.deepEqual(results.map((r) => r.properties.package), ['evil-pkg', '@sentry/node', 'config-loader']);
  assert.deepEqual(sarif(report, 'high').runs[0].results.map((r) => r.properties.package), ['evil-pkg', '@sentry/node']);
  assert.equal(sarif(report, 'low').runs[0].results.length, 4);
  const rules = sarif(report).runs[0].tool.driver.rules;
  for (const r of results) assert.equal(rules[must(r.ruleIndex)].id, r.ruleId);
  assert.deepEqual(validateSarif(sarif(report, 'low')), []);
});

test('levels follow the package level', () => {
  assert.equal(sarifLevel('critical'), 'error');
  assert.equal(sarifLevel('high'), 'error');
  assert.equal(sarifLevel('medium'), 'warning');
  assert.equal(sarifLevel('low'), 'note');
  assert.equal(sarifLevel('none'), 'note');
  const results = sarif(sampleReport(), 'low').runs[0].results;
  assert.deepEqual(results.map((r) => r.level), ['error', 'error', 'warning', 'note']);
});

test('the location is the evidence that sets the level; the other findings are related locations', () => {
  const results = sarif().runs[0].results;
  const evil = must(results.find((x) => x.properties.package === 'evil-pkg'));
  assert.equal(evil.ruleId, 'exfiltration', 'the flow sets the level');
  const loc = evil.locations[0].physicalLocation;
  assert.equal(loc.artifactLocation.uri, 'node_modules/evil-pkg/setup.js');
  assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
  assert.equal(loc.region.startLine, 19);
  assert.equal(loc.region.startColumn, 3); // column 2, 0-based
  assert.equal(loc.region.snippet.text, 'req.write(data)');
  const related = must(evil.relatedLocations);
  assert.equal(related.length, sampleReport().packages[0].findings.length - 1, 'every other finding of a small package');
  assert.deepEqual(related.map((r) => r.id), related.map((_, i) => i + 1));
  const bulk = must(related.find((r) => r.message.text.startsWith('env-bulk')));
  assert.equal(bulk.physicalLocation.region.startLine, 3);
  assert.equal(bulk.physicalLocation.region.startColumn, 15);
  assert.equal(bulk.message.text, 'env-bulk: JSON.stringify(process.env) (install time)');
  assert.equal(related[0].message.text, 'install-script: postinstall: node setup.js — runs at install time (install time)', 'the ledger items next');
  const scoped = must(results.find((x) => x.properties.package === '@sentry/node'));
  assert.match(scoped.locations[0].physicalLocation.artifactLocation.uri, /^node_modules\/@sentry\/node\/cjs\//);
});

test('message: verdict, reason, the whole ledger and the counts per rule', () => {
  const results = sarif().runs[0].results;
  const evil = must(results.find((x) => x.properties.package === 'evil-pkg'));
  assert.equal(
    evil.message.text,
    'evil-pkg@1.0.0 is critical, score 96/100: the whole environment flows into https.request at install time\n' +
      'Score ledger:\n+60 the whole environment flows into a network sink (setup.js:19)\n+25 runs at install time (package.json:6)\n+20 reads ~/.npmrc (setup.js:8)\n' +
      'Findings: env-read 3, child-process 1, credential-file 1, env-bulk 1, exfiltration 1, install-script 1, network 1, obfuscation 1.',
  );
  assert.deepEqual(evil.properties, { package: 'evil-pkg', version: '1.0.0', score: 96, level: 'critical', findings: 10 });
});

test('a package with many findings: related locations are capped per rule and in all, and the message says how to see them', () => {
  const report = sampleReport();
  const evil = report.packages[0];
  for (let i = 0; i < 500; i++) evil.findings.push({ ...evil.findings[2], line: 100 + i, detail: `VAR_${i}` });
  const r = sarif(report).runs[0].results[0];
  const related = must(r.relatedLocations);
  assert.ok(related.length <= 25, String(related.length));
  assert.equal(related.filter((x) => x.message.text.startsWith('env-read:')).length, 3);
  assert.match(r.message.text, /Findings: env-read 503, .*; \d+ shown as related locations, all with "env-audit explain evil-pkg"\.$/);
  assert.ok(renderSarif(report).length < 40_000);
});

test('fingerprints: one per package, the same across a version bump and moved lines', () => {
  const before = sarif().runs[0].results;
  const bumped = sampleReport();
  for (const p of bumped.packages) {
    p.version = '9.9.9';
    for (const f of p.findings) {
      f.line += 10;
      f.column += 3;
    }
  }
  const after = sarif(bumped).runs[0].results;
  assert.deepEqual(
    after.map((r) => r.partialFingerprints[FINGERPRINT_KEY]),
    before.map((r) => r.partialFingerprints[FINGERPRINT_KEY]),
  );
  assert.equal(new Set(before.map((r) => r.partialFingerprints[FINGERPRINT_KEY])).size, before.length);
  const fp = packageFingerprint({ name: 'debug', location: 'node_modules/debug' });
  assert.notEqual(fp, packageFingerprint({ name: 'debug', location: 'node_modules/x/node_modules/debug' }), 'two copies of a package are two alerts');
  assert.match(fp, /^[0-9a-f]{32}$/);
});

test('custom rule metadata is used when given', () => {
  const rules = defaultRules().map((r) => (r.id === 'env-read' ? { ...r, name: 'CustomEnvRead', defaultLevel: 'warning' as const } : r));
  const log = sarif(sampleReport(), { rules });
  const rule = log.runs[0].tool.driver.rules.find((r) => r.id === 'env-read')!;
  assert.equal(rule.name, 'CustomEnvRead');
  assert.equal(rule.defaultConfiguration.level, 'warning');
});

test('a result whose rule is not in the rules list still validates (no ruleIndex)', () => {
  const rules = defaultRules().filter((r) => r.id !== 'exfiltration');
  const log = parseSarif(renderSarif(sampleReport(), { rules }));
  const r = must(log.runs[0].results.find((x) => x.ruleId === 'exfiltration'));
  assert.equal(r.ruleIndex, undefined);
  assert.ok(log.runs[0].results.every((x) => x.ruleIndex === undefined || x.ruleId !== 'parse-error'));
  assert.deepEqual(validateSarif(log), []);
});

test('paths become valid relative URI references', () => {
  assert.equal(pathToUri('node_modules/@scope/a b/x#1?.js'), 'node_modules/@scope/a%20b/x%231%3F.js');
  assert.equal(pathToUri('node_modules/a/\u001b[31m\u202e.js'), 'node_modules/a/%1B%5B31m%E2%80%AE.js');
  assert.equal(pathToUri('lib/100%.js'), 'lib/100%25.js');
});

test('hostile package: valid SARIF, no raw control bytes, no embedded links in messages', () => {
  const text = renderSarif(hostileReport());
  assertNoControlChars(text, 'sarif');
  const log = parseSarif(text);
  assert.deepEqual(validateSarif(log), []);
  for (const r of log.runs[0].results) {
    assertNoControlChars(r.message.text, 'sarif message');
    assertNoControlChars(r.locations[0].physicalLocation.region.snippet.text, 'sarif snippet');
    // SARIF embedded links are "[text](target)": every literal bracket must be escaped.
    assert.ok(!/(^|[^\\])\[/.test(r.message.text), r.message.text);
    assert.ok(!/(^|[^\\])\]/.test(r.message.text), r.message.text);
    assert.ok(!r.locations[0].physicalLocation.artifactLocation.uri.includes('..'));
  }
});

test('a package the allowlist brings below the reporting level is a suppressed result with the reason; loudness follows the effective level', () => {
  const report = sampleReport();
  applyAllowlist(report, [{ package: '@sentry/node', reason: 'error reporting <to> our DSN', field: 'allow[0]' }], '2026-01-01');
  const sentry = report.packages.find((p) => p.name === '@sentry/node')!;
  assert.equal(sentry.effectiveLevel, 'none', 'the allowlist accepts the whole package');
  const log = sarif(report);
  assert.deepEqual(validateSarif(log), []);
  const r = must(log.runs[0].results.find((x) => x.properties.package === '@sentry/node'));
  assert.deepEqual(r.suppressions, [{ kind: 'external', justification: 'error reporting <to> our DSN' }]);
  assert.equal(r.level, sarifLevel('none'));
  assert.equal(r.properties.effectiveLevel, 'none');
  assert.equal(r.properties.level, 'high', 'the scanned level is still there');
  assert.match(r.message.text, /is high \(none after the allowlist\)/);
  // packages the allowlist did not touch have no suppressions and no effectiveLevel
  const others = log.runs[0].results.filter((x) => x.properties.package !== '@sentry/node');
  assert.ok(others.every((x) => x.suppressions === undefined && x.properties.effectiveLevel === undefined));
});
