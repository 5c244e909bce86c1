// Lay a LockGraph (pnpm-lock.yaml, yarn.lock) out the way pnpm does: each package once in a
// virtual store, its dependencies as symlinks beside it, the project's as symlinks in
// node_modules, plus the .modules.yaml and lock.yaml the pnpm tree loader reads. The dependency
// paths of the scan are then exactly the lockfile's graph. Packages whose os/cpu do not match this
// machine are left out and listed as skipped, as every manager does.
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_FETCH_TIMEOUT_MS, extractWithin, FetchTimeoutError } from './fetch-within.js';
import { stringify } from 'yaml';
import { TreeError } from '../tree/load-tree.js';
import { platformMismatch } from '../tree/platform.js';
import { readJsonObject } from '../tree/read-manifest.js';
import type { LockedPackage, LockGraph } from './lockfile-graph.js';
import type { NpmOptions } from './lockfile.js';

const VALID_NAME = /^(?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*$/i;

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

interface StoreOptions {
  npm: NpmOptions;
  storeDir: string;
  lockfileName: string;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  /** not fetched at all, by the lockfile's dependency types (the scan would leave them out anyway). */
  omitDev?: boolean;
}

/** Folder names in the store: one per id, safe as a single path segment, never colliding. */
function storeNames(graph: LockGraph): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const id of [...graph.packages.keys()].sort()) {
    let base = id.replace(/^\//, '').replace(/\//g, '+').replace(/[^\w@.+()=-]/g, '_').slice(0, 120) || 'pkg';
    if (base === '.' || base === '..') base = `_${base}`;
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    out.set(id, name);
  }
  return out;
}

/** Ids reachable from the root (dev dependencies left out on request). */
function reachable(graph: LockGraph, omitDev: boolean): Set<string> {
  const seen = new Set<string>();
  const queue = graph.rootDeps.filter((d) => !(omitDev && d.type === 'dev')).map((d) => d.to);
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (seen.has(id) || !graph.packages.has(id)) continue;
    seen.add(id);
    queue.push(...graph.packages.get(id)!.deps.map((d) => d.to));
  }
  return seen;
}

async function fetchInto(p: LockedPackage, dest: string, opts: StoreOptions, warnings: string[]): Promise<boolean> {
  if (!p.spec) {
    warnings.push(p.notFetched ?? `${p.id}: not fetched`);
    return false;
  }
  if (!p.integrity && opts.lockfileName !== 'yarn.lock') warnings.push(`${p.id}: no integrity in ${opts.lockfileName}; the tarball could not be verified`);
  try {
    const timeoutMs = typeof opts.npm.fetchTimeoutMs === 'number' ? opts.npm.fetchTimeoutMs : DEFAULT_FETCH_TIMEOUT_MS;
    await extractWithin(p.spec, dest, { ...opts.npm, ...(p.integrity ? { integrity: p.integrity } : {}), ignoreScripts: true }, timeoutMs);
    return true;
  } catch (err) {
    fs.rmSync(dest, { recursive: true, force: true });
    if (err instanceof FetchTimeoutError) throw new TreeError('LOAD_FAILED', `${p.id}: ${err.message}`, { cause: err });
    if ((err as { code?: string }).code === 'EINTEGRITY') {
      throw new TreeError(
        'LOAD_FAILED',
        `${p.id}: integrity check failed: the tarball for ${p.name}@${p.version} does not match ${opts.lockfileName} (${p.integrity ?? 'the registry\'s integrity'}); refusing to scan it`,
        { cause: err },
      );
    }
    throw new TreeError('LOAD_FAILED', `${p.id}: could not fetch ${p.name}@${p.version}: ${String((err as Error).message).split('\n')[0]}`, { cause: err });
  }
}

function link(from: string, to: string): void {
  fs.mkdirSync(path.dirname(from), { recursive: true });
  fs.symlinkSync(path.relative(path.dirname(from), to), from, 'junction');
}

/** Fetch, verify and lay out every package; returns the warnings and the number fetched. */
export async function materializeGraph(build: string, graph: LockGraph, opts: StoreOptions): Promise<{ warnings: string[]; fetched: number }> {
  const warnings = [...graph.warnings];
  const names = storeNames(graph);
  const store = path.join(build, 'node_modules', opts.storeDir);
  const wanted = reachable(graph, opts.omitDev === true);
  const dirOf = (p: LockedPackage): string => path.join(store, names.get(p.id)!, 'node_modules', p.name);
  const jobs = [...wanted].map((id) => graph.packages.get(id)!).filter((p) => {
    if (VALID_NAME.test(p.name)) return true;
    warnings.push(`${opts.lockfileName}: ${JSON.stringify(p.id)} is not a valid package name; not fetched`);
    return false;
  });
  const present = new Set<string>();
  const skipped: string[] = [];
  let done = 0;
  opts.onProgress?.(0, jobs.length);
  await pool(jobs, opts.concurrency ?? 8, async (p) => {
    const dest = dirOf(p);
    // the lockfile's os/cpu when it has them (pnpm, Berry), else the package's own (Yarn classic)
    if (platformMismatch(p)) skipped.push(`${p.name}@${p.version}`);
    else if (await fetchInto(p, dest, opts, warnings)) {
      const own = readJsonObject(path.join(dest, 'package.json'));
      if (own.ok && platformMismatch(own.value)) {
        p.os = own.value.os;
        p.cpu = own.value.cpu;
        p.libc = own.value.libc;
        fs.rmSync(dest, { recursive: true, force: true });
        skipped.push(`${p.name}@${p.version}`);
      } else present.add(p.id);
    }
    opts.onProgress?.(++done, jobs.length);
  });
  for (const p of jobs) {
    if (!present.has(p.id)) continue;
    for (const d of p.deps) {
      const to = graph.packages.get(d.to);
      if (to && present.has(to.id) && VALID_NAME.test(d.name) && d.name !== p.name) link(path.join(store, names.get(p.id)!, 'node_modules', d.name), dirOf(to));
    }
  }
  for (const d of graph.rootDeps) {
    const to = graph.packages.get(d.to);
    if (to && present.has(to.id) && VALID_NAME.test(d.name)) link(path.join(build, 'node_modules', d.name), dirOf(to));
  }
  writeLoaderFiles(build, store, graph, present, skipped, opts);
  return { warnings, fetched: present.size };
}

/** What the pnpm loader reads: the store's lock.yaml (integrity, origin) and .modules.yaml. */
function writeLoaderFiles(build: string, store: string, graph: LockGraph, present: Set<string>, skipped: string[], opts: StoreOptions): void {
  const packages: Record<string, unknown> = {};
  for (const p of graph.packages.values()) {
    if (!present.has(p.id) && !skipped.includes(`${p.name}@${p.version}`)) continue;
    const tarball = p.spec && /@https?:\/\//.test(p.spec) ? p.spec.slice(p.spec.indexOf('@', 1) + 1) : undefined;
    packages[`${p.name}@${p.version}`] = {
      resolution: { ...(p.integrity ? { integrity: p.integrity } : {}), ...(tarball ? { tarball } : {}) },
      ...(p.os ? { os: p.os } : {}),
      ...(p.cpu ? { cpu: p.cpu } : {}),
      ...(p.libc ? { libc: p.libc } : {}),
    };
  }
  fs.mkdirSync(store, { recursive: true });
  fs.writeFileSync(path.join(store, 'lock.yaml'), stringify({ lockfileVersion: '9.0', packages }));
  const registry = typeof opts.npm.registry === 'string' ? opts.npm.registry : 'https://registry.npmjs.org/';
  fs.writeFileSync(
    path.join(build, 'node_modules', '.modules.yaml'),
    stringify({ nodeLinker: 'isolated', virtualStoreDir: opts.storeDir, packageManager: graph.manager, registries: { default: registry }, skipped: skipped.sort() }),
  );
}
