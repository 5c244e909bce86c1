// Argument parsing shared by every command: node's parseArgs plus the few conventions it lacks
// (an optional value for --json, repeatable --omit, levels checked against the contract, and a
// "did you mean" for a misspelt option). Unknown options are errors, never ignored.
import fs from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LEVELS, type Level } from '../model.js';
import { closest } from './suggest.js';

export class UsageError extends Error {}

export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
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

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * `--json` takes an optional file: `--json=out.json`, or `--json X` when X ends in .json, or is
 * not a folder but has a file extension (`--json report.txt`). An existing folder after `--json`
 * is the project; a bare word that is neither is an error rather than a guess, so an option's
 * value is never scanned as the project folder.
 */
export function extractJsonFile(argv: string[]): { argv: string[]; jsonFile?: string } {
  const out: string[] = [];
  let jsonFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (a.startsWith('--json=')) {
      out.push('--json');
      jsonFile = a.slice('--json='.length);
      continue;
    }
    const next = argv[i + 1];
    if (a === '--json' && next !== undefined && !next.startsWith('-') && !isDirectory(next)) {
      if (/\.json$/i.test(next) || /[^/\\]\.[A-Za-z0-9]{1,8}$/.test(next)) {
        out.push('--json');
        jsonFile = next;
        i++;
        continue;
      }
      if (!fs.existsSync(next)) throw new UsageError(`"${next}" after --json is neither a folder nor a file name: write the report with --json=FILE, or scan a folder that exists`);
    }
    out.push(a);
  }
  return { argv: out, jsonFile };
}

function unknownOption(message: string, options: Record<string, unknown>): string | undefined {
  const m = /^Unknown option '(-{1,2}[^']*)'/.exec(message);
  if (!m) return undefined;
  const flag = m[1].replace(/=.*$/, '');
  const guess = closest(flag.replace(/^-+/, ''), Object.keys(options));
  return `unknown option ${flag}${guess ? `; did you mean --${guess}?` : ''}`;
}

export function parse<T extends ParseArgsConfig['options'] & object>(argv: string[], options: T) {
  const { argv: args, jsonFile } = extractJsonFile(argv);
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: { ...parsed.values, 'json-file': jsonFile }, positionals: parsed.positionals };
  } catch (err) {
    const message = (err as Error).message;
    throw new UsageError(unknownOption(message, options) ?? message.replace(/\. To specify a positional.*$/s, ''));
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
