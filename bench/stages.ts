// Where analysis time goes, file by file, on one thread (no pool, no cache):
//
//   node dist/bench/stages.js <list.json> [--top N] [--slow MS] [--trace]
//
// <list.json> is a file list written by run.ts (.bench/<tree>.files.json). For every file:
// read, prefilter, acorn parse (module, then script), scopes, detectors — each timed on its own,
// the way src/analyze/index.ts chains them. Prints totals per stage, what share of files and bytes
// the prefilter lets skip the parse, which trigger words send files to the parse (the first one
// found, in the prefilter's order), and the slowest files; files slower than --slow ms (default
// 2000) are also logged to stderr as they finish, and --trace logs each file as it starts (to
// find one that never finishes). Diagnostic only: run.ts does not use it.
import fs from 'node:fs';
import { DETECTORS } from '../src/analyze/detectors/index.js';
import { createPrefilter } from '../src/analyze/prefilter.js';
import { parseSource } from '../src/analyze/parse.js';
import { buildScopes } from '../src/analyze/scope.js';
import { runDetectors } from '../src/analyze/engine.js';
import type { FileJob } from '../src/model.js';
import type { FileList } from './floor.js';

const MIB = 1024 * 1024;

function main(argv: string[]): void {
  const listFile = argv[0];
  if (!listFile) {
    process.stderr.write('usage: stages.js <list.json> [--top N]\n');
    process.exitCode = 2;
    return;
  }
  const topArg = argv.indexOf('--top');
  const topN = topArg >= 0 ? Number(argv[topArg + 1]) || 15 : 15;
  const slowArg = argv.indexOf('--slow');
  const slowMs = slowArg >= 0 ? Number(argv[slowArg + 1]) || 2000 : 2000;
  const trace = argv.includes('--trace');
  const cpu0 = process.cpuUsage();
  const list = JSON.parse(fs.readFileSync(listFile, 'utf8')) as FileList;
  const pf = createPrefilter(DETECTORS);
  const triggers = [...new Set(DETECTORS.flatMap((d) => d.meta.triggers))];

  const t = { read: 0, prefilter: 0, parse: 0, scopes: 0, detectors: 0 };
  let skippedFiles = 0;
  let skippedBytes = 0;
  let totalBytes = 0;
  let parseErrors = 0;
  const firstTrigger = new Map<string, { files: number; bytes: number }>();
  const perFile: { file: string; bytes: number; ms: number; parse: number; rest: number }[] = [];

  for (const abs of list.files) {
    if (trace) process.stderr.write(`at: ${abs}\n`);
    const t0 = performance.now();
    let code: string;
    try {
      code = fs.readFileSync(abs, 'utf8');
    } catch {
      continue;
    }
    const bytes = Buffer.byteLength(code);
    totalBytes += bytes;
    const t1 = performance.now();
    const imports = pf.check(code);
    const t2 = performance.now();
    t.read += t1 - t0;
    t.prefilter += t2 - t1;
    if (imports) {
      skippedFiles++;
      skippedBytes += bytes;
      continue;
    }
    const why = triggers.find((w) => code.includes(w)) ?? '(import or dynamic specifier)';
    const ft = firstTrigger.get(why) ?? { files: 0, bytes: 0 };
    ft.files++;
    ft.bytes += bytes;
    firstTrigger.set(why, ft);

    const job: FileJob = { absPath: abs, file: abs, sourceType: abs.endsWith('.mjs') ? 'module' : 'commonjs', packageName: 'x', size: bytes };
    const parsed = parseSource(code, job.sourceType);
    const t3 = performance.now();
    t.parse += t3 - t2;
    if (!parsed.ok) {
      parseErrors++;
      perFile.push({ file: abs, bytes, ms: t3 - t0, parse: t3 - t2, rest: 0 });
      continue;
    }
    const scopes = buildScopes(parsed.ast);
    const t4 = performance.now();
    runDetectors(parsed.ast, code, job, scopes, DETECTORS);
    const t5 = performance.now();
    t.scopes += t4 - t3;
    t.detectors += t5 - t4;
    if (t5 - t0 > slowMs) {
      process.stderr.write(`slow: ${(t5 - t0).toFixed(0)} ms (parse ${(t3 - t2).toFixed(0)}, scopes ${(t4 - t3).toFixed(0)}, detectors ${(t5 - t4).toFixed(0)}) ${(bytes / 1024).toFixed(0)} KB ${abs}\n`);
    }
    perFile.push({ file: abs, bytes, ms: t5 - t0, parse: t3 - t2, rest: t5 - t3 });
  }

  const total = Object.values(t).reduce((a, b) => a + b, 0);
  const pct = (x: number): string => `${((100 * x) / total).toFixed(1)}%`;
  const out: string[] = [];
  out.push(`${list.files.length} files, ${(totalBytes / MIB).toFixed(1)} MB; ${parseErrors} parse errors`);
  out.push(`prefilter skips ${skippedFiles} files (${((100 * skippedFiles) / list.files.length).toFixed(1)}%), ` +
    `${(skippedBytes / MIB).toFixed(1)} MB (${((100 * skippedBytes) / totalBytes).toFixed(1)}% of bytes)`);
  out.push('stage totals (one thread):');
  for (const [k, v] of Object.entries(t)) out.push(`  ${k.padEnd(10)} ${(v / 1000).toFixed(2).padStart(8)} s  ${pct(v).padStart(6)}`);
  const cpu = process.cpuUsage(cpu0);
  out.push(`  ${'total'.padEnd(10)} ${(total / 1000).toFixed(2).padStart(8)} s  (process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s)`);
  out.push('files sent to the parse, by the first trigger word found:');
  for (const [w, v] of [...firstTrigger].sort((a, b) => b[1].bytes - a[1].bytes)) {
    out.push(`  ${JSON.stringify(w).padEnd(34)} ${String(v.files).padStart(6)} files ${(v.bytes / MIB).toFixed(1).padStart(7)} MB`);
  }
  out.push(`slowest ${topN} files (ms total = read..detectors; parse; scopes+detectors):`);
  for (const f of perFile.sort((a, b) => b.ms - a.ms).slice(0, topN)) {
    out.push(`  ${f.ms.toFixed(0).padStart(6)} ${f.parse.toFixed(0).padStart(6)} ${f.rest.toFixed(0).padStart(6)}  ${(f.bytes / 1024).toFixed(0).padStart(6)} KB  ${f.file}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

main(process.argv.slice(2));
