// Dependency paths from the root: "why is this package installed?", as lists of package names.
import type Arborist from '@npmcli/arborist';

type Node = Arborist.Node;
export type NameOf = (node: Node) => string;

/** The package folder an edge lands on: links count as their target, one unit, not two. */
function unitOf(node: Node | null): Node | null {
  if (!node) return null;
  const t = node.isLink ? node.target : node;
  return t && !t.dummy ? t : null;
}

/**
 * Up to `max` shortest paths from the root to every node reachable over edgesOut, found by one
 * breadth-first walk over partial paths. Each node accepts at most `max` paths, and only accepted
 * paths are extended, so the work is O(max × edges) even on dense graphs with cycles. Paths are
 * simple (no node twice) and come out shortest first; edges are visited by name, so the order is
 * deterministic.
 */
export function dependencyPaths(root: Node, nameOf: NameOf, max = 3): Map<Node, string[][]> {
  const result = new Map<Node, string[][]>();
  const seenText = new Map<Node, Set<string>>();
  const start = unitOf(root) ?? root;
  result.set(start, [[nameOf(start)]]);

  interface Item {
    node: Node;
    names: string[];
    chain: Node[];
  }
  let frontier: Item[] = [{ node: start, names: [nameOf(start)], chain: [start] }];
  const edgeCache = new Map<Node, Node[]>();

  while (frontier.length > 0) {
    const next: Item[] = [];
    for (const item of frontier) {
      for (const to of targetsOf(item.node, edgeCache)) {
        if (item.chain.includes(to)) continue;
        const list = result.get(to) ?? [];
        if (list.length >= max) continue;
        const names = [...item.names, nameOf(to)];
        // two routes through same-named folders (e.g. a link and its target) would print identically
        const text = names.join('\0');
        const texts = seenText.get(to) ?? new Set<string>();
        if (texts.has(text)) continue;
        texts.add(text);
        seenText.set(to, texts);
        list.push(names);
        result.set(to, list);
        next.push({ node: to, names, chain: [...item.chain, to] });
      }
    }
    frontier = next;
  }
  return result;
}

function targetsOf(node: Node, cache: Map<Node, Node[]>): Node[] {
  let out = cache.get(node);
  if (!out) {
    const edges = [...node.edgesOut.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : a.type < b.type ? -1 : a.type > b.type ? 1 : 0,
    );
    out = [];
    for (const edge of edges) {
      const to = unitOf(edge.to);
      if (to && !out.includes(to)) out.push(to);
    }
    cache.set(node, out);
  }
  return out;
}

/**
 * For packages no dependency edge reaches (extraneous leftovers): where they sit on disk, as
 * names of the folders that contain them, e.g. [root, 'a', 'stray'] for node_modules/a/node_modules/stray.
 */
export function fsAncestryPath(node: Node, root: Node, nameOf: NameOf): string[] {
  const names: string[] = [];
  const seen = new Set<Node>();
  for (let n: Node | null = node; n && n !== root && !seen.has(n); n = n.resolveParent) {
    seen.add(n);
    if (!n.dummy) names.push(nameOf(n));
  }
  names.push(nameOf(root));
  return names.reverse();
}
