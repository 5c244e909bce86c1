// One record per rule (src/rules): every other place that knows about a rule is checked against
// the records here, so adding a rule and forgetting one of them fails the build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DETECTORS } from '../../src/analyze/detectors/index.js';
import { RULE_IDS, type RuleId } from '../../src/model.js';
import { RULE_DEFAULT_LEVEL, RULE_HELP } from '../../src/report/rule-help.js';
import { RULES, fillMessage, message } from '../../src/rules/index.js';
import { COMBO_KINDS } from '../../src/rules/record.js';
import { WEIGHTS } from '../../src/risk/score.js';
import { repoRoot } from '../helpers.js';

test('every rule id has its record, with scoring, messages and help', () => {
  assert.deepEqual(Object.keys(RULES).sort(), [...RULE_IDS].sort());
  for (const id of RULE_IDS) {
    const r = RULES[id];
    assert.equal(r.id, id);
    assert.ok(Object.keys(r.scoring.weights).length > 0, `${id}: weights`);
    assert.ok(r.scoring.reason && r.scoring.group, `${id}: reason templates`);
    assert.ok(Object.keys(r.messages).length > 0, `${id}: messages`);
    for (const [mid, template] of Object.entries(r.messages)) {
      assert.match(mid, /^[a-z][A-Za-z]*$/, `${id}.${mid}: camelCase messageId`);
      assert.ok(template.length > 0);
    }
    assert.match(r.help.name, /^[A-Z][A-Za-z]+$/);
    assert.ok(r.help.shortDescription && r.help.help.includes('\n\n'), `${id}: help has paragraphs`);
    assert.equal(RULE_HELP[id].help, r.help.help);
    assert.equal(RULE_DEFAULT_LEVEL[id], r.help.sarifLevel);
  }
});

test('a detector reports each detector rule, and each has its valid/invalid table', () => {
  const reported = new Set<RuleId>(DETECTORS.flatMap((d) => d.meta.rules));
  for (const id of RULE_IDS) {
    const byDetector = RULES[id].producer === 'detector';
    assert.equal(reported.has(id), byDetector, `${id}: reported by a detector iff its record says producer 'detector'`);
    if (byDetector) {
      assert.ok(existsSync(path.join(repoRoot, 'src/analyze/detectors', `${id}.ts`)), `${id}: src/analyze/detectors/${id}.ts`);
      assert.ok(existsSync(path.join(repoRoot, 'test/detectors', `${id}.test.ts`)), `${id}: test/detectors/${id}.test.ts`);
    }
  }
});

test('every combination of the scorer has its rules in the records, with an anchor', () => {
  const score = readFileSync(path.join(repoRoot, 'src/risk/score.ts'), 'utf8');
  for (const kind of COMBO_KINDS) {
    const roles = RULE_IDS.map((id) => RULES[id].scoring.combinations[kind]).filter(Boolean);
    assert.ok(roles.includes('anchor') || roles.includes('sink'), `${kind}: some rule completes it`);
    assert.ok(score.includes(`'${kind}'`), `${kind}: the scorer builds it`);
  }
  // the scorer's weights are the records'
  assert.equal(WEIGHTS.network, RULES.network.scoring.weights.points);
  assert.equal(WEIGHTS.envSecretFirst, RULES['env-read'].scoring.weights.secretFirst);
});

test("the schema's rule enum and the README's rule table list exactly the records", () => {
  const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schema/report.schema.json'), 'utf8')) as {
    definitions: { ruleId: { enum: string[] }; capability?: { enum?: string[] } };
  };
  assert.deepEqual(schema.definitions.ruleId.enum, [...RULE_IDS]);
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## What each rule means'), readme.indexOf('## How the score is made'));
  const rows = [...section.matchAll(/^\| `([\w-]+)` \|/gm)].map((m) => m[1]);
  assert.deepEqual(rows, [...RULE_IDS]);
  for (const id of RULE_IDS) {
    if (RULES[id].capability) assert.ok(schema.definitions.capability?.enum?.includes(RULES[id].capability) ?? true);
  }
});

test('messages fill from data in one pass; an unknown messageId throws', () => {
  assert.equal(fillMessage('{a} and {b}', { a: '{b}', b: 1 }), '{b} and 1');
  assert.equal(message('exfiltration', 'flow', { source: 'process.env', sourceLine: 2, sink: 'fetch body', sinkLine: 3 }).detail, 'process.env (line 2) → fetch body (line 3)');
  assert.throws(() => message('network', 'nope'), /no message nope/);
});
