import { ruleTester } from './rule-tester.js';

ruleTester('env-read-dynamic', {
  valid: [
    "process.env.NODE_ENV; process.env['A']",
    "const K = 'X'; process.env[K]",
    "function get(n) { return process.env[n] } get('HELPER_RESOLVED')",
    { name: 'a helper called with each name of a constant array', code: "function read(n) { return process.env[n] } for (const name of ['CI_SHA', 'GIT_SHA']) read(name)" },
    'function f(env, k) { return env[k] }',
    'const store = {}; store[key];',
  ],
  invalid: [
    { code: 'process.env[name]', details: ['process.env[name]'] },
    { code: 'const e = process.env; for (const k of keys) e[k]', details: ['process.env[k]'] },
    { code: 'let K = "A"; K = other; process.env[K]', details: ['process.env[K]'] },
    { code: 'function get(n) { return process.env[n] } get(userInput)', details: ['process.env[n]'], name: 'helper with no constant call site' },
    { code: 'function get(n) { return process.env[n] } for (const k of Object.keys(cfg)) get(k)', details: ['process.env[n]'], name: 'helper called over a collection known only at run time' },
    { code: "function get(n) { return process.env[n] } for (let k of ['A', 'B']) { k = k + suffix; get(k) }", details: ['process.env[n]'], name: 'loop variable reassigned before the call' },
    { code: 'const { [key]: v } = process.env', details: ['process.env[key]'] },
    { code: 'key in process.env', details: ['process.env[key]'] },
  ],
});
