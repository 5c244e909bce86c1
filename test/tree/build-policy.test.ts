// node_modules trees read as npm's but installed by Yarn Berry (node-modules linker) or pnpm
// (hoisted linker): that manager's settings decide whether a dependency's install scripts ran.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadTree } from '../../src/tree/load-tree.js';
import { tmpDir, writeJson } from '../policy/util.js';

function project(files: Record<string, string>): string {
  const root = path.join(tmpDir('env-audit-builds-'), 'app');
  writeJson(path.join(root, 'package.json'), { name: 'app', version: '1.0.0', dependencies: { lib: '^1.0.0', plain: '^1.0.0' } });
  writeJson(path.join(root, 'node_modules', 'lib', 'package.json'), { name: 'lib', version: '1.0.0', scripts: { postinstall: 'node x.js' } });
  writeJson(path.join(root, 'node_modules', 'plain', 'package.json'), { name: 'plain', version: '1.0.0' });
  for (const [rel, text] of Object.entries(files)) fs.writeFileSync(path.join(root, rel), text);
  return root;
}

const lib = async (root: string) => (await loadTree(root)).packages.find((p) => p.name === 'lib')!;

test('Yarn Berry node-modules: enableScripts: false in .yarnrc.yml means the postinstall never ran', async () => {
  const root = project({ 'node_modules/.yarn-state.yml': '__metadata:\n  version: 1\n', '.yarnrc.yml': 'nodeLinker: node-modules\nenableScripts: false\n' });
  assert.deepEqual((await lib(root)).installScripts, { run: false, why: 'Yarn does not run the postinstall of lib: enableScripts is false (.yarnrc.yml)' });
  const tree = await loadTree(root);
  assert.equal(tree.packages.find((p) => p.name === 'plain')!.installScripts, undefined);
});

test('Yarn Berry node-modules with scripts enabled, and npm trees: npm\'s rule (the script counts)', async () => {
  assert.equal((await lib(project({ 'node_modules/.yarn-state.yml': '__metadata:\n  version: 1\n' }))).installScripts, undefined);
  assert.equal((await lib(project({}))).installScripts, undefined);
});

test('pnpm hoisted linker: pnpm 10 runs no dependency build unless onlyBuiltDependencies lists it', async () => {
  const modules = JSON.stringify({ nodeLinker: 'hoisted', packageManager: 'pnpm@10.4.0' });
  const blocked = await lib(project({ 'node_modules/.modules.yaml': modules }));
  assert.equal(blocked.installScripts?.run, false);
  assert.match(blocked.installScripts.why, /^pnpm 10 does not run the postinstall of lib/);
  const allowed = await lib(project({ 'node_modules/.modules.yaml': modules, 'pnpm-workspace.yaml': 'onlyBuiltDependencies: [lib]\n' }));
  assert.equal(allowed.installScripts?.run, true);
});
