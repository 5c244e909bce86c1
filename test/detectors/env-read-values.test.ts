// env-read through values (issue 13): env objects stored and returned, classes and their
// instances, proxies over the env, loop variables over constant collections, exported constants.
// Each shape has its traps: a local `env` object that is not process.env, a getEnv that reads a Map.
import { ruleTester } from './rule-tester.js';

ruleTester('env-read', {
  valid: [
    { name: 'a local env object that is not process.env', code: "const env = { HOME: '/x' }; for (const k of ['A_KEY', 'B_KEY']) env[k];" },
    { name: 'a class whose getEnv reads a Map', code: "class C { constructor() { this.m = new Map() } getEnv(k) { return this.m.get(k) } } const c = new C(); c.getEnv('NOT_ENV'); c.getEnv().NOR_THIS;" },
    { name: 'this.env of a class is its own object', code: "class D { constructor() { this.env = { X: 1 } } run() { return this.env.NOT_ENV } }" },
    { name: 'a proxy over a plain object', code: "const o = new Proxy({}, { get(t, k) { return t[k] } }); o.NOT_ENV;" },
    { name: 'a loop over a collection that is not constant', code: 'for (const k of getKeys()) process.env[k];' },
    { name: 'a fallback object literal is not the env', code: "const e = cond ? {} : {}; e.NOT_ENV;" },
    { name: 'an exported placeholder chain stores nothing', code: "exports.a = exports.env = void 0; exports.env.NOT_ENV;" },
  ],
  invalid: [
    { name: 'exports.env = process.env behind a TypeScript placeholder chain', code: 'exports.a = exports.env = exports.b = void 0;\nexports.env = process.env;\nexports.env.TS_NODE_X;', details: ['TS_NODE_X'] },
    { name: 'an exported constant object names the key', code: "exports.env = exports.x = void 0;\nexports.env = { flag: 'GOOGLE_SDK_NODE_LOGGING' };\nprocess.env[exports.env.flag];", details: ['GOOGLE_SDK_NODE_LOGGING'] },
    { name: 'a const object member as key', code: "const K = { token: 'MY_TOKEN' }; process.env[K.token];", details: ['MY_TOKEN'] },
    { name: 'a method of a class instance', code: "class Env { initParam(n, d) { return this.arg(n) || process.env[n] || d } arg() {} }\nfunction load() { const env = new Env(); env.initParam('NODE_CONFIG_DIR'); }", details: ['NODE_CONFIG_DIR'] },
    { name: 'a method reached through this and a constructor-injected instance', code: "class Env { get2(n) { return process.env[n] } }\nclass Load { constructor(env = new Env()) { this.env = env } get(n) { return this.env.get2(n) } static make() { return new Load() } }\nconst l = new Load(); l.get('INJECTED');", details: ['INJECTED'] },
    { name: 'a function that returns process.env from a try block', code: 'function getProcessEnv() { try { return process.env } catch (e) { return {} } }\nconst c = getProcessEnv(); c.FROM_TRY;', details: ['FROM_TRY'] },
    { name: 'a method that returns process.env', code: 'class P { getEnv() { return process.env } }\nconst env = new P().getEnv(); env?.CLAUDECODE;', details: ['CLAUDECODE'] },
    { name: 'process.env stored on this in a constructor', code: 'class Q { constructor() { this.env = process.env } run() { return this.env.THIS_ENV } }', details: ['THIS_ENV'] },
    { name: 'process.env as a class field', code: 'class F { env = process.env; run() { return this.env.FIELD_ENV } }', details: ['FIELD_ENV'] },
    { name: 'a proxy whose get answers from the env (consola)', code: 'const r = Object.create(null), i = () => globalThis.process?.env || r;\nconst o = new Proxy(r, { get(e, s) { return i()[s] ?? r[s] } });\nconst d = o.DEBUG;', details: ['DEBUG'] },
    { name: 'destructured for…of over an array of arrays (std-env agents)', code: "const E = process.env; const n = [['claude', ['CLAUDECODE', 'CLAUDE_CODE']], ['codex', ['CODEX_SANDBOX']]];\nfor (const [name, list] of n) for (const k of list) if (E[k]) break;", details: ['CLAUDECODE', 'CLAUDE_CODE', 'CODEX_SANDBOX'] },
    { name: 'a key chosen from each element (std-env providers)', code: "const A = [['APPVEYOR'], ['AWS_AMPLIFY', 'AWS_APP_ID', { ci: true }]];\nfor (const I of A) { const O = I[1] || I[0]; if (process.env[O]) break; }", details: ['APPVEYOR', 'AWS_APP_ID'] },
    { name: 'for…in over a constant object', code: "const M = { a: 'M_A', b: 'M_B' }; for (const k in M) process.env[M[k]];", details: ['M_A', 'M_B'] },
    { name: 'Object.keys of a constant object, forEach', code: 'const D = { HOME_DIR: 1, TMP_DIR: 2 }; Object.keys(D).forEach((k) => process.env[k]);', details: ['HOME_DIR', 'TMP_DIR'] },
    { name: 'a destructured callback parameter over constant objects', code: "const L = [{ env: 'OBJ_ENV' }, { env: 'OBJ_ENV2' }]; L.forEach(({ env }) => process.env[env]);", details: ['OBJ_ENV', 'OBJ_ENV2'] },
    { name: 'map over Object.entries of a constant map of option names', code: "const OPTS = { path: 'DOTENV_CONFIG_PATH', debug: 'DOTENV_CONFIG_DEBUG' };\nconst o = Object.entries(OPTS).map(([opt, name]) => [opt, process.env[name]]);", details: ['DOTENV_CONFIG_PATH', 'DOTENV_CONFIG_DEBUG'] },
    { name: 'analytics keys read in a for…of over a constant array', code: "const KEYS = ['CI_NAME', 'CI_JOB']; for (const k of KEYS) url.searchParams.set(k, process.env[k]);", details: ['CI_NAME', 'CI_JOB'] },
    {
      name: 'more names in one file than the per-rule cap',
      code: `const E = process.env;\nconst P = [${Array.from({ length: 70 }, (_, i) => `['P_${i}']`).join(', ')}];\nfor (const [k] of P) E[k];`,
      details: Array.from({ length: 70 }, (_, i) => `P_${i}`),
    },
  ],
});
