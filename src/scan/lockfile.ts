// `scan --lockfile` (and `preview`): get package code without `npm install`. Every tarball a
// package-lock.json names is fetched with pacote (npm's own fetcher, so the user's registry, scoped
// registries, auth and proxy settings from .npmrc apply), checked against the lockfile's
// integrity, and unpacked into an installed-looking folder the normal scan then reads. Nothing is
// executed: registry and remote tarballs are only unpacked, and git/file dependencies (whose
// fetch could run `prepare` scripts) are skipped with a warning.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import './preload.js'; // before pacote loads
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- loaded here on purpose, after ./preload.js
import pacote from 'pacote';
import { trackTemp, untrackTemp } from './temps.js';
import { parse as parseYaml } from 'yaml';
import type { PackageJson } from '../model.js';
import { homeDir } from './home.js';
import { DEFAULT_FETCH_TIMEOUT_MS, extractWithin, FetchTimeoutError } from './fetch-within.js';
import { TreeError } from '../tree/load-tree.js';
import { LOCKFILE_NAMES } from '../tree/layout.js';
import { isObject } from '../tree/read-manifest.js';
import { platformMismatch } from '../tree/platform.js';
import type { LockGraph } from './lockfile-graph.js';
import { pnpmLockGraph } from './lockfile-pnpm.js';
import { isBerryLock, yarnBerryGraph, yarnClassicGraph } from './lockfile-yarn.js';
import { materializeGraph } from './lockfile-store.js';

// ---------------------------------------------------------------------------------------------
// npm configuration

export type NpmOptions = Record<string, unknown>;

/** `${VAR}` and `${VAR?}` in .npmrc values, as npm expands them. */
function envReplace(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/(?<!\\)\$\{([^${}?]+)\??\}/g, (_, name: string) => env[name] ?? '');
}

/** A small .npmrc reader: `key = value`, `key[] = value`, `;`/`#` comments, quoted values. */
export function parseNpmrc(text: string, env: NodeJS.ProcessEnv = process.env): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith(';') || line.startsWith('#') || line.startsWith('[')) continue;
    const eq = line.indexOf('=');
    let key = (eq < 0 ? line : line.slice(0, eq)).trim();
    let value = eq < 0 ? 'true' : line.slice(eq + 1).trim();
    if (/^".*"$/.test(value)) {
      try {
        value = String(JSON.parse(value));
      } catch {
        /* keep it as written */
      }
    } else if (/^'.*'$/.test(value)) value = value.slice(1, -1);
    key = envReplace(key, env);
    value = envReplace(value, env);
    if (key.endsWith('[]')) {
      const k = key.slice(0, -2);
      const prev = out[k];
      out[k] = Array.isArray(prev) ? [...prev, value] : prev === undefined ? [value] : [prev, value];
    } else out[key] = value;
  }
  return out;
}

function readNpmrc(file: string | undefined, env: NodeJS.ProcessEnv): Record<string, string | string[]> {
  if (!file) return {};
  try {
    return parseNpmrc(fs.readFileSync(file, 'utf8'), env);
  } catch {
    return {}; // a missing .npmrc is the usual case
  }
}

/**
 * The user's npm configuration for `projectDir`, flattened the way pacote and arborist take it:
 * global < user < project .npmrc < npm_config_* environment (npm's own precedence, minus the CLI).
 */
export function npmOptions(projectDir: string, env: NodeJS.ProcessEnv = process.env): NpmOptions {
  const fromEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (!/^npm_config_/i.test(k) || v === undefined || v === '') continue;
    let key = k.slice('npm_config_'.length);
    if (!key.startsWith('//')) key = key.replace(/(?!^)_/g, '-').toLowerCase();
    fromEnv[key] = v;
  }
  const home = env !== process.env && env.HOME ? env.HOME : homeDir();
  const prefix = fromEnv.prefix ?? (process.platform === 'win32' ? path.dirname(process.execPath) : path.dirname(path.dirname(process.execPath)));
  const globalFile = fromEnv.globalconfig ?? path.join(prefix, 'etc', 'npmrc');
  const userFile = fromEnv.userconfig ?? (home === null ? null : path.join(home, '.npmrc'));
  const user = userFile === null ? {} : readNpmrc(userFile, env);
  const merged: Record<string, string | string[]> = {
    ...readNpmrc(globalFile, env),
    ...user,
    ...readNpmrc(path.join(projectDir, '.npmrc'), env),
    ...fromEnv,
  };
  const str = (k: string): string | undefined => {
    const v = merged[k];
    return Array.isArray(v) ? v[v.length - 1] : v;
  };
  const bool = (k: string): boolean | undefined => (str(k) === undefined ? undefined : str(k) !== 'false');

  const opts: NpmOptions = {};
  // scoped registries and per-registry auth ("@scope:registry", "//host/:_authToken") are read by
  // npm-registry-fetch under their own names: pass every key through as npm would
  for (const [k, v] of Object.entries(merged)) opts[k] = v;
  const registry = str('registry') ?? 'https://registry.npmjs.org/';
  opts.registry = registry.endsWith('/') ? registry : registry + '/';
  const cacheRoot = str('cache') ?? (process.platform === 'win32' && env.LOCALAPPDATA ? path.join(env.LOCALAPPDATA, 'npm-cache') : path.join(home ?? path.join(os.tmpdir(), `env-audit-npm-${process.getuid?.() ?? 'user'}`), '.npm'));
  opts.cache = path.join(cacheRoot, '_cacache');
  if (bool('strict-ssl') !== undefined) opts.strictSSL = bool('strict-ssl');
  if (str('proxy')) opts.proxy = str('proxy');
  if (str('https-proxy')) opts.httpsProxy = str('https-proxy');
  if (str('noproxy')) opts.noProxy = str('noproxy');
  if (str('replace-registry-host')) opts.replaceRegistryHost = str('replace-registry-host');
  if (str('user-agent')) opts.userAgent = str('user-agent');
  if (bool('offline') !== undefined) opts.offline = bool('offline');
  if (bool('prefer-offline') !== undefined) opts.preferOffline = bool('prefer-offline');
  if (bool('prefer-online') !== undefined) opts.preferOnline = bool('prefer-online');
  // resolution settings that change what `npm install` (and so `preview`) would pick
  if (bool('legacy-peer-deps') !== undefined) opts.legacyPeerDeps = bool('legacy-peer-deps');
  if (str('install-strategy')) opts.installStrategy = str('install-strategy');
  if (str('fetch-retries') !== undefined) opts.retry = { retries: Number(str('fetch-retries')) };
  const cafile = str('cafile');
  if (cafile) {
    try {
      opts.ca = fs.readFileSync(cafile, 'utf8');
    } catch {
      /* npm ignores an unreadable cafile too */
    }
  } else if (merged.ca !== undefined) opts.ca = merged.ca;
  // we only ever unpack; never let a fetcher run lifecycle scripts
  opts.ignoreScripts = true;
  return opts;
}

// ---------------------------------------------------------------------------------------------
// The lockfile tree

interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  inBundle?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  [key: string]: unknown;
}

interface Lockfile {
  lockfileVersion?: number;
  packages?: Record<string, LockEntry>;
}

export interface LockfileTree {
  /** the installed-looking folder to scan. */
  dir: string;
  /** the lockfile it was made from. */
  lockfile: string;
  warnings: string[];
  /** tarballs unpacked. */
  fetched: number;
  /** remove the folder. */
  cleanup(): void;
}

export interface LockfileOptions {
  npm?: NpmOptions;
  /** not fetched at all, by the lockfile's own flags (the scan would leave them out anyway). */
  omit?: ('dev' | 'optional' | 'peer')[];
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  /** per package: give up when the registry has not delivered it within this many ms (default 60 s). */
  fetchTimeoutMs?: number;
}


/** The project's lockfile: npm's first, unless package.json "packageManager" names pnpm or Yarn. */
function findLockfile(projectDir: string, pkgText: string | null): string {
  let manager = '';
  try {
    const field = (JSON.parse(pkgText ?? '{}') as { packageManager?: unknown }).packageManager;
    manager = typeof field === 'string' ? field : '';
  } catch {
    /* the tree stage reports a broken package.json */
  }
  const order = [...LOCKFILE_NAMES].sort((a, b) => Number(preferred(b, manager)) - Number(preferred(a, manager)));
  for (const name of order) {
    const file = path.join(projectDir, name);
    if (fs.existsSync(file)) return file;
  }
  throw new TreeError('LOAD_FAILED', `--lockfile: no package-lock.json, npm-shrinkwrap.json, pnpm-lock.yaml or yarn.lock in ${projectDir}`);
}

function preferred(lockfile: string, manager: string): boolean {
  return (manager.startsWith('pnpm@') && lockfile === 'pnpm-lock.yaml') || (manager.startsWith('yarn@') && lockfile === 'yarn.lock');
}

/** pnpm-lock.yaml or yarn.lock, read into one graph shape. */
function lockGraphOf(lockfile: string, lockText: string, pkgText: string | null): LockGraph {
  let rootPkg: PackageJson = {};
  try {
    rootPkg = pkgText ? (JSON.parse(pkgText) as PackageJson) : {};
  } catch {
    /* reported by the tree stage */
  }
  try {
    if (path.basename(lockfile) === 'pnpm-lock.yaml') {
      const lock = parseYaml(lockText, { maxAliasCount: 1000, uniqueKeys: false }) as unknown;
      if (!isObject(lock)) throw new Error('not a YAML mapping');
      const graph = pnpmLockGraph(lock);
      const pm = typeof rootPkg.packageManager === 'string' && rootPkg.packageManager.startsWith('pnpm@') ? rootPkg.packageManager : null;
      return pm ? { ...graph, manager: pm } : graph;
    }
    return isBerryLock(lockText) ? yarnBerryGraph(lockText, rootPkg) : yarnClassicGraph(lockText, rootPkg);
  } catch (err) {
    if (err instanceof TreeError) throw err;
    throw new TreeError('LOAD_FAILED', `${lockfile}: ${(err as Error).message}`, { cause: err });
  }
}

/** The package name a lockfile key stands for: "node_modules/a/node_modules/@s/b" → "@s/b". */
export function nameFromKey(key: string): string {
  const i = key.lastIndexOf('node_modules/');
  return key.slice(i + 'node_modules/'.length);
}

/** A key that stays inside the tree: node_modules segments only, no "..", no absolute paths. */
function safeKey(key: string): boolean {
  if (path.isAbsolute(key) || key.includes('\\')) return false;
  const parts = key.split('/');
  return parts[0] === 'node_modules' && !parts.some((p) => p === '..' || p === '.' || p === '');
}

function depth(key: string): number {
  return key.split('node_modules/').length - 1;
}

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

function errCode(err: unknown): string | undefined {
  return (err as { code?: string })?.code;
}

/**
 * Unpack every package the lockfile locks into an installed-looking folder (package.json + the
 * lockfile's node_modules layout), in a fresh temp folder, and return it.
 */
export async function materializeLockfile(projectDir: string, opts: LockfileOptions): Promise<LockfileTree> {
  const pkgFile = path.join(projectDir, 'package.json');
  const pkgText = fs.existsSync(pkgFile) ? fs.readFileSync(pkgFile, 'utf8') : null;
  const lockfile = findLockfile(projectDir, pkgText);
  const lockText = fs.readFileSync(lockfile, 'utf8');
  const graph = lockfile.endsWith('.json') ? null : lockGraphOf(lockfile, lockText, pkgText);
  let lock: Lockfile = {};
  if (!graph) {
    try {
      lock = JSON.parse(lockText) as Lockfile;
    } catch (err) {
      throw new TreeError('LOAD_FAILED', `${lockfile}: not valid JSON (${(err as Error).message})`);
    }
    if (!lock.packages || typeof lock.packages !== 'object' || (lock.lockfileVersion ?? 1) < 2) {
      throw new TreeError(
        'LOAD_FAILED',
        `${lockfile}: lockfileVersion ${lock.lockfileVersion ?? 1} has no "packages" section; ` +
          'upgrade it with "npm install --package-lock-only" (npm 7 or later)',
      );
    }
  }
  const npm = opts.npm ?? npmOptions(projectDir);

  const omit = new Set(opts.omit ?? []);
  const omitted = (e: LockEntry): boolean =>
    (omit.has('dev') && e.dev === true) || (omit.has('optional') && e.optional === true) ||
    (omit.has('dev') && omit.has('optional') && e.devOptional === true) || (omit.has('peer') && e.peer === true);
  const warnings: string[] = [];
  // Always a fresh folder, never a reused one: an unpacked tree kept between runs cannot be
  // verified against the lockfile's integrity (that covers the tarball, not the files), and one
  // edited or deleted in place turned findings into a clean run. pacote's own cache verifies each
  // tarball's integrity on every read, so a warm run still downloads nothing.
  const build = fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-lockfile-'));
  trackTemp(build);
  const removeBuild = () => {
    fs.rmSync(build, { recursive: true, force: true });
    untrackTemp(build);
  };
  const finish = (fetched: number): LockfileTree => ({ dir: build, lockfile, warnings, fetched, cleanup: removeBuild });

  try {
    if (graph) {
      if (!pkgText) throw new TreeError('LOAD_FAILED', `--lockfile: ${path.basename(lockfile)} needs the project's package.json beside it`);
      fs.writeFileSync(path.join(build, 'package.json'), pkgText);
      const got = await materializeGraph(build, graph, {
        npm: { ...npm, fetchTimeoutMs: opts.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS }, storeDir: '.pnpm', lockfileName: path.basename(lockfile), concurrency: opts.concurrency, onProgress: opts.onProgress, omitDev: omit.has('dev'),
      });
      warnings.push(...got.warnings);
      return finish(got.fetched);
    }
    const packages = lock.packages!;
    const rootEntry = packages[''] ?? {};
    fs.writeFileSync(
      path.join(build, 'package.json'),
      pkgText ?? JSON.stringify({ name: rootEntry.name ?? path.basename(projectDir), version: rootEntry.version ?? '0.0.0', ...pick(rootEntry) }, null, 2),
    );

    const jobs: { key: string; entry: LockEntry }[] = [];
    for (const [key, entry] of Object.entries(packages)) {
      if (key === '' || !entry || typeof entry !== 'object') continue;
      if (!key.includes('node_modules/')) continue; // a workspace folder: first-party code in the project
      if (!safeKey(key)) {
        warnings.push(`${key}: lockfile key leaves node_modules; skipped`);
        continue;
      }
      if (entry.link) {
        warnings.push(`${key}: linked to ${entry.resolved ?? 'a local folder'} (a workspace or file: link); not fetched`);
        continue;
      }
      if (entry.inBundle) continue; // it comes inside its parent's tarball
      if (omitted(entry)) continue;
      jobs.push({ key, entry });
    }

    let done = 0;
    const total = jobs.length;
    opts.onProgress?.(0, total);
    // a parent's extraction empties its folder, so each depth waits for the one above it
    const maxDepth = jobs.reduce((m, j) => Math.max(m, depth(j.key)), 0);
    for (let d = 1; d <= maxDepth; d++) {
      await pool(jobs.filter((j) => depth(j.key) === d), opts.concurrency ?? 8, async ({ key, entry }) => {
        await fetchOne(build, key, entry, npm, warnings, opts.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS);
        opts.onProgress?.(++done, total);
      });
    }

    // the lockfile's integrity values, where the tree stage looks for them (loadTree reads the
    // hidden lockfile for integrity only; the tree itself is always read from disk)
    const hidden = { name: rootEntry.name, lockfileVersion: 3, requires: true, packages: Object.fromEntries(Object.entries(packages).filter(([k]) => k !== '')) };
    fs.mkdirSync(path.join(build, 'node_modules'), { recursive: true });
    fs.writeFileSync(path.join(build, 'node_modules', '.package-lock.json'), JSON.stringify(hidden, null, 2));
    return finish(done);
  } catch (err) {
    removeBuild();
    throw err;
  }
}

/** Root fields that decide dev/optional/peer flags, for a project without package.json. */
function pick(entry: LockEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) if (entry[k]) out[k] = entry[k];
  return out;
}

async function fetchOne(root: string, key: string, entry: LockEntry, npm: NpmOptions, warnings: string[], timeoutMs: number): Promise<void> {
  const name = entry.name ?? nameFromKey(key);
  const resolved = entry.resolved;
  const optional = entry.optional === true || entry.devOptional === true;
  // npm leaves out packages for other platforms; the tree stage lists them as not installed here
  if (platformMismatch({ os: entry.os, cpu: entry.cpu, libc: entry.libc })) return;
  let spec: string;
  if (resolved && /^https?:\/\//i.test(resolved)) spec = `${name}@${resolved}`;
  else if (!resolved && entry.version) spec = `${name}@${entry.version}`;
  else {
    // git, file: and directory dependencies: fetching them can run prepare scripts or read
    // outside the project; the scan does not execute anything, so they are left out
    warnings.push(`${key}: ${resolved ?? 'no resolved URL or version'} is not a registry tarball; not fetched`);
    return;
  }
  if (!entry.integrity) warnings.push(`${key}: no integrity in the lockfile; the tarball could not be verified`);
  const dest = path.join(root, key);
  try {
    await extractWithin(spec, dest, { ...npm, integrity: entry.integrity, resolved, ignoreScripts: true }, timeoutMs);
  } catch (err) {
    fs.rmSync(dest, { recursive: true, force: true });
    if (err instanceof FetchTimeoutError) throw new TreeError('LOAD_FAILED', `${key}: ${err.message}`, { cause: err });
    if (errCode(err) === 'EINTEGRITY') {
      throw new TreeError(
        'LOAD_FAILED',
        `${key}: integrity check failed: the tarball for ${name}@${entry.version ?? '?'} does not match package-lock.json (${entry.integrity}); refusing to scan it`,
        { cause: err },
      );
    }
    const why = `${(err as Error).message}`.split('\n')[0];
    if (optional) {
      warnings.push(`${key}: optional dependency could not be fetched (${why}); skipped`);
      return;
    }
    throw new TreeError('LOAD_FAILED', `${key}: could not fetch ${name}@${entry.version ?? resolved}: ${why}`, { cause: err });
  }
}
