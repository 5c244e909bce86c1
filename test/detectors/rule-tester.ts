// ESLint's RuleTester idea for env-audit: a detector's tests are data. `valid` code must produce
// no finding of the rule; each `invalid` case lists the details it must produce (in order). Every
// case runs through the real acorn parse and the whole engine, and the invalid cases also run
// with the prefilter on — all detectors', and the detector's own words alone — so a prefilter that
// loses recall, or a detector whose triggers miss a way it fires, fails the detector's own table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../src/analyze/index.js';
import { DETECTORS } from '../../src/analyze/detectors/index.js';
import type { FileJob, RuleId, SourceType } from '../../src/model.js';

export type ValidCase = string | { code: string; sourceType?: SourceType; name?: string };
export interface InvalidCase {
  code: string;
  /** the `detail` of each expected finding of this rule, in source order. */
  details: string[];
  sourceType?: SourceType;
  name?: string;
}

function job(code: string, sourceType: SourceType = 'commonjs', packageName = 'fixture-pkg'): FileJob {
  return { absPath: '/virtual/index.js', file: 'index.js', sourceType, packageName, size: Buffer.byteLength(code) };
}

export function findingsOf(rule: RuleId, code: string, sourceType: SourceType = 'commonjs', prefilter = false) {
  return analyzeSource(code, job(code, sourceType), { prefilter }).findings.filter((f) => f.rule === rule);
}

function label(code: string): string {
  const one = code.replace(/\s+/g, ' ');
  return one.length > 70 ? one.slice(0, 67) + '...' : one;
}

export function ruleTester(rule: RuleId, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  for (const v of cases.valid) {
    const c = typeof v === 'string' ? { code: v } : v;
    test(`${rule} valid: ${c.name ?? label(c.code)}`, () => {
      const found = findingsOf(rule, c.code, c.sourceType);
      assert.deepEqual(found.map((f) => f.detail), [], `expected no ${rule} finding`);
    });
  }
  for (const c of cases.invalid) {
    test(`${rule} invalid: ${c.name ?? label(c.code)}`, () => {
      const found = findingsOf(rule, c.code, c.sourceType);
      assert.deepEqual(found.map((f) => f.detail), c.details);
      for (const f of found) {
        assert.ok(f.line >= 1 && f.column >= 0, 'positions are 1-based lines, 0-based columns');
        assert.ok(!/[\u0000-\u0008\u000b-\u001f]/.test(f.snippet), 'snippets carry no raw control characters');
      }
      const withPrefilter = findingsOf(rule, c.code, c.sourceType, true);
      assert.deepEqual(withPrefilter.map((f) => f.detail), c.details, 'the prefilter must not lose this finding');
      // and the detector's own trigger contract, alone: with only its triggers and modules deciding,
      // what it finds by itself is still found (the union of all detectors' words must not be what
      // carries it)
      const own = DETECTORS.find((d) => d.meta.rules.includes(rule));
      if (own) {
        const alone = (prefilter: boolean) =>
          analyzeSource(c.code, job(c.code, c.sourceType), { detectors: [own], prefilter }).findings.filter((f) => f.rule === rule).map((f) => f.detail);
        assert.deepEqual(alone(true), alone(false), `${rule}'s own triggers and modules must not lose its finding`);
      }
    });
  }
}
