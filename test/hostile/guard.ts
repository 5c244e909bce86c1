// A preload for the CLI under test (node --require guard.cjs bin/env-audit.js ...): it records,
// and refuses, everything a scan must never do, in the main thread and in every worker thread
// (workers inherit --require through execArgv):
//   - network: net/tls/dgram sockets, DNS, http/https/http2 requests, fetch;
//   - processes: every child_process function (lifecycle scripts would need one);
//   - loading scanned code: require() of a file in the scanned tree (and, in the main thread, an
//     ESM import of one, through a module.register resolve hook);
//   - reading the value of a fake secret: process.env is wrapped in a Proxy in the main thread
//     (workers start with an empty environment). One dependency is allowed to look: npm's HTTP
//     agent goes through every variable once at load time to keep its *_proxy ones.
// Everything lands in a log file; the tests assert it is empty, after checking on a control run
// that the guard does catch each of these.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cliPath, repoRoot } from '../helpers.js';

export interface Guard {
  /** the preload file. */
  file: string;
  /** where it records what it caught; absent or empty = nothing. */
  log: string;
  read(): string;
}

export function writeGuard(dir: string, opts: { trees: string[]; secrets: string[] }): Guard {
  const file = path.join(dir, 'env-audit-guard.cjs');
  const log = path.join(dir, 'env-audit-guard.log');
  const hooks = `
    import fs from 'node:fs';
    import { fileURLToPath } from 'node:url';
    let LOG = '';
    let TREES = [];
    export function initialize(data) { LOG = data.LOG; TREES = data.TREES; }
    export async function resolve(specifier, context, next) {
      const r = await next(specifier, context);
      if (r.url.startsWith('file:')) {
        const p = fileURLToPath(r.url);
        if (TREES.some((t) => p === t || p.startsWith(t + '/'))) {
          fs.appendFileSync(LOG, 'hooks: import ' + p + '\\n');
          throw new Error('env-audit test guard: import ' + p);
        }
      }
      return r;
    }`;
  const source = `'use strict';
const fs = require('fs');
const Module = require('module');
const { isMainThread } = require('worker_threads');
const LOG = ${JSON.stringify(log)};
const TREES = ${JSON.stringify(opts.trees.map((t) => fs.realpathSync(t)))};
const SECRETS = new Set(${JSON.stringify(opts.secrets)});
const where = isMainThread ? 'main' : 'worker';
// Dependencies that scan every value once at load time, keeping none but their own: npm's HTTP
// agent (Object.entries(process.env), keeps *_proxy variables only; loaded with arborist).
const ALLOWED_ENV_SCANS = ['/node_modules/@npmcli/agent/lib/proxy.js:'];
function record(what) {
  try { fs.appendFileSync(LOG, where + ': ' + what + '\\n'); } catch {}
}
function refuse(what) {
  record(what);
  const err = new Error('env-audit test guard: ' + what);
  err.code = 'EGUARD';
  throw err;
}
const inTree = (p) => typeof p === 'string' && TREES.some((t) => p === t || p.startsWith(t + '/'));

const net = require('net');
net.Socket.prototype.connect = function () { refuse('net.Socket#connect'); };
net.connect = net.createConnection = function () { refuse('net.connect'); };
require('tls').connect = function () { refuse('tls.connect'); };
require('dgram').createSocket = function () { refuse('dgram.createSocket'); };
const dns = require('dns');
for (const fn of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveTxt', 'resolveSrv', 'reverse']) {
  dns[fn] = function () { refuse('dns.' + fn); };
  if (dns.promises[fn]) dns.promises[fn] = async function () { refuse('dns.promises.' + fn); };
}
for (const name of ['http', 'https', 'http2']) {
  const mod = require(name);
  for (const fn of ['request', 'get', 'connect']) if (typeof mod[fn] === 'function') mod[fn] = function () { refuse(name + '.' + fn); };
}
globalThis.fetch = async function () { refuse('fetch'); };
const cp = require('child_process');
for (const fn of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) cp[fn] = function () { refuse('child_process.' + fn); };

const load = Module._load;
Module._load = function (request, parent, isMain) {
  let file;
  try { file = Module._resolveFilename(request, parent, isMain); } catch { file = undefined; }
  if (inTree(file)) refuse('require ' + file);
  return load.apply(this, arguments);
};
if (isMainThread && typeof Module.register === 'function') {
  Module.register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}), { data: { LOG, TREES } });
}
if (isMainThread) {
  // Value reads only: Object.keys() asks for each property's descriptor too (debug does that at
  // load time, for DEBUG_* names), which is not reading a value.
  const env = process.env;
  process.env = new Proxy(env, {
    get(t, k) {
      if (SECRETS.has(k)) {
        const stack = new Error().stack.split('\\n').slice(2, 8).join('\\n');
        if (!ALLOWED_ENV_SCANS.some((f) => stack.includes(f))) record('process.env.' + String(k) + ' read\\n' + stack);
      }
      return Reflect.get(t, k);
    },
  });
}
Module.syncBuiltinESMExports();
`;
  fs.writeFileSync(file, source);
  return {
    file,
    log,
    read: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''),
  };
}

export interface RunOptions {
  cwd?: string;
  /** merged over process.env; undefined deletes. NO_COLOR=1 and no GITHUB_ACTIONS unless given. */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** Run the real CLI under the guard, like helpers.runCli but with raw output bytes. */
export function runGuarded(guard: Guard | null, args: string[], opts: RunOptions = {}): SpawnSyncReturns<Buffer> & { ms: number } {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  delete env.GITHUB_ACTIONS;
  delete env.GITHUB_STEP_SUMMARY;
  delete env.FORCE_COLOR;
  delete env.NODE_OPTIONS;
  Object.assign(env, opts.env ?? {});
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const started = performance.now();
  const r = spawnSync(process.execPath, [...(guard ? ['--require', guard.file] : []), cliPath, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: env,
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return Object.assign(r, { ms: performance.now() - started });
}
