// Reachability labels on real package layouts (fixtures/reach-layouts, scanned with the real tree
// loader and parser): files an entry point reaches and published dist/ bundles are never discounted
// as unreachable; test and example files are, with or without an exports map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScan } from '../../src/scan/run-scan.js';
import { isUnreachable } from '../../src/files/reachability.js';
import { fixture } from '../helpers.js';

test('isUnreachable: reached files and bundles never; tests and examples always; the rest only behind an exports map', () => {
  const reached = new Set(['test/setup.js', 'lib/a.js']);
  assert.equal(isUnreachable('lib/a.js', reached, true), false);
  assert.equal(isUnreachable('test/setup.js', reached, true), false, 'a test folder an entry point loads is code that runs');
  assert.equal(isUnreachable('dist/axios.js', reached, true), false);
  assert.equal(isUnreachable('build/cjs/chunk.cjs', reached, true), false);
  assert.equal(isUnreachable('dist/test/a.test.js', reached, true), true);
  assert.equal(isUnreachable('examples/demo.js', reached, false), true);
  assert.equal(isUnreachable('lib/hidden.js', reached, true), true);
  assert.equal(isUnreachable('lib/hidden.js', reached, false), false);
});

test('real layouts: a UMD bundle no export names, chunks a bundled CLI loads by computed import, and tests', async () => {
  const { report } = await runScan({ root: fixture('reach-layouts'), cacheDir: null, workers: 0 });
  const reachable = (name: string, file: string) => {
    const p = report.packages.find((x) => x.name === name)!;
    const fs = p.findings.filter((f) => f.file === file);
    assert.ok(fs.length > 0, `${name}: findings in ${file}`);
    return fs.every((f) => f.reachable !== false);
  };
  assert.equal(reachable('bundle-lib', 'dist/bundle-lib.js'), true, 'the UMD bundle (axios/dist/axios.js) counts in full');
  assert.equal(reachable('bundle-lib', 'dist/node/bundle-lib.cjs'), true);
  assert.equal(reachable('bundle-lib', 'lib/core.js'), true, 'reached from the default export');
  assert.equal(reachable('bundle-lib', 'test/send.test.js'), false);
  assert.equal(reachable('bundled-cli', 'dist/chunk-A1B2C3.mjs'), true, 'a chunk loaded by computed import');
  assert.equal(reachable('bundled-cli', 'tests/e2e.mjs'), false);
  assert.equal(reachable('plain-lib', 'lib/extra.js'), true, 'no exports map: deep imports are possible');
  assert.equal(reachable('plain-lib', 'examples/demo.js'), false);
  for (const p of report.packages) {
    for (const r of p.reasons) {
      if (r.includes('unreachable')) assert.match(r, /\((test|tests|examples)\//, `${p.name}: ${r}`);
    }
  }
  const bundle = report.packages.find((x) => x.name === 'bundle-lib')!;
  assert.equal(bundle.level, 'high', 'the bundle\'s own flow sets the level');
});
