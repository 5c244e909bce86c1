// Shared test helpers: where the repository and its fixtures are, and how to run the real CLI.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Finding, FindingData, PackageUnit } from '../src/model.js';
import { RULES } from '../src/rules/index.js';

/** The repository root (tests are compiled to dist/test/, two levels below). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixturesDir = path.join(repoRoot, 'fixtures');
export const cliPath = path.join(repoRoot, 'bin', 'env-audit.js');

/** Parsed JSON, typed as what the test reads (the schema tests check the real shapes). */
export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

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
    env: env,
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

/**
 * A hand-written finding given the messageId and data a detector would have given it, read from
 * its detail the way the old scorer did (tests only: the scorer itself reads only messageId/data).
 */
export function structured(f: Finding): Finding {
  if (f.messageId !== undefined) return f;
  const d = f.detail;
  const as = (messageId: string, data: FindingData): Finding => ({ ...f, messageId, data });
  switch (f.rule) {
    case 'env-read':
      return as('read', { name: d });
    case 'env-write':
      return d === '[dynamic]' ? as('dynamic', { how: 'assignment' }) : as('write', { name: d, how: 'assignment' });
    case 'env-read-dynamic':
      return as('dynamic', { key: /^process\.env\[(.*)\]$/s.exec(d)?.[1] ?? d });
    case 'credential-file':
      return as('read', { path: d, what: 'credentials', how: 'fs.readFileSync' });
    case 'obfuscation': {
      const m = /^decode-then-execute: (.*) → (.*)$/.exec(d);
      return m ? as('decodeExecute', { decoding: m[1], executor: m[2] }) : as('stringArray', { what: d });
    }
    case 'parse-error': {
      const m = /^skipped: (.*)$/i.exec(d);
      return m ? as('skipped', { reason: m[1] }) : as('syntax', { message: d });
    }
    case 'exfiltration': {
      const parts = d.replace(/\s*\(line \d+\)/g, '').split(/\s*(?:→|->|=>)\s*/);
      const source = (f.flow?.source.detail ?? parts[0]).trim();
      const sink = f.flow?.sink.detail ?? (parts.length > 1 ? parts[parts.length - 1] : '');
      const name = /^(?:process\.env\.)?([A-Za-z_][\w]*)$/.exec(source);
      const sourceKind = source === 'process.env' ? 'whole' : /^[~/.%]/.test(source) ? 'file' : name ? 'name' : 'dynamic';
      return as('flow', { source, sourceKind, ...(sourceKind === 'name' && name ? { name: name[1] } : {}), sink, sourceLine: f.line, sinkLine: f.line });
    }
    default:
      return as(Object.keys(RULES[f.rule].messages)[0], {});
  }
}
