// Per-file taint analysis: does an expression carry environment data, and which env reads does it
// come from? A value is tainted when it is (or is built from) an env read — one name, a computed
// key, or the whole environment — or a host-supplied source (an environment dump read from a child
// process or /proc/self/environ, a credential file's contents). Taint follows bindings (inits,
// assignments, `+=`, pushes, member stores), object/array literals (field-sensitive for literals),
// templates, `+`, encoders and serialisers (JSON.stringify, Buffer.from, base64, encodeURIComponent,
// …), method calls on tainted receivers, awaits and conditionals, and the file's own functions:
// a call's result is the taint of the callee's return expressions given its arguments (context-
// sensitive, bounded depth); a parameter seen without a calling context is tainted when any call
// site passes tainted data (context-insensitive), or when the function is a callback of a method
// called on tainted data (`entries.forEach(([k, v]) => …)`).
//
// It never runs code and never guesses what an unknown library function returns: an unknown call
// stops taint unless its name says it encodes or serialises (`b64(x)`, `yaml.dump(x)`).
import { ENUMERATING_CALLS } from '../api.js';
import type { AstNode } from '../ast.js';
import { staticPropName } from '../ast.js';
import type { FileContext } from '../context.js';
import type { Binding, Scope } from '../scope.js';
import { applySym, type Val } from '../values.js';
import { CallGraph, literalOf, memberKey, propertyKey, scopeInside, unwrap } from './calls.js';

export interface TaintSource {
  /** name: one env var; dynamic: a computed key; whole: the whole environment; file: a credential file's contents. */
  kind: 'name' | 'dynamic' | 'whole' | 'file';
  /** the env var name (kind 'name'). */
  name?: string;
  /** what a finding shows: `process.env.NPM_TOKEN`, `process.env[key]`, `process.env`, `~/.npmrc`. */
  detail: string;
  /** where the value is read (finding positions). */
  node: AstNode;
}

/** A non-empty list of sources; `null` means clean. */
export type Taint = TaintSource[];

export interface TaintHooks {
  /** env names that are never sources (proxy settings, NODE_ENV): their values are configuration, not data. */
  ignoreName?(name: string): boolean;
  /** sources that are calls: a child process's output of `printenv`, a read of `/proc/self/environ` or `~/.npmrc`. */
  callSource?(call: AstNode, scope: Scope): TaintSource[] | null;
  /** sources handed to a callback: `fs.readFile('~/.npmrc', (err, data) => …)` taints `data`. */
  callbackSource?(call: AstNode, scope: Scope, fnArgIndex: number, paramIndex: number): TaintSource[] | null;
}

interface Frame {
  fn: AstNode;
  call: AstNode;
  args: (Taint | null)[];
  argConsts: (string | undefined)[];
  depth: number;
}

interface Flow {
  value: AstNode;
  scope: Scope;
  /** member store `x.key = v`: the first key; null: computed; undefined: the whole value. */
  key?: string | null;
}

const MAX_STEPS = 200_000;
/** Expression/binding nesting followed at most (a hostile 10,000-step chain of bindings must not blow the stack). */
const MAX_NESTING = 150;
const MAX_DEPTH = 4;
const MAX_SOURCES = 16;

/** Builtins whose result carries their arguments' data. */
const PROPAGATING_BUILTINS = new Set([
  ...ENUMERATING_CALLS, 'JSON.parse', 'Buffer.from', 'Buffer.concat', 'String', 'String.raw', 'encodeURIComponent', 'encodeURI',
  'escape', 'unescape', 'btoa', 'atob', 'decodeURIComponent', 'decodeURI', 'Array.of',
  // `new Buffer(x)`: the constructor before Buffer.from, still in old code (crossenv's exfiltration)
  'Buffer',
]);
/** Global constructors/functions (not modelled by the evaluator) whose result carries their arguments. */
const PROPAGATING_GLOBALS = new Set(['URL', 'URLSearchParams', 'Blob', 'TextEncoder', 'Uint8Array', 'Promise.resolve', 'Promise.all', 'Array', 'Buffer']);
/** Module members whose result carries their arguments (`*`: every member). */
const PROPAGATING_MODULE_MEMBERS: Record<string, Set<string> | '*'> = {
  querystring: '*',
  zlib: '*',
  util: new Set(['format', 'inspect', 'formatWithOptions', 'stripVTControlCharacters', 'toUSVString']),
  url: new Set(['format']),
  crypto: new Set(['publicEncrypt', 'privateEncrypt']),
  buffer: new Set(['Buffer', 'transcode']),
  string_decoder: '*',
};
/** Unknown functions whose name says they encode or serialise their argument. */
const ENCODER_NAME = /^(?:en(?:code|crypt|cipher)\w*|b64\w*|base64\w*|btoa|to(?:base64|hex|json)|stringify\w*|serialize\w*|compress\w*|deflate\w*|gzip\w*|brotli\w*|pack|marshal|obfuscate|xor\w*|dumps?|format)$/i;
/** Methods whose result is a boolean or an index: no data leaves through them. */
const PREDICATE_METHODS = new Set([
  'includes', 'startsWith', 'endsWith', 'indexOf', 'lastIndexOf', 'test', 'has', 'some', 'every', 'localeCompare',
  'hasOwnProperty', 'isArray', 'isBuffer', 'equals', 'search', 'findIndex', 'findLastIndex', 'compare', 'digest',
  'getTime', 'isInteger', 'isNaN',
]);
/** Methods whose result carries their arguments as well as their receiver. */
const ARG_METHODS = new Set(['concat', 'replace', 'replaceAll', 'set', 'append', 'from', 'of', 'assign', 'update', 'final', 'fromEntries', 'padStart', 'padEnd']);
/** Methods that store their arguments into the receiver (a flow into the receiver's binding). */
const MUTATING_METHODS = new Set(['push', 'unshift', 'splice', 'set', 'append', 'add', 'update', 'fill', 'write']);
/** Callbacks of these methods get the receiver's elements as parameters. */
const ITERATING_METHODS = new Set([
  'forEach', 'map', 'filter', 'reduce', 'reduceRight', 'flatMap', 'find', 'findLast', 'some', 'every', 'then', 'sort', 'replace', 'replaceAll',
]);
/** Properties that carry no data of the object they are read from. */
const NON_DATA_PROPS = new Set(['length', 'size', 'constructor', 'byteLength']);

function union(a: Taint | null, b: Taint | null): Taint | null {
  if (!a || a.length === 0) return b && b.length ? b : null;
  if (!b || b.length === 0) return a;
  const out = [...a];
  for (const s of b) {
    if (out.length >= MAX_SOURCES) break;
    if (!out.some((o) => o.detail === s.detail && o.node === s.node)) out.push(s);
  }
  return out;
}

function isHashChain(node: AstNode): boolean {
  // crypto.createHash(…).update(x), createHmac(…): one-way, the secret does not leave
  let n = unwrap(node);
  for (let i = 0; i < 10; i++) {
    if (n.type !== 'CallExpression') return false;
    const c = unwrap(n.callee);
    const name = c.type === 'MemberExpression' ? staticPropName(c) : c.type === 'Identifier' ? c.name : undefined;
    if (name === 'createHash' || name === 'createHmac' || name === 'hash') return true;
    if (c.type !== 'MemberExpression') return false;
    n = unwrap(c.object);
  }
  return false;
}

export class TaintAnalysis {
  private readonly flows = new Map<Binding, Flow[]>();
  /** `this.key = value` inside a class, by class and key. */
  private readonly classFlows = new Map<AstNode, Map<string, Flow[]>>();
  /** `this.key` reads and the class they are in. */
  private readonly thisClass = new Map<AstNode, AstNode>();
  private readonly memoNode = new Map<AstNode, Taint | null>();
  private readonly memoBinding = new Map<Binding, Taint | null>();
  private readonly memoReturn = new Map<AstNode, Map<string, Taint | null>>();
  private readonly active = new Set<unknown>();
  private steps = 0;
  private depth = 0;

  constructor(
    private readonly ctx: FileContext,
    readonly calls: CallGraph,
    private readonly hooks: TaintHooks = {},
  ) {}

  // ---- walk-time recording -------------------------------------------------------------------

  private addFlow(b: Binding | undefined, flow: Flow): void {
    if (!b || b.kind === 'import' || b.kind === 'function' || b.kind === 'class') return;
    const list = this.flows.get(b) ?? [];
    if (list.length < 100) list.push(flow);
    this.flows.set(b, list);
  }

  /** The binding an lvalue/receiver is rooted in (`a.b.c` → a) and its first key. */
  private rootOf(node: AstNode, scope: Scope): { b: Binding | undefined; key: string | null | undefined } {
    let n = unwrap(node);
    let key: string | null | undefined;
    for (let i = 0; i < 20 && n.type === 'MemberExpression'; i++) {
      key = memberKey(this.ctx, n, scope) ?? null;
      n = unwrap(n.object);
    }
    if (n.type !== 'Identifier') return { b: undefined, key };
    return { b: scope.lookup(n.name), key };
  }

  /** The class whose instance `this` is at the node being visited (methods, constructors, arrows inside them). */
  private enclosingClass(): AstNode | null {
    const anc = this.ctx.ancestors;
    for (let i = anc.length - 2; i >= 0; i--) {
      const n = anc[i];
      if (n.type === 'ClassBody') return anc[i - 1] ?? null;
      if ((n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration') && anc[i - 1]?.type !== 'MethodDefinition') return null;
    }
    return null;
  }

  /** MemberExpression visitor: remember which class a `this.x` read belongs to. */
  onMember(node: AstNode): void {
    if (node.object.type !== 'ThisExpression' || this.thisClass.size > 5000) return;
    const cls = this.enclosingClass();
    if (cls) this.thisClass.set(node, cls);
  }

  /** AssignmentExpression visitor: `x += v`, `x.a = v`, `x[k] = v`, `this.a = v` in a class. */
  onAssignment(node: AstNode): void {
    const scope = this.ctx.scope();
    const left = node.left;
    if (left.type === 'MemberExpression' && left.object.type === 'ThisExpression') {
      const cls = this.enclosingClass();
      const key = memberKey(this.ctx, left, scope);
      if (cls && key !== undefined) {
        const byKey = this.classFlows.get(cls) ?? new Map<string, Flow[]>();
        const list = byKey.get(key) ?? [];
        if (list.length < 50) list.push({ value: node.right, scope });
        byKey.set(key, list);
        this.classFlows.set(cls, byKey);
      }
      return;
    }
    if (left.type === 'Identifier') {
      if (node.operator !== '=') this.addFlow(scope.lookup(left.name), { value: node.right, scope });
    } else if (left.type === 'MemberExpression') {
      const { b, key } = this.rootOf(left, scope);
      this.addFlow(b, { value: node.right, scope, key });
    }
  }

  /** ForOfStatement / ForInStatement visitor: the loop variable takes the collection's elements. */
  onLoop(node: AstNode): void {
    if (node.type !== 'ForOfStatement') return; // for…in yields keys: names, not values
    const scope = this.ctx.scope();
    const left = node.left;
    const ids: AstNode[] = [];
    const collect = (p: AstNode | null): void => {
      if (!p) return;
      if (p.type === 'Identifier') ids.push(p);
      else if (p.type === 'ArrayPattern') p.elements.forEach(collect);
      else if (p.type === 'ObjectPattern') p.properties.forEach((q: AstNode) => collect(q.type === 'RestElement' ? q.argument : q.value));
      else if (p.type === 'AssignmentPattern') collect(p.left);
      else if (p.type === 'RestElement') collect(p.argument);
    };
    if (left.type === 'VariableDeclaration') for (const d of left.declarations) collect(d.id);
    else collect(left);
    for (const id of ids) this.addFlow(scope.lookup(id.name), { value: node.right, scope });
  }

  /** `call` event: stores into receivers (`arr.push(v)`, `params.set(k, v)`, `Object.assign(t, v)`). */
  onCall(node: AstNode, callee: Val): void {
    const scope = this.ctx.scope();
    const args: AstNode[] = node.arguments;
    if (args.length === 0) return;
    if (callee.k === 'builtin' && callee.name === 'Object.assign') {
      const { b, key } = this.rootOf(args[0], scope);
      for (const a of args.slice(1)) this.addFlow(b, { value: a, scope, key });
      return;
    }
    const c = unwrap(node.callee);
    if (c.type !== 'MemberExpression') return;
    const m = memberKey(this.ctx, c, scope);
    if (m === undefined || !MUTATING_METHODS.has(m)) return;
    const { b, key } = this.rootOf(c.object, scope);
    if (!b) return;
    for (const a of args) this.addFlow(b, { value: a.type === 'SpreadElement' ? a.argument : a, scope, key });
  }

  // ---- queries -------------------------------------------------------------------------------

  /** The taint of an expression evaluated in `scope`, outside any calling context. */
  taintOf(node: AstNode, scope: Scope): Taint | null {
    return this.t(node, scope, null);
  }

  private frameFor(scope: Scope, frame: Frame | null): Frame | null {
    return frame && scopeInside(scope, frame.fn) ? frame : null;
  }

  private t(node: AstNode | null | undefined, scope: Scope, frame: Frame | null): Taint | null {
    if (!node) return null;
    if (++this.steps > MAX_STEPS) return null;
    if (frame === null) {
      const m = this.memoNode.get(node);
      if (m !== undefined) return m;
    }
    if (this.active.has(node) || this.depth >= MAX_NESTING) return null;
    this.active.add(node);
    this.depth++;
    let out: Taint | null;
    try {
      out = this.compute(node, scope, frame);
    } finally {
      this.active.delete(node);
      this.depth--;
    }
    if (frame === null) this.memoNode.set(node, out);
    return out;
  }

  private compute(node: AstNode, scope: Scope, frame: Frame | null): Taint | null {
    switch (node.type) {
      case 'Identifier':
        return this.identifier(node, scope, frame);
      case 'MemberExpression':
        return this.member(node, scope, frame);
      case 'ChainExpression':
      case 'ParenthesizedExpression':
      case 'TSNonNullExpression':
      case 'TSAsExpression':
        return this.t(node.expression, scope, frame);
      case 'AwaitExpression':
      case 'SpreadElement':
      case 'YieldExpression':
        return this.t(node.argument, scope, frame);
      case 'SequenceExpression':
        return this.t(node.expressions[node.expressions.length - 1], scope, frame);
      case 'AssignmentExpression':
        return node.operator === '=' ? this.t(node.right, scope, frame) : union(this.t(node.left, scope, frame), this.t(node.right, scope, frame));
      case 'LogicalExpression':
        if (node.operator === '&&') return this.t(node.right, scope, frame);
        return union(this.t(node.left, scope, frame), this.t(node.right, scope, frame));
      case 'ConditionalExpression':
        return union(this.t(node.consequent, scope, frame), this.t(node.alternate, scope, frame));
      case 'BinaryExpression':
        return node.operator === '+' ? union(this.t(node.left, scope, frame), this.t(node.right, scope, frame)) : null;
      case 'TemplateLiteral':
        return this.all(node.expressions, scope, frame);
      case 'TaggedTemplateExpression':
        return this.all(node.quasi.expressions, scope, frame);
      case 'ArrayExpression':
        return this.all(node.elements.filter(Boolean), scope, frame);
      case 'ObjectExpression': {
        let r: Taint | null = null;
        for (const p of node.properties) {
          if (p.type === 'SpreadElement') r = union(r, this.t(p.argument, scope, frame));
          else {
            if (p.computed) r = union(r, this.t(p.key, scope, frame));
            r = union(r, this.t(p.value, scope, frame));
          }
        }
        return r;
      }
      case 'CallExpression':
      case 'NewExpression':
        return this.call(node, scope, frame);
      default:
        return null;
    }
  }

  private all(nodes: AstNode[], scope: Scope, frame: Frame | null): Taint | null {
    let r: Taint | null = null;
    for (const n of nodes) r = union(r, this.t(n, scope, frame));
    return r;
  }

  /** A source for an env value the evaluator recognised at `at`. */
  private envSource(v: Val, at: AstNode, scope: Scope, frame: Frame | null): Taint | null {
    if (v.k === 'env') return [{ kind: 'whole', detail: 'process.env', node: at }];
    if (v.k !== 'envValue') return null;
    if (v.name !== null) {
      if (this.hooks.ignoreName?.(v.name)) return null;
      return [{ kind: 'name', name: v.name, detail: `process.env.${v.name}`, node: at }];
    }
    // a computed key: inside a calling context, a key built from parameters may be constant
    const m = unwrap(at);
    if (m.type === 'MemberExpression' && m.computed) {
      if (frame) {
        const key = this.ctx.evaluate(m.property, scope);
        if (key.k === 'sym' && key.fn === frame.fn) {
          const name = applySym(key.parts, frame.argConsts);
          if (name !== undefined) {
            if (this.hooks.ignoreName?.(name)) return null;
            return [{ kind: 'name', name, detail: `process.env.${name}`, node: frame.call }];
          }
        }
      }
      return [{ kind: 'dynamic', detail: `process.env[${this.ctx.describe(m.property)}]`, node: at }];
    }
    return [{ kind: 'dynamic', detail: 'process.env[…]', node: at }];
  }

  private identifier(node: AstNode, scope: Scope, frame: Frame | null): Taint | null {
    const b = scope.lookup(node.name);
    if (!b) return this.envSource(this.ctx.evaluate(node, scope), node, scope, frame);
    if (b.kind === 'param' && frame && b.paramOf === frame.fn && b.paramIndex !== undefined) {
      let r = frame.args[b.paramIndex] ?? null;
      // a default value applies when the argument is missing
      if (b.init && b.initScope && frame.call.arguments.length <= b.paramIndex) r = union(r, this.t(b.init, b.initScope, frame));
      return r;
    }
    const v = this.ctx.evaluate(node, scope);
    if (v.k === 'env' || v.k === 'envValue') {
      const at = b.init ?? b.assigned[0]?.value ?? node;
      return this.envSource(v, at, b.initScope ?? scope, frame);
    }
    return this.binding(b, frame);
  }

  private binding(b: Binding, frame: Frame | null): Taint | null {
    if (b.kind === 'import' || b.kind === 'function' || b.kind === 'class' || b.kind === 'catch') return null;
    const fr = this.frameFor(b.scope, frame);
    if (fr === null) {
      const m = this.memoBinding.get(b);
      if (m !== undefined) return m;
    }
    if (this.active.has(b)) return null;
    this.active.add(b);
    let r: Taint | null = null;
    try {
      if (b.kind === 'param') r = this.param(b, fr);
      if (b.init) r = union(r, this.pathTaint(b.init, b.initScope ?? b.scope, b.path, fr));
      for (const a of b.assigned) r = union(r, this.pathTaint(a.value, a.scope, a.path, this.frameFor(a.scope, fr)));
      for (const f of this.flows.get(b) ?? []) r = union(r, this.t(f.value, f.scope, this.frameFor(f.scope, fr)));
    } finally {
      this.active.delete(b);
    }
    if (fr === null) this.memoBinding.set(b, r);
    return r;
  }

  /** A parameter outside its calling context: any call site's argument, or the data a callback is handed. */
  private param(b: Binding, frame: Frame | null): Taint | null {
    let r: Taint | null = null;
    // `({ input, init }) => …`: a destructured parameter takes its own field of each argument
    const path = b.path && b.path.every((k) => typeof k === 'string' && k !== '...') ? (b.path as string[]) : null;
    for (const site of this.calls.argsFor(b)) {
      const fr = this.frameFor(site.scope, frame);
      r = union(r, path && !fr ? this.fieldPath(site.node, path, site.scope) : this.t(site.node, site.scope, fr));
    }
    const fn = b.paramOf;
    const cb = fn ? this.calls.callbackOf.get(fn) : undefined;
    if (cb && b.paramIndex !== undefined) {
      const c = unwrap(cb.call.callee);
      const fr = this.frameFor(cb.scope, frame);
      if (c.type === 'MemberExpression') {
        const m = memberKey(this.ctx, c, cb.scope);
        if (m !== undefined && ITERATING_METHODS.has(m)) r = union(r, this.t(c.object, cb.scope, fr));
      }
      const s = this.hooks.callbackSource?.(cb.call, cb.scope, cb.index, b.paramIndex);
      if (s) r = union(r, s);
    }
    return r;
  }

  /** Taint of `init` followed along a destructuring path (`const { a: { b } } = init`). */
  private pathTaint(init: AstNode, scope: Scope, path: (string | null)[] | undefined, frame: Frame | null): Taint | null {
    if (path && path.length > 0 && typeof path[0] === 'string' && path[0] !== '...') {
      const field = this.field(init, path[0], scope, frame);
      if (field !== undefined) return field;
    }
    return this.t(init, scope, frame);
  }

  private member(node: AstNode, scope: Scope, frame: Frame | null): Taint | null {
    const v = this.ctx.evaluate(node, scope);
    if (v.k === 'env' || v.k === 'envValue') return this.envSource(v, node, scope, frame);
    const key = memberKey(this.ctx, node, scope);
    if (key !== undefined && NON_DATA_PROPS.has(key)) return null;
    const cls = this.thisClass.get(node);
    if (cls && key !== undefined) {
      // this.apiKey in a method: whatever the class stores there (context-free: any instance)
      let r: Taint | null = null;
      for (const f of this.classFlows.get(cls)?.get(key) ?? []) r = union(r, this.t(f.value, f.scope, null));
      return r;
    }
    const objT = this.t(node.object, scope, frame);
    if (!objT) return null;
    if (key !== undefined) {
      const f = this.field(node.object, key, scope, frame);
      if (f !== undefined) return f;
    }
    return objT;
  }

  /** Field-sensitive read of `obj.key` when obj is an object literal; undefined when it cannot tell. */
  private field(obj: AstNode, key: string, scope: Scope, frame: Frame | null): Taint | null | undefined {
    const lit = literalOf(obj, scope);
    if (!lit) return this.fieldBeyond(obj, key, scope, frame);
    const fr = this.frameFor(lit.scope, frame);
    let r: Taint | null = null;
    for (const p of lit.node.properties) {
      if (p.type === 'SpreadElement') {
        r = union(r, this.t(p.argument, lit.scope, fr));
        continue;
      }
      const k = propertyKey(this.ctx, p, lit.scope);
      if (k === undefined || k === key) r = union(r, this.t(p.value, lit.scope, fr));
    }
    if (lit.binding) {
      for (const f of this.flows.get(lit.binding) ?? []) {
        if (f.key === undefined || f.key === null || f.key === key) r = union(r, this.t(f.value, f.scope, this.frameFor(f.scope, fr)));
      }
    }
    return r;
  }

  /**
   * `r.args` where `r = normalise(…)` (a local function returning `{ command, args, options }`), or
   * `options.args` where `options` is a parameter: the field of what the function returns or of what
   * each caller passes, one level deep; undefined when it cannot tell.
   */
  private fieldBeyond(obj: AstNode, key: string, scope: Scope, frame: Frame | null): Taint | null | undefined {
    const n = unwrap(obj);
    if (n.type === 'CallExpression') return this.fieldOfCall(n, key, scope, frame);
    if (n.type !== 'Identifier' || (frame?.depth ?? 0) >= MAX_DEPTH) return undefined;
    const b = scope.lookup(n.name);
    if (!b || this.active.has(b)) return undefined;
    const path = b.path ?? [];
    if (path.some((k) => typeof k !== 'string' || k === '...') || (path.length && b.kind !== 'param')) return undefined;
    let r: Taint | null = null;
    this.active.add(b);
    try {
      if (b.kind === 'param' && b.paramIndex !== undefined && !frame && b.assigned.length === 0 && !b.init) {
        // `({ init: e }) => e.body`: the callers' `init` objects, field `body`
        const sites = this.calls.argsFor(b);
        if (sites.length === 0 || sites.length > 20) return undefined;
        for (const site of sites) r = union(r, this.fieldPath(site.node, [...(path as string[]), key], site.scope));
      } else if (b.kind !== 'param' && b.init && b.assigned.length === 0 && unwrap(b.init).type === 'CallExpression') {
        const f = this.fieldOfCall(unwrap(b.init), key, b.initScope ?? b.scope, this.frameFor(b.initScope ?? b.scope, frame));
        if (f === undefined) return undefined;
        r = f;
      } else return undefined;
      for (const fl of this.flows.get(b) ?? []) {
        if (fl.key === undefined || fl.key === null || fl.key === key) r = union(r, this.t(fl.value, fl.scope, this.frameFor(fl.scope, frame)));
      }
    } finally {
      this.active.delete(b);
    }
    return r;
  }

  /** `node.k1.k2…` through object literals; the whole value where a step cannot be told. */
  private fieldPath(node: AstNode, keys: string[], scope: Scope): Taint | null {
    if (keys.length === 0) return this.t(node, scope, null);
    if (keys.length === 1) {
      const f = this.field(node, keys[0], scope, null);
      return f === undefined ? this.t(node, scope, null) : f;
    }
    const lit = literalOf(node, scope);
    if (!lit) return this.t(node, scope, null);
    let r: Taint | null = null;
    for (const p of lit.node.properties) {
      if (p.type === 'SpreadElement') r = union(r, this.t(p.argument, lit.scope, null));
      else {
        const k = propertyKey(this.ctx, p, lit.scope);
        if (k === undefined || k === keys[0]) r = union(r, this.fieldPath(p.value, keys.slice(1), lit.scope));
      }
    }
    return r;
  }

  /** The field `key` of a local function's result for this call: per return expression. */
  private fieldOfCall(call: AstNode, key: string, scope: Scope, frame: Frame | null): Taint | null | undefined {
    const fn = this.calls.resolveFn(unwrap(call.callee), scope);
    const depth = (frame?.depth ?? 0) + 1;
    if (!fn || depth > MAX_DEPTH || this.active.has(fn)) return undefined;
    const args: AstNode[] = call.arguments;
    const fr: Frame = {
      fn,
      call,
      args: args.map((a) => this.t(a.type === 'SpreadElement' ? a.argument : a, scope, frame)),
      argConsts: args.map((a) => (a.type === 'SpreadElement' ? undefined : this.ctx.constString(a, scope))),
      depth,
    };
    const fnScope = this.calls.fnScopes.get(fn) ?? scope;
    const rets = fn.expression ? [{ arg: fn.body as AstNode, scope: fnScope }] : this.calls.returns.get(fn) ?? [];
    this.active.add(fn);
    let r: Taint | null = null;
    try {
      for (const ret of rets) {
        const f = this.field(ret.arg, key, ret.scope, fr);
        r = union(r, f === undefined ? this.t(ret.arg, ret.scope, fr) : f);
      }
    } finally {
      this.active.delete(fn);
    }
    return r;
  }

  private call(node: AstNode, scope: Scope, frame: Frame | null): Taint | null {
    const args: AstNode[] = node.arguments;
    const callee = unwrap(node.callee);
    const cv = this.ctx.evaluate(callee, scope);
    // the file's own functions first: their return expressions name the env read precisely
    const fn = this.calls.resolveFn(callee, scope, cv);
    if (fn) return this.returned(fn, node, args, scope, frame);
    const v = this.ctx.evaluate(node, scope);
    if (v.k === 'env' || v.k === 'envValue') return this.envSource(v, node, scope, frame);
    const hooked = this.hooks.callSource?.(node, scope);
    if (hooked) return hooked;

    let method: string | undefined;
    let recv: AstNode | undefined;
    if (callee.type === 'MemberExpression') {
      method = memberKey(this.ctx, callee, scope);
      recv = callee.object;
    }
    if ((method === 'call' || method === 'apply') && recv) {
      const f2 = this.calls.resolveFn(recv, scope);
      if (f2) {
        if (method === 'call') return this.returned(f2, node, args.slice(1), scope, frame);
        const all = this.t(args[1], scope, frame);
        return this.returned(f2, node, [], scope, frame, all);
      }
    }
    const argsT = (): Taint | null => this.all(args, scope, frame);
    if (cv.k === 'builtin') {
      if (PROPAGATING_BUILTINS.has(cv.name) || PROPAGATING_GLOBALS.has(cv.name)) return argsT();
    }
    if (cv.k === 'member' || cv.k === 'module') {
      const mod = cv.k === 'member' ? cv.module : cv.name;
      const members = PROPAGATING_MODULE_MEMBERS[mod];
      const last = cv.k === 'member' ? cv.path[cv.path.length - 1] : '';
      if (members === '*' || (members && members.has(last))) return argsT();
    }
    if (callee.type === 'Identifier' && !scope.lookup(callee.name) && PROPAGATING_GLOBALS.has(callee.name)) return argsT();
    if (callee.type === 'Identifier' && callee.name === 'Promise' && !scope.lookup('Promise') && args[0]) return this.promised(args[0], frame);
    if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.object.name === 'Promise' && (method === 'resolve' || method === 'all')) return argsT();
    if (method !== undefined && recv) {
      if (PREDICATE_METHODS.has(method)) return null;
      if (method === 'update' && isHashChain(recv)) return null;
      const recvT = this.t(recv, scope, frame);
      if (ARG_METHODS.has(method) || ENCODER_NAME.test(method)) return union(recvT, argsT());
      return recvT;
    }
    if (callee.type === 'Identifier' && ENCODER_NAME.test(callee.name)) return argsT();
    return null;
  }

  /** `new Promise((resolve) => … resolve(v) …)`: the values handed to resolve. */
  private promised(executor: AstNode, frame: Frame | null): Taint | null {
    const fn = unwrap(executor);
    const p0 = fn.params?.[0];
    const fnScope = this.calls.fnScopes.get(fn);
    if (!fnScope || p0?.type !== 'Identifier') return null;
    const b = fnScope.bindings.get(p0.name);
    let r: Taint | null = null;
    for (const site of (b && this.calls.paramCalls.get(b)) ?? []) r = union(r, this.t(site.node.arguments[0], site.scope, this.frameFor(site.scope, frame)));
    return r;
  }

  /** The taint of a local function's result for this call (its return expressions, given the arguments). */
  private returned(fn: AstNode, call: AstNode, args: AstNode[], scope: Scope, frame: Frame | null, allParams?: Taint | null): Taint | null {
    const depth = (frame?.depth ?? 0) + 1;
    if (depth > MAX_DEPTH) return null;
    const argTaints = args.map((a) => this.t(a.type === 'SpreadElement' ? a.argument : a, scope, frame));
    if (allParams) for (let i = 0; i < Math.max(fn.params.length, 1); i++) argTaints[i] = union(argTaints[i] ?? null, allParams);
    const argConsts = args.map((a) => (a.type === 'SpreadElement' ? undefined : this.ctx.constString(a, scope)));
    const clean = argTaints.every((x) => x === null);
    const memoKey = argConsts.map((c) => c ?? '\u0001').join('\u0000');
    if (clean) {
      const m = this.memoReturn.get(fn)?.get(memoKey);
      if (m !== undefined) return m;
    }
    if (this.active.has(fn)) return null;
    this.active.add(fn);
    const fr: Frame = { fn, call, args: argTaints, argConsts, depth };
    let r: Taint | null = null;
    try {
      if (fn.expression) r = this.t(fn.body, this.calls.fnScopes.get(fn) ?? scope, fr);
      else for (const ret of this.calls.returns.get(fn) ?? []) r = union(r, this.t(ret.arg, ret.scope, fr));
    } finally {
      this.active.delete(fn);
    }
    if (clean) {
      const m = this.memoReturn.get(fn) ?? new Map<string, Taint | null>();
      m.set(memoKey, r);
      this.memoReturn.set(fn, m);
    }
    return r;
  }
}
