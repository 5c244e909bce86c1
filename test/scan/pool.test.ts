import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createPool, runAll, type PoolOptions } from '../../src/scan/pool.js';
import type { FileJob, FileResult } from '../../src/model.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-pool-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

/** n small files with distinct sizes; optional special names at given positions. */
function makeJobs(n: number, special: Record<number, string> = {}, sizeOf = (i: number) => 20 + (i % 97)): FileJob[] {
  const jobs: FileJob[] = [];
  for (let i = 0; i < n; i++) {
    const file = special[i] ?? `lib/f${i}.js`;
    const absPath = path.join(dir, `${n}-${i}-${path.basename(file)}`);
    const body = `// ${i}\n`.padEnd(sizeOf(i), ' ');
    fs.writeFileSync(absPath, body);
    jobs.push({ absPath, file, sourceType: 'commonjs', packageName: 'pkg', size: Buffer.byteLength(body) });
  }
  return jobs;
}

function assertMatches(results: FileResult[], jobs: FileJob[], except: string[] = []): void {
  assert.equal(results.length, jobs.length);
  results.forEach((r, i) => {
    assert.equal(r.file, jobs[i].file, `result ${i} out of order`);
    assert.equal(r.bytes, jobs[i].size);
    if (!except.includes(r.file)) assert.equal(r.parseError, false, `${r.file}: ${JSON.stringify(r.findings)}`);
  });
}

async function withPool<T>(opts: PoolOptions, fn: (pool: ReturnType<typeof createPool>) => Promise<T>): Promise<T> {
  const pool = createPool(opts);
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}

test('results come back in job order, with progress, on two workers', async () => {
  const jobs = makeJobs(500);
  const seen: [number, number][] = [];
  await withPool({ size: 2 }, async (pool) => {
    assert.equal(pool.inline, false);
    const results = await runAll(pool, jobs, (f, b) => seen.push([f, b]));
    assertMatches(results, jobs);
    const stats = pool.stats();
    assert.equal(stats.files, 500);
    assert.ok(stats.batches < 500, `batched: ${stats.batches} batches`);
    assert.ok(stats.workersStarted <= 2);
  });
  assert.equal(seen.length, 500);
  assert.deepEqual(seen.at(-1), [500, jobs.reduce((s, j) => s + j.size, 0)]);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i][0] > seen[i - 1][0] && seen[i][1] >= seen[i - 1][1]);
});

test('inline pool (size 0) gives the same results', async () => {
  const jobs = makeJobs(50);
  await withPool({ size: 0 }, async (pool) => {
    assert.equal(pool.inline, true);
    assert.equal(pool.size, 0);
    assertMatches(await runAll(pool, jobs), jobs);
  });
});

test('big files go through the big lane and everything still arrives in order', async () => {
  const jobs = makeJobs(120, {}, (i) => (i % 10 === 0 ? 3000 + i : 50));
  await withPool({ size: 2, bigFileBytes: 2000, batchBytes: 4000 }, async (pool) => {
    assertMatches(await runAll(pool, jobs), jobs);
  });
});

test('a binary file becomes a parse-error finding through the pool', async () => {
  const absPath = path.join(dir, 'binary.js');
  fs.writeFileSync(absPath, Buffer.from([0, 0, 0, 1]));
  await withPool({ size: 1 }, async (pool) => {
    const r = await pool.run({ absPath, file: 'binary.js', sourceType: 'commonjs', packageName: 'p', size: 4 });
    assert.equal(r.parseError, true);
    assert.equal(r.findings[0].detail, 'skipped: binary file');
  });
});

test('a file that hangs times out, only that file, and the pool goes on', async () => {
  const jobs = makeJobs(60, { 5: 'hang.js' });
  await withPool({ size: 1, fileTimeoutMs: 1000, workerData: { testHangOn: 'hang.js' } }, async (pool) => {
    const t0 = performance.now();
    const results = await runAll(pool, jobs);
    assertMatches(results, jobs, ['hang.js']);
    const hung = results[5];
    assert.equal(hung.parseError, true);
    assert.equal(hung.findings.length, 1);
    assert.equal(hung.findings[0].rule, 'parse-error');
    assert.equal(hung.findings[0].detail, 'skipped: analysis timed out after 1 s');
    const stats = pool.stats();
    assert.equal(stats.timeouts, 1);
    assert.ok(stats.requeued > 0, 'the rest of the stuck batch was sent again');
    assert.equal(stats.workersStarted, 2, 'a replacement worker started');
    assert.ok(performance.now() - t0 < 10_000);
    // and the pool still works afterwards
    const again = makeJobs(10);
    assertMatches(await runAll(pool, again), again);
  });
});

test('two hanging files on two workers both time out', async () => {
  const jobs = makeJobs(40, { 3: 'hang.js', 30: 'hang.js' });
  await withPool({ size: 2, fileTimeoutMs: 800, workerData: { testHangOn: 'hang.js' } }, async (pool) => {
    const results = await runAll(pool, jobs);
    assertMatches(results, jobs, ['hang.js']);
    assert.equal(results[3].findings[0].detail, 'skipped: analysis timed out after 0.8 s');
    assert.equal(results[30].findings[0].detail, 'skipped: analysis timed out after 0.8 s');
    assert.equal(pool.stats().timeouts, 2);
  });
});

test('a worker that exits mid-batch: crash finding for that file, the rest are analysed', async () => {
  const jobs = makeJobs(50, { 7: 'exit.js' });
  await withPool({ size: 2, workerData: { testExitOn: 'exit.js' } }, async (pool) => {
    const results = await runAll(pool, jobs);
    assertMatches(results, jobs, ['exit.js']);
    assert.equal(results[7].parseError, true);
    assert.equal(results[7].findings[0].detail, 'analysis crashed: worker exited with code 3');
    assert.equal(pool.stats().crashes, 1);
  });
});

test('an uncaught error in a worker: crash finding, pool goes on', async () => {
  const jobs = makeJobs(30, { 0: 'throw.js' });
  await withPool({ size: 1, workerData: { testThrowOn: 'throw.js' } }, async (pool) => {
    const results = await runAll(pool, jobs);
    assertMatches(results, jobs, ['throw.js']);
    assert.equal(results[0].findings[0].detail, 'analysis crashed: test hook: throw on throw.js');
  });
});

test('a worker running out of memory: crash finding, the main process survives', async () => {
  const jobs = makeJobs(20, { 10: 'oom.js' });
  await withPool({ size: 2, heapMb: 24, workerData: { testOomOn: 'oom.js' } }, async (pool) => {
    const results = await runAll(pool, jobs);
    assertMatches(results, jobs, ['oom.js']);
    assert.equal(results[10].parseError, true);
    assert.match(results[10].findings[0].detail, /^analysis crashed: .*memory/);
  });
});

test('close() waits for submitted jobs; run() after close() rejects', async () => {
  const jobs = makeJobs(20);
  const pool = createPool({ size: 2 });
  const all = runAll(pool, jobs);
  await pool.close();
  assertMatches(await all, jobs);
  await assert.rejects(pool.run(jobs[0]), /closed/);
});

test('runAll reports each result with its index; nonsense sizes fall back to defaults', async () => {
  const jobs = makeJobs(40);
  const seen = new Map<number, string>();
  await withPool({ size: Number.NaN, fileTimeoutMs: -1 }, async (pool) => {
    assert.ok(pool.size >= 1);
    const results = await runAll(pool, jobs, undefined, (i, r) => seen.set(i, r.file));
    assertMatches(results, jobs);
  });
  assert.equal(seen.size, 40);
  for (const [i, file] of seen) assert.equal(file, jobs[i].file);
});

test('a pool left open does not keep the process alive once idle', () => {
  const jobs = makeJobs(5);
  const poolUrl = new URL('../../src/scan/pool.js', import.meta.url).href;
  const script = `
    const { createPool, runAll } = await import(${JSON.stringify(poolUrl)});
    const pool = createPool({ size: 2 });
    const r = await runAll(pool, ${JSON.stringify(jobs)});
    console.log(r.length);`;
  // a file, not `-e`: an ESM -e script exits when evaluated, whatever handles are still open
  const scriptPath = path.join(dir, 'left-open.mjs');
  fs.writeFileSync(scriptPath, script);
  const child = spawnSync(process.execPath, [scriptPath], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(child.signal, null, 'process had to be killed: the idle pool kept it alive');
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout.trim(), '5');
});

test('close() is idempotent', async () => {
  const pool = createPool({ size: 1 });
  const jobs = makeJobs(3);
  assertMatches(await runAll(pool, jobs), jobs);
  await pool.close();
  await pool.close();
});
