// eval: code built at run time is executed. A string only obtained by decoding counts as built at
// run time; a plainly written constant does not.
import { ruleTester } from './rule-tester.js';

ruleTester('eval', {
  valid: [
    `eval('1 + 1');`,
    `const add = new Function('a', 'b', 'return a + b');`,
    `const root = Function('return this')();`,
    {
      name: 'vm with a constant string',
      code: `const vm = require('vm');
vm.runInNewContext('x + 1', { x: 1 });
new vm.Script('globalThis.ready = true');`,
    },
    {
      name: 'setTimeout and setInterval with functions',
      code: `setTimeout(() => done(), 10);
setInterval(tick, 1000);
const h = setTimeout(function () { run(); }, 0);`,
    },
    {
      name: 'a _compile method of some other object',
      code: `class Tpl { _compile(src) { return src.trim(); } render(t) { return this._compile(t); } }`,
    },
    {
      name: 'a local function or a method called eval',
      code: `const parser = { eval(expr) { return expr; } };
parser.eval(input);
function run(Function) { return Function(userCode); }`,
    },
    {
      name: 'a string that is only text',
      code: `const msg = 'never call eval(x) or new Function(body)';`,
    },
    {
      name: 'a Worker from a file',
      code: `const { Worker } = require('worker_threads');
new Worker(__dirname + '/worker.js', { workerData: 1 });`,
    },
  ],
  invalid: [
    {
      name: 'payloads read from data files of the package (depe-tool): the file and its decodings are named',
      code: `const fs = require('fs'); const path = require('path'); const vm = require('vm');
const raw = fs.readFileSync(path.join(__dirname, '..', 'assets', 'payload.dat'), 'utf8');
eval(Buffer.from(raw.split('').reverse().join(''), 'base64').toString());
new Function(require('./conf.json').init)();
vm.runInThisContext(fs.readFileSync(__dirname + '/lib.txt', 'utf8'));`,
      details: [
        'eval runs the data file ../assets/payload.dat (decoded: reverse → base64)',
        'Function runs the data file conf.json (decoded: json:init)',
        'vm.runInThisContext runs the data file lib.txt (decoded: none)',
      ],
    },
    {
      name: 'a template compiled from a file (concatenated) and a path from the working folder are not data-file payloads',
      code: `const fs = require('fs'); const path = require('path');
const tpl = fs.readFileSync(path.join(__dirname, 't.html'), 'utf8');
new Function('d', 'return \`' + tpl + '\`');
eval(fs.readFileSync(path.join(process.cwd(), 'x.js'), 'utf8'));`,
      details: ['Function() of a non-constant string', 'eval of a non-constant string'],
    },
    { code: `eval(code);`, details: ['eval of a non-constant string'] },
    {
      name: 'indirect eval: (0, eval), global.eval, an assembled global key, eval.call',
      code: `(0, eval)(src);
global.eval(src);
window['ev' + 'al'](src);
eval.call(null, src);`,
      details: ['eval of a non-constant string', 'eval of a non-constant string', 'eval of a non-constant string', 'eval of a non-constant string'],
    },
    {
      name: 'new Function with a body built at run time',
      code: `const fn = new Function('data', 'with (data) { return ' + expr + ' }');`,
      details: ['Function() of a non-constant string'],
    },
    {
      name: 'Function through .call and .apply',
      code: `const f1 = Function.call(null, 'a', body);
const f2 = Function.apply(null, ['a', 'return a']);`,
      details: ['Function() of a non-constant string', 'Function() of a non-constant string'],
    },
    {
      name: 'the Function constructor through .constructor',
      code: `const F = [].constructor.constructor;
F(payload)();
(async function () {}).constructor(body);`,
      details: ['Function() of a non-constant string', 'Function() of a non-constant string'],
    },
    {
      name: 'AsyncFunction and this.constructor.constructor',
      code: `const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
const run = new AsyncFunction('ctx', body);
const f = this.constructor.constructor(code);`,
      details: ['Function() of a non-constant string', 'Function() of a non-constant string'],
    },
    {
      name: 'vm run methods, Script and compileFunction',
      code: `const vm = require('node:vm');
vm.runInNewContext(src, sandbox);
vm.runInThisContext(src);
new vm.Script(src).runInThisContext();
vm.compileFunction(body, ['a']);`,
      details: [
        'vm.runInNewContext of a non-constant string',
        'vm.runInThisContext of a non-constant string',
        'vm.Script of a non-constant string',
        'vm.compileFunction of a non-constant string',
      ],
    },
    {
      name: 'vm imported by name (ESM)',
      code: `import { runInThisContext } from 'node:vm';
runInThisContext(await (await fetch(url)).text());`,
      sourceType: 'module',
      details: ['vm.runInThisContext of a non-constant string'],
    },
    {
      name: 'eval of a base64 constant: decoded, so nobody can read it in the file',
      code: `eval(Buffer.from('Y29uc29sZS5sb2coImhpIik=', 'base64').toString());
eval(atob('Y29uc29sZS5sb2coImhpIik='));`,
      details: ['eval of a non-constant string', 'eval of a non-constant string'],
    },
    {
      name: 'vm of a hex constant held in a variable (vm-template-cache)',
      code: `const vm = require('vm');
const PAYLOAD = '636f6e736f6c652e6c6f67282268692229';
const src = Buffer.from(PAYLOAD, 'hex').toString('utf8');
vm.runInNewContext(src, { require });`,
      details: ['vm.runInNewContext of a non-constant string'],
    },
    {
      name: 'Function of char codes',
      code: `new Function(String.fromCharCode(114, 101, 116, 117, 114, 110, 32, 49))();`,
      details: ['Function() of a non-constant string'],
    },
    {
      name: 'a string handed to setTimeout',
      code: `setTimeout('run(' + JSON.stringify(arg) + ')', 10);
setInterval(\`tick(\${n})\`, 1000);`,
      details: ['setTimeout of a non-constant string', 'setInterval of a non-constant string'],
    },
    {
      name: 'module._compile',
      code: `const Module = require('module');
const m = new Module(filename);
m._compile(source, filename);
module._compile(other, filename);`,
      details: ['module._compile of a non-constant string', 'module._compile of a non-constant string'],
    },
    {
      name: 'a worker_threads Worker with eval: true',
      code: `const { Worker } = require('worker_threads');
new Worker(code, { eval: true });`,
      details: ['new Worker(…, { eval: true }) of a non-constant string'],
    },
  ],
});
