// Project policy: `.env-audit.json` at the project root, or an "env-audit" key in package.json,
// or the file given with --config. A typo in a CI gate must not pass silently, so unknown keys
// and wrong types are errors (exit 2) naming the file, the field and what is wrong.
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { CAPABILITIES, LEVELS, type Capability, type Level } from '../model.js';

type OmitType = 'dev' | 'optional' | 'peer';

export interface AllowEntry {
  package: string;
  /** a semver range; absent = every version. */
  version?: string;
  /** env names this entry accepts (a trailing `*` matches a prefix); absent = none by name. */
  env?: string[];
  /** capabilities this entry accepts; absent = none by capability. */
  capabilities?: Capability[];
  reason: string;
  /** last day (YYYY-MM-DD, UTC) the entry accepts anything. */
  expires?: string;
  /** where the entry sits, for messages: `allow[2]`. */
  field: string;
}

export interface PolicyConfig {
  /** the file the policy came from (null when there is none), as given or relative to cwd. */
  file: string | null;
  /** `"env-audit"` in package.json, or a whole file. */
  source: 'file' | 'package.json' | 'none';
  failOn?: Level;
  omit?: OmitType[];
  allow: AllowEntry[];
}

/** A config that cannot be used: exit 2 (main.ts maps errors named ConfigError). */
export class ConfigError extends Error {
  readonly file: string;
  readonly field: string;
  constructor(file: string, field: string, problem: string) {
    super(`${file}: ${field ? field + ': ' : ''}${problem}`);
    this.name = 'ConfigError';
    this.file = file;
    this.field = field;
  }
}

const CONFIG_FILE = '.env-audit.json';
const PACKAGE_KEY = 'env-audit';
const TOP_KEYS = ['$schema', 'failOn', 'omit', 'allow'] as const;
const ALLOW_KEYS = ['package', 'version', 'env', 'capabilities', 'reason', 'expires'] as const;
const OMIT_TYPES: readonly OmitType[] = ['dev', 'optional', 'peer'];
/** npm's rules, loosely: lowercase, URL-safe, optional @scope/. */
const PACKAGE_NAME = /^(?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*$/i;

function display(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function readJson(file: string, shown: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(shown, '', code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ConfigError(shown, '', `not valid JSON (${(err as Error).message})`);
  }
}

/**
 * Find and validate the policy for a project. `explicit` (--config) wins; then .env-audit.json in
 * `root`; then package.json's "env-audit" key. No policy at all is fine: an empty config.
 */
export function loadConfig(root: string, explicit?: string): PolicyConfig {
  if (explicit) {
    const abs = path.resolve(explicit);
    const shown = display(abs);
    const data = readJson(abs, shown);
    // --config may point at a package.json: then its "env-audit" key is the policy
    if (path.basename(abs) === 'package.json') {
      const obj = isObject(data) ? data[PACKAGE_KEY] : undefined;
      if (obj === undefined) throw new ConfigError(shown, `"${PACKAGE_KEY}"`, 'missing');
      return { ...validateConfig(obj, shown, `"${PACKAGE_KEY}"`), file: shown, source: 'package.json' };
    }
    return { ...validateConfig(data, shown, ''), file: shown, source: 'file' };
  }
  const own = path.join(root, CONFIG_FILE);
  if (fs.existsSync(own)) {
    const shown = display(own);
    return { ...validateConfig(readJson(own, shown), shown, ''), file: shown, source: 'file' };
  }
  const pkgFile = path.join(root, 'package.json');
  if (fs.existsSync(pkgFile)) {
    let data: unknown;
    try {
      data = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
    } catch {
      // a broken root package.json is the tree stage's problem to report, not the policy's
      return { file: null, source: 'none', allow: [] };
    }
    if (isObject(data) && data[PACKAGE_KEY] !== undefined) {
      const shown = display(pkgFile);
      return { ...validateConfig(data[PACKAGE_KEY], shown, `"${PACKAGE_KEY}"`), file: shown, source: 'package.json' };
    }
  }
  return { file: null, source: 'none', allow: [] };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v);
  if (typeof v === 'object') return 'an object';
  // parsed JSON leaves only numbers and booleans here
  const primitive = v as number | boolean;
  return `${typeof v} ${primitive}`;
}

function join(prefix: string, key: string): string {
  if (!prefix) return key;
  return key.startsWith('[') ? prefix + key : `${prefix}.${key}`;
}

/** The closest known key, for "did you mean": small edit distance or same letters ignoring case. */
function closest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase().replace(/[-_]/g, '');
  return known.find((k) => k.toLowerCase() === lower) ?? known.find((k) => editDistance(k.toLowerCase(), lower) <= 2);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function checkKeys(obj: Record<string, unknown>, known: readonly string[], file: string, prefix: string): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const guess = closest(key, known);
    throw new ConfigError(file, join(prefix, key), `unknown field${guess ? ` (did you mean "${guess}"?)` : ''}; known fields: ${known.filter((k) => k !== '$schema').join(', ')}`);
  }
}

/** YYYY-MM-DD that is a real calendar date. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

function stringList(v: unknown, file: string, field: string, check?: (s: string) => string | null): string[] {
  if (!Array.isArray(v)) throw new ConfigError(file, field, `must be an array of strings, got ${describe(v)}`);
  return v.map((item, i) => {
    if (typeof item !== 'string' || item.trim() === '') {
      throw new ConfigError(file, `${field}[${i}]`, `must be a non-empty string, got ${describe(item)}`);
    }
    const problem = check?.(item);
    if (problem) throw new ConfigError(file, `${field}[${i}]`, problem);
    return item;
  });
}

export function validateConfig(data: unknown, file: string, prefix: string): Omit<PolicyConfig, 'file' | 'source'> {
  if (!isObject(data)) throw new ConfigError(file, prefix, `must be an object, got ${describe(data)}`);
  checkKeys(data, TOP_KEYS, file, prefix);
  const out: Omit<PolicyConfig, 'file' | 'source'> = { allow: [] };

  if (data.failOn !== undefined) {
    const v = data.failOn;
    const field = join(prefix, 'failOn');
    if (typeof v !== 'string' || !(LEVELS as readonly string[]).includes(v.toLowerCase()) || v.toLowerCase() === 'none') {
      throw new ConfigError(file, field, `must be one of critical, high, medium, low, got ${describe(v)}`);
    }
    out.failOn = v.toLowerCase() as Level;
  }

  if (data.omit !== undefined) {
    const field = join(prefix, 'omit');
    // "dev" alone is a natural thing to write; accept it as ["dev"]
    const list = typeof data.omit === 'string' ? [data.omit] : data.omit;
    const values = stringList(list, file, field, (s) => ((OMIT_TYPES as readonly string[]).includes(s) ? null : `must be dev, optional or peer, got ${describe(s)}`));
    out.omit = [...new Set(values)] as OmitType[];
  }

  if (data.allow !== undefined) {
    const field = join(prefix, 'allow');
    if (!Array.isArray(data.allow)) throw new ConfigError(file, field, `must be an array of entries, got ${describe(data.allow)}`);
    out.allow = data.allow.map((entry, i) => validateAllowEntry(entry, file, `${field}[${i}]`));
  }
  return out;
}

function validateAllowEntry(v: unknown, file: string, field: string): AllowEntry {
  if (!isObject(v)) throw new ConfigError(file, field, `must be an object like { "package": "stripe", "reason": "…" }, got ${describe(v)}`);
  checkKeys(v, ALLOW_KEYS, file, field);

  const name = v.package;
  if (typeof name !== 'string' || name === '') throw new ConfigError(file, `${field}.package`, `is required: the package name, got ${describe(name)}`);
  if (!PACKAGE_NAME.test(name)) throw new ConfigError(file, `${field}.package`, `${describe(name)} is not a package name (a version goes in "version")`);

  // an allowlist entry without a reason is a silent exception; the reviewer of the next PR needs it
  const reason = v.reason;
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new ConfigError(file, `${field}.reason`, `is required: say why ${name} is accepted, got ${describe(reason)}`);
  }

  const entry: AllowEntry = { package: name, reason: reason.trim(), field };

  if (v.version !== undefined) {
    if (typeof v.version !== 'string' || semver.validRange(v.version) === null) {
      throw new ConfigError(file, `${field}.version`, `must be a semver range such as "^14" or "1.2.3", got ${describe(v.version)}`);
    }
    entry.version = v.version;
  }
  if (v.env !== undefined) {
    entry.env = stringList(v.env, file, `${field}.env`, (s) =>
      /^[^\s=*]+\*?$/.test(s) ? null : `${describe(s)} is not an env name (no spaces or "="; "*" only at the end)`,
    );
  }
  if (v.capabilities !== undefined) {
    entry.capabilities = stringList(v.capabilities, file, `${field}.capabilities`, (s) =>
      (CAPABILITIES as readonly string[]).includes(s) ? null : `unknown capability ${describe(s)}; known: ${CAPABILITIES.join(', ')}`,
    ) as Capability[];
  }
  if (v.expires !== undefined) {
    if (typeof v.expires !== 'string' || !isIsoDate(v.expires)) {
      throw new ConfigError(file, `${field}.expires`, `must be a date YYYY-MM-DD, got ${describe(v.expires)}`);
    }
    entry.expires = v.expires;
  }
  return entry;
}
