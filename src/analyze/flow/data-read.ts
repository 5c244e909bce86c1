// Payloads kept in data files: what an executor runs (eval, Function, vm, module._compile) traced
// back to a file of the package read with fs (`fs.readFileSync(path.join(__dirname, 'x.dat'))`,
// `fs.promises.readFile(__dirname + '/x.txt')`, `require('./data.json').payload`) through the
// decodings on the way (`Buffer.from(…, 'base64').toString()`, `atob`, hex, a reversed string,
// percent-decoding, a JSON field). The package stage reads the file and analyses the decoded text
// as embedded code (package/data-payloads.ts). Only a path built on the file's own folder is a
// package file; a template compiled from a file's text (concatenated, replaced) is not a payload.
import type { AstNode } from '../ast.js';
import type { FileContext } from '../context.js';
import type { Scope } from '../scope.js';
import { fsContentRead } from '../api.js';
import { memberKey, unwrap } from './calls.js';

export interface DataRead {
  /** the file, relative to the reading file's folder (`payload.dat`, `../data/x.json`). */
  file: string;
  /** decodings applied to the text, in order: `base64`, `hex`, `reverse`, `percent`, `json:<field>`. */
  decodings: string[];
}

/** Stands for the reading file's folder in a path being folded. */
const HERE = '\u0001';
const MAX_DEPTH = 8;

/** The package file whose (decoded) text this expression is, or null. */
export function dataFileRead(ctx: FileContext, node: AstNode, scope: Scope, depth = 0): DataRead | null {
  if (depth > MAX_DEPTH) return null;
  const n = unwrap(node);
  const next = (x: AstNode, s: Scope = scope): DataRead | null => dataFileRead(ctx, x, s, depth + 1);
  const then = (inner: DataRead | null, decoding: string): DataRead | null => (inner ? { ...inner, decodings: [...inner.decodings, decoding] } : null);
  switch (n.type) {
    case 'Identifier': {
      const b = scope.lookup(n.name);
      return b?.init && !b.path && b.assigned.length === 0 ? next(b.init, b.initScope ?? b.scope) : null;
    }
    case 'AwaitExpression':
      return next(n.argument);
    case 'MemberExpression': {
      // JSON.parse(text).payload, require('./x.json').payload
      const key = memberKey(ctx, n, scope);
      return key === undefined ? null : then(jsonSource(ctx, n.object, scope, depth), `json:${key}`);
    }
    case 'CallExpression':
    case 'NewExpression':
      return callRead(ctx, n, scope, depth);
    default:
      return null;
  }
}

function callRead(ctx: FileContext, n: AstNode, scope: Scope, depth: number): DataRead | null {
  const args: AstNode[] = n.arguments;
  const next = (x: AstNode | undefined): DataRead | null => (x ? dataFileRead(ctx, x, scope, depth + 1) : null);
  const then = (inner: DataRead | null, decoding: string): DataRead | null => (inner ? { ...inner, decodings: [...inner.decodings, decoding] } : null);
  const callee = ctx.evaluate(n.callee, scope);
  if (fsContentRead(callee) && args[0]) {
    const file = packagePath(ctx, args[0], scope);
    return file ? { file, decodings: [] } : null;
  }
  if (callee.k === 'builtin') {
    if (callee.name === 'Buffer.from') {
      const enc = args[1] ? ctx.constString(args[1], scope) : 'utf8';
      if (enc === 'base64' || enc === 'base64url' || enc === 'hex') return then(next(args[0]), enc === 'hex' ? 'hex' : 'base64');
      return next(args[0]);
    }
    if (callee.name === 'atob') return then(next(args[0]), 'base64');
    if (callee.name === 'decodeURIComponent' || callee.name === 'unescape' || callee.name === 'decodeURI') return then(next(args[0]), 'percent');
    if (callee.name === 'String') return next(args[0]);
  }
  const c = unwrap(n.callee);
  if (c.type !== 'MemberExpression') return null;
  const m = memberKey(ctx, c, scope);
  if (m === 'toString') {
    const enc = args[0] ? ctx.constString(args[0], scope) : undefined;
    return enc === 'base64' || enc === 'hex' ? null : next(c.object);
  }
  if (m === 'trim') return next(c.object);
  // s.split('').reverse().join('')
  if (m === 'join' && (!args[0] || ctx.constString(args[0], scope) === '')) {
    const rev = unwrap(c.object);
    const rc = rev.type === 'CallExpression' ? unwrap(rev.callee) : null;
    if (rc?.type === 'MemberExpression' && memberKey(ctx, rc, scope) === 'reverse') {
      const split = unwrap(rc.object);
      const sc = split.type === 'CallExpression' ? unwrap(split.callee) : null;
      if (sc?.type === 'MemberExpression' && memberKey(ctx, sc, scope) === 'split') return then(next(sc.object), 'reverse');
    }
  }
  return null;
}

/** The data file behind `JSON.parse(read)` or `require('./x.json')`. */
function jsonSource(ctx: FileContext, node: AstNode, scope: Scope, depth: number): DataRead | null {
  const n = unwrap(node);
  if (n.type === 'Identifier') {
    const b = scope.lookup(n.name);
    return b?.init && !b.path && b.assigned.length === 0 ? jsonSource(ctx, b.init, b.initScope ?? b.scope, depth + 1) : null;
  }
  if (n.type !== 'CallExpression' || depth > MAX_DEPTH) return null;
  const callee = ctx.evaluate(n.callee, scope);
  if (callee.k === 'builtin' && callee.name === 'JSON.parse' && n.arguments[0]) return dataFileRead(ctx, n.arguments[0], scope, depth + 1);
  if (callee.k === 'require' && n.arguments[0]) {
    const spec = ctx.constString(n.arguments[0], scope);
    if (spec !== undefined && /^\.\.?\/.*\.json$/i.test(spec)) return { file: spec.replace(/^\.\//, ''), decodings: [] };
  }
  return null;
}

/** A path built on the file's own folder (`path.join(__dirname, 'x')`, `__dirname + '/x'`), relative to it. */
function packagePath(ctx: FileContext, node: AstNode, scope: Scope, depth = 0): string | null {
  const text = folded(ctx, node, scope, depth);
  if (text === null || !text.startsWith(HERE) || text.slice(1).includes(HERE)) return null;
  const rel = text.slice(1).replace(/\\/g, '/').replace(/^\/+/, '');
  return rel === '' || rel.includes('\u0000') ? null : rel;
}

function folded(ctx: FileContext, node: AstNode, scope: Scope, depth: number): string | null {
  if (depth > MAX_DEPTH) return null;
  const n = unwrap(node);
  if (n.type === 'Identifier' && n.name === '__dirname' && !scope.lookup('__dirname')) return HERE;
  const s = ctx.constString(n, scope);
  if (s !== undefined) return s;
  const sub = (x: AstNode): string | null => folded(ctx, x, scope, depth + 1);
  switch (n.type) {
    case 'Identifier': {
      const b = scope.lookup(n.name);
      return b?.init && !b.path && b.assigned.length === 0 ? folded(ctx, b.init, b.initScope ?? b.scope, depth + 1) : null;
    }
    case 'BinaryExpression': {
      if (n.operator !== '+') return null;
      const [l, r] = [sub(n.left), sub(n.right)];
      return l === null || r === null ? null : l + r;
    }
    case 'TemplateLiteral': {
      let out = n.quasis[0].value.cooked ?? '';
      for (let i = 0; i < n.expressions.length; i++) {
        const e = sub(n.expressions[i]);
        if (e === null) return null;
        out += e + (n.quasis[i + 1].value.cooked ?? '');
      }
      return out;
    }
    case 'CallExpression': {
      const callee = ctx.evaluate(n.callee, scope);
      const last = callee.k === 'member' && callee.module === 'path' ? callee.path[callee.path.length - 1] : '';
      if (last !== 'join' && last !== 'resolve') return null;
      const parts = (n.arguments as AstNode[]).map(sub);
      if (parts.some((p) => p === null)) return null;
      return normalize((parts as string[]).join('/'));
    }
    default:
      return null;
  }
}

/** `a//./b/../c` → `a/c` (the HERE marker is a segment like any other; `..` above it escapes it). */
function normalize(p: string): string {
  const out: string[] = [];
  for (const seg of p.split(/[\\/]+/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length && out[out.length - 1] !== '..' && out[out.length - 1] !== HERE) out.pop();
    else out.push(seg);
  }
  return out.join('/');
}
