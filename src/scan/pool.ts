// The scan pool: analyses FileJobs on worker threads so a stuck or crashing file costs one
// parse-error finding, never the scan.
//
// - Jobs go out in small batches (by count and by bytes) and results come back streamed, so
//   messaging stays a small share of the work.
// - Each worker writes the id of the file it is on into a shared Int32Array; a watchdog samples it.
//   A file that stays current for fileTimeoutMs gets a timeout finding, its worker is terminated
//   and replaced, and the rest of that worker's jobs are queued again. A worker that dies (out of
//   memory, exit, uncaught error) is handled the same way, with a crash finding for its file.
// - Memory: the budget is 768 MiB peak RSS on a 2-core machine, main thread included. Parsing
//   needs ~25x the source size in heap, so files of bigFileBytes or more run one at a time, always
//   on the same worker (the "big lane"): two bundles parsed side by side, or two workers each
//   keeping a heap bloated by one, would break the budget. The heap limit (384 MiB) is a fuse for
//   pathological files: one worker at its limit plus a normal one and the main thread still fits.
//   Lower limits cost GC time (V8 sizes its first collections from the limit: 256 MiB measured
//   ~12% more CPU than 1 GiB), higher ones would not fit a runaway worker.
// - size 0 runs inline on the main thread: same results, but no timeout, no memory limit and the
//   main thread's (small) stack — for tests and `--jobs 0` only (small trees get one worker).
import os from 'node:os';
import v8 from 'node:v8';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { analyzeFile, shortMessage, skippedResult } from './read-source.js';
import type { FileJob, FileResult } from '../model.js';
import type { BatchMessage, ResultMessage, WorkerInit, WorkerTestHooks } from './worker.js';

export interface PoolOptions {
  /** worker threads; default os.availableParallelism(). 0 = run inline on the main thread. */
  size?: number;
  /** per file; default 30000. Not enforced inline. */
  fileTimeoutMs?: number;
  /** larger files are skipped unread; default 20 MiB. */
  maxBytes?: number;
  /** worker stack; default 64 (deeply nested hostile files recurse deep in the parser). */
  stackSizeMb?: number;
  /** per-worker heap limit (maxOldGenerationSizeMb); default 384. */
  heapMb?: number;
  /** per-worker young generation (maxYoungGenerationSizeMb); see the default's comment. */
  youngMb?: number;
  /** files of at least this many bytes are "big": one at a time, on the big lane. Default 2 MiB. */
  bigFileBytes?: number;
  /** batch limits, whichever is reached first; defaults 32 files, 2 MiB. */
  batchFiles?: number;
  batchBytes?: number;
  /** a worker sends finished results at least this often (ms) within a batch; default 50. */
  flushMs?: number;
  /** TEST ONLY: make workers misbehave on given file names (see WorkerTestHooks). Ignored inline. */
  workerData?: WorkerTestHooks;
}

export interface PoolStats {
  files: number;
  batches: number;
  /** result messages received from workers. */
  messages: number;
  timeouts: number;
  crashes: number;
  workersStarted: number;
  /** jobs sent again after their worker was terminated or died. */
  requeued: number;
}

export interface Pool {
  /** number of worker threads (0 when inline). */
  readonly size: number;
  readonly inline: boolean;
  /** problems the pool worked around (e.g. workers could not start, fell back to inline). */
  readonly warnings: string[];
  /** Analyse one file. Always resolves, with a parse-error finding when analysis failed. */
  run(job: FileJob): Promise<FileResult>;
  /** Wait for every submitted job, then stop the workers. run() after close() rejects. */
  close(): Promise<void>;
  stats(): PoolStats;
}

const MIB = 1024 * 1024;
/** A job re-sent this many times without its worker ever blaming it gets a crash finding. */
const MAX_ATTEMPTS = 3;
/** Workers dying this many times in a row before running any file: give up on threads. */
const MAX_STARTUP_FAILURES = 3;

interface Entry {
  id: number;
  job: FileJob;
  big: boolean;
  attempts: number;
  done: boolean;
  resolve: (r: FileResult) => void;
}

interface Slot {
  worker: Worker;
  big: boolean;
  current: Int32Array;
  /** jobs sent and not yet answered, in the order the worker runs them. */
  inflight: Map<number, Entry>;
  inflightBytes: number;
  retired: boolean;
  ranAJob: boolean;
  lastError: unknown;
  /** watchdog: last value seen in `current`, when it changed, and a pending idle-stall strike. */
  lastSeen: number;
  lastChange: number;
  idleStrike: boolean;
}

const workerUrl = new URL('./worker.js', import.meta.url);

/**
 * `--max-old-space-size` (often in CI's NODE_OPTIONS for webpack builds) is process-wide in V8 and
 * beats a worker's `resourceLimits`: with 4096 there, a worker parsed a 470 MB syntax tree that
 * should have been one "out of memory" finding, and nothing capped the scan's memory. The flag is
 * read when a heap is set up, so clearing it before the first worker is spawned gives the workers
 * their own limit back and leaves the main thread's heap (already set up) as the user asked.
 */
let heapFlagReleased = false;
function releaseHeapFlag(): void {
  if (heapFlagReleased) return;
  heapFlagReleased = true;
  const given = [process.env.NODE_OPTIONS ?? '', ...process.execArgv].join(' ');
  if (/--max[-_]old[-_]space[-_]size\b/.test(given)) v8.setFlagsFromString('--max-old-space-size=0');
}

export function createPool(opts: PoolOptions = {}): Pool {
  // Nonsense numbers fall back to defaults: NaN workers would queue jobs forever.
  const requested = Number.isFinite(opts.size) ? opts.size! : os.availableParallelism();
  const fileTimeoutMs = opts.fileTimeoutMs !== undefined && opts.fileTimeoutMs > 0 ? opts.fileTimeoutMs : 30_000;
  const maxBytes = opts.maxBytes ?? 20 * MIB;
  const stackSizeMb = opts.stackSizeMb ?? 64;
  const heapMb = opts.heapMb ?? 384;
  // A file's syntax tree lives until its analysis ends, so with a worker's small default young
  // generation most scavenges copy a growing tree and promote it: GC was about a third of the
  // analysis CPU. 64 MB cut a worker's time by ~8-10% on the large bench tree (BENCHMARKS.md).
  // Not more: at 128 MB a worker whose tree outgrows its heap no longer fails alone (V8 aborts the
  // whole process before the near-heap-limit handler runs; test/hostile covers it).
  const youngMb = opts.youngMb ?? 64;
  const bigFileBytes = opts.bigFileBytes ?? 2 * MIB;
  const batchFiles = Math.max(1, opts.batchFiles ?? 32);
  const batchBytes = Math.max(1, opts.batchBytes ?? 2 * MIB);
  const flushMs = opts.flushMs ?? 50;
  // A worker idle with jobs sent (still loading, or lost) is given up on after this long.
  const idleStallMs = Math.max(fileTimeoutMs, 30_000);
  const timeoutText = `${+(fileTimeoutMs / 1000).toFixed(3)} s`;

  const warnings: string[] = [];
  const stats: PoolStats = { files: 0, batches: 0, messages: 0, timeouts: 0, crashes: 0, workersStarted: 0, requeued: 0 };
  let inline = requested <= 0;
  const size = inline ? 0 : Math.floor(requested);
  if (!inline && !fs.existsSync(fileURLToPath(workerUrl))) {
    // e.g. run from TypeScript sources without a build: still scan, just without isolation
    inline = true;
    warnings.push(`scan worker not found at ${fileURLToPath(workerUrl)}; analysing on the main thread without timeouts`);
  }

  // Two FIFO queues so big files can wait for the big lane while small ones keep flowing.
  // Re-queued jobs go to the front: they were next anyway.
  const small: Entry[] = [];
  const bigQ: Entry[] = [];
  const slots: Slot[] = [];
  let nextId = 1;
  let pending = 0;
  let bigInFlight = false;
  let startupFailures = 0;
  let closed = false;
  let watchdog: NodeJS.Timeout | null = null;
  let inlineScheduled = false;
  let idleWaiters: (() => void)[] = [];

  function finish(e: Entry, result: FileResult): void {
    if (e.done) return;
    e.done = true;
    pending--;
    stats.files++;
    e.resolve(result);
    if (pending === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  function enqueueFront(entries: Entry[]): void {
    const b = entries.filter((e) => e.big);
    const s = entries.filter((e) => !e.big);
    // bounded (two batches per worker), but never spread an array into a call anyway
    for (let i = b.length - 1; i >= 0; i--) bigQ.unshift(b[i]);
    for (let i = s.length - 1; i >= 0; i--) small.unshift(s[i]);
    stats.requeued += entries.length;
  }

  // ---- inline mode -------------------------------------------------------------------------

  function pumpInline(): void {
    if (inlineScheduled) return;
    inlineScheduled = true;
    // setImmediate between slices keeps timers (the progress line) and I/O alive.
    setImmediate(() => {
      inlineScheduled = false;
      const start = performance.now();
      while (performance.now() - start < 20) {
        const e = bigQ.shift() ?? small.shift();
        if (!e) break;
        finish(e, analyzeFile(e.job, { maxBytes }));
      }
      if (bigQ.length || small.length) pumpInline();
    });
  }

  // ---- workers -----------------------------------------------------------------------------

  function spawn(big: boolean): Slot {
    releaseHeapFlag();
    const current = new Int32Array(new SharedArrayBuffer(4));
    const init: WorkerInit = { progress: current.buffer, maxBytes, flushMs, test: opts.workerData };
    const worker = new Worker(workerUrl, {
      workerData: init,
      // The worker needs no environment: keep the user's secrets out of the analysing thread.
      env: {},
      resourceLimits: { stackSizeMb, maxOldGenerationSizeMb: heapMb, ...(youngMb > 0 ? { maxYoungGenerationSizeMb: youngMb } : {}) },
    });
    stats.workersStarted++;
    const slot: Slot = {
      worker, big, current, inflight: new Map(), inflightBytes: 0, retired: false, ranAJob: false,
      lastError: undefined, lastSeen: 0, lastChange: performance.now(), idleStrike: false,
    };
    worker.on('message', (msg: ResultMessage) => onResults(slot, msg));
    worker.on('error', (err) => { slot.lastError = err; });
    worker.on('messageerror', (err) => { slot.lastError = err; retire(slot); onDeath(slot, 'unreadable message from worker'); });
    worker.on('exit', (code) => {
      if (slot.retired) return;
      retire(slot);
      onDeath(slot, slot.lastError ? shortMessage(slot.lastError) : `worker exited with code ${code}`);
    });
    slots.push(slot);
    if (!watchdog) {
      const tick = Math.min(1000, Math.max(10, Math.floor(fileTimeoutMs / 10)));
      watchdog = setInterval(checkStuck, tick);
      watchdog.unref();
    }
    return slot;
  }

  function retire(slot: Slot): void {
    slot.retired = true;
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    for (const e of slot.inflight.values()) if (e.big) bigInFlight = false;
    slot.worker.removeAllListeners('message');
    slot.worker.terminate().catch(() => {});
  }

  function onResults(slot: Slot, msg: ResultMessage): void {
    if (slot.retired) return; // its jobs were already finished or re-queued
    stats.messages++;
    slot.ranAJob = true;
    startupFailures = 0;
    for (const { id, result } of msg.results) {
      const e = slot.inflight.get(id);
      if (!e) continue;
      slot.inflight.delete(id);
      slot.inflightBytes -= e.job.size;
      if (e.big) bigInFlight = false;
      finish(e, result);
    }
    if (slot.inflight.size === 0) slot.worker.unref(); // an idle pool must not keep the process alive
    dispatch();
  }

  /** A worker died on its own: blame the file it was on, send its other jobs again. */
  function onDeath(slot: Slot, why: string): void {
    stats.crashes++;
    const cur = Atomics.load(slot.current, 0);
    const culprit = cur !== 0 ? slot.inflight.get(cur) : undefined;
    const again: Entry[] = [];
    for (const e of slot.inflight.values()) {
      if (e === culprit) continue;
      if (!culprit && ++e.attempts >= MAX_ATTEMPTS) finish(e, skippedResult(e.job, 'crashed', why, 'crash'));
      else again.push(e);
    }
    if (culprit) finish(culprit, skippedResult(culprit.job, 'crashed', why, 'crash'));
    slot.inflight.clear();
    if (!slot.ranAJob && !culprit && ++startupFailures >= MAX_STARTUP_FAILURES) {
      warnings.push(`scan workers failed to start (${why}); analysing on the main thread without timeouts`);
      inline = true;
    }
    enqueueFront(again);
    dispatch();
  }

  function onTimeout(slot: Slot, stuck: Entry): void {
    stats.timeouts++;
    retire(slot);
    const again = [...slot.inflight.values()].filter((e) => e !== stuck);
    slot.inflight.clear();
    finish(stuck, skippedResult(stuck.job, 'skipped', `analysis timed out after ${timeoutText}`, 'timeout'));
    enqueueFront(again);
    dispatch();
  }

  function checkStuck(): void {
    const now = performance.now();
    for (const slot of [...slots]) {
      const cur = Atomics.load(slot.current, 0);
      if (cur !== slot.lastSeen) {
        slot.lastSeen = cur;
        slot.lastChange = now;
        slot.idleStrike = false;
      } else if (cur !== 0 && slot.inflight.has(cur)) {
        if (now - slot.lastChange >= fileTimeoutMs) onTimeout(slot, slot.inflight.get(cur)!);
      } else if (slot.inflight.size > 0 && now - slot.lastChange >= idleStallMs) {
        // Idle with work outstanding for a whole timeout: a worker that never started, or results
        // we have not read yet. Strike once so pending messages get a loop turn, then give up on it.
        if (!slot.idleStrike) slot.idleStrike = true;
        else {
          retire(slot);
          onDeath(slot, 'worker unresponsive');
        }
      }
    }
  }

  function takeBatch(slot: Slot): Entry[] {
    if (slot.big && !bigInFlight && bigQ.length) {
      bigInFlight = true;
      return [bigQ.shift()!];
    }
    // Near the end, smaller batches so no worker idles while another holds the last 32 files.
    const fair = Math.ceil(small.length / Math.max(1, slots.length * 2));
    const limit = Math.max(1, Math.min(batchFiles, fair));
    const batch: Entry[] = [];
    let bytes = 0;
    while (small.length && batch.length < limit && (batch.length === 0 || bytes + small[0].job.size <= batchBytes)) {
      const e = small.shift()!;
      bytes += e.job.size;
      batch.push(e);
    }
    return batch;
  }

  function dispatch(): void {
    if (inline) {
      // Fallback after failed workers: drain everything, including what workers held.
      if (bigQ.length || small.length) pumpInline();
      return;
    }
    const queued = bigQ.length + small.length;
    if (!queued) return;
    // Workers start lazily (a fully cached re-scan starts none), no more than there is work for.
    // The first one, and any replacement of it, is the big lane.
    while (slots.length < size && slots.length < queued) {
      try {
        spawn(!slots.some((s) => s.big));
      } catch (err) {
        // e.g. out of threads or file descriptors: carry on with the workers we have, or inline
        if (!warnings.length) warnings.push(`cannot start a scan worker (${shortMessage(err)})`);
        if (!slots.length) {
          inline = true;
          warnings.push('analysing on the main thread without timeouts');
          pumpInline();
          return;
        }
        break;
      }
    }
    // Keep up to two batches per worker: one running, one waiting, so none idles on a round trip.
    let progress = true;
    while (progress) {
      progress = false;
      for (const slot of slots) {
        if (slot.inflight.size >= 2 * batchFiles || slot.inflightBytes >= 2 * batchBytes) continue;
        const batch = takeBatch(slot);
        if (!batch.length) continue;
        send(slot, batch);
        progress = true;
      }
    }
  }

  function send(slot: Slot, batch: Entry[]): void {
    for (const e of batch) {
      slot.inflight.set(e.id, e);
      slot.inflightBytes += e.job.size;
    }
    stats.batches++;
    slot.worker.ref();
    slot.worker.postMessage({ jobs: batch.map((e) => ({ id: e.id, job: e.job })) } satisfies BatchMessage);
  }

  let dispatchScheduled = false;
  function scheduleDispatch(): void {
    // Deferred so a loop of run() calls fills the queue before the first batch is cut.
    if (dispatchScheduled) return;
    dispatchScheduled = true;
    queueMicrotask(() => {
      dispatchScheduled = false;
      dispatch();
    });
  }

  return {
    get size() {
      return inline ? 0 : size;
    },
    get inline() {
      return inline;
    },
    warnings,
    run(job: FileJob): Promise<FileResult> {
      if (closed) return Promise.reject(new Error('scan pool is closed'));
      return new Promise<FileResult>((resolve) => {
        const id = nextId;
        nextId = nextId >= 0x7fffffff ? 1 : nextId + 1; // 0 means idle in the shared slot
        const e: Entry = { id, job, big: job.size >= bigFileBytes, attempts: 0, done: false, resolve };
        pending++;
        (e.big ? bigQ : small).push(e);
        scheduleDispatch();
      });
    },
    async close(): Promise<void> {
      closed = true;
      if (pending > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
      if (watchdog) clearInterval(watchdog);
      watchdog = null;
      const all = slots.splice(0);
      for (const s of all) s.retired = true;
      await Promise.all(all.map((s) => s.worker.terminate().catch(() => {})));
    },
    stats: () => ({ ...stats }),
  };
}

/**
 * Run every job; results come back in job order. Largest files are sent first so a big bundle
 * does not start last and hold up the end of the scan. onProgress(doneFiles, doneBytes) is called
 * as each result arrives (bytes as planned in the jobs).
 */
export async function runAll(
  pool: Pool,
  jobs: readonly FileJob[],
  onProgress?: (doneFiles: number, doneBytes: number) => void,
  /** each result as it arrives, with its index in jobs (e.g. to cache a package once complete). */
  onResult?: (index: number, result: FileResult) => void,
): Promise<FileResult[]> {
  const results = new Array<FileResult>(jobs.length);
  const order = jobs.map((_, i) => i).sort((a, b) => jobs[b].size - jobs[a].size || a - b);
  let doneFiles = 0;
  let doneBytes = 0;
  await Promise.all(
    order.map((i) =>
      pool.run(jobs[i]).then((r) => {
        results[i] = r;
        onResult?.(i, r);
        doneFiles++;
        doneBytes += jobs[i].size;
        onProgress?.(doneFiles, doneBytes);
      }),
    ),
  );
  return results;
}
