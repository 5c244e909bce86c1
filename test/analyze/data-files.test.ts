// Package JSON data files as constants (issue 13): the scan reads the small JSON files a code file
// names from its own package (scan/data-files.ts) and the evaluator folds them like literals. Real
// files in a temporary package folder, the real reader and the real engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeSource } from '../../src/analyze/index.js';
import { dataPath, MAX_DATA_BYTES, readDataFiles } from '../../src/scan/data-files.js';
import type { SourceType } from '../../src/model.js';

/** A package folder with these files; returns the env-read names and dynamic keys of `file`. */
function scanFile(files: Record<string, string>, file: string, sourceType: SourceType = 'commonjs'): { reads: string[]; dynamic: number; data: string[] } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-data-'));
  try {
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    const code = files[file];
    const job = { absPath: path.join(root, file), file, sourceType, packageName: 'pkg', size: Buffer.byteLength(code) };
    const data = readDataFiles(job, code);
    const r = analyzeSource(code, job, { data });
    return {
      reads: [...new Set(r.findings.filter((f) => f.rule === 'env-read').map((f) => f.detail))].sort(),
      dynamic: r.findings.filter((f) => f.rule === 'env-read-dynamic').length,
      data: [...data.keys()],
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const VENDORS = JSON.stringify([
  { name: 'Travis', env: 'TRAVIS' },
  { name: 'Heroku', env: { env: 'NODE', includes: '/app/.heroku/node/bin/node' } },
  { name: 'Multi', env: ['MULTI_A', 'MULTI_B'] },
  { name: 'Any', env: { any: ['ANY_A', 'ANY_B'] } },
]);

test('data files: require of a vendor list, each vendor\'s env through Array.isArray and a helper (ci-info)', () => {
  const code = [
    "const vendors = require('./vendors.json');",
    'const env = process.env;',
    'vendors.forEach(function (vendor) {',
    '  const envs = Array.isArray(vendor.env) ? vendor.env : [vendor.env];',
    '  envs.every(function (obj) { return checkEnv(obj) });',
    '});',
    "function checkEnv(obj) { if (typeof obj === 'string') return !!env[obj]; if ('any' in obj) return obj.any.some(function (k) { return !!env[k] }); return env[obj.env] && env[obj.env].includes(obj.includes) }",
  ].join('\n');
  const r = scanFile({ 'index.js': code, 'vendors.json': VENDORS }, 'index.js');
  assert.deepEqual(r.data, ['vendors.json']);
  assert.deepEqual(r.reads, ['ANY_A', 'ANY_B', 'MULTI_A', 'MULTI_B', 'NODE', 'TRAVIS']);
});

test('data files: import with { type: \'json\' } and JSON.parse(readFileSync(join(__dirname, …)))', () => {
  const keys = JSON.stringify({ keys: ['IMPORTED_A', 'IMPORTED_B'] });
  const esm = scanFile({ 'lib/a.mjs': "import data from './keys.json' with { type: 'json' };\nfor (const k of data.keys) process.env[k];", 'lib/keys.json': keys }, 'lib/a.mjs', 'module');
  assert.deepEqual(esm.reads, ['IMPORTED_A', 'IMPORTED_B']);
  const cjs = scanFile({
    'b.js': "const fs = require('fs'); const path = require('path');\nconst data = JSON.parse(fs.readFileSync(path.join(__dirname, 'data', 'keys.json'), 'utf8'));\nfor (const k of data.keys) process.env[k];",
    'data/keys.json': keys,
  }, 'b.js');
  assert.deepEqual(cjs.reads, ['IMPORTED_A', 'IMPORTED_B']);
});

test('data files trap: a JSON file over the size budget is not folded; a file outside the package is not read', () => {
  const big = JSON.stringify({ keys: ['BIG_A'], pad: 'x'.repeat(MAX_DATA_BYTES) });
  const r = scanFile({ 'index.js': "const d = require('./big.json');\nfor (const k of d.keys) process.env[k];", 'big.json': big }, 'index.js');
  assert.deepEqual(r.data, []);
  assert.deepEqual(r.reads, []);
  assert.equal(r.dynamic, 1);
  assert.equal(dataPath('lib', '../../outside.json'), null);
  assert.equal(dataPath('lib', '../node_modules/other/x.json'), null);
  assert.equal(dataPath('lib', '/etc/x.json'), null);
  assert.equal(dataPath('lib', './x.json'), 'lib/x.json');
  // a JSON file that is not an expression stays unknown
  const bad = scanFile({ 'index.js': "const d = require('./bad.json');\nfor (const k of d.keys) process.env[k];", 'bad.json': '{ "keys": [' }, 'index.js');
  assert.deepEqual(bad.reads, []);
});
