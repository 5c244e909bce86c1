// Network and process sinks of a file: which calls send data out (http(s).request/get, fetch,
// well-known HTTP clients, net/tls sockets, dgram, dns lookups, WebSocket, XMLHttpRequest,
// sendBeacon, child processes) and which arguments carry it, labelled (`url`, `body`, `command`);
// methods of request/socket/child objects the file created count too (`req.write(x)`), with the
// call that created the object (its url and options say where the data goes).
import { DATA_SECOND_CLIENTS, HTTP_CLIENT_MODULES, processCall } from '../api.js';
import type { AstNode } from '../ast.js';
import type { CallInfo, FileContext } from '../context.js';
import type { Scope } from '../scope.js';
import type { Val } from '../values.js';
import { literalOf, memberKey, unwrap } from './calls.js';
import { commandText, networkTool } from './shell.js';

const CLIENT_METHODS = /^(?:request|get|post|put|patch|delete|del|head|options|fetch|stream|send)$/;
const DNS_METHODS = /^(?:lookup|lookupService|reverse|resolve\w*)$/;
/** Calls through which a request/socket object is returned unchanged: `https.request(…).on('error', f).end(x)`. */
const CHAINABLE = new Set(['on', 'once', 'addListener', 'prependListener', 'setTimeout', 'setHeader', 'setNoDelay', 'setKeepAlive', 'setEncoding', 'ref', 'unref', 'cork', 'uncork', 'removeHeader', 'catch', 'setMaxListeners']);

/** Methods through which a request/socket/child created in the file sends data. */
const SINK_METHODS = /^(?:write|end|send|open|request|connect|setRequestHeader|setHeader|lookup|lookupService|reverse|resolve\w*)$/;

export interface SinkPart {
  arg: AstNode;
  label: string;
  /** a header's name (setHeader / setRequestHeader): decides auth vs payload. */
  header?: string;
  /** this argument only says where the data goes (dgram's port and address). */
  destination?: boolean;
}

export interface Sink {
  node: AstNode;
  scope: Scope;
  name: string;
  parts: SinkPart[];
  /** process sinks: what the command line is, to decide which flows count. */
  process?: { tool: string | null };
  /** methods on a request/socket object: the call that created it (its url and options say where it goes). */
  origin?: AstNode;
}

interface Origin {
  node: AstNode;
  scope: Scope;
  callee: Val;
}

function calleeModule(v: Val): { mod: string; last: string; path: string[] } | null {
  if (v.k === 'member') return { mod: v.module, last: v.path[v.path.length - 1], path: v.path };
  if (v.k === 'module') return { mod: v.name, last: '', path: [] };
  return null;
}

function isFn(node: AstNode): boolean {
  return node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}

const httpName = (v: Val): string | null => {
  const m = calleeModule(v);
  if (m && (m.mod === 'http' || m.mod === 'https') && m.path.length === 1 && (m.last === 'request' || m.last === 'get')) return `${m.mod}.${m.last}`;
  return null;
};
const socketName = (v: Val): string | null => {
  const m = calleeModule(v);
  if (m && (m.mod === 'net' || m.mod === 'tls') && /^(?:connect|createConnection|Socket|TLSSocket)$/.test(m.last)) return `${m.mod} socket`;
  return null;
};
const isDgramSocket = (v: Val): boolean => {
  const m = calleeModule(v);
  return !!m && m.mod === 'dgram' && (m.last === 'createSocket' || m.last === 'Socket');
};
const isWebSocket = (v: Val): boolean =>
  (v.k === 'builtin' && v.name === 'WebSocket') || (v.k === 'module' && v.name === 'ws') || (v.k === 'member' && v.module === 'ws' && v.path[v.path.length - 1] === 'WebSocket');
const isXhr = (v: Val): boolean => v.k === 'builtin' && v.name === 'XMLHttpRequest';
const isHttp2Session = (v: Val): boolean => v.k === 'member' && v.module === 'http2' && v.path[v.path.length - 1] === 'connect';

function stringish(node: AstNode): boolean {
  const n = unwrap(node);
  return n.type === 'Literal' || n.type === 'TemplateLiteral' || n.type === 'BinaryExpression';
}

function positional(args: AstNode[], labels: string[]): SinkPart[] {
  return args.map((a, i) => ({ arg: a, label: labels[Math.min(i, labels.length - 1)] })).filter((p) => !isFn(p.arg));
}

/** Builds a file's sinks: one `classify` per call. */
export class SinkFinder {
  constructor(private readonly ctx: FileContext) {}

  /** The sink this call is, with the arguments that carry data, or null. */
  classify(e: CallInfo, scope: Scope): Sink | null {
    const node = e.node;
    const args: AstNode[] = node.arguments;
    const c = e.callee;
    // most calls are neither a known sink nor a method that writes to a request or socket
    if (args.length === 0) return null;
    if (c.k !== 'member' && c.k !== 'module' && c.k !== 'builtin') {
      const cal = node.callee;
      if (cal.type !== 'MemberExpression' || cal.computed || !SINK_METHODS.test(cal.property.name)) {
        if (cal.type !== 'MemberExpression' || !cal.computed) return null;
      }
    }
    const mk = (name: string, parts: SinkPart[], process?: Sink['process'], origin?: AstNode): Sink | null =>
      parts.length ? { node, scope, name, parts, ...(process ? { process } : {}), ...(origin ? { origin } : {}) } : null;
    const pc = processCall(c);
    if (pc) {
      const tool = networkTool(commandText(this.ctx, this.ctx.calls, node, scope, pc));
      const parts: SinkPart[] = [];
      // spawn/execFile's first argument only names the program to run (COMSPEC, SHELL, EDITOR
      // from the env); data leaves through a shell command line or the argument list
      if (args[0] && pc.shell) parts.push({ arg: args[0], label: 'command' });
      if (!pc.shell && args[1] && args[1].type !== 'ObjectExpression' && !isFn(args[1])) parts.push({ arg: args[1], label: 'arguments' });
      return mk(pc.name, parts, { tool });
    }
    const known = this.moduleSink(c, args, scope, mk);
    if (known !== undefined) return known;
    if (c.k === 'builtin') {
      if (c.name === 'fetch') return mk('fetch', positional(args, ['url', 'options']));
      if (c.name === 'WebSocket' || c.name === 'EventSource') return mk(c.name, positional(args.slice(0, 1), ['url']));
      if (c.name === 'navigator.sendBeacon') return mk('navigator.sendBeacon', positional(args, ['url', 'data']));
    }
    return this.methodSink(node, args, scope, mk);
  }

  /** A module's sending function (`https.request`, `axios.post`, `dns.lookup`); undefined when the callee is no such module member. */
  private moduleSink(c: Val, args: AstNode[], scope: Scope, mk: (name: string, parts: SinkPart[]) => Sink | null): Sink | null | undefined {
    const m = calleeModule(c);
    if (!m) return undefined;
    const { mod, last, path } = m;
    const h = httpName(c);
    if (h) return mk(h, args.filter((a) => !isFn(a)).map((a, i) => ({ arg: a, label: stringish(a) || (i === 0 && !literalOf(a, scope)) ? 'url' : 'options' })));
    if (mod === 'http2' && last === 'connect') return mk('http2.connect', positional(args.slice(0, 1), ['url']));
    if ((mod === 'net' || mod === 'tls') && (last === 'connect' || last === 'createConnection')) return mk(`${mod}.${last}`, this.socketTarget(args));
    if ((mod === 'dns' || mod === 'dns/promises') && DNS_METHODS.test(last)) return mk(`dns.${last}`, positional(args.slice(0, 1), ['hostname']));
    if (HTTP_CLIENT_MODULES.has(mod) && (path.length === 0 || (path.length <= 2 && CLIENT_METHODS.test(last)))) {
      // axios.post(url, data, config) and needle.post(url, data) take the data second; the rest take options
      const dataSecond = DATA_SECOND_CLIENTS.has(mod) && /^(?:post|put|patch)$/.test(last);
      const parts = args.filter((a) => !isFn(a)).map((a, i) => ({
        arg: a,
        label: (i === 0 && unwrap(a).type !== 'ObjectExpression') || stringish(a) ? 'url' : dataSecond && i === 1 ? 'data' : 'options',
      }));
      return mk(path.length ? `${mod}.${path.join('.')}` : mod, parts);
    }
    if (isWebSocket(c)) return mk('WebSocket', positional(args.slice(0, 1), ['url']));
    return undefined;
  }

  /** Methods on request / socket / child objects created in this file (`req.write(x)`, `child.stdin.write(x)`). */
  private methodSink(node: AstNode, args: AstNode[], scope: Scope, mk: (name: string, parts: SinkPart[], process?: Sink['process'], origin?: AstNode) => Sink | null): Sink | null {
    const callee = unwrap(node.callee);
    if (callee.type !== 'MemberExpression') return null;
    const method = memberKey(this.ctx, callee, scope);
    if (method === undefined) return null;
    if ((method === 'write' || method === 'end') && unwrap(callee.object).type === 'MemberExpression' && memberKey(this.ctx, unwrap(callee.object), scope) === 'stdin') {
      const child = this.originOf(unwrap(callee.object).object, scope);
      const cpc = child ? processCall(child.callee) : null;
      if (child && cpc) {
        const tool = networkTool(commandText(this.ctx, this.ctx.calls, child.node, child.scope, cpc));
        return mk(cpc.name, positional(args.slice(0, 1), ['stdin']), { tool });
      }
      return null;
    }
    if (!SINK_METHODS.test(method)) return null;
    const o = unwrap(callee.object).type === 'ThisExpression' ? this.thisOrigin(scope) : this.originOf(callee.object, scope);
    if (!o) return null;
    const oc = o.callee;
    const at = (name: string, parts: SinkPart[]): Sink | null => mk(name, parts, undefined, o.node);
    const hn = httpName(oc);
    if (hn && (method === 'write' || method === 'end')) return at(hn, positional(args.slice(0, 1), ['body']));
    if (hn && method === 'setHeader') return at(hn, positional(args.slice(1, 2), ['headers']).map((p) => ({ ...p, header: this.headerName(args[0]) })));
    const sn = socketName(oc);
    if (sn && (method === 'write' || method === 'end')) return at(sn, positional(args.slice(0, 1), ['write']));
    if (sn && method === 'connect') return at(sn, this.socketTarget(args));
    // dgram send(msg, [offset, length,] port, address): only the message is data
    if (isDgramSocket(oc) && method === 'send') return at('dgram', positional(args, ['send']).map((p, i) => (i === 0 ? p : { ...p, destination: true })));
    if (isWebSocket(oc) && method === 'send') return at('WebSocket', positional(args.slice(0, 1), ['send']));
    if (isXhr(oc) && method === 'send') return at('XMLHttpRequest', positional(args.slice(0, 1), ['send']));
    if (isXhr(oc) && method === 'open') return at('XMLHttpRequest', positional(args.slice(1, 2), ['url']));
    if (isXhr(oc) && method === 'setRequestHeader') return at('XMLHttpRequest', positional(args.slice(1, 2), ['header']).map((p) => ({ ...p, header: this.headerName(args[0]) })));
    if (isHttp2Session(oc) && method === 'request') return at('http2', positional(args.slice(0, 1), ['request headers']));
    // new dns.Resolver(): its lookups are DNS queries too (a name built from a secret leaves in the query)
    if (oc.k === 'member' && (oc.module === 'dns' || oc.module === 'dns/promises') && oc.path[oc.path.length - 1] === 'Resolver' && DNS_METHODS.test(method)) {
      return at(`dns.Resolver.${method}`, positional(args.slice(0, 1), ['hostname']));
    }
    return null;
  }

  private headerName(n: AstNode | undefined): string | undefined {
    return n ? this.ctx.constString(n, this.ctx.scope()) : undefined;
  }

  /** net.connect(options) names its target in options; connect(port, host) / connect(path) only say where. */
  private socketTarget(args: AstNode[]): SinkPart[] {
    return args
      .filter((a) => !isFn(a))
      .map((a) => (unwrap(a).type === 'ObjectExpression' || literalOf(a, this.ctx.scope()) ? { arg: a, label: 'options' } : { arg: a, label: 'target', destination: true }));
  }

  /** The call that created a request/socket object, through bindings and chained calls. */
  private originOf(expr: AstNode, scope: Scope, depth = 0): Origin | null {
    if (depth > 6) return null;
    let n = unwrap(expr);
    if (n.type === 'AwaitExpression') n = unwrap(n.argument);
    if (n.type === 'CallExpression' || n.type === 'NewExpression') {
      const c = unwrap(n.callee);
      if (c.type === 'MemberExpression') {
        const k = memberKey(this.ctx, c, scope);
        if (k !== undefined && CHAINABLE.has(k)) return this.originOf(c.object, scope, depth + 1);
      }
      return { node: n, scope, callee: this.ctx.evaluate(c, scope) };
    }
    if (n.type === 'Identifier') {
      const b = scope.lookup(n.name);
      if (!b || b.path) return null;
      const cands = [...(b.init ? [{ value: b.init, scope: b.initScope ?? b.scope }] : []), ...b.assigned];
      for (const c of cands) {
        const o = this.originOf(c.value, c.scope, depth + 1);
        if (o) return o;
      }
    }
    return null;
  }

  /** `net.connect(…, function () { this.write(x) })`: `this` in a callback is what the call created. */
  private thisOrigin(scope: Scope): Origin | null {
    const anc = this.ctx.ancestors;
    for (let i = anc.length - 2; i > 0; i--) {
      const n = anc[i];
      if (n.type === 'FunctionDeclaration' || n.type === 'ClassBody') return null;
      if (n.type !== 'FunctionExpression') continue; // arrows keep the outer `this`
      const call = anc[i - 1];
      if ((call.type !== 'CallExpression' && call.type !== 'NewExpression') || !call.arguments.includes(n)) return null;
      const c = unwrap(call.callee);
      if (c.type === 'MemberExpression' && CHAINABLE.has(memberKey(this.ctx, c, scope) ?? '')) return this.originOf(c.object, scope);
      return { node: call, scope, callee: this.ctx.evaluate(c, scope) };
    }
    return null;
  }
}
