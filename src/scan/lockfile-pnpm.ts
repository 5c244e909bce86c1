// pnpm-lock.yaml (lockfileVersion 6.x and 9.0) as a LockGraph. v9 keeps resolutions in
// "packages" and the dependency graph in "snapshots"; v6 keeps both in "packages" under "/name@v".
import { isObject, str } from '../tree/read-manifest.js';
import { pnpmPackageKey } from '../tree/pnpm.js';
import { registrySpec, type LockDep, type LockDepType, type LockedPackage, type LockGraph } from './lockfile-graph.js';

const SECTIONS: [string, LockDepType][] = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['devDependencies', 'dev'],
];

/** The lockfile id a dependency version stands for; null for links to folders (workspaces). */
function idFor(name: string, version: string, v9: boolean): string | null {
  if (/^(link|file|workspace):/.test(version)) return null;
  if (/^\d/.test(version)) return v9 ? `${name}@${version}` : `/${name}@${version}`;
  if (version.startsWith('/')) return v9 ? version.slice(1) : version; // v6 alias: "/b@2.0.0"
  if (/^(@[^/@]+\/)?[^@/]+@/.test(version)) return v9 ? version : `/${version}`; // v9 alias: "b@2.0.0"
  return v9 ? `${name}@${version}` : version; // v6 git/tarball keys: "github.com/o/g/abc123"
}

/** {name: "1.0.0"} (snapshots, v6 packages) or {name: {specifier, version}} (importers). */
function depsOf(section: unknown, type: LockDepType, v9: boolean, out: LockDep[], unlinked: string[]): void {
  if (!isObject(section)) return;
  for (const [name, v] of Object.entries(section)) {
    const version = isObject(v) ? str(v.version) : str(v);
    if (!version) continue;
    const id = idFor(name, version, v9);
    if (id) out.push({ name, type, to: id });
    else unlinked.push(`${name} (${version})`);
  }
}

function originOf(id: string, name: string, version: string, meta: Record<string, unknown>): Pick<LockedPackage, 'spec' | 'integrity' | 'notFetched'> {
  const res = isObject(meta.resolution) ? meta.resolution : {};
  const integrity = str(res.integrity);
  const tarball = str(res.tarball);
  if (res.type === 'git' || res.type === 'directory' || (tarball && !/^https?:\/\//.test(tarball))) {
    return { spec: null, integrity, notFetched: `${id}: ${res.type === 'git' ? `git ${str(res.repo) ?? ''}` : (str(res.directory) ?? tarball ?? 'a local folder')} is not a registry tarball; not fetched` };
  }
  if (tarball && !integrity) return { spec: null, integrity: null, notFetched: `${id}: ${tarball} has no integrity in the lockfile (a git host tarball?); not fetched` };
  return { spec: tarball ? `${name}@${tarball}` : registrySpec(name, version), integrity };
}

/** "@s/a@1.0.0(peer@1)" → name "@s/a", version "1.0.0". */
function nameVersion(id: string): { name: string; version: string } {
  const key = pnpmPackageKey(id);
  const at = key.lastIndexOf('@');
  return { name: key.slice(0, at), version: key.slice(at + 1) };
}

export function pnpmLockGraph(lock: Record<string, unknown>): LockGraph {
  const v = lock.lockfileVersion;
  const version = typeof v === 'string' || typeof v === 'number' ? String(v) : '';
  const major = Number.parseFloat(version);
  if (!(major >= 6)) {
    throw new Error(`pnpm-lock.yaml lockfileVersion ${version || '?'} is not supported (6.0 and 9.0 are); upgrade it with pnpm 8 or later: pnpm install --lockfile-only`);
  }
  const v9 = major >= 9;
  const warnings: string[] = [];
  const unlinked: string[] = [];
  const importers = isObject(lock.importers) ? lock.importers : null;
  const rootImporter = importers ? (isObject(importers['.']) ? importers['.'] : {}) : lock;
  if (importers && Object.keys(importers).some((k) => k !== '.')) {
    warnings.push('pnpm-lock.yaml: workspace packages other than the root are first-party code in the project; their own dependencies are not fetched');
  }
  const rootDeps: LockDep[] = [];
  for (const [section, type] of SECTIONS) depsOf(rootImporter[section], type, v9, rootDeps, unlinked);
  const packages = new Map<string, LockedPackage>();
  const metas = isObject(lock.packages) ? lock.packages : {};
  const snaps = v9 ? (isObject(lock.snapshots) ? lock.snapshots : {}) : metas;
  for (const [id, snap] of Object.entries(snaps)) {
    if (!isObject(snap)) continue;
    const meta = v9 ? metas[pnpmPackageKey(id)] : snap;
    if (!isObject(meta)) {
      warnings.push(`pnpm-lock.yaml: ${id} has no entry in "packages"; not fetched`);
      continue;
    }
    const nv = nameVersion(id);
    const name = str(meta.name) ?? nv.name;
    const ver = str(meta.version) ?? nv.version;
    const deps: LockDep[] = [];
    depsOf(snap.dependencies, 'prod', v9, deps, unlinked);
    depsOf(snap.optionalDependencies, 'optional', v9, deps, unlinked);
    packages.set(id, { id, name, version: ver, ...originOf(id, name, ver, meta), os: meta.os, cpu: meta.cpu, libc: meta.libc, deps });
  }
  if (unlinked.length) warnings.push(`pnpm-lock.yaml: linked folders (workspaces, link:/file: dependencies) are first-party code; not fetched: ${unlinked.slice(0, 5).join(', ')}${unlinked.length > 5 ? ', …' : ''}`);
  return { format: `pnpm-lock.yaml v${version}`, manager: 'pnpm', rootDeps, packages, warnings };
}
