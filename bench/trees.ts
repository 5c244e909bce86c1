// Benchmark trees: copies of ../shared/bench-trees/<name>/{package.json,package-lock.json}
// installed once into .bench/<name>/ with `npm ci --ignore-scripts`, and reused while the copied
// manifest and lockfile still match the pinned ones. The shared folder is read-only, so nothing
// is ever written there; no install script of the trees ever runs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

export const TREE_NAMES = ['small', 'large'] as const;
export type TreeName = (typeof TREE_NAMES)[number];

const PINNED_FILES = ['package.json', 'package-lock.json'] as const;

/** $ENV_AUDIT_BENCH_TREES, else ../shared/bench-trees next to the repository. */
function benchTreesDir(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env.ENV_AUDIT_BENCH_TREES;
  if (override) return path.resolve(repoRoot, override);
  return path.resolve(repoRoot, '..', 'shared', 'bench-trees');
}

function sha256(file: string): string | null {
  try {
    return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

/** True when dest holds a finished install of exactly the pinned files of src. */
function isInstalled(src: string, dest: string): boolean {
  for (const f of PINNED_FILES) {
    const want = sha256(path.join(src, f));
    if (!want || sha256(path.join(dest, f)) !== want) return false;
  }
  // npm writes the hidden lockfile last, once the tree is complete
  return fs.existsSync(path.join(dest, 'node_modules', '.package-lock.json'));
}

export interface EnsureTreeOptions {
  repoRoot: string;
  log: (line: string) => void;
}

/** The installed tree's folder, installing it first when needed. Throws when npm ci fails. */
export function ensureTree(name: TreeName, opts: EnsureTreeOptions): string {
  const src = path.join(benchTreesDir(opts.repoRoot), name);
  const hint = ' (set ENV_AUDIT_BENCH_TREES to the bench-trees folder)';
  return installPinned(src, path.join(opts.repoRoot, '.bench', name), { ...opts, label: `tree ${name}`, hint });
}

export interface InstallPinnedOptions extends EnsureTreeOptions {
  /** how the log and errors name the tree */
  label: string;
  /** appended to the "not found" error */
  hint?: string;
}

/** Install the package.json + package-lock.json pinned in src into dest (npm ci --ignore-scripts),
 *  unless dest already holds a finished install of exactly those files. Returns dest. */
export function installPinned(src: string, dest: string, opts: InstallPinnedOptions): string {
  const { label } = opts;
  for (const f of PINNED_FILES) {
    if (!fs.existsSync(path.join(src, f))) throw new Error(`${label}: ${path.join(src, f)} not found${opts.hint ?? ''}`);
  }
  if (isInstalled(src, dest)) {
    opts.log(`${label}: reusing ${path.relative(opts.repoRoot, dest)}`);
    return dest;
  }
  opts.log(`${label}: installing into ${path.relative(opts.repoRoot, dest)} (npm ci --ignore-scripts; a large tree takes a few minutes)`);
  fs.rmSync(path.join(dest, 'node_modules'), { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  for (const f of PINNED_FILES) {
    // write the contents rather than copyFile: the source files are read-only
    fs.writeFileSync(path.join(dest, f), fs.readFileSync(path.join(src, f)));
  }
  const started = Date.now();
  const res = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dest,
    stdio: ['ignore', 'inherit', 'inherit'],
    shell: process.platform === 'win32',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  if (res.error) throw new Error(`${label}: could not run npm: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`${label}: npm ci exited with ${res.status ?? res.signal}`);
  if (!isInstalled(src, dest)) throw new Error(`${label}: npm ci finished but the install looks incomplete`);
  opts.log(`${label}: installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return dest;
}
