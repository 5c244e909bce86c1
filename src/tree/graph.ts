// A package graph read from a layout arborist does not understand (pnpm's virtual store, Yarn's
// Plug'n'Play map), turned into the same PackageUnit[] the npm loader makes: npm's dev/optional/peer
// flags, and dependency paths over the edges the package manager really linked.
import type { PackageJson, PackageUnit } from '../model.js';
import type { OmitType } from './load-tree.js';

type EdgeType = 'prod' | 'dev' | 'optional' | 'peer';

interface GraphEdge {
  name: string;
  type: EdgeType;
  /** id of the node it resolves to; null when nothing is linked (missing or skipped). */
  to: string | null;
  /** when `to` is null: the package the manager resolved it to, which is not on disk. */
  wanted?: string;
}

export interface GraphNode {
  id: string;
  name: string;
  version: string;
  /** posix path relative to the project root ('' for the root). */
  location: string;
  /** absolute folder the scan reads. */
  path: string;
  pkg: PackageJson;
  edges: GraphEdge[];
  isRoot: boolean;
  isWorkspace: boolean;
  /** linked from outside the store (link:, portal:, file: folder): its `prepare` would run. */
  isLink: boolean;
  integrity: string | null;
  resolved: string | null;
  warnings: string[];
  installScripts?: PackageUnit['installScripts'];
}

/** Declared dependencies of a package.json, by edge type (dev only for the project and workspaces). */
export function declaredEdges(pkg: PackageJson, withDev: boolean): { name: string; type: EdgeType; spec: string }[] {
  const out: { name: string; type: EdgeType; spec: string }[] = [];
  const seen = new Set<string>();
  const add = (field: string, type: EdgeType): void => {
    const deps = pkg[field];
    if (!deps || typeof deps !== 'object' || Array.isArray(deps)) return;
    for (const [name, spec] of Object.entries(deps as Record<string, unknown>)) {
      if (seen.has(name)) continue; // optionalDependencies win over dependencies, as in npm
      seen.add(name);
      out.push({ name, type, spec: typeof spec === 'string' ? spec : '' });
    }
  };
  add('optionalDependencies', 'optional');
  add('dependencies', 'prod');
  add('peerDependencies', 'peer');
  if (withDev) add('devDependencies', 'dev');
  return out.sort((a, b) => compare(a.name, b.name));
}

/** Nodes reachable from the root's edges of `rootTypes`, then over edges of `types`. */
function reach(root: GraphNode, nodes: Map<string, GraphNode>, rootTypes: EdgeType[], types: EdgeType[]): Set<string> {
  const seen = new Set<string>([root.id]);
  const queue: GraphNode[] = [];
  const visit = (from: GraphNode, allowed: EdgeType[]): void => {
    for (const e of from.edges) {
      if (!e.to || !allowed.includes(e.type) || seen.has(e.to)) continue;
      const n = nodes.get(e.to);
      if (!n) continue;
      seen.add(e.to);
      queue.push(n);
    }
  };
  visit(root, rootTypes);
  // a workspace's own dev dependencies are installed like the root's
  for (let n = queue.shift(); n; n = queue.shift()) visit(n, n.isWorkspace ? [...types, ...(rootTypes.includes('dev') ? ['dev' as const] : [])] : types);
  return seen;
}

/** Up to `max` shortest simple paths of names from the root to every node, breadth first. */
function graphPaths(root: GraphNode, nodes: Map<string, GraphNode>, max: number): Map<string, string[][]> {
  const result = new Map<string, string[][]>([[root.id, [[root.name]]]]);
  let frontier = [{ id: root.id, names: [root.name], chain: [root.id] }];
  while (frontier.length) {
    const next: typeof frontier = [];
    for (const item of frontier) {
      const from = nodes.get(item.id)!;
      const targets = [...new Set(from.edges.map((e) => e.to).filter((t): t is string => !!t && nodes.has(t)))];
      for (const to of targets.sort((a, b) => compare(nodes.get(a)!.name, nodes.get(b)!.name))) {
        if (item.chain.includes(to)) continue;
        const list = result.get(to) ?? [];
        if (list.length >= max) continue;
        const names = [...item.names, nodes.get(to)!.name];
        if (list.some((p) => p.join('\0') === names.join('\0'))) continue;
        list.push(names);
        result.set(to, list);
        next.push({ id: to, names, chain: [...item.chain, to] });
      }
    }
    frontier = next;
  }
  return result;
}

/** PackageUnits of a graph, sorted by location, with npm's flags and --omit applied. */
export function unitsFromGraph(
  root: GraphNode,
  nodes: Map<string, GraphNode>,
  opts: { omit?: OmitType[]; includeRoot?: boolean },
): PackageUnit[] {
  const inProd = reach(root, nodes, ['prod', 'optional', 'peer'], ['prod', 'optional', 'peer']);
  const required = reach(root, nodes, ['prod', 'peer', 'dev'], ['prod', 'peer']);
  const anyway = reach(root, nodes, ['prod', 'optional', 'peer', 'dev'], ['prod', 'optional', 'peer']);
  const peerOnly = reach(root, nodes, ['prod', 'optional', 'dev'], ['prod', 'optional']);
  const paths = graphPaths(root, nodes, 3);
  const omit = new Set(opts.omit ?? []);
  const units: PackageUnit[] = [];
  for (const node of [...nodes.values()].sort((a, b) => compare(a.location, b.location))) {
    if (node === root && !opts.includeRoot) continue;
    const linked = anyway.has(node.id);
    const dev = linked && !node.isRoot && !inProd.has(node.id);
    const optional = linked && !node.isRoot && !required.has(node.id);
    const peer = linked && !node.isRoot && !peerOnly.has(node.id);
    if ((dev && omit.has('dev')) || (optional && omit.has('optional')) || (peer && omit.has('peer'))) continue;
    units.push({
      name: node.name,
      version: node.version,
      location: node.location,
      path: node.path,
      dev,
      optional,
      peer,
      isRoot: node.isRoot,
      isWorkspace: node.isWorkspace,
      isLink: node.isLink,
      integrity: node.integrity,
      resolved: node.resolved,
      paths: paths.get(node.id) ?? [[root.name, `(not linked from the project: ${node.location})`]],
      pkg: node.pkg,
      warnings: node.warnings,
      ...(node.installScripts ? { installScripts: node.installScripts } : {}),
    });
  }
  return units;
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
