// Obfuscator output by its shape (JS-Confuser and its kind): random names, hex-indexed literal
// tables, flattening, concealed strings — two traits together; minified code has at most one.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { concealedText, obfuscatorShape, randomLookingName } from '../../src/analyze/obfuscation-shape.js';
import { fixture } from '../helpers.js';

describe('randomLookingName', () => {
  test('generated names are random, written and minified names are not', () => {
    for (const n of ['Vm7uNjv', 'wTIl3He', 'kNzyTLL', 'iut8NTJ', 'N6Vug9w', 'qXmZbT']) assert.ok(randomLookingName(n), n);
    for (const n of ['getUserName', 'XMLHttpRequest', 'toString', 'utf8Encode', 'base64Decode', 'Ae', 'e', '__webpack_require__', 'isIE11', 'sha256Hash', 'x509Cert', 'innerHTML', 'parseJSON', 'rhythm']) assert.ok(!randomLookingName(n), n);
  });
});

describe('concealedText', () => {
  test("a shuffled base91 alphabet and a blob of symbols; not base64, nanoid's alphabet or prose", () => {
    assert.equal(concealedText('rl)N<D:.;BtomL8n#=pVPX51f7YMv{c$b,s+IO&kgCdJ/h"xEjUiHTK]*|wz3?_u26RF0~`^G!%A@4}a9qZeWS([>Qy'), 'alphabet');
    const blob = 'sj1vSiMz^`@f8Mo{5y1f*T$O8VAD{ZU*2x[.<B4GB2nfheKD8irfa]aPHcR)U6f|5Wq<G)(`=DGIPfuCm9gj@:gkm7T]w3RR8g)`T/c{mGpy|d=`%}%/PQ_E)Z0q!W`2ZqP9rDz6RD9Iu;cJEkr2D}*_@#PKZ"ef>/E?k!`}scb;0/v:v,CNk)!5DrG7E/kdoB?_n&Hq2';
    assert.equal(concealedText(blob), 'blob');
    assert.equal(concealedText('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'), null);
    assert.equal(concealedText('useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict'), null);
    assert.equal(concealedText(Buffer.from('x'.repeat(300)).toString('base64')), null);
    assert.equal(concealedText('The quick brown fox jumps over the lazy dog. '.repeat(5)), null);
  });
});

describe('obfuscatorShape', () => {
  test('JS-Confuser output (the attack fixture) shows four traits', () => {
    const code = fs.readFileSync(path.join(fixture('attack'), 'node_modules/pad-format-utils/index.js'), 'utf8');
    const s = obfuscatorShape(code, 'script');
    assert.ok(s);
    assert.deepEqual(s.traits.map((t) => t.replace(/\d+/g, 'N')), [
      'random identifiers (N of N names)', 'a literal table or decoder read by hex index N times', 'a shuffled decoder alphabet', 'an encoded string blob',
    ]);
  });
  test('a program packed into Function("…") is measured inside', () => {
    const inner = 'var Vm7uNjv,wTIl3He,ijNLznb,tEhdex0,kNzyTLL=[0x0,0x1,"length","push"];' + Array.from({ length: 20 }, (_, i) => `wTIl3He=kNzyTLL[0x${(i % 4).toString(16)}]+ijNLznb;`).join('') + 'function syTlxs(iut8NTJ){return tEhdex0+iut8NTJ}function N6Vug9w(FHKGbp){return FHKGbp}';
    const s = obfuscatorShape(`Function("a", ${JSON.stringify(inner)})();`, 'script');
    assert.ok(s);
    assert.equal(s.traits[s.traits.length - 1], 'packed into a Function string');
  });
  test('the minified lexer trap (for(;;) switch, a decimal-indexed table, nanoid alphabet) has one trait at most', () => {
    const code = fs.readFileSync(path.join(fixture('traps'), 'node_modules/tiny-lexer-min/dist/lexer.min.js'), 'utf8');
    assert.equal(obfuscatorShape(code, 'script'), null);
  });
  test("regenerator's switch (_context.prev = _context.next) and tslib's while (_) try are not flattening", () => {
    const regen = 'function a(){return r.wrap(function(e){for(;;)switch(e.prev=e.next){case 0:return e.next=2,f();case 2:case"end":return e.stop()}},n)}'.repeat(20);
    const tslib = 'function g(){while(_)try{switch(op[0]){case 0:case 1:t=op;break}}catch(e){}}'.repeat(20);
    assert.equal(obfuscatorShape(regen + tslib + 'var q=[' + '"a",'.repeat(30) + '"b"];' + 'x(q[0x1]);'.repeat(20), 'script'), null);
  });
});
