// Shapes of real code that once made the evaluator exponential. Each must finish: the bound
// is a hang guard (exponential cases took minutes to forever), not a speed measurement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../src/analyze/index.js';

const job = (code: string) => ({ absPath: '/v/x.js', file: 'x.js', sourceType: 'commonjs' as const, packageName: 'x', size: code.length });

test('a 200-call builder chain (yargs style) is linear', { timeout: 20_000 }, () => {
  const code = "const y = require('yargs')" + ".option('a', {})".repeat(200) + '.argv; process.env.X';
  const r = analyzeSource(code, job(code), { prefilter: false });
  assert.ok(r.findings.some((f) => f.rule === 'env-read' && f.detail === 'X'));
});

test('60 mutually recursive visitor functions (typebox style) are memoised', { timeout: 20_000 }, () => {
  const fns = Array.from({ length: 60 }, (_, i) =>
    `function V${i}(l, r) { return l ? V${(i + 1) % 60}(l, r) : r ? V${(i + 2) % 60}(r, l) : V${(i + 3) % 60}(l, r) }`,
  ).join('\n');
  const code = fns + '\nV0(a, b); process.env.Y';
  const r = analyzeSource(code, job(code), { prefilter: false });
  assert.ok(r.findings.some((f) => f.rule === 'env-read' && f.detail === 'Y'));
});
