// The abstract evaluator: what an expression *is*, as far as a static reader can tell without
// running it. It folds constant strings (`'AWS_' + 'SECRET'`, `.toUpperCase()`, `['e','n','v']
// .join('')`, `Buffer.from('…','base64').toString()`), follows aliases through bindings
// (`const e = process.env`, `const { env } = require('node:process')`), and knows the handful of
// host objects that matter: process, process.env, the global object, require, modules and builtins.
import { NETWORK_GLOBALS } from './api.js';
import type { AstNode } from './ast.js';
import { staticPropName } from './ast.js';
import type { Binding, ClassInfo, Scope } from './scope.js';
import { isFunctionNode, thisMethod } from './scope.js';

/** A string built from a function's parameters: `'PG' + key.toUpperCase()` inside `function (key)`. */
export type SymPart = string | { param: number; upper?: boolean; lower?: boolean };

export type Val =
  | { k: 'unknown' }
  | { k: 'process' }
  | { k: 'env' }
  | { k: 'global' }
  | { k: 'require' }
  | { k: 'cjsModule' }
  | { k: 'cjsExports' }
  | { k: 'module'; name: string }
  | { k: 'member'; module: string; path: string[] }
  | { k: 'builtin'; name: string }
  | { k: 'str'; v: string }
  | { k: 'num'; v: number }
  | { k: 'arr'; items: Val[] }
  | { k: 'sym'; parts: SymPart[]; fn: AstNode }
  | { k: 'fn'; node: AstNode; scope: Scope | null }
  | { k: 'fnSource'; body: string }
  | { k: 'envValue'; name: string | null }
  /** an object literal: its properties are evaluated when asked for. */
  | { k: 'obj'; node: AstNode; scope: Scope }
  /** a class of the file, and an instance of it (`new C()`, `this` in its methods). */
  | { k: 'class'; cls: ClassInfo }
  | { k: 'instance'; cls: ClassInfo }
  /** `pf.getEnv()` on a receiver the file cannot resolve: the env if the package has such a method returning it. */
  | { k: 'envHyp'; method: string };

/** Method names whose result, on an unknown receiver, may be the env (resolved by name across the package). */
export const ENV_METHOD = /^(?:get|read|load)?(?:process)?env(?:ironment)?(?:vars?|variables)?$/i;

const UNKNOWN: Val = { k: 'unknown' };
const PROCESS: Val = { k: 'process' };
const ENV: Val = { k: 'env' };
const GLOBAL: Val = { k: 'global' };
const REQUIRE: Val = { k: 'require' };

/** Globals whose use means something to a detector. A local binding of the same name shadows them. */
const BUILTIN_GLOBALS = new Set([
  ...[...NETWORK_GLOBALS].map((g) => g.split('.')[0]),
  'eval', 'Function', 'Reflect', 'Object', 'JSON', 'Buffer', 'String', 'Array', 'atob', 'btoa',
  'decodeURIComponent', 'decodeURI', 'unescape', 'escape', 'structuredClone', 'Bun', 'Deno', 'TextDecoder',
  'encodeURIComponent', 'encodeURI', 'setTimeout', 'setInterval', 'Proxy',
]);
const GLOBAL_OBJECT_NAMES = new Set(['globalThis', 'global', 'window', 'self']);
/** Helpers compilers emit around `require()` that return the module (or a namespace of it). */
const INTEROP_HELPERS = new Set([
  '__importDefault', '__importStar', '__toESM', '_interopRequireDefault', '_interopRequireWildcard',
  '_interop_require_default', '_interop_require_wildcard', 'interopRequireDefault', 'interopRequireWildcard',
  '_interopDefault', '_interopDefaultLegacy', '_interopNamespace', '_interopNamespaceDefault', '_interopNamespaceCompat',
]);

/** `node:fs/promises` → `fs/promises`; `process` modules collapse to the process object elsewhere. */
export function normalizeModule(spec: string): string {
  return spec.startsWith('node:') ? spec.slice(5) : spec;
}

function str(v: string): Val {
  return { k: 'str', v };
}

const MAX_DEPTH = 40;
const MAX_STR = 4096; // folded constants longer than this are kept but not grown further

function symConcat(a: Val, b: Val): Val {
  const partsOf = (v: Val): SymPart[] | null =>
    v.k === 'str' ? [v.v] : v.k === 'num' ? [String(v.v)] : v.k === 'sym' ? v.parts : null;
  const pa = partsOf(a);
  const pb = partsOf(b);
  if (!pa || !pb) return UNKNOWN;
  if (a.k === 'sym' && b.k === 'sym' && a.fn !== b.fn) return UNKNOWN;
  const fn = a.k === 'sym' ? a.fn : b.k === 'sym' ? b.fn : null;
  if (!fn) {
    // neither side is symbolic here, so both are plain strings
    const s = (pa as string[]).join('') + (pb as string[]).join('');
    return str(s.length > MAX_STR * 4 ? s.slice(0, MAX_STR * 4) : s);
  }
  const parts: SymPart[] = [];
  for (const p of [...pa, ...pb]) {
    const last = parts[parts.length - 1];
    if (typeof p === 'string' && typeof last === 'string') parts[parts.length - 1] = last + p;
    else parts.push(p);
  }
  return { k: 'sym', parts, fn };
}

function symCase(v: Val, upper: boolean): Val {
  if (v.k === 'str') return str(upper ? v.v.toUpperCase() : v.v.toLowerCase());
  if (v.k !== 'sym') return UNKNOWN;
  return {
    k: 'sym',
    fn: v.fn,
    parts: v.parts.map((p) => (typeof p === 'string' ? (upper ? p.toUpperCase() : p.toLowerCase()) : { param: p.param, upper, lower: !upper })),
  };
}

/** Apply a sym template to constant arguments: the env name a helper call reads. */
export function applySym(parts: SymPart[], args: (string | undefined)[]): string | undefined {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'string') out += p;
    else {
      const a = args[p.param];
      if (a === undefined) return undefined;
      out += p.upper ? a.toUpperCase() : p.lower ? a.toLowerCase() : a;
    }
  }
  return out;
}

function decodeBuffer(s: string, enc: string | undefined): string | undefined {
  try {
    if (enc === 'base64' || enc === 'base64url') return Buffer.from(s, enc).toString('utf8');
    if (enc === 'hex') return Buffer.from(s, 'hex').toString('utf8');
    if (enc === undefined || enc === 'utf8' || enc === 'utf-8' || enc === 'latin1' || enc === 'binary' || enc === 'ascii') return s;
  } catch {
    /* not decodable: unknown */
  }
  return undefined;
}

/** Return arguments in a statement list, through blocks, ifs and try (not nested functions); a few at most. */
function shallowReturns(body: AstNode[], depth: number, out: AstNode[]): AstNode[] {
  if (depth > 4) return out;
  for (const st of body) {
    if (out.length >= 8) break;
    if (st.type === 'ReturnStatement' && st.argument) out.push(st.argument);
    else if (st.type === 'BlockStatement') shallowReturns(st.body, depth + 1, out);
    else if (st.type === 'IfStatement') shallowReturns([st.consequent, ...(st.alternate ? [st.alternate] : [])], depth + 1, out);
    else if (st.type === 'TryStatement') shallowReturns([st.block, ...(st.handler ? [st.handler.body] : [])], depth + 1, out);
  }
  return out;
}

const FUNCTION_BODY_RE = /^\s*(?:["']use strict["'];?\s*)?return\s*\(?\s*([A-Za-z_$][\w$]*)\s*\)?\s*;?\s*$/;

export class Evaluator {
  private readonly memo = new Map<Binding, Val>();
  private readonly inProgress = new Set<Binding>();
  private depth = 0;

  /** The scope a node sits in (set by the walker in pass 2, and by bindings for their inits). */
  constructor(
    private readonly scopeAt: (node: AstNode) => Scope,
    private readonly exportsProps: Map<string, { value: AstNode; scope: Scope }[]> = new Map(),
    private readonly classes: Map<AstNode, ClassInfo> = new Map(),
    /** a package JSON file named by `spec` from this file, as an expression (data-values.ts). */
    private readonly dataFile: (spec: string) => AstNode | null = () => null,
  ) {}

  /** Steps left for the outermost evaluation under way: past it the answer is unknown, so a
   *  future blow-up costs precision on one expression instead of the pool's 30 s timeout losing
   *  the whole file. Per query, so one pathological expression cannot starve the rest. */
  private budget = 0;

  evaluate(node: AstNode | null | undefined, scope: Scope): Val {
    if (!node) return UNKNOWN;
    if (this.depth === 0) this.budget = 200_000;
    if (this.depth > MAX_DEPTH || --this.budget < 0) return UNKNOWN;
    this.depth++;
    try {
      return this.evalNode(node, scope);
    } finally {
      this.depth--;
    }
  }

  /** A constant string (or number as string) the node folds to, if any. */
  constString(node: AstNode | null | undefined, scope: Scope): string | undefined {
    const v = this.evaluate(node, scope);
    if (v.k === 'str') return v.v;
    if (v.k === 'num') return String(v.v);
    return undefined;
  }

  bindingValue(b: Binding): Val {
    const fixed = this.overrides?.get(b);
    if (fixed) return fixed;
    const cached = this.overrides ? undefined : this.memo.get(b);
    if (cached) return cached;
    if (this.inProgress.has(b)) return UNKNOWN;
    this.inProgress.add(b);
    let v: Val;
    try {
      v = this.computeBinding(b);
    } finally {
      this.inProgress.delete(b);
    }
    // a value computed while some bindings are fixed holds only for that choice
    if (!this.overrides) this.memo.set(b, v);
    return v;
  }

  /** Bindings fixed to one value each (a loop variable's element) while `f` evaluates. */
  private overrides: Map<Binding, Val> | null = null;

  withBindings<T>(fixed: Map<Binding, Val>, f: () => T): T {
    const saved = this.overrides;
    this.overrides = saved ? new Map([...saved, ...fixed]) : fixed;
    try {
      return f();
    } finally {
      this.overrides = saved;
    }
  }

  private computeBinding(b: Binding): Val {
    if (b.kind === 'import' && b.importSource !== undefined) {
      const mod = normalizeModule(b.importSource);
      const base: Val = mod === 'process' ? PROCESS : { k: 'module', name: mod };
      if (b.importName === 'default' && mod.endsWith('.json')) {
        const data = this.dataFile(mod);
        if (data) return this.evaluate(data, b.scope);
      }
      if (b.importName === 'default' || b.importName === '*') return base;
      return this.member(base, b.importName ?? '');
    }
    if (b.kind === 'function' && b.fn) return { k: 'fn', node: b.fn, scope: b.scope };
    if (b.kind === 'class') return b.cls ? { k: 'class', cls: b.cls } : UNKNOWN;
    const values: Val[] = [];
    // a parameter's default (`function load(name = 'en')`) is one value among whatever callers pass:
    // a constant default is not the parameter's value (an object default such as process.env is kept)
    const paramDefault = b.kind === 'param' && b.init !== undefined && b.initScope === b.scope;
    const initVal = b.init ? this.follow(this.evaluate(b.init, b.initScope ?? b.scope), b.path) : undefined;
    if (initVal && !(paramDefault && (initVal.k === 'str' || initVal.k === 'num' || initVal.k === 'arr'))) values.push(initVal);
    else if (b.kind === 'param' && b.paramOf && b.paramIndex !== undefined && !b.path) {
      values.push({ k: 'sym', parts: [{ param: b.paramIndex }], fn: b.paramOf });
    }
    for (const a of b.assigned) values.push(this.follow(this.evaluate(a.value, a.scope), a.path));
    if (values.length === 0) return UNKNOWN;
    const first = values.find((v) => v.k !== 'unknown') ?? UNKNOWN;
    // a constant is only constant if nothing else is ever stored in the binding
    if (first.k === 'str' || first.k === 'num' || first.k === 'arr' || first.k === 'sym' || first.k === 'obj') {
      if (values.length > 1 || b.mutated) return UNKNOWN;
    }
    return first;
  }

  private follow(v: Val, path: (string | null)[] | undefined): Val {
    if (!path) return v;
    let cur = v;
    for (const key of path) {
      if (key === null) return UNKNOWN;
      if (key === '...') {
        if (cur.k === 'env' || cur.k === 'process' || cur.k === 'global') continue; // rest of env is env-like
        return UNKNOWN;
      }
      cur = this.member(cur, key);
    }
    return cur;
  }

  /** The value of `obj[prop]`. */
  member(obj: Val, prop: string): Val {
    // ''.constructor is String, [].constructor.constructor and (function(){}).constructor are Function
    if (prop === 'constructor') {
      if (obj.k === 'str') return { k: 'builtin', name: 'String' };
      if (obj.k === 'arr') return { k: 'builtin', name: 'Array' };
      if (obj.k === 'fn' || obj.k === 'fnSource') return { k: 'builtin', name: 'Function' };
      if (obj.k === 'builtin' && /^(?:Function|Object|Array|String|eval|(?:Function|Object|Array|String|JSON|Reflect|Buffer|Promise)\.\w+)$/.test(obj.name)) {
        return { k: 'builtin', name: 'Function' };
      }
    }
    switch (obj.k) {
      case 'global':
        if (prop === 'process') return PROCESS;
        if (GLOBAL_OBJECT_NAMES.has(prop)) return GLOBAL;
        if (prop === 'require') return REQUIRE;
        if (BUILTIN_GLOBALS.has(prop)) return { k: 'builtin', name: prop };
        return UNKNOWN;
      case 'process':
        if (prop === 'env') return ENV;
        if (prop === 'default') return PROCESS;
        return { k: 'member', module: 'process', path: [prop] };
      case 'env':
        return { k: 'envValue', name: prop };
      case 'require':
        return prop === 'main' ? { k: 'cjsModule' } : UNKNOWN; // require.main.require(x)
      case 'cjsModule':
        if (prop === 'require') return REQUIRE;
        // module.constructor is Module: module.constructor._load(x) is require(x)
        if (prop === 'constructor') return { k: 'module', name: 'module' };
        if (prop === 'exports') return { k: 'cjsExports' };
        return UNKNOWN;
      case 'cjsExports': {
        // only a property assigned exactly once is a constant
        const list = this.exportsProps.get(prop);
        if (!list || list.length !== 1) return UNKNOWN;
        return this.evaluate(list[0].value, list[0].scope);
      }
      case 'module':
        if (prop === 'default') return obj;
        if (obj.name === 'module' && prop === '_load') return REQUIRE; // Module._load(x) loads x as require does
        return { k: 'member', module: obj.name, path: [prop] };
      case 'member':
        if (obj.module === 'process' && obj.path.length === 1 && obj.path[0] === 'mainModule' && prop === 'require') return REQUIRE;
        if (obj.module === 'module' && obj.path.length === 1 && obj.path[0] === 'Module' && prop === '_load') return REQUIRE;
        if (prop === 'default' || obj.path.length >= 3) return obj;
        return { k: 'member', module: obj.module, path: [...obj.path, prop] };
      case 'builtin':
        return { k: 'builtin', name: obj.name + '.' + prop };
      case 'arr': {
        const i = Number(prop);
        if (Number.isInteger(i) && i >= 0 && i < obj.items.length) return obj.items[i];
        return UNKNOWN;
      }
      case 'str':
        if (prop === 'length') return { k: 'num', v: obj.v.length };
        return UNKNOWN;
      case 'obj':
        return this.objectProp(obj.node, obj.scope, prop);
      case 'class':
      case 'instance':
        return this.classMember(obj.cls, prop, obj.k === 'class', 0);
      default:
        return UNKNOWN;
    }
  }

  /** `Object.keys(v)` and the like of a value already evaluated. */
  builtinResult(name: 'Object.keys' | 'Object.values' | 'Object.entries', v: Val): Val {
    return v.k === 'obj' ? this.objectListing(name, v.node, v.scope) : UNKNOWN;
  }

  /** `JSON.parse(fs.readFileSync(path.join(__dirname, 'x.json'), 'utf8'))`: the package's data file. */
  private parsedDataFile(arg: AstNode, scope: Scope): Val {
    if (arg.type !== 'CallExpression' || arg.arguments.length === 0) return UNKNOWN;
    const read = this.evaluate(arg.callee, scope);
    if (read.k !== 'member' || !/^fs(?:\/promises)?$/.test(read.module) || !/^readFileSync$/.test(read.path[read.path.length - 1])) return UNKNOWN;
    let p: AstNode = arg.arguments[0];
    // join(__dirname, 'x.json') / resolve(__dirname, 'data', 'x.json'): the constant parts after the directory
    if (p.type === 'CallExpression' && p.arguments.length > 1 && p.arguments[0].type === 'Identifier' && p.arguments[0].name === '__dirname') {
      const parts = p.arguments.slice(1).map((a: AstNode) => this.constString(a, scope));
      if (parts.some((x: string | undefined) => x === undefined)) return UNKNOWN;
      const spec = './' + (parts as string[]).join('/');
      p = { type: 'Literal', value: spec, start: p.start, end: p.end };
    }
    const spec = this.constString(p, scope);
    const data = spec?.endsWith('.json') ? this.dataFile(spec.startsWith('.') ? spec : './' + spec) : null;
    return data ? this.evaluate(data, scope) : UNKNOWN;
  }

  /** `{ a: 1, b() {} }.a`: the last property of that name; unknown past a spread or an unknown key. */
  private objectProp(node: AstNode, scope: Scope, prop: string): Val {
    const props: AstNode[] = node.properties;
    for (let i = props.length - 1; i >= 0; i--) {
      const p = props[i];
      if (p.type !== 'Property') return UNKNOWN;
      const key = p.computed ? this.constString(p.key, scope) : p.key.type === 'Identifier' ? p.key.name : String(p.key.value);
      if (key === undefined) return UNKNOWN;
      if (key !== prop) continue;
      if (p.kind !== 'init') return UNKNOWN;
      return p.method ? { k: 'fn', node: p.value, scope: null } : this.evaluate(p.value, scope);
    }
    return UNKNOWN;
  }

  /** A method (or a value its methods store on `this`) of a class or its superclasses. */
  private classMember(cls: ClassInfo, prop: string, isStatic: boolean, depth: number): Val {
    const m = (isStatic ? cls.statics : cls.methods).get(prop);
    if (m) return { k: 'fn', node: m, scope: null };
    if (!isStatic) {
      const stored = cls.thisProps.get(prop);
      if (stored?.length === 1) return this.evaluate(stored[0].value, stored[0].scope);
      if (stored) return UNKNOWN;
    }
    if (!cls.node.superClass || depth > 5) return UNKNOWN;
    const sup = this.evaluate(cls.node.superClass, cls.scope);
    return sup.k === 'class' ? this.classMember(sup.cls, prop, isStatic, depth + 1) : UNKNOWN;
  }

  /** `Object.keys(o)`, `Object.values(o)`, `Object.entries(o)` of an object literal. */
  private objectListing(name: string, node: AstNode, scope: Scope): Val {
    const props: AstNode[] = node.properties;
    if (props.length > 500) return UNKNOWN;
    const items: Val[] = [];
    for (const p of props) {
      if (p.type !== 'Property' || p.kind !== 'init') return UNKNOWN;
      const key = p.computed ? this.constString(p.key, scope) : p.key.type === 'Identifier' ? p.key.name : String(p.key.value);
      if (key === undefined) return UNKNOWN;
      const value = (): Val => (p.method ? { k: 'fn', node: p.value, scope: null } : this.evaluate(p.value, scope));
      items.push(name === 'Object.keys' ? str(key) : name === 'Object.values' ? value() : { k: 'arr', items: [str(key), value()] });
    }
    return { k: 'arr', items };
  }

  private identifier(name: string, scope: Scope): Val {
    const b = scope.lookup(name);
    if (b) return this.bindingValue(b);
    if (name === 'process') return PROCESS;
    if (GLOBAL_OBJECT_NAMES.has(name)) return GLOBAL;
    if (name === 'require') return REQUIRE;
    if (name === 'module') return { k: 'cjsModule' };
    if (name === 'exports') return { k: 'cjsExports' };
    if (BUILTIN_GLOBALS.has(name)) return { k: 'builtin', name };
    return UNKNOWN;
  }

  private evalNode(node: AstNode, scope: Scope): Val {
    switch (node.type) {
      case 'Literal':
        if (typeof node.value === 'string') return str(node.value);
        if (typeof node.value === 'number') return { k: 'num', v: node.value };
        return UNKNOWN;
      case 'TemplateLiteral': {
        let acc: Val = str(node.quasis[0].value.cooked ?? '');
        for (let i = 0; i < node.expressions.length; i++) {
          acc = symConcat(acc, this.evaluate(node.expressions[i], scope));
          if (acc.k === 'unknown') return UNKNOWN;
          acc = symConcat(acc, str(node.quasis[i + 1].value.cooked ?? ''));
        }
        return acc;
      }
      case 'Identifier':
        return this.identifier(node.name, scope);
      case 'ThisExpression': {
        // top-level `this` in a script is the global object in sloppy mode; good enough for
        // `this.process.env` droppers. In a class's method it is an instance (the class, static).
        if (scope.parent === null) return GLOBAL;
        const m = thisMethod(scope);
        return m ? (m.isStatic ? { k: 'class', cls: m.cls } : { k: 'instance', cls: m.cls }) : UNKNOWN;
      }
      case 'ObjectExpression':
        return node.properties.length > 5000 ? UNKNOWN : { k: 'obj', node, scope };
      case 'ClassExpression': {
        const cls = this.classes.get(node);
        return cls ? { k: 'class', cls } : UNKNOWN;
      }
      case 'ParenthesizedExpression':
      case 'ChainExpression':
        return this.evaluate(node.expression, scope);
      case 'SequenceExpression':
        return this.evaluate(node.expressions[node.expressions.length - 1], scope);
      case 'AwaitExpression':
        return this.evaluate(node.argument, scope);
      case 'AssignmentExpression':
        return node.operator === '=' ? this.evaluate(node.right, scope) : UNKNOWN;
      case 'LogicalExpression': {
        if (node.operator === '&&') return this.evaluate(node.right, scope);
        const left = this.evaluate(node.left, scope);
        if (left.k !== 'unknown' && left.k !== 'obj') return left;
        // `{} || process.env`: a fallback object literal is the weaker answer
        const right = this.evaluate(node.right, scope);
        return right.k !== 'unknown' ? right : left;
      }
      case 'ConditionalExpression': {
        // `Array.isArray(x) ? x : [x]` (ci-info's vendor env): the test decides when x is known
        const t = node.test;
        if (t.type === 'CallExpression' && t.arguments.length === 1 && t.callee.type === 'MemberExpression' && staticPropName(t.callee) === 'isArray') {
          const x = this.evaluate(t.arguments[0], scope);
          if (x.k !== 'unknown' && x.k !== 'sym') return this.evaluate(x.k === 'arr' ? node.consequent : node.alternate, scope);
        }
        const a = this.evaluate(node.consequent, scope);
        if (a.k !== 'unknown' && a.k !== 'str' && a.k !== 'obj') return a;
        const b = this.evaluate(node.alternate, scope);
        if (a.k === 'str' && b.k === 'str' && a.v !== b.v) return UNKNOWN;
        if (a.k === 'obj' && b.k !== 'unknown') return b;
        return a.k !== 'unknown' ? a : b;
      }
      case 'BinaryExpression':
        if (node.operator === '+') return symConcat(this.evaluate(node.left, scope), this.evaluate(node.right, scope));
        return UNKNOWN;
      case 'ArrayExpression': {
        if (node.elements.length > 5000) return UNKNOWN;
        const items: Val[] = [];
        for (const el of node.elements) {
          if (!el || el.type === 'SpreadElement') return UNKNOWN;
          items.push(this.evaluate(el, scope));
        }
        return { k: 'arr', items };
      }
      case 'MemberExpression': {
        const obj = this.evaluate(node.object, scope);
        if (obj.k === 'unknown') return UNKNOWN;
        const key = node.computed ? this.constString(node.property, scope) : node.property.name;
        if (key === undefined) return obj.k === 'env' ? { k: 'envValue', name: null } : UNKNOWN;
        return this.member(obj, key);
      }
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        return { k: 'fn', node, scope: null };
      case 'CallExpression':
      case 'NewExpression':
        return this.call(node, scope);
      case 'ImportExpression':
        return UNKNOWN;
      case 'MetaProperty':
        return UNKNOWN;
      case 'UnaryExpression':
        if (node.operator === '-' ) {
          const v = this.evaluate(node.argument, scope);
          return v.k === 'num' ? { k: 'num', v: -v.v } : UNKNOWN;
        }
        return UNKNOWN;
      default:
        return UNKNOWN;
    }
  }

  private call(node: AstNode, scope: Scope): Val {
    const callee = node.callee;
    const args: AstNode[] = node.arguments;
    // method calls on folded strings and arrays
    // the callee's value when its object was already evaluated: evaluating `callee` again would
    // re-evaluate the object, and a 30-call builder chain (yargs) would cost 2^30
    let calleeVal: Val | undefined;
    if (callee.type === 'MemberExpression') {
      const method = staticPropName(callee) ?? (callee.computed ? this.constString(callee.property, scope) : undefined);
      const obj = this.evaluate(callee.object, scope);
      calleeVal = obj.k === 'unknown' ? UNKNOWN : method !== undefined ? this.member(obj, method) : obj.k === 'env' ? { k: 'envValue', name: null } : UNKNOWN;
      // `platform.getEnv()` on a receiver nothing here resolves (a parameter, an import's instance)
      if (calleeVal.k === 'unknown' && args.length === 0 && !callee.computed && method !== undefined && ENV_METHOD.test(method)) return { k: 'envHyp', method };
      if (method !== undefined) {
        if (obj.k === 'str' || obj.k === 'sym') {
          switch (method) {
            case 'toUpperCase':
            case 'toLocaleUpperCase':
              return symCase(obj, true);
            case 'toLowerCase':
            case 'toLocaleLowerCase':
              return symCase(obj, false);
            case 'trim': case 'trimStart': case 'trimEnd': case 'toString': case 'valueOf': case 'normalize':
              return obj;
            case 'concat': {
              let acc: Val = obj;
              for (const a of args) acc = symConcat(acc, this.evaluate(a, scope));
              return acc;
            }
          }
          if (obj.k === 'str') {
            const sargs = args.map((a) => this.evaluate(a, scope));
            const n = (i: number) => (sargs[i]?.k === 'num' ? (sargs[i] as { v: number }).v : undefined);
            const s = (i: number) => (sargs[i]?.k === 'str' ? (sargs[i] as { v: string }).v : undefined);
            switch (method) {
              case 'slice': case 'substring': case 'substr': {
                const a0 = n(0);
                if (a0 === undefined) return UNKNOWN;
                const a1 = args.length > 1 ? n(1) : undefined;
                if (args.length > 1 && a1 === undefined) return UNKNOWN;
                return str(method === 'substr' ? obj.v.substr(a0, a1) : method === 'slice' ? obj.v.slice(a0, a1) : obj.v.substring(a0, a1));
              }
              case 'replace': case 'replaceAll': {
                const from = s(0);
                const to = s(1);
                if (from === undefined || to === undefined) return UNKNOWN;
                return str(method === 'replace' ? obj.v.replace(from, to) : obj.v.split(from).join(to));
              }
              case 'split': {
                const sep = s(0);
                if (sep === undefined || obj.v.length > MAX_STR) return UNKNOWN;
                return { k: 'arr', items: obj.v.split(sep).map(str) };
              }
              case 'charAt': {
                const i = n(0);
                return i === undefined ? UNKNOWN : str(obj.v.charAt(i));
              }
              case 'repeat':
                return UNKNOWN;
            }
          }
          return UNKNOWN;
        }
        if (obj.k === 'arr') {
          switch (method) {
            case 'join': {
              const sep = args.length ? this.constString(args[0], scope) : ',';
              if (sep === undefined) return UNKNOWN;
              const parts: string[] = [];
              for (const it of obj.items) {
                if (it.k === 'str') parts.push(it.v);
                else if (it.k === 'num') parts.push(String(it.v));
                else return UNKNOWN;
              }
              return str(parts.join(sep));
            }
            case 'reverse':
              return { k: 'arr', items: [...obj.items].reverse() };
            case 'concat': {
              const items = [...obj.items];
              for (const a of args) {
                const v = this.evaluate(a, scope);
                if (v.k === 'arr') items.push(...v.items);
                else items.push(v);
              }
              return { k: 'arr', items };
            }
          }
          return UNKNOWN;
        }
        if (obj.k === 'fn' && (method === 'call' || method === 'apply') && method === 'call') {
          return this.callFunction(obj, args.slice(1), scope);
        }
        if (obj.k === 'builtin' && method === 'call' && obj.name === 'Function') return this.functionFromStrings(args.slice(1), scope);
      }
    }
    const helper = this.moduleHelperCall(callee, args, scope);
    if (helper) return helper;
    const fn = calleeVal ?? this.evaluate(callee, scope);
    switch (fn.k) {
      case 'require': {
        const spec = args.length ? this.constString(args[0], scope) : undefined;
        if (spec === undefined) return UNKNOWN;
        const mod = normalizeModule(spec);
        const data = mod.endsWith('.json') ? this.dataFile(mod) : null;
        if (data) return this.evaluate(data, scope);
        return mod === 'process' ? PROCESS : { k: 'module', name: mod };
      }
      case 'member':
        if (fn.module === 'module' && fn.path[0] === 'createRequire') return REQUIRE;
        return UNKNOWN;
      case 'builtin':
        return this.builtinCall(fn.name, args, scope, node);
      case 'fnSource':
        return this.functionSourceResult(fn.body);
      case 'fn':
        return this.callFunction(fn, args, scope);
      case 'class':
        return node.type === 'NewExpression' ? { k: 'instance', cls: fn.cls } : UNKNOWN;
      default:
        return UNKNOWN;
    }
  }

  /**
   * Module interop and bundler helpers: `__importDefault(require('https'))`, `_interopRequireWildcard(…)`,
   * `__toESM(…)` are the module itself; `__webpack_require__(5692)` is what webpack's module 5692
   * assigns to `module.exports` (`require("https")` for an external) in `__webpack_modules__`.
   */
  private moduleHelperCall(callee: AstNode, args: AstNode[], scope: Scope): Val | null {
    let c = callee;
    while (c.type === 'SequenceExpression' || c.type === 'ParenthesizedExpression') c = c.type === 'SequenceExpression' ? c.expressions[c.expressions.length - 1] : c.expression;
    const name = c.type === 'Identifier' ? c.name : c.type === 'MemberExpression' && !c.computed ? c.property.name : undefined;
    if (name === undefined || args.length === 0) return null;
    if (INTEROP_HELPERS.has(name)) {
      const v = this.evaluate(args[0], scope);
      return v.k === 'module' || v.k === 'process' ? v : null;
    }
    if ((name === '__webpack_require__' || name === '__nccwpck_require__') && c.type === 'Identifier') {
      const id = this.constString(args[0], scope);
      const table = scope.lookup('__webpack_modules__')?.init;
      if (id === undefined || table?.type !== 'ObjectExpression') return null;
      for (const p of table.properties) {
        if (p.type !== 'Property' || (p.key.type === 'Literal' ? String(p.key.value) : p.key.name) !== id) continue;
        const f = p.value;
        if (!isFunctionNode(f) || f.body.type !== 'BlockStatement' || f.params[0]?.type !== 'Identifier') return null;
        for (const st of f.body.body) {
          const e = st.type === 'ExpressionStatement' ? st.expression : null;
          if (e?.type === 'AssignmentExpression' && e.left.type === 'MemberExpression' && staticPropName(e.left) === 'exports' &&
            e.left.object.type === 'Identifier' && e.left.object.name === f.params[0].name) {
            const v = this.evaluate(e.right, this.scopeAt(f.body));
            return v.k === 'module' || v.k === 'process' ? v : null;
          }
        }
        return null;
      }
    }
    return null;
  }

  private builtinCall(name: string, args: AstNode[], scope: Scope, node: AstNode): Val {
    switch (name) {
      case 'Function':
        return this.functionFromStrings(args, scope);
      case 'eval': {
        const code = args.length ? this.constString(args[0], scope) : undefined;
        if (code === undefined) return UNKNOWN;
        const m = /^\s*\(?\s*([A-Za-z_$][\w$]*)\s*\)?\s*;?\s*$/.exec(code);
        return m ? this.identifier(m[1], this.rootScope(scope)) : UNKNOWN;
      }
      case 'Object.getPrototypeOf': {
        // Object.getPrototypeOf(async function () {}).constructor is AsyncFunction: a Function constructor
        const v = args.length ? this.evaluate(args[0], scope) : UNKNOWN;
        return v.k === 'fn' ? v : UNKNOWN;
      }
      case 'Reflect.get': {
        if (args.length < 2) return UNKNOWN;
        const key = this.constString(args[1], scope);
        if (key === undefined) return UNKNOWN;
        return this.member(this.evaluate(args[0], scope), key);
      }
      case 'String.fromCharCode':
      case 'String.fromCodePoint': {
        const codes: number[] = [];
        for (const a of args) {
          const v = this.evaluate(a, scope);
          if (v.k !== 'num') return UNKNOWN;
          codes.push(v.v);
        }
        try {
          return str(name === 'String.fromCharCode' ? String.fromCharCode(...codes) : String.fromCodePoint(...codes));
        } catch {
          return UNKNOWN;
        }
      }
      case 'atob': {
        const s = args.length ? this.constString(args[0], scope) : undefined;
        const d = s === undefined ? undefined : decodeBuffer(s, 'base64');
        return d === undefined ? UNKNOWN : str(d);
      }
      case 'decodeURIComponent':
      case 'decodeURI':
      case 'unescape': {
        const s = args.length ? this.constString(args[0], scope) : undefined;
        if (s === undefined) return UNKNOWN;
        try {
          return str(name === 'unescape' ? unescape(s) : name === 'decodeURI' ? decodeURI(s) : decodeURIComponent(s));
        } catch {
          return UNKNOWN;
        }
      }
      case 'Buffer.from': {
        // Buffer.from(s, enc) is a buffer; `.toString()` of it is handled by member+call below,
        // so model the buffer as the decoded string directly
        const s = args.length ? this.constString(args[0], scope) : undefined;
        const enc = args.length > 1 ? this.constString(args[1], scope) : undefined;
        if (s === undefined) return UNKNOWN;
        const d = decodeBuffer(s, enc);
        return d === undefined ? UNKNOWN : str(d);
      }
      case 'String':
        return args.length ? this.evaluate(args[0], scope) : str('');
      case 'JSON.parse':
        return args.length ? this.parsedDataFile(args[0], scope) : UNKNOWN;
      case 'Object.keys':
      case 'Object.values':
      case 'Object.entries': {
        const o = args.length ? this.evaluate(args[0], scope) : UNKNOWN;
        return o.k === 'obj' ? this.objectListing(name, o.node, o.scope) : UNKNOWN;
      }
      case 'Proxy':
        return node.type === 'NewExpression' && args.length > 1 && this.isEnvProxy(args[1], scope) ? ENV : UNKNOWN;
      default:
        void node;
        return UNKNOWN;
    }
  }

  /**
   * `new Proxy(target, { get(t, key) { return env()[key] ?? t[key] } })`: a handler whose `get`
   * answers from the environment makes the proxy an env object (consola's env shim).
   */
  private isEnvProxy(handler: AstNode, scope: Scope): boolean {
    const h = this.evaluate(handler, scope);
    const get = h.k === 'obj' ? this.objectProp(h.node, h.scope, 'get') : UNKNOWN;
    if (get.k !== 'fn' || !isFunctionNode(get.node)) return false;
    const key = get.node.params[1];
    if (key?.type !== 'Identifier') return false;
    const fnScope = this.scopeAt(get.node.body);
    let ret: AstNode | undefined = get.node.expression ? get.node.body : undefined;
    if (!ret) {
      const body: AstNode[] = get.node.body.body;
      ret = body.length <= 4 ? body.find((st) => st.type === 'ReturnStatement')?.argument : undefined;
    }
    // the first operand of `a ?? b` / `a || b` decides
    while (ret?.type === 'LogicalExpression') ret = ret.left;
    if (ret?.type === 'ChainExpression') ret = ret.expression;
    if (ret?.type !== 'MemberExpression' || !ret.computed || ret.property.type !== 'Identifier' || ret.property.name !== key.name) return false;
    return this.evaluate(ret.object, fnScope).k === 'env';
  }

  private functionFromStrings(args: AstNode[], scope: Scope): Val {
    if (args.length === 0) return UNKNOWN;
    const body = this.constString(args[args.length - 1], scope);
    return body === undefined ? UNKNOWN : { k: 'fnSource', body };
  }

  private functionSourceResult(body: string): Val {
    const m = FUNCTION_BODY_RE.exec(body);
    if (!m) return UNKNOWN;
    if (m[1] === 'this') return GLOBAL; // Function bodies run sloppy at global scope
    return this.identifier(m[1], this.globalScopeStub);
  }

  private readonly globalScopeStub = { lookup: () => undefined } as unknown as Scope;

  private rootScope(scope: Scope): Scope {
    let s = scope;
    while (s.parent) s = s.parent;
    return s;
  }

  /** What calling the function returns (see callFunction). */
  resultOf(fn: AstNode): Val {
    return this.callFunction({ k: 'fn', node: fn }, [], this.scopeAt(fn));
  }

  /** The value a local function returns, when it is a single obvious expression. */
  private callFunction(fn: { k: 'fn'; node: AstNode }, _args: AstNode[], _scope: Scope): Val {
    // The result ignores the arguments, so it is one value per function: memoised, and a
    // function met again while its own return is being evaluated (mutual recursion, as in
    // typebox's visitors) is unknown — without this, evaluation was exponential in call depth.
    const f = fn.node;
    const memo = this.returnMemo.get(f);
    if (memo) return memo;
    this.returnMemo.set(f, UNKNOWN);
    const v = this.computeReturn(f);
    // while loop variables are fixed, a closure's result may hold for this choice only
    if (this.overrides) this.returnMemo.delete(f);
    else this.returnMemo.set(f, v);
    return v;
  }

  private readonly returnMemo = new Map<AstNode, Val>();

  private computeReturn(f: AstNode): Val {
    if (!isFunctionNode(f)) return UNKNOWN;
    const fnScope = this.scopeAt(f.body);
    if (f.expression) return this.stripSym(this.evaluate(f.body, fnScope));
    const body: AstNode[] = f.body.body;
    if (body.length > 8) return UNKNOWN;
    const ret = body.find((s) => s.type === 'ReturnStatement');
    if (ret?.argument) return this.stripSym(this.evaluate(ret.argument, fnScope));
    // `try { return process.env } catch { return {} }`, `if (x) return process.env`: a function
    // that may return the environment object is an env getter
    for (const r of shallowReturns(body, 0, [])) {
      if (this.evaluate(r, fnScope).k === 'env') return ENV;
    }
    return UNKNOWN;
  }

  private stripSym(v: Val): Val {
    // a parameter-derived string means nothing outside its function
    return v.k === 'sym' ? UNKNOWN : v;
  }
}
