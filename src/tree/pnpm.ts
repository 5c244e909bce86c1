// pnpm's isolated layout: node_modules/<name> are symlinks into the virtual store
// node_modules/.pnpm/<id>/node_modules/<name>, and each store package's own dependencies are the
// symlinks beside it. Those links are the graph pnpm built, so they are followed and nothing else:
// Node's fallback to the hoisted node_modules/.pnpm/node_modules would invent dependency paths.
import fs from 'node:fs';
import path from 'node:path';
import type { NotInstalledPackage, PackageJson } from '../model.js';
import { declaredEdges, unitsFromGraph, compare, type GraphNode } from './graph.js';
import { isObject, readJsonObject, readYamlObject, str } from './read-manifest.js';
import { notInstalled, platformMismatch } from './platform.js';
import { pnpmBuildPolicy, type BuildPolicy } from './pnpm-builds.js';
import type { LoadedTree, LoadTreeOptions } from './load-tree.js';

interface ModulesYaml {
  virtualStoreDir: string;
  registries: Record<string, string>;
  skipped: string[];
  packageManager: string | null;
}

/** node_modules/.modules.yaml names the store folder, the registries and the skipped optionals. */
function readModulesYaml(root: string, warnings: string[]): ModulesYaml {
  const file = path.join(root, 'node_modules', '.modules.yaml');
  const r = readYamlObject(file);
  if (!r.ok) {
    if (!r.missing) warnings.push(`node_modules/.modules.yaml ${r.problem}; using pnpm's defaults`);
    return { virtualStoreDir: '.pnpm', registries: {}, skipped: [], packageManager: null };
  }
  const v = r.value;
  const regs = isObject(v.registries) ? Object.fromEntries(Object.entries(v.registries).filter(([, u]) => typeof u === 'string')) as Record<string, string> : {};
  return {
    virtualStoreDir: str(v.virtualStoreDir) ?? '.pnpm',
    registries: regs,
    skipped: Array.isArray(v.skipped) ? v.skipped.filter((s): s is string => typeof s === 'string') : [],
    packageManager: str(v.packageManager),
  };
}

interface LockInfo {
  integrity: string | null;
  resolved: string | null;
  os?: unknown;
  cpu?: unknown;
  libc?: unknown;
}

/** "/@s/a@1.0.0(peer@2)" (v6), "@s/a@1.0.0" (v9), "/@s/a/1.0.0_peer@2" (v5) → "@s/a@1.0.0". */
export function pnpmPackageKey(key: string): string {
  let k = key.startsWith('/') ? key.slice(1) : key;
  const v5 = /^((?:@[^/@]+\/)?[^/@]+)\/(\d[^/_(]*)(?:_.*)?$/.exec(k);
  if (v5) return `${v5[1]}@${v5[2]}`;
  const paren = k.indexOf('(');
  if (paren > 0) k = k.slice(0, paren);
  return k;
}

/** Integrity and origin of each locked package, from pnpm's copy of the lockfile (or the project's). */
function readLockInfo(root: string, store: string, registries: Record<string, string>, warnings: string[]): { info: Map<string, LockInfo>; importers: string[] } {
  const out = new Map<string, LockInfo>();
  const importers: string[] = [];
  let lock: Record<string, unknown> | null = null;
  for (const rel of [posix(path.relative(root, path.join(store, 'lock.yaml'))), 'pnpm-lock.yaml']) {
    const r = readYamlObject(path.join(root, rel));
    if (r.ok) {
      lock = r.value;
      break;
    }
    if (!r.missing) warnings.push(`${rel} ${r.problem}; integrity unknown`);
  }
  if (!lock) return { info: out, importers };
  // the workspace projects pnpm installed: "packages/a", ...; each is a root of its own dependencies
  if (isObject(lock.importers)) importers.push(...Object.keys(lock.importers).filter((k) => k !== '.'));
  if (!isObject(lock.packages)) return { info: out, importers };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!isObject(entry)) continue;
    const id = pnpmPackageKey(key);
    const res = isObject(entry.resolution) ? entry.resolution : {};
    out.set(id, {
      integrity: str(res.integrity),
      resolved: resolvedOf(id, res, registries),
      os: entry.os,
      cpu: entry.cpu,
      libc: entry.libc,
    });
  }
  return { info: out, importers };
}

/** The tarball URL of a registry package, or the git/directory origin pnpm recorded. */
function resolvedOf(id: string, res: Record<string, unknown>, registries: Record<string, string>): string | null {
  if (res.type === 'git' && str(res.repo)) return `git+${str(res.repo)}#${str(res.commit) ?? ''}`;
  if (res.type === 'directory' && str(res.directory)) return `file:${str(res.directory)}`;
  const tarball = str(res.tarball);
  if (tarball) return /^(https?:)?\/\//.test(tarball) || tarball.startsWith('file:') ? tarball : null;
  if (!str(res.integrity)) return null;
  const at = id.lastIndexOf('@');
  const name = id.slice(0, at);
  const scope = name.startsWith('@') ? name.split('/')[0] : '';
  const reg = registries[scope] ?? registries.default ?? 'https://registry.npmjs.org/';
  return `${reg.endsWith('/') ? reg : reg + '/'}${name}/-/${name.split('/').pop()}-${id.slice(at + 1)}.tgz`;
}

interface Walk {
  root: string;
  store: string;
  nodes: Map<string, GraphNode>;
  lock: Map<string, LockInfo>;
  policy: BuildPolicy;
  warnings: string[];
}

function within(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function posix(p: string): string {
  return p.split(path.sep).join('/');
}

/** The node_modules folder a store package sits in: its dependencies are linked beside it. */
function storeNodeModules(pkgDir: string, name: string): string {
  return name.startsWith('@') ? path.dirname(path.dirname(pkgDir)) : path.dirname(pkgDir);
}

/** Where `dep` of the package at dir is linked: its own node_modules, then, in the store, beside it. */
function linkOf(w: Walk, dir: string, name: string, dep: string): string | null {
  const candidates = [path.join(dir, 'node_modules', dep)];
  if (within(dir, w.store)) candidates.push(path.join(storeNodeModules(dir, name), dep));
  for (const c of candidates) {
    if (c === dir) continue;
    try {
      fs.lstatSync(c);
      return c;
    } catch {
      /* not linked here */
    }
  }
  return null;
}

/** The node for a linked folder, made on first sight; null when the link may not be followed. */
function nodeAt(w: Walk, link: string, depName: string): GraphNode | null {
  let real: string;
  try {
    real = fs.realpathSync(link);
  } catch {
    w.warnings.push(`${posix(path.relative(w.root, link))}: symlink whose target does not exist; skipped`);
    return null;
  }
  const known = w.nodes.get(real);
  if (known) return known;
  const rel = posix(path.relative(w.root, real));
  const inProject = within(real, w.root);
  if (!inProject && within(w.root, real)) {
    w.warnings.push(`${posix(path.relative(w.root, link))}: symlink to ${real}, a folder above the project; skipped`);
    return null;
  }
  const manifest = readJsonObject(path.join(real, 'package.json'));
  // out of the project, follow links to package folders only (as load-tree does for npm links)
  if (!manifest.ok && (!inProject || !isDirectory(real))) {
    w.warnings.push(`${posix(path.relative(w.root, link))}: symlink to ${real}, not a package folder; skipped`);
    return null;
  }
  const pkg: PackageJson = manifest.ok ? manifest.value : {};
  const warnings = manifest.ok ? [] : [`${rel}: package.json ${manifest.problem}; scanned without it`];
  const name = str(pkg.name) ?? depName;
  const version = str(pkg.version) ?? '';
  const inStore = within(real, w.store);
  const info = w.lock.get(`${name}@${version}`);
  const node: GraphNode = {
    id: real,
    name,
    version,
    location: inProject ? rel : posix(path.relative(w.root, real)),
    path: real,
    pkg,
    edges: [],
    isRoot: false,
    isWorkspace: inProject && !inStore && !rel.split('/').includes('node_modules'),
    isLink: !inStore,
    integrity: inStore ? (info?.integrity ?? null) : null,
    resolved: inStore ? (info?.resolved ?? null) : `file:${rel}`,
    warnings,
  };
  if (inStore) {
    const decision = w.policy(name, version, pkg, real);
    if (decision) {
      node.installScripts = decision;
      if (!decision.run) warnings.push(decision.why);
    }
  }
  w.nodes.set(real, node);
  return node;
}

/** The workspace projects of the lockfile's importers, as nodes (folders inside the project only). */
function workspaceNodes(w: Walk, importers: string[]): GraphNode[] {
  const out: GraphNode[] = [];
  for (const rel of importers.sort()) {
    const abs = path.resolve(w.root, rel);
    if (path.isAbsolute(rel) || !within(abs, w.root) || abs === w.root || rel.split(/[\\/]/).includes('node_modules')) continue;
    if (!isDirectory(abs)) {
      w.warnings.push(`${posix(rel)}: a workspace in pnpm's lockfile with no folder; skipped`);
      continue;
    }
    const node = nodeAt(w, abs, path.basename(abs));
    if (node) out.push(node);
  }
  return out;
}

/** Follow every declared dependency's link, breadth first, from the project root and its workspaces. */
function walk(w: Walk, root: GraphNode, workspaces: GraphNode[]): void {
  const queue: GraphNode[] = [root];
  const queued = new Set<string>([root.id]);
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    if (node === root) {
      // like npm's workspace edges: every workspace hangs off the root, declared or not
      for (const ws of workspaces) {
        root.edges.push({ name: ws.name, type: 'prod', to: ws.id });
        queued.add(ws.id);
        queue.push(ws);
      }
    }
    for (const dep of declaredEdges(node.pkg, node.isRoot || node.isWorkspace)) {
      const link = linkOf(w, node.path, node.name, dep.name);
      const target = link ? nodeAt(w, link, dep.name) : null;
      node.edges.push({ name: dep.name, type: dep.type, to: target?.id ?? null });
      if (target && !queued.has(target.id)) {
        queued.add(target.id);
        queue.push(target);
      }
    }
  }
}

/** Declared dependencies nothing links: skipped platform packages, or missing ones (a warning). */
function missing(w: Walk, units: { id: string; paths: string[][] }[], skipped: string[]): { notInstalled: NotInstalledPackage[]; warnings: string[] } {
  const pathsOf = new Map(units.map((u) => [u.id, u.paths]));
  const out: NotInstalledPackage[] = [];
  const warnings: string[] = [];
  for (const node of w.nodes.values()) {
    for (const e of node.edges) {
      if (e.to) continue;
      const skip = skipped.find((s) => pnpmPackageKey(s).startsWith(`${e.name}@`));
      const parents = pathsOf.get(node.id) ?? [];
      if (skip) {
        const id = pnpmPackageKey(skip);
        const info = w.lock.get(id);
        const why = (info && platformMismatch(info)) ?? 'not installed for this platform (the install skipped this optional dependency)';
        out.push(notInstalled(e.name, id.slice(e.name.length + 1), why, parents));
      } else if (e.type === 'prod') {
        const from = node.isRoot ? 'the project' : node.location;
        warnings.push(`${from}: dependency ${e.name} is not installed; it was not scanned`);
      }
    }
  }
  return { notInstalled: out.sort((a, b) => compare(a.name, b.name)), warnings };
}

/** Load a pnpm (isolated linker) tree. */
export function loadPnpmTree(realRoot: string, rootPkg: PackageJson, opts: LoadTreeOptions): LoadedTree {
  const warnings: string[] = [];
  const modules = readModulesYaml(realRoot, warnings);
  const nm = path.join(realRoot, 'node_modules');
  const store = path.resolve(nm, modules.virtualStoreDir);
  const storeDir = within(store, nm) && store !== nm ? store : path.join(nm, '.pnpm');
  const lockInfo = readLockInfo(realRoot, storeDir, modules.registries, warnings);
  const w: Walk = {
    root: realRoot,
    store: storeDir,
    nodes: new Map(),
    lock: lockInfo.info,
    // a tree env-audit laid out from a yarn.lock says so: Yarn's rules, not pnpm's, decide its scripts
    policy: modules.packageManager?.startsWith('yarn') ? () => null : pnpmBuildPolicy(realRoot, rootPkg, modules.packageManager),
    warnings,
  };
  const rootName = str(rootPkg.name) ?? path.basename(realRoot);
  const root: GraphNode = {
    id: realRoot, name: rootName, version: str(rootPkg.version) ?? '', location: '', path: realRoot, pkg: rootPkg,
    edges: [], isRoot: true, isWorkspace: false, isLink: false, integrity: null, resolved: null, warnings: [],
  };
  w.nodes.set(realRoot, root);
  walk(w, root, workspaceNodes(w, lockInfo.importers));
  const packages = unitsFromGraph(root, w.nodes, opts);
  const all = unitsFromGraph(root, w.nodes, { includeRoot: true });
  const miss = missing(w, all.map((u) => ({ id: u.path, paths: u.paths })), modules.skipped);
  for (const u of packages) warnings.push(...u.warnings);
  warnings.push(...miss.warnings);
  return {
    root: { name: rootName, version: str(rootPkg.version) ?? '', path: realRoot },
    packages,
    warnings: [...new Set(warnings)].sort(compare),
    notInstalled: miss.notInstalled,
  };
}
