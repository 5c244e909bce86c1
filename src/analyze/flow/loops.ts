// Loop variables over constants: what a key built from a loop variable takes, one element at a
// time. `for (const [name, key] of PROVIDERS) env[key]`, `for (const I of A) { const O = I[1] || I[0];
// env[O] }`, nested loops (`for (const [, list] of AGENTS) for (const k of list) env[k]`),
// `KEYS.forEach((k) => env[k])`, `for (const k in DEFAULTS)`, `Object.keys(MAP).map(…)`. The
// expression is evaluated once per choice of elements, with each loop variable fixed to its element
// (Evaluator.withBindings); only constant collections count, and every count is capped, so a
// hostile 10,000 × 10,000 loop costs at most MAX_CHOICES evaluations.
import type { AstNode } from '../ast.js';
import { staticPropName } from '../ast.js';
import type { Binding, Scope } from '../scope.js';
import type { Evaluator, Val } from '../values.js';
import type { CallGraph } from './calls.js';
import { unwrap } from './calls.js';

/** Array methods whose callback's first parameter is each element. */
const ELEMENT_CALLBACKS = /^(?:forEach|map|some|every|filter|find|findIndex|findLast|flatMap)$/;
const MAX_ITEMS = 300;
const MAX_CHOICES = 1000;
const MAX_DEPTH = 3;
const MAX_EXPR_NODES = 200;

interface LoopSource {
  collection: AstNode;
  scope: Scope;
  /** a parameter: the arguments its function's call sites pass (collection unused). */
  args?: { node: AstNode; scope: Scope }[];
  /** where the variable sits in each element (destructuring), or its keys (for…in). */
  path?: (string | null)[];
  keys?: boolean;
}

/** Where an identifier sits in a destructuring pattern: `[a, [b]]` → b is at ['1', '0']. */
function pathIn(pattern: AstNode, name: string, depth = 0): (string | null)[] | null {
  if (depth > 8) return null;
  switch (pattern.type) {
    case 'Identifier':
      return pattern.name === name ? [] : null;
    case 'AssignmentPattern':
      return pathIn(pattern.left, name, depth + 1);
    case 'ArrayPattern':
      for (let i = 0; i < pattern.elements.length; i++) {
        const el = pattern.elements[i];
        const sub = el && el.type !== 'RestElement' ? pathIn(el, name, depth + 1) : null;
        if (sub) return [String(i), ...sub];
      }
      return null;
    case 'ObjectPattern':
      for (const p of pattern.properties) {
        if (p.type !== 'Property' || p.computed) continue;
        const sub = pathIn(p.value, name, depth + 1);
        if (sub) return [p.key.type === 'Identifier' ? p.key.name : String(p.key.value), ...sub];
      }
      return null;
    default:
      return null;
  }
}

export class LoopValues {
  constructor(
    private readonly ev: Evaluator,
    private readonly calls: CallGraph,
  ) {}

  /**
   * The constant names a key expression takes over the loops it depends on: `names` (strings),
   * and `partial` when some choice gives something else. null when no constant loop is involved.
   */
  keyNames(expr: AstNode, scope: Scope, params = false): { names: string[]; partial: boolean } | null {
    this.params = params;
    const vals = this.values(expr, scope, 0);
    if (!vals) return null;
    const names = new Set<string>();
    let partial = false;
    for (const v of vals) {
      if (v.k === 'str') names.add(v.v);
      else if (v.k === 'num') names.add(String(v.v));
      else partial = true;
    }
    return names.size ? { names: [...names], partial } : null;
  }

  /** also parameters of functions the file calls, taking their call sites' arguments (see keyNames). */
  private params = false;

  /** `list.every(function (obj) {…})`: a function called with each element of a collection. */
  isElementCallback(fn: AstNode): boolean {
    const cb = this.calls.callbackOf.get(fn);
    const c = cb && cb.index === 0 ? unwrap(cb.call.callee) : null;
    return c?.type === 'MemberExpression' && ELEMENT_CALLBACKS.test(staticPropName(c) ?? '');
  }

  /** What a loop variable (or an element callback's parameter) iterates, if it is one. */
  private source(b: Binding): LoopSource | null {
    // a variable assigned in the loop body no longer holds the element
    if (b.assigned.length > 0) return null;
    if (b.forOf) return b.forOf;
    if (b.kind !== 'param' || !b.paramOf) return null;
    const cb = this.calls.callbackOf.get(b.paramOf);
    if ((!cb || cb.index !== 0 || b.paramIndex !== 0) && this.params) {
      // `function checkEnv(obj) { env[obj.env] }` called with each vendor's env: the arguments
      const args = b.path ? [] : this.calls.argsFor(b);
      return args.length > 0 && args.length <= 20 ? { collection: b.paramOf, scope: b.scope, args } : null;
    }
    if (!cb || cb.index !== 0 || b.paramIndex !== 0) return null;
    const c = unwrap(cb.call.callee);
    if (c.type !== 'MemberExpression') return null;
    const method = staticPropName(c) ?? (c.computed ? this.ev.constString(c.property, cb.scope) : undefined);
    if (!ELEMENT_CALLBACKS.test(method ?? '')) return null;
    const path = pathIn(b.paramOf.params[0], b.name);
    return path ? { collection: c.object, scope: cb.scope, path } : null;
  }

  /** The loop bindings an expression depends on, through the initialisers of plain locals. */
  private deps(expr: AstNode, scope: Scope, depth: number, out: Map<Binding, LoopSource>, budget: { n: number }): void {
    const visit = (node: AstNode, parentKey: string | null, parent: AstNode | null): void => {
      if (!node || typeof node.type !== 'string' || --budget.n < 0) return;
      if (node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') return;
      if (node.type === 'Identifier') {
        // a property name (`a.b`, `{ b: 1 }`) is not a reference
        if (parent && ((parent.type === 'MemberExpression' && parentKey === 'property' && !parent.computed) || (parent.type === 'Property' && parentKey === 'key' && !parent.computed))) return;
        const b = scope.lookup(node.name);
        if (!b || out.has(b)) return;
        const src = this.source(b);
        if (src) out.set(b, src);
        else if (depth < MAX_DEPTH && b.init && b.assigned.length === 0 && b.kind !== 'param' && b.kind !== 'import') {
          this.deps(b.init, b.initScope ?? b.scope, depth + 1, out, budget);
        }
        return;
      }
      for (const key of Object.keys(node)) {
        if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range') continue;
        const child: unknown = node[key];
        if (Array.isArray(child)) for (const c of child) visit(c as AstNode, key, node);
        else if (child && typeof child === 'object') visit(child as AstNode, key, node);
      }
    };
    visit(expr, null, null);
  }

  /** Every value the expression takes, one per choice of loop elements; null if it depends on no loop. */
  private values(expr: AstNode, scope: Scope, depth: number): Val[] | null {
    const deps = new Map<Binding, LoopSource>();
    this.deps(expr, scope, 0, deps, { n: MAX_EXPR_NODES });
    if (deps.size === 0 || depth > MAX_DEPTH) return null;
    const choices: [Binding, Val[]][] = [];
    for (const [b, src] of deps) {
      const items = this.elements(src, depth);
      if (!items || items.length === 0) return null;
      choices.push([b, items]);
    }
    const out: Val[] = [];
    const fixed = new Map<Binding, Val>();
    let left = MAX_CHOICES;
    const choose = (i: number): void => {
      if (left <= 0) return;
      if (i === choices.length) {
        left--;
        out.push(this.ev.withBindings(new Map(fixed), () => this.ev.evaluate(expr, scope)));
        return;
      }
      const [b, items] = choices[i];
      for (const item of items) {
        fixed.set(b, item);
        choose(i + 1);
      }
      fixed.delete(b);
    };
    choose(0);
    return out;
  }

  /** The elements a loop variable takes: the collection's items (through outer loops), at its path. */
  private elements(src: LoopSource, depth: number): Val[] | null {
    if (src.args) {
      const out: Val[] = [];
      for (const a of src.args) for (const v of this.values(a.node, a.scope, depth + 1) ?? [this.ev.evaluate(a.node, a.scope)]) if (out.length < MAX_ITEMS) out.push(v);
      return out;
    }
    const collections = this.values(src.collection, src.scope, depth + 1) ?? [this.ev.evaluate(src.collection, src.scope)];
    const out: Val[] = [];
    for (const c of collections) {
      let items: Val[];
      if (src.keys) {
        const keys = this.ev.builtinResult('Object.keys', c);
        if (keys.k !== 'arr') return null;
        items = keys.items;
      } else if (c.k === 'arr') items = c.items;
      else if (collections.length === 1) return null;
      else continue; // one choice of the outer loops gives no array here (`'T'.any`): the others still do
      for (const item of items) {
        if (out.length >= MAX_ITEMS) return out;
        let v = item;
        for (const key of src.path ?? []) v = key === null ? { k: 'unknown' } : this.ev.member(v, key);
        out.push(v);
      }
    }
    return out;
  }
}
