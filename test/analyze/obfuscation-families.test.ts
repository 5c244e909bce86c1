// Obfuscator families measured in the text: the classic encoders and Trojan Source.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encoderFamily, trojanSource } from '../../src/analyze/obfuscation-families.js';

describe('encoderFamily', () => {
  test('JSFuck, jjencode, aaencode are named', () => {
    // `alert(1)`-sized JSFuck fragments repeated: the alphabet is what counts
    const jsfuck = '[][(![]+[])[+[]]+(![]+[])[!+[]+!+[]]+(![]+[])[+!+[]]+(!![]+[])[+[]]]'.repeat(4);
    assert.equal(encoderFamily(jsfuck)?.family, 'JSFuck');
    assert.equal(encoderFamily('$=~[];$={___:++$,$$$$:(![]+"")[$],__$:++$};$.$_=($.$_=$+"")[$.$_$]')?.family, 'jjencode');
    assert.equal(encoderFamily('ﾟωﾟﾉ= /｀ｍ´）ﾉ ~┻━┻   //*´∇｀*/ [\'_\']; o=(ﾟｰﾟ)  =_=3;')?.family, 'aaencode');
  });
  test('minified code, array literals and short bang chains are not', () => {
    assert.equal(encoderFamily('!function(e){var t=[];return!!e&&!![]}(window);x=[[],[],[]];y=!(a+b)'), null);
    assert.equal(encoderFamily('var a=[[1,2],[3,4]];'.repeat(50)), null);
  });
});

describe('trojanSource', () => {
  test('an override left open in a comment or string; invisible characters in a name', () => {
    const commentOut = 'var isAdmin = false;\n/*\u202E } \u2066if (isAdmin)\u2069 \u2066 begin admins only */\nconsole.log(1);';
    assert.deepEqual(trojanSource(commentOut, 'script').map((s) => s.detail), ['a bidirectional override left open in a comment']);
    const stretched = 'if (level != "user\u202E \u2066// Check if admin\u2069 \u2066") { run(); }';
    assert.equal(trojanSource(stretched, 'script').length, 1);
    const invisible = 'const { timeout, \u3164 } = req.query; exec(\u3164);';
    assert.deepEqual(trojanSource(invisible, 'module').map((s) => s.detail), ['an identifier holds an invisible character', 'an identifier holds an invisible character']);
  });
  test('balanced bidi text in strings, RLM marks and emoji joiners are honest', () => {
    assert.deepEqual(trojanSource('const he = "\u202Bשלום\u202C"; const f = "\u2067x\u2069"; const m = "a\u200Fb"; const e = "👩\u200D💻";', 'module'), []);
    assert.deepEqual(trojanSource('const plain = 1;', 'module'), []);
  });
});
