// Package-level result cache: a re-scan of an unchanged tree reads one small file per package
// instead of parsing it. This is a security tool, so the cache is never trusted blindly:
// - the key covers the analyser version, the package identity and every analysed file's size,
//   mtime, ctime and inode, so a file edited (or replaced) after install misses the cache — ctime
//   matters because npm extracts every file with the same fixed mtime, which anyone can restore;
// - an entry carries a header (format, analyser version, key, payload length and sha256); anything
//   that does not match, does not parse, or does not have the shape of FileResult[] is ignored and
//   recomputed, never an error;
// - writes go to a temp file in the same directory and are renamed into place, so readers never see
//   half an entry.
// Entries hold FileResults only: env variable names as written in the scanned code, never a value
// from this process's environment.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ANALYZER_VERSION } from '../analyze/index.js';
import { RULE_IDS, type FileJob, type FileResult, type Finding } from '../model.js';

const FORMAT = 'env-audit-cache/1';
const KEY_RE = /^[0-9a-f]{64}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface FileStat {
  file: string;
  size: number;
  mtimeMs: number;
  /** inode change time: cannot be set back by the file's owner, unlike mtime. */
  ctimeMs?: number;
  ino?: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** entries found but rejected (corrupt, wrong version or key, bad shape). */
  rejected: number;
  writes: number;
}

export interface Cache {
  /** the cache directory, or null when caching is off. */
  readonly dir: string | null;
  readonly enabled: boolean;
  /** at most one: why the cache was disabled. */
  readonly warnings: string[];
  readonly stats: CacheStats;
  get(key: string): FileResult[] | null;
  set(key: string, results: FileResult[]): void;
  /** Delete entries not used for maxAgeDays (default 30) and stale temp files. Returns the count. */
  prune(maxAgeDays?: number): number;
}

/** $XDG_CACHE_HOME/env-audit, else ~/.cache/env-audit (%LOCALAPPDATA%\env-audit on Windows). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'env-audit'); // the XDG spec ignores relative paths
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'env-audit');
  return path.join(env.HOME || os.homedir(), '.cache', 'env-audit');
}

/**
 * sha256 over the analyser version, package identity and the sorted file list with size, mtime
 * (and ctime/inode when given). JSON keeps the fields unambiguous whatever the names contain.
 */
export function packageCacheKey(args: {
  name: string;
  version: string;
  integrity: string | null;
  files: FileStat[];
}): string {
  const files = [...args.files]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    .map((f) => [f.file, f.size, f.mtimeMs, f.ctimeMs ?? null, f.ino ?? null]);
  const material = JSON.stringify([FORMAT, ANALYZER_VERSION, args.name, args.version, args.integrity, files]);
  return crypto.createHash('sha256').update(material).digest('hex');
}

/**
 * Size, mtime, ctime and inode of each job's file, for packageCacheKey. Never throws: a file that
 * cannot be stat'ed gets size -1 (so the key differs from any real state and analysis reports it).
 */
export function statFiles(jobs: readonly FileJob[]): FileStat[] {
  return jobs.map((j) => {
    try {
      const st = fs.statSync(j.absPath, { throwIfNoEntry: false });
      if (st) return { file: j.file, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
    } catch {
      // EACCES, ELOOP, ...: fall through to the "unknown" stat
    }
    return { file: j.file, size: -1, mtimeMs: -1, ctimeMs: -1, ino: -1 };
  });
}

/** Open the cache in dir; null turns caching off. Never throws. */
export function openCache(dir: string | null): Cache {
  const warnings: string[] = [];
  const stats: CacheStats = { hits: 0, misses: 0, rejected: 0, writes: 0 };
  let enabled = dir !== null;

  function disable(why: unknown): void {
    if (!enabled) return;
    enabled = false;
    warnings.push(`result cache disabled: cannot write to ${dir} (${errText(why)})`);
  }

  if (dir !== null) {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      // A probe write rather than access(W_OK): root passes access checks on read-only mounts.
      const probe = path.join(dir, `.probe-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
      fs.writeFileSync(probe, '');
      fs.unlinkSync(probe);
    } catch (err) {
      disable(err);
    }
  }

  const entryPath = (key: string) => path.join(dir!, key.slice(0, 2), `${key}.json`);
  const madeShards = new Set<string>(); // one mkdir per shard per run, not per write

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
    const results = decodeEntry(raw, key);
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
    const file = entryPath(key);
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
    try {
      const shard = path.dirname(file);
      if (!madeShards.has(shard)) {
        fs.mkdirSync(shard, { recursive: true, mode: 0o700 });
        madeShards.add(shard);
      }
      fs.writeFileSync(tmp, encodeEntry(key, results), { mode: 0o600 });
      fs.renameSync(tmp, file);
      stats.writes++;
    } catch (err) {
      try {
        fs.unlinkSync(tmp);
      } catch {
        // never created
      }
      disable(err);
    }
  }

  function prune(maxAgeDays = 30): number {
    if (!enabled) return 0;
    const cutoff = Date.now() - maxAgeDays * DAY_MS;
    const tmpCutoff = Date.now() - DAY_MS;
    let removed = 0;
    for (const shard of safeReaddir(dir!)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      const shardDir = path.join(dir!, shard);
      for (const name of safeReaddir(shardDir)) {
        const p = path.join(shardDir, name);
        try {
          const st = fs.statSync(p);
          const isTmp = name.endsWith('.tmp');
          if (st.mtimeMs < (isTmp ? tmpCutoff : cutoff)) {
            fs.unlinkSync(p);
            removed++;
          }
        } catch {
          // raced with another process: fine
        }
      }
    }
    return removed;
  }

  return {
    dir,
    get enabled() {
      return enabled;
    },
    warnings,
    stats,
    get,
    set,
    prune,
  };
}

// ---- entry format --------------------------------------------------------------------------
// One line of JSON header, a newline, then the payload (JSON of FileResult[]).

interface Header {
  format: string;
  analyzer: string;
  key: string;
  length: number;
  sha256: string;
}

export function encodeEntry(key: string, results: FileResult[]): Buffer {
  const payload = Buffer.from(JSON.stringify(results), 'utf8');
  const header: Header = {
    format: FORMAT,
    analyzer: ANALYZER_VERSION,
    key,
    length: payload.length,
    sha256: crypto.createHash('sha256').update(payload).digest('hex'),
  };
  return Buffer.concat([Buffer.from(JSON.stringify(header) + '\n', 'utf8'), payload]);
}

/** The entry's results, or null if anything about it is off. */
export function decodeEntry(raw: Buffer, key: string): FileResult[] | null {
  try {
    const nl = raw.indexOf(0x0a);
    if (nl < 0 || nl > 4096) return null;
    const header = JSON.parse(raw.subarray(0, nl).toString('utf8')) as Partial<Header> | null;
    if (!header || typeof header !== 'object') return null;
    if (header.format !== FORMAT || header.analyzer !== ANALYZER_VERSION || header.key !== key) return null;
    const payload = raw.subarray(nl + 1);
    if (header.length !== payload.length) return null;
    if (crypto.createHash('sha256').update(payload).digest('hex') !== header.sha256) return null;
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

export function isFileResults(v: unknown): v is FileResult[] {
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
