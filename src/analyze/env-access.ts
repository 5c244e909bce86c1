// How a reference to the environment object is used, decided from its surroundings. This is the
// one place that tells a read of `NPM_TOKEN` from `Object.keys(process.env)` from handing the env
// to a child process; the env-* detectors only report what this classifies.
import { CHILD_PROCESS_FUNCTIONS, ENUMERATING_CALLS, ENV_OPTION_CALLS, KEY_LISTING } from './api.js';
import type { AstNode } from './ast.js';
import { staticPropName } from './ast.js';
import type { EnvAccess } from './context.js';
import type { Scope } from './scope.js';
import type { Evaluator, Val } from './values.js';
import { walkAst } from './walk.js';

/** Parents through which a value passes unchanged: `a || process.env`, `(x, process.env)`. */
function isTransparent(parent: AstNode, child: AstNode): boolean {
  switch (parent.type) {
    case 'ChainExpression':
    case 'ParenthesizedExpression':
    case 'TSNonNullExpression':
    case 'AwaitExpression':
      return true;
    case 'LogicalExpression':
      return true;
    case 'ConditionalExpression':
      return parent.consequent === child || parent.alternate === child;
    case 'SequenceExpression':
      return parent.expressions[parent.expressions.length - 1] === child;
    default:
      return false;
  }
}

/**
 * `Object.keys(env).filter(k => k.startsWith('P'))` or `.filter(k => /^P/i.test(k))` at
 * ancestors[callIndex]: the constant prefix every kept key has, if the filter is that simple.
 */
function prefixFilter(ancestors: AstNode[], callIndex: number, scope?: Scope, evaluator?: Evaluator): string | undefined {
  const call = ancestors[callIndex];
  const member = ancestors[callIndex - 1];
  const filterCall = ancestors[callIndex - 2];
  if (!member || member.type !== 'MemberExpression' || member.object !== call) return undefined;
  const method = staticPropName(member);
  if ((method !== 'filter' && method !== 'forEach') || !filterCall || filterCall.callee !== member) return undefined;
  const fn = filterCall.arguments[0];
  if (!fn || (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression')) return undefined;
  let body: AstNode = fn.body;
  let negated = false;
  if (method === 'forEach') {
    // node-gyp: forEach(k => { if (k.indexOf('npm_config_') !== 0) return; … }): a guard that skips
    // every key without the prefix before anything reads the value
    const first = body.type === 'BlockStatement' ? body.body[0] : undefined;
    const exits = (st: AstNode): boolean => st.type === 'ReturnStatement' || (st.type === 'BlockStatement' && st.body.length === 1 && st.body[0].type === 'ReturnStatement');
    if (!first || first.type !== 'IfStatement' || first.alternate || !exits(first.consequent)) return undefined;
    body = first.test;
    negated = true;
  } else if (body.type === 'BlockStatement') {
    if (body.body.length !== 1 || body.body[0].type !== 'ReturnStatement' || !body.body[0].argument) return undefined;
    body = body.body[0].argument;
  }
  const constOf = (n: AstNode | undefined): string | undefined =>
    !n ? undefined : n.type === 'Literal' && typeof n.value === 'string' ? n.value : scope && evaluator ? evaluator.constString(n, scope) : undefined;
  // `k.indexOf(P) === 0` (or `!== 0` / `!k.startsWith(P)` / `!re.test(k)` in a skipping guard)
  const indexOfZero = (e: AstNode): AstNode | undefined => {
    if (e.type !== 'BinaryExpression' || !(negated ? /^!==?$/ : /^===?$/).test(e.operator)) return undefined;
    const [call2, zero] = e.left.type === 'CallExpression' ? [e.left, e.right] : [e.right, e.left];
    if (zero.type !== 'Literal' || zero.value !== 0 || call2.type !== 'CallExpression' || call2.callee.type !== 'MemberExpression') return undefined;
    return staticPropName(call2.callee) === 'indexOf' ? call2.arguments[0] : undefined;
  };
  if (negated) {
    const viaIndex = indexOfZero(body);
    if (viaIndex) {
      const p = constOf(viaIndex);
      return p !== undefined && p.length >= 2 ? p : undefined;
    }
    if (body.type !== 'UnaryExpression' || body.operator !== '!') return undefined;
    body = body.argument;
  } else {
    const viaIndex = indexOfZero(body);
    if (viaIndex) {
      const p = constOf(viaIndex);
      return p !== undefined && p.length >= 2 ? p : undefined;
    }
  }
  // a destructured [key, value] entry or a plain key; the predicate may OR several prefixes
  const prefixes: string[] = [];
  const collect = (e: AstNode): boolean => {
    if (e.type === 'LogicalExpression' && e.operator === '||') return collect(e.left) && collect(e.right);
    if (e.type !== 'CallExpression' || e.callee.type !== 'MemberExpression') return false;
    const m = staticPropName(e.callee);
    const arg = e.arguments[0];
    const lit = m === 'startsWith' ? constOf(arg) : undefined;
    if (lit !== undefined && lit.length >= 2) {
      prefixes.push(lit);
      return true;
    }
    let re = e.callee.object;
    // const npmConfigPrefix = /^npm_config_/i; … npmConfigPrefix.test(k)
    if (re.type === 'Identifier') re = scope?.lookup(re.name)?.init ?? re;
    if (m === 'test' && re.type === 'Literal' && re.regex) {
      const m = /^\^([A-Za-z0-9_]{2,})(?:$|[^|*?+{]*$)/.exec(re.regex.pattern);
      if (m && !re.regex.pattern.includes('|')) {
        prefixes.push(m[1]);
        return true;
      }
    }
    return false;
  };
  if (!collect(body) || prefixes.length === 0) return undefined;
  return prefixes.length === 1 ? prefixes[0] : prefixes.join('*|');
}

/** What a helper does with the environment handed to it when it only looks names up in it. */
interface LookupUse {
  /** constant names read (`p.PATH`, a selector's `'PATHEXT'`, `PREFIX*` for a prefix family). */
  names: string[];
  /** parameters of the helper whose argument is the name looked up (`(o, k) => o[k]`). */
  keyParams: number[];
  /** a name computed inside the helper is looked up (`p[key]` with a key of its own). */
  dynamic: boolean;
  /** the helper writes into it (dotenv's populate(processEnv, parsed)). */
  writes: boolean;
}

/** Resolves names the helper uses (a called function, a regex constant) from the caller's side. */
interface HelperResolver {
  fn(name: string): AstNode | undefined;
  regex(name: string): { pattern: string; flags: string } | undefined;
}

/** The names a key predicate keeps: constants, the helper's key parameters, or names chosen at runtime (dynamic). */
interface KeySelection {
  names: string[];
  keyParams: number[];
  dynamic?: boolean;
}

/** `k`, `k.toUpperCase()`, `k.toLowerCase()`: the key itself, maybe case-folded. */
function isKeyRef(n: AstNode, key: string): boolean {
  if (n.type === 'Identifier') return n.name === key;
  return n.type === 'CallExpression' && n.arguments.length === 0 && n.callee.type === 'MemberExpression' &&
    /^to(?:Upper|Lower)Case$/.test(staticPropName(n.callee) ?? '') && isKeyRef(n.callee.object, key);
}

/**
 * The names a predicate on `key` keeps, when it keeps only names known here: `k === 'PATH'`,
 * `k.toUpperCase() === name` (a parameter), `/^path$/i.test(k)`, `k.startsWith('P_')`, or a
 * conjunction with one of these. null when it may keep any name.
 */
function keySelector(pred: AstNode, key: string, paramNames: (string | null)[], res: HelperResolver | undefined): KeySelection | null {
  if (pred.type === 'LogicalExpression' && pred.operator === '&&') {
    return keySelector(pred.left, key, paramNames, res) ?? keySelector(pred.right, key, paramNames, res);
  }
  if (pred.type === 'BinaryExpression' && /^===?$/.test(pred.operator)) {
    const other = isKeyRef(pred.left, key) ? pred.right : isKeyRef(pred.right, key) ? pred.left : undefined;
    if (other?.type === 'Literal' && typeof other.value === 'string') return { names: [other.value], keyParams: [] };
    const k = other?.type === 'Identifier' ? paramNames.indexOf(other.name) : -1;
    return k >= 0 ? { names: [], keyParams: [k] } : null;
  }
  if (pred.type !== 'CallExpression' || pred.callee.type !== 'MemberExpression') return null;
  const m = staticPropName(pred.callee);
  const arg = pred.arguments[0];
  // vite's loadEnv: prefixes.some((prefix) => key.startsWith(prefix)) — a family of names chosen at runtime
  if (m === 'some' && arg && (arg.type === 'ArrowFunctionExpression' || arg.type === 'FunctionExpression') && arg.params[0]?.type === 'Identifier') {
    const p = arg.params[0].name;
    const body = arg.body.type === 'BlockStatement' ? (arg.body.body.length === 1 && arg.body.body[0].type === 'ReturnStatement' ? arg.body.body[0].argument : undefined) : arg.body;
    if (body?.type === 'CallExpression' && body.callee.type === 'MemberExpression' && staticPropName(body.callee) === 'startsWith' &&
      isKeyRef(body.callee.object, key) && body.arguments[0]?.type === 'Identifier' && body.arguments[0].name === p) {
      return { names: [], keyParams: [], dynamic: true };
    }
  }
  if (m === 'startsWith' && isKeyRef(pred.callee.object, key) && arg?.type === 'Literal' && typeof arg.value === 'string' && arg.value.length >= 2) {
    return { names: [`${arg.value}*`], keyParams: [] };
  }
  if (m === 'test' && arg && isKeyRef(arg, key)) {
    const re = pred.callee.object;
    const r = re.type === 'Literal' && re.regex ? re.regex : re.type === 'Identifier' ? res?.regex(re.name) : undefined;
    const whole = r ? /^\^([A-Za-z0-9_]{2,})(\$?)$/.exec(r.pattern) : null;
    if (whole) return { names: [whole[2] ? whole[1].toUpperCase() : `${whole[1]}*`], keyParams: [] };
  }
  return null;
}

/** The predicate a loop body keeps its keys by: `if (!a || !b) continue;` first keeps `a && b`; a body that is one `if (p) …` keeps `p`. */
function loopGuard(body: AstNode): AstNode | undefined {
  const first = body.type === 'BlockStatement' ? body.body[0] : body;
  if (!first || first.type !== 'IfStatement' || first.alternate) return undefined;
  const only = body.type !== 'BlockStatement' || body.body.length === 1;
  if (only && first.consequent.type !== 'ContinueStatement' && !(first.consequent.type === 'BlockStatement' && first.consequent.body[0]?.type === 'ContinueStatement')) return first.test;
  const c = first.consequent.type === 'BlockStatement' && first.consequent.body.length === 1 ? first.consequent.body[0] : first.consequent;
  if (c.type !== 'ContinueStatement') return undefined;
  const negate = (e: AstNode): AstNode | undefined => {
    if (e.type === 'UnaryExpression' && e.operator === '!') return e.argument;
    if (e.type === 'LogicalExpression' && e.operator === '||') {
      const l = negate(e.left);
      const r = negate(e.right);
      return l && r ? ({ type: 'LogicalExpression', operator: '&&', left: l, right: r, start: e.start, end: e.end }) : undefined;
    }
    return undefined;
  };
  return negate(first.test);
}

/** Every use of the local `name` in `body` is a member lookup (`x[k]`, `x.K`, `k in x`), never a copy, call or return. */
function onlyLookedUp(body: AstNode, name: string): boolean {
  let ok = true;
  let uses = 0;
  walkAst(body, {
    enter(n, anc) {
      if (!ok || n.type !== 'Identifier' || n.name !== name) return;
      const p = anc[anc.length - 2];
      if (p?.type === 'VariableDeclarator' && p.id === n) return;
      uses++;
      if (p?.type === 'MemberExpression' && p.object === n) return;
      if (p?.type === 'MemberExpression' && p.property === n && !p.computed) return;
      if (p?.type === 'Property' && p.key === n && !p.shorthand) return;
      if (p?.type === 'BinaryExpression' && p.operator === 'in' && p.right === n) return;
      ok = false;
    },
  });
  return ok && uses > 0;
}

/**
 * How a function uses its parameter `index` when every use is a name lookup: `p.PATH` (a
 * constant name), `p[k]`, `k in p`, `hasOwnProperty.call(p, k)`, a write into it, keys listed and
 * narrowed to known names (`Object.keys(p).find(k => k.toUpperCase() === 'PATHEXT')`, a for…in
 * that skips every other key), or the same handed to another such helper.
 * null when the parameter escapes in any other way (enumerated, passed on, stored, spread).
 */
const lookupMemo = new WeakMap<AstNode, Map<number, LookupUse | null>>();
function lookupOnlyUse(fn: AstNode, index: number, res?: HelperResolver, depth = 0): LookupUse | null {
  let perFn = lookupMemo.get(fn);
  if (!perFn) lookupMemo.set(fn, (perFn = new Map()));
  if (perFn.has(index)) return perFn.get(index)!;
  perFn.set(index, null); // recursion guard
  let result: LookupUse | null = null;
  // `function optionsFromEnv(e = process.env)`: a parameter with a default is still the parameter
  const own = (p: AstNode | undefined): AstNode | undefined => (p?.type === 'AssignmentPattern' ? p.left : p);
  const param = own(fn.params?.[index]);
  if (param?.type === 'Identifier' && fn.body) {
    const paramNames: (string | null)[] = fn.params.map((p: AstNode) => {
      const q = own(p);
      return q?.type === 'Identifier' ? q.name : null;
    });
    const names = new Set<string>();
    const keyParams = new Set<number>();
    let dynamic = false;
    let writes = false;
    let escapes = false;
    let uses = 0;
    const keyArg = (n: AstNode | undefined): void => {
      const k = n?.type === 'Identifier' ? paramNames.indexOf(n.name) : -1;
      if (k >= 0 && k !== index) keyParams.add(k);
      else if (n?.type === 'Literal' && typeof n.value === 'string') names.add(n.value);
      else dynamic = true;
    };
    const select = (sel: KeySelection | null): boolean => {
      if (!sel) return false;
      if (sel.dynamic) dynamic = true;
      for (const n of sel.names) names.add(n);
      for (const k of sel.keyParams) if (k !== index) keyParams.add(k);
      return true;
    };
    walkAst(fn.body, {
      enter(node, anc) {
        if (escapes || node.type !== 'Identifier' || node.name !== param.name) return;
        uses++;
        const parent = anc[anc.length - 2];
        const grand = anc[anc.length - 3];
        if (parent?.type === 'MemberExpression' && parent.object === node) {
          if ((grand?.type === 'AssignmentExpression' && grand.left === parent) || (grand?.type === 'UnaryExpression' && grand.operator === 'delete')) {
            writes = true;
            return;
          }
          const stat = staticPropName(parent);
          if (stat !== undefined && !parent.computed) {
            names.add(stat);
            return;
          }
          if (parent.computed) {
            keyArg(parent.property);
            return;
          }
        }
        if (parent?.type === 'BinaryExpression' && parent.operator === 'in' && parent.right === node) {
          keyArg(parent.left);
          return;
        }
        // checks of the object itself (`e === null || typeof e != 'object'`, `!e`) read nothing from it
        if ((parent?.type === 'UnaryExpression' && (parent.operator === 'typeof' || parent.operator === '!')) ||
          (parent?.type === 'BinaryExpression' && /^[!=]==?$/.test(parent.operator))) return;
        if (parent?.type === 'CallExpression' && parent.arguments[0] === node && parent.callee.type === 'MemberExpression' &&
          staticPropName(parent.callee) === 'call' && parent.callee.object.type === 'MemberExpression' &&
          staticPropName(parent.callee.object) === 'hasOwnProperty') {
          keyArg(parent.arguments[1]);
          return;
        }
        // Object.keys(p)[.reverse()].find/filter/some(k => <selects known names>)
        if (parent?.type === 'CallExpression' && parent.arguments[0] === node && parent.callee.type === 'MemberExpression' &&
          parent.callee.object.type === 'Identifier' && parent.callee.object.name === 'Object' && staticPropName(parent.callee) === 'keys') {
          let j = anc.length - 2;
          let m = anc[j - 1];
          let call = anc[j - 2];
          if (m?.type === 'MemberExpression' && staticPropName(m) === 'reverse' && call?.type === 'CallExpression' && call.callee === m) {
            j -= 2;
            m = anc[j - 1];
            call = anc[j - 2];
          }
          const cb = call?.type === 'CallExpression' && call.callee === m && m?.type === 'MemberExpression' && /^(?:find|findLast|filter|some)$/.test(staticPropName(m) ?? '') ? call.arguments[0] : undefined;
          const k = cb && (cb.type === 'ArrowFunctionExpression' || cb.type === 'FunctionExpression') && cb.params[0]?.type === 'Identifier' ? cb.params[0].name : undefined;
          const pred = k === undefined ? undefined : cb.body.type === 'BlockStatement' ? (cb.body.body.length === 1 && cb.body.body[0].type === 'ReturnStatement' ? cb.body.body[0].argument : undefined) : cb.body;
          if (k !== undefined && pred && select(keySelector(pred, k, paramNames, res))) return;
        }
        // for (const key in p) { if (!wanted(key)) continue; … }
        if (parent?.type === 'ForInStatement' && parent.right === node) {
          const left = parent.left.type === 'VariableDeclaration' ? parent.left.declarations[0]?.id : parent.left;
          const guard = loopGuard(parent.body);
          if (left?.type === 'Identifier' && guard && select(keySelector(guard, left.name, paramNames, res))) return;
        }
        // dotenv-expand: `const env = { ...runningParsed, ...processEnv }` then only `env[key]` lookups
        if (parent?.type === 'SpreadElement' && grand?.type === 'ObjectExpression') {
          const decl = anc[anc.length - 4];
          if (decl?.type === 'VariableDeclarator' && decl.init === grand && decl.id.type === 'Identifier' && onlyLookedUp(fn.body, decl.id.name)) {
            dynamic = true;
            return;
          }
        }
        // handed on to another helper of the same kind (dotenv's which() → its case-insensitive get())
        if (parent?.type === 'CallExpression' && parent.callee.type === 'Identifier' && res && depth < 3) {
          const argIndex = parent.arguments.indexOf(node);
          const inner = argIndex >= 0 ? res.fn(parent.callee.name) : undefined;
          const use = inner ? lookupOnlyUse(inner, argIndex, res, depth + 1) : null;
          if (use) {
            for (const n of use.names) names.add(n);
            for (const k of use.keyParams) keyArg(parent.arguments[k]);
            dynamic ||= use.dynamic;
            writes ||= use.writes;
            return;
          }
        }
        escapes = true;
      },
    });
    // a function that never touches the parameter is not a lookup (it may use `arguments`)
    if (!escapes && uses > 0) result = { names: [...names], keyParams: [...keyParams], dynamic, writes };
  }
  perFn.set(index, result);
  return result;
}

/**
 * `fromEnv = (selector, opts) => () => selector(process.env, opts)`: the environment handed to a
 * function the caller supplies. The callers' own code decides what it reads: every call of the
 * named outer function in this file must pass a lookup-only function (or pass on its own caller's),
 * and none may pass anything else. The name of that function, or undefined.
 */
function callerSuppliedFn(call: AstNode, argIndex: number, ancestors: AstNode[], env: EnvUseEnv): string | undefined {
  const callee = call.callee;
  if (callee.type !== 'Identifier') return undefined;
  const b = env.scope.lookup(callee.name);
  if (!b || b.kind !== 'param' || !b.paramOf || b.paramIndex === undefined || b.assigned.length || b.mutated) return undefined;
  const fi = ancestors.indexOf(b.paramOf);
  const holder = ancestors[fi - 1];
  const fname = b.paramOf.type === 'FunctionDeclaration' ? b.paramOf.id?.name
    : holder?.type === 'VariableDeclarator' && holder.id.type === 'Identifier' ? holder.id.name : undefined;
  if (fname === undefined || !ancestors[0] || ancestors[0].type !== 'Program') return undefined;
  const res = helperResolver(env);
  let ok = true;
  let sites = 0;
  walkAst(ancestors[0], {
    enter(n) {
      if (!ok || n.type !== 'CallExpression' || n.callee.type !== 'Identifier' || n.callee.name !== fname) return;
      if (++sites > 50) ok = false;
      const arg = n.arguments[b.paramIndex!];
      if (!arg) return;
      if (arg.type === 'ArrowFunctionExpression' || arg.type === 'FunctionExpression') {
        ok = lookupOnlyUse(arg, argIndex, res) !== null;
        return;
      }
      if (arg.type !== 'Identifier') {
        ok = false;
        return;
      }
      // a function of this file must only look names up; a name this file cannot resolve is its caller's
      const local = res.fn(arg.name);
      if (local) ok = lookupOnlyUse(local, argIndex, res) !== null;
      else if (env.scope.lookup(arg.name) && env.scope.lookup(arg.name)?.kind !== 'param') ok = false;
    },
  });
  return ok ? fname : undefined;
}

/** `Object.keys(x)[.reverse()].find(k => <selects constant names>)` at ancestors[callIndex]: the names, or null. */
function listedAndPicked(ancestors: AstNode[], callIndex: number, res: HelperResolver): string[] | null {
  let j = callIndex;
  let m = ancestors[j - 1];
  let call = ancestors[j - 2];
  if (m?.type === 'MemberExpression' && m.object === ancestors[j] && staticPropName(m) === 'reverse' && call?.type === 'CallExpression' && call.callee === m) {
    j -= 2;
    m = ancestors[j - 1];
    call = ancestors[j - 2];
  }
  if (m?.type !== 'MemberExpression' || m.object !== ancestors[j] || call?.type !== 'CallExpression' || call.callee !== m) return null;
  if (!/^(?:find|findLast|some)$/.test(staticPropName(m) ?? '')) return null;
  const cb = call.arguments[0];
  if (!cb || (cb.type !== 'ArrowFunctionExpression' && cb.type !== 'FunctionExpression') || cb.params[0]?.type !== 'Identifier') return null;
  const pred = cb.body.type === 'BlockStatement' ? (cb.body.body.length === 1 && cb.body.body[0].type === 'ReturnStatement' ? cb.body.body[0].argument : undefined) : cb.body;
  const sel = pred ? keySelector(pred, cb.params[0].name, [], res) : null;
  return sel && sel.names.length && sel.keyParams.length === 0 ? sel.names : null;
}

/** A for…in/for…of over the env's keys whose body keeps only some names: the accesses that amounts to, or null. */
function loopPicked(loop: AstNode, env: EnvUseEnv): EnvAccess[] | null {
  const left = loop.left.type === 'VariableDeclaration' ? loop.left.declarations[0]?.id : loop.left;
  const guard = left?.type === 'Identifier' ? loopGuard(loop.body) : undefined;
  const sel = guard ? keySelector(guard, left.name, [], helperResolver(env)) : null;
  if (!sel || sel.keyParams.length) return null;
  const how = loop.type === 'ForInStatement' ? 'for…in filtered by name' : 'for…of filtered by name';
  const out: EnvAccess[] = sel.names.map((name) => ({ kind: 'read' as const, node: loop.right, name, how }));
  if (sel.dynamic) out.push({ kind: 'dynamic', node: loop.right, how: `${how} (names chosen at runtime)` });
  return out;
}

/**
 * webpack's DotenvPlugin: `const keys = [...Object.keys(parsed), ...Object.keys(process.env)]` whose
 * every use is a `for (const key of keys)` loop keeping only some names. The accesses, or null.
 */
function keyListPicked(ancestors: AstNode[], callIndex: number, env: EnvUseEnv): EnvAccess[] | null {
  let j = callIndex;
  if (ancestors[j - 1]?.type === 'SpreadElement' && ancestors[j - 2]?.type === 'ArrayExpression') j -= 2;
  const decl = ancestors[j - 1];
  if (decl?.type !== 'VariableDeclarator' || decl.init !== ancestors[j] || decl.id.type !== 'Identifier') return null;
  const name: string = decl.id.name;
  let body: AstNode | undefined;
  for (let k = j - 2; k >= 0 && !body; k--) if (/Function/.test(ancestors[k].type) || ancestors[k].type === 'Program') body = ancestors[k];
  if (!body) return null;
  const out: EnvAccess[] = [];
  let ok = true;
  let loops = 0;
  walkAst(body, {
    enter(n, anc) {
      if (!ok || n.type !== 'Identifier' || n.name !== name) return;
      const p = anc[anc.length - 2];
      if (p === decl) return;
      const kept = p?.type === 'ForOfStatement' && p.right === n ? loopPicked(p, env) : null;
      if (kept) {
        loops++;
        out.push(...kept);
      } else ok = false;
    },
  });
  return ok && loops > 0 ? out : null;
}

/** Is the call at ancestors[callIndex] returned by the `ownKeys` trap of a handler given to `new Proxy`? */
function isProxyOwnKeys(ancestors: AstNode[], callIndex: number): boolean {
  let k = callIndex - 1;
  if (ancestors[k]?.type === 'ReturnStatement') k--;
  while (k > 0 && ancestors[k].type === 'BlockStatement') k--;
  const fn = ancestors[k];
  if (!fn || !/Function/.test(fn.type) || (ancestors[k]?.type !== 'ArrowFunctionExpression' && ancestors[callIndex - 1]?.type !== 'ReturnStatement')) return false;
  const prop = ancestors[k - 1];
  const handler = ancestors[k - 2];
  const proxy = ancestors[k - 3];
  return prop?.type === 'Property' && prop.value === fn && staticPropName(prop) === 'ownKeys' && handler?.type === 'ObjectExpression' &&
    proxy?.type === 'NewExpression' && proxy.callee.type === 'Identifier' && proxy.callee.name === 'Proxy' && proxy.arguments[1] === handler;
}

/** `DotenvModule.populate` where `var DotenvModule = { populate, … }` and `function populate(…)`: the function. */
function objectMethod(callee: AstNode, env: EnvUseEnv): AstNode | undefined {
  if (callee.type !== 'MemberExpression' || callee.object.type !== 'Identifier') return undefined;
  const name = staticPropName(callee);
  const b = env.scope.lookup(callee.object.name);
  if (name === undefined || !b || b.assigned.length || b.init?.type !== 'ObjectExpression') return undefined;
  for (const p of b.init.properties) {
    if (p.type !== 'Property' || staticPropName(p) !== name) continue;
    if (/Function/.test(p.value.type)) return p.value;
    if (p.value.type === 'Identifier') {
      const v = env.evaluator.evaluate(p.value, b.initScope ?? b.scope);
      return v.k === 'fn' ? v.node : undefined;
    }
  }
  return undefined;
}

/** Names a helper uses, resolved where it is called (module-level functions and regex constants). */
function helperResolver(env: EnvUseEnv): HelperResolver {
  return {
    fn(name) {
      const v = env.evaluator.evaluate({ type: 'Identifier', name, start: 0, end: 0 }, env.scope);
      return v.k === 'fn' ? v.node : undefined;
    },
    regex(name) {
      const init = env.scope.lookup(name)?.init;
      return init?.type === 'Literal' && init.regex ? (init.regex as { pattern: string; flags: string }) : undefined;
    },
  };
}

export interface EnvUseEnv {
  evaluator: Evaluator;
  scope: Scope;
  describe(node: AstNode): string;
  /** What a function of the file reads from the env handed to it at `argIndex` (flow/summaries.ts). */
  paramReads?(fn: AstNode, argIndex: number, call: AstNode, scope: Scope): EnvAccess[];
}

function keyOf(member: AstNode, env: EnvUseEnv): { name?: string; sym?: Val } {
  const stat = staticPropName(member);
  if (stat !== undefined) return { name: stat };
  const v = env.evaluator.evaluate(member.property, env.scope);
  if (v.k === 'str') return { name: v.v };
  if (v.k === 'num') return { name: String(v.v) };
  return { sym: v };
}

function isCalleeOf(call: AstNode | undefined, node: AstNode): boolean {
  return !!call && (call.type === 'CallExpression' || call.type === 'NewExpression') && call.callee === node;
}

/** Is `node` (at ancestors[i]) the target of an assignment, update or delete? */
function isWriteTarget(ancestors: AstNode[], i: number): boolean {
  const node = ancestors[i];
  const parent = ancestors[i - 1];
  if (!parent) return false;
  if (parent.type === 'AssignmentExpression' && parent.left === node) return true;
  if (parent.type === 'UpdateExpression') return true;
  if (parent.type === 'UnaryExpression' && parent.operator === 'delete') return true;
  return false;
}

/** The call at ancestors[callIndex] yields a child's env: an `env` option's value or an env-named copy kept for children. */
function resultIsChildEnv(ancestors: AstNode[], callIndex: number, env?: EnvUseEnv): boolean {
  let j = callIndex;
  while (j > 0 && isTransparent(ancestors[j - 1], ancestors[j])) j--;
  return isEnvOptionValue(ancestors[j], ancestors[j - 1]) || isEnvNamedCopy(ancestors[j], ancestors[j - 1], ancestors, env);
}

/** Is the object expression the value of an `env` option (`{ env: { ...process.env } }`)? */
function isEnvOptionValue(objectExpr: AstNode, parent: AstNode | undefined): boolean {
  if (!parent || parent.type !== 'Property' || parent.value !== objectExpr) return false;
  const key = staticPropName(parent);
  return key !== undefined && /env/i.test(key);
}


/**
 * Every use of the copy `name` in its function keeps it a child's environment: the value of an
 * `env` option, a member read or write (`env.PATH = …`), an argument of a process-starting call, or
 * the helper's return value.
 * Any other use (serialised, sent, returned, handed to another call) makes it a bulk copy.
 */
function usedOnlyAsChildEnv(name: string, ancestors: AstNode[], env?: EnvUseEnv): boolean {
  let root: AstNode | undefined;
  for (let k = ancestors.length - 1; k >= 0 && !root; k--) {
    const t = ancestors[k].type;
    if (t === 'FunctionDeclaration' || t === 'FunctionExpression' || t === 'ArrowFunctionExpression' || t === 'Program') root = ancestors[k];
  }
  if (!root) return false;
  let ok = true;
  let visits = 0;
  walkAst(root.type === 'Program' ? root : root.body, {
    enter(n, anc) {
      if (!ok || n.type !== 'Identifier' || n.name !== name || ++visits > 200) return;
      const p = anc[anc.length - 2];
      if (!p) return;
      if (p.type === 'VariableDeclarator' && p.id === n) return;
      // a helper that builds the env and returns it (computeEnv, getEnvVars): its callers decide,
      // and a flow of the copy anywhere but a child's env is still exfiltration's to find
      if (p.type === 'ReturnStatement') return;
      if (p.type === 'MemberExpression' && p.object === n) return;
      if (p.type === 'MemberExpression' && p.property === n && !p.computed) return;
      if (p.type === 'Property' && p.key === n && !p.shorthand) return;
      if (p.type === 'Property' && p.value === n && /env/i.test(staticPropName(p) ?? '')) return;
      if (p.type === 'CallExpression' && p.arguments.includes(n)) {
        const c = p.callee;
        const fn = c.type === 'Identifier' ? c.name : c.type === 'MemberExpression' ? staticPropName(c) : undefined;
        if (fn !== undefined && (CHILD_PROCESS_FUNCTIONS.has(fn) || ENV_OPTION_CALLS.has(fn))) return;
        // merged again straight into an env option (nodemon: `env: merge(execOptions.env, env)`)
        const g = anc[anc.length - 3];
        if (g?.type === 'Property' && g.value === p && /env/i.test(staticPropName(g) ?? '')) return;
        // handed to a helper that only looks names up in it (tinyexec's getPathFromEnv(envWithDefault))
        const res = env ? helperResolver(env) : undefined;
        const helper = c.type === 'Identifier' ? res?.fn(c.name) : undefined;
        if (helper && lookupOnlyUse(helper, p.arguments.indexOf(n), res)) return;
      }
      ok = false;
    },
  });
  return ok;
}

/** `const env = { ...process.env, FORCE_COLOR: '1' }`: a copy made to hand to a child process. */
function isEnvNamedCopy(objectExpr: AstNode, parent: AstNode | undefined, ancestors: AstNode[], env?: EnvUseEnv): boolean {
  // objectExpr: the object literal, or a call building it
  if (!parent) return false;
  if (parent.type === 'VariableDeclarator' && parent.init === objectExpr && parent.id.type === 'Identifier') {
    return /env/i.test(parent.id.name) && usedOnlyAsChildEnv(parent.id.name, ancestors, env);
  }
  if (parent.type === 'AssignmentExpression' && parent.right === objectExpr) {
    const left = parent.left;
    const name = left.type === 'Identifier' ? left.name : left.type === 'MemberExpression' ? staticPropName(left) : undefined;
    return name !== undefined && /env/i.test(name);
  }
  return false;
}

/**
 * Classify the use of `ancestors[index]`, a node that evaluates to the environment object.
 * Returns the accesses it amounts to (a destructuring reads several names at once).
 */
export function classifyEnvUse(ancestors: AstNode[], index: number, env: EnvUseEnv): EnvAccess[] {
  let i = index;
  let child = ancestors[i];
  while (i > 0 && isTransparent(ancestors[i - 1], child)) {
    i--;
    child = ancestors[i];
  }
  const parent = ancestors[i - 1];
  const node = ancestors[index];
  if (!parent) return [];
  switch (parent.type) {
    case 'MemberExpression': {
      if (parent.object !== child) return [];
      const { name, sym } = keyOf(parent, env);
      if (isWriteTarget(ancestors, i - 1)) {
        return [{ kind: 'write', node: parent, name, how: name === undefined ? 'computed key' : 'assignment' }];
      }
      if (name === 'hasOwnProperty' && isCalleeOf(ancestors[i - 2], parent)) {
        const call = ancestors[i - 2];
        const k = call.arguments[0] ? env.evaluator.constString(call.arguments[0], env.scope) : undefined;
        return k === undefined ? [{ kind: 'dynamic', node: call, how: 'hasOwnProperty' }] : [{ kind: 'read', node: call, name: k, how: 'hasOwnProperty' }];
      }
      if (name !== undefined) return [{ kind: 'read', node: parent, name, how: 'member' }];
      return [{ kind: 'dynamic', node: parent, how: 'computed key', keyVal: sym }];
    }
    case 'VariableDeclarator':
      if (parent.init === child && parent.id.type === 'ObjectPattern') return destructure(parent.id, env, parent);
      return [];
    case 'AssignmentExpression':
      if (parent.right === child && parent.left.type === 'ObjectPattern') return destructure(parent.left, env, parent);
      return [];
    case 'AssignmentPattern':
      return [];
    case 'ForInStatement': {
      if (parent.right !== child) return [];
      // for (const key in process.env) if (key.startsWith('VITE_')) …: only the kept family is read
      const picked = loopPicked(parent, env);
      return picked ?? [{ kind: 'bulk', node, how: 'for…in' }];
    }
    case 'ForOfStatement':
      return parent.right === child ? [{ kind: 'bulk', node, how: 'for…of' }] : [];
    case 'BinaryExpression':
      if (parent.operator === 'in' && parent.right === child) {
        const k = env.evaluator.constString(parent.left, env.scope);
        return k === undefined ? [{ kind: 'dynamic', node: parent, how: 'in' }] : [{ kind: 'read', node: parent, name: k, how: 'in' }];
      }
      return [];
    case 'SpreadElement': {
      const container = ancestors[i - 2];
      if (container?.type === 'ObjectExpression') {
        // `env: opts.env || { ...process.env }` — through fallbacks to the property or binding
        let j = i - 2;
        while (j > 0 && isTransparent(ancestors[j - 1], ancestors[j])) j--;
        const holder = ancestors[j - 1];
        const held = ancestors[j];
        // `const spawnEnv = setPATH(path, bins, { ...process.env, ...env })`: a copy being built
        // into an env for a child, through a helper whose result is named for it
        if (holder && holder.type === 'CallExpression' && holder.arguments.includes(held) && isEnvNamedCopy(holder, ancestors[j - 2], ancestors, env)) {
          return [{ kind: 'inherit', node, how: 'spread into an env for a child process' }];
        }
        if (isEnvOptionValue(held, holder) || isEnvNamedCopy(held, holder, ancestors, env)) {
          return [{ kind: 'inherit', node, how: 'spread into an env option' }];
        }
      }
      if (container && (container.type === 'CallExpression' || container.type === 'NewExpression')) {
        return [{ kind: 'bulk', node, how: `spread into ${env.describe(container.callee)}()` }];
      }
      return [{ kind: 'bulk', node, how: 'spread' }];
    }
    case 'Property': {
      const container = ancestors[i - 2];
      if (parent.value !== child || container?.type !== 'ObjectExpression') return [];
      const key = staticPropName(parent);
      // std-env's stand-in `globalThis.process || { env: E }`: the env where the process object was
      const alt = ancestors[i - 3];
      if (key === 'env' && alt?.type === 'LogicalExpression' && alt.right === container && env.evaluator.evaluate(alt.left, env.scope).k === 'process') return [];
      // `{ env: process.env }` handed straight to a call (spawn, execa, new Worker) is an options
      // object; the same stored in a result object (nx: `{ env: process.env, npmrc }`) is a copy
      const holder = ancestors[i - 3];
      const isOptions = holder && (holder.type === 'CallExpression' || holder.type === 'NewExpression') && holder.arguments.includes(container);
      const namedOptions = holder?.type === 'VariableDeclarator' && holder.id.type === 'Identifier' && /opt|spawn|exec|child|proc/i.test(holder.id.name);
      // options of options (`{ worker: { env: process.env } }`) and an options object every use of
      // which hands it to something that starts a process (`launch(launchArguments)`)
      const nested = holder?.type === 'Property' && holder.value === container && ancestors[i - 4]?.type === 'ObjectExpression';
      const heldBy = holder?.type === 'VariableDeclarator' && holder.init === container && holder.id.type === 'Identifier' && usedOnlyAsChildEnv(holder.id.name, ancestors, env);
      if (key !== undefined && /^(env|environment|processEnv)$/i.test(key) && (isOptions || namedOptions || nested || heldBy)) {
        return [{ kind: 'inherit', node, how: `as the ${key} option` }];
      }
      return [{ kind: 'bulk', node, how: `stored in an object as ${key ?? '[computed]'}` }];
    }
    case 'CallExpression':
    case 'NewExpression': {
      if (parent.callee === child) return [];
      const callee = env.evaluator.evaluate(parent.callee, env.scope);
      const argIndex = parent.arguments.indexOf(child);
      if (callee.k === 'builtin') {
        if (callee.name === 'Object.assign' && argIndex === 0) return [{ kind: 'write', node: parent, how: 'Object.assign' }];
        if (callee.name === 'Object.hasOwn' || callee.name === 'Reflect.has') {
          const k = parent.arguments[1] ? env.evaluator.constString(parent.arguments[1], env.scope) : undefined;
          return k === undefined ? [{ kind: 'dynamic', node: parent, how: callee.name }] : [{ kind: 'read', node: parent, name: k, how: callee.name }];
        }
        if (callee.name === 'Reflect.get' && argIndex === 0) {
          const k = parent.arguments[1] ? env.evaluator.constString(parent.arguments[1], env.scope) : undefined;
          return k === undefined ? [{ kind: 'dynamic', node: parent, how: 'Reflect.get' }] : [{ kind: 'read', node: parent, name: k, how: 'Reflect.get' }];
        }
        if (callee.name === 'Object.assign' && argIndex >= 1 && resultIsChildEnv(ancestors, i - 1, env)) {
          // Object.assign({}, process.env, X) is the same copy as { ...process.env, X }
          return [{ kind: 'inherit', node, how: 'copied into an env option' }];
        }
        if (ENUMERATING_CALLS.has(callee.name)) {
          // path-key: Object.keys(env).reverse().find(k => k.toUpperCase() === 'PATH') looks one name up
          const picked = callee.name === 'Object.keys' ? listedAndPicked(ancestors, i - 1, helperResolver(env)) : null;
          if (picked) return picked.map((name) => ({ kind: 'read' as const, node: parent, name, how: 'Object.keys narrowed to one name' }));
          const loop = ancestors[i - 2];
          if (callee.name === 'Object.keys' && loop?.type === 'ForOfStatement' && loop.right === parent) {
            const kept = loopPicked(loop, env);
            if (kept) return kept;
          }
          if (callee.name === 'Object.keys') {
            const kept = keyListPicked(ancestors, i - 1, env);
            if (kept) return kept;
            // std-env's env Proxy: `ownKeys() { return Object.keys(env) }` lists names; values go through its get trap
            if (isProxyOwnKeys(ancestors, i - 1)) return [{ kind: 'dynamic', node: parent.callee, how: 'names listed by an env Proxy (ownKeys)' }];
          }
          const prefix = KEY_LISTING.has(callee.name) ? prefixFilter(ancestors, i - 1, env.scope, env.evaluator) : undefined;
          // Object.keys(process.env).filter(k => k.startsWith('npm_config_')): a family of
          // names, read like one; an unanchored /TOKEN|KEY/ filter stays a bulk read
          if (prefix) return [{ kind: 'read', node: parent, name: `${prefix}*`, how: `${callee.name} filtered by prefix` }];
          return [{ kind: 'bulk', node: parent, how: callee.name }];
        }
      }
      // Object.prototype.hasOwnProperty.call(process.env, 'X')
      if (parent.callee.type === 'MemberExpression' && staticPropName(parent.callee) === 'call' && argIndex === 0) {
        const inner = parent.callee.object;
        if (inner.type === 'MemberExpression' && staticPropName(inner) === 'hasOwnProperty') {
          const k = parent.arguments[1] ? env.evaluator.constString(parent.arguments[1], env.scope) : undefined;
          return k === undefined ? [{ kind: 'dynamic', node: parent, how: 'hasOwnProperty' }] : [{ kind: 'read', node: parent, name: k, how: 'hasOwnProperty' }];
        }
      }
      if (callee.k === 'member' && callee.module === 'child_process' && CHILD_PROCESS_FUNCTIONS.has(callee.path[callee.path.length - 1])) {
        return [{ kind: 'inherit', node, how: `passed to ${env.describe(parent.callee)}()` }];
      }
      // handed to a function of this file that only looks names up in it
      // (`const has = (o, k) => hasOwnProperty.call(o, k); has(process.env, 'NO_COLOR')`)
      const helper = callee.k === 'fn' ? callee.node : objectMethod(parent.callee, env);
      if (helper && argIndex >= 0) {
        const use = lookupOnlyUse(helper, argIndex, helperResolver(env));
        if (use) {
          const out: EnvAccess[] = use.names.map((name) => ({ kind: 'read' as const, node: parent, name, how: `read by ${env.describe(parent.callee)}()` }));
          for (const k of use.keyParams) {
            const arg = parent.arguments[k];
            const name = arg ? env.evaluator.constString(arg, env.scope) : undefined;
            out.push(name === undefined ? { kind: 'dynamic', node: parent, how: `looked up by ${env.describe(parent.callee)}()` } : { kind: 'read', node: parent, name, how: `read by ${env.describe(parent.callee)}()` });
          }
          // the key is computed inside the helper: the callee is the place to show
          if (use.dynamic) out.push({ kind: 'dynamic', node: parent.callee, how: `a name computed in ${env.describe(parent.callee)}()` });
          if (use.writes) out.push({ kind: 'write', node: parent, how: `written by ${env.describe(parent.callee)}()` });
          return out;
        }
        // the env escapes too (stored, passed on): the names the function reads, and a bulk use
        const reads = env.paramReads?.(helper, argIndex, parent, env.scope) ?? [];
        if (reads.length) return [...reads, { kind: 'bulk', node, how: `passed to ${env.describe(parent.callee)}()` }];
      }
      // handed to a selector the caller supplies (@smithy's fromEnv(envVarSelector)): a lookup by the caller's code
      const supplied = argIndex >= 0 ? callerSuppliedFn(parent, argIndex, ancestors, env) : undefined;
      if (supplied !== undefined) return [{ kind: 'dynamic', node: parent.callee, how: `a name chosen by the function given to ${supplied}()` }];
      // nodemon's `env = utils.merge(options.env, process.env)` handed to fork as its env
      if (argIndex >= 0 && resultIsChildEnv(ancestors, i - 1, env)) return [{ kind: 'inherit', node, how: `merged by ${env.describe(parent.callee)}() into an env option` }];
      return [{ kind: 'bulk', node, how: `passed to ${env.describe(parent.callee)}()` }];
    }
    case 'ArrayExpression':
      return [{ kind: 'bulk', node, how: 'stored in an array' }];
    case 'TemplateLiteral':
      return [{ kind: 'bulk', node, how: 'template literal' }];
    default:
      return [];
  }
}

function destructure(pattern: AstNode, env: EnvUseEnv, at: AstNode): EnvAccess[] {
  const out: EnvAccess[] = [];
  for (const prop of pattern.properties) {
    if (prop.type === 'RestElement') {
      out.push({ kind: 'bulk', node: prop, how: 'rest destructuring' });
      continue;
    }
    let name: string | undefined;
    if (!prop.computed) name = prop.key.type === 'Identifier' ? prop.key.name : String(prop.key.value);
    else name = env.evaluator.constString(prop.key, env.scope);
    if (name === undefined) out.push({ kind: 'dynamic', node: prop, how: 'computed destructuring' });
    else out.push({ kind: 'read', node: prop, name, how: 'destructuring' });
  }
  void at;
  return out;
}

/** `const { env } = process` / `const { env: { A, B } } = require('process')`: reads inside a pattern. */
export function destructureFromProcess(pattern: AstNode, base: Val, env: EnvUseEnv): EnvAccess[] {
  if (pattern.type !== 'ObjectPattern') return [];
  const out: EnvAccess[] = [];
  for (const prop of pattern.properties) {
    if (prop.type !== 'Property') continue;
    const key = prop.computed ? env.evaluator.constString(prop.key, env.scope) : prop.key.type === 'Identifier' ? prop.key.name : String(prop.key.value);
    if (key === undefined) continue;
    const sub = env.evaluator.member(base, key);
    let value = prop.value;
    if (value.type === 'AssignmentPattern') value = value.left;
    if (sub.k === 'env' && value.type === 'ObjectPattern') out.push(...destructure(value, env, prop));
    else if ((sub.k === 'process' || sub.k === 'global') && value.type === 'ObjectPattern') out.push(...destructureFromProcess(value, sub, env));
  }
  return out;
}
