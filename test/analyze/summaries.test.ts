// Function summaries across the files of a package (issue 13): each case is a small package of
// virtual files analysed by the real engine, then linked as a scan links them (link-package.ts).
// Valid cases are the traps: they must name nothing they do not read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { analyzeSource } from '../../src/analyze/index.js';
import { importersOfEnvReaders, linkEnvReaders, linkSummaries } from '../../src/analyze/package/link-package.js';
import type { FileResult, SourceType } from '../../src/model.js';

/** env-read names of a package of files: each file's own, and what linking adds. */
function packageReads(files: Record<string, string>): { own: string[]; linked: string[]; messages: string[]; bulk: string[] } {
  const analyze = ([file, code]: [string, string], prefilter: boolean): FileResult => {
    const sourceType: SourceType = file.endsWith('.mjs') ? 'module' : 'commonjs';
    return analyzeSource(code, { absPath: `/virtual/${file}`, file, sourceType, packageName: 'pkg', size: Buffer.byteLength(code) }, { prefilter });
  };
  const entries = Object.entries(files);
  const results: FileResult[] = entries.map((e) => analyze(e, true));
  const names = new Set(Object.keys(files));
  const resolve = (from: string, spec: string): string | null => {
    const base = path.posix.join(path.posix.dirname(from), spec);
    for (const c of [base, `${base}.js`, `${base}/index.js`]) if (names.has(c)) return c;
    return null;
  };
  // the scan's second round: files the prefilter skipped that import a file with summaries
  for (const i of importersOfEnvReaders(results, resolve)) results[i] = analyze(entries[i], false);
  const all = [...results.flatMap((r) => r.findings), ...linkEnvReaders(results, resolve), ...linkSummaries(results, resolve)];
  const linked = [...linkEnvReaders(results, resolve), ...linkSummaries(results, resolve)].filter((f) => f.rule === 'env-read');
  return {
    bulk: all.filter((f) => f.rule === 'env-bulk').map((f) => f.detail),
    own: results.flatMap((r) => r.findings).filter((f) => f.rule === 'env-read').map((f) => f.detail).sort(),
    linked: linked.map((f) => f.detail).sort(),
    messages: linked.map((f) => f.message ?? ''),
  };
}

test('summaries: a method called on a receiver from another file resolves by its unique name (config)', () => {
  const r = packageReads({
    'util.js': "class Env { initParam(name, dflt) { return this.arg(name) || process.env[name] || dflt } arg() {} }\nclass Load { static fromEnvironment() { return new Load() } }\nmodule.exports = { Env, Load };",
    'config.js': "const { Load } = require('./util');\nconst load = Load.fromEnvironment();\nconst quiet = load.initParam('SUPPRESS_NO_CONFIG_WARNING');",
  });
  assert.deepEqual(r.linked, ['SUPPRESS_NO_CONFIG_WARNING']);
  assert.match(r.messages[0], /resolved by method name/);
});

test('summaries: the result of another file\'s getEnv() and an exported function reading the env passed to it (stripe)', () => {
  const r = packageReads({
    'platform.js': 'class NodePlatform { getEnv() { return process.env } }\nclass OtherPlatform { getEnv() { return null } }\nexports.NodePlatform = NodePlatform; exports.OtherPlatform = OtherPlatform;',
    'utils.js': "exports.AI_AGENTS = exports.detect = void 0;\nexports.AI_AGENTS = [['CLAUDECODE', 'claude'], ['CURSOR_AGENT', 'cursor']];\nfunction detect(env) { for (const [name, agent] of exports.AI_AGENTS) if (env[name]) return agent; return '' }\nexports.detect = detect;",
    'core.js': "const utils_1 = require('./utils.js');\nclass Stripe { static initialize(pf) { const env = pf.getEnv(); if (env?.CLAUDE_CODE_CHILD_SESSION) {} Stripe.agent = env ? (0, utils_1.detect)(env) : '' } }\nexports.Stripe = Stripe;",
  });
  assert.deepEqual(r.linked, ['CLAUDECODE', 'CLAUDE_CODE_CHILD_SESSION', 'CURSOR_AGENT']);
});

test('summaries: an exported helper on an object binding (bluebird util.env)', () => {
  const r = packageReads({
    'util.js': "var hasEnv = typeof process !== 'undefined';\nfunction env(key) { return hasEnv ? process.env[key] : undefined }\nvar ret = { env: env, isNode: true };\nmodule.exports = ret;",
    'debug.js': "var util = require('./util');\nvar debugging = !!(util.env('BLUEBIRD_DEBUG') || util.env('NODE_ENV') === 'development');",
  });
  assert.deepEqual(r.linked, ['BLUEBIRD_DEBUG', 'NODE_ENV']);
});

test('summaries trap: a getEnv method that reads a Map resolves nothing', () => {
  const r = packageReads({
    'store.js': 'class Store { constructor() { this.m = new Map() } getEnv(k) { return this.m.get(k) } env() { return this.m } }\nexports.Store = Store;',
    'use.js': "function run(s) { const e = s.getEnv(); const f = s.env(); return [e.NOT_ENV, f.NOR_THIS, s.getEnv('ALSO_NOT')] }\nexports.run = run;",
  });
  assert.deepEqual(r.own, []);
  assert.deepEqual(r.linked, []);
});

test('summaries trap: a local env object handed to an imported function is not process.env', () => {
  const r = packageReads({
    'read.js': 'function pick(env) { return env.PICKED_NAME }\nexports.pick = pick;',
    'main.js': "const { pick } = require('./read');\nconst env = { PICKED_NAME: 'x' };\npick(env);",
  });
  assert.deepEqual(r.linked, []);
  // and with the real env it is a read
  const real = packageReads({
    'read.js': 'function pick(env) { return env.PICKED_NAME }\nexports.pick = pick;',
    'main.js': "const { pick } = require('./read');\npick(process.env);",
  });
  assert.deepEqual(real.linked, ['PICKED_NAME']);
});

test('summaries trap: a method name with no env summary in the package resolves nothing', () => {
  const r = packageReads({
    'a.js': "require('./b');\nfunction f(x) { return x.initParam('NODE_CONFIG_DIR') }\nexports.f = f;",
    'b.js': 'class C { initParam(n) { return this.params[n] } }\nexports.C = C;',
  });
  assert.deepEqual(r.linked, []);
});

test('summaries: the env handed to an export that only reads names is no bulk read; one that enumerates it is', () => {
  const names = packageReads({
    'agents.js': "const AGENTS = [['CLAUDECODE'], ['OPENCODE']];\nfunction detect(env) { for (const [k] of AGENTS) if (env[k]) return k }\nexports.detect = detect;",
    'main.js': "const { detect } = require('./agents');\ndetect(process.env);",
  });
  assert.deepEqual(names.linked, ['CLAUDECODE', 'OPENCODE']);
  assert.deepEqual(names.bulk, []);
  const dump = packageReads({
    'dump.js': 'function dump(env) { const k = env.HOME_DIR; return JSON.stringify(env) }\nexports.dump = dump;',
    'main.js': "const { dump } = require('./dump');\ndump(process.env);",
  });
  assert.deepEqual(dump.linked, ['HOME_DIR']);
  assert.equal(dump.bulk.length, 1);
  // an export the linker cannot see stays a bulk read (fail closed)
  const unknown = packageReads({ 'main.js': "const { send } = require('./missing');\nsend(process.env);" });
  assert.equal(unknown.bulk.length, 1);
});

test('summaries trap: a method name shared with a method that reads no env, or a platform method name, resolves nothing by name', () => {
  const shared = packageReads({
    'a.js': 'class Env { param(n) { return process.env[n] } }\nclass Opts { param(n) { return this.o[n] } }\nexports.Env = Env; exports.Opts = Opts;',
    'b.js': "require('./a');\nfunction f(x) { return x.param('SOME_NAME') }\nexports.f = f;",
  });
  assert.deepEqual(shared.linked, []);
  const platform = packageReads({
    'a.js': 'class Config { get(n) { return process.env[n] } }\nexports.Config = Config;',
    'b.js': "require('./a');\nfunction f(cache) { return cache.get('CACHE_KEY') }\nexports.f = f;",
  });
  assert.deepEqual(platform.linked, []);
  // the same call with a name only the env-reading class defines does resolve
  const unique = packageReads({
    'a.js': 'class Config { read(n) { return process.env[n] } }\nexports.Config = Config;',
    'b.js': "require('./a');\nfunction f(c) { return c.read('CONFIG_NAME') }\nexports.f = f;",
  });
  assert.deepEqual(unique.linked, ['CONFIG_NAME']);
});
