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
import { ENV_TRIGGERS, FS_MODULES, PROCESS_LIBRARIES, fsContentRead, processCall, type ProcessCall } from '../api.js';
import type { AstNode } from '../ast.js';
import type { CallInfo, Detector, FileContext } from '../context.js';
import type { Scope } from '../scope.js';
import { isSecretName } from '../../risk/secret-names.js';
import { isIgnoredEnvName } from '../flow/env-names.js';
import { literalOf, propertyKey, unwrap } from '../flow/calls.js';
import { PathEvaluator, credentialFile } from '../flow/paths.js';
import { commandText, dumpsEnvironment, envRefs, networkTool } from '../flow/shell.js';
import { SinkFinder, type Sink, type SinkPart } from '../flow/sinks.js';
import { TaintAnalysis, type TaintHooks, type TaintSource } from '../flow/taint.js';
import { constHost, headerPosition, optionPosition, urlShape, type SinkPosition } from '../flow/sink-position.js';

/** Sink labels whose argument is a URL or host name: split into origin (destination) and the rest. */
const URL_LABELS = new Set(['url', 'hostname']);

interface Found {
  s: TaintSource;
  label: string;
  position: SinkPosition;
}

/** Where one sink call sends data: constant hosts, and the env names that form its destination. */
interface Destination {
  hosts: string[];
  env: string[];
}

const names = (t: TaintSource[] | null): string[] => (t ?? []).filter((x) => x.kind === 'name').map((x) => x.name!);

/** Flows into a process's command line count when they carry a secret, the whole env or a file, or the command reaches the network. */
function processWorthy(s: TaintSource, sink: Sink): boolean {
  if (s.kind === 'whole' || s.kind === 'file') return true;
  if (sink.process?.tool) return true;
  return s.kind === 'name' && s.name !== undefined && isSecretName(s.name);
}

/** Sources that are calls: a credential file's contents, a child process's environment dump. */
function sourceHooks(ctx: FileContext): TaintHooks {
  const paths = new PathEvaluator(ctx, ctx.calls);
  const fileSources = (call: AstNode, scope: Scope): TaintSource[] | null => {
    const out: TaintSource[] = [];
    for (const p of paths.values(call.arguments[0], scope)) {
      const c = credentialFile(p);
      if (c && !out.some((o) => o.detail === c.path)) out.push({ kind: c.environ ? 'whole' : 'file', detail: c.path, node: call });
    }
    return out.length ? out : null;
  };
  const dumpSource = (call: AstNode, scope: Scope, pc: ProcessCall): TaintSource[] | null => {
    const what = dumpsEnvironment(commandText(ctx, ctx.calls, call, scope, pc));
    return what ? [{ kind: 'whole', detail: `environment dump \`${what}\``, node: call }] : null;
  };
  return {
    ignoreName: isIgnoredEnvName,
    callSource(call, scope) {
      const cv = ctx.evaluate(unwrap(call.callee), scope);
      // readFileSync's value, a promise API's (awaited) value, a stream; callback-style results are undefined anyway
      if (fsContentRead(cv)) return fileSources(call, scope);
      const pc = processCall(cv);
      if (pc && pc.sync) return dumpSource(call, scope, pc);
      return null;
    },
    callbackSource(call, scope, fnArgIndex, paramIndex) {
      const cv = ctx.evaluate(unwrap(call.callee), scope);
      if (paramIndex !== 1 || fnArgIndex === 0) return null;
      if (fsContentRead(cv) === 'readFile') return fileSources(call, scope);
      const pc = processCall(cv);
      if (pc && !pc.sync) return dumpSource(call, scope, pc);
      return null;
    },
  };
}

/** One file's sources and sinks, gathered during the walk; flows are judged at its end. */
class ExfiltrationScan {
  readonly taint: TaintAnalysis;
  private readonly finder: SinkFinder;
  private readonly sinks: Sink[] = [];
  private envSeen = false;
  private otherSources = false;

  constructor(private readonly ctx: FileContext) {
    this.taint = new TaintAnalysis(ctx, ctx.calls, sourceHooks(ctx));
    this.finder = new SinkFinder(ctx);
  }

  sawEnv(): void {
    this.envSeen = true;
  }

  call(e: CallInfo): void {
    const scope = this.ctx.scope();
    this.taint.onCall(e.node, e.callee);
    const pc = processCall(e.callee);
    if (pc) {
      this.otherSources = true;
      this.shellCommand(e, pc, scope);
    } else if (fsContentRead(e.callee)) this.otherSources = true;
    if (this.sinks.length < 2000) {
      const s = this.finder.classify(e, scope);
      if (s) this.sinks.push(s);
    }
  }

  /** Sources in a URL or host argument, by where in it they sit; the origin feeds `dest`. */
  private urlSources(arg: AstNode, scope: Scope, label: string, dest: Destination): Found[] {
    const shape = urlShape(this.ctx, this.ctx.calls, arg, scope, (n, sc) => this.taint.taintOf(n, sc) !== null);
    dest.hosts.push(...shape.hosts);
    for (const o of shape.originExprs) dest.env.push(...names(this.taint.taintOf(o.expr, o.scope)));
    const out: Found[] = [];
    for (const p of shape.parts) {
      for (const s of this.taint.taintOf(p.expr, p.scope) ?? []) out.push({ s, label, position: p.position });
    }
    return out;
  }

  /** Sources in a headers object: an Authorization-like header is an authentication position. */
  private headerSources(arg: AstNode, scope: Scope, label: string): Found[] {
    const lit = literalOf(arg, scope);
    const out: Found[] = [];
    if (lit) {
      for (const p of lit.node.properties) {
        if (p.type !== 'Property') continue;
        const key = propertyKey(this.ctx, p, lit.scope);
        for (const s of this.taint.taintOf(p.value, lit.scope) ?? []) out.push({ s, label, position: headerPosition(key) });
      }
    }
    for (const s of this.taint.taintOf(arg, scope) ?? []) out.push({ s, label, position: lit ? 'payload' : 'auth' });
    return out;
  }

  /** Sources in an options object, each placed by the option key that carries it. */
  private optionSources(arg: AstNode, scope: Scope, dest: Destination): Found[] {
    const out: Found[] = [];
    const lit = literalOf(arg, scope);
    if (lit) {
      for (const p of lit.node.properties) {
        if (p.type !== 'Property') continue;
        const key = propertyKey(this.ctx, p, lit.scope);
        if (key === undefined) continue;
        const pos = optionPosition(key);
        if (pos === 'headers') out.push(...this.headerSources(p.value, lit.scope, 'headers'));
        else if (/^(?:url|uri|href|baseURL|baseUrl|prefixUrl|path|pathname|registry)$/.test(key)) out.push(...this.urlSources(p.value, lit.scope, key, dest));
        else {
          if (key === 'host' || key === 'hostname') {
            dest.hosts.push(...constHost(this.ctx, p.value, lit.scope));
            dest.env.push(...names(this.taint.taintOf(p.value, lit.scope)));
          }
          for (const s of this.taint.taintOf(p.value, lit.scope) ?? []) out.push({ s, label: key, position: pos });
        }
      }
    }
    // whatever the literal's own keys do not account for (spreads, stores, opaque objects) is data
    for (const s of this.taint.taintOf(arg, scope) ?? []) out.push({ s, label: 'options', position: 'payload' });
    return out;
  }

  /** The sources reaching one sink argument, each with the position it lands in. */
  private partSources(part: SinkPart, scope: Scope, dest: Destination): Found[] {
    if (part.destination) return this.urlSources(part.arg, scope, part.label, dest).map((f) => ({ ...f, position: 'destination' as const }));
    if (URL_LABELS.has(part.label)) return this.urlSources(part.arg, scope, part.label, dest);
    if (part.label === 'options' || part.label === 'config' || part.label === 'connect') return this.optionSources(part.arg, scope, dest);
    if (part.label === 'headers' || part.label === 'header' || part.label === 'request headers') {
      if (part.header !== undefined || part.label === 'header') {
        return (this.taint.taintOf(part.arg, scope) ?? []).map((s) => ({ s, label: part.label, position: headerPosition(part.header) }));
      }
      return this.headerSources(part.arg, scope, part.label);
    }
    return (this.taint.taintOf(part.arg, scope) ?? []).map((s) => ({ s, label: part.label, position: 'payload' as const }));
  }

  private reportFlow(sinkNode: AstNode, sinkDetail: string, s: TaintSource, position: 'auth' | 'payload' = 'payload', dest?: Destination): void {
    const src = this.ctx.position(s.node.start);
    const snk = this.ctx.position(sinkNode.start);
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
    this.ctx.report(sinkNode, 'flow', data, {
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
  }

  /** Commands that dump or send the environment, from their constant text alone (child-process says what they do). */
  private shellCommand(e: CallInfo, pc: ProcessCall, scope: Scope): void {
    const text = commandText(this.ctx, this.ctx.calls, e.node, scope, pc);
    if (!text || text === '\u0000') return;
    const dump = dumpsEnvironment(text);
    const tool = networkTool(text);
    if (dump) {
      if (tool) this.reportFlow(e.node, `${pc.name} command`, { kind: 'whole', detail: `environment dump \`${dump}\``, node: e.node });
    }
    if (tool) {
      const refs = envRefs(text).filter((n) => !isIgnoredEnvName(n));
      if (refs.length) {
        for (const r of refs.slice(0, 6)) this.reportFlow(e.node, `${pc.name} command`, { kind: 'name', name: r, detail: `process.env.${r}`, node: e.node });
      }
    }
  }

  /** After the walk: the sources reaching each tainted sink, at most six per sink. */
  finish(): void {
    if (this.sinks.length === 0 || (!this.envSeen && !this.otherSources)) return;
    const tainted = this.sinks.filter((sink) => sink.parts.some((p) => this.taint.taintOf(p.arg, sink.scope)));
    const { founds, dests } = this.sourcesOfSinks(tainted);
    for (const sink of tainted) {
      const found = founds.get(sink) ?? [];
      const dest = dests.get(sink.origin ?? sink.node);
      // a value that only says where the request goes is configuration, not data leaving
      const sent = found.filter((f) => f.position !== 'destination');
      // the whole environment first, then payloads, then in source order; a handful per sink is plenty
      const rankOf = (f: Found): number => (f.s.kind === 'whole' ? 0 : 2) + (f.position === 'payload' ? 0 : 1);
      sent.sort((a, b) => rankOf(a) - rankOf(b) || a.s.node.start - b.s.node.start);
      for (const f of sent.slice(0, 6)) this.reportFlow(sink.node, `${sink.name} ${f.label}`, f.s, f.position === 'auth' ? 'auth' : 'payload', dest);
    }
  }

  /**
   * The sources of the tainted sinks and of the calls that created their objects; a request
   * object's methods share the destination of the call that created it (and of its open()).
   */
  private sourcesOfSinks(tainted: Sink[]): { founds: Map<Sink, Found[]>; dests: Map<AstNode, Destination> } {
    const dests = new Map<AstNode, Destination>();
    const origins = new Set(tainted.map((t) => t.origin).filter((o): o is AstNode => o !== undefined));
    const taintedSet = new Set(tainted);
    const work = this.sinks.filter((sink) => taintedSet.has(sink) || origins.has(sink.node) || (sink.origin !== undefined && origins.has(sink.origin)));
    const founds = new Map<Sink, Found[]>();
    for (const sink of work) {
      const found: Found[] = [];
      const key = sink.origin ?? sink.node;
      const dest = dests.get(key) ?? { hosts: [], env: [] };
      dests.set(key, dest);
      for (const part of sink.parts) {
        for (const f of this.partSources(part, sink.scope, dest)) {
          if (sink.process && !processWorthy(f.s, sink)) continue;
          if (found.some((g) => g.s.detail === f.s.detail && g.s.node === f.s.node)) continue;
          found.push(f);
        }
      }
      founds.set(sink, found);
    }
    return { founds, dests };
  }
}

const detector: Detector = {
  meta: {
    rules: ['exfiltration'],
    // a finding needs an env read (ENV_TRIGGERS), a dumping child process, or a file read
    triggers: [...ENV_TRIGGERS, 'Bun', 'Deno'],
    modules: ['process', 'child_process', ...FS_MODULES, ...PROCESS_LIBRARIES],
  },
  create(ctx: FileContext) {
    const scan = new ExfiltrationScan(ctx);
    const taint = scan.taint;
    return {
      AssignmentExpression: (node: AstNode) => taint.onAssignment(node),
      MemberExpression: (node: AstNode) => taint.onMember(node),
      ForOfStatement: (node: AstNode) => {
        taint.onLoop(node);
      },
      'env:access'() {
        scan.sawEnv();
      },
      call(e) {
        scan.call(e);
      },
      'Program:exit'() {
        scan.finish();
      },
    };
  },
};
export default detector;
