// yarn.lock as a LockGraph: Yarn classic's own format ("# yarn lockfile v1", indented
// `key value` lines) and Yarn Berry's YAML (with __metadata). Berry records no tarball integrity:
// its checksums are of the archives Yarn builds, so tarballs are checked against the registry's.
import { parse as parseYaml } from 'yaml';
import type { PackageJson } from '../model.js';
import { isObject, str } from '../tree/read-manifest.js';
import { berryConditions } from '../tree/platform.js';
import { registrySpec, type LockDep, type LockDepType, type LockedPackage, type LockGraph } from './lockfile-graph.js';

type Entry = Record<string, unknown>;

function unquote(s: string): string {
  const t = s.trim();
  if (t.startsWith('"')) {
    try {
      return String(JSON.parse(t));
    } catch {
      return t.slice(1, -1);
    }
  }
  return t;
}

/** Yarn classic's lockfile: entries keyed by every "name@range" that resolved to them. */
export function parseYarnClassic(text: string): Map<string, Entry> {
  const byKey = new Map<string, Entry>();
  let entry: Entry | null = null;
  let nested: Record<string, string> | null = null;
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || raw.trimStart().startsWith('#')) continue;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    if (indent === 0) {
      entry = {};
      nested = null;
      for (const k of line.replace(/:$/, '').split(/,\s*/)) byKey.set(unquote(k), entry);
    } else if (entry && indent <= 2) {
      nested = null;
      if (line.endsWith(':')) entry[unquote(line.slice(0, -1))] = nested = {};
      else {
        const sp = line.search(/\s/);
        if (sp > 0) entry[unquote(line.slice(0, sp))] = unquote(line.slice(sp + 1));
      }
    } else if (nested) {
      const sp = line.search(/\s/);
      if (sp > 0) nested[unquote(line.slice(0, sp))] = unquote(line.slice(sp + 1));
    }
  }
  return byKey;
}

const ROOT_SECTIONS: [string, LockDepType][] = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['devDependencies', 'dev'],
];

function rootDepsOf(rootPkg: PackageJson, resolve: (name: string, range: string) => string | null, missing: string[]): LockDep[] {
  const out: LockDep[] = [];
  const seen = new Set<string>();
  for (const [section, type] of ROOT_SECTIONS) {
    const deps = rootPkg[section];
    if (!isObject(deps)) continue;
    for (const [name, range] of Object.entries(deps)) {
      if (seen.has(name) || typeof range !== 'string') continue;
      seen.add(name);
      const to = resolve(name, range);
      if (to) out.push({ name, type, to });
      else missing.push(`${name}@${range}`);
    }
  }
  return out;
}

function nameOfKey(key: string): string {
  const at = key.indexOf('@', 1);
  return at < 0 ? key : key.slice(0, at);
}

export function yarnClassicGraph(text: string, rootPkg: PackageJson): LockGraph {
  const byKey = parseYarnClassic(text);
  const warnings: string[] = [];
  const packages = new Map<string, LockedPackage>();
  const idOf = new Map<Entry, string>();
  for (const [key, e] of byKey) {
    const name = nameOfKey(key);
    const version = str(e.version) ?? '';
    const id = `${name}@${version}`;
    idOf.set(e, id);
    if (packages.has(id)) continue;
    const resolved = str(e.resolved) ?? '';
    const url = resolved.replace(/#.*$/, '');
    const fetchable = /^https?:\/\//.test(url) && !/codeload\.github\.com|\.git$/.test(url);
    packages.set(id, {
      id, name, version,
      spec: fetchable ? `${name}@${url}` : version && !resolved ? registrySpec(name, version) : null,
      integrity: str(e.integrity),
      ...(fetchable || (!resolved && version) ? {} : { notFetched: `${id}: ${resolved || 'no resolved URL'} is not a registry tarball; not fetched` }),
      deps: [],
    });
  }
  const resolve = (name: string, range: string): string | null => {
    const e = byKey.get(`${name}@${range}`);
    return e ? idOf.get(e)! : null;
  };
  for (const [key, e] of byKey) {
    const pkg = packages.get(idOf.get(e)!)!;
    if (pkg.deps.length) continue;
    for (const [section, type] of [['dependencies', 'prod'], ['optionalDependencies', 'optional']] as const) {
      const deps = isObject(e[section]) ? (e[section] as Record<string, string>) : {};
      for (const [dep, range] of Object.entries(deps)) {
        const to = resolve(dep, range);
        if (to) pkg.deps.push({ name: dep, type, to });
        else warnings.push(`yarn.lock: ${key} depends on ${dep}@${range}, which the lockfile does not lock`);
      }
    }
  }
  const missing: string[] = [];
  const rootDeps = rootDepsOf(rootPkg, resolve, missing);
  if (missing.length) warnings.push(`yarn.lock does not lock ${missing.join(', ')} from package.json: run yarn install to update it`);
  return { format: 'yarn.lock v1', manager: 'yarn', rootDeps, packages, warnings };
}

/** "fx-util@npm:1.0.0" → registry package; anything else (workspace:, patch:, git, file:) is not fetched. */
function berryOrigin(resolution: string): { name: string; version: string | null } {
  const at = resolution.indexOf('@', 1);
  const name = resolution.slice(0, at);
  const ref = resolution.slice(at + 1);
  const m = /^npm:([^\s#]+)$/.exec(ref);
  return { name, version: m ? m[1] : null };
}

export function yarnBerryGraph(text: string, rootPkg: PackageJson): LockGraph {
  const lock = parseYaml(text, { maxAliasCount: 1000, uniqueKeys: false }) as unknown;
  if (!isObject(lock)) throw new Error('yarn.lock is not a YAML mapping');
  const meta = isObject(lock.__metadata) ? lock.__metadata : {};
  const warnings: string[] = [
    'yarn.lock (Yarn Berry) records no tarball integrity (its checksums are of the archives Yarn builds): tarballs were checked against the integrity the registry publishes',
  ];
  const byDescriptor = new Map<string, string>();
  const entries = new Map<string, Entry>();
  for (const [key, e] of Object.entries(lock)) {
    if (key === '__metadata' || !isObject(e) || !str(e.resolution)) continue;
    entries.set(str(e.resolution)!, e);
    for (const d of key.split(/,\s*/)) byDescriptor.set(d.trim(), str(e.resolution)!);
  }
  // Berry writes "name@npm:^1.0.0" for a package.json range of "^1.0.0"
  const resolve = (name: string, range: string): string | null =>
    byDescriptor.get(`${name}@${range}`) ?? byDescriptor.get(`${name}@npm:${range}`) ?? null;
  const packages = new Map<string, LockedPackage>();
  for (const [id, e] of entries) {
    const { name, version } = berryOrigin(id);
    if (id.includes('@workspace:')) continue; // first-party code in the project
    const deps: LockDep[] = [];
    const depsMeta = isObject(e.dependenciesMeta) ? e.dependenciesMeta : {};
    for (const [dep, range] of Object.entries(isObject(e.dependencies) ? e.dependencies : {})) {
      const to = typeof range === 'string' ? resolve(dep, range) : null;
      const optional = isObject(depsMeta[dep]) && (depsMeta[dep] as Entry).optional === true;
      if (to) deps.push({ name: dep, type: optional ? 'optional' : 'prod', to });
    }
    packages.set(id, {
      id, name, version: version ?? str(e.version) ?? '',
      spec: version ? registrySpec(name, version) : null,
      integrity: null,
      ...(version ? {} : { notFetched: `${id}: not a registry package; not fetched` }),
      ...berryConditions(e.conditions),
      deps: deps.sort((a, b) => (a.name < b.name ? -1 : 1)),
    });
  }
  const missing: string[] = [];
  const rootDeps = rootDepsOf(rootPkg, resolve, missing);
  if (missing.length) warnings.push(`yarn.lock does not lock ${missing.join(', ')} from package.json: run yarn install to update it`);
  return { format: `yarn.lock (Yarn Berry, v${typeof meta.version === 'string' || typeof meta.version === 'number' ? meta.version : '?'})`, manager: 'yarn', rootDeps, packages, warnings };
}

export function isBerryLock(text: string): boolean {
  return /^__metadata:/m.test(text);
}
