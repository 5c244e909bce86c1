// Where in a sink a value lands. An env value that only says where a request goes (the URL's
// origin or leading path, a host, port, socket path, proxy or agent option) is configuration; one
// that rides in the request (body, query value, ordinary header, written data, command argument)
// is payload; a credential in a header, basic-auth field or path segment is in an authentication
// position, which the risk stage judges by who owns the destination (risk/ownership.ts).
//
// These are tables of API shapes and one URL splitter; nothing here knows a package name.
import type { AstNode } from '../ast.js';
import type { FileContext } from '../context.js';
import type { Scope } from '../scope.js';
import type { CallGraph } from './calls.js';
import { unwrap } from './calls.js';

export type SinkPosition = 'destination' | 'auth' | 'payload';

/** Option keys that say where a request or socket goes (http(s).request, fetch init, axios, got, net.connect). */
const DESTINATION_KEYS: ReadonlySet<string> = new Set([
  'url', 'uri', 'href', 'origin', 'host', 'hostname', 'port', 'socketPath', 'baseURL', 'baseUrl', 'prefixUrl', 'servername',
  'agent', 'httpAgent', 'httpsAgent', 'proxy', 'dispatcher', 'localAddress', 'localPort', 'family', 'lookup', 'protocol',
  'method', 'timeout', 'signal', 'ca', 'rejectUnauthorized', 'path', 'pathname', 'registry', 'connect', ':authority',
  ':path', ':scheme', ':method',
]);
/** Option keys that carry credentials for the destination (basic auth, TLS client credentials, SDK token fields). */
const AUTH_KEYS: ReadonlySet<string> = new Set([
  'auth', 'username', 'user', 'password', 'pass', 'token', 'apiKey', 'api_key', 'accessToken', 'access_token', 'bearer',
  'key', 'cert', 'pfx', 'passphrase', 'credentials', 'authorization',
]);
/** Header names that authenticate the request. */
const AUTH_HEADER = /^(?:(?:proxy-)?authorization|x-api-key|api-key|apikey|x-auth-token|x-access-token|private-token|cookie|x-[\w-]*(?:token|key|auth|secret)|[\w-]*-api-key|[\w-]*-auth)$/i;
/** Query parameter names an API defines for a credential. */
const AUTH_PARAM = /^(?:access_token|token|api_key|apikey|key|auth|sig|signature|client_secret|password)$/i;

export function headerPosition(name: string | undefined): SinkPosition {
  // a header whose name cannot be read (a Headers object filled elsewhere) is taken as authentication
  return name === undefined || AUTH_HEADER.test(name) ? 'auth' : 'payload';
}

/** The position of an option key of a request/socket options object. */
export function optionPosition(key: string): SinkPosition | 'headers' {
  if (key === 'headers') return 'headers';
  if (AUTH_KEYS.has(key)) return 'auth';
  if (DESTINATION_KEYS.has(key)) return 'destination';
  return 'payload';
}

/** One piece of a URL as written: constant text, or an expression (with the constant hosts it may be). */
interface Piece {
  text?: string;
  expr?: AstNode;
  scope: Scope;
}

/** A part of a URL expression that carries a value, with where in the URL it sits. */
interface UrlPart {
  expr: AstNode;
  scope: Scope;
  position: SinkPosition;
}

export interface UrlShape {
  parts: UrlPart[];
  /** constant hosts the URL may go to (from its constant origin or constant fallbacks). */
  hosts: string[];
  /** expressions that form the origin (env names there are the destination's own settings). */
  originExprs: { expr: AstNode; scope: Scope }[];
  /** false when the URL is one opaque value: positions are then a guess. */
  decomposed: boolean;
}

const MAX_DEPTH = 5;

function hostOf(text: string): string | undefined {
  const m = /^(?:[a-z][\w+.-]*:)?\/\/(?:[^@/?#]*@)?([^/:?#]+)/i.exec(text);
  return m ? m[1].toLowerCase() : undefined;
}

/**
 * Split a URL expression into constant text and expressions: `a + b`, templates, `new URL(p, base)`,
 * `.toString()`/`.href`, a binding's constant initialiser, a local function's single return.
 */
type Tainted = (node: AstNode, scope: Scope) => boolean;

function flatten(ctx: FileContext, calls: CallGraph, node: AstNode, scope: Scope, depth: number, out: Piece[], tainted: Tainted): void {
  const n = unwrap(node);
  // the evaluator folds `parts.join(',')` of an array filled by push() to '': trust a constant only when no data reaches it
  const text = tainted(n, scope) ? undefined : ctx.constString(n, scope);
  if (text !== undefined) {
    out.push({ text, scope });
    return;
  }
  if (depth < MAX_DEPTH) {
    if (n.type === 'BinaryExpression' && n.operator === '+') {
      flatten(ctx, calls, n.left, scope, depth + 1, out, tainted);
      flatten(ctx, calls, n.right, scope, depth + 1, out, tainted);
      return;
    }
    if (n.type === 'TemplateLiteral') {
      n.quasis.forEach((q: AstNode, i: number) => {
        if (q.value.cooked) out.push({ text: q.value.cooked, scope });
        if (n.expressions[i]) flatten(ctx, calls, n.expressions[i], scope, depth + 1, out, tainted);
      });
      return;
    }
    if (n.type === 'NewExpression' && n.callee.type === 'Identifier' && n.callee.name === 'URL' && n.arguments.length === 2) {
      flatten(ctx, calls, n.arguments[1], scope, depth + 1, out, tainted);
      out.push({ text: '/', scope });
      flatten(ctx, calls, n.arguments[0], scope, depth + 1, out, tainted);
      return;
    }
    if (n.type === 'NewExpression' && n.callee.type === 'Identifier' && n.callee.name === 'URL' && n.arguments.length === 1) {
      flatten(ctx, calls, n.arguments[0], scope, depth + 1, out, tainted);
      return;
    }
    if (n.type === 'MemberExpression' && !n.computed && n.property.name === 'href') {
      flatten(ctx, calls, n.object, scope, depth + 1, out, tainted);
      return;
    }
    if (n.type === 'CallExpression') {
      const c = unwrap(n.callee);
      if (c.type === 'MemberExpression' && !c.computed && c.property.name === 'toString' && n.arguments.length === 0) {
        flatten(ctx, calls, c.object, scope, depth + 1, out, tainted);
        return;
      }
      const fn = calls.resolveFn(c, scope);
      const rets = fn ? (fn.expression ? [{ arg: fn.body, scope: calls.fnScopes.get(fn) ?? scope }] : calls.returns.get(fn) ?? []) : [];
      if (rets.length === 1) {
        flatten(ctx, calls, rets[0].arg, rets[0].scope, depth + 1, out, tainted);
        return;
      }
    }
    if (n.type === 'Identifier') {
      const b = scope.lookup(n.name);
      if (b && b.init && !b.path && b.kind !== 'param' && b.kind !== 'import') {
        flatten(ctx, calls, b.init, b.initScope ?? b.scope, depth + 1, out, tainted);
        // `let u = base; u += '?t=' + x`: whatever was appended later sits after the initial value
        if (b.kind !== 'const' || b.assigned.length) out.push({ expr: n, scope });
        return;
      }
    }
  }
  out.push({ expr: n, scope });
}

/** Constant hosts an origin expression may evaluate to (`process.env.BASE || 'https://api.x.com'`). */
function constHosts(ctx: FileContext, node: AstNode, scope: Scope, depth = 0): string[] {
  const n = unwrap(node);
  const text = ctx.constString(n, scope);
  if (text !== undefined) {
    const h = hostOf(text);
    return h ? [h] : [];
  }
  if (depth > 3) return [];
  if (n.type === 'LogicalExpression') return [...constHosts(ctx, n.left, scope, depth + 1), ...constHosts(ctx, n.right, scope, depth + 1)];
  if (n.type === 'ConditionalExpression') return [...constHosts(ctx, n.consequent, scope, depth + 1), ...constHosts(ctx, n.alternate, scope, depth + 1)];
  if (n.type === 'Identifier') {
    const b = scope.lookup(n.name);
    if (b && b.init && !b.path && b.kind !== 'param') return constHosts(ctx, b.init, b.initScope ?? b.scope, depth + 1);
  }
  return [];
}

/**
 * Where each value-carrying piece of a URL sits. Leading expressions (before any constant path or
 * query text) form the origin or a path prefix: destination. A value right before a constant
 * `.zone` is a DNS label under someone's zone: payload. After the origin, a path segment is an
 * authentication position (tokens in paths: `…/bot<TOKEN>/…`), a query value is payload unless its
 * parameter names a credential.
 */
export function urlShape(ctx: FileContext, calls: CallGraph, node: AstNode, scope: Scope, tainted: Tainted): UrlShape {
  const pieces: Piece[] = [];
  flatten(ctx, calls, node, scope, 0, pieces, tainted);
  const parts: UrlPart[] = [];
  const hosts: string[] = [];
  const originExprs: { expr: AstNode; scope: Scope }[] = [];
  let state: 'origin' | 'path' | 'query' = 'origin';
  let seenText = false;
  let param = '';
  pieces.forEach((p, i) => {
    if (p.text !== undefined) {
      let t = p.text;
      if (state === 'origin') {
        if (!seenText) {
          const h = hostOf(t);
          if (h) hosts.push(h);
        }
        t = t.replace(/^[a-z][\w+.-]*:\/\//i, '').replace(/^\/\//, '');
        // a leading '/' right after an origin expression starts the path
        const q = t.search(/[?#]/);
        const s = t.indexOf('/');
        if (q >= 0 && (s < 0 || q < s)) state = 'query';
        else if (s >= 0) state = t.slice(s).includes('?') ? 'query' : 'path';
      } else if (state === 'path' && /[?#]/.test(t)) state = 'query';
      if (state === 'query') {
        const m = /(?:^|[?&;])([^=&?;]*)=[^&;]*$/.exec(t);
        if (m) param = m[1];
        else if (/[&;?]$/.test(t)) param = '';
      }
      seenText = true;
      return;
    }
    const expr = p.expr!;
    if (state === 'origin') {
      // `${secret}.ns.attacker.invalid`: a label under a constant zone is carried to that zone
      const next = pieces[i + 1];
      if (next?.text !== undefined && /^\.[a-z0-9-]+\.[a-z]/i.test(next.text)) {
        parts.push({ expr, scope: p.scope, position: 'payload' });
        const h = hostOf('//' + next.text.slice(1));
        if (h) hosts.push(h);
        return;
      }
      hosts.push(...constHosts(ctx, expr, p.scope));
      originExprs.push({ expr, scope: p.scope });
      parts.push({ expr, scope: p.scope, position: 'destination' });
      return;
    }
    if (state === 'path') {
      parts.push({ expr, scope: p.scope, position: 'auth' });
      return;
    }
    parts.push({ expr, scope: p.scope, position: AUTH_PARAM.test(param) ? 'auth' : 'payload' });
  });
  return { parts, hosts: [...new Set(hosts)], originExprs, decomposed: pieces.length > 1 || pieces[0]?.text !== undefined };
}

/** A constant host name for a host/hostname option (`hostname: 'api.x.com'`). */
export function constHost(ctx: FileContext, node: AstNode, scope: Scope): string[] {
  const n = unwrap(node);
  const text = ctx.constString(n, scope);
  if (text !== undefined) return [text.toLowerCase().replace(/:\d+$/, '')];
  return constHosts(ctx, n, scope).length ? constHosts(ctx, n, scope) : [];
}
