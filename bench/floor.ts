// The floors, each run by run.ts in a fresh process so its peak RSS is its own:
//   node dist/bench/floor.js read <list.json>          read (and UTF-8 decode) every file
//   node dist/bench/floor.js parse <list.json>         + acorn.parse every file on this thread
//   node dist/bench/floor.js parse-mt <list.json> N    the same split over N worker threads
// <list.json> is the file list env-audit selects (written by run.ts). Prints one JSON line:
// FloorResult. Parse options are acorn's with the allowances src/analyze/parse.ts uses (module
// goal, then script), but called directly: the floor is plain acorn, whatever the analyser does.
import fs from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import * as acorn from 'acorn';
import { ACORN_OPTIONS } from '../src/analyze/parse.js';

export interface FileList {
  /** absolute paths, in env-audit's selection order. */
  files: string[];
  sizes: number[];
}

export interface FloorResult {
  mode: 'read' | 'parse' | 'parse-mt';
  /** wall time of the measured work (file list loaded, acorn imported before the clock starts). */
  ms: number;
  /** time inside readFileSync + decode (summed over threads for parse-mt). */
  readMs: number;
  /** time inside acorn.parse (summed over threads for parse-mt). */
  parseMs: number;
  files: number;
  bytes: number;
  /** files that parse in neither goal. */
  parseErrors: number;
  /** peak RSS of this process, KiB (process.resourceUsage().maxRSS). */
  maxRssKb: number;
  /** user + system CPU time of the whole process (all threads), ms. */
  cpuMs: number;
  threads: number;
}

// the same allowances as the analyser, so the floor parses exactly what env-audit parses
const OPTIONS = ACORN_OPTIONS;

interface Tally {
  readMs: number;
  parseMs: number;
  bytes: number;
  parseErrors: number;
}

function work(files: readonly string[], parse: boolean): Tally {
  const out: Tally = { readMs: 0, parseMs: 0, bytes: 0, parseErrors: 0 };
  for (const file of files) {
    const t0 = performance.now();
    let code: string;
    try {
      const buf = fs.readFileSync(file);
      out.bytes += buf.length;
      code = buf.toString('utf8');
    } catch {
      continue;
    }
    const t1 = performance.now();
    out.readMs += t1 - t0;
    if (!parse) continue;
    try {
      acorn.parse(code, { ...OPTIONS, sourceType: 'module' });
    } catch {
      try {
        acorn.parse(code, { ...OPTIONS, sourceType: 'script' });
      } catch {
        out.parseErrors++;
      }
    }
    out.parseMs += performance.now() - t1;
  }
  return out;
}

/** Longest-processing-time split: biggest files first, each to the least loaded thread. */
function partition(list: FileList, n: number): string[][] {
  const parts: string[][] = Array.from({ length: n }, () => []);
  const load = new Array<number>(n).fill(0);
  const order = list.files.map((_, i) => i).sort((a, b) => list.sizes[b] - list.sizes[a]);
  for (const i of order) {
    let k = 0;
    for (let j = 1; j < n; j++) if (load[j] < load[k]) k = j;
    parts[k].push(list.files[i]);
    load[k] += list.sizes[i];
  }
  return parts;
}

async function main(argv: string[]): Promise<void> {
  const [mode, listFile, threadsArg] = argv;
  if ((mode !== 'read' && mode !== 'parse' && mode !== 'parse-mt') || !listFile) {
    process.stderr.write('usage: floor.js read|parse|parse-mt <list.json> [threads]\n');
    process.exitCode = 2;
    return;
  }
  const list = JSON.parse(fs.readFileSync(listFile, 'utf8')) as FileList;
  let res: Tally;
  let threads = 1;
  const t0 = performance.now();
  if (mode === 'parse-mt') {
    threads = Math.max(1, Number(threadsArg) || 2);
    const parts = partition(list, threads);
    const done = await Promise.all(
      parts.map(
        (files) =>
          new Promise<Tally>((resolve, reject) => {
            // same stack and a heap limit like the scan pool's big lane, so a huge bundle fits
            const w = new Worker(new URL(import.meta.url), {
              workerData: files,
              resourceLimits: { stackSizeMb: 64, maxOldGenerationSizeMb: 384 },
            });
            w.once('message', resolve);
            w.once('error', reject);
          }),
      ),
    );
    res = done.reduce((a, b) => ({
      readMs: a.readMs + b.readMs, parseMs: a.parseMs + b.parseMs, bytes: a.bytes + b.bytes, parseErrors: a.parseErrors + b.parseErrors,
    }));
  } else {
    res = work(list.files, mode === 'parse');
  }
  const ms = performance.now() - t0;
  const ru = process.resourceUsage();
  const result: FloorResult = {
    mode, ms, ...res, files: list.files.length, maxRssKb: ru.maxRSS, cpuMs: (ru.userCPUTime + ru.systemCPUTime) / 1000, threads,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

if (isMainThread) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`floor: ${String((err as Error)?.stack ?? err)}\n`);
    process.exitCode = 1;
  });
} else {
  parentPort!.postMessage(work(workerData as string[], true));
}
