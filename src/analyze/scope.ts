// Pass 1: scopes and bindings. Enough of ECMAScript's scoping to answer "does this identifier
// refer to the global `process`, or to something the file declared?" and "what was this binding
// initialised or assigned with?" (for aliases such as `const e = process.env`). `var` and function
// declarations hoist to the function scope; let/const/class live in their block.
import { PROCESS_LIKE_NAMES } from './api.js';
import type { AstNode } from './ast.js';
import { staticPropName } from './ast.js';
import { walkAst } from './walk.js';

type BindingKind = 'var' | 'let' | 'const' | 'function' | 'class' | 'param' | 'import' | 'catch';

export interface Binding {
  name: string;
  kind: BindingKind;
  scope: Scope;
  /** the expression the binding is initialised with (declarator init, IIFE argument, default). */
  init?: AstNode;
  /** the scope `init` is evaluated in. */
  initScope?: Scope;
  /** within a destructuring pattern: the property path from `init` to this binding. null = unknown key (computed), '...' = rest. */
  path?: (string | null)[];
  /** import declarations: the module specifier and the imported name ('default', '*', or a name). */
  importSource?: string;
  importName?: string;
  /** function declarations: the function node. */
  fn?: AstNode;
  /** parameters: the function and the position. */
  paramOf?: AstNode;
  paramIndex?: number;
  /** right-hand sides of later `name = value` assignments (and their pattern paths). */
  assigned: { value: AstNode; scope: Scope; path?: (string | null)[] }[];
  /** true when anything but a plain `=` or a declaration writes it (`+=`, `++`, for-in target). */
  mutated: boolean;
  /** `for (const name of COLLECTION)`: the loop variable takes each element of the collection. */
  /**
   * `for (const name of COLLECTION)`: the loop variable takes each element of the collection
   * (`path`: where a destructured variable sits in the element; `keys`: a for…in takes the keys).
   */
  forOf?: { collection: AstNode; scope: Scope; path?: (string | null)[]; keys?: boolean };
  /** class declarations: what the class declares. */
  cls?: ClassInfo;
}

/** A class as the evaluator needs it: methods by name, and what its methods store on `this`. */
export interface ClassInfo {
  node: AstNode;
  /** the scope the class sits in (its superclass expression is evaluated there). */
  scope: Scope;
  methods: Map<string, AstNode>;
  statics: Map<string, AstNode>;
  /** `this.name = value` in its methods, and `name = value` fields. */
  thisProps: Map<string, { value: AstNode; scope: Scope }[]>;
}

export class Scope {
  readonly bindings = new Map<string, Binding>();
  /** a function scope that is a class's method: `this` is an instance (or the class, static). */
  method: { cls: ClassInfo; isStatic: boolean } | null = null;
  constructor(
    readonly parent: Scope | null,
    readonly node: AstNode,
    readonly isFunction: boolean,
  ) {}

  lookup(name: string): Binding | undefined {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walks the chain outward from this scope
    let s: Scope | null = this;
    while (s) {
      const b = s.bindings.get(name);
      if (b) return b;
      s = s.parent;
    }
    return undefined;
  }

  functionScope(): Scope {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walks the chain outward from this scope
    let s: Scope = this;
    while (!s.isFunction && s.parent) s = s.parent;
    return s;
  }
}

export interface ScopeInfo {
  root: Scope;
  /** scope created by a node (Program, functions, blocks, loops, catch clauses). */
  scopeOf: Map<AstNode, Scope>;
  /** every binding, in declaration order. */
  bindings: Binding[];
  /** `exports.X = v` / `module.exports.X = v`: the values stored on the CommonJS exports object. */
  exportsProps: Map<string, { value: AstNode; scope: Scope }[]>;
  /** every class of the file, by its node. */
  classes: Map<AstNode, ClassInfo>;
}

const FUNCTION = 1;
const BLOCK = 2;
/** Node types that may open a scope; a plain object read once per node, on a hot path. */
const SCOPE_KIND: Record<string, number | undefined> = Object.assign(Object.create(null) as Record<string, number>, {
  FunctionDeclaration: FUNCTION, FunctionExpression: FUNCTION, ArrowFunctionExpression: FUNCTION,
  BlockStatement: BLOCK, ForStatement: BLOCK, ForInStatement: BLOCK, ForOfStatement: BLOCK,
  SwitchStatement: BLOCK, CatchClause: BLOCK, StaticBlock: BLOCK,
});

/**
 * Does a block-like node declare anything of its own (let/const/class/function directly inside,
 * a catch parameter, a let/const loop head)? Most blocks do not, and a Scope for each of them was
 * a measurable share of the garbage on a 250 MB tree.
 */
function declaresInBlock(node: AstNode): boolean {
  const lexical = (st: AstNode | null | undefined): boolean =>
    !!st && ((st.type === 'VariableDeclaration' && st.kind !== 'var') || st.type === 'ClassDeclaration' || st.type === 'FunctionDeclaration');
  switch (node.type) {
    case 'BlockStatement':
    case 'StaticBlock':
      return node.body.some(lexical);
    case 'ForStatement':
      return lexical(node.init);
    case 'ForInStatement':
    case 'ForOfStatement':
      return lexical(node.left);
    case 'SwitchStatement':
      return node.cases.some((c: AstNode) => c.consequent.some(lexical));
    case 'CatchClause':
      return !!node.param;
    default:
      return true;
  }
}

/** Node types that can own a scope: the only ones worth a scopeOf lookup. */
export function ownsScope(node: AstNode): boolean {
  return node.type === 'Program' || SCOPE_KIND[node.type] !== undefined;
}

export function isFunctionNode(node: AstNode): boolean {
  return SCOPE_KIND[node.type] === FUNCTION;
}

/**
 * Deeper than this, a binding's property path is not kept (its value is unknown): a hostile
 * 50,000-deep pattern must cost neither 50,000² path entries nor a 50,000-step path per binding.
 */
const MAX_PATTERN_PATH = 64;

/** Collect identifiers bound by a pattern, with the property path from the pattern's root. */
function patternBindings(
  pattern: AstNode,
  out: { id: AstNode; path: (string | null)[]; dflt?: AstNode }[] = [],
  path: (string | null)[] = [],
  dflt?: AstNode,
): { id: AstNode; path: (string | null)[]; dflt?: AstNode }[] {
  // one path array, extended and restored on the way down, copied only at each bound name
  const under = (key: string | null, node: AstNode): void => {
    path.push(key);
    patternBindings(node, out, path);
    path.pop();
  };
  switch (pattern.type) {
    case 'Identifier':
      out.push({ id: pattern, path: path.length > MAX_PATTERN_PATH ? [null] : path.slice(), dflt });
      break;
    case 'ObjectPattern':
      for (const prop of pattern.properties) {
        if (prop.type === 'RestElement') {
          under('...', prop.argument);
        } else {
          let key: string | null = null;
          if (!prop.computed) key = prop.key.type === 'Identifier' ? prop.key.name : String(prop.key.value);
          else if (prop.key.type === 'Literal') key = String(prop.key.value);
          under(key, prop.value);
        }
      }
      break;
    case 'ArrayPattern':
      pattern.elements.forEach((el: AstNode | null, i: number) => {
        if (!el) return;
        if (el.type === 'RestElement') under('...', el.argument);
        else under(String(i), el);
      });
      break;
    case 'AssignmentPattern':
      patternBindings(pattern.left, out, path, pattern.right);
      break;
    case 'RestElement':
      under('...', pattern.argument);
      break;
    default:
      // MemberExpression targets in assignment patterns bind nothing
      break;
  }
  return out;
}

/**
 * `exports` or `module.exports` (also `module['exports']`), unless the code binds a local of that
 * name (`isBound`: the scope lookup where one is known; the engine and scope analysis share this).
 */
export function isExportsRef(node: AstNode, isBound: (name: string) => boolean = () => false): boolean {
  if (node.type === 'Identifier') return node.name === 'exports' && !isBound('exports');
  return node.type === 'MemberExpression' && staticPropName(node) === 'exports' &&
    node.object.type === 'Identifier' && node.object.name === 'module' && !isBound('module');
}

// host names keep their meaning even when sloppy code assigns to them
const IMPLICIT_GLOBAL_OK = (name: string): boolean =>
  !PROCESS_LIKE_NAMES.has(name) && name !== 'exports';

/** One file's scope analysis: the walk's enter/leave, then the hoisted assignments. */
class ScopeBuilder {
  readonly root: Scope;
  readonly scopeOf: Map<AstNode, Scope>;
  readonly bindings: Binding[] = [];
  private readonly pendingAssign: { scope: Scope; name: string; value: AstNode; path?: (string | null)[] }[] = [];
  private readonly pendingMutate: { scope: Scope; name: string }[] = [];
  readonly exportsProps = new Map<string, { value: AstNode; scope: Scope }[]>();
  readonly classes = new Map<AstNode, ClassInfo>();
  private current: Scope;

  constructor(ast: AstNode) {
    this.root = new Scope(null, ast, true);
    this.scopeOf = new Map<AstNode, Scope>([[ast, this.root]]);
    this.current = this.root;
  }

  private declare(scope: Scope, name: string, kind: BindingKind, extra: Partial<Binding> = {}): Binding {
    const existing = scope.bindings.get(name);
    if (existing) {
      // `var x = a; var x = b;` — a redeclaration is another assignment to the same binding
      if (extra.init) existing.assigned.push({ value: extra.init, scope: extra.initScope ?? scope, path: extra.path });
      return existing;
    }
    // every binding gets the same fields in the same order: one object shape for V8, so the
    // evaluator's many reads of them stay monomorphic
    const b: Binding = {
      name, kind, scope,
      init: extra.init,
      initScope: extra.init ? (extra.initScope ?? scope) : extra.initScope,
      path: extra.path,
      importSource: extra.importSource,
      importName: extra.importName,
      fn: extra.fn,
      paramOf: extra.paramOf,
      paramIndex: extra.paramIndex,
      assigned: [],
      mutated: false,
      forOf: undefined,
      cls: undefined,
    };
    scope.bindings.set(name, b);
    this.bindings.push(b);
    return b;
  }

  enter(node: AstNode, ancestors: AstNode[]): void {
    const type = node.type;
    const kind = SCOPE_KIND[type];
    if (kind === FUNCTION) return this.enterFunction(node, ancestors);
    if (kind === BLOCK && declaresInBlock(node)) {
      const s = new Scope(this.current, node, false);
      this.scopeOf.set(node, s);
      this.current = s;
      if (type === 'CatchClause' && node.param) {
        for (const { id } of patternBindings(node.param)) this.declare(s, id.name, 'catch');
      }
      return;
    }
    switch (type) {
      case 'VariableDeclaration': {
        const target = node.kind === 'var' ? this.current.functionScope() : this.current;
        const kind: BindingKind = node.kind === 'var' ? 'var' : node.kind === 'const' ? 'const' : 'let';
        const parent = ancestors[ancestors.length - 2];
        const isForInOf = parent && (parent.type === 'ForInStatement' || parent.type === 'ForOfStatement') && parent.left === node;
        for (const decl of node.declarations) {
          for (const { id, path, dflt } of patternBindings(decl.id)) {
            const b = this.declare(
              target, id.name, kind,
              decl.init ? { init: decl.init, initScope: this.current, path: path.length ? path : undefined }
              : dflt ? { init: dflt, initScope: this.current } : {},
            );
            if (isForInOf) {
              b.mutated = true;
              if (parent.type === 'ForOfStatement' && decl.id.type === 'Identifier') b.forOf = { collection: parent.right, scope: this.current };
              else if (parent.type === 'ForOfStatement' && !path.includes(null)) b.forOf = { collection: parent.right, scope: this.current, path };
              else if (decl.id.type === 'Identifier') b.forOf = { collection: parent.right, scope: this.current, keys: true };
            }
          }
        }
        break;
      }
      case 'ClassDeclaration':
      case 'ClassExpression': {
        const info = classInfo(node, this.current);
        this.classes.set(node, info);
        if (type === 'ClassDeclaration' && node.id) this.declare(this.current, node.id.name, 'class').cls = info;
        break;
      }
      case 'PropertyDefinition': {
        // `env = process.env` as a class field: what `this.env` holds
        const cls = this.classes.get(ancestors[ancestors.length - 3]);
        const key = node.computed ? undefined : staticPropName(node);
        if (!node.static && node.value && key !== undefined && cls) addThisProp(cls, key, node.value, this.current);
        break;
      }
      case 'ImportDeclaration': {
        const source = String(node.source.value);
        for (const spec of node.specifiers) {
          const importName =
            spec.type === 'ImportDefaultSpecifier' ? 'default'
            : spec.type === 'ImportNamespaceSpecifier' ? '*'
            : spec.imported.type === 'Identifier' ? spec.imported.name : String(spec.imported.value);
          this.declare(this.root, spec.local.name, 'import', { importSource: source, importName });
        }
        break;
      }
      case 'AssignmentExpression': {
        if (node.left.type === 'Identifier') {
          if (node.operator === '=') this.pendingAssign.push({ scope: this.current, name: node.left.name, value: node.right });
          else this.pendingMutate.push({ scope: this.current, name: node.left.name });
        } else if (node.left.type === 'MemberExpression' && node.operator === '=' && !node.left.computed && isExportsRef(node.left.object)) {
          // `exports.KEY = 'GITHUB_TOKEN'` — `void 0` placeholders from TypeScript are not values
          const v = node.right;
          // `exports.a = exports.b = void 0` (TypeScript's placeholders) stores nothing either
          let last = v;
          for (let i = 0; i < 1000 && last.type === 'AssignmentExpression' && last.operator === '='; i++) last = last.right;
          if (!(last.type === 'UnaryExpression' && last.operator === 'void')) {
            const list = this.exportsProps.get(node.left.property.name) ?? [];
            list.push({ value: v, scope: this.current });
            this.exportsProps.set(node.left.property.name, list);
          }
        } else if (node.left.type === 'MemberExpression' && node.operator === '=' && node.left.object.type === 'ThisExpression') {
          const key = node.left.computed ? undefined : staticPropName(node.left);
          const m = thisMethod(this.current);
          if (key !== undefined && m && !m.isStatic) addThisProp(m.cls, key, node.right, this.current);
        } else if (node.left.type === 'ObjectPattern' || node.left.type === 'ArrayPattern') {
          for (const { id, path } of patternBindings(node.left)) {
            this.pendingAssign.push({ scope: this.current, name: id.name, value: node.right, path });
          }
        }
        break;
      }
      case 'UpdateExpression':
        if (node.argument.type === 'Identifier') this.pendingMutate.push({ scope: this.current, name: node.argument.name });
        break;
      case 'ForInStatement':
      case 'ForOfStatement':
        break;
    }
  }

  /** A function: its scope, its name, its parameters (bound to an IIFE's arguments). */
  private enterFunction(node: AstNode, ancestors: AstNode[]): void {
    const type = node.type;
    if (type === 'FunctionDeclaration' && node.id) this.declare(this.current, node.id.name, 'function', { fn: node });
    const fnScope = new Scope(this.current, node, true);
    this.scopeOf.set(node, fnScope);
    fnScope.method = classMethod(node, ancestors, this.classes);
    if (type === 'FunctionExpression' && node.id) this.declare(fnScope, node.id.name, 'function', { fn: node });
    // an immediately invoked function: parameters take the call's arguments, as UMD
    // wrappers and droppers do with `(function (p) { ... })(process)`
    const parent = ancestors[ancestors.length - 2];
    let callArgs: AstNode[] | undefined;
    if (parent && (parent.type === 'CallExpression' || parent.type === 'NewExpression') && parent.callee === node) {
      callArgs = parent.arguments;
    } else if (
      parent?.type === 'MemberExpression' && parent.object === node &&
      !parent.computed && (parent.property.name === 'call' || parent.property.name === 'apply')
    ) {
      const call = ancestors[ancestors.length - 3];
      if (call?.type === 'CallExpression' && call.callee === parent && parent.property.name === 'call') {
        callArgs = call.arguments.slice(1);
      }
    }
    const params = node.params as AstNode[];
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      const arg = callArgs?.[i];
      if (p.type === 'Identifier' && !arg) {
        // the common case, without a pattern walk
        this.declare(fnScope, p.name, 'param', { paramOf: node, paramIndex: i });
        continue;
      }
      for (const { id, path, dflt } of patternBindings(p)) {
        const init = arg && arg.type !== 'SpreadElement' ? arg : dflt;
        this.declare(fnScope, id.name, 'param', {
          paramOf: node,
          paramIndex: i,
          init: init,
          initScope: init === arg ? this.current : fnScope,
          path: init === arg && path.length ? path : undefined,
        });
      }
    }
    // a body without declarations of its own resolves in the function's scope
    if (node.body.type === 'BlockStatement' && !declaresInBlock(node.body)) this.scopeOf.set(node.body, fnScope);
    this.current = fnScope;
  }

  leave(node: AstNode): void {
    if (this.current.node === node && this.current.parent) this.current = this.current.parent;
  }

  finish(): ScopeInfo {
    // assignments resolve after every declaration is known (hoisting)
    for (const a of this.pendingAssign) {
      // an assignment to an undeclared name creates an implicit global in sloppy code
      const b = a.scope.lookup(a.name) ?? (IMPLICIT_GLOBAL_OK(a.name) ? this.declare(this.root, a.name, 'var') : undefined);
      if (b) b.assigned.push({ value: a.value, scope: a.scope, path: a.path && a.path.length ? a.path : undefined });
    }
    for (const m of this.pendingMutate) {
      const b = m.scope.lookup(m.name);
      if (b) b.mutated = true;
    }
    // a file that declares its own `exports`/`module` is not CommonJS-shaped: forget them
    if (this.root.bindings.has('exports') || this.root.bindings.has('module')) this.exportsProps.clear();
    return { root: this.root, scopeOf: this.scopeOf, bindings: this.bindings, exportsProps: this.exportsProps, classes: this.classes };
  }
}

function classInfo(node: AstNode, scope: Scope): ClassInfo {
  const info: ClassInfo = { node, scope, methods: new Map(), statics: new Map(), thisProps: new Map() };
  for (const m of node.body.body as AstNode[]) {
    if (m.type !== 'MethodDefinition' || m.kind !== 'method' || m.computed) continue;
    const key = staticPropName(m);
    if (key !== undefined) (m.static ? info.statics : info.methods).set(key, m.value);
  }
  return info;
}

/** A function that is a class's method (ancestors: …, class, ClassBody, MethodDefinition, fn). */
function classMethod(fn: AstNode, ancestors: AstNode[], classes: Map<AstNode, ClassInfo>): { cls: ClassInfo; isStatic: boolean } | null {
  const def = ancestors[ancestors.length - 2];
  if (def?.type !== 'MethodDefinition' || def.value !== fn) return null;
  const cls = classes.get(ancestors[ancestors.length - 4]);
  return cls ? { cls, isStatic: !!def.static } : null;
}

/** The class method whose `this` a scope sees (arrows see their parent's `this`). */
export function thisMethod(scope: Scope): { cls: ClassInfo; isStatic: boolean } | null {
  for (let s: Scope | null = scope; s; s = s.parent) {
    if (!s.isFunction || s.node.type === 'ArrowFunctionExpression') continue;
    return s.method;
  }
  return null;
}

const MAX_THIS_PROPS = 500;
function addThisProp(cls: ClassInfo, key: string, value: AstNode, scope: Scope): void {
  const list = cls.thisProps.get(key) ?? [];
  if (list.length < 8 && cls.thisProps.size < MAX_THIS_PROPS) list.push({ value, scope });
  cls.thisProps.set(key, list);
}

export function buildScopes(ast: AstNode): ScopeInfo {
  const builder = new ScopeBuilder(ast);
  walkAst(ast, { enter: (node, ancestors) => builder.enter(node, ancestors), leave: (node) => builder.leave(node) });
  return builder.finish();
}
