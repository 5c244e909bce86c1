// pnpm's isolated layout, built by hand: workspaces found through the lockfile's importers, paths
// over pnpm's links only (the hoisted .pnpm/node_modules is never a dependency), links out of the
// project to non-packages skipped, pnpm 10's build rules, skipped platform packages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadTree } from '../../src/tree/load-tree.js';
import { tmpDir, writeJson } from '../policy/util.js';

function storePackage(root: string, id: string, pkg: Record<string, unknown>, deps: Record<string, string> = {}): string {
  const name = String(pkg.name);
  const dir = path.join(root, 'node_modules', '.pnpm', id, 'node_modules', name);
  writeJson(path.join(dir, 'package.json'), pkg);
  fs.writeFileSync(path.join(dir, 'index.js'), 'module.exports = 1;\n');
  for (const [dep, depId] of Object.entries(deps)) {
    const link = path.join(root, 'node_modules', '.pnpm', id, 'node_modules', dep);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.relative(path.dirname(link), path.join(root, 'node_modules', '.pnpm', depId, 'node_modules', dep)), link);
  }
  return dir;
}

function linkTo(from: string, to: string): void {
  fs.mkdirSync(path.dirname(from), { recursive: true });
  fs.symlinkSync(path.relative(path.dirname(from), to), from);
}

function workspaceProject(): string {
  const root = path.join(tmpDir('env-audit-pnpm-'), 'mono');
  writeJson(path.join(root, 'package.json'), { name: 'mono', version: '1.0.0', private: true });
  fs.writeFileSync(path.join(root, 'pnpm-workspace.yaml'), "packages:\n  - 'packages/*'\n");
  writeJson(path.join(root, 'packages', 'web', 'package.json'), { name: 'web', version: '1.0.0', dependencies: { lib: '^1.0.0', escape: '^1.0.0' }, devDependencies: { tool: '^1.0.0' } });
  const lib = storePackage(root, 'lib@1.0.0', { name: 'lib', version: '1.0.0', scripts: { postinstall: 'node index.js', prepare: 'tsc' }, devDependencies: { tool: '^1.0.0' }, optionalDependencies: { 'lib-aix': '1.0.0' } });
  const tool = storePackage(root, 'tool@1.0.0', { name: 'tool', version: '1.0.0' });
  linkTo(path.join(root, 'packages', 'web', 'node_modules', 'lib'), lib);
  linkTo(path.join(root, 'packages', 'web', 'node_modules', 'tool'), tool);
  // hoisted for Node's fallback: lib's devDependency on tool resolves here, but pnpm never linked it
  linkTo(path.join(root, 'node_modules', '.pnpm', 'node_modules', 'tool'), tool);
  // a dependency link pointing out of the project at something that is not a package
  fs.symlinkSync('/etc', path.join(root, 'packages', 'web', 'node_modules', 'escape'));
  fs.writeFileSync(
    path.join(root, 'node_modules', '.modules.yaml'),
    JSON.stringify({ nodeLinker: 'isolated', virtualStoreDir: '.pnpm', packageManager: 'pnpm@10.4.0', skipped: ['lib-aix@1.0.0'], registries: { default: 'https://registry.npmjs.org/' } }),
  );
  fs.writeFileSync(
    path.join(root, 'node_modules', '.pnpm', 'lock.yaml'),
    [
      "lockfileVersion: '9.0'",
      'importers:',
      '  .: {}',
      '  packages/web: {}',
      '  ../outside: {}',
      'packages:',
      '  lib@1.0.0:',
      '    resolution: {integrity: sha512-LIB=}',
      '  lib-aix@1.0.0:',
      '    resolution: {integrity: sha512-AIX=}',
      '    os: [aix]',
      '  tool@1.0.0:',
      '    resolution: {integrity: sha512-TOOL=}',
      '',
    ].join('\n'),
  );
  return root;
}

test('pnpm workspaces: every importer hangs off the root; paths use pnpm links only; flags as npm sets them', async () => {
  const root = workspaceProject();
  const tree = await loadTree(root);
  const by = new Map(tree.packages.map((p) => [p.name, p]));
  assert.deepEqual([...by.keys()].sort(), ['lib', 'tool', 'web']);
  assert.deepEqual(by.get('web')!.paths, [['mono', 'web']]);
  assert.equal(by.get('web')!.isWorkspace, true);
  assert.deepEqual(by.get('lib')!.paths, [['mono', 'web', 'lib']]);
  // only web's devDependency links tool: never "web > lib > tool" through the hoisted folder
  assert.deepEqual(by.get('tool')!.paths, [['mono', 'web', 'tool']]);
  assert.equal(by.get('tool')!.dev, true);
  assert.equal(by.get('lib')!.dev, false);
  assert.equal(by.get('lib')!.integrity, 'sha512-LIB=');
  assert.equal(by.get('lib')!.resolved, 'https://registry.npmjs.org/lib/-/lib-1.0.0.tgz');
  assert.equal(by.get('lib')!.isLink, false, 'a store package is a registry package, not a link');
  // pnpm 10 with no onlyBuiltDependencies: the postinstall does not run, and the warning says why
  assert.equal(by.get('lib')!.installScripts?.run, false);
  assert.ok(tree.warnings.some((w) => w.startsWith('pnpm 10 does not run the postinstall of lib')), tree.warnings.join('\n'));
  assert.ok(tree.warnings.some((w) => /escape: symlink to \/etc, not a package folder; skipped/.test(w)), tree.warnings.join('\n'));
  assert.deepEqual(tree.notInstalled, [
    { name: 'lib-aix', version: '1.0.0', reason: `not installed for this platform (os aix; this is ${process.platform} ${process.arch})`, paths: [['mono', 'web', 'lib', 'lib-aix']] },
  ]);
  // --omit dev drops tool only
  assert.deepEqual((await loadTree(root, { omit: ['dev'] })).packages.map((p) => p.name).sort(), ['lib', 'web']);
});

test('pnpm onlyBuiltDependencies in pnpm-workspace.yaml lets the listed package build', async () => {
  const root = workspaceProject();
  fs.appendFileSync(path.join(root, 'pnpm-workspace.yaml'), 'onlyBuiltDependencies:\n  - lib\n');
  const lib = (await loadTree(root)).packages.find((p) => p.name === 'lib')!;
  assert.deepEqual(lib.installScripts, { run: true, why: 'pnpm runs the postinstall of lib: listed in onlyBuiltDependencies (pnpm-workspace.yaml)' });
});
