// The analyser fuzz loop (fuzz.test.ts), and where it runs. fuzz.test.ts forks fuzz-worker.js as a
// child process, so that even a fatal V8 abort (which takes a whole process down, worker threads
// included) is reported with the input that caused it rather than killing the test run. The child
// runs its inputs either on its own main thread (the scan's inline mode: a ~1 MB stack) or on a
// worker thread with the pool's limits (64 MB stack, 384 MB heap), and reports each input's index
// before running it, so the parent's watchdog knows which one hangs.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { analyzeSource } from '../../src/analyze/index.js';
import type { FileJob } from '../../src/model.js';
import { fuzzInput, loadCorpus } from './mutate.js';
import { fileResultProblems } from './result-shape.js';

export interface FuzzSlice {
  seed: number;
  from: number;
  to: number;
  /** where the inputs run in the child: its main thread, or a worker with the pool's limits. */
  mode: 'main' | 'worker';
}

export type FuzzMessage =
  | { kind: 'start'; index: number }
  | { kind: 'fail'; index: number; problems: string[] }
  | { kind: 'done'; inputs: number; parseErrors: number; findings: number; prefiltered: number; slowestMs: number; slowestIndex: number };

/** Stop after this many failing inputs: the first few say everything. */
const MAX_FAILURES = 5;
const CHILD_FLAG = '--env-audit-fuzz-child';

function runInputs(slice: FuzzSlice, emit: (m: FuzzMessage) => void): void {
  const corpus = loadCorpus();
  let failures = 0;
  const stats = { inputs: 0, parseErrors: 0, findings: 0, prefiltered: 0, slowestMs: 0, slowestIndex: -1 };
  for (let i = slice.from; i < slice.to && failures < MAX_FAILURES; i++) {
    emit({ kind: 'start', index: i });
    const input = fuzzInput(corpus, slice.seed, i);
    const job: FileJob = { absPath: '/fuzz/input.js', file: 'input.js', sourceType: i % 2 ? 'module' : 'commonjs', packageName: 'fuzz', size: Buffer.byteLength(input.code) };
    const started = performance.now();
    let problems: string[];
    try {
      const r = analyzeSource(input.code, job, { prefilter: input.prefilter });
      problems = fileResultProblems(r, job, input.code);
      stats.parseErrors += r.parseError ? 1 : 0;
      stats.findings += r.findings.length;
      stats.prefiltered += r.prefiltered ? 1 : 0;
    } catch (err) {
      // read-source.ts turns these into a finding, but none should get that far: analyzeSource
      // must return a result for any text (a stack overflow in the parser is a parse error)
      const e = err as Error;
      problems = [`exception escaped analyzeSource: ${e?.name}: ${String(e?.message).slice(0, 300)}\n${String(e?.stack ?? '').split('\n').slice(1, 8).join('\n')}`];
    }
    const ms = performance.now() - started;
    if (ms > stats.slowestMs) {
      stats.slowestMs = ms;
      stats.slowestIndex = i;
    }
    stats.inputs++;
    if (problems.length) {
      failures++;
      emit({ kind: 'fail', index: i, problems });
    }
  }
  emit({ kind: 'done', ...stats });
}

/** Fork a child running `slice`; messages arrive on the returned process. */
export function forkSlice(slice: FuzzSlice) {
  return fork(fileURLToPath(import.meta.url), [CHILD_FLAG, JSON.stringify(slice)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [] });
}

if (!isMainThread && parentPort && (workerData as { fuzz?: FuzzSlice })?.fuzz) {
  const port = parentPort;
  runInputs((workerData as { fuzz: FuzzSlice }).fuzz, (m) => port.postMessage(m));
} else if (isMainThread && process.argv[2] === CHILD_FLAG && process.send) {
  const slice = JSON.parse(process.argv[3]) as FuzzSlice;
  const send = (m: FuzzMessage) => process.send!(m);
  if (slice.mode === 'main') {
    runInputs(slice, send);
    process.disconnect();
  } else {
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { fuzz: slice },
      resourceLimits: { stackSizeMb: 64, maxOldGenerationSizeMb: 384 },
    });
    worker.on('message', (m: FuzzMessage) => {
      send(m);
      if (m.kind === 'done') void worker.terminate().then(() => process.disconnect());
    });
    worker.on('error', (err) => {
      process.stderr.write(`fuzz worker died: ${err.message}\n`);
      process.exit(3);
    });
  }
}
