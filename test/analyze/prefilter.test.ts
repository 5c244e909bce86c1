// The prefilter must never lose a finding: for each case, analysis with the prefilter gives the
// same findings as a full parse. The detectors' own tables (test/detectors/) run through the same
// check; these are the ways to reach `require`, `module` or `process` that no trigger word names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeSource } from '../../src/analyze/index.js';
import type { FileJob } from '../../src/model.js';

function job(code: string, sourceType: 'module' | 'commonjs'): FileJob {
  return { absPath: '/virtual/index.js', file: 'index.js', sourceType, packageName: 'fixture-pkg', size: Buffer.byteLength(code) };
}

function compare(code: string, sourceType: 'module' | 'commonjs' = 'commonjs') {
  const full = analyzeSource(code, job(code, sourceType), { prefilter: false });
  const pf = analyzeSource(code, job(code, sourceType), { prefilter: true });
  const show = (r: typeof full) => r.findings.map((f) => `${f.rule}: ${f.detail}`).sort();
  return { full: show(full), pf: show(pf), skipped: pf.prefiltered === true };
}

const KEEPS_RECALL: { name: string; code: string; sourceType?: 'module' | 'commonjs' }[] = [
  { name: 'require aliased, then called with a variable', code: 'const r = require; module.exports = r(name);' },
  { name: 'require aliased, then a network module', code: 'const m = require; m("https").get(u);' },
  { name: 'require through a comma expression', code: 'module.exports = (0, require)(name);' },
  { name: 'require as an optional call', code: 'module.exports = require?.(name);' },
  { name: 'require.main.require', code: 'module.exports = require.main.require(name);' },
  { name: 'module[assembled key]', code: "module.exports = module['req' + 'uire'](name);" },
  { name: 'module aliased', code: 'const m = module; module.exports = m.require(name);' },
  { name: 'this[assembled key] reaching require', code: "module.exports = this['req' + 'uire'](name);" },
  { name: 'this[assembled key] reaching process.env', code: "module.exports = this['pro' + 'cess'].env.SECRET;" },
  { name: 'this[constant built from pieces]', code: "const k = 'pro' + 'cess'; module.exports = this[k].env.SECRET;" },
  { name: 'require with a non-literal specifier', code: 'module.exports = require(`./${name}`);' },
  { name: 'import() with a non-literal specifier', code: 'export default await import(name);', sourceType: 'module' },
  { name: 'a module whose import alone matters', code: "import x from 'child_process'; export default x;", sourceType: 'module' },
];

for (const c of KEEPS_RECALL) {
  test(`prefilter keeps recall: ${c.name}`, () => {
    const r = compare(c.code, c.sourceType);
    assert.ok(r.full.length > 0, 'the full parse finds something (otherwise the case tests nothing)');
    assert.deepEqual(r.pf, r.full);
  });
}

// Files with nothing to find must still skip the parse, or the prefilter buys nothing.
const STILL_SKIPPED: { name: string; code: string; sourceType?: 'module' | 'commonjs' }[] = [
  { name: 'plain requires and module.exports', code: "'use strict';\nconst a = require('./a');\nconst path = require('path');\nmodule.exports = { a, p: path.join };" },
  { name: 'require.resolve', code: "module.exports = require.resolve('./x');" },
  { name: 'UMD test of module', code: "if (typeof module === 'object' && module.exports) module.exports = lib;" },
  { name: 'ESM re-exports', code: "export { a } from './a.js';\nimport b from 'lodash';\nexport default b;", sourceType: 'module' },
  { name: 'this.member in a class', code: 'class A { m() { return this.x + this.y; } }\nmodule.exports = A;' },
];

for (const c of STILL_SKIPPED) {
  test(`prefilter still skips: ${c.name}`, () => {
    const r = compare(c.code, c.sourceType);
    assert.deepEqual(r.full, [], 'nothing to find');
    assert.ok(r.skipped, 'the parse was skipped');
  });
}

// Names assembled at run time and used through an alias of the global object, or as the key of
// any object, contain no trigger word: the prefilter parses any file that assembles a string from
// literal pieces.
const ASSEMBLED: { name: string; code: string }[] = [
  { name: 'this aliased, key assembled', code: "var g = this; module.exports = g['pro' + 'cess'].env.SECRET;" },
  { name: 'sensitive method name assembled on any object', code: "const k = 'ex' + 'ec'; cp[k](cmd);" },
  { name: 'a name joined from an array', code: "var g = this; module.exports = g[['pro', 'cess'].join('')].env.SECRET;" },
];

for (const c of ASSEMBLED) {
  test(`prefilter keeps recall: ${c.name}`, () => {
    const r = compare(c.code);
    assert.ok(r.full.length > 0, 'the full parse finds something (otherwise the case tests nothing)');
    assert.deepEqual(r.pf, r.full);
  });
}

// Every JavaScript file of the committed fixture trees (attack, traps, hostile, policy and diff
// trees), analysed with the prefilter and without: the same findings, file by file. The trees
// are where the detectors' real-looking cases live, so this is the prefilter held to them all.
test('prefilter keeps recall on every file of the fixture trees', () => {
  const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures');
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, ent.name);
      if (ent.isDirectory()) walk(p);
      else if (ent.isFile() && /\.(c|m)?js$/.test(ent.name)) files.push(p);
    }
  };
  walk(root);
  let skipped = 0;
  let withFindings = 0;
  for (const file of files) {
    const code = fs.readFileSync(file, 'utf8');
    const sourceType = file.endsWith('.mjs') ? 'module' : 'commonjs';
    const r = compare(code, sourceType);
    assert.deepEqual(r.pf, r.full, path.relative(root, file));
    if (r.skipped) skipped++;
    if (r.full.length) withFindings++;
  }
  assert.ok(files.length > 150, `${files.length} files`);
  assert.ok(skipped > 10 && withFindings > 50, `the check has teeth: ${skipped} skipped, ${withFindings} with findings`);
});
