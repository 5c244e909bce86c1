import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RULE_IDS } from '../../src/model.js';
import { RULE_DEFAULT_LEVEL, RULE_HELP, defaultRules } from '../../src/report/rule-help.js';
import { FINGERPRINT_KEY, findingFingerprint, pathToUri, renderSarif, sarifLevel, type SarifOptions } from '../../src/report/sarif.js';
import { assertNoControlChars, hostileReport, sampleReport } from './fixtures.js';
import { validateSarif } from './validate.js';
import { parseSarif, type SarifLog } from './sarif-log.js';
import { applyAllowlist } from '../../src/policy/allowlist.js';

function sarif(report = sampleReport(), opts?: SarifOptions): SarifLog {
  return parseSarif(renderSarif(report, opts));
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

test('one result per finding, with ruleIndex pointing at its rule', () => {
  const report = sampleReport();
  const log = sarif(report);
  const results = log.runs[0].results;
  assert.equal(results.length, report.packages.reduce((n, p) => n + p.findings.length, 0));
  const rules = log.runs[0].tool.driver.rules;
  for (const r of results) assert.equal(rules[r.ruleIndex!].id, r.ruleId);
});

test('levels follow the package level', () => {
  assert.equal(sarifLevel('critical'), 'error');
  assert.equal(sarifLevel('high'), 'error');
  assert.equal(sarifLevel('medium'), 'warning');
  assert.equal(sarifLevel('low'), 'note');
  assert.equal(sarifLevel('none'), 'note');
  const results = sarif().runs[0].results;
  const byPkg = (name: string) => results.filter((r) => r.properties.package === name).map((r) => r.level);
  assert.ok(byPkg('evil-pkg').every((l: string) => l === 'error'));
  assert.ok(byPkg('@sentry/node').every((l: string) => l === 'error'));
  assert.ok(byPkg('config-loader').every((l: string) => l === 'warning'));
  assert.ok(byPkg('debug').every((l: string) => l === 'note'));
  assert.ok(byPkg('broken').every((l: string) => l === 'note'));
});

test('location: file under node_modules relative to %SRCROOT%, 1-based column, snippet', () => {
  const results = sarif().runs[0].results;
  const r = results.find((x) => x.properties.package === 'evil-pkg' && x.ruleId === 'env-bulk')!;
  const loc = r.locations[0].physicalLocation;
  assert.equal(loc.artifactLocation.uri, 'node_modules/evil-pkg/setup.js');
  assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
  assert.equal(loc.region.startLine, 3);
  assert.equal(loc.region.startColumn, 15); // column 14, 0-based
  assert.equal(loc.region.snippet.text, 'const data = JSON.stringify(process.env);');
  const scoped = results.find((x) => x.properties.package === '@sentry/node')!;
  assert.equal(scoped.locations[0].physicalLocation.artifactLocation.uri, 'node_modules/@sentry/node/cjs/sdk.js');
});

test('message: package@version: detail — reason, with flags', () => {
  const results = sarif().runs[0].results;
  const exfil = results.find((x) => x.properties.package === 'evil-pkg' && x.ruleId === 'exfiltration')!;
  assert.equal(
    exfil.message.text,
    'evil-pkg@1.0.0: process.env.NPM_TOKEN (line 4) → https.request body (line 19) — the whole environment is sent in an HTTPS request body (install time)',
  );
  const debug = results.find((x) => x.properties.package === 'debug')!;
  assert.equal(debug.message.text, 'debug@4.3.4: DEBUG — reads DEBUG');
  assert.deepEqual(debug.properties, { package: 'debug', version: '4.3.4', score: 8, level: 'low' });
});

test('fingerprints survive a version bump and a moved line, but not a different detail', () => {
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
  const fp = findingFingerprint('debug', { rule: 'env-read', file: 'src/node.js', detail: 'DEBUG' });
  assert.notEqual(fp, findingFingerprint('debug', { rule: 'env-read', file: 'src/node.js', detail: 'DEBUG_COLORS' }));
  assert.notEqual(fp, findingFingerprint('debugger', { rule: 'env-read', file: 'src/node.js', detail: 'DEBUG' }));
  assert.match(fp, /^[0-9a-f]{32}$/);
});

test('repeated identical findings get distinct fingerprints', () => {
  const report = sampleReport();
  const dbg = report.packages.find((p) => p.name === 'debug')!;
  dbg.findings.push({ ...dbg.findings[0], line: 200 });
  const fps = sarif(report).runs[0].results
    .filter((r) => r.properties.package === 'debug')
    .map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
  assert.equal(new Set(fps).size, 2);
  assert.ok(fps[1].startsWith(fps[0]));
});

test('custom rule metadata is used when given', () => {
  const rules = defaultRules().map((r) => (r.id === 'env-read' ? { ...r, name: 'CustomEnvRead', defaultLevel: 'warning' as const } : r));
  const log = sarif(sampleReport(), { rules });
  const rule = log.runs[0].tool.driver.rules.find((r) => r.id === 'env-read')!;
  assert.equal(rule.name, 'CustomEnvRead');
  assert.equal(rule.defaultConfiguration.level, 'warning');
});

test('a finding whose rule is not in the rules list still validates (no ruleIndex)', () => {
  const rules = defaultRules().filter((r) => r.id !== 'parse-error');
  const log = sarif(sampleReport(), { rules });
  const r = log.runs[0].results.find((x) => x.ruleId === 'parse-error')!;
  assert.equal(r.ruleIndex, undefined);
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

test('allowlisted findings are results with an external suppression and its reason; loudness follows the effective level', () => {
  const report = sampleReport();
  applyAllowlist(report, [{ package: '@sentry/node', env: ['SENTRY_DSN'], capabilities: ['network'], reason: 'error reporting <to> our DSN', field: 'allow[0]' }], '2026-01-01');
  const sentry = report.packages.find((p) => p.name === '@sentry/node')!;
  assert.ok(sentry.effectiveLevel, 'the allowlist re-scored the package');
  const log = sarif(report);
  assert.deepEqual(validateSarif(log), []);
  const results = log.runs[0].results.filter((r) => r.properties.package === '@sentry/node');
  const suppressed = results.filter((r) => r.suppressions);
  assert.equal(suppressed.length, sentry.findings.filter((f) => f.accepted).length);
  assert.ok(suppressed.length > 0 && suppressed.length < results.length, 'some, not all, findings were accepted');
  for (const r of suppressed) {
    assert.deepEqual(r.suppressions, [{ kind: 'external', justification: 'error reporting <to> our DSN' }]);
  }
  for (const r of results) {
    assert.equal(r.level, sarifLevel(sentry.effectiveLevel));
    assert.equal(r.properties.effectiveLevel, sentry.effectiveLevel);
    assert.equal(r.properties.level, 'high', 'the scanned level is still there');
  }
  // packages the allowlist did not touch have no suppressions and no effectiveLevel
  const others = log.runs[0].results.filter((r) => r.properties.package !== '@sentry/node');
  assert.ok(others.every((r) => r.suppressions === undefined && r.properties.effectiveLevel === undefined));
});
