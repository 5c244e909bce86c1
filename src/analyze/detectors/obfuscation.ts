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
import { unfold } from '../embedded/unfold.js';
import { AMBIGUOUS_NAMES, SENSITIVE_NAMES, SENSITIVE_BUILTINS, ENV_TRIGGERS, HTTP_CLIENT_MODULES, NODE_BUILTINS, NODE_NETWORK_MODULES, SOCKET_CLIENT_MODULES, VM_RUNNERS, processCall } from '../api.js';
import type { FindingData } from '../../model.js';
import type { AstNode } from '../ast.js';
import type { CallInfo, Detector, FileContext, ModuleUse } from '../context.js';
import type { Scope } from '../scope.js';
import { normalizeModule, type Val } from '../values.js';
import { memberKey, unwrap } from '../flow/calls.js';
import { LONG_LITERAL, decodeLiteral, encodedLiteral, looksLikeCode, short, unnecessaryEscapes } from '../flow/encoding.js';
import { Hiding, isFunctionCtor } from '../flow/hiding.js';
import { TROJAN_SOURCE_CHARS, encoderFamily, trojanSource } from '../obfuscation-families.js';
import { obfuscatorShape } from '../obfuscation-shape.js';
import { dataUrlCode, isJsDataUrl } from '../embedded/data-url.js';
import { queueEmbedded } from '../embedded/queue.js';

const SENSITIVE_MODULES = new Set([...SENSITIVE_BUILTINS, ...NODE_NETWORK_MODULES, ...HTTP_CLIENT_MODULES, ...SOCKET_CLIENT_MODULES]);
/** Modules a `require` of a decoded constant may name without it being a payload (any builtin). */
const BUILTIN_MODULES = new Set([...NODE_BUILTINS, ...NODE_NETWORK_MODULES, ...HTTP_CLIENT_MODULES, ...SOCKET_CLIENT_MODULES]);
/** Words that make a decoded or char-coded string worth showing. */
const KEYWORDS = /child_process|process|\benv\b|require|eval|exec|spawn|https?:|\bnet\b|\bdns\b|curl|wget|powershell|cmd(?:\.exe)?\b|\/bin\/|\.npmrc|\.ssh|token|secret|password|Function|fetch|XMLHttpRequest|win32|darwin|linux|\.exe\b|\.dll\b|\.sh\b/i;
/** Names that make an assembled code string worth reporting. */
const CODE_NAMES = /\b(?:process|require|child_process|mainModule|global|globalThis|Function|eval|import|constructor)\b/;

const HEX_ID = /^_0x[0-9a-f]{3,}$/i;

const SENSITIVE_KEY = (k: string | undefined): k is string => k !== undefined && SENSITIVE_NAMES.has(k);
/** An object whose members are the ways in: process, the global object, require/module, a sensitive module. */
const sensitiveTarget = (v: Val): boolean =>
  v.k === 'process' || v.k === 'global' || v.k === 'env' || v.k === 'require' || v.k === 'cjsModule' ||
  (v.k === 'module' && SENSITIVE_MODULES.has(v.name)) || (v.k === 'member' && SENSITIVE_MODULES.has(v.module)) ||
  (v.k === 'builtin' && /^(?:Function|Reflect|globalThis|Buffer)$/.test(v.name));

/**
 * The code a long encoded string literal decodes to — through several layers (hex of base64,
 * reversed base64, percent-encoding, char codes: embedded/unfold.ts) — when it decodes to code.
 */
export function embeddedCodeOf(s: string): { code: string; encoding: string } | null {
  if (!encodedLiteral(s) && !(s.length >= LONG_LITERAL && /^={1,2}[A-Za-z0-9+/_-]+$/.test(s))) return null;
  const u = unfold(s, looksLikeCode);
  return u ? { code: u.text, encoding: u.layers.join(' → ') } : null;
}

/**
 * One file's obfuscation checks as named steps: node visitors collect shapes (hex identifiers,
 * string arrays, escapes, decoded constants), checks that need the whole call graph run on the
 * deferred calls after the walk, and findings are reported in source order at the end.
 */
class ObfuscationScan {
  private readonly code: string;
  private readonly watchHex: boolean;
  private readonly hasEscapes: boolean;
  private readonly hiding: Hiding;
  private readonly hexIds = new Set<string>();
  private firstHexId: AstNode | null = null;
  private bigArray: AstNode | null = null;
  private rotation = false;
  private readonly hexIndexCalls = new Map<string, number>();
  private decodedTexts = 0;
  private firstDecoded: { node: AstNode; text: string } | null = null;
  private readonly escaped: { node: AstNode; text: string }[] = [];
  /** escaped literals already reported as a hidden name or module. */
  private readonly consumed = new Set<AstNode>();
  private readonly charCoded = new Set<string>();
  private readonly reportedLiterals = new Set<AstNode>();
  // findings are collected and emitted in source order at the end (some checks need the whole call graph)
  private readonly out: { at: AstNode | number; messageId: string; data: FindingData; message: string }[] = [];
  private readonly deferred: { node: AstNode; scope: Scope; callee: Val }[] = [];

  constructor(private readonly ctx: FileContext) {
    this.code = ctx.code;
    this.watchHex = this.code.includes('_0x');
    this.hasEscapes = this.code.includes('\\x') || this.code.includes('\\u');
    this.hiding = new Hiding(ctx, this.consumed);
  }

  private emit(at: AstNode | number, messageId: string, data: FindingData, message: string): void {
    if (this.out.length < 200) this.out.push({ at, messageId, data, message });
  }

  private raw(n: AstNode): string {
    return this.code.slice(n.start, n.end);
  }

  /** `g.process.env` / `.mainModule` / `.binding(…)`: the global's process used for a way in, not to
   *  sniff the platform (core-js's `F = g.process; F && F.versions`). */
  private reachesInside(node: AstNode): boolean {
    const anc = this.ctx.ancestors;
    const parent = anc[anc.length - 2];
    if (!parent || parent.type !== 'MemberExpression' || parent.object !== node) return false;
    const k = memberKey(this.ctx, parent, this.ctx.scope());
    return k !== undefined && /^(?:env|mainModule|binding|_linkedBinding|dlopen|kill|exit|cwd|argv|execPath)$/.test(k);
  }

  /** `_0x` identifiers (string-array obfuscators) and identifiers written with \u escapes. */
  identifier(node: AstNode): void {
    if (this.watchHex && HEX_ID.test(node.name)) {
      if (this.hexIds.size < 1000) this.hexIds.add(node.name);
      this.firstHexId ??= node;
    }
    if (this.hasEscapes && node.end - node.start !== node.name.length && this.raw(node).includes('\\u')) {
      this.emit(node, 'escapedIdentifier', { name: node.name }, `the identifier ${node.name} is written with \\u escapes`);
    }
  }

  /** Heavily escaped strings, and long encoded literals that decode to code. */
  literal(node: AstNode): void {
    if (typeof node.value !== 'string') return;
    const s: string = node.value;
    // heavily escaped strings: '\x68\x74\x74\x70\x73'
    if (this.hasEscapes && s.length >= 3 && node.raw.length > s.length + 2) {
      const n = unnecessaryEscapes(this.raw(node));
      if (n >= 3 && n * 2 >= s.length && this.escaped.length < 1000) this.escaped.push({ node, text: s });
    }
    // a long encoded literal that decodes to code, through as many layers as it takes
    const payload = s.length >= LONG_LITERAL && !this.reportedLiterals.has(node) ? embeddedCodeOf(s) : null;
    if (payload) {
      this.reportedLiterals.add(node);
      this.emit(node, 'encodedPayload', { length: s.length, encoding: payload.encoding }, `decodes to: ${short(payload.code, 80)}`);
    }
  }

  /** The first big array of string literals (a string-array obfuscator's table). */
  arrayExpression(node: AstNode): void {
    if (this.bigArray || node.elements.length < 10) return;
    if (node.elements.every((e: AstNode | null) => e && e.type === 'Literal' && typeof e.value === 'string')) this.bigArray = node;
  }

  /** Hidden member names (`process['e' + 'nv']`) and the global object from Function('return this')(). */
  member(node: AstNode): void {
    const ctx = this.ctx;
    const scope = ctx.scope();
    if (!node.computed) {
      // Function('return this')().process, or g.process where g came from it
      const name = node.property.name;
      if ((name === 'require' || name === 'mainModule' || (name === 'process' && this.reachesInside(node))) && this.hiding.fromFunctionThis(node.object, scope)) {
        this.emit(node, 'functionThis', { name }, `reaches ${name} through the global object returned by Function('return this')()`);
      }
      return;
    }
    const p = unwrap(node.property);
    if (p.type === 'Literal' && (typeof p.value !== 'string' || !(p.raw as string).includes('\\'))) {
      if (p.value === 'process' && this.reachesInside(node) && this.hiding.fromFunctionThis(node.object, scope)) {
        this.emit(node, 'functionThis', { name: 'process' }, 'reaches process through the global object returned by Function(\'return this\')()');
      }
      return;
    }
    const key = ctx.constString(p, scope);
    if (!SENSITIVE_KEY(key)) return;
    if (AMBIGUOUS_NAMES.has(key) && !sensitiveTarget(ctx.evaluate(node.object, scope))) return;
    const how = this.hiding.hiddenHow(p, scope);
    if (how) this.emit(node, 'hiddenName', { how, name: key }, `${ctx.describe(node.object)}[${short(this.raw(p), 60)}] hides the name ${key}`);
  }

  /** A module carried in a data: URL: reported, and its code analysed as a virtual file of the package. */
  private dataImport(node: AstNode, spec: string, executor: string): void {
    const ctx = this.ctx;
    this.emit(node, 'decodeExecute', { decoding: 'data: URL', executor }, `${executor} runs code carried in a data: URL`);
    const text = dataUrlCode(spec);
    if (text === null) return;
    const line = ctx.position(node.start).line;
    queueEmbedded({
      path: `${ctx.job.file}#embedded@${line}`, code: text, origin: `data: URL imported at ${ctx.job.file}:${line}`, sourceType: 'module',
      ...(/;base64,/i.test(spec.slice(0, 80)) ? { hidden: true } : {}),
    });
  }

  /** A data: URL module imported statically; a sensitive module loaded through a specifier written to hide it. */
  moduleUse(e: ModuleUse): void {
    // import x from 'data:text/javascript,…' (import() is the ImportExpression visitor's)
    const literal = e.kind !== 'dynamic-import' && e.specifier ? this.ctx.constString(e.specifier) : undefined;
    if (literal !== undefined && isJsDataUrl(literal)) this.dataImport(e.node, literal, e.kind === 'export-from' ? 'export … from' : 'import');
    if (e.module === null || !e.specifier || !SENSITIVE_MODULES.has(e.module)) return;
    const how = this.hiding.hiddenHow(e.specifier, this.ctx.scope());
    if (how) this.emit(e.node, 'hiddenModule', { how, module: e.module }, `the module ${e.module} is loaded through a specifier written to hide it`);
  }

  /** A call: string-array shapes, hidden ways in, decoded constants; executors are deferred. */
  call(e: CallInfo): void {
    const scope = this.ctx.scope();
    const callee = unwrap(e.node.callee);
    this.stringArrayShapes(e.node, callee, scope);
    this.hiddenWaysIn(e, callee, scope);
    this.decodedConstant(e, scope);
    // executors and char-code candidates are checked after the walk, when the call graph is complete
    const c = e.callee;
    const args: AstNode[] = e.node.arguments;
    const late =
      (c.k === 'builtin' && /^(?:eval|Function|Function\.constructor|String\.fromCharCode|setTimeout|setInterval)$/.test(c.name)) ||
      (c.k === 'member' && c.module === 'vm') || c.k === 'require' || processCall(c) !== null ||
      (callee.type === 'MemberExpression' && !callee.computed && callee.property.name === '_compile') ||
      args.some((a) => a.type === 'ArrayExpression');
    if (late && this.deferred.length < 5000) this.deferred.push({ node: e.node, scope, callee: c });
  }

  /** Rotation (`arr.push(arr.shift())`) and string-array decoder calls (`_0x3c1d('0x1')`, `b(0x1f)`). */
  private stringArrayShapes(node: AstNode, callee: AstNode, scope: Scope): void {
    const args: AstNode[] = node.arguments;
    if (callee.type === 'MemberExpression' && memberKey(this.ctx, callee, scope) === 'push' && args.length === 1) {
      const inner = unwrap(args[0]);
      if (inner.type === 'CallExpression' && unwrap(inner.callee).type === 'MemberExpression' && memberKey(this.ctx, unwrap(inner.callee), scope) === 'shift') {
        if (this.raw(unwrap(callee.object)) === this.raw(unwrap(unwrap(inner.callee).object))) this.rotation = true;
      }
    }
    if (args.length >= 1 && args.length <= 2 && callee.type === 'Identifier') {
      const a0 = unwrap(args[0]);
      if (a0.type === 'Literal' && typeof a0.raw === 'string' && /^['"]?0x[0-9a-f]+['"]?$/i.test(a0.raw)) this.hexIndexCalls.set(callee.name, (this.hexIndexCalls.get(callee.name) ?? 0) + 1);
    }
  }

  /** Reflect.get(process, 'env'), Function('return process')(), [].constructor.constructor('…'). */
  private hiddenWaysIn(e: CallInfo, callee: AstNode, scope: Scope): void {
    const ctx = this.ctx;
    const node = e.node;
    const c = e.callee;
    const args: AstNode[] = node.arguments;
    if (c.k === 'builtin' && c.name === 'Reflect.get' && args.length >= 2) {
      const target = ctx.evaluate(args[0], scope);
      const key = ctx.constString(args[1], scope);
      if (SENSITIVE_KEY(key) && (target.k === 'process' || target.k === 'global' || target.k === 'env' || target.k === 'require' || target.k === 'cjsModule' || target.k === 'module')) {
        this.emit(node, 'reflectGet', { target: ctx.describe(args[0]), key }, `reads ${key} through Reflect.get instead of a property access`);
      }
    }
    // Function('return process')(): the callee of this call is the Function constructor call
    if (callee.type === 'CallExpression' || callee.type === 'NewExpression') {
      const f = ctx.evaluate(callee.callee, scope);
      if ((isFunctionCtor(f) || this.hiding.doubleCtor(callee.callee, scope)) && callee.arguments.length > 0) {
        const body = ctx.constString(callee.arguments[callee.arguments.length - 1], scope);
        const m = body === undefined ? null : /^\s*(?:["']use strict["'];?\s*)?return\s*\(?\s*((?:global(?:This)?\.)?(?:process|require|module|global|globalThis)\b[\w.]*)/.exec(body);
        if (m) this.emit(node, 'functionReturn', { name: m[1] }, `reaches ${m[1]} through the Function constructor`);
      }
    }
    // the Function constructor reached through .constructor: [].constructor.constructor('…')
    if ((isFunctionCtor(c) || this.hiding.doubleCtor(callee, scope)) && callee.type === 'MemberExpression' && memberKey(ctx, callee, scope) === 'constructor' && unwrap(callee.object).type !== 'Identifier') {
      this.emit(node, 'constructorChain', {}, `${short(this.raw(callee), 60)} is the Function constructor`);
    }
  }

  /** Base64/hex constants decoded to text (several of them are `encodedStrings`). */
  private decodedConstant(e: CallInfo, scope: Scope): void {
    const c = e.callee;
    const args: AstNode[] = e.node.arguments;
    if (c.k !== 'builtin' || (c.name !== 'Buffer.from' && c.name !== 'atob') || !args[0]) return;
    const lit = unwrap(args[0]);
    const enc = c.name === 'atob' ? 'base64' : args[1] ? this.ctx.constString(args[1], scope) : undefined;
    if (lit.type === 'Literal' && typeof lit.value === 'string' && lit.value.length >= 4 && (enc === 'base64' || enc === 'hex' || enc === 'base64url')) {
      const text = decodeLiteral(lit.value, enc === 'hex' ? 'hex' : 'base64');
      if (text && text.length >= 2) {
        this.decodedTexts++;
        this.firstDecoded ??= { node: e.node, text };
      }
    }
  }

  /** import() of a decoded specifier or of a data: URL. */
  importExpression(node: AstNode): void {
    const scope = this.ctx.scope();
    const spec = this.ctx.constString(node.source, scope);
    const d = this.hiding.decodedOrigin(node.source, scope);
    // import() of a decoded module name is a hidden module name (module:use), not a payload
    if (spec !== undefined && SENSITIVE_MODULES.has(normalizeModule(spec))) return;
    if (d) this.emit(node, 'decodeExecute', { decoding: d, executor: 'import()' }, `import() loads a specifier decoded from ${d}`);
    else if (spec !== undefined && isJsDataUrl(spec)) this.dataImport(node, spec, 'import()');
  }

  /** Char-code strings that spell something sensitive (checked with the whole call graph). */
  private charCodes(node: AstNode, scope: Scope, c: Val): void {
    const args: AstNode[] = node.arguments;
    const direct = c.k === 'builtin' && c.name === 'String.fromCharCode' && args.length >= 4 && args.every((a) => unwrap(a).type === 'Literal' && typeof unwrap(a).value === 'number');
    const arrays: AstNode[] = direct ? [] : args.map(unwrap).filter((a: AstNode) => a.type === 'ArrayExpression' && a.elements.length >= 4 && a.elements.every((x: AstNode | null) => x && x.type === 'Literal' && Number.isInteger(x.value) && x.value >= 9 && x.value <= 0x7e));
    if (!direct && !arrays.length) return;
    const dec = this.hiding.decoderOf(node, scope) === 'char codes' || (arrays.length > 0 && this.hiding.isCharCodeHelper(node, scope));
    if (!dec) return;
    const texts = direct ? [String.fromCharCode(...args.map((a) => unwrap(a).value as number))] : arrays.map((a) => String.fromCharCode(...a.elements.map((x: AstNode) => x.value as number)));
    for (const t of texts) {
      if (!KEYWORDS.test(t) || this.charCoded.has(t) || this.charCoded.size >= 5) continue;
      this.charCoded.add(t);
      this.emit(node, 'charCode', { text: short(t) }, `String.fromCharCode spells: ${short(t, 100)}`);
    }
  }

  /** The executor a call is (eval, Function, vm, require, a child process, timers, module._compile) and the argument it runs. */
  private executorOf(node: AstNode, scope: Scope, c: Val): [string | null, AstNode | undefined] {
    const args: AstNode[] = node.arguments;
    const callee = unwrap(node.callee);
    const pc = processCall(c);
    if (c.k === 'builtin' && c.name === 'eval') return ['eval', args[0]];
    if (isFunctionCtor(c) || this.hiding.doubleCtor(node.callee, scope)) return ['Function', args[args.length - 1]];
    if (c.k === 'member' && c.module === 'vm' && VM_RUNNERS.has(c.path[c.path.length - 1])) return [`vm.${c.path[c.path.length - 1]}`, args[0]];
    if (c.k === 'require') return ['require', args[0]];
    if (pc && args[0]) return [pc.name, args[0]];
    if (c.k === 'builtin' && (c.name === 'setTimeout' || c.name === 'setInterval') && args[0] && !/Function/.test(unwrap(args[0]).type)) return [c.name, args[0]];
    if (callee.type === 'MemberExpression' && memberKey(this.ctx, callee, scope) === '_compile') return ['module._compile', args[0]];
    return [null, undefined];
  }

  /** Decode-then-execute, and code assembled or escaped to hide the names it runs. */
  private executedPayload(node: AstNode, scope: Scope, c: Val): void {
    const [found, payload] = this.executorOf(node, scope, c);
    let executor = found;
    // a require of a decoded constant is a hidden module name (module:use), not a payload
    const spec = executor === 'require' && payload ? this.ctx.constString(payload, scope) : undefined;
    if (spec !== undefined && BUILTIN_MODULES.has(normalizeModule(spec))) executor = null;
    // eval('req' + 'uire'): code whose text was assembled or escaped to hide a name
    if ((executor === 'eval' || executor === 'Function' || executor?.startsWith('vm.')) && payload) {
      const text = this.ctx.constString(payload, scope);
      const how = text !== undefined ? this.hiding.hiddenHow(payload, scope) : null;
      if (text !== undefined && (how === 'assembled' || how === 'escaped') && CODE_NAMES.test(text)) {
        this.emit(node, 'hiddenCode', { how, text: short(text) }, `${executor} runs code written to hide what it names: ${short(text, 100)}`);
      }
    }
    // a plain short literal is not a decoded payload
    if (executor && payload && !(payload.type === 'Literal' && typeof payload.value === 'string' && payload.value.length < LONG_LITERAL)) {
      const d = this.hiding.decodedOrigin(payload, scope);
      if (d) this.emit(node, 'decodeExecute', { decoding: d, executor }, `${executor} runs code decoded from ${d}`);
    }
  }

  /** After the walk: deferred calls, whole-file families, string arrays, escaped and encoded strings; then report. */
  finish(): void {
    for (const d of this.deferred) {
      this.charCodes(d.node, d.scope, d.callee);
      this.executedPayload(d.node, d.scope, d.callee);
    }
    const code = this.code;
    const family = encoderFamily(code);
    if (family) this.emit(family.offset, 'family', { family: family.family, detail: family.detail }, `the program is written in ${family.detail}`);
    const shape = family ? null : obfuscatorShape(code, this.ctx.job.sourceType === 'module' ? 'module' : 'script');
    if (shape) this.emit(shape.offset, 'family', { family: 'obfuscator output', detail: shape.traits.join(', ') }, `the code has the shape of an obfuscator's output (JS-Confuser style): ${shape.traits.join(', ')}`);
    for (const t of trojanSource(code, this.ctx.job.sourceType === 'module' ? 'module' : 'script').slice(0, 3)) {
      this.emit(t.offset, 'family', { family: t.family, detail: t.detail }, `Trojan Source: ${t.detail}, so what a reviewer reads is not what runs`);
    }
    this.stringArray();
    const strings = this.escaped.filter((e) => !this.consumed.has(e.node));
    const escapedStrings = strings.length;
    const firstEscaped = strings[0];
    if (firstEscaped && (escapedStrings >= 3 || KEYWORDS.test(firstEscaped.text))) {
      this.emit(firstEscaped.node, 'escapedStrings', { count: escapedStrings, example: short(firstEscaped.text) }, 'string literals are written as \\x/\\u escapes of plain letters');
    }
    if (this.decodedTexts >= 3 && this.firstDecoded) {
      this.emit(this.firstDecoded.node, 'encodedStrings', { count: this.decodedTexts, example: short(this.firstDecoded.text) }, 'constants are stored encoded and decoded at run time');
    }
    const pos = (at: AstNode | number): number => (typeof at === 'number' ? at : at.start);
    this.out.sort((a, b) => pos(a.at) - pos(b.at));
    for (const f of this.out) this.ctx.report(f.at, f.messageId, f.data, { message: f.message });
  }

  /** A string-array obfuscator: _0x identifiers with a big string array, a rotation or a hex-indexed decoder. */
  private stringArray(): void {
    const { hexIds, bigArray, rotation } = this;
    if (this.watchHex) for (const m of this.code.matchAll(/\b_0x[0-9a-f]{3,}\b/gi)) if (hexIds.size < 1000) hexIds.add(m[0]);
    const maxHexCalls = Math.max(0, ...this.hexIndexCalls.values());
    if ((hexIds.size >= 5 && (bigArray || rotation || maxHexCalls >= 3)) || hexIds.size >= 30 || (bigArray && rotation && maxHexCalls >= 5)) {
      const what = [
        hexIds.size ? `${hexIds.size} _0x identifiers` : '',
        bigArray ? (rotation ? 'a rotated string array' : 'a string array') : rotation ? 'an array rotation' : '',
        maxHexCalls >= 3 ? 'a decoder called with hex indexes' : '',
      ].filter(Boolean).join(', ');
      this.emit((bigArray ?? this.firstHexId)!, 'stringArray', { what }, 'the code was run through a string-array obfuscator (javascript-obfuscator style)');
    }
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
    const scan = new ObfuscationScan(ctx);
    return {
      Identifier: (node: AstNode) => scan.identifier(node),
      Literal: (node: AstNode) => scan.literal(node),
      ArrayExpression: (node: AstNode) => scan.arrayExpression(node),
      MemberExpression: (node: AstNode) => scan.member(node),
      'module:use': (e: ModuleUse) => scan.moduleUse(e),
      call: (e: CallInfo) => scan.call(e),
      ImportExpression: (node: AstNode) => scan.importExpression(node),
      'Program:exit': () => scan.finish(),
    };
  },
};
export default detector;
