// `npm run bench`: env-audit against the floors of the same work, on two pinned real trees.
//
//   node dist/bench/run.js [--tree small|large|both] [--reps N] [--quick] [--mt] [--json FILE]
//
// For each tree (installed once into .bench/<tree>/, see trees.ts) and each repetition, every
// measurement runs in a fresh process, so its peak RSS is its own:
//   (a) read    read + decode every file env-audit selects          (floor.ts read)
//   (b) parse   acorn.parse of every one of them on one thread     (floor.ts parse)
//   (b2) parse on N worker threads, with --mt                      (floor.ts parse-mt)
//   (c) cold    node bin/env-audit.js scan <tree> --json <tmp> --cache-dir <fresh empty dir>
//   (d) warm    the same command again, on the cache (c) filled
// The measurements of one repetition run back to back (a, b, c, d), repetitions one after the
// other, after one untimed read of every file so that all of them see a warm page cache.
// Reported: medians (and min/max) of wall time, peak RSS, the ratios c/b and d/c, MB/s and time
// per MB on each tree, and the share of bytes the prefilter sends to the full parse (with --mt,
// the c/b a scan that parsed only those bytes, with an analysis costing nothing, would reach
// here: the bound no analysis work can beat). The whole result also goes to .bench/last.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadTree } from '../src/tree/load-tree.js';
import { selectFiles } from '../src/files/select-files.js';
import { createPrefilter } from '../src/analyze/prefilter.js';
import { DETECTORS } from '../src/analyze/detectors/index.js';
import { ensureTree, TREE_NAMES, type TreeName } from './trees.js';
import type { FileList, FloorResult } from './floor.js';

const HERE = path.dirname(fileURLToPath(import.meta.url)); // dist/bench
const REPO = path.resolve(HERE, '..', '..');
const BIN = path.join(REPO, 'bin', 'env-audit.js');
const FLOOR = path.join(HERE, 'floor.js');
const RSS_HOOK = pathToFileURL(path.join(HERE, 'rss-hook.js')).href;
const MIB = 1024 * 1024;
/** env-audit's default --max-file-size: larger files are skipped unread, so the floors skip them too. */
const MAX_FILE_BYTES = 20 * MIB;

/** Targets of the issue (2-core machine). */
const TARGETS = { coldOverParse: 0.7, warmOverCold: 0.1, peakRssMib: 768, scaling: 1.2 };

type MeasureName = 'read' | 'parse' | 'parseMt' | 'cold' | 'warm';

interface Run {
  ms: number;
  maxRssKb: number | null;
  /** user + system CPU time of the measured process, all threads. */
  cpuMs: number | null;
  /** 1-minute load average just before the run (the machine may be shared). */
  load: number;
  /** floors: in-process split; CLI: env-audit's own stage timings. */
  detail?: Record<string, number>;
}

interface Measure {
  runs: Run[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  medianRssMib: number | null;
  maxRssMib: number | null;
  medianCpuMs: number | null;
  medianLoad: number;
  /** median of each detail field over the runs. */
  detail?: Record<string, number>;
}

interface TreeResult {
  tree: TreeName;
  path: string;
  packages: number;
  files: number;
  bytes: number;
  mb: number;
  parseErrors: number;
  measures: Partial<Record<MeasureName, Measure>>;
  ratios: {
    coldOverParse: number;
    warmOverCold: number;
    coldOverParseMt?: number;
    coldOverRead: number;
    /** the same on CPU time: how much work, whatever the other load on the machine. */
    coldCpuOverParseCpu: number | null;
  };
  coldMbPerS: number;
  coldSecPerMb: number;
  /** the warm report has the same packages and findings as the cold one. */
  warmMatchesCold: boolean;
  /** files the cold scan abandoned (timeout, crash), from the last repetition's report. */
  abandoned: string[];
  /** share of the bytes the prefilter sends to the full parse (the rest is proven finding-free). */
  parsedByteShare: number;
}

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function summarize(runs: Run[]): Measure {
  const ms = runs.map((r) => r.ms);
  const rss = runs.map((r) => r.maxRssKb).filter((x): x is number => x !== null);
  const cpu = runs.map((r) => r.cpuMs).filter((x): x is number => x !== null);
  const m: Measure = {
    runs,
    medianMs: median(ms),
    minMs: Math.min(...ms),
    maxMs: Math.max(...ms),
    medianRssMib: rss.length ? median(rss) / 1024 : null,
    maxRssMib: rss.length ? Math.max(...rss) / 1024 : null,
    medianCpuMs: cpu.length ? median(cpu) : null,
    medianLoad: median(runs.map((r) => r.load)),
  };
  const keys = new Set(runs.flatMap((r) => Object.keys(r.detail ?? {})));
  if (keys.size) {
    m.detail = {};
    for (const k of keys) {
      const vals = runs.map((r) => r.detail?.[k]).filter((x): x is number => typeof x === 'number');
      if (vals.length) m.detail[k] = median(vals);
    }
  }
  return m;
}

// ---- the file list ------------------------------------------------------------------------------

/** Exactly the files runScan analyses (same loadTree and selectFiles calls), minus those it skips unread. */
async function listFiles(treeDir: string): Promise<FileList & { packages: number }> {
  const tree = await loadTree(treeDir, { omit: [], includeRoot: false });
  const files: string[] = [];
  const sizes: number[] = [];
  for (const unit of tree.packages) {
    for (const j of selectFiles(unit).jobs) {
      if (j.size > MAX_FILE_BYTES) continue;
      files.push(j.absPath);
      sizes.push(j.size);
    }
  }
  return { files, sizes, packages: tree.packages.length };
}

// ---- measurements -------------------------------------------------------------------------------

function runFloor(mode: 'read' | 'parse' | 'parse-mt', listFile: string, threads: number): Run {
  const args = [FLOOR, mode, listFile, ...(mode === 'parse-mt' ? [String(threads)] : [])];
  const load = os.loadavg()[0];
  const res = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * MIB, stdio: ['ignore', 'pipe', 'pipe'] });
  if (res.status !== 0) throw new Error(`floor ${mode} failed (${res.status ?? res.signal}): ${tail(res.stderr)}`);
  const r = JSON.parse(res.stdout.trim().split('\n').pop()!) as FloorResult;
  return {
    ms: r.ms,
    maxRssKb: r.maxRssKb,
    cpuMs: r.cpuMs,
    load,
    detail: { readMs: r.readMs, parseMs: r.parseMs, parseErrors: r.parseErrors, bytes: r.bytes },
  };
}

interface CliRun extends Run {
  report: {
    summary: { packages: number; files: number; bytes: number; parseErrors: number };
    packages: { name: string; version: string; findings: { rule: string; file: string; detail: string }[] }[];
  };
}

/** Files the scan gave up on (per-file timeout or crash): each costs time and loses its findings. */
function abandonedFiles(report: CliRun['report']): string[] {
  const out: string[] = [];
  for (const p of report.packages) {
    for (const f of p.findings) {
      if (f.rule === 'parse-error' && /timed out|crashed/.test(f.detail)) out.push(`${p.name}@${p.version}/${f.file}: ${f.detail}`);
    }
  }
  return out;
}

function runCli(treeDir: string, cacheDir: string, tmp: string, label: string): CliRun {
  const jsonOut = path.join(tmp, `report-${label}.json`);
  const rssFile = path.join(tmp, `rss-${label}.json`);
  fs.rmSync(rssFile, { force: true });
  const args = ['--import', RSS_HOOK, BIN, 'scan', treeDir, '--json', jsonOut, '--cache-dir', cacheDir];
  const load = os.loadavg()[0];
  const t0 = performance.now();
  const res = spawnSync(process.execPath, args, {
    cwd: REPO,
    encoding: 'utf8',
    maxBuffer: 64 * MIB,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ENV_AUDIT_BENCH_RSS_FILE: rssFile, ENV_AUDIT_TIMINGS: '1' },
  });
  const ms = performance.now() - t0;
  if (res.status !== 0 && res.status !== 1) throw new Error(`env-audit ${label} exited ${res.status ?? res.signal}: ${tail(res.stderr)}`);
  let maxRssKb: number | null = null;
  let cpuMs: number | null = null;
  try {
    ({ maxRssKb, cpuMs } = JSON.parse(fs.readFileSync(rssFile, 'utf8')) as { maxRssKb: number; cpuMs: number });
  } catch {
    log(`${label}: no peak RSS reported`);
  }
  const m = /^env-audit timings: (\{.*\})$/m.exec(res.stderr ?? '');
  const detail = m ? (JSON.parse(m[1]) as Record<string, number>) : undefined;
  const report = JSON.parse(fs.readFileSync(jsonOut, 'utf8')) as CliRun['report'];
  fs.rmSync(jsonOut, { force: true });
  return { ms, maxRssKb, cpuMs, load, detail, report };
}

function tail(s: string | null | undefined): string {
  const lines = (s ?? '').trim().split('\n');
  return lines.slice(-8).join('\n');
}

// ---- one tree -----------------------------------------------------------------------------------

async function benchTree(name: TreeName, treeDir: string, reps: number, mt: number, tmp: string): Promise<TreeResult> {
  log(`tree ${name}: listing files`);
  const list = await listFiles(treeDir);
  const listFile = path.join(REPO, '.bench', `${name}.files.json`);
  fs.writeFileSync(listFile, JSON.stringify({ files: list.files, sizes: list.sizes } satisfies FileList));
  const bytes = list.sizes.reduce((a, b) => a + b, 0);
  log(`tree ${name}: ${list.packages} packages, ${list.files.length} files, ${(bytes / MIB).toFixed(1)} MB`);

  runFloor('read', listFile, 1); // untimed: warm the page cache
  const parsedByteShare = prefilterShare(list.files);
  const runs: Record<MeasureName, Run[]> = { read: [], parse: [], parseMt: [], cold: [], warm: [] };
  let warmMatchesCold = true;
  let summary: CliRun['report']['summary'] | null = null;
  let abandoned: string[] = [];
  for (let rep = 1; rep <= reps; rep++) {
    const say = (what: string, r: Run): void =>
      log(
        `tree ${name} rep ${rep}/${reps}: ${what} ${(r.ms / 1000).toFixed(2)} s (CPU ${r.cpuMs === null ? '?' : (r.cpuMs / 1000).toFixed(2)} s), ` +
          `peak RSS ${r.maxRssKb ? (r.maxRssKb / 1024).toFixed(0) : '?'} MiB, load ${r.load.toFixed(1)}`,
      );
    const read = runFloor('read', listFile, 1);
    runs.read.push(read);
    say('read', read);
    const parse = runFloor('parse', listFile, 1);
    runs.parse.push(parse);
    say('parse', parse);
    if (mt > 1) {
      const p = runFloor('parse-mt', listFile, mt);
      runs.parseMt.push(p);
      say(`parse x${mt} threads`, p);
    }
    const cacheDir = path.join(tmp, `cache-${name}-${rep}`);
    fs.rmSync(cacheDir, { recursive: true, force: true });
    const cold = runCli(treeDir, cacheDir, tmp, `${name}-cold-${rep}`);
    runs.cold.push(stripReport(cold));
    say('cold', cold);
    const warm = runCli(treeDir, cacheDir, tmp, `${name}-warm-${rep}`);
    runs.warm.push(stripReport(warm));
    say('warm', warm);
    if (warm.detail && warm.detail.cacheMisses > 0) log(`tree ${name}: warning: warm run missed the cache ${warm.detail.cacheMisses} times`);
    if (JSON.stringify(cold.report.packages) !== JSON.stringify(warm.report.packages)) {
      warmMatchesCold = false;
      const keep = (r: CliRun, which: string): string => {
        const f = path.join(REPO, '.bench', `${name}-${which}-${rep}.report.json`);
        fs.writeFileSync(f, JSON.stringify(r.report, null, 2));
        return path.relative(REPO, f);
      };
      log(`tree ${name}: warning: the warm report differs from the cold one (kept: ${keep(cold, 'cold')}, ${keep(warm, 'warm')})`);
    }
    summary = cold.report.summary;
    abandoned = abandonedFiles(cold.report);
    for (const a of abandoned) log(`tree ${name} rep ${rep}/${reps}: cold scan abandoned ${a}`);
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }

  const measures: TreeResult['measures'] = {};
  for (const k of Object.keys(runs) as MeasureName[]) if (runs[k].length) measures[k] = summarize(runs[k]);
  const mb = bytes / MIB;
  const c = measures.cold!.medianMs;
  const b = measures.parse!.medianMs;
  return {
    tree: name,
    path: path.relative(REPO, treeDir),
    packages: summary!.packages,
    files: summary!.files,
    bytes: summary!.bytes,
    mb: summary!.bytes / MIB,
    parseErrors: summary!.parseErrors,
    measures,
    ratios: {
      coldOverParse: c / b,
      warmOverCold: measures.warm!.medianMs / c,
      coldOverRead: c / measures.read!.medianMs,
      coldCpuOverParseCpu:
        measures.cold!.medianCpuMs !== null && measures.parse!.medianCpuMs ? measures.cold!.medianCpuMs / measures.parse!.medianCpuMs : null,
      ...(measures.parseMt ? { coldOverParseMt: c / measures.parseMt.medianMs } : {}),
    },
    coldMbPerS: mb / (c / 1000),
    coldSecPerMb: c / 1000 / mb,
    warmMatchesCold,
    abandoned,
    parsedByteShare,
  };
}

/**
 * What share of the bytes the prefilter cannot skip. Whatever the analysis costs, a cold scan
 * must at least parse those bytes once, so `share × b2/b` bounds c/b from below on this machine.
 */
function prefilterShare(files: readonly string[]): number {
  const pf = createPrefilter(DETECTORS);
  let all = 0;
  let parsed = 0;
  for (const f of files) {
    let code: string;
    try {
      code = fs.readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    const n = Buffer.byteLength(code);
    all += n;
    if (pf.check(code) === null) parsed += n;
  }
  return all ? parsed / all : 0;
}

function stripReport(r: CliRun): Run {
  return { ms: r.ms, maxRssKb: r.maxRssKb, cpuMs: r.cpuMs, load: r.load, detail: r.detail };
}

// ---- output -------------------------------------------------------------------------------------

const LABELS: Record<MeasureName, string> = {
  read: '(a) read floor',
  parse: '(b) acorn.parse, 1 thread',
  parseMt: '(b2) acorn.parse, N threads',
  cold: '(c) env-audit cold',
  warm: '(d) env-audit warm',
};

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r, ri) => {
      const line = r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
      return ri === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

const s = (ms: number): string => (ms / 1000).toFixed(2);
const f2 = (x: number): string => x.toFixed(2);
const mib = (x: number | null): string => (x === null ? '?' : x.toFixed(0));

function render(results: TreeResult[], reps: number): string {
  const out: string[] = [];
  for (const r of results) {
    out.push('');
    out.push(`${r.tree}: ${r.packages} packages, ${r.files} files, ${r.mb.toFixed(1)} MB (${r.path}); medians of ${reps}`);
    const rows = [['measurement', 'median s', 'min s', 'max s', 'MB/s', 'CPU s', 'peak RSS MiB (median/max)', 'load']];
    for (const k of ['read', 'parse', 'parseMt', 'cold', 'warm'] as MeasureName[]) {
      const m = r.measures[k];
      if (!m) continue;
      rows.push([
        LABELS[k], s(m.medianMs), s(m.minMs), s(m.maxMs), (r.mb / (m.medianMs / 1000)).toFixed(1),
        m.medianCpuMs === null ? '?' : s(m.medianCpuMs), `${mib(m.medianRssMib)} / ${mib(m.maxRssMib)}`, m.medianLoad.toFixed(1),
      ]);
    }
    out.push(table(rows));
    const st = r.measures.cold?.detail;
    if (st) {
      out.push(
        `cold stages (median ms): tree ${st.tree}, select ${st.select}, cache read ${st.cacheRead}, analyse ${st.analyse}, ` +
          `cache write ${st.cacheWrite}, packages ${st.packages}; analysed ${st.analysedFiles} files, prefiltered ${st.prefiltered}, workers ${st.workers}`,
      );
    }
    const wt = r.measures.warm?.detail;
    if (wt) {
      out.push(`warm stages (median ms): tree ${wt.tree}, select ${wt.select}, cache read ${wt.cacheRead}, analyse ${wt.analyse}, packages ${wt.packages}; cache hits ${wt.cacheHits}, misses ${wt.cacheMisses}`);
    }
    const ok = (v: number, max: number): string => (v <= max ? 'met' : 'NOT met');
    out.push(`c/b  cold / parse floor = ${f2(r.ratios.coldOverParse)}  (target <= ${TARGETS.coldOverParse}: ${ok(r.ratios.coldOverParse, TARGETS.coldOverParse)})`);
    out.push(`d/c  warm / cold        = ${f2(r.ratios.warmOverCold)}  (target <= ${TARGETS.warmOverCold}: ${ok(r.ratios.warmOverCold, TARGETS.warmOverCold)})`);
    if (r.ratios.coldOverParseMt !== undefined) out.push(`c/b2 cold / N-thread parse = ${f2(r.ratios.coldOverParseMt)}`);
    if (r.ratios.coldCpuOverParseCpu !== null) out.push(`CPU time: cold / parse floor = ${f2(r.ratios.coldCpuOverParseCpu)} (work done, independent of other load)`);
    const share = `prefilter: ${(r.parsedByteShare * 100).toFixed(1)}% of the bytes need the full parse`;
    const parseMt = r.measures.parseMt;
    if (parseMt && r.measures.parse) {
      // the bound: those bytes parsed once on the same threads, with an analysis that cost nothing
      const bound = r.parsedByteShare * (parseMt.medianMs / r.measures.parse.medianMs);
      out.push(`${share}; parsing only those on the N threads of (b2), with a free analysis, would be c/b ~ ${f2(bound)} on this machine`);
    } else out.push(share);
    out.push(`cold: ${r.coldMbPerS.toFixed(2)} MB/s, ${(r.coldSecPerMb * 1000).toFixed(0)} ms per MB; parse errors ${r.parseErrors}; warm report ${r.warmMatchesCold ? 'matches' : 'DIFFERS FROM'} cold`);
    if (r.abandoned.length) {
      out.push(`files abandoned by the cold scan (timeout/crash: time lost, findings unknown): ${r.abandoned.length}`);
      for (const a of r.abandoned) out.push(`  ${a}`);
    }
    const peak = Math.max(r.measures.cold?.maxRssMib ?? 0, r.measures.warm?.maxRssMib ?? 0);
    out.push(`env-audit peak RSS ${peak.toFixed(0)} MiB (target <= ${TARGETS.peakRssMib}: ${ok(peak, TARGETS.peakRssMib)})`);
  }
  const small = results.find((r) => r.tree === 'small');
  const large = results.find((r) => r.tree === 'large');
  if (small && large) {
    const k = large.coldSecPerMb / small.coldSecPerMb;
    out.push('');
    out.push(
      `scaling: cold ${(small.coldSecPerMb * 1000).toFixed(0)} ms/MB small, ${(large.coldSecPerMb * 1000).toFixed(0)} ms/MB large: ` +
        `large/small = ${f2(k)} (target <= ${TARGETS.scaling}: ${k <= TARGETS.scaling ? 'met' : 'NOT met'})`,
    );
  }
  return out.join('\n') + '\n';
}

// ---- main ---------------------------------------------------------------------------------------

const HELP = `Usage: node dist/bench/run.js [options]   (npm run bench -- [options])
  --tree small|large|both   which tree (default both)
  --reps N                  repetitions, medians reported (default 3)
  --quick                   one repetition
  --mt                      also measure acorn.parse on one worker thread per core
  --json FILE               where to write the machine-readable result (default .bench/last.json)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      tree: { type: 'string', default: 'both' },
      reps: { type: 'string' },
      quick: { type: 'boolean' },
      mt: { type: 'boolean' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const trees: TreeName[] = values.tree === 'both' ? [...TREE_NAMES] : TREE_NAMES.includes(values.tree as TreeName) ? [values.tree as TreeName] : [];
  if (!trees.length) throw new Error(`--tree takes small, large or both (got "${values.tree}")`);
  const reps = values.quick ? 1 : values.reps === undefined ? 3 : Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps takes a whole number >= 1 (got "${values.reps}")`);
  const threads = os.availableParallelism();
  const mt = values.mt ? threads : 0;
  if (!fs.existsSync(path.join(REPO, 'dist', 'src', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first');

  const dirs = new Map<TreeName, string>();
  for (const t of trees) dirs.set(t, ensureTree(t, { repoRoot: REPO, log }));

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-bench-'));
  const results: TreeResult[] = [];
  const started = Date.now();
  try {
    for (const t of trees) results.push(await benchTree(t, dirs.get(t)!, reps, mt, tmp));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  const cpus = os.cpus();
  const machine = {
    nproc: threads,
    cpu: cpus[0]?.model ?? 'unknown',
    memGiB: +(os.totalmem() / 1024 ** 3).toFixed(1),
    node: process.version,
    platform: `${process.platform} ${os.release()} ${process.arch}`,
  };
  const date = new Date().toISOString();
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  process.stdout.write(`env-audit bench, ${date}; ${machine.nproc} cores (${machine.cpu}), node ${machine.node}; ${command}\n`);
  process.stdout.write('load = 1-minute load average before each run: above ~0.5 the machine was busy with other work and wall times suffer\n');
  process.stdout.write(render(results, reps));
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);

  const outFile = values.json ? path.resolve(values.json) : path.join(REPO, '.bench', 'last.json');
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, JSON.stringify({ date, command, machine, reps, targets: TARGETS, trees: results, scaling: scaling(results) }, null, 2) + '\n');
  log(`result written to ${path.relative(process.cwd(), outFile) || outFile}`);
  return 0;
}

function scaling(results: TreeResult[]): { smallSecPerMb: number; largeSecPerMb: number; largeOverSmall: number } | null {
  const small = results.find((r) => r.tree === 'small');
  const large = results.find((r) => r.tree === 'large');
  if (!small || !large) return null;
  return { smallSecPerMb: small.coldSecPerMb, largeSecPerMb: large.coldSecPerMb, largeOverSmall: large.coldSecPerMb / small.coldSecPerMb };
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
