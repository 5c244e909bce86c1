// The run-time recorder preload, run for real: the fixture app (fixtures/trace-apps/app, executed on
// purpose, see its README) in a child Node process with the preload in NODE_OPTIONS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, fixture } from '../helpers.js';
import { parseTrace, type Trace, type TraceEvent } from '../../src/trace/read.js';
import { credentialFile } from '../../src/analyze/flow/paths.js';
import { credentialPath } from '../../src/trace/credential-paths.cjs';

const PRELOAD = path.join(repoRoot, 'dist', 'src', 'trace', 'recorder.cjs');
const APP = fixture('trace-apps', 'app');
const FAKE_SECRET = 'FAKE-SECRET-VALUE-7f3a9c1e';

function tmpFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-rec-'));
  return path.join(dir, 'trace.jsonl');
}

function tracedEnv(out: string | null): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: `--require "${PRELOAD}"`, TRACE_FAKE_SECRET: FAKE_SECRET };
  delete env.ENV_AUDIT_TRACE_FILE;
  delete env.ENV_AUDIT_TRACE_ROOT;
  if (out) env.ENV_AUDIT_TRACE_FILE = out;
  return env;
}

function runApp(args: string[], out: string | null): { status: number | null; stdout: string; trace: Trace; text: string } {
  const r = spawnSync(process.execPath, args, { cwd: APP, env: tracedEnv(out), encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.stderr, '', r.stderr);
  const text = out && fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  return { status: r.status, stdout: r.stdout, trace: parseTrace(text), text };
}

function find(t: Trace, kind: string, pkg: string | null, name: string): TraceEvent | undefined {
  return t.events.find((e) => e.kind === kind && e.package === pkg && e.name === name);
}

test('recorder: CommonJS app with a worker thread and a child Node process', () => {
  const out = tmpFile();
  const { status, stdout, trace, text } = runApp(['index.js', '3'], out);
  assert.equal(status, 3, 'the exit code passes through');
  assert.equal(stdout, 'trace-app done (7)\n', 'the output is unchanged');
  assert.equal(trace.invalidLines, 0);
  assert.ok(trace.processes >= 3, `main, worker and child each write a header (${trace.processes})`);

  const cjs = find(trace, 'env-read', 'cjs-reader', 'TRACE_CJS_NAME');
  assert.deepEqual([cjs?.location, cjs?.version, cjs?.site, cjs?.count], ['node_modules/cjs-reader', '1.0.0', 'index.js:9:29', 1]);
  assert.ok(find(trace, 'env-read', 'cjs-reader', 'TRACE_FAKE_SECRET'), 'the read of the secret is recorded by name');
  assert.equal(find(trace, 'env-write', 'cjs-reader', 'TRACE_CJS_WRITTEN')?.op, 'set');
  assert.equal(find(trace, 'credential-file', 'cjs-reader', 'fs.readFileSync')?.target, '.env');
  assert.equal(find(trace, 'env-read', 'cjs-reader', 'TRACE_NEVER_READ'), undefined, 'code that never runs is not seen');

  assert.ok(find(trace, 'env-read', 'esm-reader', 'TRACE_ESM_NAME'), 'ESM dependency through import { env }');
  assert.ok(find(trace, 'env-read', 'computed-reader', 'TRACE_HIDDEN_NAME'), 'a name computed from a data file');
  assert.ok(find(trace, 'network', 'computed-reader', 'dns.lookup'), 'dns reached through a computed require');
  assert.equal(find(trace, 'env-read', 'worker-reader', 'TRACE_WORKER_NAME')?.site, 'worker.js:2:26');
  assert.equal(find(trace, 'env-read', 'child-reader', 'TRACE_CHILD_NAME')?.site, 'child.js:2:34');
  assert.equal(find(trace, 'child-process', 'child-reader', 'child_process.execFileSync')?.target, 'node');
  assert.equal(find(trace, 'env-read', null, 'TRACE_PROJECT_NAME')?.location, '', 'the project is package null');

  // the env handed to the child is inheritance done by Node, the spread and JSON.stringify are the package's own
  assert.equal(find(trace, 'env-enumerate', 'child-reader', '*')?.via, 'child_process');
  const bulk = find(trace, 'env-enumerate', 'bulk-dumper', '*');
  assert.deepEqual([bulk?.via, bulk?.count], [undefined, 2]);
  assert.deepEqual(trace.events.filter((e) => e.package === 'bulk-dumper' && e.kind === 'env-read'), [], 'the reads of an enumeration are not separate reads');
  // Node's own reads (FORCE_COLOR for the console, the module loader's settings) are nobody's
  assert.equal(trace.events.some((e) => e.kind === 'env-read' && /FORCE_COLOR|NODE_DEBUG|WATCH_REPORT/.test(e.name)), false);

  assert.ok(!text.includes(FAKE_SECRET), 'no value is ever recorded');
  fs.rmSync(path.dirname(out), { recursive: true });
});

test('recorder: ES module entry point', () => {
  const out = tmpFile();
  const { status, stdout, trace } = runApp(['esm-main.mjs'], out);
  assert.equal(status, 0);
  assert.equal(stdout, 'esm-app done (0)\n');
  assert.ok(find(trace, 'env-read', null, 'TRACE_ESM_PROJECT_NAME'), 'import { env } from node:process in the entry');
  assert.ok(find(trace, 'env-read', 'esm-reader', 'TRACE_ESM_NAME'));
  assert.ok(find(trace, 'env-read', 'cjs-reader', 'TRACE_CJS_NAME'));
  fs.rmSync(path.dirname(out), { recursive: true });
});

test('recorder: without ENV_AUDIT_TRACE_FILE it records nothing and changes nothing', () => {
  const { status, stdout, text } = runApp(['index.js'], null);
  assert.equal(status, 0);
  assert.equal(stdout, 'trace-app done (7)\n');
  assert.equal(text, '');
});

// Four processes append at once, with many lines each: every line must stay whole.
test('recorder: concurrent processes append whole lines; program names carrying a secret are redacted', async () => {
  const out = tmpFile();
  const code =
    'for (let i = 0; i < 400; i++) process.env["TRACE_N" + i];' +
    'try { require("child_process").execFileSync(process.env.TRACE_FAKE_SECRET) } catch {}';
  const runs = [0, 1, 2, 3].map(
    () =>
      new Promise<number | null>((resolve) => {
        const c = spawn(process.execPath, ['-e', code], { cwd: APP, env: tracedEnv(out), stdio: 'ignore' });
        c.on('exit', (status) => resolve(status));
      }),
  );
  assert.deepEqual(await Promise.all(runs), [0, 0, 0, 0]);
  const text = fs.readFileSync(out, 'utf8');
  const trace = parseTrace(text);
  assert.equal(trace.invalidLines, 0);
  assert.equal(trace.processes, 4);
  const reads = trace.events.filter((e) => e.kind === 'env-read' && e.name.startsWith('TRACE_N'));
  assert.equal(reads.length, 400);
  assert.ok(reads.every((e) => e.count === 4 && e.package === null && e.site.startsWith('[eval]:1:')));
  const spawned = trace.events.find((e) => e.kind === 'child-process');
  assert.equal(spawned?.target, '[redacted]');
  assert.ok(!text.includes(FAKE_SECRET));
  fs.rmSync(path.dirname(out), { recursive: true });
});

test('recorder: credential paths agree with the static credential-file rule', () => {
  const home = '/home/u';
  const root = '/home/u/proj';
  const samples = [
    '/home/u/.npmrc', '/home/u/proj/.env', '/home/u/proj/.env.local', '/home/u/proj/.env.example', '/home/u/.aws/credentials',
    '/home/u/.ssh/id_rsa', '/home/u/.git-credentials', '/home/u/.netrc', '/home/u/.docker/config.json', '/home/u/.kube/config',
    '/home/u/.config/gcloud/application_default_credentials.json', '/home/u/.pypirc', '/home/u/.config/gh/hosts.yml',
    '/proc/self/environ', '/home/u/proj/package.json', '/home/u/.myapprc', '/etc/hosts', '/home/u/proj/src/env.js',
  ];
  for (const p of samples) {
    assert.equal(credentialPath(p, home, root) !== null, credentialFile(p) !== null, p);
  }
  assert.equal(credentialPath('/home/u/.npmrc', home, root), '~/.npmrc');
  assert.equal(credentialPath('/home/u/proj/.env', home, root), '.env');
  assert.equal(credentialPath('/proc/self/environ', home, root), '/proc/self/environ');
});

test('trace file reader: hostile lines are counted and skipped, counts are summed', () => {
  const line = (o: object): string => JSON.stringify({ v: 1, pid: 1, thread: 0, package: 'a', location: 'node_modules/a', count: 1, site: 'i.js:1:1', ...o });
  const text = [
    '{"v":1,"kind":"process","pid":1,"ppid":0,"thread":0,"node":"v20"}',
    line({ kind: 'env-read', name: 'X' }),
    line({ kind: 'env-read', name: 'X', site: 'later.js:9:9', count: 2 }),
    line({ kind: 'env-read', name: 'X'.repeat(5000) }),
    line({ kind: 'rm -rf', name: 'X' }),
    line({ kind: 'env-read', name: 'Y', count: -1 }),
    'not json',
    '[1,2]',
  ].join('\n');
  const t = parseTrace(text);
  assert.equal(t.processes, 1);
  assert.equal(t.invalidLines, 5);
  assert.deepEqual(t.events.map((e) => [e.name, e.count, e.site]), [['X', 3, 'i.js:1:1']]);
});
