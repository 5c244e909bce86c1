import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fixture } from '../helpers.js';
import { reachableFiles, resolveImport } from '../../src/files/reachability.js';
import { entryPoints } from '../../src/files/entry-points.js';
import { selectFiles } from '../../src/files/select-files.js';
import type { PackageJson, PackageUnit } from '../../src/model.js';

const files = new Set([
  'index.js',
  'lib/a.js',
  'lib/b.cjs',
  'lib/c.mjs',
  'lib/dir/index.js',
  'lib/util.js',
  'lib/util/index.js',
  'test/a.test.js',
  'test/helper.js',
  'examples/demo.js',
]);

test('resolveImport: relative specifiers, probing, folder index', () => {
  const table: [from: string, spec: string, expected: string | null][] = [
    ['index.js', './lib/a', 'lib/a.js'],
    ['index.js', './lib/a.js', 'lib/a.js'],
    ['lib/a.js', './b', 'lib/b.cjs'],
    ['lib/a.js', './c', 'lib/c.mjs'],
    ['lib/a.js', './dir', 'lib/dir/index.js'],
    ['lib/a.js', './util', 'lib/util.js'], // a file wins over a folder, as in Node
    ['lib/a.js', './util/', 'lib/util/index.js'], // a trailing slash asks for the folder
    ['lib/dir/index.js', '../a', 'lib/a.js'],
    ['lib/dir/index.js', '../..', 'index.js'],
    ['lib/a.js', '..', 'index.js'],
    ['index.js', '.', 'index.js'],
    ['lib/a.js', './a.js?v=2', 'lib/a.js'],
    ['lib/a.js', '.\\b', 'lib/b.cjs'],
    ['index.js', '../outside', null],
    ['index.js', 'lodash', null],
    ['index.js', 'node:fs', null],
    ['index.js', '#internal', null],
    ['index.js', '/abs/path.js', null],
    ['index.js', './missing', null],
  ];
  for (const [from, spec, expected] of table) assert.equal(resolveImport(from, spec, files), expected, `${from} -> ${spec}`);
});

test('reachableFiles: from entries over relative imports; tests and examples stay unreached', () => {
  const imports = new Map<string, string[]>([
    ['index.js', ['./lib/a', 'lodash', 'node:path']],
    ['lib/a.js', ['./b', './dir', './missing']],
    ['lib/dir/index.js', ['../a', '../util/']], // a cycle back to a.js
    ['test/a.test.js', ['../index.js', './helper']],
    ['examples/demo.js', ['../lib/c.mjs']],
  ]);
  const reached = reachableFiles(['index.js'], imports, files);
  assert.deepEqual([...reached].sort(), ['index.js', 'lib/a.js', 'lib/b.cjs', 'lib/dir/index.js', 'lib/util/index.js']);
  for (const f of ['test/a.test.js', 'test/helper.js', 'examples/demo.js', 'lib/c.mjs', 'lib/util.js']) {
    assert.equal(reached.has(f), false, f);
  }
});

test('reachableFiles: several entries; entries not in the file list are ignored', () => {
  const reached = reachableFiles(['examples/demo.js', 'nope.js'], new Map([['examples/demo.js', ['../lib/c.mjs']]]), files);
  assert.deepEqual([...reached].sort(), ['examples/demo.js', 'lib/c.mjs']);
  assert.deepEqual([...reachableFiles([], new Map(), files)], []);
});

test('fixture tool: exports, bin and postinstall are entries; test/ is not reached', () => {
  const dir = fixture('tree-basic', 'node_modules', 'tool');
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
  const unit: PackageUnit = {
    name: 'tool', version: '1.0.0', location: 'node_modules/tool', path: fs.realpathSync(dir),
    dev: false, optional: false, peer: false, isRoot: false, isWorkspace: false, isLink: false,
    integrity: null, paths: [], pkg, warnings: [],
  };
  const { jobs } = selectFiles(unit);
  const files = jobs.map((j) => j.file);
  const ep = entryPoints(unit, files);
  assert.deepEqual(ep.entries, ['bin/tool.js', 'esm/index.mjs', 'lib/features/a.js', 'lib/features/b.js', 'lib/index.js', 'scripts/setup.js']);
  assert.deepEqual(ep.installTime, ['scripts/setup.js']);
  assert.deepEqual(ep.installScripts.map(({ event, command, files }) => ({ event, command, files })), [{ event: 'postinstall', command: 'node scripts/setup.js', files: ['scripts/setup.js'] }]);

  // the imports the analyzer would report for these files (written by hand here)
  const imports = new Map<string, string[]>([
    ['lib/index.js', ['./features/a.js']],
    ['bin/tool.js', ['../lib/index.js']],
    ['scripts/setup.js', ['./util.js']],
    ['test/run.js', ['../lib/index.js']],
  ]);
  const fileSet = new Set(files);
  assert.deepEqual([...reachableFiles(ep.entries, imports, fileSet)].sort(), [...ep.entries, 'scripts/util.js'].sort());
  assert.deepEqual([...reachableFiles(ep.installTime, imports, fileSet)].sort(), ['scripts/setup.js', 'scripts/util.js']);
});
