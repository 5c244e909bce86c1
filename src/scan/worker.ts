// Worker thread of the scan pool: takes batches of FileJobs, analyses them one by one and streams
// each FileResult back. Scanned files are only ever read as text (read-source.ts); nothing here
// requires or imports them.
//
// Protocol (all messages plain data):
//   main → worker: { jobs: { id: number; job: FileJob }[] }       one batch
//   worker → main: { results: { id: number; result: FileResult }[] }  finished files, in order
// Which file is in progress is not a message: the worker stores the running job's id in a shared
// Int32Array (0 = idle), so the pool's watchdog can see a stuck file without any round trip and
// attribute a timeout or a crash to exactly that file.
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeFile } from './read-source.js';
import type { FileJob, FileResult } from '../model.js';

export interface WorkerInit {
  progress: SharedArrayBuffer;
  maxBytes: number;
  /** Results are sent once this many ms have passed since the last send, or the batch ends. */
  flushMs: number;
  test?: WorkerTestHooks;
}

/** TEST ONLY: make the worker misbehave on a given file name (job.file), to exercise the pool. */
export interface WorkerTestHooks {
  /** busy-loop forever on this file (timeout path). */
  testHangOn?: string;
  /** process.exit(3) on this file (crash path). */
  testExitOn?: string;
  /** throw an uncaught error on this file (crash path). */
  testThrowOn?: string;
  /** allocate until the heap limit kills the worker (out-of-memory path). */
  testOomOn?: string;
}

export interface BatchMessage {
  jobs: { id: number; job: FileJob }[];
}
export interface ResultMessage {
  results: { id: number; result: FileResult }[];
}

function applyTestHook(hooks: WorkerTestHooks, file: string): void {
  if (file === hooks.testHangOn) for (;;);
  if (file === hooks.testExitOn) process.exit(3);
  if (file === hooks.testThrowOn) throw new Error(`test hook: throw on ${file}`);
  if (file === hooks.testOomOn) {
    const hog: unknown[] = [];
    for (;;) hog.push(new Array(1e5).fill(hog.length));
  }
}

if (parentPort) {
  const port = parentPort;
  const init = workerData as WorkerInit;
  const current = new Int32Array(init.progress);
  const hooks = init.test;

  port.on('message', (msg: BatchMessage) => {
    let pending: ResultMessage['results'] = [];
    let lastFlush = performance.now();
    for (const { id, job } of msg.jobs) {
      Atomics.store(current, 0, id);
      if (hooks) applyTestHook(hooks, job.file); // outside analyzeFile's catch on purpose
      pending.push({ id, result: analyzeFile(job, { maxBytes: init.maxBytes }) });
      const now = performance.now();
      if (now - lastFlush >= init.flushMs) {
        port.postMessage({ results: pending } satisfies ResultMessage);
        pending = [];
        lastFlush = now;
      }
    }
    // Idle before the last send, so a result never arrives while the slot still names its job.
    Atomics.store(current, 0, 0);
    if (pending.length) port.postMessage({ results: pending } satisfies ResultMessage);
  });
}
