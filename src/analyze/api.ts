// The API tables: every module, function and global name through which code reads files, reaches
// the network, starts processes or runs code, kept once. Detectors and flow analyses import these;
// test/analyze/api-tables.test.ts fails if a file under src/analyze keeps its own copy (two copies
// drift: `original-fs` was a credential read but not an exfiltration source, `request-promise` an
// exfiltration sink but not `network`). Tables of API shapes, never lists of packages to excuse.
import type { Val } from './values.js';

// ── files ───────────────────────────────────────────────────────────────────────────────────────
/** Modules whose members read and probe files (`node:` prefixes are stripped upstream). */
export const FS_MODULES: ReadonlySet<string> = new Set(['fs', 'fs/promises', 'fs-extra', 'graceful-fs', 'original-fs']);
/** Node's own fs entry points (path helpers such as realpath are only followed through these). */
export const NODE_FS_MODULES: ReadonlySet<string> = new Set(['fs', 'fs/promises']);
/** fs members whose value (or callback / stream) is a file's contents. */
export const FS_CONTENT_READS: ReadonlySet<string> = new Set([
  'readFileSync', 'readFile', 'createReadStream', 'readJson', 'readJsonSync', 'readJSON', 'readJSONSync',
]);
/** fs members that read, copy or list what a path names: a credential file touched. */
export const FS_READS: ReadonlySet<string> = new Set([
  ...FS_CONTENT_READS, 'open', 'openSync', 'copyFile', 'copyFileSync', 'cp', 'cpSync', 'copy', 'copySync',
  'readdir', 'readdirSync', 'opendir', 'opendirSync',
]);
/** fs members that only learn whether a path exists. */
export const FS_PROBES: ReadonlySet<string> = new Set([
  'existsSync', 'exists', 'access', 'accessSync', 'stat', 'statSync', 'lstat', 'lstatSync', 'pathExists', 'pathExistsSync',
]);
/** Bun's and Deno's file readers. */
export const GLOBAL_FILE_READS: ReadonlySet<string> = new Set([
  'Bun.file', 'Deno.readTextFile', 'Deno.readTextFileSync', 'Deno.readFile', 'Deno.readFileSync', 'Deno.open', 'Deno.openSync',
]);

/** A file read or existence probe through an fs module or a runtime global, with its display name. */
export function fsCall(v: Val): { how: string; member: string; kind: 'read' | 'probe' } | null {
  if (v.k === 'member' && FS_MODULES.has(v.module)) {
    const last = v.path[v.path.length - 1];
    const how = `${v.module === 'fs/promises' ? 'fs.promises' : v.module}.${v.path.join('.')}`;
    if (FS_READS.has(last)) return { how, member: last, kind: 'read' };
    if (FS_PROBES.has(last)) return { how, member: last, kind: 'probe' };
  }
  if (v.k === 'builtin' && GLOBAL_FILE_READS.has(v.name)) return { how: v.name, member: v.name, kind: 'read' };
  return null;
}

/** fs members that write a file (first argument the path): a dropper writes before it runs. */
export const FS_WRITES: ReadonlySet<string> = new Set([
  'writeFileSync', 'writeFile', 'createWriteStream', 'appendFileSync', 'appendFile', 'outputFile', 'outputFileSync',
]);

/** Is this callee an fs write? */
export function fsWrite(v: Val): boolean {
  return v.k === 'member' && FS_MODULES.has(v.module) && FS_WRITES.has(v.path[v.path.length - 1]);
}

/** The fs member whose value is a file's contents (`readFileSync`), when the callee is one. */
export function fsContentRead(v: Val): string | null {
  if (v.k !== 'member' || !FS_MODULES.has(v.module)) return null;
  const last = v.path[v.path.length - 1];
  return FS_CONTENT_READS.has(last) ? last : null;
}

// ── network ─────────────────────────────────────────────────────────────────────────────────────
/** Node's networking modules (the contract's list). */
export const NODE_NETWORK_MODULES: readonly string[] = ['http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns', 'dns/promises'];
/** Request-style HTTP clients: the module or its verb methods take a url, options and data. */
export const HTTP_CLIENT_MODULES: ReadonlySet<string> = new Set([
  'axios', 'got', 'node-fetch', 'cross-fetch', 'isomorphic-fetch', 'undici', 'request', 'request-promise', 'superagent',
  'needle', 'phin', 'ky', 'ofetch', 'node-fetch-native', 'make-fetch-happen', 'minipass-fetch', 'bent', 'httpie',
]);
/** Socket clients (their sinks are a WebSocket's url and sends). */
export const SOCKET_CLIENT_MODULES: ReadonlySet<string> = new Set(['ws', 'socket.io-client']);
/** Clients whose verb methods take the data second: `axios.post(url, data, config)`. */
export const DATA_SECOND_CLIENTS: ReadonlySet<string> = new Set(['axios', 'needle']);
/** Every module whose import alone means the file can reach the network. */
export const NETWORK_MODULES: ReadonlySet<string> = new Set([...NODE_NETWORK_MODULES, ...HTTP_CLIENT_MODULES, ...SOCKET_CLIENT_MODULES]);
/** Global network functions and constructors. */
export const NETWORK_GLOBALS: ReadonlySet<string> = new Set(['fetch', 'WebSocket', 'XMLHttpRequest', 'EventSource', 'navigator.sendBeacon']);

// ── processes ───────────────────────────────────────────────────────────────────────────────────
/** Modules whose import means the file can start processes. */
export const CHILD_PROCESS_MODULES: ReadonlySet<string> = new Set(['child_process', 'cluster']);
/** child_process functions that start a process (and take an `env` option). */
export const CHILD_PROCESS_FUNCTIONS: ReadonlySet<string> = new Set(['exec', 'execSync', 'spawn', 'spawnSync', 'execFile', 'execFileSync', 'fork']);
/** Libraries that start processes with a command line: what command-line analysis follows. */
export const PROCESS_LIBRARIES: ReadonlySet<string> = new Set(['execa', 'cross-spawn', 'shelljs']);
/** Runtime globals that start a process from a program and arguments. */
export const GLOBAL_SPAWNERS: ReadonlySet<string> = new Set(['Bun.spawn', 'Bun.spawnSync', 'Deno.run', 'Deno.Command']);
/** Runtime globals that run a shell (a tagged template): a process, but no command-line analysis. */
export const GLOBAL_SHELLS: ReadonlySet<string> = new Set(['Bun.$']);
/** `process.binding(...)` names of the process bindings underneath child_process. */
export const PROCESS_BINDINGS = /spawn|process_wrap|pipe_wrap/;

export interface ProcessCall {
  /** display name: `child_process.exec`, `Bun.spawn`. */
  name: string;
  /** the command is one string run by a shell (exec) rather than a file plus an argument array (spawn). */
  shell: boolean;
  /** synchronous: the call's value is the child's output (execSync, spawnSync, execFileSync). */
  sync: boolean;
}

/** Does this callee start a process, and how does it take its command? */
export function processCall(callee: Val): ProcessCall | null {
  if (callee.k === 'member') {
    const last = callee.path[callee.path.length - 1];
    if (callee.module === 'child_process' && CHILD_PROCESS_FUNCTIONS.has(last)) {
      return { name: `child_process.${last}`, shell: last === 'exec' || last === 'execSync', sync: last.endsWith('Sync') };
    }
    if (!PROCESS_LIBRARIES.has(callee.module)) return null;
    if (callee.module === 'shelljs' && last === 'exec') return { name: 'shelljs.exec', shell: true, sync: true };
    if (callee.module === 'execa' && /^(execa|execaSync|command|commandSync|execaCommand|execaCommandSync|sync)$/.test(last)) {
      return { name: `execa.${last}`, shell: /command/i.test(last), sync: /sync/i.test(last) };
    }
    if (callee.module === 'cross-spawn' && (last === 'sync' || last === 'spawn')) return { name: `cross-spawn.${last}`, shell: false, sync: last === 'sync' };
  }
  if (callee.k === 'module' && PROCESS_LIBRARIES.has(callee.name) && callee.name !== 'shelljs') return { name: callee.name, shell: false, sync: false };
  if (callee.k === 'builtin' && GLOBAL_SPAWNERS.has(callee.name)) return { name: callee.name, shell: false, sync: callee.name.endsWith('Sync') };
  return null;
}

// ── code ────────────────────────────────────────────────────────────────────────────────────────
/** vm members that run a string as code. */
export const VM_RUNNERS: ReadonlySet<string> = new Set(['runInNewContext', 'runInThisContext', 'runInContext', 'Script', 'compileFunction', 'SourceTextModule']);
/** Global functions that decode a string (what makes a constant unreadable in the source). */
export const DECODERS: ReadonlySet<string> = new Set(['Buffer.from', 'atob', 'String.fromCharCode', 'String.fromCodePoint', 'unescape', 'decodeURIComponent', 'decodeURI']);

/** Node's builtin modules. */
export const NODE_BUILTINS: ReadonlySet<string> = new Set([
  'assert', 'async_hooks', 'buffer', 'child_process', 'cluster', 'console', 'crypto', 'dgram', 'diagnostics_channel', 'dns',
  'dns/promises', 'domain', 'events', 'fs', 'fs/promises', 'http', 'http2', 'https', 'inspector', 'module', 'net', 'os',
  'path', 'perf_hooks', 'process', 'punycode', 'querystring', 'readline', 'repl', 'stream', 'string_decoder', 'timers',
  'tls', 'trace_events', 'tty', 'url', 'util', 'v8', 'vm', 'wasi', 'worker_threads', 'zlib',
]);

// ── the environment ─────────────────────────────────────────────────────────────────────────────
/**
 * Words one of which a file must contain to reach the environment (the env detectors' prefilter
 * triggers). `Env(` / `.env(`: a getEnv()-like method whose result may be another file's env
 * (flow/package-facts.ts).
 */
export const ENV_TRIGGERS: readonly string[] = ['process', 'global', 'Reflect', 'Function', 'eval', 'constructor', '\\x', '\\u', '_0x', 'Env(', '.env('];
/**
 * Methods of the platform's own objects (Map, Set, Array, String, Storage, Headers, URLSearchParams,
 * FormData, Promise, EventEmitter): a call of one of these on a receiver nothing resolves is never
 * taken for a package method of the same name (`cache.get('NODE_ENV')` is not `config.get`).
 */
export const PLATFORM_METHODS: ReadonlySet<string> = new Set([
  'get', 'set', 'has', 'delete', 'add', 'clear', 'keys', 'values', 'entries', 'forEach', 'getAll', 'append',
  'getItem', 'setItem', 'removeItem', 'push', 'pop', 'shift', 'unshift', 'includes', 'indexOf', 'join', 'split',
  'replace', 'startsWith', 'endsWith', 'then', 'catch', 'finally', 'on', 'once', 'off', 'emit', 'call', 'apply', 'bind',
  'toString', 'hasOwnProperty', 'find', 'filter', 'map', 'some', 'every', 'concat', 'slice', 'test', 'exec', 'match',
]);
/** Names whose member `.env` is checked by value, not by shape (`process.env`, `global.process`). */
export const PROCESS_LIKE_NAMES: ReadonlySet<string> = new Set(['process', 'global', 'globalThis', 'window', 'self', 'require', 'module']);
/** Calls that enumerate, copy or serialise an object handed to them (`Object.keys(process.env)`). */
export const ENUMERATING_CALLS: ReadonlySet<string> = new Set([
  'Object.keys', 'Object.values', 'Object.entries', 'Object.assign', 'Object.getOwnPropertyNames',
  'Object.getOwnPropertyDescriptors', 'Object.fromEntries', 'JSON.stringify', 'structuredClone',
  'Reflect.ownKeys', 'Object.freeze', 'Array.from',
]);
/** Enumerating calls that list keys, which a prefix filter can narrow (`Object.keys(env).filter(…)`). */
export const KEY_LISTING: ReadonlySet<string> = new Set(['Object.keys', 'Object.entries', 'Object.getOwnPropertyNames']);

/** Builtins whose hiding hides a way to the environment, processes, files, code or the network
 *  (`url`, `path`, `util`, `module`'s createRequire … hide nothing: rollup writes `require('u' + 'rl')`). */
export const SENSITIVE_BUILTINS: ReadonlySet<string> = new Set([
  'child_process', 'cluster', 'dgram', 'dns', 'dns/promises', 'fs', 'fs/promises', 'http', 'http2', 'https', 'inspector',
  'net', 'os', 'process', 'tls', 'vm', 'worker_threads', 'v8', 'wasi',
]);

/** Sensitive names that are also ordinary words (a module *kind*, a request object, an OS name):
 *  hidden, they count only on process, the global object, require/module or a sensitive module
 *  (`found['mod' + 'ule']` is a plain key); the other sensitive names count on any object. */
export const AMBIGUOUS_NAMES: ReadonlySet<string> = new Set([
  'module', 'Module', 'constructor', 'request', 'fetch', 'platform', 'cwd', 'argv', 'execPath', 'hostname', 'homedir',
  'Buffer', 'Reflect', 'os', 'fs', 'net', 'http', 'https', 'http2', 'tls', 'dns', 'dgram', 'vm', 'global', 'binding',
  'readFile', 'readFileSync', 'writeFileSync', 'WebSocket', 'createRequire',
]);

/** Process starters besides child_process that take an env option (execa-likes, a browser launcher). */
export const ENV_OPTION_CALLS: ReadonlySet<string> = new Set(['execa', 'execaSync', 'execaNode', 'crossSpawn', 'x', 'run', 'launch']);

/** Names whose hiding is the point: the ways to the environment, to processes, to code and to the network. */
export const SENSITIVE_NAMES: ReadonlySet<string> = new Set([
  'process', 'env', 'child_process', 'require', 'mainModule', 'constructor', 'eval', 'Function', 'global', 'globalThis',
  ...CHILD_PROCESS_FUNCTIONS, 'binding', '_linkedBinding', 'dlopen', ...NODE_NETWORK_MODULES, 'fs', 'vm', 'os', 'module', 'Module', '_load', '_compile',
  'runInThisContext', 'runInNewContext', 'runInContext', 'compileFunction', 'createRequire', 'readFileSync', 'readFile',
  'writeFileSync', 'request', 'fetch', 'XMLHttpRequest', 'WebSocket', 'homedir', 'userInfo', 'hostname',
  'networkInterfaces', 'sendBeacon', 'Buffer', 'Reflect', 'cwd', 'argv', 'execPath', 'platform',
]);
