import { ruleTester } from './rule-tester.js';

ruleTester('env-read-dynamic', {
  valid: [
    "process.env.NODE_ENV; process.env['A']",
    "const K = 'X'; process.env[K]",
    "function get(n) { return process.env[n] } get('HELPER_RESOLVED')",
    'function f(env, k) { return env[k] }',
    'const store = {}; store[key];',
  ],
  invalid: [
    { code: 'process.env[name]', details: ['process.env[name]'] },
    { code: 'const e = process.env; for (const k of keys) e[k]', details: ['process.env[k]'] },
    { code: 'let K = "A"; K = other; process.env[K]', details: ['process.env[K]'] },
    { code: 'function get(n) { return process.env[n] } get(userInput)', details: ['process.env[n]'], name: 'helper with no constant call site' },
    { code: 'const { [key]: v } = process.env', details: ['process.env[key]'] },
    { code: 'key in process.env', details: ['process.env[key]'] },
  ],
});
