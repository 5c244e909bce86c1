// Shared test helpers: where the repository and its fixtures are, and how to run the real CLI.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { PackageUnit } from '../src/model.js';

/** The repository root (tests are compiled to dist/test/, two levels below). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesDir = path.join(repoRoot, 'fixtures');
export const cliPath = path.join(repoRoot, 'bin', 'env-audit.js');

export function fixture(...parts: string[]): string {
  return path.join(fixturesDir, ...parts);
}

/** Run the real CLI in a child process. NO_COLOR is set so output is plain unless a test overrides it. */
export function runCli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number; input?: string } = {},
): SpawnSyncReturns<string> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...opts.env };
  delete env.GITHUB_ACTIONS;
  if (opts.env && 'GITHUB_ACTIONS' in opts.env) env.GITHUB_ACTIONS = opts.env.GITHUB_ACTIONS;
  return spawnSync(process.execPath, [cliPath, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    input: opts.input,
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** A PackageUnit as the tree loader makes it: a plain registry dependency, overridable field by field. */
export function packageUnit(overrides: Partial<PackageUnit> = {}): PackageUnit {
  const name = overrides.name ?? 'pkg';
  return {
    name,
    version: '1.0.0',
    location: `node_modules/${name}`,
    path: `/nonexistent/node_modules/${name}`,
    dev: false,
    optional: false,
    peer: false,
    isRoot: false,
    isWorkspace: false,
    isLink: false,
    integrity: null,
    paths: [],
    pkg: {},
    warnings: [],
    ...overrides,
  };
}
