// exfiltration: an environment value (one name, a computed key, the whole environment — or a
// credential file's contents, or an environment dump read from a child process) flows inside this
// file into a network or process sink: http(s).request/get (url, options, `req.write/end` body),
// fetch (url, body, headers), well-known HTTP clients, net/tls sockets, dgram sends, dns lookups
// (env in a hostname), WebSocket urls and sends, XMLHttpRequest, sendBeacon, and the command line of
// a child process that reaches the network (`curl`, `wget`, `nc`) or receives a secret or the whole
// environment. One finding per (source, sink) pair, at the sink, with both ends in `flow`.
//
// Shell commands that dump the environment (`env | curl …`, `printenv`, `cat /proc/self/environ`)
// are reported here as `child-process` findings saying what the command does, and also as
// `exfiltration` when the same command line sends (a network tool, or `$SECRET` expanded into it).
//
// Not sources, by design: proxy settings (HTTP_PROXY & co. are where a request goes, not data it
// carries) and ordinary configuration names (NODE_ENV, DEBUG, HOME, USER, CI … — risk/secret-names'
// benign list). Whether a flow is a vendor sending its own key to its own service is the risk
// stage's call: the env name is in flow.source.detail (`process.env.STRIPE_API_KEY`).
import { DATA_SECOND_CLIENTS, ENV_TRIGGERS, FS_MODULES, HTTP_CLIENT_MODULES, PROCESS_LIBRARIES, fsContentRead, processCall, type ProcessCall } from '../api.js';
import type { AstNode } from '../ast.js';
import type { CallInfo, Detector, FileContext } from '../context.js';
import type { Scope } from '../scope.js';
import type { Val } from '../values.js';
import { isSecretName } from '../../risk/secret-names.js';
import { isIgnoredEnvName } from '../flow/env-names.js';
import { literalOf, memberKey, propertyKey, unwrap } from '../flow/calls.js';
import { PathEvaluator, credentialFile } from '../flow/paths.js';
import { commandText, dumpsEnvironment, envRefs, networkTool } from '../flow/shell.js';
import { TaintAnalysis, type TaintSource } from '../flow/taint.js';
import { constHost, headerPosition, optionPosition, urlShape, type SinkPosition } from '../flow/sink-position.js';


const CLIENT_METHODS = /^(?:request|get|post|put|patch|delete|del|head|options|fetch|stream|send)$/;
const DNS_METHODS = /^(?:lookup|lookupService|reverse|resolve\w*)$/;
/** Calls through which a request/socket object is returned unchanged: `https.request(…).on('error', f).end(x)`. */
const CHAINABLE = new Set(['on', 'once', 'addListener', 'prependListener', 'setTimeout', 'setHeader', 'setNoDelay', 'setKeepAlive', 'setEncoding', 'ref', 'unref', 'cork', 'uncork', 'removeHeader', 'catch', 'setMaxListeners']);

/** Methods through which a request/socket/child created in the file sends data. */
const SINK_METHODS = /^(?:write|end|send|open|request|connect|setRequestHeader|setHeader|lookup|lookupService|reverse|resolve\w*)$/;
/** Sink labels whose argument is a URL or host name: split into origin (destination) and the rest. */
const URL_LABELS = new Set(['url', 'hostname']);

interface Found {
  s: TaintSource;
  label: string;
  position: SinkPosition;
}

interface SinkPart {
  arg: AstNode;
  label: string;
  /** a header's name (setHeader / setRequestHeader): decides auth vs payload. */
  header?: string;
  /** this argument only says where the data goes (dgram's port and address). */
  destination?: boolean;
}

/** Where one sink call sends data: constant hosts, and the env names that form its destination. */
interface Destination {
  hosts: string[];
  env: string[];
}

interface Sink {
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

const detector: Detector = {
  meta: {
    rules: ['exfiltration'],
    // a finding needs an env read (ENV_TRIGGERS), a dumping child process, or a file read
    triggers: [...ENV_TRIGGERS, 'Bun', 'Deno'],
    modules: ['process', 'child_process', ...FS_MODULES, ...PROCESS_LIBRARIES],
  },
  create(ctx: FileContext) {
    const calls = ctx.calls;
    const paths = new PathEvaluator(ctx, calls);
    let envSeen = false;
    let otherSources = false;
    const sinks: Sink[] = [];

    const fsRead = fsContentRead;
    const fileSources = (call: AstNode, scope: Scope): TaintSource[] | null => {
      const out: TaintSource[] = [];
      for (const p of paths.values(call.arguments[0], scope)) {
        const c = credentialFile(p);
        if (c && !out.some((o) => o.detail === c.path)) out.push({ kind: c.environ ? 'whole' : 'file', detail: c.path, node: call });
      }
      return out.length ? out : null;
    };
    const dumpSource = (call: AstNode, scope: Scope, pc: ProcessCall): TaintSource[] | null => {
      const what = dumpsEnvironment(commandText(ctx, calls, call, scope, pc));
      return what ? [{ kind: 'whole', detail: `environment dump \`${what}\``, node: call }] : null;
    };

    const taint = new TaintAnalysis(ctx, calls, {
      ignoreName: isIgnoredEnvName,
      callSource(call, scope) {
        const cv = ctx.evaluate(unwrap(call.callee), scope);
        // readFileSync's value, a promise API's (awaited) value, a stream; callback-style results are undefined anyway
        if (fsRead(cv)) return fileSources(call, scope);
        const pc = processCall(cv);
        if (pc && pc.sync) return dumpSource(call, scope, pc);
        return null;
      },
      callbackSource(call, scope, fnArgIndex, paramIndex) {
        const cv = ctx.evaluate(unwrap(call.callee), scope);
        if (paramIndex !== 1 || fnArgIndex === 0) return null;
        if (fsRead(cv) === 'readFile') return fileSources(call, scope);
        const pc = processCall(cv);
        if (pc && !pc.sync) return dumpSource(call, scope, pc);
        return null;
      },
    });

    /** The call that created a request/socket object, through bindings and chained calls. */
    const originOf = (expr: AstNode, scope: Scope, depth = 0): Origin | null => {
      if (depth > 6) return null;
      let n = unwrap(expr);
      if (n.type === 'AwaitExpression') n = unwrap(n.argument);
      if (n.type === 'CallExpression' || n.type === 'NewExpression') {
        const c = unwrap(n.callee);
        if (c.type === 'MemberExpression') {
          const k = memberKey(ctx, c, scope);
          if (k !== undefined && CHAINABLE.has(k)) return originOf(c.object, scope, depth + 1);
        }
        return { node: n, scope, callee: ctx.evaluate(c, scope) };
      }
      if (n.type === 'Identifier') {
        const b = scope.lookup(n.name);
        if (!b || b.path) return null;
        const cands = [...(b.init ? [{ value: b.init, scope: b.initScope ?? b.scope }] : []), ...b.assigned];
        for (const c of cands) {
          const o = originOf(c.value, c.scope, depth + 1);
          if (o) return o;
        }
      }
      return null;
    };

    /** `net.connect(…, function () { this.write(x) })`: `this` in a callback is what the call created. */
    const thisOrigin = (scope: Scope): Origin | null => {
      const anc = ctx.ancestors;
      for (let i = anc.length - 2; i > 0; i--) {
        const n = anc[i];
        if (n.type === 'FunctionDeclaration' || n.type === 'ClassBody') return null;
        if (n.type !== 'FunctionExpression') continue; // arrows keep the outer `this`
        const call = anc[i - 1];
        if ((call.type !== 'CallExpression' && call.type !== 'NewExpression') || !call.arguments.includes(n)) return null;
        const c = unwrap(call.callee);
        if (c.type === 'MemberExpression' && CHAINABLE.has(memberKey(ctx, c, scope) ?? '')) return originOf(c.object, scope);
        return { node: call, scope, callee: ctx.evaluate(c, scope) };
      }
      return null;
    };

    const headerName = (n: AstNode | undefined): string | undefined => (n ? ctx.constString(n, ctx.scope()) : undefined);
    // net.connect(options) names its target in options; connect(port, host) / connect(path) only say where
    const socketTarget = (args: AstNode[]): SinkPart[] =>
      args.filter((a) => !isFn(a)).map((a) => (unwrap(a).type === 'ObjectExpression' || literalOf(a, ctx.scope()) ? { arg: a, label: 'options' } : { arg: a, label: 'target', destination: true }));

    const positional = (args: AstNode[], labels: string[]): SinkPart[] =>
      args.map((a, i) => ({ arg: a, label: labels[Math.min(i, labels.length - 1)] })).filter((p) => !isFn(p.arg));

    const classify = (e: CallInfo, scope: Scope): Sink | null => {
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
      const m = calleeModule(c);
      const pc = processCall(c);
      if (pc) {
        const tool = networkTool(commandText(ctx, calls, node, scope, pc));
        const parts: SinkPart[] = [];
        // spawn/execFile's first argument only names the program to run (COMSPEC, SHELL, EDITOR
        // from the env); data leaves through a shell command line or the argument list
        if (args[0] && pc.shell) parts.push({ arg: args[0], label: 'command' });
        if (!pc.shell && args[1] && args[1].type !== 'ObjectExpression' && !isFn(args[1])) parts.push({ arg: args[1], label: 'arguments' });
        return mk(pc.name, parts, { tool });
      }
      if (m) {
        const { mod, last, path } = m;
        const h = httpName(c);
        if (h) return mk(h, args.filter((a) => !isFn(a)).map((a, i) => ({ arg: a, label: stringish(a) || (i === 0 && !literalOf(a, scope)) ? 'url' : 'options' })));
        if (mod === 'http2' && last === 'connect') return mk('http2.connect', positional(args.slice(0, 1), ['url']));
        if ((mod === 'net' || mod === 'tls') && (last === 'connect' || last === 'createConnection')) return mk(`${mod}.${last}`, socketTarget(args));
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
      }
      if (c.k === 'builtin') {
        if (c.name === 'fetch') return mk('fetch', positional(args, ['url', 'options']));
        if (c.name === 'WebSocket' || c.name === 'EventSource') return mk(c.name, positional(args.slice(0, 1), ['url']));
        if (c.name === 'navigator.sendBeacon') return mk('navigator.sendBeacon', positional(args, ['url', 'data']));
      }
      // methods on request / socket objects created in this file
      const callee = unwrap(node.callee);
      if (callee.type !== 'MemberExpression') return null;
      const method = memberKey(ctx, callee, scope);
      if (method === undefined) return null;
      if ((method === 'write' || method === 'end') && unwrap(callee.object).type === 'MemberExpression' && memberKey(ctx, unwrap(callee.object), scope) === 'stdin') {
        const child = originOf(unwrap(callee.object).object, scope);
        const cpc = child ? processCall(child.callee) : null;
        if (child && cpc) {
          const tool = networkTool(commandText(ctx, calls, child.node, child.scope, cpc));
          return mk(cpc.name, positional(args.slice(0, 1), ['stdin']), { tool });
        }
        return null;
      }
      if (!SINK_METHODS.test(method)) return null;
      const o = unwrap(callee.object).type === 'ThisExpression' ? thisOrigin(scope) : originOf(callee.object, scope);
      if (!o) return null;
      const oc = o.callee;
      const hn = httpName(oc);
      if (hn && (method === 'write' || method === 'end')) return mk(hn, positional(args.slice(0, 1), ['body']), undefined, o.node);
      if (hn && method === 'setHeader') return mk(hn, positional(args.slice(1, 2), ['headers']).map((p) => ({ ...p, header: headerName(args[0]) })), undefined, o.node);
      const sn = socketName(oc);
      if (sn && (method === 'write' || method === 'end')) return mk(sn, positional(args.slice(0, 1), ['write']), undefined, o.node);
      if (sn && method === 'connect') return mk(sn, socketTarget(args), undefined, o.node);
      // dgram send(msg, [offset, length,] port, address): only the message is data
      if (isDgramSocket(oc) && method === 'send') return mk('dgram', positional(args, ['send']).map((p, i) => (i === 0 ? p : { ...p, destination: true })), undefined, o.node);
      if (isWebSocket(oc) && method === 'send') return mk('WebSocket', positional(args.slice(0, 1), ['send']), undefined, o.node);
      if (isXhr(oc) && method === 'send') return mk('XMLHttpRequest', positional(args.slice(0, 1), ['send']), undefined, o.node);
      if (isXhr(oc) && method === 'open') return mk('XMLHttpRequest', positional(args.slice(1, 2), ['url']), undefined, o.node);
      if (isXhr(oc) && method === 'setRequestHeader') return mk('XMLHttpRequest', positional(args.slice(1, 2), ['header']).map((p) => ({ ...p, header: headerName(args[0]) })), undefined, o.node);
      if (isHttp2Session(oc) && method === 'request') return mk('http2', positional(args.slice(0, 1), ['request headers']), undefined, o.node);
      // new dns.Resolver(): its lookups are DNS queries too (a name built from a secret leaves in the query)
      if (oc.k === 'member' && (oc.module === 'dns' || oc.module === 'dns/promises') && oc.path[oc.path.length - 1] === 'Resolver' && DNS_METHODS.test(method)) {
        return mk(`dns.Resolver.${method}`, positional(args.slice(0, 1), ['hostname']), undefined, o.node);
      }
      return null;
    };

    const names = (t: TaintSource[] | null): string[] => (t ?? []).filter((x) => x.kind === 'name').map((x) => x.name!);

    /** Sources in a URL or host argument, by where in it they sit; the origin feeds `dest`. */
    const urlSources = (arg: AstNode, scope: Scope, label: string, dest: Destination): Found[] => {
      const shape = urlShape(ctx, calls, arg, scope, (n, sc) => taint.taintOf(n, sc) !== null);
      dest.hosts.push(...shape.hosts);
      for (const o of shape.originExprs) dest.env.push(...names(taint.taintOf(o.expr, o.scope)));
      const out: Found[] = [];
      for (const p of shape.parts) {
        for (const s of taint.taintOf(p.expr, p.scope) ?? []) out.push({ s, label, position: p.position });
      }
      return out;
    };

    /** Sources in a headers object: an Authorization-like header is an authentication position. */
    const headerSources = (arg: AstNode, scope: Scope, label: string): Found[] => {
      const lit = literalOf(arg, scope);
      const out: Found[] = [];
      if (lit) {
        for (const p of lit.node.properties) {
          if (p.type !== 'Property') continue;
          const key = propertyKey(ctx, p, lit.scope);
          for (const s of taint.taintOf(p.value, lit.scope) ?? []) out.push({ s, label, position: headerPosition(key) });
        }
      }
      for (const s of taint.taintOf(arg, scope) ?? []) out.push({ s, label, position: lit ? 'payload' : 'auth' });
      return out;
    };

    /** Sources in an options object, each placed by the option key that carries it. */
    const optionSources = (arg: AstNode, scope: Scope, dest: Destination): Found[] => {
      const out: Found[] = [];
      const lit = literalOf(arg, scope);
      if (lit) {
        for (const p of lit.node.properties) {
          if (p.type !== 'Property') continue;
          const key = propertyKey(ctx, p, lit.scope);
          if (key === undefined) continue;
          const pos = optionPosition(key);
          if (pos === 'headers') out.push(...headerSources(p.value, lit.scope, 'headers'));
          else if (/^(?:url|uri|href|baseURL|baseUrl|prefixUrl|path|pathname|registry)$/.test(key)) out.push(...urlSources(p.value, lit.scope, key, dest));
          else {
            if (key === 'host' || key === 'hostname') {
              dest.hosts.push(...constHost(ctx, p.value, lit.scope));
              dest.env.push(...names(taint.taintOf(p.value, lit.scope)));
            }
            for (const s of taint.taintOf(p.value, lit.scope) ?? []) out.push({ s, label: key, position: pos });
          }
        }
      }
      // whatever the literal's own keys do not account for (spreads, stores, opaque objects) is data
      for (const s of taint.taintOf(arg, scope) ?? []) out.push({ s, label: 'options', position: 'payload' });
      return out;
    };

    /** The sources reaching one sink argument, each with the position it lands in. */
    const partSources = (part: SinkPart, scope: Scope, dest: Destination): Found[] => {
      if (part.destination) return urlSources(part.arg, scope, part.label, dest).map((f) => ({ ...f, position: 'destination' as const }));
      if (URL_LABELS.has(part.label)) return urlSources(part.arg, scope, part.label, dest);
      if (part.label === 'options' || part.label === 'config' || part.label === 'connect') return optionSources(part.arg, scope, dest);
      if (part.label === 'headers' || part.label === 'header' || part.label === 'request headers') {
        if (part.header !== undefined || part.label === 'header') {
          return (taint.taintOf(part.arg, scope) ?? []).map((s) => ({ s, label: part.label, position: headerPosition(part.header) }));
        }
        return headerSources(part.arg, scope, part.label);
      }
      return (taint.taintOf(part.arg, scope) ?? []).map((s) => ({ s, label: part.label, position: 'payload' as const }));
    };

    /** Flows into a process's command line count when they carry a secret, the whole env or a file, or the command reaches the network. */
    const processWorthy = (s: TaintSource, sink: Sink): boolean => {
      if (s.kind === 'whole' || s.kind === 'file') return true;
      if (sink.process?.tool) return true;
      return s.kind === 'name' && s.name !== undefined && isSecretName(s.name);
    };

    const reportFlow = (sinkNode: AstNode, sinkDetail: string, s: TaintSource, position: 'auth' | 'payload' = 'payload', dest?: Destination): void => {
      const src = ctx.position(s.node.start);
      const snk = ctx.position(sinkNode.start);
      const hosts = [...new Set(dest?.hosts ?? [])].slice(0, 4);
      const destEnv = [...new Set(dest?.env ?? [])].slice(0, 4);
      const data = {
        source: s.detail,
        sourceKind: s.kind,
        ...(s.kind === 'name' && s.name !== undefined ? { name: s.name } : {}),
        sourceLine: src.line,
        sink: sinkDetail,
        sinkLine: snk.line,
        position,
      };
      ctx.report(sinkNode, 'flow', data, {
        flow: {
          source: { detail: s.detail, line: src.line, column: src.column },
          sink: {
            detail: sinkDetail, line: snk.line, column: snk.column, position,
            ...(hosts.length ? { hosts } : {}),
            ...(destEnv.length ? { destinationEnv: destEnv } : {}),
          },
        },
        message: `${s.detail} (read at line ${src.line}) reaches ${sinkDetail} at line ${snk.line}`,
      });
    };

    /** Commands that dump or send the environment, from their constant text alone (child-process says what they do). */
    const shellCommand = (e: CallInfo, pc: ProcessCall, scope: Scope): void => {
      const text = commandText(ctx, calls, e.node, scope, pc);
      if (!text || text === '\u0000') return;
      const dump = dumpsEnvironment(text);
      const tool = networkTool(text);
      if (dump) {
        if (tool) reportFlow(e.node, `${pc.name} command`, { kind: 'whole', detail: `environment dump \`${dump}\``, node: e.node });
      }
      if (tool) {
        const refs = envRefs(text).filter((n) => !isIgnoredEnvName(n));
        if (refs.length) {
          for (const r of refs.slice(0, 6)) reportFlow(e.node, `${pc.name} command`, { kind: 'name', name: r, detail: `process.env.${r}`, node: e.node });
        }
      }
    };

    return {
      AssignmentExpression: (node: AstNode) => taint.onAssignment(node),
      MemberExpression: (node: AstNode) => taint.onMember(node),
      ForOfStatement: (node: AstNode) => {
        taint.onLoop(node);
      },
      'env:access'() {
        envSeen = true;
      },
      call(e) {
        const scope = ctx.scope();
        taint.onCall(e.node, e.callee);
        const pc = processCall(e.callee);
        if (pc) {
          otherSources = true;
          shellCommand(e, pc, scope);
        } else if (fsRead(e.callee)) otherSources = true;
        if (sinks.length < 2000) {
          const s = classify(e, scope);
          if (s) sinks.push(s);
        }
      },
      'Program:exit'() {
        if (sinks.length === 0 || (!envSeen && !otherSources)) return;
        const dests = new Map<AstNode, Destination>();
        const tainted = sinks.filter((sink) => sink.parts.some((p) => taint.taintOf(p.arg, sink.scope)));
        const origins = new Set(tainted.map((t) => t.origin).filter((o): o is AstNode => o !== undefined));
        const taintedSet = new Set(tainted);
        const work = sinks.filter((sink) => taintedSet.has(sink) || origins.has(sink.node) || (sink.origin !== undefined && origins.has(sink.origin)));
        const founds = new Map<Sink, Found[]>();
        for (const sink of work) {
          const found: Found[] = [];
          // a request object's methods share the destination of the call that created it (and of its open())
          const key = sink.origin ?? sink.node;
          const dest = dests.get(key) ?? { hosts: [], env: [] };
          dests.set(key, dest);
          for (const part of sink.parts) {
            for (const f of partSources(part, sink.scope, dest)) {
              if (sink.process && !processWorthy(f.s, sink)) continue;
              if (found.some((g) => g.s.detail === f.s.detail && g.s.node === f.s.node)) continue;
              found.push(f);
            }
          }
          founds.set(sink, found);
        }
        for (const sink of tainted) {
          const found = founds.get(sink) ?? [];
          const dest = dests.get(sink.origin ?? sink.node);
          // a value that only says where the request goes is configuration, not data leaving
          const sent = found.filter((f) => f.position !== 'destination');
          // the whole environment first, then payloads, then in source order; a handful per sink is plenty
          const rankOf = (f: Found): number => (f.s.kind === 'whole' ? 0 : 2) + (f.position === 'payload' ? 0 : 1);
          sent.sort((a, b) => rankOf(a) - rankOf(b) || a.s.node.start - b.s.node.start);
          for (const f of sent.slice(0, 6)) reportFlow(sink.node, `${sink.name} ${f.label}`, f.s, f.position === 'auth' ? 'auth' : 'payload', dest);
        }
      },
    };
  },
};
export default detector;
