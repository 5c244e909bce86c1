// Package-level result cache: a re-scan reads one small file per package instead of parsing it.
// This is a security tool, so the cache must never turn a finding into a clean verdict:
// - the key covers the analyser version, where it ran (a worker's big stack or the main thread's),
//   the package's name and the bytes of every analysed file (a sha256 of each), so an edited file
//   misses, and a fresh `npm ci` (new inodes and times, same bytes) still hits;
// - results that hit a limit, crashed or could not be read are never stored, and a package with a
//   file over the current size limit is never looked up: so an entry is always the complete
//   analysis, the same under any size or time limit, and a run with a small limit can neither
//   store nor be served a downgraded verdict (the limits themselves need not be in the key);
// - the folder is created 0700 and refused (caching off, with a message) when it belongs to
//   someone else or others can write to it;
// - every entry carries an HMAC-SHA256 under a per-cache secret key (`key`, 0600, made on first
//   use), so an entry written by anyone without that key is rejected, however well-formed;
// - anything unreadable, foreign or malformed is a miss and gets rebuilt, never an error;
// - writes go to a temp file in the same folder and are renamed into place;
// - prune() runs after a scan that wrote: entries unused for 30 days, orphaned temp files, and the
//   oldest entries beyond a size cap (1 GB by default) go.
// Entries hold FileResults only: env variable names as written in the scanned code, never a value
// from this process's environment.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ANALYZER_VERSION } from '../analyze/index.js';
import { RULE_IDS, type FileJob, type FileResult, type Finding } from '../model.js';
import { homeDir } from './home.js';

const FORMAT = 'env-audit-cache/2';
const KEY_RE = /^[0-9a-f]{64}$/;
const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const SECRET_FILE = 'key';
const SECRET_BYTES = 32;
/** Default size cap of the cache folder. */
const DEFAULT_MAX_CACHE_BYTES = 1024 * 1024 * 1024;

interface CacheStats {
  hits: number;
  misses: number;
  /** entries found but rejected (corrupt, forged, wrong version or key, bad shape). */
  rejected: number;
  writes: number;
}

/** What besides the files decides whether an entry may be used. */
interface CacheOptions {
  /** files over it are not analysed, so their package is never looked up. */
  maxFileBytes: number;
  /** analysis on the main thread: its small stack makes deep files "too deep", unlike a worker's. */
  inline: boolean;
}

export interface Cache {
  /** the cache directory, or null when caching is off. */
  readonly dir: string | null;
  readonly enabled: boolean;
  /** at most one: why the cache is off. */
  readonly warnings: string[];
  readonly stats: CacheStats;
  /** The key of a package's results, hashing every file; null when a file cannot be read. */
  keyFor(pkg: { name: string; version: string }, jobs: readonly FileJob[], options: CacheOptions): string | null;
  get(key: string): FileResult[] | null;
  /** Store results, unless any file hit a limit, crashed or could not be read. */
  set(key: string, results: FileResult[]): void;
  /** Delete unused entries, orphaned temp files, and the oldest beyond maxBytes. Returns the count. */
  prune(opts?: { maxAgeDays?: number; maxBytes?: number }): number;
}

/** $XDG_CACHE_HOME/env-audit, else ~/.cache/env-audit (%LOCALAPPDATA%\env-audit on Windows); null without a home. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, home: string | null = homeDir()): string | null {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'env-audit'); // the XDG spec ignores relative paths
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'env-audit');
  return home === null ? null : path.join(home, '.cache', 'env-audit');
}

/**
 * sha256 over the format, analyser version, inline or not, package name and version, and each file's
 * path, parse goal and sha256 of its bytes (sorted by path). JSON keeps the fields unambiguous.
 */
export function packageCacheKey(args: { name: string; version: string; inline: boolean; files: { file: string; sourceType: string; sha256: string }[] }): string {
  const files = [...args.files]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    .map((f) => [f.file, f.sourceType, f.sha256]);
  const material = JSON.stringify([FORMAT, ANALYZER_VERSION, args.inline, args.name, args.version, files]);
  return crypto.createHash('sha256').update(material).digest('hex');
}

/** sha256 of a file's bytes, or null when it cannot be read as a regular file within maxBytes. */
export function hashFile(absPath: string, maxBytes: number): string | null {
  try {
    const st = fs.statSync(absPath);
    if (!st.isFile() || st.size > maxBytes) return null; // not cacheable: analysis reports it
    return crypto.createHash('sha256').update(fs.readFileSync(absPath)).digest('hex');
  } catch {
    return null;
  }
}

/** Why dir may not be used as a cache (someone else's, or writable by others), or null. */
function untrusted(dir: string): string | null {
  if (typeof process.getuid !== 'function') return null; // Windows: ACLs, not modes
  const st = fs.statSync(dir);
  if (!st.isDirectory()) return 'not a directory';
  if (st.uid !== process.getuid()) return `owned by uid ${st.uid}, not by you`;
  if (st.mode & 0o022) return `writable by others (mode ${(st.mode & 0o777).toString(8)})`;
  return null;
}

/**
 * The per-cache HMAC key: made once (0600, exclusive create), refused when foreign or readable by
 * others. A key of the wrong size (truncated, garbled) is replaced: every entry then fails its MAC
 * and is rebuilt.
 */
function loadSecret(dir: string): Buffer {
  const file = path.join(dir, SECRET_FILE);
  const key = readSecret(file);
  if (key.length === SECRET_BYTES) return key;
  fs.unlinkSync(file);
  const fresh = readSecret(file);
  if (fresh.length !== SECRET_BYTES) throw new Error(`${file} is not a key`);
  return fresh;
}

function readSecret(file: string): Buffer {
  try {
    fs.writeFileSync(file, crypto.randomBytes(SECRET_BYTES), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  try {
    const st = fs.fstatSync(fd);
    if (typeof process.getuid === 'function' && (st.uid !== process.getuid() || st.mode & 0o077)) {
      throw new Error(`${file} is not private to you`);
    }
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Open the cache in dir; null turns caching off. Never throws. */
export function openCache(dir: string | null, offReason?: string): Cache {
  const warnings: string[] = [];
  const stats: CacheStats = { hits: 0, misses: 0, rejected: 0, writes: 0 };
  let enabled = dir !== null;
  let secret: Buffer = Buffer.alloc(0);

  function disable(why: string): void {
    if (!enabled) return;
    enabled = false;
    warnings.push(`result cache off: ${why}; scanning without it`);
  }
  if (dir === null && offReason) warnings.push(`result cache off: ${offReason}`);

  if (dir !== null) {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const bad = untrusted(dir);
      if (bad) disable(`${dir} is ${bad}`);
      else secret = loadSecret(dir);
    } catch (err) {
      disable(`cannot use ${dir} (${errText(err)})`);
    }
  }

  const entryPath = (key: string) => path.join(dir!, key.slice(0, 2), `${key}.json`);
  const madeShards = new Set<string>(); // one mkdir per shard per run, not per write

  function keyFor(pkg: { name: string; version: string }, jobs: readonly FileJob[], options: CacheOptions): string | null {
    const files: { file: string; sourceType: string; sha256: string }[] = [];
    for (const j of jobs) {
      const sha256 = hashFile(j.absPath, options.maxFileBytes);
      if (sha256 === null) return null;
      files.push({ file: j.file, sourceType: j.sourceType, sha256 });
    }
    return packageCacheKey({ name: pkg.name, version: pkg.version, inline: options.inline, files });
  }

  function get(key: string): FileResult[] | null {
    if (!enabled || !KEY_RE.test(key)) return null;
    let raw: Buffer;
    const file = entryPath(key);
    try {
      raw = fs.readFileSync(file);
    } catch {
      stats.misses++;
      return null;
    }
    const results = decodeEntry(raw, key, secret);
    if (!results) {
      stats.rejected++;
      stats.misses++;
      return null;
    }
    stats.hits++;
    touch(file);
    return results;
  }

  function set(key: string, results: FileResult[]): void {
    if (!enabled || !KEY_RE.test(key)) return;
    if (results.some((r) => r.unanalysed)) return; // a limit or a crash is not a verdict to keep
    const file = entryPath(key);
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
    try {
      const shard = path.dirname(file);
      if (!madeShards.has(shard)) {
        fs.mkdirSync(shard, { recursive: true, mode: 0o700 });
        madeShards.add(shard);
      }
      fs.writeFileSync(tmp, encodeEntry(key, results, secret), { mode: 0o600, flag: 'wx' });
      fs.renameSync(tmp, file);
      stats.writes++;
    } catch (err) {
      try {
        fs.unlinkSync(tmp);
      } catch {
        // never created
      }
      disable(`cannot write to ${dir} (${errText(err)})`);
    }
  }

  function prune(opts: { maxAgeDays?: number; maxBytes?: number } = {}): number {
    if (!enabled) return 0;
    return pruneDir(dir!, Date.now() - (opts.maxAgeDays ?? 30) * DAY_MS, opts.maxBytes ?? DEFAULT_MAX_CACHE_BYTES);
  }

  return {
    dir,
    get enabled() {
      return enabled;
    },
    warnings,
    stats,
    keyFor,
    get,
    set,
    prune,
  };
}

/**
 * Remove what is not a live entry: entries older than cutoff, temp files over an hour old,
 * unknown names (lockfile trees of older versions), then the least recently used entries until the
 * folder is under maxBytes.
 */
function pruneDir(dir: string, cutoff: number, maxBytes: number): number {
  let removed = 0;
  const remove = (p: string): void => {
    try {
      fs.rmSync(p, { recursive: true, force: true });
      removed++;
    } catch {
      // raced with another process, or not ours: leave it
    }
  };
  const live: { p: string; size: number; mtimeMs: number }[] = [];
  for (const name of safeReaddir(dir)) {
    if (name === SECRET_FILE) continue;
    const p = path.join(dir, name);
    if (!/^[0-9a-f]{2}$/.test(name)) {
      if (name === 'lockfile-trees') remove(p); // unpacked trees of older versions: never reused now
      continue;
    }
    for (const entry of safeReaddir(p)) {
      const ep = path.join(p, entry);
      let st: fs.Stats;
      try {
        st = fs.lstatSync(ep);
      } catch {
        continue;
      }
      const isEntry = st.isFile() && /^[0-9a-f]{64}\.json$/.test(entry);
      if (entry.endsWith('.tmp') ? st.mtimeMs < Date.now() - HOUR_MS : !isEntry || st.mtimeMs < cutoff) remove(ep);
      else if (isEntry) live.push({ p: ep, size: st.size, mtimeMs: st.mtimeMs });
    }
  }
  let total = live.reduce((n, e) => n + e.size, 0);
  if (total > maxBytes) {
    live.sort((a, b) => a.mtimeMs - b.mtimeMs);
    for (const e of live) {
      if (total <= maxBytes * 0.9) break; // some headroom, so the next scan does not prune again
      remove(e.p);
      total -= e.size;
    }
  }
  return removed;
}

// ---- entry format --------------------------------------------------------------------------
// One line of JSON header, a newline, then the payload (JSON of FileResult[]). The MAC covers the
// header's other fields and the payload.

interface Header {
  format: string;
  analyzer: string;
  key: string;
  length: number;
  mac: string;
}

function macOf(secret: Buffer, fields: Omit<Header, 'mac'>, payload: Buffer): string {
  return crypto.createHmac('sha256', secret).update(JSON.stringify(fields)).update('\n').update(payload).digest('hex');
}

export function encodeEntry(key: string, results: FileResult[], secret: Buffer): Buffer {
  const payload = Buffer.from(JSON.stringify(results), 'utf8');
  const fields = { format: FORMAT, analyzer: ANALYZER_VERSION, key, length: payload.length };
  const header: Header = { ...fields, mac: macOf(secret, fields, payload) };
  return Buffer.concat([Buffer.from(JSON.stringify(header) + '\n', 'utf8'), payload]);
}

/** The entry's results, or null if anything about it is off (including a MAC under another key). */
export function decodeEntry(raw: Buffer, key: string, secret: Buffer): FileResult[] | null {
  try {
    const nl = raw.indexOf(0x0a);
    if (nl < 0 || nl > 4096) return null;
    const header = JSON.parse(raw.subarray(0, nl).toString('utf8')) as Partial<Header> | null;
    if (!header || typeof header !== 'object') return null;
    if (header.format !== FORMAT || header.analyzer !== ANALYZER_VERSION || header.key !== key) return null;
    const payload = raw.subarray(nl + 1);
    if (header.length !== payload.length || typeof header.mac !== 'string') return null;
    const expected = Buffer.from(macOf(secret, { format: FORMAT, analyzer: ANALYZER_VERSION, key, length: payload.length }, payload), 'hex');
    const given = Buffer.from(header.mac, 'hex');
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
    const data: unknown = JSON.parse(payload.toString('utf8'));
    return isFileResults(data) ? data : null;
  } catch {
    return null;
  }
}

// ---- shape checks ----------------------------------------------------------------------------

const ruleIds: ReadonlySet<string> = new Set(RULE_IDS);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optional = (v: unknown, check: (v: unknown) => boolean) => v === undefined || check(v);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';

function isEnd(v: unknown): boolean {
  return isObj(v) && isStr(v.detail) && isNum(v.line) && isNum(v.column);
}

function isFinding(v: unknown): v is Finding {
  return (
    isObj(v) &&
    isStr(v.rule) && ruleIds.has(v.rule) &&
    isStr(v.file) && isNum(v.line) && isNum(v.column) && isStr(v.detail) && isStr(v.snippet) &&
    optional(v.message, isStr) &&
    optional(v.reachable, isBool) &&
    optional(v.installTime, isBool) &&
    optional(v.expected, isBool) &&
    optional(v.expectedReason, isStr) &&
    optional(v.flow, (f) => isObj(f) && isEnd(f.source) && isEnd(f.sink))
  );
}

function isFileResult(v: unknown): v is FileResult {
  return (
    isObj(v) &&
    isStr(v.file) &&
    Array.isArray(v.findings) && v.findings.every(isFinding) &&
    Array.isArray(v.imports) && v.imports.every(isStr) &&
    isBool(v.parseError) &&
    isNum(v.bytes) && v.bytes >= 0
  );
}

function isFileResults(v: unknown): v is FileResult[] {
  return Array.isArray(v) && v.every(isFileResult);
}

// ---- helpers ---------------------------------------------------------------------------------

/** Mark an entry as used (for prune), at most once a day so a warm re-scan stays read-only. */
function touch(file: string): void {
  try {
    const st = fs.statSync(file);
    if (Date.now() - st.mtimeMs > DAY_MS) {
      const now = new Date();
      fs.utimesSync(file, now, now);
    }
  } catch {
    // best effort
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function errText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
}
