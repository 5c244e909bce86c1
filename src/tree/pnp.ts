// Yarn Berry Plug'n'Play: no node_modules. The map (pnp-map.ts) says where each package is (a zip
// in .yarn/cache, a folder in .yarn/unplugged, a workspace) and what each dependency resolves to;
// those are the dependency edges. Zipped packages are unpacked one by one into a temp folder
// (zip-package.ts) that lives until the scan ends; the project itself is never written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NotInstalledPackage, PackageJson, PackageUnit } from '../model.js';
import { compare, declaredEdges, unitsFromGraph, type GraphNode } from './graph.js';
import { readPnpMap, type PnpPackage } from './pnp-map.js';
import { extractZipPackage } from './zip-package.js';
import { isObject, readJsonObject, readYamlObject, str } from './read-manifest.js';
import { berryConditions, notInstalled, platformMismatch } from './platform.js';
import { TreeError, type LoadedTree, type LoadTreeOptions } from './load-tree.js';
import { yarnBuildPolicy } from './yarn-builds.js';
import type { BuildPolicy } from './pnpm-builds.js';

const key = (name: string | null, ref: string | null): string => `${name ?? ''}@${ref ?? ''}`;

function posix(p: string): string {
  return p.split(path.sep).join('/');
}

function within(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Where a package's files are: an archive and the folder inside it, or a folder on disk. */
type Place = { zip: string; prefix: string } | { dir: string } | { problem: string };

function placeOf(root: string, location: string): Place {
  const abs = path.resolve(root, location);
  const m = /^(.*?\.zip)[\\/](.*)$/.exec(abs);
  if (m) {
    const zip = m[1];
    // the project's cache, or Yarn's global cache (enableGlobalCache, Yarn 4's default)
    if (!within(zip, root) && !/[\\/]\.yarn[\\/]berry[\\/]cache[\\/][^\\/]+\.zip$/.test(zip)) {
      return { problem: `archive ${zip} is outside the project and Yarn's cache; not read` };
    }
    const prefix = posix(m[2]).replace(/\/?$/, '/');
    return { zip, prefix };
  }
  if (!within(abs, root) && within(root, abs)) return { problem: `location ${abs} is a folder above the project; not read` };
  return { dir: abs };
}

/** Yarn's reference as an origin: registry ("npm:1.2.3"), git, or a local folder. */
function resolvedOf(name: string, ref: string): string {
  if (/^(git\+|git:|github:|ssh:)|\.git(#|$)|#commit=/.test(ref)) return ref.startsWith('git') ? ref : `git+${ref}`;
  if (/^(portal|link|file):/.test(ref)) return `file:${ref.slice(ref.indexOf(':') + 1)}`;
  return `${name}@${ref}`;
}

interface Berry {
  scripts: BuildPolicy;
  conditions: Map<string, ReturnType<typeof berryConditions>>;
}

function readBerrySettings(root: string, rootPkg: PackageJson): Berry {
  const conditions = new Map<string, ReturnType<typeof berryConditions>>();
  const lock = readYamlObject(path.join(root, 'yarn.lock'));
  if (lock.ok) {
    for (const [k, e] of Object.entries(lock.value)) {
      if (k !== '__metadata' && isObject(e) && str(e.resolution)) conditions.set(str(e.resolution)!, berryConditions(e.conditions));
    }
  }
  return { scripts: yarnBuildPolicy(root, rootPkg), conditions };
}

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

/** Make the node of one map entry; null when its files are not there (see `absent`). */
async function nodeOf(root: string, tmp: string, p: PnpPackage, i: number, berry: Berry, absent: Map<string, string>): Promise<GraphNode | null> {
  const name = p.name!;
  const place = placeOf(root, p.location);
  const warnings: string[] = [];
  let dir: string;
  let location: string;
  if ('problem' in place) {
    absent.set(key(p.name, p.reference), place.problem);
    return null;
  }
  if ('zip' in place) {
    location = posix(path.relative(root, place.zip)) + '/' + place.prefix.replace(/\/$/, '');
    if (!fs.existsSync(place.zip)) {
      absent.set(key(p.name, p.reference), `archive ${posix(path.relative(root, place.zip))} is missing`);
      return null;
    }
    dir = path.join(tmp, String(i));
    const got = await extractZipPackage(place.zip, place.prefix, dir, location);
    warnings.push(...got.warnings);
  } else {
    dir = place.dir;
    location = posix(path.relative(root, dir)) || '.';
    if (!fs.existsSync(dir)) {
      absent.set(key(p.name, p.reference), `folder ${location} is missing`);
      return null;
    }
  }
  const manifest = readJsonObject(path.join(dir, 'package.json'));
  if (!manifest.ok) warnings.push(`${location}: package.json ${manifest.problem}; scanned without it`);
  const pkg: PackageJson = manifest.ok ? manifest.value : {};
  const ref = p.reference ?? '';
  const isWorkspace = ref.startsWith('workspace:');
  const scripts = berry.scripts(name, ref, pkg, dir) ?? undefined;
  if (scripts && !scripts.run) warnings.push(scripts.why);
  return {
    id: key(p.name, p.reference),
    name: str(pkg.name) ?? name,
    version: str(pkg.version) ?? '',
    location: isWorkspace && location === '.' ? '' : location,
    path: fs.realpathSync(dir),
    pkg,
    edges: [],
    isRoot: false,
    isWorkspace,
    isLink: p.linkType === 'SOFT' && !isWorkspace,
    // Yarn's checksums are of its own archives, not the registry tarball an integrity names
    integrity: null,
    resolved: isWorkspace ? null : resolvedOf(name, ref),
    warnings,
    ...(scripts ? { installScripts: scripts } : {}),
  };
}

/** Load a Plug'n'Play project from its map. */
export async function loadPnpTree(realRoot: string, rootPkg: PackageJson, mapFile: string, opts: LoadTreeOptions): Promise<LoadedTree> {
  const map = readPnpMap(mapFile);
  const mapName = path.basename(mapFile);
  if (typeof map === 'string') throw new TreeError('LOAD_FAILED', `${mapFile} ${map}`);
  const [rootName, rootRef] = map.roots.find(([, r]) => r === 'workspace:.') ?? map.roots[0] ?? [str(rootPkg.name) ?? '', 'workspace:.'];
  const berry = readBerrySettings(realRoot, rootPkg);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-pnp-'));
  const cleanup = (): void => fs.rmSync(tmp, { recursive: true, force: true });
  try {
    const nodes = new Map<string, GraphNode>();
    const absent = new Map<string, string>();
    const entries = map.packages.filter((p) => p.name !== null && p.reference !== null);
    await pool(entries.map((p, i) => ({ p, i })), 8, async ({ p, i }) => {
      const node = await nodeOf(realRoot, tmp, p, i, berry, absent);
      if (node) nodes.set(node.id, node);
    });
    const root = nodes.get(key(rootName, rootRef));
    if (!root) throw new TreeError('LOAD_FAILED', `${mapName} has no entry for the project itself (${rootName}); run yarn install again`);
    root.isRoot = true;
    root.isWorkspace = false;
    root.location = '';
    root.name = str(rootPkg.name) ?? rootName;
    linkEdges(entries, nodes);
    // like npm's workspace edges: every workspace of the project hangs off the root
    for (const [name, ref] of map.roots) {
      const ws = nodes.get(key(name, ref));
      if (ws && ws !== root && !root.edges.some((e) => e.to === ws.id)) root.edges.push({ name: ws.name, type: 'prod', to: ws.id });
    }
    const all = unitsFromGraph(root, nodes, { includeRoot: true });
    const packages = unitsFromGraph(root, nodes, opts);
    const notIn = absentPackages(entries, nodes, absent, all, berry);
    const warnings = [...packages.flatMap((u) => u.warnings), ...notIn.warnings];
    return {
      root: { name: root.name, version: root.version, path: realRoot },
      packages,
      warnings: [...new Set(warnings)].sort(compare),
      notInstalled: notIn.notInstalled,
      cleanup,
    };
  } catch (err) {
    cleanup();
    throw err;
  }
}

/** Each package's map dependencies become edges, typed by its own package.json. */
function linkEdges(entries: PnpPackage[], nodes: Map<string, GraphNode>): void {
  for (const p of entries) {
    const node = nodes.get(key(p.name, p.reference));
    if (!node) continue;
    const types = new Map(declaredEdges(node.pkg, node.isRoot || node.isWorkspace).map((d) => [d.name, d.type]));
    for (const [dep, target] of p.dependencies) {
      const to = target ? key(target[0], target[1]) : null;
      if (to === node.id) continue; // every package can require itself
      const here = to !== null && nodes.has(to);
      node.edges.push({ name: dep, type: types.get(dep) ?? 'prod', to: here ? to : null, ...(to && !here ? { wanted: to } : {}) });
    }
    node.edges.sort((a, b) => compare(a.name, b.name));
  }
}

/** Map entries with no files: platform packages Yarn did not fetch here, or broken ones (a warning). */
function absentPackages(
  entries: PnpPackage[],
  nodes: Map<string, GraphNode>,
  absent: Map<string, string>,
  units: PackageUnit[],
  berry: Berry,
): { notInstalled: NotInstalledPackage[]; warnings: string[] } {
  const pathsOf = new Map(units.map((u) => [u.location, u.paths]));
  const out: NotInstalledPackage[] = [];
  const warnings: string[] = [];
  for (const node of nodes.values()) {
    for (const e of node.edges) {
      if (e.to || !e.wanted) continue;
      const dep = e.name;
      const target = e.wanted;
      const entry = entries.find((p) => key(p.name, p.reference) === target);
      const version = entry?.reference?.replace(/^npm:/, '') ?? '';
      const cond = berry.conditions.get(`${entry?.name ?? dep}@${entry?.reference ?? ''}`);
      const mismatch = cond ? platformMismatch(cond) : null;
      const parents = pathsOf.get(node.location) ?? [];
      if (mismatch) out.push(notInstalled(dep, version, mismatch, parents));
      else if (e.type === 'optional') out.push(notInstalled(dep, version, `optional dependency not installed here (${absent.get(target) ?? 'not in the map'})`, parents));
      else warnings.push(`${node.isRoot ? 'the project' : node.location}: dependency ${dep} is not on disk (${absent.get(target) ?? 'not in the map'}); it was not scanned`);
    }
  }
  return { notInstalled: out.sort((a, b) => compare(a.name, b.name)), warnings };
}
