import { test } from 'node:test';
import assert from 'node:assert/strict';
import type Arborist from '@npmcli/arborist';
import { dependencyPaths, fsAncestryPath } from '../../src/tree/paths.js';

type Node = Arborist.Node;

/** Minimal stand-ins for arborist nodes: a name and edges out, nothing else is read. */
function graph(spec: Record<string, string[]>): Map<string, Node> {
  const nodes = new Map<string, Node>();
  for (const name of Object.keys(spec)) {
    nodes.set(name, { name, isLink: false, dummy: false, edgesOut: new Map(), resolveParent: null } as unknown as Node);
  }
  for (const [name, deps] of Object.entries(spec)) {
    const edges = nodes.get(name)!.edgesOut as Map<string, unknown>;
    for (const d of deps) edges.set(d, { name: d, type: 'prod', to: nodes.get(d) ?? null });
  }
  return nodes;
}
const nameOf = (n: Node): string => n.name;

test('shortest paths first, at most three, deterministic by name', () => {
  const g = graph({
    root: ['z', 'a', 'b', 'c', 'd'],
    a: ['x'],
    b: ['x'],
    c: ['x'],
    d: ['x'],
    z: ['y'],
    y: ['x'],
    x: [],
  });
  const paths = dependencyPaths(g.get('root')!, nameOf);
  assert.deepEqual(paths.get(g.get('x')!), [
    ['root', 'a', 'x'],
    ['root', 'b', 'x'],
    ['root', 'c', 'x'],
  ]);
  assert.deepEqual(paths.get(g.get('y')!), [['root', 'z', 'y']]);
  assert.deepEqual(paths.get(g.get('root')!), [['root']]);
});

test('a longer path fills in when there are fewer short ones', () => {
  const g = graph({ root: ['a', 'b'], a: ['x'], b: ['c'], c: ['x'], x: [] });
  assert.deepEqual(dependencyPaths(g.get('root')!, nameOf).get(g.get('x')!), [
    ['root', 'a', 'x'],
    ['root', 'b', 'c', 'x'],
  ]);
});

test('cycles end; paths never repeat a node', () => {
  const g = graph({ root: ['a'], a: ['b'], b: ['a', 'root', 'c'], c: ['a'] });
  const paths = dependencyPaths(g.get('root')!, nameOf);
  assert.deepEqual(paths.get(g.get('a')!), [['root', 'a']]);
  assert.deepEqual(paths.get(g.get('c')!), [['root', 'a', 'b', 'c']]);
  for (const list of paths.values()) for (const p of list) assert.equal(new Set(p).size, p.length);
});

test('missing edges are skipped; unreached nodes get no entry', () => {
  const g = graph({ root: ['a', 'ghost'], a: [], lonely: [] });
  const paths = dependencyPaths(g.get('root')!, nameOf);
  assert.equal(paths.has(g.get('lonely')!), false);
  assert.deepEqual(paths.get(g.get('a')!), [['root', 'a']]);
});

test('links count as their target: one unit, one path', () => {
  const g = graph({ root: [], target: [] });
  const target = g.get('target')!;
  const link = { name: 'target', isLink: true, target, dummy: false, edgesOut: new Map() } as unknown as Node;
  (g.get('root')!.edgesOut as Map<string, unknown>).set('target', { name: 'target', type: 'workspace', to: link });
  const paths = dependencyPaths(g.get('root')!, nameOf);
  assert.deepEqual(paths.get(target), [['root', 'target']]);
  assert.equal(paths.has(link), false);
});

test('fsAncestryPath names the folders a stray package sits in', () => {
  const root = { name: 'app', resolveParent: null, dummy: false } as unknown as Node;
  const a = { name: 'a', resolveParent: root, dummy: false } as unknown as Node;
  const stray = { name: 'stray', resolveParent: a, dummy: false } as unknown as Node;
  assert.deepEqual(fsAncestryPath(stray, root, nameOf), ['app', 'a', 'stray']);
});
