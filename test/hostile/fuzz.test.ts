// Fuzzing the analyser: thousands of mutated fixture sources (deleted, duplicated, swapped and
// replaced tokens, spliced files, nesting, truncation, random bytes and hostile characters) through
// analyzeSource on every run, in child processes (fuzz-worker.ts), half on a worker thread with the
// scan pool's limits and half on a plain main thread. No exception may escape, every FileResult
// must be well-formed (result-shape.ts), no input may run past the per-input limit, and no input
// may take the process down.
//
// Each run uses a new seed unless ENV_AUDIT_FUZZ_SEED is set; the seed is printed, and a failing
// input is written to a file, so any failure reproduces with:
//   ENV_AUDIT_FUZZ_SEED=<seed> node --test dist/test/hostile/fuzz.test.js
// ENV_AUDIT_FUZZ_INPUTS changes how many inputs run (default 4000).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fuzzInput, loadCorpus } from './mutate.js';
import { forkSlice, type FuzzMessage, type FuzzSlice } from './fuzz-worker.js';

const INPUTS = Number(process.env.ENV_AUDIT_FUZZ_INPUTS) || 4000;
const SEED = process.env.ENV_AUDIT_FUZZ_SEED ? Number(process.env.ENV_AUDIT_FUZZ_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
/**
 * Per input. Inputs are at most a few hundred KB and the analyser takes milliseconds on most, a
 * second on the deepest; 10 s is a third of the scan's default per-file limit (30 s), so anything
 * slower is a superlinear path, not a slow CI machine.
 */
const PER_INPUT_LIMIT_MS = 10_000;

interface Outcome {
  slice: FuzzSlice;
  failures: { index: number; problems: string[] }[];
  done?: Extract<FuzzMessage, { kind: 'done' }>;
  /** set when the watchdog stopped the child, or it died. */
  stuck?: { index: number; why: string };
}

function runSlice(slice: FuzzSlice): Promise<Outcome> {
  return new Promise((resolve) => {
    const outcome: Outcome = { slice, failures: [] };
    const child = forkSlice(slice);
    let current = -1;
    let since = performance.now();
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const watchdog = setInterval(() => {
      if (current >= 0 && performance.now() - since > PER_INPUT_LIMIT_MS) {
        outcome.stuck = { index: current, why: `still running after ${PER_INPUT_LIMIT_MS} ms` };
        child.kill('SIGKILL');
      }
    }, 250);
    child.on('message', (m: FuzzMessage) => {
      if (m.kind === 'start') {
        current = m.index;
        since = performance.now();
      } else if (m.kind === 'fail') outcome.failures.push({ index: m.index, problems: m.problems });
      else {
        current = -1;
        outcome.done = m;
      }
    });
    child.on('exit', (code, signal) => {
      clearInterval(watchdog);
      if (!outcome.done && !outcome.stuck) {
        const fatal = stderr.match(/FATAL ERROR:[^\n]*/)?.[0];
        outcome.stuck = { index: current, why: `the process died (${signal ?? `exit ${code}`})${fatal ? `: ${fatal}` : ''}` };
      }
      resolve(outcome);
    });
  });
}

/** Write the input to a file so it can be opened, scanned or minimised by hand. */
function saveInput(index: number): string {
  const input = fuzzInput(loadCorpus(), SEED, index);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-fuzz-'));
  const file = path.join(dir, `seed-${SEED}-input-${index}.js`);
  fs.writeFileSync(file, input.code);
  fs.writeFileSync(`${file}.recipe.txt`, input.recipe.join('\n') + '\n');
  return file;
}

test(`analyzeSource survives ${INPUTS} mutated inputs (seed ${SEED})`, { timeout: 600_000 }, async (t) => {
  t.diagnostic(`seed ${SEED}: rerun with ENV_AUDIT_FUZZ_SEED=${SEED}`);
  // Half the inputs on a worker with the pool's limits (64 MB stack), half on a plain main thread
  // (~1 MB stack, like a small tree's inline scan): a stack overflow lands in different places.
  const half = Math.ceil(INPUTS / 2);
  const started = performance.now();
  const outcomes = await Promise.all([
    runSlice({ seed: SEED, from: 0, to: half, mode: 'worker' }),
    runSlice({ seed: SEED, from: half, to: INPUTS, mode: 'main' }),
  ]);
  const problems: string[] = [];
  for (const o of outcomes) {
    for (const f of o.failures) {
      problems.push(`input ${f.index} on the ${o.slice.mode} thread (${fuzzInput(loadCorpus(), SEED, f.index).recipe.join('; ')}), saved as ${saveInput(f.index)}:\n  ${f.problems.join('\n  ')}`);
    }
    if (o.stuck) {
      const recipe = o.stuck.index >= 0 ? fuzzInput(loadCorpus(), SEED, o.stuck.index).recipe.join('; ') : 'before the first input';
      problems.push(`input ${o.stuck.index} on the ${o.slice.mode} thread (${recipe}): ${o.stuck.why}${o.stuck.index >= 0 ? `; saved as ${saveInput(o.stuck.index)}` : ''}`);
    }
  }
  assert.deepEqual(problems, [], `seed ${SEED}: ${problems.length} failing input(s); rerun with ENV_AUDIT_FUZZ_SEED=${SEED}`);

  const done = outcomes.map((o) => o.done!);
  const total = done.reduce((n, d) => n + d.inputs, 0);
  assert.equal(total, INPUTS, 'every input ran');
  const slowest = done.reduce((a, b) => (b.slowestMs > a.slowestMs ? b : a));
  t.diagnostic(
    `${total} inputs in ${Math.round(performance.now() - started)} ms: ` +
      `${done.reduce((n, d) => n + d.parseErrors, 0)} parse errors, ${done.reduce((n, d) => n + d.findings, 0)} findings, ` +
      `${done.reduce((n, d) => n + d.prefiltered, 0)} prefiltered; slowest input ${slowest.slowestIndex} took ${Math.round(slowest.slowestMs)} ms`,
  );
  // The mutations must still leave most inputs parseable, or the fuzz only exercises the parser.
  const parsed = total - done.reduce((n, d) => n + d.parseErrors, 0);
  assert.ok(parsed > total / 4, `only ${parsed} of ${total} inputs parsed: the mutator is too destructive`);
});
