// Argument parsing shared by every command: node's parseArgs plus the few conventions it lacks
// (an optional value for --json, repeatable --omit, levels checked against the contract).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LEVELS, type Level } from '../model.js';

export class UsageError extends Error {}

export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  'json-file': { type: 'string' },
  sarif: { type: 'string' },
  markdown: { type: 'string' },
  'fail-on': { type: 'string' },
  omit: { type: 'string', multiple: true },
  'include-root': { type: 'boolean' },
  all: { type: 'boolean', short: 'a' },
  'no-cache': { type: 'boolean' },
  'cache-dir': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  jobs: { type: 'string', short: 'j' },
  'max-file-size': { type: 'string' },
  'file-timeout': { type: 'string' },
  config: { type: 'string' },
  baseline: { type: 'string' },
  lockfile: { type: 'boolean' },
  'allow-incomplete': { type: 'boolean' },
  'fetch-timeout': { type: 'string' },
  trace: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies ParseArgsConfig['options'];

/** `--json` takes an optional file: `--json=out.json`, or `--json out.json` when it ends in .json. */
function normalizeJsonFlag(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--json=')) {
      out.push('--json', '--json-file', a.slice('--json='.length));
    } else if (a === '--json' && i + 1 < argv.length && /\.json$/i.test(argv[i + 1]) && !argv[i + 1].startsWith('-')) {
      out.push('--json', '--json-file', argv[++i]);
    } else if (a === '--json-file' || a.startsWith('--json-file=')) {
      out.push('--json', a); // a file for the JSON report asks for the JSON report
    } else out.push(a);
  }
  return out;
}

export function parse<T extends ParseArgsConfig['options']>(argv: string[], options: T) {
  try {
    return parseArgs({ args: normalizeJsonFlag(argv), options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional.*$/s, ''));
  }
}

export function parseLevel(value: string | undefined, flag: string): Level | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (v === 'none') throw new UsageError(`${flag} none would fail every run: use critical, high, medium or low`);
  if (!(LEVELS as readonly string[]).includes(v)) throw new UsageError(`${flag} must be one of critical, high, medium, low (got "${value}")`);
  return v as Level;
}

export function parseOmit(values: string[] | undefined): ('dev' | 'optional' | 'peer')[] {
  const out: ('dev' | 'optional' | 'peer')[] = [];
  for (const v of values ?? []) {
    for (const part of v.split(',')) {
      if (part !== 'dev' && part !== 'optional' && part !== 'peer') throw new UsageError(`--omit takes dev, optional or peer (got "${part}")`);
      if (!out.includes(part)) out.push(part);
    }
  }
  return out;
}

export function parsePositiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} takes a positive number (got "${value}")`);
  return n;
}
