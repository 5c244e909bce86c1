// obfuscation: code written so that a reader (or a grep) cannot see what it does.
//
// - Hidden names: a member key, a `Reflect.get` key or a `require`/`import()` specifier that is
//   assembled (`'e' + 'nv'`, `['child_', 'process'].join('')`, an array indexed, `.reverse()`),
//   escaped (`'\x65\x6e\x76'`, `\u0070rocess`), char-coded (`String.fromCharCode(…)`) or decoded
//   (`Buffer.from('…', 'base64')`, `atob`) and that folds to a sensitive name (process, env,
//   child_process, require, exec, https, …). A plain literal (`globalThis['process']`, often written
//   to dodge bundlers) and a constant held in a variable (`const m = 'fs'; require(m)`) are not hidden.
// - `Reflect.get(process, 'env')`, `Function('return process')()`, the Function constructor reached
//   through `.constructor`, and the global object from `Function('return this')()` used to reach
//   `process`/`require` (the lodash-style `Function('return this')()` fallback alone is not).
// - Escaped identifiers (`\u0070rocess`) and string literals made mostly of unnecessary `\x`/`\u`
//   escapes.
// - String-array obfuscators: many `_0x1a2b` identifiers with a big string array, a rotation
//   (`a.push(a.shift())`) or a decoder called with hex indexes.
// - Char-code strings that spell something sensitive; several base64/hex literals decoded to text.
// - Decode-then-execute: eval / Function / vm / require / import() / module._compile / a child
//   process of something decoded (base64, hex, char codes, atob, zlib, a decipher, a reversed
//   string) or built from a long encoded literal; a long base64/hex literal that decodes to code.
//
// Minified code is not obfuscated code: short names, `!function(e){…}`, `void 0`, `"\x3c/script>"`
// escapes and data: URIs, fonts and images that are never executed stay quiet.
import { AMBIGUOUS_NAMES, SENSITIVE_NAMES, SENSITIVE_BUILTINS, ENV_TRIGGERS, HTTP_CLIENT_MODULES, NODE_BUILTINS, NODE_NETWORK_MODULES, SOCKET_CLIENT_MODULES, VM_RUNNERS, processCall } from '../api.js';
import type { FindingData } from '../../model.js';
import type { AstNode } from '../ast.js';
import type { Detector, FileContext } from '../context.js';
import type { Scope } from '../scope.js';
import { normalizeModule, type Val } from '../values.js';
import { memberKey, unwrap } from '../flow/calls.js';
import { TROJAN_SOURCE_CHARS, encoderFamily, trojanSource } from '../obfuscation-families.js';
import { obfuscatorShape } from '../obfuscation-shape.js';
import { dataUrlCode, isJsDataUrl } from '../embedded/data-url.js';
import { queueEmbedded } from '../embedded/queue.js';
import { dataFileRead } from '../flow/data-read.js';

const SENSITIVE_MODULES = new Set([...SENSITIVE_BUILTINS, ...NODE_NETWORK_MODULES, ...HTTP_CLIENT_MODULES, ...SOCKET_CLIENT_MODULES]);
/** Modules a `require` of a decoded constant may name without it being a payload (any builtin). */
const BUILTIN_MODULES = new Set([...NODE_BUILTINS, ...NODE_NETWORK_MODULES, ...HTTP_CLIENT_MODULES, ...SOCKET_CLIENT_MODULES]);
/** Words that make a decoded or char-coded string worth showing. */
const KEYWORDS = /child_process|process|\benv\b|require|eval|exec|spawn|https?:|\bnet\b|\bdns\b|curl|wget|powershell|cmd(?:\.exe)?\b|\/bin\/|\.npmrc|\.ssh|token|secret|password|Function|fetch|XMLHttpRequest|win32|darwin|linux|\.exe\b|\.dll\b|\.sh\b/i;
/** Names that make an assembled code string worth reporting. */
const CODE_NAMES = /\b(?:process|require|child_process|mainModule|global|globalThis|Function|eval|import|constructor)\b/;
const LONG_LITERAL = 200;

const HEX_ID = /^_0x[0-9a-f]{3,}$/i;

function isPlainChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/** How many letters/digits/underscores a string or identifier's source writes as `\x`/`\u` escapes (none needs one). */
function unnecessaryEscapes(raw: string): number {
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== '\\') continue;
    const nx = raw[i + 1];
    if (nx === 'x' && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 2, i + 4))) {
      if (isPlainChar(parseInt(raw.slice(i + 2, i + 4), 16))) n++;
      i += 3;
    } else if (nx === 'u' && raw[i + 2] === '{') {
      const close = raw.indexOf('}', i + 3);
      if (close > 0 && isPlainChar(parseInt(raw.slice(i + 3, close), 16))) n++;
      i = close > 0 ? close : i + 1;
    } else if (nx === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) {
      if (isPlainChar(parseInt(raw.slice(i + 2, i + 6), 16))) n++;
      i += 5;
    } else {
      i++;
    }
  }
  return n;
}

function short(s: string, max = 40): string {
  const one = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}

/** A long literal that is base64 or hex (not a data: URI: those are assets). */
function encodedLiteral(s: string): 'base64' | 'hex' | null {
  if (s.length < LONG_LITERAL || s.startsWith('data:')) return null;
  if (/^[0-9a-fA-F]+$/.test(s) && s.length % 2 === 0) return 'hex';
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) return 'base64';
  return null;
}

/** Decoded bytes as text, when they are mostly printable (not an image or a font). */
function printable(buf: Buffer): string | null {
  if (buf.length === 0) return null;
  const s = buf.toString('utf8');
  let bad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) bad++;
  }
  return bad / s.length < 0.05 ? s : null;
}

/** Decoded text that reads as code worth hiding (a source map's JSON is not). */
function looksLikeCode(text: string): boolean {
  return /child_process|process\.env|require\s*\(|eval\s*\(|new Function|execSync|spawn\s*\(|\/bin\/(?:ba)?sh|powershell|\bcurl\b|\bwget\b|\.npmrc|\.ssh\//.test(text) && !/^\s*\{\s*"version"\s*:\s*3/.test(text);
}

/** The code a long base64/hex string literal decodes to, when it decodes to code; else null. */
export function embeddedCodeOf(s: string): { code: string; encoding: 'base64' | 'hex' } | null {
  const enc = encodedLiteral(s);
  if (!enc) return null;
  const code = decodeLiteral(s, enc);
  return code && looksLikeCode(code) ? { code, encoding: enc } : null;
}

function decodeLiteral(s: string, enc: 'base64' | 'hex'): string | null {
  try {
    return printable(Buffer.from(s, enc));
  } catch {
    return null;
  }
}

const detector: Detector = {
  meta: {
    rules: ['obfuscation'],
    // every technique needs one of these words, an escape, or one of the modules below
    triggers: [
      ...ENV_TRIGGERS, 'fromCharCode', 'fromCodePoint', 'atob', '_compile', 'window',
      // Buffer.from(x, 'base64' | 'hex'): the encoding is always written as a string
      "'base64", '"base64', '`base64', "'hex'", '"hex"', '`hex`',
      // import('data:text/javascript,…')
      'data:text/javascript', 'data:application/javascript', 'data:text/ecmascript', 'data:application/x-javascript',
      // `require(` and `process` as they appear inside base64 (three alignments) and hex: a payload
      // literal alone in a file still gets parsed
      'cmVxdWlyZS', 'JlcXVpcmUo', 'yZXF1aXJlK', 'cHJvY2Vzc', 'Byb2Nlc3', 'wcm9jZXNz',
      '72657175697265', '70726f63657373', '70726F63657373',
      // the encoders' alphabets (JSFuck, jjencode, aaencode) and Trojan Source's control characters
      '(![]+[])', '=~[]', 'ﾟωﾟ', 'ﾟДﾟ', ...TROJAN_SOURCE_CHARS,
    ],
    modules: ['vm', 'module', 'child_process', 'zlib', ...NODE_NETWORK_MODULES, 'fs', 'os'],
  },
  create(ctx: FileContext) {
    const calls = ctx.calls;
    const code = ctx.code;
    const watchHex = code.includes('_0x');
    const hasEscapes = code.includes('\\x') || code.includes('\\u');
    const hexIds = new Set<string>();
    let firstHexId: AstNode | null = null;
    let bigArray: AstNode | null = null;
    let rotation = false;
    const hexIndexCalls = new Map<string, number>();
    let decodedTexts = 0;
    let firstDecoded: { node: AstNode; text: string } | null = null;
    const escaped: { node: AstNode; text: string }[] = [];
    /** escaped literals already reported as a hidden name or module. */
    const consumed = new Set<AstNode>();
    const charCoded = new Set<string>();
    const reportedLiterals = new Set<AstNode>();
    // findings are collected and emitted in source order at the end (some checks need the whole call graph)
    const out: { at: AstNode | number; messageId: string; data: FindingData; message: string }[] = [];
    const emit = (at: AstNode | number, messageId: string, data: FindingData, message: string): void => {
      if (out.length < 200) out.push({ at, messageId, data, message });
    };
    const deferred: { node: AstNode; scope: Scope; callee: Val }[] = [];

    const raw = (n: AstNode): string => code.slice(n.start, n.end);

    /** How a constant was hidden, or null when it is written plainly (a literal, or a binding of one). */
    const hiddenHow = (node: AstNode, scope: Scope, depth = 0): string | null => {
      if (depth > 6) return null;
      const n = unwrap(node);
      switch (n.type) {
        case 'Literal':
          if (typeof n.value === 'string' && unnecessaryEscapes(raw(n)) > 0) {
            consumed.add(n);
            return 'escaped';
          }
          return null;
        case 'TemplateLiteral':
          if (n.expressions.length === 0) return unnecessaryEscapes(raw(n)) > 0 ? 'escaped' : null;
          return 'assembled';
        case 'Identifier': {
          const b = scope.lookup(n.name);
          if (b && b.init && !b.path) return hiddenHow(b.init, b.initScope ?? b.scope, depth + 1);
          if (b && b.path) return 'assembled';
          return null;
        }
        case 'ConditionalExpression':
        case 'LogicalExpression': {
          // choosing between written names (`cjs ? 'require' : 'import'`) hides nothing; a hidden branch does
          const branches: AstNode[] = n.type === 'LogicalExpression' ? [n.left, n.right] : [n.consequent, n.alternate];
          for (const br of branches) {
            // a branch that is no constant string (a condition, a runtime value) names nothing
            if (ctx.constString(br, scope) === undefined) continue;
            const how = hiddenHow(br, scope, depth + 1);
            if (how) return how;
          }
          return null;
        }
        case 'CallExpression':
        case 'NewExpression': {
          const d = decoderOf(n, scope);
          if (d) return d === 'char codes' ? 'char-coded' : 'decoded';
          // Buffer.from(…, 'base64').toString(): the receiver did the decoding
          const c = unwrap(n.callee);
          if (c.type === 'MemberExpression' && /^(?:toString|trim|slice|substring|substr|toLowerCase|toUpperCase)$/.test(memberKey(ctx, c, scope) ?? '')) {
            const inner = hiddenHow(c.object, scope, depth + 1);
            if (inner === 'decoded' || inner === 'char-coded') return inner;
          }
          return 'assembled';
        }
        default:
          return 'assembled';
      }
    };

    /** The decoding a call performs, if it is one: base64, hex, char codes, … */
    const decoderOf = (call: AstNode, scope: Scope): string | null => {
      if (call.type !== 'CallExpression' && call.type !== 'NewExpression') return null;
      const callee = unwrap(call.callee);
      const cv = ctx.evaluate(callee, scope);
      const args: AstNode[] = call.arguments;
      if (cv.k === 'builtin') {
        if (cv.name === 'Buffer.from' && args[1]) {
          const enc = ctx.constString(args[1], scope);
          if (enc === 'base64' || enc === 'base64url' || enc === 'hex') return enc;
          if (args[0] && unwrap(args[0]).type === 'ArrayExpression') return 'byte array';
        }
        if (cv.name === 'Buffer.from' && args[0] && unwrap(args[0]).type === 'ArrayExpression' && unwrap(args[0]).elements.length >= 8) return 'byte array';
        if (cv.name === 'atob') return 'base64';
        if (cv.name === 'String.fromCharCode' || cv.name === 'String.fromCodePoint') return 'char codes';
        if (cv.name === 'decodeURIComponent' || cv.name === 'unescape' || cv.name === 'decodeURI') return 'percent-encoding';
      }
      if (cv.k === 'member') {
        const last = cv.path[cv.path.length - 1];
        if (cv.module === 'zlib' && /^(?:inflate|gunzip|unzip|brotliDecompress|inflateRaw)/.test(last)) return 'compressed data';
        if (cv.module === 'crypto' && /^createDecipher/.test(last)) return 'encrypted data';
      }
      if (callee.type === 'MemberExpression') {
        const m = memberKey(ctx, callee, scope);
        if (m === 'apply') {
          const f = ctx.evaluate(callee.object, scope);
          if (f.k === 'builtin' && f.name === 'String.fromCharCode') return 'char codes';
        }
        if (m === 'reverse') return 'reversed string';
      }
      return null;
    };

    /** Is a value constant data written in the package (literals, arrays of them, bindings of them)? */
    const shipped = (node: AstNode | undefined, scope: Scope, depth: number): boolean => {
      if (!node || depth > 8) return false;
      const n = unwrap(node.type === 'SpreadElement' ? node.argument : node);
      if (ctx.constString(n, scope) !== undefined) return true;
      switch (n.type) {
        case 'Literal':
          return true;
        case 'ArrayExpression':
          return n.elements.every((e: AstNode | null) => e !== null && shipped(e, scope, depth + 1));
        case 'UnaryExpression':
          return shipped(n.argument, scope, depth + 1);
        case 'Identifier': {
          const b = scope.lookup(n.name);
          if (b?.kind === 'param') {
            // a decoding helper: shipped when every caller hands it shipped data
            const sites = calls.argsFor(b);
            return sites.length > 0 && sites.length <= 20 && sites.every((site) => shipped(site.node, site.scope, depth + 1));
          }
          if (!b || b.kind === 'import' || !b.init || b.path) return false;
          return b.assigned.length === 0 && shipped(b.init, b.initScope ?? b.scope, depth + 1);
        }
        case 'CallExpression':
        case 'NewExpression': {
          // a data file of the package read with fs (`fs.readFileSync(path.join(__dirname, 'x.dat'))`) ships too
          if (decodedOrigin(n, scope, depth + 1) !== null || dataFileRead(ctx, n, scope) !== null) return true;
          // 'a,b'.split(',').reverse().join(''): methods of shipped data with shipped arguments
          const c = unwrap(n.callee);
          return c.type === 'MemberExpression' && shipped(c.object, scope, depth + 1) && n.arguments.every((a: AstNode) => shipped(a, scope, depth + 1));
        }
        case 'MemberExpression': {
          // x.toString() / arr.join('') / s.split('') chains over shipped data
          return shipped(n.object, scope, depth + 1);
        }
        default:
          return false;
      }
    };
    /** The data a decoder call decodes is shipped in the package. */
    const shippedInput = (call: AstNode, scope: Scope, depth: number): boolean => {
      const callee = unwrap(call.callee);
      const args: AstNode[] = call.arguments;
      if (callee.type === 'MemberExpression') {
        const m = memberKey(ctx, callee, scope);
        if (m === 'apply') return shipped(args[1], scope, depth + 1);
        if (m === 'reverse') return shipped(callee.object, scope, depth + 1);
        const cv = ctx.evaluate(callee, scope);
        if (cv.k === 'member' && (cv.module === 'zlib' || cv.module === 'crypto')) return true;
      }
      if (args.length === 0) return false;
      return args.every((a) => shipped(a, scope, depth + 1)) || shipped(args[0], scope, depth + 1);
    };

    /** Is what an executor runs decoded (or built from a long encoded literal)? The decoding, if so. */
    const decodedOrigin = (node: AstNode | undefined, scope: Scope, depth = 0, seen = new Set<unknown>()): string | null => {
      if (!node || depth > 8) return null;
      const n = unwrap(node);
      if (seen.has(n)) return null;
      seen.add(n);
      const sub = (x: AstNode | undefined, s: Scope = scope): string | null => decodedOrigin(x, s, depth + 1, seen);
      switch (n.type) {
        case 'Literal':
          if (typeof n.value === 'string') {
            const enc = encodedLiteral(n.value);
            if (enc) return `long ${enc} literal`;
          }
          return null;
        case 'Identifier': {
          const b = scope.lookup(n.name);
          if (!b) return null;
          if (b.kind === 'param') {
            for (const site of calls.argsFor(b)) {
              const d = sub(site.node, site.scope);
              if (d) return d;
            }
          }
          if (b.init) {
            const d = sub(b.init, b.initScope ?? b.scope);
            if (d) return d;
          }
          for (const a of b.assigned) {
            const d = sub(a.value, a.scope);
            if (d) return d;
          }
          return null;
        }
        case 'BinaryExpression':
          return n.operator === '+' ? sub(n.left) ?? sub(n.right) : null;
        case 'TemplateLiteral':
          for (const e of n.expressions) {
            const d = sub(e);
            if (d) return d;
          }
          return null;
        case 'ConditionalExpression':
          return sub(n.consequent) ?? sub(n.alternate);
        case 'LogicalExpression':
          return sub(n.left) ?? sub(n.right);
        case 'AwaitExpression':
          return sub(n.argument);
        case 'MemberExpression':
          return null;
        case 'CallExpression':
        case 'NewExpression': {
          const d = decoderOf(n, scope);
          if (d) {
            // decoding counts only when what is decoded ships in the package (constants, nested
            // layers of them): decodeURIComponent(options.filter) of the user's input is plain eval
            return shippedInput(n, scope, depth) ? d : null;
          }
          const fn = calls.resolveFn(n.callee, scope);
          if (fn) {
            if (fn.expression) return sub(fn.body, calls.fnScopes.get(fn) ?? scope);
            for (const r of calls.returns.get(fn) ?? []) {
              const x = sub(r.arg, r.scope);
              if (x) return x;
            }
            return null;
          }
          const c = unwrap(n.callee);
          if (c.type === 'MemberExpression') {
            // x.toString(), x.join(''), x.replace(…), x.slice(…): the receiver decides
            const m = memberKey(ctx, c, scope);
            if (m !== undefined && /^(?:toString|join|replace|replaceAll|slice|substring|substr|trim|concat|split|map|filter|update|final|reverse)$/.test(m)) {
              return sub(c.object) ?? (m === 'concat' || m === 'update' ? n.arguments.map((a: AstNode) => sub(a)).find(Boolean) ?? null : null);
            }
          }
          return null;
        }
        default:
          return null;
      }
    };

    /** `g.process.env` / `.mainModule` / `.binding(…)`: the global's process used for a way in, not to
     *  sniff the platform (core-js's `F = g.process; F && F.versions`). */
    const reachesInside = (node: AstNode): boolean => {
      const anc = ctx.ancestors;
      const parent = anc[anc.length - 2];
      if (!parent || parent.type !== 'MemberExpression' || parent.object !== node) return false;
      const k = memberKey(ctx, parent, ctx.scope());
      return k !== undefined && /^(?:env|mainModule|binding|_linkedBinding|dlopen|kill|exit|cwd|argv|execPath)$/.test(k);
    };
    const SENSITIVE_KEY = (k: string | undefined): k is string => k !== undefined && SENSITIVE_NAMES.has(k);
    /** An object whose members are the ways in: process, the global object, require/module, a sensitive module. */
    const sensitiveTarget = (v: Val): boolean =>
      v.k === 'process' || v.k === 'global' || v.k === 'env' || v.k === 'require' || v.k === 'cjsModule' ||
      (v.k === 'module' && SENSITIVE_MODULES.has(v.name)) || (v.k === 'member' && SENSITIVE_MODULES.has(v.module)) ||
      (v.k === 'builtin' && /^(?:Function|Reflect|globalThis|Buffer)$/.test(v.name));

    /** Is the expression the global object obtained through `Function('return this')()`? */
    const fromFunctionThis = (node: AstNode, scope: Scope, depth = 0): boolean => {
      if (depth > 4) return false;
      const n = unwrap(node);
      if (n.type === 'Identifier') {
        const b = scope.lookup(n.name);
        return !!b && !!b.init && !b.path && fromFunctionThis(b.init, b.initScope ?? b.scope, depth + 1);
      }
      if (n.type === 'LogicalExpression') return fromFunctionThis(n.left, scope, depth + 1) || fromFunctionThis(n.right, scope, depth + 1);
      if (n.type === 'ConditionalExpression') return fromFunctionThis(n.consequent, scope, depth + 1) || fromFunctionThis(n.alternate, scope, depth + 1);
      if (n.type !== 'CallExpression') return false;
      const inner = unwrap(n.callee);
      if (inner.type !== 'CallExpression' && inner.type !== 'NewExpression') return false;
      const f = ctx.evaluate(inner.callee, scope);
      if (f.k !== 'builtin' || !/^Function(?:\.constructor)?$/.test(f.name)) return false;
      const body = inner.arguments.length ? ctx.constString(inner.arguments[inner.arguments.length - 1], scope) : undefined;
      return body !== undefined && /^\s*(?:["']use strict["'];?\s*)?return\s+this\s*;?\s*$/.test(body);
    };

    const isFunctionCtor = (v: Val): boolean => v.k === 'builtin' && /^Function(?:\.constructor)?$/.test(v.name);
    /** `x.constructor.constructor`: the Function constructor whatever x is (`this`, `[]`, an object). */
    const doubleCtor = (n: AstNode, scope: Scope): boolean => {
      const x = unwrap(n);
      if (x.type !== 'MemberExpression' || memberKey(ctx, x, scope) !== 'constructor') return false;
      const o = unwrap(x.object);
      return o.type === 'MemberExpression' && memberKey(ctx, o, scope) === 'constructor';
    };

    /** A module carried in a data: URL: reported, and its code analysed as a virtual file of the package. */
    const dataImport = (node: AstNode, spec: string, executor: string): void => {
      emit(node, 'decodeExecute', { decoding: 'data: URL', executor }, `${executor} runs code carried in a data: URL`);
      const text = dataUrlCode(spec);
      if (text === null) return;
      const line = ctx.position(node.start).line;
      queueEmbedded({
        path: `${ctx.job.file}#embedded@${line}`, code: text, origin: `data: URL imported at ${ctx.job.file}:${line}`, sourceType: 'module',
        ...(/;base64,/i.test(spec.slice(0, 80)) ? { hidden: true } : {}),
      });
    };

    /** Checks that need the whole call graph (helpers declared after their use, call sites of parameters). */
    const late = (node: AstNode, scope: Scope, c: Val): void => {
      const args: AstNode[] = node.arguments;
      const callee = unwrap(node.callee);
        // char-code strings that spell something sensitive
        const direct = c.k === 'builtin' && c.name === 'String.fromCharCode' && args.length >= 4 && args.every((a) => unwrap(a).type === 'Literal' && typeof unwrap(a).value === 'number');
        const arrays: AstNode[] = direct ? [] : args.map(unwrap).filter((a: AstNode) => a.type === 'ArrayExpression' && a.elements.length >= 4 && a.elements.every((x: AstNode | null) => x && x.type === 'Literal' && Number.isInteger(x.value) && x.value >= 9 && x.value <= 0x7e));
        if (direct || arrays.length) {
          const dec = decoderOf(node, scope) === 'char codes' || (arrays.length > 0 && isCharCodeHelper(node, scope));
          if (dec) {
            const texts = direct ? [String.fromCharCode(...args.map((a) => unwrap(a).value as number))] : arrays.map((a) => String.fromCharCode(...a.elements.map((x: AstNode) => x.value as number)));
            for (const t of texts) {
              if (!KEYWORDS.test(t) || charCoded.has(t) || charCoded.size >= 5) continue;
              charCoded.add(t);
              emit(node, 'charCode', { text: short(t) }, `String.fromCharCode spells: ${short(t, 100)}`);
            }
          }
        }

        // decode-then-execute
        let executor: string | null = null;
        let payload: AstNode | undefined;
        const pc = processCall(c);
        if (c.k === 'builtin' && c.name === 'eval') [executor, payload] = ['eval', args[0]];
        else if (isFunctionCtor(c) || doubleCtor(node.callee, scope)) [executor, payload] = ['Function', args[args.length - 1]];
        else if (c.k === 'member' && c.module === 'vm' && VM_RUNNERS.has(c.path[c.path.length - 1])) [executor, payload] = [`vm.${c.path[c.path.length - 1]}`, args[0]];
        else if (c.k === 'require') [executor, payload] = ['require', args[0]];
        else if (pc && args[0]) [executor, payload] = [pc.name, args[0]];
        else if (c.k === 'builtin' && (c.name === 'setTimeout' || c.name === 'setInterval') && args[0] && !/Function/.test(unwrap(args[0]).type)) [executor, payload] = [c.name, args[0]];
        else if (callee.type === 'MemberExpression' && memberKey(ctx, callee, scope) === '_compile') [executor, payload] = ['module._compile', args[0]];
        // a require of a decoded constant is a hidden module name (module:use), not a payload
        const spec = executor === 'require' && payload ? ctx.constString(payload, scope) : undefined;
        if (spec !== undefined && BUILTIN_MODULES.has(normalizeModule(spec))) executor = null;
        // eval('req' + 'uire'): code whose text was assembled or escaped to hide a name
        if ((executor === 'eval' || executor === 'Function' || executor?.startsWith('vm.')) && payload) {
          const text = ctx.constString(payload, scope);
          const how = text !== undefined ? hiddenHow(payload, scope) : null;
          if (text !== undefined && (how === 'assembled' || how === 'escaped') && CODE_NAMES.test(text)) {
            emit(node, 'hiddenCode', { how, text: short(text) }, `${executor} runs code written to hide what it names: ${short(text, 100)}`);
          }
        }
        // a plain short literal is not a decoded payload
        if (executor && payload && !(payload.type === 'Literal' && typeof payload.value === 'string' && payload.value.length < LONG_LITERAL)) {
          const d = decodedOrigin(payload, scope);
          if (d) emit(node, 'decodeExecute', { decoding: d, executor }, `${executor} runs code decoded from ${d}`);
        }
    };

    return {
      Identifier(node: AstNode) {
        if (watchHex && HEX_ID.test(node.name)) {
          if (hexIds.size < 1000) hexIds.add(node.name);
          firstHexId ??= node;
        }
        if (hasEscapes && node.end - node.start !== node.name.length && raw(node).includes('\\u')) {
          emit(node, 'escapedIdentifier', { name: node.name }, `the identifier ${node.name} is written with \\u escapes`);
        }
      },

      Literal(node: AstNode) {
        if (typeof node.value !== 'string') return;
        const s: string = node.value;
        // heavily escaped strings: '\x68\x74\x74\x70\x73'
        if (hasEscapes && s.length >= 3 && node.raw.length > s.length + 2) {
          const n = unnecessaryEscapes(raw(node));
          if (n >= 3 && n * 2 >= s.length && escaped.length < 1000) escaped.push({ node, text: s });
        }
        // a long encoded literal that decodes to code
        const enc = encodedLiteral(s);
        if (enc && !reportedLiterals.has(node)) {
          const text = decodeLiteral(s, enc);
          if (text && looksLikeCode(text)) {
            reportedLiterals.add(node);
            emit(node, 'encodedPayload', { length: s.length, encoding: enc }, `decodes to: ${short(text, 80)}`);
          }
        }
      },

      ArrayExpression(node: AstNode) {
        if (bigArray || node.elements.length < 10) return;
        if (node.elements.every((e: AstNode | null) => e && e.type === 'Literal' && typeof e.value === 'string')) bigArray = node;
      },

      MemberExpression(node: AstNode) {
        const scope = ctx.scope();
        if (!node.computed) {
          // Function('return this')().process, or g.process where g came from it
          const name = node.property.name;
          if ((name === 'require' || name === 'mainModule' || (name === 'process' && reachesInside(node))) && fromFunctionThis(node.object, scope)) {
            emit(node, 'functionThis', { name }, `reaches ${name} through the global object returned by Function('return this')()`);
          }
          return;
        }
        const p = unwrap(node.property);
        if (p.type === 'Literal' && (typeof p.value !== 'string' || !(p.raw as string).includes('\\'))) {
          if (p.value === 'process' && reachesInside(node) && fromFunctionThis(node.object, scope)) {
            emit(node, 'functionThis', { name: 'process' }, 'reaches process through the global object returned by Function(\'return this\')()');
          }
          return;
        }
        const key = ctx.constString(p, scope);
        if (!SENSITIVE_KEY(key)) return;
        if (AMBIGUOUS_NAMES.has(key) && !sensitiveTarget(ctx.evaluate(node.object, scope))) return;
        const how = hiddenHow(p, scope);
        if (how) emit(node, 'hiddenName', { how, name: key }, `${ctx.describe(node.object)}[${short(raw(p), 60)}] hides the name ${key}`);
      },

      'module:use'(e) {
        // import x from 'data:text/javascript,…' (import() is the ImportExpression visitor's)
        const literal = e.kind !== 'dynamic-import' && e.specifier ? ctx.constString(e.specifier) : undefined;
        if (literal !== undefined && isJsDataUrl(literal)) dataImport(e.node, literal, e.kind === 'export-from' ? 'export … from' : 'import');
        if (e.module === null || !e.specifier || !SENSITIVE_MODULES.has(e.module)) return;
        const how = hiddenHow(e.specifier, ctx.scope());
        if (how) emit(e.node, 'hiddenModule', { how, module: e.module }, `the module ${e.module} is loaded through a specifier written to hide it`);
      },

      call(e) {
        const node = e.node;
        const scope = ctx.scope();
        const c = e.callee;
        const args: AstNode[] = node.arguments;
        const callee = unwrap(node.callee);

        // rotation: arr.push(arr.shift())
        if (callee.type === 'MemberExpression' && memberKey(ctx, callee, scope) === 'push' && args.length === 1) {
          const inner = unwrap(args[0]);
          if (inner.type === 'CallExpression' && unwrap(inner.callee).type === 'MemberExpression' && memberKey(ctx, unwrap(inner.callee), scope) === 'shift') {
            if (raw(unwrap(callee.object)) === raw(unwrap(unwrap(inner.callee).object))) rotation = true;
          }
        }
        // string-array decoder calls: _0x3c1d('0x1'), b(0x1f)
        if (args.length >= 1 && args.length <= 2 && callee.type === 'Identifier') {
          const a0 = unwrap(args[0]);
          if (a0.type === 'Literal' && typeof a0.raw === 'string' && /^['"]?0x[0-9a-f]+['"]?$/i.test(a0.raw)) hexIndexCalls.set(callee.name, (hexIndexCalls.get(callee.name) ?? 0) + 1);
        }

        // Reflect.get(process, 'env')
        if (c.k === 'builtin' && c.name === 'Reflect.get' && args.length >= 2) {
          const target = ctx.evaluate(args[0], scope);
          const key = ctx.constString(args[1], scope);
          if (SENSITIVE_KEY(key) && (target.k === 'process' || target.k === 'global' || target.k === 'env' || target.k === 'require' || target.k === 'cjsModule' || target.k === 'module')) {
            emit(node, 'reflectGet', { target: ctx.describe(args[0]), key }, `reads ${key} through Reflect.get instead of a property access`);
          }
        }

        // Function('return process')(): the callee of this call is the Function constructor call
        if (callee.type === 'CallExpression' || callee.type === 'NewExpression') {
          const f = ctx.evaluate(callee.callee, scope);
          if ((isFunctionCtor(f) || doubleCtor(callee.callee, scope)) && callee.arguments.length > 0) {
            const body = ctx.constString(callee.arguments[callee.arguments.length - 1], scope);
            const m = body === undefined ? null : /^\s*(?:["']use strict["'];?\s*)?return\s*\(?\s*((?:global(?:This)?\.)?(?:process|require|module|global|globalThis)\b[\w.]*)/.exec(body);
            if (m) emit(node, 'functionReturn', { name: m[1] }, `reaches ${m[1]} through the Function constructor`);
          }
        }
        // the Function constructor reached through .constructor: [].constructor.constructor('…')
        if ((isFunctionCtor(c) || doubleCtor(callee, scope)) && callee.type === 'MemberExpression' && memberKey(ctx, callee, scope) === 'constructor' && unwrap(callee.object).type !== 'Identifier') {
          emit(node, 'constructorChain', {}, `${short(raw(callee), 60)} is the Function constructor`);
        }

        // several base64/hex constants decoded to text
        if (c.k === 'builtin' && (c.name === 'Buffer.from' || c.name === 'atob') && args[0]) {
          const lit = unwrap(args[0]);
          const enc = c.name === 'atob' ? 'base64' : args[1] ? ctx.constString(args[1], scope) : undefined;
          if (lit.type === 'Literal' && typeof lit.value === 'string' && lit.value.length >= 4 && (enc === 'base64' || enc === 'hex' || enc === 'base64url')) {
            const text = decodeLiteral(lit.value, enc === 'hex' ? 'hex' : 'base64');
            if (text && text.length >= 2) {
              decodedTexts++;
              firstDecoded ??= { node, text };
            }
          }
        }

        // executors and char-code candidates are checked after the walk, when the call graph is complete
        const late =
          (c.k === 'builtin' && /^(?:eval|Function|Function\.constructor|String\.fromCharCode|setTimeout|setInterval)$/.test(c.name)) ||
          (c.k === 'member' && c.module === 'vm') || c.k === 'require' || processCall(c) !== null ||
          (callee.type === 'MemberExpression' && !callee.computed && callee.property.name === '_compile') ||
          args.some((a) => a.type === 'ArrayExpression');
        if (late && deferred.length < 5000) deferred.push({ node, scope, callee: c });
      },

      ImportExpression(node: AstNode) {
        const scope = ctx.scope();
        const spec = ctx.constString(node.source, scope);
        const d = decodedOrigin(node.source, scope);
        // import() of a decoded module name is a hidden module name (module:use), not a payload
        if (spec !== undefined && SENSITIVE_MODULES.has(normalizeModule(spec))) return;
        if (d) emit(node, 'decodeExecute', { decoding: d, executor: 'import()' }, `import() loads a specifier decoded from ${d}`);
        else if (spec !== undefined && isJsDataUrl(spec)) dataImport(node, spec, 'import()');
      },

      'Program:exit'() {
        for (const d of deferred) late(d.node, d.scope, d.callee);
        const family = encoderFamily(code);
        if (family) emit(family.offset, 'family', { family: family.family, detail: family.detail }, `the program is written in ${family.detail}`);
        const shape = family ? null : obfuscatorShape(code, ctx.job.sourceType === 'module' ? 'module' : 'script');
        if (shape) emit(shape.offset, 'family', { family: 'obfuscator output', detail: shape.traits.join(', ') }, `the code has the shape of an obfuscator's output (JS-Confuser style): ${shape.traits.join(', ')}`);
        for (const t of trojanSource(code, ctx.job.sourceType === 'module' ? 'module' : 'script').slice(0, 3)) {
          emit(t.offset, 'family', { family: t.family, detail: t.detail }, `Trojan Source: ${t.detail}, so what a reviewer reads is not what runs`);
        }
        if (watchHex) for (const m of code.matchAll(/\b_0x[0-9a-f]{3,}\b/gi)) if (hexIds.size < 1000) hexIds.add(m[0]);
        const maxHexCalls = Math.max(0, ...hexIndexCalls.values());
        if ((hexIds.size >= 5 && (bigArray || rotation || maxHexCalls >= 3)) || hexIds.size >= 30 || (bigArray && rotation && maxHexCalls >= 5)) {
          const what = [
            hexIds.size ? `${hexIds.size} _0x identifiers` : '',
            bigArray ? (rotation ? 'a rotated string array' : 'a string array') : rotation ? 'an array rotation' : '',
            maxHexCalls >= 3 ? 'a decoder called with hex indexes' : '',
          ].filter(Boolean).join(', ');
          emit((bigArray ?? firstHexId)!, 'stringArray', { what }, 'the code was run through a string-array obfuscator (javascript-obfuscator style)');
        }
        const strings = escaped.filter((e) => !consumed.has(e.node));
        const escapedStrings = strings.length;
        const firstEscaped = strings[0];
        if (firstEscaped && (escapedStrings >= 3 || KEYWORDS.test(firstEscaped.text))) {
          emit(firstEscaped.node, 'escapedStrings', { count: escapedStrings, example: short(firstEscaped.text) }, 'string literals are written as \\x/\\u escapes of plain letters');
        }
        if (decodedTexts >= 3 && firstDecoded) {
          emit(firstDecoded.node, 'encodedStrings', { count: decodedTexts, example: short(firstDecoded.text) }, 'constants are stored encoded and decoded at run time');
        }
        const pos = (at: AstNode | number): number => (typeof at === 'number' ? at : at.start);
        out.sort((a, b) => pos(a.at) - pos(b.at));
        for (const f of out) ctx.report(f.at, f.messageId, f.data, { message: f.message });
      },
    };

    /** A call of a local helper that turns its array argument into a string with String.fromCharCode. */
    function isCharCodeHelper(node: AstNode, scope: Scope): boolean {
      const fn = calls.resolveFn(node.callee, scope);
      if (!fn) return false;
      const ret = fn.expression ? fn.body : calls.returns.get(fn)?.[0]?.arg;
      if (!ret) return false;
      const inner = unwrap(ret);
      return inner.type === 'CallExpression' && decoderOf(inner, calls.fnScopes.get(fn) ?? scope) === 'char codes';
    }
  },
};
export default detector;
