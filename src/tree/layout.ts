// Which package manager laid out the project's dependencies, told from the files it leaves, and
// what to tell a user whose project has no installed tree at all.
import fs from 'node:fs';
import path from 'node:path';
import { readYamlObject, str } from './read-manifest.js';

type Layout =
  /** node_modules in npm's shape: npm, Yarn classic, Yarn Berry nodeLinker: node-modules, pnpm hoisted. */
  | { kind: 'node-modules' }
  /** pnpm's isolated node_modules with the .pnpm virtual store. */
  | { kind: 'pnpm' }
  /** Yarn Berry Plug'n'Play: the map in .pnp.data.json or .pnp.cjs, packages in .yarn/cache zips. */
  | { kind: 'pnp'; map: string }
  | { kind: 'none' };

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** nodeLinker from .yarnrc.yml, when the project sets one. */
function yarnLinker(root: string): string | null {
  const r = readYamlObject(path.join(root, '.yarnrc.yml'));
  return r.ok ? str(r.value.nodeLinker) : null;
}

function pnpMapOf(root: string): string | null {
  for (const name of ['.pnp.data.json', '.pnp.cjs', '.pnp.js']) if (isFile(path.join(root, name))) return path.join(root, name);
  return null;
}

export function detectLayout(root: string): Layout {
  const nm = path.join(root, 'node_modules');
  const map = pnpMapOf(root);
  const linker = yarnLinker(root);
  // a PnP map left from before a switch to node-modules is stale: .yarnrc.yml says which is live
  if (map && (linker === null || linker === 'pnp') && !isFile(path.join(nm, '.yarn-state.yml'))) return { kind: 'pnp', map };
  if (!isDirectory(nm)) return { kind: 'none' };
  if (isDirectory(path.join(nm, '.pnpm'))) {
    const modules = readYamlObject(path.join(nm, '.modules.yaml'));
    if (!modules.ok || modules.value.nodeLinker !== 'hoisted') return { kind: 'pnpm' };
  }
  return { kind: 'node-modules' };
}

/** Yarn Berry writes __metadata into yarn.lock; Yarn classic writes "# yarn lockfile v1". */
function yarnLockKind(root: string): 'classic' | 'berry' | null {
  const file = path.join(root, 'yarn.lock');
  if (!isFile(file)) return null;
  try {
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    fs.closeSync(fd);
    return /^__metadata:/m.test(buf.subarray(0, n).toString('utf8')) ? 'berry' : 'classic';
  } catch {
    return 'classic';
  }
}

/** What to run to get an installed tree (without install scripts), from the lockfile the project has. */
export function installAdvice(root: string): string {
  if (isFile(path.join(root, 'pnpm-lock.yaml'))) return 'pnpm install --frozen-lockfile --ignore-scripts';
  const yarn = yarnLockKind(root);
  if (yarn === 'berry') return 'yarn install --immutable --mode=skip-build';
  if (yarn === 'classic') return 'yarn install --frozen-lockfile --ignore-scripts';
  if (isFile(path.join(root, 'package-lock.json')) || isFile(path.join(root, 'npm-shrinkwrap.json'))) return 'npm ci --ignore-scripts';
  return 'npm install --ignore-scripts';
}

/** The lockfiles `scan --lockfile` reads, in the order it looks for them. */
export const LOCKFILE_NAMES = ['npm-shrinkwrap.json', 'package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'] as const;

export function hasLockfile(root: string): boolean {
  return LOCKFILE_NAMES.some((n) => isFile(path.join(root, n)));
}
