import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CAPABILITIES, LEVELS, RULE_IDS, type Report } from '../../src/model.js';
import { renderJson } from '../../src/report/json.js';
import { assertNoControlChars, hostileReport, sampleReport } from './fixtures.js';
import { reportSchemaPath, validateReport } from './validate.js';

const clone = <T>(v: T): T => structuredClone(v);
const parseReport = (text: string): Report => JSON.parse(text) as Report;

test('the sample report uses every rule id and capability (so the schema test covers them)', () => {
  const r = sampleReport();
  const rules = new Set(r.packages.flatMap((p) => p.findings.map((f) => f.rule)));
  assert.deepEqual([...rules].sort(), [...RULE_IDS].sort());
  const caps = new Set(r.packages.flatMap((p) => p.capabilities));
  assert.deepEqual([...caps].sort(), [...CAPABILITIES].sort());
});

test('rendered JSON validates against schema/report.schema.json', () => {
  const text = renderJson(sampleReport());
  assert.deepEqual(validateReport(JSON.parse(text)), []);
});

test('JSON is pretty (2 spaces), ends with a newline and round-trips the data', () => {
  const report = sampleReport();
  const text = renderJson(report);
  assert.ok(text.endsWith('}\n'));
  assert.ok(text.startsWith('{\n  "schemaVersion": 1,\n  "tool": {\n    "name": "env-audit",'));
  assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(report)));
});

test('keys come out in contract order whatever order the object was built in', () => {
  const r = sampleReport();
  const shuffled = {
    packages: r.packages.map((p) => {
      const { findings, name, env, level, ...rest } = p;
      return {
        findings: findings.map(({ snippet, rule, ...f }) => ({ snippet, ...f, rule })),
        level,
        env: { writes: env.writes, bulk: env.bulk, reads: env.reads, dynamic: env.dynamic, secretReads: env.secretReads },
        ...rest,
        name,
      };
    }),
    summary: { durationMs: r.summary.durationMs, byLevel: { none: 1, low: 1, medium: 1, high: 1, critical: 0 }, packages: 1, files: 1, bytes: 1, parseErrors: 0 },
    root: r.root,
    generatedAt: r.generatedAt,
    futureField: 'kept',
    tool: r.tool,
    schemaVersion: 1,
  } as unknown as Report;
  const out = parseReport(renderJson(shuffled));
  assert.deepEqual(Object.keys(out), ['schemaVersion', 'tool', 'generatedAt', 'root', 'summary', 'packages', 'futureField']);
  assert.deepEqual(Object.keys(out.summary), ['packages', 'files', 'bytes', 'parseErrors', 'byLevel', 'durationMs']);
  assert.deepEqual(Object.keys(out.summary.byLevel), ['critical', 'high', 'medium', 'low', 'none']);
  const p = out.packages[0];
  assert.deepEqual(Object.keys(p).slice(0, 13), [
    'name', 'version', 'location', 'dev', 'optional', 'peer', 'score', 'level', 'env', 'capabilities', 'reasons', 'findings', 'paths',
  ]);
  assert.deepEqual(Object.keys(p.env), ['reads', 'secretReads', 'dynamic', 'bulk', 'writes']);
  assert.deepEqual(Object.keys(p.findings[0]).slice(0, 6), ['rule', 'file', 'line', 'column', 'detail', 'snippet']);
  const flow = out.packages[0].findings.find((f) => f.flow)?.flow;
  assert.ok(flow);
  assert.deepEqual(Object.keys(flow), ['source', 'sink']);
  assert.deepEqual(Object.keys(flow.source), ['detail', 'line', 'column']);
});

test('the schema enums are exactly the model constants', () => {
  const schema = JSON.parse(readFileSync(reportSchemaPath, 'utf8')) as { definitions: Record<string, { enum: unknown }> };
  assert.deepEqual(schema.definitions.ruleId.enum, [...RULE_IDS]);
  assert.deepEqual(schema.definitions.capability.enum, [...CAPABILITIES]);
  assert.deepEqual(schema.definitions.level.enum, [...LEVELS]);
});

// An edit of the rendered JSON at a path of keys: the negative cases poke values the types forbid.
type Path = Array<string | number>;
type Edit = ['set', Path, unknown] | ['push', Path, unknown] | ['delete', Path];

function applyEdit(root: unknown, edit: Edit): void {
  const path = edit[1];
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (edit[0] === 'delete') delete node[last];
  else if (edit[0] === 'push') (node[last] as unknown[]).push(edit[2]);
  else node[last] = edit[2];
}

test('the schema lets fields be added', () => {
  const r: unknown = JSON.parse(renderJson(sampleReport()));
  applyEdit(r, ['set', ['newTopLevel'], { anything: true }]);
  applyEdit(r, ['set', ['packages', 0, 'newPackageField'], 1]);
  applyEdit(r, ['set', ['packages', 0, 'findings', 0, 'newFindingField'], 'x']);
  assert.deepEqual(validateReport(r), []);
});

const negatives: Array<[string, Edit, RegExp]> = [
  ['missing packages', ['delete', ['packages']], /packages/],
  ['missing summary.byLevel', ['delete', ['summary', 'byLevel']], /byLevel/],
  ['missing package env', ['delete', ['packages', 0, 'env']], /env/],
  ['missing finding snippet', ['delete', ['packages', 0, 'findings', 0, 'snippet']], /snippet/],
  ['missing env.secretReads', ['delete', ['packages', 1, 'env', 'secretReads']], /secretReads/],
  ['wrong level', ['set', ['packages', 0, 'level'], 'severe'], /level/],
  ['wrong rule', ['set', ['packages', 0, 'findings', 0, 'rule'], 'env_read'], /rule/],
  ['wrong capability', ['push', ['packages', 0, 'capabilities'], 'network_access'], /capabilities/],
  ['schemaVersion 2', ['set', ['schemaVersion'], 2], /schemaVersion/],
  ['tool name', ['set', ['tool', 'name'], 'other'], /tool/],
  ['score as string', ['set', ['packages', 0, 'score'], '96'], /score/],
  ['score above 100', ['set', ['packages', 0, 'score'], 101], /score/],
  ['dev as string', ['set', ['packages', 0, 'dev'], 'false'], /dev/],
  ['line 0', ['set', ['packages', 0, 'findings', 0, 'line'], 0], /line/],
  ['negative column', ['set', ['packages', 0, 'findings', 0, 'column'], -1], /column/],
  ['fractional line', ['set', ['packages', 0, 'findings', 0, 'line'], 1.5], /line/],
  ['raw control char in snippet', ['set', ['packages', 0, 'findings', 0, 'snippet'], 'a\u001b[31mb'], /snippet/],
  ['byLevel with an unknown level', ['set', ['summary', 'byLevel', 'severe'], 1], /byLevel/],
  ['generatedAt not a date', ['set', ['generatedAt'], 'yesterday'], /generatedAt/],
  ['paths not nested arrays', ['set', ['packages', 0, 'paths'], ['my-app']], /paths/],
  ['reachable as string', ['set', ['packages', 2, 'findings', 4, 'reachable'], 'no'], /reachable/],
  ['flow without sink', ['delete', ['packages', 0, 'findings', 5, 'flow', 'sink']], /flow/],
  ['scoreBreakdown points as string', ['set', ['packages', 0, 'scoreBreakdown', 0, 'points'], '60'], /scoreBreakdown/],
  ['integrity as number', ['set', ['packages', 0, 'integrity'], 1], /integrity/],
  ['top-level warnings not strings', ['set', ['warnings'], [1]], /warnings/],
  ['duplicate env reads', ['push', ['packages', 3, 'env', 'reads'], 'DEBUG'], /reads/],
];

for (const [name, edit, where] of negatives) {
  test(`schema rejects: ${name}`, () => {
    const r: unknown = JSON.parse(renderJson(sampleReport()));
    applyEdit(r, edit);
    const errors = validateReport(r);
    assert.ok(errors.length > 0, 'expected validation errors');
    assert.ok(errors.some((e) => where.test(e)), errors.join('\n'));
  });
}

test('hostile strings: JSON text holds no raw control or bidi byte, yet parses back to the exact data', () => {
  const report = hostileReport();
  const text = renderJson(report);
  assertNoControlChars(text, 'json');
  assert.ok(text.includes('\\u001b'));
  assert.ok(text.includes('\\u202e'));
  assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(report)));
});

test('hostile report: the only contract violation is the raw control bytes in snippets', () => {
  const report = clone(hostileReport());
  const errors = validateReport(JSON.parse(renderJson(report)));
  assert.ok(errors.length > 0 && errors.every((e) => /snippet/.test(e)), errors.join('\n'));
  for (const p of report.packages) for (const f of p.findings) f.snippet = f.snippet.replace(/[\u0000-\u001f\u007f]/g, '?');
  assert.deepEqual(validateReport(JSON.parse(renderJson(report))), []);
});
