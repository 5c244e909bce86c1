// Obfuscator output recognised by its shape, not by one tool's naming habits (obfuscator.io's `_0x`
// names are obfuscation.ts's): JS-Confuser and its kind leave measurable traits —
// - random identifiers: declared names like `Vm7uNjv`, `wTIl3He`, `kNzyTLL` (short camel segments,
//   digits inside, no words) where a minifier writes `e`, `t`, `Ae` and a person writes words;
// - literal-array indirection: one array of literals (or a decoder function) read by an index
//   written in hex over and over (`kNzyTLL[0x11]`, `s(0x1c4)`: no minifier prints hex), the
//   "duplicate literals removal" and string arrays that hide every constant;
// - control-flow flattening: a `while (…) switch (state)` / `for (;;) switch` dispatcher;
// - concealed strings: a decoder alphabet (a shuffled run of 70+ distinct characters) and a long
//   blob of 70+ distinct printable characters that no base64 or hex can be (two traits).
// One trait alone is ordinary (a lookup table, a tokenizer's state machine); two together are an
// obfuscator's output. Babel's regenerator (`switch (_context.prev = _context.next)`) and tslib's
// `__generator` are not flattening. A program packed into `Function("…")` is measured inside too.
// Pure function of the text; a cheap text gate keeps big bundles from being tokenized for nothing.
import { tokenizer, type Token as AcornToken } from 'acorn';
import { PROCESS_LIKE_NAMES } from './api.js';

/** acorn's token with its value (the typings leave it out). */
type Token = AcornToken & { value?: unknown };

export interface ShapeSignal {
  /** offset in the source where the first trait shows. */
  offset: number;
  /** the traits found, for the message: 'random identifiers (24 of 30)', … */
  traits: string[];
}

const MIN_NAMES = 8;
const RANDOM_SHARE = 0.4;
const MIN_INDEXED = 15;
const MAX_TOKENS = 400_000;
/** a string passed to Function/eval that is this long is a packed program: measured too. */
const PACKED = 500;

/** Globals every program names: not the program's own identifiers. */
const GLOBALS: ReadonlySet<string> = new Set([
  ...PROCESS_LIKE_NAMES, 'Function', 'Object', 'String', 'Array', 'Number', 'Boolean', 'Symbol', 'RegExp', 'JSON', 'Math', 'Promise',
  'Error', 'TypeError', 'Buffer', 'exports', 'console', 'undefined', 'Uint8Array', 'Reflect', 'Proxy', 'setTimeout', 'setInterval',
  'arguments', 'document', 'navigator', 'TextDecoder', 'TextEncoder',
]);

/** Does a name look generated (random letters and digits) rather than written or minified? */
export function randomLookingName(name: string): boolean {
  const core = name.replace(/^[_$]+|[_$]+$/g, '');
  if (core.length < 5 || /[_$]/.test(core)) return false;
  const segments = core.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g) ?? [];
  const letters = core.replace(/[^A-Za-z]/g, '');
  const vowels = letters.replace(/[^aeiouAEIOU]/g, '').length;
  let flips = 0;
  for (let k = 1; k < core.length; k++) if (charClass(core.charCodeAt(k)) !== charClass(core.charCodeAt(k - 1))) flips++;
  const traits = [
    segments.length >= 3 && core.length / segments.length < 2.5, // `Vm7uNjv`: V m7 u Njv
    /[A-Za-z]\d+[A-Za-z]/.test(core), // a digit inside letters
    letters.length >= 5 && vowels / letters.length < 0.2, // no words
    flips / (core.length - 1) >= 0.5, // case and digits alternate
  ];
  return traits.filter(Boolean).length >= 2;
}

function charClass(c: number): number {
  return c >= 0x61 && c <= 0x7a ? 0 : c >= 0x41 && c <= 0x5a ? 1 : 2;
}

/** Cheap text gate: only text showing one trait is tokenized. */
function worthTokenizing(code: string): boolean {
  if (code.length < 400) return false;
  if (/[\w$]\[0x[0-9a-fA-F]+\]/.test(code) || /(?:while\s*\([^()]*\)|for\s*\(\s*;\s*;\s*\))\s*\{?\s*switch\s*\(/.test(code)) return true;
  if (/\b(?:Function|eval)\s*\(\s*(?:"[^"]{0,40}"\s*,\s*)*["'`][^"'`]{500}/.test(code)) return true;
  let strings = 0;
  for (const m of code.matchAll(/"([^"\s\\]{70,})"|'([^'\s\\]{70,})'|`([^`\s\\$]{70,})`/g)) {
    if (++strings > 200) break;
    if (concealedText(m[1] ?? m[2] ?? m[3])) return true;
  }
  let seen = 0;
  let random = 0;
  for (const m of code.matchAll(/\b(?:var|let|const|function)\s+([A-Za-z_$][\w$]{4,})/g)) {
    if (++seen > 400) break;
    if (randomLookingName(m[1])) random++;
  }
  return random >= 3;
}

interface Tally {
  names: Set<string>;
  random: Set<string>;
  firstRandom: number;
  /** name → count of `name[<number>]`. */
  indexed: Map<string, { count: number; at: number }>;
  /** names assigned an array literal (`x = [`) or declared as functions (a decoder). */
  arrays: Set<string>;
  flattened: number;
  firstFlat: number;
  /** offsets of a shuffled decoder alphabet and of an encoded blob (-1: none). */
  alphabet: number;
  blob: number;
  packed: string[];
}

/** Obfuscator traits of a program (and of a program packed into a Function string), or null. */
export function obfuscatorShape(code: string, sourceType: 'module' | 'script', depth = 0): ShapeSignal | null {
  if (!worthTokenizing(code)) return null;
  const tokens = tokensOf(code, sourceType);
  if (!tokens) return null;
  const t = tally(tokens, code);
  const traits: { at: number; text: string }[] = [];
  if (t.names.size >= MIN_NAMES && t.random.size / t.names.size >= RANDOM_SHARE) {
    traits.push({ at: t.firstRandom, text: `random identifiers (${t.random.size} of ${t.names.size} names)` });
  }
  const hot = [...t.indexed].filter(([n, v]) => t.arrays.has(n) && v.count >= MIN_INDEXED).sort((a, b) => b[1].count - a[1].count)[0];
  const total = [...t.indexed.values()].reduce((n, v) => n + v.count, 0);
  if (hot) traits.push({ at: hot[1].at, text: `a literal table or decoder read by hex index ${hot[1].count} times` });
  else if (total >= MIN_INDEXED * 3) traits.push({ at: Math.min(...[...t.indexed.values()].map((v) => v.at)), text: `tables or decoders read by hex index ${total} times` });
  if (t.flattened > 0) traits.push({ at: t.firstFlat, text: `control-flow flattening (${t.flattened} while/switch dispatcher${t.flattened > 1 ? 's' : ''})` });
  if (t.alphabet >= 0) traits.push({ at: t.alphabet, text: 'a shuffled decoder alphabet' });
  if (t.blob >= 0) traits.push({ at: t.blob, text: 'an encoded string blob' });
  if (traits.length >= 2) return { offset: Math.min(...traits.map((x) => x.at)), traits: traits.map((x) => x.text) };
  if (depth > 0) return null;
  for (const inner of t.packed) {
    const s = obfuscatorShape(inner, 'script', depth + 1);
    if (s) return { offset: 0, traits: [...s.traits, 'packed into a Function string'] };
  }
  return null;
}

function tokensOf(code: string, sourceType: 'module' | 'script'): Token[] | null {
  const out: Token[] = [];
  try {
    for (const tok of tokenizer(code, { ecmaVersion: 'latest', sourceType, allowHashBang: true, allowReturnOutsideFunction: true })) {
      out.push(tok);
      if (out.length > MAX_TOKENS) break;
    }
    return out;
  } catch {
    return sourceType === 'module' ? tokensOf(code, 'script') : out.length ? out : null;
  }
}

function tally(tokens: Token[], code: string): Tally {
  const t: Tally = { names: new Set(), random: new Set(), firstRandom: -1, indexed: new Map(), arrays: new Set(), flattened: 0, firstFlat: -1, alphabet: -1, blob: -1, packed: [] };
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    const label = tok.type.label;
    if (label === 'name') nameToken(t, tokens, i, code);
    else if ((label === 'while' || label === 'for') && flattenedAt(tokens, i, code)) {
      t.flattened++;
      if (t.firstFlat < 0) t.firstFlat = tok.start;
    } else if (label === 'string' && typeof tok.value === 'string') {
      const kind = t.alphabet < 0 || t.blob < 0 ? concealedText(tok.value) : null;
      if (kind === 'alphabet' && t.alphabet < 0) t.alphabet = tok.start;
      if (kind === 'blob' && t.blob < 0) t.blob = tok.start;
      if (tok.value.length >= PACKED && t.packed.length < 3 && packedArgument(tokens, i)) t.packed.push(tok.value);
    }
  }
  return t;
}

function nameToken(t: Tally, tokens: Token[], i: number, code: string): void {
  const tok = tokens[i];
  const name = String(tok.value);
  const prev = tokens[i - 1]?.type.label;
  if (prev === '.' || prev === '?.') return;
  // an index written in hex (`k[0x11]`, or a decoder's `s(0x1c4)`): minifiers print small numbers in decimal
  const open = tokens[i + 1]?.type.label;
  const idx = tokens[i + 2];
  const closed = open === '[' ? tokens[i + 3]?.type.label === ']' : open === '(' && /^[,)]$/.test(tokens[i + 3]?.type.label ?? '');
  if (closed && idx?.type.label === 'num' && /^0x/i.test(code.slice(idx.start, idx.end))) {
    const cur = t.indexed.get(name) ?? { count: 0, at: tok.start };
    cur.count++;
    t.indexed.set(name, cur);
  }
  if ((tokens[i + 1]?.type.label === '=' && tokens[i + 2]?.type.label === '[') || (prev === 'function' && open === '(')) t.arrays.add(name);
  if (name.length < 5 || GLOBALS.has(name) || t.names.size >= 5000) return;
  t.names.add(name);
  if (randomLookingName(name)) {
    t.random.add(name);
    if (t.firstRandom < 0) t.firstRandom = tok.start;
  }
}

/**
 * `while (…) { switch (d)` or `for (;;) switch (d)`: the loop's body is the switch itself, and the
 * discriminant is a variable or an indexed read — not a member being assigned (regenerator's
 * `switch (_context.prev = _context.next)`).
 */
function flattenedAt(tokens: Token[], i: number, code: string): boolean {
  if (tokens[i + 1]?.type.label !== '(') return false;
  const close = matching(tokens, i + 1);
  if (close < 0) return false;
  let j = close + 1;
  if (tokens[j]?.type.label === '{') j++;
  if (tokens[j]?.type.label !== 'switch' || tokens[j + 1]?.type.label !== '(') return false;
  const end = matching(tokens, j + 1);
  if (end < 0) return false;
  const disc = code.slice(tokens[j + 1].end, tokens[end].start);
  return !/[.=]/.test(disc) && disc.trim().length > 0;
}

/** Index of the token closing the bracket opened at `open`, or -1. */
function matching(tokens: Token[], open: number): number {
  let d = 0;
  for (let k = open; k < tokens.length && k < open + 400; k++) {
    const l = tokens[k].type.label;
    if (l === '(' || l === '[' || l === '{' || l === '${') d++;
    else if (l === ')' || l === ']' || l === '}') d--;
    if (d === 0) return k;
  }
  return -1;
}

/**
 * A decoder alphabet or an encoded blob: 70+ distinct characters in a shuffled order (more than
 * any base64 alphabet, nanoid's shuffled one included, can hold), or 200+ characters without
 * whitespace holding that many distinct characters, a sixth of them symbols.
 */
export function concealedText(s: string): 'alphabet' | 'blob' | null {
  if (s.length < 70 || /\s/.test(s)) return null;
  const distinct = new Set(s).size;
  if (distinct < 70) return null;
  if (s.length < 200) {
    if (distinct < s.length * 0.9) return null;
    let runs = 0;
    for (let k = 1; k < s.length; k++) if (s.charCodeAt(k) === s.charCodeAt(k - 1) + 1) runs++;
    return runs / s.length < 0.2 ? 'alphabet' : null;
  }
  if (/[^\x21-\x7e]/.test(s)) return null;
  const symbols = s.replace(/[A-Za-z0-9]/g, '').length;
  return symbols / s.length > 0.15 ? 'blob' : null;
}

/** Is the string token at i an argument of `Function(…)`, `new Function(…)` or `eval(…)`? */
function packedArgument(tokens: Token[], i: number): boolean {
  for (let k = i - 1; k >= 0 && k >= i - 8; k--) {
    const l = tokens[k].type.label;
    if (l === '(') {
      const callee = tokens[k - 1];
      return callee?.type.label === 'name' && (callee.value === 'Function' || callee.value === 'eval');
    }
    if (l !== ',' && l !== 'string') return false;
  }
  return false;
}
