// The scan pipeline, stage by stage, in plain data:
// tree (arborist) → files (selection, entry points) → findings (cache or worker pool)
// → package facts (linking, reachability, install scripts) → scored packages → Report.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { FileJob, FileResult, Finding, PackageReport, PackageUnit, Report } from '../model.js';
import { LEVELS } from '../model.js';
import { loadTree, type LoadedTree, type OmitType } from '../tree/load-tree.js';
import { selectFiles } from '../files/select-files.js';
import { entryPoints } from '../files/entry-points.js';
import { isUnreachable, reachableFiles, resolveImport } from '../files/reachability.js';
import { importersOfEnvReaders, linkEnvReaders, linkSummaries } from '../analyze/package/link-package.js';
import { installScriptFindings, startedFileFindings } from '../analyze/package/install-script.js';
import { identityFindings } from '../analyze/package/identity.js';
import { dataPayloadFindings } from '../analyze/package/data-payloads.js';
import { hostFile } from '../analyze/embedded/virtual-file.js';
import { scorePackage, compareReports } from '../risk/score.js';
import { createPool, runAll } from './pool.js';
import { openCache, defaultCacheDir } from './cache.js';
import { pushAll } from './arrays.js';
import { message } from '../rules/index.js';

const requireJson = createRequire(import.meta.url);
export const TOOL_VERSION: string = (requireJson('../../../package.json') as { version: string }).version;

export interface ScanOptions {
  root: string;
  omit?: OmitType[];
  includeRoot?: boolean;
  /** null disables the cache; undefined = default directory. */
  cacheDir?: string | null;
  /** worker threads (0 = inline). */
  workers?: number;
  maxFileBytes?: number;
  fileTimeoutMs?: number;
  /** progress: files and bytes done of the totals. */
  onProgress?: (p: { packages: number; files: number; bytes: number; totalFiles: number; totalBytes: number; totalPackages: number }) => void;
}

export interface ScanResult {
  report: Report;
  warnings: string[];
  cache: { hits: number; misses: number };
  /** wall time of each stage, ms (see StageTimings). */
  timings: StageTimings;
}

/** Where a scan's time goes, stage by stage (ms). Set ENV_AUDIT_TIMINGS=1 to print it to stderr. */
interface StageTimings {
  /** arborist loadActual and PackageUnit building. */
  tree: number;
  /** file selection (readdir + stat of every JS file). */
  select: number;
  /** cache keys (a stat per file) and cache reads. */
  cacheRead: number;
  /** worker pool: reading, prefilter, parse and detectors of every file not cached. */
  analyse: number;
  cacheWrite: number;
  /** package-level linking, entry points, reachability, scoring. */
  packages: number;
  total: number;
  files: number;
  analysedFiles: number;
  /** analysed files the prefilter let skip the parse. */
  prefiltered: number;
  cacheHits: number;
  cacheMisses: number;
  workers: number;
}

/** Below this much code in total (and under 64 files), one worker does the job faster than two. */
const SMALL_WORK_BYTES = 1024 * 1024;

/** Defaults of the per-file limits (a result that hits one is never cached). */
const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;
const DEFAULT_FILE_TIMEOUT_MS = 30_000;

interface PackageWork {
  unit: PackageUnit;
  jobs: FileJob[];
  key: string | null;
  results: FileResult[] | null;
  /** files and folders selection could not read. */
  unreadable: string[];
}

export async function runScan(opts: ScanOptions): Promise<ScanResult> {
  const started = Date.now();
  let mark = performance.now();
  const lap = (): number => {
    const now = performance.now();
    const ms = now - mark;
    mark = now;
    return Math.round(ms);
  };
  const tree = await loadTree(opts.root, { omit: opts.omit, includeRoot: opts.includeRoot });
  try {
    return await scanTree(tree, opts, started, lap);
  } finally {
    tree.cleanup?.(); // Plug'n'Play archives were unpacked into a temp folder for the scan
  }
}

async function scanTree(tree: LoadedTree, opts: ScanOptions, started: number, lap: () => number): Promise<ScanResult> {
  const tTree = lap();
  const warnings = [...tree.warnings];
  const limits = { maxFileBytes: opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, fileTimeoutMs: opts.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS };
  const defaultDir = opts.cacheDir === undefined ? defaultCacheDir() : null;
  const cache = openCache(opts.cacheDir === undefined ? defaultDir : opts.cacheDir, opts.cacheDir === undefined && defaultDir === null ? 'no home folder to keep it in (set XDG_CACHE_HOME or --cache-dir)' : undefined);

  const work: PackageWork[] = tree.packages.map((unit) => {
    const sel = selectFiles(unit);
    pushAll(warnings, sel.warnings);
    return { unit, jobs: sel.jobs, key: null, results: null, unreadable: sel.unreadable };
  });

  const totalFiles = work.reduce((n, w) => n + w.jobs.length, 0);
  const totalBytes = work.reduce((n, w) => n + w.jobs.reduce((m, j) => m + j.size, 0), 0);
  const tSelect = lap();

  // Cached packages cost a hash of their files; the rest go to the pool in one list.
  const pending: FileJob[] = [];
  let doneFiles = 0;
  let doneBytes = 0;
  for (const w of work) {
    if (cache.enabled) {
      w.key = cache.keyFor(w.unit, w.jobs, { maxFileBytes: limits.maxFileBytes, inline: opts.workers === 0 });
      if (w.key) w.results = cache.get(w.key);
    }
    if (w.results) {
      doneFiles += w.jobs.length;
      doneBytes += w.jobs.reduce((m, j) => m + j.size, 0);
    } else pushAll(pending, w.jobs);
  }

  const report = (extraFiles: number, extraBytes: number): void =>
    opts.onProgress?.({
      packages: work.length, files: doneFiles + extraFiles, bytes: doneBytes + extraBytes,
      totalFiles, totalBytes, totalPackages: work.length,
    });
  report(0, 0);
  const tCacheRead = lap();

  let results: FileResult[] = [];
  let workers = 0;
  if (pending.length) {
    const pool = createPool({
      // Small work gets one worker, not the main thread: only a worker has the per-file time limit,
      // the heap limit and the big stack, and a file crafted to stall the analyser is just as likely
      // in a 3-package project. The worker costs ~0.1 s. Inline (--jobs 0) stays for those who ask.
      size: opts.workers ?? (pending.length < 64 && pending.reduce((n, j) => n + j.size, 0) < SMALL_WORK_BYTES ? 1 : undefined),
      fileTimeoutMs: limits.fileTimeoutMs,
      maxBytes: limits.maxFileBytes,
    });
    workers = pool.size;
    try {
      results = await runAll(pool, pending, (f, b) => report(f, b));
      const again = secondRound(work, results);
      if (again.length) {
        const redo = await runAll(pool, again.map((i) => ({ ...pending[i], fullParse: true })), () => {});
        again.forEach((i, k) => (results[i] = redo[k]));
      }
    } finally {
      await pool.close();
    }
    pushAll(warnings, pool.warnings);
  }
  const tAnalyse = lap();
  // hand results back to their packages, in the order their jobs were queued
  let cursor = 0;
  for (const w of work) {
    if (w.results) continue;
    w.results = results.slice(cursor, cursor + w.jobs.length);
    cursor += w.jobs.length;
    if (w.key) cache.set(w.key, w.results);
  }
  if (cache.stats.writes > 0) cache.prune();
  pushAll(warnings, cache.warnings);
  const tCacheWrite = lap();

  const packages: PackageReport[] = work.map((w) => packageReport(w.unit, w.jobs, w.results ?? [], w.unreadable));
  packages.sort(compareReports);

  const byLevel = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Report['summary']['byLevel'];
  for (const p of packages) byLevel[p.level]++;
  const allResults = work.flatMap((w) => w.results ?? []);
  const incomplete = packages.filter((p) => p.incomplete?.length).length;
  const rootRel = path.relative(process.cwd(), tree.root.path) || '.';
  const timings: StageTimings = {
    tree: tTree, select: tSelect, cacheRead: tCacheRead, analyse: tAnalyse, cacheWrite: tCacheWrite, packages: lap(),
    total: Date.now() - started,
    files: totalFiles,
    analysedFiles: pending.length,
    prefiltered: results.filter((r) => r.prefiltered).length,
    cacheHits: cache.stats.hits,
    cacheMisses: cache.stats.misses,
    workers,
  };
  if (process.env.ENV_AUDIT_TIMINGS === '1') process.stderr.write(`env-audit timings: ${JSON.stringify(timings)}\n`);
  return {
    report: {
      schemaVersion: 1,
      tool: { name: 'env-audit', version: TOOL_VERSION },
      generatedAt: new Date().toISOString(),
      root: { name: tree.root.name, version: tree.root.version, path: rootRel.split(path.sep).join('/') },
      summary: {
        packages: packages.length,
        files: totalFiles,
        bytes: totalBytes,
        parseErrors: allResults.filter((r) => r.parseError).length,
        byLevel,
        durationMs: Date.now() - started,
        ...(incomplete ? { incomplete } : {}),
        ...(tree.lost?.length ? { lost: tree.lost } : {}),
      },
      packages,
      ...(tree.notInstalled.length ? { notInstalled: tree.notInstalled } : {}),
      ...(warnings.length ? { warnings } : {}),
    },
    warnings,
    cache: { hits: cache.stats.hits, misses: cache.stats.misses },
    timings,
  };
}

/** Indexes into `results` (the uncached packages' jobs, in work order) that need a full parse. */
function secondRound(work: { jobs: FileJob[]; results?: FileResult[] | null }[], results: FileResult[]): number[] {
  const out: number[] = [];
  let cursor = 0;
  for (const w of work) {
    if (w.results) continue;
    const mine = results.slice(cursor, cursor + w.jobs.length);
    const files = new Set(w.jobs.map((j) => j.file));
    for (const i of importersOfEnvReaders(mine, (from, spec) => resolveImport(from, spec, files))) out.push(cursor + i);
    cursor += w.jobs.length;
  }
  return out;
}

/** Package-level facts on top of the per-file findings, then the score. */
function packageReport(unit: PackageUnit, jobs: FileJob[], results: FileResult[], unreadable: string[] = []): PackageReport {
  const files = new Set(jobs.map((j) => j.file));
  const resolve = (from: string, spec: string): string | null => resolveImport(from, spec, files);
  const findings: Finding[] = results.flatMap((r) => r.findings);
  pushAll(findings, linkEnvReaders(results, resolve));
  pushAll(findings, linkSummaries(results, resolve));

  const ep = entryPoints(unit, [...files]);
  let pkgText: string | null = null;
  let manifestError = unit.manifestError;
  try {
    pkgText = fs.readFileSync(path.join(unit.path, 'package.json'), 'utf8');
  } catch (err) {
    // absent is a fact (nothing for npm to run); unreadable is not
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') manifestError ??= code ?? 'unreadable';
  }
  const missed = notAnalysed(results, unreadable, manifestError);
  for (const m of missed.findings) findings.push(m);
  // npm runs `prepare` only for git dependencies and local (linked) installs, never for a
  // registry tarball — and nearly every published package has one (tshy, tsc, …)
  const fromSource = unit.isLink || unit.isWorkspace || unit.isRoot || /^(git\+|git:|github:|ssh:|file:)/.test(unit.resolved ?? '');
  // pnpm and Yarn settings can stop a dependency's install scripts (unit.installScripts, a warning says why)
  const scripts = ep.installScripts.filter((s) => (s.event !== 'prepare' || fromSource) && unit.installScripts?.run !== false);
  const install = installScriptFindings(unit, scripts, pkgText, files);
  const why = unit.installScripts?.why;
  for (const f of why ? install.findings : []) if (f.rule === 'install-script') f.message = f.message ? `${f.message} (${why})` : why;
  pushAll(findings, install.findings);
  pushAll(findings, identityFindings(unit));
  // payloads read from data files and run (eval of fs.readFileSync(…)): analysed as hidden embedded code
  pushAll(findings, dataPayloadFindings(unit, findings, files));

  // Reachability: files an entry point or install script reaches through static imports.
  const importsByFile = new Map(results.map((r) => [r.file, r.imports]));
  const reachable = reachableFiles([...ep.entries, ...ep.installTime], importsByFile, files);
  const installTime = reachableFiles([...scripts.flatMap((s) => s.files), ...install.roots], importsByFile, files);
  // what counts as unreachable (test/example code, files an exports map hides) is reachability's
  const hasExportsMap = unit.pkg.exports !== undefined && unit.pkg.exports !== null;
  for (const f of findings) {
    // package.json, the script files install scripts run and the code they embed are install-time already
    if (f.file === 'package.json' || f.installTime === true) continue;
    // code embedded in a file (`lib/index.js#embedded@9`) runs where its host file runs
    const host = hostFile(f.file);
    if (installTime.has(host)) f.installTime = true;
    if (isUnreachable(host, reachable, hasExportsMap)) f.reachable = false;
  }
  // what install-time code starts (`exec('bash preinstall.sh')`) is install-time code too
  const started = startedFileFindings(unit, findings, files);
  if (started.findings.length || started.roots.length) {
    const more = reachableFiles(started.roots, importsByFile, files);
    for (const f of findings) if (more.has(hostFile(f.file))) f.installTime = true;
    findings.push(...started.findings);
  }
  const report = scorePackage(unit, findings);
  if (missed.items.length) report.incomplete = missed.items;
  report.files = jobs.length;
  report.bytes = jobs.reduce((n, j) => n + j.size, 0);
  return report;
}

/** At most this many "not analysed" items per package are listed; the rest are counted. */
const MAX_INCOMPLETE_ITEMS = 20;

const UNANALYSED_TEXT = { size: 'over the size limit', timeout: 'analysis timed out', crash: 'analysis crashed', unreadable: 'could not be read' } as const;

/**
 * What of a package was not analysed although node could run it, and a parse-error finding for
 * each part that has none yet (an unreadable package.json or folder): such a package is never
 * scored clean.
 */
function notAnalysed(results: FileResult[], unreadable: string[], manifestError: string | undefined): { items: string[]; findings: Finding[] } {
  const items: string[] = [];
  const findings: Finding[] = [];
  const unreadableFinding = (file: string, why: string): Finding => ({
    ...message('parse-error', 'skipped', { reason: `unreadable: ${why}`, unanalysed: 'unreadable' }), file, line: 1, column: 0, snippet: '',
    message: `env-audit could not read ${file} (${why}); what it holds is unknown.`,
  });
  if (manifestError) {
    items.push(`package.json: could not be read (${manifestError}); install scripts and entry points unknown`);
    findings.push(unreadableFinding('package.json', manifestError));
  }
  for (const u of unreadable) {
    items.push(`${u}: could not be read`);
    const m = /^(.*) \(([^)]*)\)$/.exec(u);
    findings.push(unreadableFinding(m?.[1] ?? u, m?.[2] ?? 'unreadable'));
  }
  for (const r of results) if (r.unanalysed) items.push(`${r.file}: ${UNANALYSED_TEXT[r.unanalysed]}`);
  if (items.length > MAX_INCOMPLETE_ITEMS) {
    const more = items.length - MAX_INCOMPLETE_ITEMS;
    items.length = MAX_INCOMPLETE_ITEMS;
    items.push(`… and ${more} more`);
  }
  return { items, findings };
}
