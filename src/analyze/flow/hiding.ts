// How a constant is hidden: assembled, escaped, char-coded or decoded (and by which decoder), and
// whether what an executor runs comes from decoded data shipped in the package — the obfuscation
// detector's analyses, following bindings, parameters (every call site, from the call graph) and
// local functions.
import type { AstNode } from '../ast.js';
import type { FileContext } from '../context.js';
import type { Scope } from '../scope.js';
import type { Val } from '../values.js';
import type { CallGraph } from './calls.js';
import { memberKey, unwrap } from './calls.js';
import { encodedLiteral, unnecessaryEscapes } from './encoding.js';
import { dataFileRead } from './data-read.js';

export const isFunctionCtor = (v: Val): boolean => v.k === 'builtin' && /^Function(?:\.constructor)?$/.test(v.name);

export class Hiding {
  private readonly calls: CallGraph;

  /** `consumed`: escaped literals reported as a hidden name (not again as escaped strings). */
  constructor(
    private readonly ctx: FileContext,
    private readonly consumed: Set<AstNode>,
  ) {
    this.calls = ctx.calls;
  }

  private raw(n: AstNode): string {
    return this.ctx.code.slice(n.start, n.end);
  }

  /** How a constant was hidden, or null when it is written plainly (a literal, or a binding of one). */
  hiddenHow(node: AstNode, scope: Scope, depth = 0): string | null {
    if (depth > 6) return null;
    const n = unwrap(node);
    switch (n.type) {
      case 'Literal':
        if (typeof n.value === 'string' && unnecessaryEscapes(this.raw(n)) > 0) {
          this.consumed.add(n);
          return 'escaped';
        }
        return null;
      case 'TemplateLiteral':
        if (n.expressions.length === 0) return unnecessaryEscapes(this.raw(n)) > 0 ? 'escaped' : null;
        return 'assembled';
      case 'Identifier': {
        const b = scope.lookup(n.name);
        if (b && b.init && !b.path) return this.hiddenHow(b.init, b.initScope ?? b.scope, depth + 1);
        if (b && b.path) return 'assembled';
        return null;
      }
      case 'ConditionalExpression':
      case 'LogicalExpression': {
        // choosing between written names (`cjs ? 'require' : 'import'`) hides nothing; a hidden branch does
        const branches: AstNode[] = n.type === 'LogicalExpression' ? [n.left, n.right] : [n.consequent, n.alternate];
        for (const br of branches) {
          // a branch that is no constant string (a condition, a runtime value) names nothing
          if (this.ctx.constString(br, scope) === undefined) continue;
          const how = this.hiddenHow(br, scope, depth + 1);
          if (how) return how;
        }
        return null;
      }
      case 'CallExpression':
      case 'NewExpression': {
        const d = this.decoderOf(n, scope);
        if (d) return d === 'char codes' ? 'char-coded' : 'decoded';
        // Buffer.from(…, 'base64').toString(): the receiver did the decoding
        const c = unwrap(n.callee);
        if (c.type === 'MemberExpression' && /^(?:toString|trim|slice|substring|substr|toLowerCase|toUpperCase)$/.test(memberKey(this.ctx, c, scope) ?? '')) {
          const inner = this.hiddenHow(c.object, scope, depth + 1);
          if (inner === 'decoded' || inner === 'char-coded') return inner;
        }
        return 'assembled';
      }
      default:
        return 'assembled';
    }
  }

  /** The decoding a call performs, if it is one: base64, hex, char codes, … */
  decoderOf(call: AstNode, scope: Scope): string | null {
    if (call.type !== 'CallExpression' && call.type !== 'NewExpression') return null;
    const callee = unwrap(call.callee);
    const cv = this.ctx.evaluate(callee, scope);
    const args: AstNode[] = call.arguments;
    if (cv.k === 'builtin') {
      if (cv.name === 'Buffer.from' && args[1]) {
        const enc = this.ctx.constString(args[1], scope);
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
      const m = memberKey(this.ctx, callee, scope);
      if (m === 'apply') {
        const f = this.ctx.evaluate(callee.object, scope);
        if (f.k === 'builtin' && f.name === 'String.fromCharCode') return 'char codes';
      }
      if (m === 'reverse') return 'reversed string';
    }
    return null;
  }

  /** Is a value constant data written in the package (literals, arrays of them, bindings of them)? */
  shipped(node: AstNode | undefined, scope: Scope, depth: number): boolean {
    if (!node || depth > 8) return false;
    const n = unwrap(node.type === 'SpreadElement' ? node.argument : node);
    if (this.ctx.constString(n, scope) !== undefined) return true;
    switch (n.type) {
      case 'Literal':
        return true;
      case 'ArrayExpression':
        return n.elements.every((e: AstNode | null) => e !== null && this.shipped(e, scope, depth + 1));
      case 'UnaryExpression':
        return this.shipped(n.argument, scope, depth + 1);
      case 'Identifier': {
        const b = scope.lookup(n.name);
        if (b?.kind === 'param') {
          // a decoding helper: shipped when every caller hands it shipped data
          const sites = this.calls.argsFor(b);
          return sites.length > 0 && sites.length <= 20 && sites.every((site) => this.shipped(site.node, site.scope, depth + 1));
        }
        if (!b || b.kind === 'import' || !b.init || b.path) return false;
        return b.assigned.length === 0 && this.shipped(b.init, b.initScope ?? b.scope, depth + 1);
      }
      case 'CallExpression':
      case 'NewExpression': {
        // a data file of the package read with fs (`fs.readFileSync(path.join(__dirname, 'x.dat'))`) ships too
        if (this.decodedOrigin(n, scope, depth + 1) !== null || dataFileRead(this.ctx, n, scope) !== null) return true;
        // 'a,b'.split(',').reverse().join(''): methods of shipped data with shipped arguments
        const c = unwrap(n.callee);
        return c.type === 'MemberExpression' && this.shipped(c.object, scope, depth + 1) && n.arguments.every((a: AstNode) => this.shipped(a, scope, depth + 1));
      }
      case 'MemberExpression': {
        // x.toString() / arr.join('') / s.split('') chains over shipped data
        return this.shipped(n.object, scope, depth + 1);
      }
      default:
        return false;
    }
  }

  /** The data a decoder call decodes is shipped in the package. */
  shippedInput(call: AstNode, scope: Scope, depth: number): boolean {
    const callee = unwrap(call.callee);
    const args: AstNode[] = call.arguments;
    if (callee.type === 'MemberExpression') {
      const m = memberKey(this.ctx, callee, scope);
      if (m === 'apply') return this.shipped(args[1], scope, depth + 1);
      if (m === 'reverse') return this.shipped(callee.object, scope, depth + 1);
      const cv = this.ctx.evaluate(callee, scope);
      if (cv.k === 'member' && (cv.module === 'zlib' || cv.module === 'crypto')) return true;
    }
    if (args.length === 0) return false;
    return args.every((a) => this.shipped(a, scope, depth + 1)) || this.shipped(args[0], scope, depth + 1);
  }

  /** Is what an executor runs decoded (or built from a long encoded literal)? The decoding, if so. */
  decodedOrigin(node: AstNode | undefined, scope: Scope, depth = 0, seen = new Set<unknown>()): string | null {
    if (!node || depth > 8) return null;
    const n = unwrap(node);
    if (seen.has(n)) return null;
    seen.add(n);
    const sub = (x: AstNode | undefined, s: Scope = scope): string | null => this.decodedOrigin(x, s, depth + 1, seen);
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
          for (const site of this.calls.argsFor(b)) {
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
        const d = this.decoderOf(n, scope);
        if (d) {
          // decoding counts only when what is decoded ships in the package (constants, nested
          // layers of them): decodeURIComponent(options.filter) of the user's input is plain eval
          return this.shippedInput(n, scope, depth) ? d : null;
        }
        const fn = this.calls.resolveFn(n.callee, scope);
        if (fn) {
          if (fn.expression) return sub(fn.body, this.calls.fnScopes.get(fn) ?? scope);
          for (const r of this.calls.returns.get(fn) ?? []) {
            const x = sub(r.arg, r.scope);
            if (x) return x;
          }
          return null;
        }
        const c = unwrap(n.callee);
        if (c.type === 'MemberExpression') {
          // x.toString(), x.join(''), x.replace(…), x.slice(…): the receiver decides
          const m = memberKey(this.ctx, c, scope);
          if (m !== undefined && /^(?:toString|join|replace|replaceAll|slice|substring|substr|trim|concat|split|map|filter|update|final|reverse)$/.test(m)) {
            return sub(c.object) ?? (m === 'concat' || m === 'update' ? n.arguments.map((a: AstNode) => sub(a)).find(Boolean) ?? null : null);
          }
        }
        return null;
      }
      default:
        return null;
    }
  }

  /** Is the expression the global object obtained through `Function('return this')()`? */
  fromFunctionThis(node: AstNode, scope: Scope, depth = 0): boolean {
    if (depth > 4) return false;
    const n = unwrap(node);
    if (n.type === 'Identifier') {
      const b = scope.lookup(n.name);
      return !!b && !!b.init && !b.path && this.fromFunctionThis(b.init, b.initScope ?? b.scope, depth + 1);
    }
    if (n.type === 'LogicalExpression') return this.fromFunctionThis(n.left, scope, depth + 1) || this.fromFunctionThis(n.right, scope, depth + 1);
    if (n.type === 'ConditionalExpression') return this.fromFunctionThis(n.consequent, scope, depth + 1) || this.fromFunctionThis(n.alternate, scope, depth + 1);
    if (n.type !== 'CallExpression') return false;
    const inner = unwrap(n.callee);
    if (inner.type !== 'CallExpression' && inner.type !== 'NewExpression') return false;
    const f = this.ctx.evaluate(inner.callee, scope);
    if (f.k !== 'builtin' || !/^Function(?:\.constructor)?$/.test(f.name)) return false;
    const body = inner.arguments.length ? this.ctx.constString(inner.arguments[inner.arguments.length - 1], scope) : undefined;
    return body !== undefined && /^\s*(?:["']use strict["'];?\s*)?return\s+this\s*;?\s*$/.test(body);
  }

  /** `x.constructor.constructor`: the Function constructor whatever x is (`this`, `[]`, an object). */
  doubleCtor(n: AstNode, scope: Scope): boolean {
    const x = unwrap(n);
    if (x.type !== 'MemberExpression' || memberKey(this.ctx, x, scope) !== 'constructor') return false;
    const o = unwrap(x.object);
    return o.type === 'MemberExpression' && memberKey(this.ctx, o, scope) === 'constructor';
  }

  /** A call of a local helper that turns its array argument into a string with String.fromCharCode. */
  isCharCodeHelper(node: AstNode, scope: Scope): boolean {
    const fn = this.calls.resolveFn(node.callee, scope);
    if (!fn) return false;
    const ret = fn.expression ? fn.body : this.calls.returns.get(fn)?.[0]?.arg;
    if (!ret) return false;
    const inner = unwrap(ret);
    return inner.type === 'CallExpression' && this.decoderOf(inner, this.calls.fnScopes.get(fn) ?? scope) === 'char codes';
  }
}
