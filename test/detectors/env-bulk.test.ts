import { ruleTester } from './rule-tester.js';

ruleTester('env-bulk', {
  valid: [
    { name: 'env as a child-process option', code: "require('child_process').spawn('ls', [], { env: process.env })" },
    { name: 'spread into an env option', code: "const cp = require('child_process'); cp.execSync('x', { env: { ...process.env, FORCE_COLOR: '1' } })" },
    { name: 'env option of any spawner', code: "execa('x', [], { env: { ...process.env } })" },
    { name: 'a plain alias', code: 'const e = process.env; e.X' },
    { name: 'an env option with a fallback', code: "spawn(cmd, args, { env: opts.env || { ...gitEnv, ...process.env } })" },
    { name: 'a copy built for a child through a helper', code: "const spawnEnv = setPATH(dir, bins, { ...process.env, ...env })" },
    { name: 'env option object in a variable', code: "const spawnOpts = { env: process.env, stdio: 'inherit' }; spawn(cmd, spawnOpts)" },
    { name: 'an env-named copy for a child', code: "const env = { ...process.env, ...extra }; spawn(cmd, args, { env })" },
    { name: 'Object.keys of own object', code: 'Object.keys(config); JSON.stringify(options)' },
    { name: 'a local env', code: 'const env = {}; Object.keys(env)' },
    { name: 'prefix-filtered keys', code: "Object.keys(process.env).filter(k => k.startsWith('REACT_APP_'))" },
  ],
  invalid: [
    { code: 'JSON.stringify(process.env)', details: ['JSON.stringify(process.env)'] },
    { code: 'Object.keys(process.env).filter(k => /TOKEN/.test(k))', details: ['Object.keys(process.env)'] },
    { code: 'Object.keys(process.env).filter(k => /^(AWS|NPM)_|TOKEN/.test(k))', details: ['Object.keys(process.env)'], name: 'an alternation is not a prefix' },
    { code: 'Object.entries(process.env); Object.values(process.env)', details: ['Object.entries(process.env)', 'Object.values(process.env)'] },
    { code: 'const copy = Object.assign({}, process.env)', details: ['Object.assign(process.env)'] },
    { code: 'const copy = { ...process.env }', details: ['{ ...process.env }'] },
    { code: 'for (const k in process.env) {}', details: ['for…in over process.env'] },
    { code: 'send(process.env)', details: ['passed to send()'] },
    { code: 'function up(e) { return fetch(u, { body: JSON.stringify(e) }) } up(process.env)', details: ['passed to up()'], name: 'a local function that serialises its parameter' },
    { code: "const p = require('process'); const e = p.env; upload(e)", details: ['passed to upload()'] },
    { code: 'const { A, ...rest } = process.env', details: ['rest destructuring'] },
    { code: 'const payload = { data: process.env }', details: ['stored in an object as data'] },
    { code: 'const result = { env: process.env, npmrc }; upload(result)', details: ['stored in an object as env'], name: 'an env key in a result object is a copy' },
    { code: "Reflect.get(process, 'env') && JSON.stringify(Reflect.get(process, 'env'))", details: ['JSON.stringify(process.env)'] },
    { code: "import { env } from 'node:process'; console.log(JSON.stringify(env))", details: ['JSON.stringify(process.env)'], sourceType: 'module' },
  ],
});
