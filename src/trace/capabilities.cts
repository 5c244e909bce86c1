// Use of the network, of child processes and of credential files, per package: the exported
// functions of Node's modules (and global fetch/WebSocket) are wrapped; each call is recorded for
// the package that made it, then passed on unchanged. Calls Node makes inside another wrapped call
// (http.request connecting through net) have a Node frame as caller and are not counted again.
// `import x = require()` gives the module objects themselves (an `import * as` copy could not be patched)
import childProcess = require('node:child_process');
import dgram = require('node:dgram');
import dns = require('node:dns');
import fs = require('node:fs');
import http = require('node:http');
import http2 = require('node:http2');
import https = require('node:https');
import net = require('node:net');
import os = require('node:os');
import path = require('node:path');
import tls = require('node:tls');
import { fileURLToPath } from 'node:url';
import type { Detail, Sink } from './sink.cjs';
import type { TraceKind } from './record.cjs';
import { findCaller } from './stack.cjs';
import { credentialPath } from './credential-paths.cjs';

type Fn = (...args: unknown[]) => unknown;
type Recorder = (kind: TraceKind, name: string, detail?: Detail) => void;

/** Replace obj[key] by a function that reports its arguments first. Keeps `this`, `new` and the result. */
function wrap(obj: object, key: string, onCall: (args: unknown[]) => void): void {
  const holder = obj as Record<string, unknown>;
  const orig = holder[key];
  if (typeof orig !== 'function') return;
  const fn = orig as Fn;
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    try {
      onCall(args);
    } catch {
      // recording must never change what the program sees
    }
    return new.target ? (Reflect.construct(fn, args, new.target) as unknown) : Reflect.apply(fn, this, args);
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  Object.defineProperty(wrapped, 'length', { value: fn.length });
  if (fn.prototype !== undefined) wrapped.prototype = fn.prototype as object;
  holder[key] = wrapped;
}

const NETWORK: [string, object, string[]][] = [
  ['net', net, ['connect', 'createConnection', 'createServer']],
  ['net.Socket', net.Socket.prototype, ['connect']],
  ['tls', tls, ['connect', 'createServer']],
  ['http', http, ['request', 'get', 'createServer']],
  ['https', https, ['request', 'get', 'createServer']],
  ['http2', http2, ['connect', 'createServer', 'createSecureServer']],
  ['dgram', dgram, ['createSocket']],
];

function wrapNetwork(record: Recorder): void {
  for (const [mod, obj, keys] of NETWORK) for (const k of keys) wrap(obj, k, () => record('network', `${mod}.${k}`));
  for (const [mod, obj] of [['dns', dns], ['dns.promises', dns.promises]] as const) {
    for (const k of Object.keys(obj)) if (/^(lookup|resolve|reverse)/.test(k)) wrap(obj, k, () => record('network', `${mod}.${k}`));
  }
  const g = globalThis as unknown as Record<string, unknown>;
  for (const k of ['fetch', 'WebSocket', 'EventSource']) wrap(g, k, () => record('network', k));
}

const SAFE_PROGRAM = /[^\w.+@-]/g;

/** The program a command starts: the base name of its first word (after `VAR=x` assignments), nothing else. */
function programOf(command: unknown, shell: boolean): string {
  if (typeof command !== 'string') return '?';
  let word = command.trim();
  if (shell) {
    const words = word.split(/\s+/);
    word = words.find((w) => !/^\w+=/.test(w)) ?? '';
  }
  return path.basename(word.replace(/^["']|["']$/g, '')).replace(SAFE_PROGRAM, '?').slice(0, 64) || '?';
}

function wrapChildProcess(record: Recorder): void {
  const shellOpt = (args: unknown[]): boolean =>
    args.some((a) => a !== null && typeof a === 'object' && !Array.isArray(a) && Boolean((a as { shell?: unknown }).shell));
  for (const k of ['exec', 'execSync']) {
    wrap(childProcess, k, (args) => record('child-process', `child_process.${k}`, { target: programOf(args[0], true) }));
  }
  for (const k of ['spawn', 'spawnSync', 'execFile', 'execFileSync']) {
    wrap(childProcess, k, (args) => record('child-process', `child_process.${k}`, { target: programOf(args[0], shellOpt(args)) }));
  }
  wrap(childProcess, 'fork', () => record('child-process', 'child_process.fork', { target: 'node' }));
}

function pathArg(p: unknown): string | null {
  if (typeof p === 'string') return p;
  if (Buffer.isBuffer(p)) return p.toString();
  if (p instanceof URL && p.protocol === 'file:') return fileURLToPath(p);
  return null;
}

function wrapCredentialReads(record: Recorder, root: string): void {
  const home = os.homedir();
  const check = (api: string, args: unknown[]): void => {
    const flags = args[1];
    if (api.includes('open') && typeof flags === 'string' && /[wa]/.test(flags)) return;
    const p = pathArg(args[0]);
    const shown = p === null ? null : credentialPath(path.resolve(p), home, root);
    if (shown !== null) record('credential-file', api, { target: shown });
  };
  const reads = ['readFile', 'readFileSync', 'open', 'openSync', 'createReadStream', 'copyFile', 'copyFileSync', 'readdir', 'readdirSync'];
  for (const k of reads) wrap(fs, k, (args) => check(`fs.${k}`, args));
  for (const k of ['readFile', 'open', 'copyFile', 'readdir']) wrap(fs.promises, k, (args) => check(`fs.promises.${k}`, args));
}

/** Wrap every capability API; `redact` replaces a program name or path that carries an env value. */
export function wrapCapabilities(sink: Sink, root: string, redact: (s: string) => string): void {
  const record: Recorder = (kind, name, detail = {}) => {
    const c = findCaller(root);
    if (!c || c.internal) return;
    sink.add(kind, name, c, detail.target !== undefined ? { target: redact(detail.target) } : {});
  };
  wrapNetwork(record);
  wrapChildProcess(record);
  wrapCredentialReads(record, root);
}
