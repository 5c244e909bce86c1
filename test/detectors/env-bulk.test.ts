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
    { name: 'Object.assign copy as an env option', code: "spawn(cmd, args, { stdio: 'inherit', env: Object.assign({}, process.env, extra, { FORCE_COLOR: '1' }) })" },
    { name: 'an Object.assign env copy only handed to a child', code: "const env = Object.assign({}, { LANG: 'C' }, process.env); env.NODE_OPTIONS = ''; execFile(bin, ['-v'], { env })" },
    { name: 'a helper that builds and returns an env copy', code: "function computeEnv(extra) { const env = { ...process.env, ...extra }; env.PATH = bin + env.PATH; return env; }" },
    { name: "node-gyp's forEach prefix guard", code: "const prefix = 'npm_config_'; Object.keys(process.env).forEach(function (name) { if (name.indexOf(prefix) !== 0) return; out[name.substring(11)] = process.env[name]; })" },
    { name: 'a prefix kept with indexOf(P) === 0', code: "Object.keys(process.env).filter((k) => k.indexOf('VITE_') === 0)" },
    { name: 'a negated startsWith guard', code: "Object.keys(process.env).forEach((k) => { if (!k.startsWith('GYP_')) { return; } use(k); })" },
    {
      name: "cross-spawn's case-insensitive PATHEXT lookup in a helper (Object.keys(env).find(k => k.toUpperCase() === 'PATHEXT'))",
      code: "function getPathExt(env) { const key = Object.keys(env).find((name) => name.toUpperCase() === 'PATHEXT'); return key ? env[key] : undefined; }\nconst env = parsed.options.env || process.env;\nwhich.sync(cmd, { path: env.PATH, pathExt: getPathExt(env) });",
    },
    {
      name: "tinyexec's getPathFromEnv: a for…in that skips every key but PATH",
      code: "const isPathLikePattern = /^path$/i;\nfunction getPathFromEnv(env) { for (const key in env) { if (!Object.prototype.hasOwnProperty.call(env, key) || !isPathLikePattern.test(key)) continue; const value = env[key]; return { key, value }; } return null; }\ngetPathFromEnv(options.env ?? process.env);",
    },
    {
      name: 'a helper-built env copy handed to a PATH helper, returned into the env option (tinyexec/vite computeEnv)',
      code: "const re = /^path$/i;\nfunction pathOf(env) { for (const key in env) { if (!re.test(key)) continue; return env[key]; } }\nfunction computeEnv(cwd, env, inheritEnv = true) { const envWithDefault = { ...inheritEnv ? process.env : {}, ...env }; const p = pathOf(envWithDefault); envWithDefault.PATH = cwd + p; return envWithDefault; }\nnodeOptions.env = computeEnv(cwd, nodeOptions.env); spawn(cmd, args, nodeOptions);",
    },
    {
      name: "dotenv's populate (writes into the env) and a which() handing it on to a case-insensitive get()",
      code: "function D(e, r) { let t = Object.keys(e).reverse().find((o) => o.toUpperCase() === r); return t === void 0 ? void 0 : e[t]; }\nfunction Y(e, r) { return (D(r, 'PATHEXT') || '.EXE').split(';').concat(D(r, 'PATH')); }\nfunction populate(processEnv, parsed) { for (const key of Object.keys(parsed)) { if (processEnv[key]) continue; processEnv[key] = parsed[key]; } }\nY(cmd, process.env); populate(process.env, parsed);",
    },
    {
      name: "@smithy's fromEnv: the environment handed to the selector its callers supply, each one a lookup",
      code: "const fromEnv = (envVarSelector, options) => async () => { const config = envVarSelector(process.env, options); if (config === undefined) throw new Error(); return config; };\nconst loadConfig = ({ environmentVariableSelector }, configuration = {}) => chain(fromEnv(environmentVariableSelector, configuration));\nfromEnv((env) => env.AWS_PROFILE);\nmodule.exports = { fromEnv, loadConfig };",
    },
    {
      name: "path-key: Object.keys(process.env).reverse().find(k => k.toUpperCase() === 'PATH') looks one name up",
      code: "const key = Object.keys(process.env).reverse().find((key) => key.toUpperCase() === 'PATH') || 'Path';",
    },
    {
      name: "vite's loadEnv: a for…in keeping keys that start with the configured prefixes",
      code: "for (const key in process.env) if (prefixes.some((prefix) => key.startsWith(prefix))) env[key] = process.env[key];",
    },
    {
      name: 'a for…of over Object.keys(process.env) that skips every key without the prefix',
      code: "for (const key of Object.keys(process.env)) { if (!key.startsWith('NEXT_PUBLIC_')) continue; defs[key] = JSON.stringify(process.env[key]); }",
    },
    {
      name: "std-env's stand-in process object (globalThis.process || { env: E })",
      code: "const E = globalThis.process?.env || Object.create(null);\nconst I = globalThis.process || { env: E };",
    },
    {
      name: "dotenv-expand's expandValue: a merged copy in the helper used only for lookups",
      code: "function expandValue(value, processEnv, runningParsed) { const env = { ...runningParsed, ...processEnv }; const key = value.slice(2); return env[key] || ''; }\nexpandValue(v, process.env, parsed);",
    },
    {
      name: "webpack's DotenvPlugin: a key list of parsed and process.env keys looped over with a prefix guard",
      code: "function getEnv(parsed, prefixes) { const env = Object.create(null); const keys = [...Object.keys(parsed), ...Object.keys(process.env)]; for (const key of keys) { if (prefixes.some((prefix) => key.startsWith(prefix))) { env[key] = Object.prototype.hasOwnProperty.call(process.env, key) ? process.env[key] : parsed[key]; } } return env; }",
    },
    {
      name: "nodemon: a merged env copy merged again straight into the spawn options' env",
      code: "const env = merge(process.env, { FILENAME: file }); const spawnOptions = { env: merge(config.execOptions.env, env), stdio: 'inherit' }; spawn(cmd, [], spawnOptions);",
    },
    {
      name: "std-env's env Proxy: the ownKeys trap lists the names, values go through its get trap",
      code: "const r = Object.create(null);\nconst o = new Proxy(r, { get(e, s) { return process.env[s] ?? r[s]; }, ownKeys() { const e = process.env; return Object.keys(e); } });",
    },
    {
      name: "dotenv bundled: DotenvModule.populate(process.env, parsed), a method of an object literal that writes into it",
      code: "function populate(processEnv, parsed) { for (const key of Object.keys(parsed)) { if (Object.prototype.hasOwnProperty.call(processEnv, key)) continue; processEnv[key] = parsed[key]; } }\nvar DotenvModule = { populate };\nDotenvModule.populate(process.env, parsed);",
    },
    {
      name: "dotenv's populate checks its target (null, typeof) before writing into it",
      code: "function de(e, r, t = {}) { if (e === null || typeof e != 'object' || r === null) throw new Error('OBJECT_REQUIRED'); for (let i of Object.keys(r)) if (!Object.prototype.hasOwnProperty.call(e, i)) e[i] = r[i]; }\nvar A = { populate: de };\nA.populate(process.env, parsed);",
    },
    {
      name: "dotenv's optionsFromEnv(e = process.env): a parameter with a default, read by computed DOTENV_* names",
      code: "function Z(e = process.env) { let r = {}; for (let t of ['PATH', 'QUIET']) { let o = e[`DOTENV_${t}`] != null ? e[`DOTENV_${t}`] : e[`DOTENV_CONFIG_${t}`]; if (o != null) r[t.toLowerCase()] = o; } return r; }\nZ(process.env);",
    },
  ],
  invalid: [
    {
      name: 'a method of an object literal that serialises the env is a bulk read',
      code: "var M = { dump: (e) => JSON.stringify(e) };\nM.dump(process.env);",
      details: ['passed to M.dump()'],
    },
    {
      name: 'Object.keys(process.env) returned by an ordinary method is a bulk read',
      code: "const api = { names() { return Object.keys(process.env); } };",
      details: ['Object.keys(process.env)'],
    },
    {
      name: 'a key list that is also returned is a bulk read',
      code: "function names() { const keys = Object.keys(process.env); for (const k of keys) if (k.startsWith('A_')) use(k); return keys; }",
      details: ['Object.keys(process.env)'],
    },
    {
      name: 'a helper that copies the env and returns the copy',
      code: "function leak(processEnv) { const env = { ...processEnv }; return env; }\nsend(leak(process.env));",
      details: ['passed to leak()'],
    },
    {
      name: 'a for…in whose condition keeps every set variable',
      code: "for (const k in process.env) if (process.env[k]) out[k] = process.env[k];",
      details: ['for…in over process.env'],
    },
    {
      name: 'the env stored in an object that stands in for something other than process',
      code: "const ctx = options.context || { env: process.env };",
      details: ['stored in an object as env'],
    },
    {
      name: 'a find over every key by its value is a bulk read',
      code: "const big = Object.keys(process.env).find((key) => process.env[key].length > 100);",
      details: ['Object.keys(process.env)'],
    },
    {
      name: 'the environment handed to a callback whose caller in this file serialises it',
      code: "function go(cb) { cb(process.env); }\ngo(function (e) { post(JSON.stringify(e)); });",
      details: ['passed to cb()'],
    },
    {
      name: 'the environment handed to a callback, a local function that sends it',
      code: "const run = (sel) => sel(process.env);\nfunction sendAll(e) { post(JSON.stringify(e)); }\nrun(sendAll);",
      details: ['passed to sel()'],
    },
    {
      name: 'the environment handed to a callback of an anonymous export (no caller to check)',
      code: "module.exports = function (cb) { return cb(process.env); };",
      details: ['passed to cb()'],
    },
    {
      name: 'a helper whose key filter keeps any name is a bulk read',
      code: "function all(env) { for (const key in env) { if (!env[key]) continue; out[key] = env[key]; } }\nall(process.env);",
      details: ['passed to all()'],
    },
    {
      name: 'a helper that lists every key and hands the values on is a bulk read',
      code: "function dump(env) { return Object.keys(env).map((k) => k + '=' + env[k]).join('\\n'); }\nsend(dump(process.env));",
      details: ['passed to dump()'],
    },
    {
      name: 'a helper handing the env on to one that serialises it',
      code: "function ser(e) { return JSON.stringify(e); }\nfunction pick(env) { return ser(env); }\npick(process.env);",
      details: ['passed to pick()'],
    },
    { code: 'JSON.stringify(process.env)', details: ['JSON.stringify(process.env)'] },
    { code: 'Object.keys(process.env).filter(k => /TOKEN/.test(k))', details: ['Object.keys(process.env)'] },
    { code: 'Object.keys(process.env).filter(k => /^(AWS|NPM)_|TOKEN/.test(k))', details: ['Object.keys(process.env)'], name: 'an alternation is not a prefix' },
    { code: 'Object.entries(process.env); Object.values(process.env)', details: ['Object.entries(process.env)', 'Object.values(process.env)'] },
    { code: 'const copy = Object.assign({}, process.env)', details: ['Object.assign(process.env)'] },
    { code: "const env = Object.assign({}, process.env); req.end(JSON.stringify(env))", details: ['Object.assign(process.env)'], name: 'an env-named Object.assign copy that is serialised is a bulk copy' },
    { code: "const env = { ...process.env }; upload(env)", details: ['{ ...process.env }'], name: 'an env-named spread copy handed to another call is a bulk copy' },
    { code: "Object.keys(process.env).forEach((k) => { if (k.indexOf('X') !== 0) log(k); send(process.env[k]); })", details: ['Object.keys(process.env)'], name: 'a guard that does not skip is not a prefix filter' },
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
