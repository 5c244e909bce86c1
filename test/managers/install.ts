// Install fixtures/managers/project with each real package manager (npm, pnpm 10, Yarn 1, Yarn 4
// node-modules and Plug'n'Play) from its committed lockfile, against the loopback registry of
// test/policy/registry.ts. Always without install scripts; never any address but 127.0.0.1.
// Lockfiles are committed with "{{REGISTRY}}/" where the registry's URL goes (its port changes
// every run); `writeLockfiles` (run by hand: node dist/test/managers/install.js) makes them anew.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixture, repoRoot } from '../helpers.js';
import { startRegistry, type TestRegistry } from '../policy/registry.js';

export const MANAGERS = ['npm', 'pnpm', 'yarn1', 'yarn4-nm', 'yarn4-pnp'] as const;
export type Manager = (typeof MANAGERS)[number];

export const PROJECT = fixture('managers', 'project');
const PACKAGES = fixture('managers', 'packages');
const LOCKS = fixture('managers', 'lockfiles');

const LOCKFILE: Record<Manager, string> = {
  npm: 'package-lock.json',
  pnpm: 'pnpm-lock.yaml',
  yarn1: 'yarn.lock',
  'yarn4-nm': 'yarn.lock',
  'yarn4-pnp': 'yarn.lock',
};
/** yarn4-nm and yarn4-pnp share one Berry lockfile (the linker does not change it). */
const LOCK_DIR: Record<Manager, string> = { npm: 'npm', pnpm: 'pnpm', yarn1: 'yarn1', 'yarn4-nm': 'yarn4', 'yarn4-pnp': 'yarn4' };

export function lockfileOf(m: Manager): { dir: string; file: string } {
  return { dir: path.join(LOCKS, LOCK_DIR[m]), file: LOCKFILE[m] };
}

export async function fixtureRegistry(): Promise<TestRegistry> {
  const dirs = fs.readdirSync(PACKAGES).sort().map((d) => path.join(PACKAGES, d));
  return startRegistry(dirs);
}

const bin = (...p: string[]): string => path.join(repoRoot, 'node_modules', ...p);
const CLI: Record<'npm' | 'pnpm' | 'yarn1' | 'yarn4', string[]> = {
  npm: [], // the npm that runs the tests (npm_execpath), else the one beside node
  pnpm: [bin('pnpm', 'bin', 'pnpm.cjs')],
  yarn1: [bin('yarn', 'bin', 'yarn.js')],
  yarn4: [bin('@yarnpkg', 'cli-dist', 'bin', 'yarn.js')],
};

function npmCli(): string[] {
  const exec = process.env.npm_execpath;
  if (exec && /npm-cli\.js$/.test(exec)) return [exec];
  return [path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')];
}

/** Environment with no user or global config of any manager, only the loopback registry. */
function managerEnv(m: Manager, reg: TestRegistry, home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|yarn_|pnpm_)|^(https?|all)_proxy$/i.test(k)) continue;
    env[k] = v;
  }
  const npmrc = path.join(home, 'npmrc');
  fs.writeFileSync(npmrc, `registry=${reg.url}\n`);
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_DATA_HOME: path.join(home, '.local'),
    npm_config_registry: reg.url,
    npm_config_userconfig: npmrc,
    npm_config_globalconfig: path.join(home, 'global-npmrc'),
    npm_config_cache: path.join(home, 'npm-cache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_fetch_retries: '0',
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    COREPACK_ENABLE_STRICT: '0',
    CI: '1',
  });
  if (m.startsWith('yarn4')) {
    Object.assign(env, {
      YARN_IGNORE_PATH: '1',
      YARN_NPM_REGISTRY_SERVER: reg.url.replace(/\/$/, ''),
      YARN_UNSAFE_HTTP_WHITELIST: '127.0.0.1',
      YARN_ENABLE_GLOBAL_CACHE: 'false',
      YARN_ENABLE_SCRIPTS: 'false',
      YARN_ENABLE_TELEMETRY: '0',
      YARN_ENABLE_PROGRESS_BARS: 'false',
      YARN_NODE_LINKER: m === 'yarn4-pnp' ? 'pnp' : 'node-modules',
      YARN_PNP_ENABLE_INLINING: m === 'yarn4-pnp' ? 'false' : 'true',
      YARN_GLOBAL_FOLDER: path.join(home, 'yarn-global'),
    });
  }
  return env;
}

function argsFor(m: Manager, reg: TestRegistry, home: string, frozen: boolean): string[] {
  switch (m) {
    case 'npm':
      return [...npmCli(), frozen ? 'ci' : 'install', '--ignore-scripts', '--no-audit', '--no-fund'];
    case 'pnpm':
      return [...CLI.pnpm, 'install', frozen ? '--frozen-lockfile' : '--no-frozen-lockfile', '--ignore-scripts',
        '--store-dir', path.join(home, 'pnpm-store'), '--config.confirmModulesPurge=false'];
    case 'yarn1':
      return [...CLI.yarn1, 'install', ...(frozen ? ['--frozen-lockfile'] : []), '--ignore-scripts', '--non-interactive',
        '--no-progress', '--cache-folder', path.join(home, 'yarn1-cache'), '--registry', reg.url];
    default:
      return [...CLI.yarn4, 'install', frozen ? '--immutable' : '--no-immutable', '--mode=skip-build'];
  }
}

function run(cmd: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cmd, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, out });
    });
  });
}

/** The project with manager m's committed lockfile (registry URL filled in), not yet installed. */
export function projectWithLockfile(m: Manager, reg: TestRegistry, dest: string): string {
  fs.cpSync(PROJECT, dest, { recursive: true });
  const { dir, file } = lockfileOf(m);
  const text = fs.readFileSync(path.join(dir, file), 'utf8').replaceAll('{{REGISTRY}}/', reg.url);
  fs.writeFileSync(path.join(dest, file), text);
  return dest;
}

/** Install the project at `dest` with manager m; frozen = from the committed lockfile. */
export async function install(m: Manager, reg: TestRegistry, dest: string, home: string, frozen = true): Promise<void> {
  fs.mkdirSync(home, { recursive: true });
  const r = await run(argsFor(m, reg, home, frozen), dest, managerEnv(m, reg, home));
  if (r.status !== 0) throw new Error(`${m} install failed (${r.status}) in ${dest}:\n${r.out}`);
}

/** Make the committed lockfiles anew (by hand, when the fixture packages change). */
async function writeLockfiles(): Promise<void> {
  const reg = await fixtureRegistry();
  const tmp = fs.mkdtempSync(path.join(repoRoot, '..', 'i15-locks-'));
  try {
    for (const m of ['npm', 'pnpm', 'yarn1', 'yarn4-nm'] as const) {
      const dest = path.join(tmp, m, 'project');
      fs.cpSync(PROJECT, dest, { recursive: true });
      await install(m, reg, dest, path.join(tmp, m, 'home'), false);
      const { dir, file } = lockfileOf(m);
      fs.mkdirSync(dir, { recursive: true });
      const text = fs.readFileSync(path.join(dest, file), 'utf8').replaceAll(reg.url, '{{REGISTRY}}/');
      fs.writeFileSync(path.join(dir, file), text);
      process.stdout.write(`${m}: ${path.join(dir, file)}\n`);
    }
  } finally {
    await reg.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await writeLockfiles();
