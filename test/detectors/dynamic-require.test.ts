// dynamic-require: require()/import() of a specifier that is not a constant, through any alias.
import { ruleTester } from './rule-tester.js';

ruleTester('dynamic-require', {
  valid: [
    `const fs = require('fs'); const a = require('./a' + '.js');`,
    {
      name: 'a constant held in a variable, a folded template',
      code: `const name = 'path';
const p = require(name);
const dir = 'lib';
const u = require(\`./\${dir}/util\`);`,
    },
    { code: `import('./chunk.js').then((m) => m.default);`, sourceType: 'module' },
    {
      name: 'require.resolve only resolves',
      code: `const where = require.resolve(name);`,
    },
    {
      name: 'a method called require on some object',
      code: `const loader = makeLoader(); loader.require(name); container.require(id);`,
    },
    {
      name: 'a local function called require',
      code: `function load(require, name) { return require(name); }`,
    },
  ],
  invalid: [
    { code: `const m = require(name);`, details: ['require(name)'] },
    {
      name: 'a plugin path from the environment',
      code: `if (process.env.PLUGIN) module.exports = require(process.env.PLUGIN);`,
      details: ['require(process.env.PLUGIN)'],
    },
    {
      name: 'concatenation and a template with a runtime part',
      code: `const a = require('./plugins/' + name);
const b = require(\`./locale/\${lang}\`);`,
      details: ["require('./plugins/' + name)", 'require(`./locale/${lang}`)'],
    },
    {
      name: 'a parameter with a constant default is still a parameter',
      code: `function load(name = 'default') { return require('./plugins/' + name); }`,
      details: ["require('./plugins/' + name)"],
    },
    {
      name: 'import() of a runtime specifier (ESM)',
      code: `const mod = await import(spec);
const loc = await import(\`../locale/\${lang}.js\`);`,
      sourceType: 'module',
      details: ['import(spec)', 'import(`../locale/${lang}.js`)'],
    },
    {
      name: 'aliases of require',
      code: `module.require(x);
process.mainModule.require(x);
require.main.require(x);
const r = require; r(x);
global.require(x);`,
      details: ['require(x)', 'require(x)', 'require(x)', 'require(x)', 'require(x)'],
    },
    {
      name: 'createRequire',
      code: `import { createRequire } from 'node:module';
const req = createRequire(import.meta.url);
const plugin = req(pluginName);`,
      sourceType: 'module',
      details: ['require(pluginName)'],
    },
    {
      name: 'require.call and require.apply',
      code: `require.call(null, x);
require.apply(null, [y]);`,
      details: ['require(x)', 'require(y)'],
    },
    {
      name: "webpack's escape hatch and Module._load",
      code: `const real = __non_webpack_require__(name);
const Module = require('module');
Module._load(request, parent);`,
      details: ['require(name)', 'Module._load(request)'],
    },
  ],
});
