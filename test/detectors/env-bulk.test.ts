import { ruleTester } from './rule-tester.js';

ruleTester('env-bulk', {
  valid: [
    { name: 'env as a child-process option', code: "require('child_process').spawn('ls', [], { env: process.env })" },
    { name: 'spread into an env option', code: "const cp = require('child_process'); cp.execSync('x', { env: { ...process.env, FORCE_COLOR: '1' } })" },
    { name: 'env option of any spawner', code: "execa('x', [], { env: { ...process.env } })" },
    { name: 'a plain alias', code: 'const e = process.env; e.X' },
    { name: 'Object.keys of own object', code: 'Object.keys(config); JSON.stringify(options)' },
    { name: 'a local env', code: 'const env = {}; Object.keys(env)' },
  ],
  invalid: [
    { code: 'JSON.stringify(process.env)', details: ['whole environment: JSON.stringify'] },
    { code: 'Object.keys(process.env).filter(k => /TOKEN/.test(k))', details: ['whole environment: Object.keys'] },
    { code: 'Object.entries(process.env); Object.values(process.env)', details: ['whole environment: Object.entries', 'whole environment: Object.values'] },
    { code: 'const copy = Object.assign({}, process.env)', details: ['whole environment: Object.assign'] },
    { code: 'const copy = { ...process.env }', details: ['whole environment: spread'] },
    { code: 'for (const k in process.env) {}', details: ['whole environment: for…in'] },
    { code: 'send(process.env)', details: ['whole environment: passed to send()'] },
    { code: "const p = require('process'); const e = p.env; upload(e)", details: ['whole environment: passed to upload()'] },
    { code: 'const { A, ...rest } = process.env', details: ['whole environment: rest destructuring'] },
    { code: 'const payload = { data: process.env }', details: ['whole environment: stored in an object as data'] },
    { code: "Reflect.get(process, 'env') && JSON.stringify(Reflect.get(process, 'env'))", details: ['whole environment: JSON.stringify'] },
    { code: "import { env } from 'node:process'; console.log(JSON.stringify(env))", details: ['whole environment: JSON.stringify'], sourceType: 'module' },
  ],
});
