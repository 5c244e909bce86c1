// The env-event producer: where the code touches the environment object, what kind of use it is
// (env-access.ts classifies), emitted as `env:access` events. It also resolves env-reader helpers —
// functions reading process.env with a key built from a parameter — whose reads are reported at
// the call sites with constant arguments once the walk is done (and, when exported, linked across
// files by package/link-package.ts).
import type { Finding } from '../model.js';
import type { AstNode } from './ast.js';
import { staticPropName } from './ast.js';
import type { EnvAccess } from './context.js';
import { classifyEnvUse, destructureFromProcess, type EnvUseEnv } from './env-access.js';
import type { FindingCollector } from './findings.js';
import type { ModuleFacts } from './module-facts.js';
import type { Scope } from './scope.js';
import { applySym, ENV_METHOD, type Evaluator, type SymPart, type Val } from './values.js';
import type { LoopValues } from './flow/loops.js';
import type { PackageFacts } from './flow/package-facts.js';
import type { Summaries } from './flow/summaries.js';
import { PROCESS_LIKE_NAMES } from './api.js';

/** Array methods whose callback takes each element: `['CI', 'BUILD_ID'].some((k) => env[k])`. */
const ARRAY_CALLBACK_METHODS = new Set(['forEach', 'map', 'some', 'every', 'filter', 'find', 'findIndex', 'flatMap', 'reduce']);
const MAX_LOCAL_CALLS = 5000;

interface Helper {
  parts: SymPart[];
  access: EnvAccess;
}

interface LocalCall {
  node: AstNode;
  fn: AstNode;
  args: Val[];
  scope: Scope;
  /** `for (const n of ['CI', 'SHA']) read(n)`: argument `index` takes each item in turn. */
  each?: { index: number; items: string[] };
}

/** Substitute a caller's argument values into a helper's key template. */
function composeSym(parts: SymPart[], args: Val[]): { fn: AstNode; parts: SymPart[] } | null {
  let fn: AstNode | null = null;
  const out: SymPart[] = [];
  for (const p of parts) {
    if (typeof p === 'string') {
      out.push(p);
      continue;
    }
    const a = args[p.param];
    if (a && (a.k === 'str' || a.k === 'num')) {
      const v = String(a.v);
      out.push(p.upper ? v.toUpperCase() : p.lower ? v.toLowerCase() : v);
      continue;
    }
    if (!a || a.k !== 'sym') return null;
    if (fn && fn !== a.fn) return null;
    fn = a.fn;
    for (const q of a.parts) {
      if (typeof q === 'string') out.push(p.upper ? q.toUpperCase() : p.lower ? q.toLowerCase() : q);
      else out.push({ param: q.param, upper: p.upper || q.upper, lower: p.lower || q.lower });
    }
  }
  return fn ? { fn, parts: out } : null;
}

/** The strings of a constant array of at most 200 strings, or null. */
function stringItems(v: Val): string[] | null {
  if (v.k !== 'arr' || v.items.length > 200) return null;
  const out: string[] = [];
  for (const it of v.items) {
    if (it.k !== 'str') return null;
    out.push(it.v);
  }
  return out;
}

/** What the env producer uses besides the evaluator: issue 13's loops, summaries and package facts. */
export interface EnvServices {
  loops: LoopValues;
  summaries: Summaries;
  packageFacts: PackageFacts;
  /** run `f` with events reaching only the env-* detectors. */
  envOnly(f: () => void): void;
}

export class EnvEvents {
  private readonly helpers = new Map<AstNode, Helper[]>();
  private readonly localCalls: LocalCall[] = [];
  /** set while the result of an unresolved `x.getEnv()` is taken for the env. */
  private hypMethod: string | null = null;

  constructor(
    private readonly evaluator: Evaluator,
    private readonly emit: (key: string, arg: unknown) => void,
    private readonly where: () => { ancestors: AstNode[]; scope: Scope; describe: (node: AstNode) => string },
    private readonly facts: ModuleFacts,
    private readonly collector: FindingCollector,
    private readonly services: EnvServices,
  ) {}

  private env(): EnvUseEnv {
    const { scope, describe } = this.where();
    const summaries = this.services.summaries;
    return { evaluator: this.evaluator, scope, describe, paramReads: (fn, i, call, s) => summaries.readsAt(fn, i, call, s) };
  }

  /**
   * The result of `pf.getEnv()` on a receiver no one here resolves: its findings are kept apart
   * and count only if the package has a method of that name returning the env (link-package.ts).
   * Only the env-* detectors see it: a hypothesis is never a taint source.
   */
  private hypothetical(method: string): void {
    if (this.hypMethod !== null || this.collector.collecting) return;
    this.hypMethod = method;
    let kept: Finding[] = [];
    try {
      this.services.envOnly(() => (kept = this.collector.collectApart(() => this.envNode())));
    } finally {
      this.hypMethod = null;
    }
    this.services.packageFacts.addIfReturns(method, kept);
  }

  /** An identifier bound to the env object (`const e = process.env; e.X`). */
  onIdentifier(node: AstNode): void {
    const { ancestors, scope } = this.where();
    const parent = ancestors[ancestors.length - 2];
    // `process.env` is handled at the member; the bare `process` object is not the env
    if (parent?.type === 'MemberExpression' && parent.object === node && PROCESS_LIKE_NAMES.has(node.name)) return;
    const b = scope.lookup(node.name);
    if (!b) return; // unbound globals: only `process.env` members matter, handled at the member
    const v = this.evaluator.bindingValue(b);
    if (v.k === 'env') this.envNode();
    else if (v.k === 'envHyp') this.hypothetical(v.method);
  }

  /** `<process>.env`, however the process object and the key are written. */
  onMember(node: AstNode): void {
    const scope = this.where().scope;
    const prop = node.computed ? this.evaluator.constString(node.property, scope) : node.property.name;
    // `process.env`, and an env object stored as `env` (`exports.env = process.env`, `this.env`
    // set in a constructor)
    if (prop === 'env' && this.evaluator.evaluate(node, scope).k === 'env') this.envNode();
  }

  /** Calls whose value is the env (`Reflect.get(process, 'env')`, `Function('return process')().env`), and calls of local functions. */
  onCall(node: AstNode, callee: Val, scope: Scope): void {
    if (callee.k === 'builtin' && (callee.name === 'Reflect.get' || callee.name.endsWith('Function'))) {
      if (this.evaluator.evaluate(node, scope).k === 'env') this.envNode();
    }
    // `getEnv()` of a function (or method) that returns process.env is the env itself
    if (node.callee.type === 'CallExpression' || node.callee.type === 'NewExpression' || callee.k === 'fn') {
      if (this.evaluator.evaluate(node, scope).k === 'env') this.envNode();
    } else if (node.arguments.length === 0 && node.callee.type === 'MemberExpression' && ENV_METHOD.test(staticPropName(node.callee) ?? '')) {
      const v = this.evaluator.evaluate(node, scope);
      if (v.k === 'envHyp') this.hypothetical(v.method);
    }
    if (callee.k === 'fn' && node.arguments.length > 0 && this.localCalls.length < MAX_LOCAL_CALLS) {
      const each = this.loopItems(node.arguments, scope);
      this.localCalls.push({ node, fn: callee.node, args: node.arguments.map((a: AstNode) => this.evaluator.evaluate(a, scope)), scope, ...(each ? { each } : {}) });
    }
  }

  /** `const { env } = process`, `({ NPM_TOKEN } = process.env)`. */
  onDestructuring(pattern: AstNode, init: AstNode): void {
    if (pattern.type !== 'ObjectPattern') return;
    const base = this.evaluator.evaluate(init, this.where().scope);
    if (base.k === 'process' || base.k === 'global') {
      for (const a of destructureFromProcess(pattern, base, this.env())) this.emit('env:access', a);
    }
  }

  /**
   * The env handed to a function of another file: what that amounts to (a bulk use) travels with
   * the call and counts unless the export's summary says it only reads names from it.
   */
  private envNode(): void {
    const { ancestors, scope } = this.where();
    const handed = this.facts.canAddImportedCall ? this.services.packageFacts.envArgument(ancestors, ancestors.length - 1, scope, this.hypMethod) : null;
    if (!handed) return this.classify();
    const held = this.collector.collectApart(() => this.classify());
    this.facts.addImportedCall(held.length ? { ...handed, findings: held } : handed);
  }

  /** `for (const [, key] of PROVIDERS) env[key]`: each constant element; true if all gave names. */
  private loopKeyReads(access: EnvAccess): boolean {
    const n = access.node;
    const expr = n.type === 'MemberExpression' && n.computed ? n.property : n.type === 'BinaryExpression' ? n.left : null;
    // a key that is a parameter itself stays a helper (read at its call sites, exported to other
    // files); one derived from a parameter (`env[obj.env]`) takes what the call sites pass
    const sym = access.keyVal?.k === 'sym' ? access.keyVal : null;
    const params = !sym || this.services.loops.isElementCallback(sym.fn);
    const found = expr ? this.services.loops.keyNames(expr, this.where().scope, params) : null;
    if (!found) return false;
    for (const name of found.names) this.emit('env:access', { kind: 'read', node: n, name, how: 'loop over constants' } satisfies EnvAccess);
    return !found.partial;
  }

  private classify(): void {
    const { ancestors } = this.where();
    for (const access of classifyEnvUse(ancestors, ancestors.length - 1, this.env())) {
      if (access.kind === 'dynamic' && this.loopKeyReads(access)) continue;
      if (access.kind === 'dynamic' && access.keyVal?.k === 'sym') {
        // ['CI', 'BUILD_NUMBER'].some((it) => env[it]): the callback's parameter is each item
        const items = this.arrayCallbackItems(access.keyVal.fn);
        if (items) {
          for (const item of items) {
            const name = applySym(access.keyVal.parts, [item]);
            if (name !== undefined) this.emit('env:access', { kind: 'read', node: access.node, name, how: 'array callback' } satisfies EnvAccess);
          }
          continue;
        }
        this.addHelper(access.keyVal.fn, { parts: access.keyVal.parts, access });
        continue;
      }
      this.emit('env:access', access satisfies EnvAccess);
    }
  }

  private addHelper(fn: AstNode, h: Helper): boolean {
    const list = this.helpers.get(fn) ?? [];
    const key = JSON.stringify(h.parts);
    if (list.some((x) => JSON.stringify(x.parts) === key)) return false;
    list.push(h);
    this.helpers.set(fn, list);
    return true;
  }

  /**
   * `for (const name of ['CI', 'GITHUB_SHA']) read(name)`: the argument is each string of a
   * constant array in turn (sentry's getReleaseFromCommitEnv). One such argument per call.
   */
  private loopItems(args: AstNode[], scope: Scope): { index: number; items: string[] } | undefined {
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a.type !== 'Identifier') continue;
      const b = scope.lookup(a.name);
      if (!b?.forOf || b.assigned.length > 0) continue;
      const arr = this.evaluator.evaluate(b.forOf.collection, b.forOf.scope);
      if (arr.k !== 'arr' || arr.items.length === 0 || arr.items.length > 200) continue;
      const items = stringItems(arr);
      return items ? { index: i, items } : undefined;
    }
    return undefined;
  }

  /** `checkEnv(obj)` with obj each element of constant data (through loops and call sites): the names. */
  private loopArgument(call: LocalCall, args: (string | undefined)[]): { index: number; items: string[] } | undefined {
    // a parameter-built argument (`inner('MY_' + s)`) is the composed helper's (composeHelpers)
    const i = args.findIndex((a, k) => {
      const v = call.args[k];
      return a === undefined && (v?.k !== 'sym' || this.services.loops.isElementCallback(v.fn));
    });
    const arg: AstNode | undefined = call.node.arguments[i];
    if (i < 0 || !arg || arg.type === 'SpreadElement') return undefined;
    const found = this.services.loops.keyNames(arg, call.scope, true);
    return found ? { index: i, items: found.names } : undefined;
  }

  /** The callback `fn` is an argument of `<array>.<method>(…)`: that array's strings. */
  private arrayCallbackItems(fn: AstNode): string[] | null {
    const { ancestors, scope } = this.where();
    for (let i = ancestors.length - 1; i > 0; i--) {
      if (ancestors[i] !== fn) continue;
      const call = ancestors[i - 1];
      if (call?.type !== 'CallExpression' || call.callee.type !== 'MemberExpression') return null;
      const method = staticPropName(call.callee);
      if (!method || !ARRAY_CALLBACK_METHODS.has(method)) return null;
      if (call.arguments[0] !== fn || (method === 'reduce' ? fn.params.length < 2 : false)) return null;
      const items = stringItems(this.evaluator.evaluate(call.callee.object, scope));
      return method === 'reduce' ? null : items;
    }
    return null;
  }

  /** The key templates of the file's env-reader helpers, by function (for methods: flow/summaries.ts). */
  helperParts(): Map<AstNode, { parts: SymPart[] }[]> {
    return this.helpers;
  }

  /** After the walk: helper reads at their constant call sites; exported helpers for the linker. */
  resolveHelpers(): void {
    if (this.helpers.size === 0) return;
    this.composeHelpers();
    const resolved = this.emitHelperCalls();
    const exported = this.facts.exportedFunctions();
    for (const [fn, list] of this.helpers) {
      const names = exported.get(fn);
      for (const h of list) {
        if (names) {
          // linked at call sites in other files (link-package.ts); if none resolves it, the read
          // stands as it is: the package reads whatever name its users pass
          const unresolved: Finding[] = resolved.has(fn) ? [] : this.collector.collectApart(() => this.emit('env:access', { ...h.access, keyVal: undefined }));
          for (const exportName of names) this.facts.exportEnvReader({ exportName, parts: h.parts, ...(unresolved.length ? { unresolved } : {}) });
        } else if (!resolved.has(fn)) this.emit('env:access', { ...h.access, keyVal: undefined });
      }
    }
  }

  /** A helper calling a helper with its own parameter is a helper too: iterate to a fixpoint. */
  private composeHelpers(): void {
    for (let round = 0; round < 4; round++) {
      let grew = false;
      for (const call of this.localCalls) {
        for (const h of this.helpers.get(call.fn) ?? []) {
          const composed = composeSym(h.parts, call.args);
          if (composed && this.addHelper(composed.fn, { parts: composed.parts, access: h.access })) grew = true;
        }
      }
      if (!grew) break;
    }
  }

  /** Reads at helper calls with constant arguments; returns the helpers some call resolved. */
  private emitHelperCalls(): Set<AstNode> {
    const resolved = new Set<AstNode>();
    for (const call of this.localCalls) {
      const args = call.args.map((v) => (v.k === 'str' ? v.v : v.k === 'num' ? String(v.v) : undefined));
      const helpers = this.helpers.get(call.fn);
      if (!helpers) continue;
      const each = call.each ?? this.loopArgument(call, args);
      const variants = each ? each.items.map((item) => args.map((a, i) => (i === each.index ? item : a))) : [args];
      for (const h of helpers) {
        for (const v of variants) {
          const name = applySym(h.parts, v);
          if (name === undefined) continue;
          resolved.add(call.fn);
          this.emit('env:access', { kind: 'read', node: call.node, name, how: 'helper call' } satisfies EnvAccess);
        }
      }
    }
    return resolved;
  }
}
