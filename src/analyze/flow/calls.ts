// The file's own call graph, as far as the data-flow analyses need it: which local function a call
// reaches (`fn(x)`, `(0, fn)(x)`, `api.send(x)` on an object literal of methods), the argument
// expressions every call site passes to a parameter, the functions handed as callbacks (and to
// which call), and each function's return expressions with the scope they sit in. The engine fills
// it for every detector during its walk (node visitors and `call` events, before any detector sees
// the node) and hands it out as `ctx.calls`; it is complete at Program:exit.
import type { AstNode } from '../ast.js';
import { staticPropName } from '../ast.js';
import type { FileContext } from '../context.js';
import type { Binding, Scope } from '../scope.js';
import { isFunctionNode } from '../scope.js';
import type { Val } from '../values.js';

export interface Site {
  node: AstNode;
  scope: Scope;
  /** `fn.call(self, a)`: 1 (arguments shift by one); `fn.apply(self, arr)`: -1 (every parameter comes from arr). */
  shift?: number;
}

/** `(x)`, `(0, x)`, `x?.y` → the expression that decides the value. */
export function unwrap(node: AstNode): AstNode {
  let n = node;
  for (let i = 0; i < 20; i++) {
    if (n.type === 'ParenthesizedExpression' || n.type === 'ChainExpression' || n.type === 'TSNonNullExpression' || n.type === 'TSAsExpression') n = n.expression;
    else if (n.type === 'SequenceExpression') n = n.expressions[n.expressions.length - 1];
    else break;
  }
  return n;
}

/** The name of `obj.key`, `obj['key']`, or a key that folds to a constant. */
export function memberKey(ctx: FileContext, member: AstNode, scope: Scope): string | undefined {
  const s = staticPropName(member);
  if (s !== undefined) return s;
  return member.computed ? ctx.constString(member.property, scope) : undefined;
}

/** Key of an object-literal property (`a: 1`, `'a': 1`, `[k]: 1` with constant k). */
export function propertyKey(ctx: FileContext, prop: AstNode, scope: Scope): string | undefined {
  if (prop.type !== 'Property') return undefined;
  const s = staticPropName(prop);
  if (s !== undefined) return s;
  return prop.computed ? ctx.constString(prop.key, scope) : undefined;
}

export interface LiteralRef {
  node: AstNode;
  scope: Scope;
  binding: Binding | null;
}

/** An object literal the expression certainly is: `{…}` itself, or a binding only ever initialised with one. */
export function literalOf(node: AstNode, scope: Scope): LiteralRef | null {
  const n = unwrap(node);
  if (n.type === 'ObjectExpression') return { node: n, scope, binding: null };
  if (n.type === 'Identifier') {
    const b = scope.lookup(n.name);
    if (b && b.init && !b.path && b.assigned.length === 0 && unwrap(b.init).type === 'ObjectExpression') {
      return { node: unwrap(b.init), scope: b.initScope ?? b.scope, binding: b };
    }
  }
  return null;
}

/** Is `scope` (or one of its parents) the scope of the function `fn`? */
export function scopeInside(scope: Scope, fn: AstNode): boolean {
  for (let s: Scope | null = scope; s; s = s.parent) if (s.node === fn) return true;
  return false;
}

export class CallGraph {
  readonly fnScopes = new Map<AstNode, Scope>();
  readonly returns = new Map<AstNode, { arg: AstNode; scope: Scope }[]>();
  readonly callSites = new Map<AstNode, Site[]>();
  readonly callbackOf = new Map<AstNode, { call: AstNode; index: number; scope: Scope }>();
  /** calls of a parameter (`new Promise((resolve) => resolve(v))`): the parameter's binding → its call sites. */
  readonly paramCalls = new Map<Binding, Site[]>();
  /** `for (const x of <collection>)`: the collection each loop variable iterates. */
  readonly loopOf = new Map<Binding, Site>();

  constructor(private readonly ctx: FileContext) {}

  /** The node visitors that fill the graph (the `call` event goes to onCall). */
  visitors(): Record<string, (node: AstNode) => void> {
    const fn = (node: AstNode): void => this.onFunction(node);
    return {
      FunctionDeclaration: fn,
      FunctionExpression: fn,
      ArrowFunctionExpression: fn,
      ReturnStatement: (node) => this.onReturn(node),
      ForOfStatement: (node) => this.onLoop(node),
    };
  }

  /** Visitor for function nodes: the engine has already entered the function's scope. */
  onFunction(node: AstNode): void {
    this.fnScopes.set(node, this.ctx.scope());
  }

  onReturn(node: AstNode): void {
    if (!node.argument) return;
    const anc = this.ctx.ancestors;
    for (let i = anc.length - 2; i >= 0; i--) {
      if (isFunctionNode(anc[i])) {
        const list = this.returns.get(anc[i]) ?? [];
        if (list.length < 50) list.push({ arg: node.argument, scope: this.ctx.scope() });
        this.returns.set(anc[i], list);
        return;
      }
    }
  }

  /** ForOfStatement visitor: `for (const f of ['.npmrc', '.netrc'])`. */
  onLoop(node: AstNode): void {
    if (node.type !== 'ForOfStatement' || node.left.type !== 'VariableDeclaration') return;
    const id = node.left.declarations[0]?.id;
    if (id?.type !== 'Identifier') return;
    const scope = this.ctx.scope();
    const b = scope.lookup(id.name);
    if (b) this.loopOf.set(b, { node: node.right, scope });
  }

  /** What a loop variable or an array-callback parameter takes: the array literal's elements (or constant strings). */
  iterated(b: Binding): Site[] | null {
    let site: Site | undefined = this.loopOf.get(b);
    if (!site && b.kind === 'param' && b.paramOf && b.paramIndex === 0) {
      const cb = this.callbackOf.get(b.paramOf);
      const c = cb ? unwrap(cb.call.callee) : null;
      if (cb && c?.type === 'MemberExpression' && /^(?:forEach|map|filter|some|every|find|flatMap)$/.test(memberKey(this.ctx, c, cb.scope) ?? '')) {
        site = { node: c.object, scope: cb.scope };
      }
    }
    if (!site) return null;
    // the collection itself, or every array a binding is initialised or assigned with
    let arrays: Site[] = [site];
    const n = unwrap(site.node);
    if (n.type === 'Identifier') {
      const ab = site.scope.lookup(n.name);
      if (ab && !ab.path && ab.init) {
        arrays = [{ node: ab.init, scope: ab.initScope ?? ab.scope }, ...ab.assigned.filter((a) => !a.path).map((a) => ({ node: a.value, scope: a.scope }))];
      }
    }
    const out: Site[] = [];
    for (const a of arrays) {
      const arr = unwrap(a.node);
      if (arr.type !== 'ArrayExpression' || arr.elements.length > 100) {
        if (arrays.length === 1) return null;
        continue; // another value of the binding: not something this can enumerate
      }
      for (const e of arr.elements) if (e && e.type !== 'SpreadElement') out.push({ node: e, scope: a.scope });
    }
    return out.length ? out : null;
  }

  onCall(node: AstNode, callee: Val): void {
    const scope = this.ctx.scope();
    let fn = this.resolveFn(node.callee, scope, callee);
    let shift = 0;
    if (!fn) {
      const c = unwrap(node.callee);
      const key = c.type === 'MemberExpression' ? memberKey(this.ctx, c, scope) : undefined;
      if (key === 'call' || key === 'apply') {
        fn = this.resolveFn(c.object, scope);
        shift = key === 'call' ? 1 : -1;
      }
    }
    const c0 = unwrap(node.callee);
    if (!fn && c0.type === 'Identifier') {
      const b = scope.lookup(c0.name);
      if (b && b.kind === 'param') {
        const list = this.paramCalls.get(b) ?? [];
        if (list.length < 50) list.push({ node, scope });
        this.paramCalls.set(b, list);
      }
    }
    if (fn) {
      const list = this.callSites.get(fn) ?? [];
      if (list.length < 200) list.push(shift ? { node, scope, shift } : { node, scope });
      this.callSites.set(fn, list);
    }
    const args: AstNode[] = node.arguments;
    const method = unwrap(node.callee).type === 'MemberExpression';
    args.forEach((a, index) => {
      let f: AstNode | null = null;
      if (isFunctionNode(a)) f = a;
      else if (method && a.type === 'Identifier') {
        const v = this.ctx.evaluate(a, scope);
        if (v.k === 'fn') f = v.node;
      }
      if (f && !this.callbackOf.has(f)) this.callbackOf.set(f, { call: node, index, scope });
    });
  }

  /** The local function a callee expression reaches, if any. */
  resolveFn(calleeNode: AstNode, scope: Scope, known?: Val): AstNode | null {
    const c = unwrap(calleeNode);
    const v = known ?? this.ctx.evaluate(c, scope);
    if (v.k === 'fn') return v.node;
    if (c.type === 'MemberExpression') {
      const key = memberKey(this.ctx, c, scope);
      if (key === undefined) return null;
      const lit = literalOf(c.object, scope);
      if (!lit) return null;
      for (const p of lit.node.properties) {
        if (p.type === 'Property' && propertyKey(this.ctx, p, lit.scope) === key && isFunctionNode(p.value)) return p.value;
      }
    }
    return null;
  }

  /** The expressions passed for parameter `b` at every call site of its function (an IIFE's init included). */
  argsFor(b: Binding): Site[] {
    const out: Site[] = [];
    if (b.kind !== 'param' || !b.paramOf || b.paramIndex === undefined) return out;
    for (const site of this.callSites.get(b.paramOf) ?? []) {
      const args: AstNode[] = site.node.arguments;
      const a = site.shift === -1 ? args[1] : args[b.paramIndex + (site.shift ?? 0)];
      if (!a) continue;
      out.push({ node: a.type === 'SpreadElement' ? a.argument : a, scope: site.scope });
    }
    return out;
  }
}
