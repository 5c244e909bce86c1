import { ruleTester } from './rule-tester.js';

ruleTester('env-write', {
  valid: ['process.env.X', 'const e = { ...x }; e.X = 1', 'env.X = 1'],
  invalid: [
    { code: "process.env.NODE_ENV = 'production'", details: ['NODE_ENV'] },
    { code: 'delete process.env.SECRET', details: ['SECRET'] },
    { code: 'process.env[key] = value', details: ['[dynamic]'] },
    { code: "process.env.PATH += ':/x'", details: ['PATH'] },
    { code: 'Object.assign(process.env, parsed)', details: ['[dynamic]'] },
    { code: "const e = process.env; e['A'] ??= 'b'", details: ['A'] },
  ],
});
