// A stack overflow while parsing must be a parse error, wherever on the stack it strikes.
// acorn's own handler tested the error message with two regexes in the catch of the innermost
// parseExpression, with almost no stack left, and the first use of a regex compiles it: V8 then
// aborted the whole process ("FATAL ERROR: RegExpCompiler Allocation failed"), worker threads and
// all. Whether it did depended on where the overflow struck relative to the catch, so each case
// runs in a fresh isolate (a new worker: the regex cache is per isolate) with 1 MB of stack, the
// main thread's size, at a few stack offsets. The workers run in a child process, so an abort is
// reported instead of killing the test run. (parse.ts replaces the handler; see SafeParser.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { repoRoot } from '../helpers.js';
import { deepSources } from './tree.js';

/** Enough to overflow a 1 MB stack with every construct below, small enough to parse fast. */
const DEPTH = 5000;
const CONSTRUCTS = ['nested-calls.js', 'parens.js', 'arrows.js', 'objects.js', 'templates.js', 'calls.js', 'functions.js', 'destructure.js'];
/** Frames of padding before the parse, to move where the overflow strikes. */
const OFFSETS = [0, 1, 2, 3];

test('a stack overflow in the parser is a parse-error finding at any stack offset, never a V8 abort', () => {
  const sources = deepSources(DEPTH);
  const cases = CONSTRUCTS.flatMap((name) => OFFSETS.map((pad) => ({ name, pad, src: sources[name] })));
  const analyzeUrl = pathToFileURL(path.join(repoRoot, 'dist', 'src', 'analyze', 'index.js')).href;
  // ESM: the child runs with --input-type=module, and eval workers inherit it
  const workerCode = `
    import { parentPort, workerData } from 'node:worker_threads';
    const { analyzeSource } = await import(workerData.url);
    const job = { absPath: '/x', file: 'deep.js', sourceType: 'commonjs', packageName: 'deep', size: workerData.src.length };
    const go = (k) => (k === 0 ? analyzeSource(workerData.src, job) : go(k - 1));
    const r = go(workerData.pad * 3);
    parentPort.postMessage(r.findings.map((f) => f.rule + ': ' + f.detail));`;
  const child = `
    import { Worker } from 'node:worker_threads';
    import fs from 'node:fs';
    const cases = JSON.parse(fs.readFileSync(0, 'utf8'));
    const out = [];
    for (const c of cases) {
      process.stderr.write('case ' + c.name + ' offset ' + c.pad + '\\n');
      const findings = await new Promise((resolve) => {
        const w = new Worker(${JSON.stringify(workerCode)}, { eval: true, workerData: { url: ${JSON.stringify(analyzeUrl)}, src: c.src, pad: c.pad }, resourceLimits: { stackSizeMb: 1 } });
        w.on('message', (m) => { resolve(m); void w.terminate(); });
        w.on('error', (e) => resolve(['worker error: ' + e.message]));
      });
      out.push({ name: c.name, pad: c.pad, findings });
    }
    process.stdout.write(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', child], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  assert.equal(r.error, undefined, String(r.error));
  const last = r.stderr.split('\n').filter((l) => l.startsWith('case ')).pop();
  const fatal = r.stderr.match(/FATAL ERROR:[^\n]*/)?.[0];
  assert.equal(r.status, 0, `the process died (${r.signal ?? r.status}) at ${last}: ${fatal ?? r.stderr.slice(-500)}`);
  const results = JSON.parse(r.stdout) as { name: string; pad: number; findings: string[] }[];
  assert.equal(results.length, cases.length);
  for (const res of results) {
    assert.ok(
      res.findings.some((f) => /^parse-error: .*stack/i.test(f)) || res.findings.some((f) => f.startsWith('env-read')),
      `${res.name} at offset ${res.pad}: ${JSON.stringify(res.findings)}`,
    );
  }
});
