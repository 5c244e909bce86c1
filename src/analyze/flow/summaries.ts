// Function summaries: what a function does with the environment object when a parameter *is* that
// object (`function detect(env) { for (const [k] of AGENTS) if (env[k]) … }`, env-var's
// `from(container)` then `container.NODE_ENV`), answered by treating the parameter's uses as uses of
// process.env (classifyEnvUse, the one place that reads a use) and keeping the names read. The
// engine uses it at call sites that pass the env (the same file), and exports it per exported
// function (other files: see link-package.ts). Calls are followed a few levels; every walk is capped.
import type { FileSummary } from '../../model.js';
import type { AstNode } from '../ast.js';
import type { EnvAccess } from '../context.js';
import { classifyEnvUse, type EnvUseEnv } from '../env-access.js';
import type { Scope } from '../scope.js';
import type { Evaluator, SymPart } from '../values.js';
import { walkAst } from '../walk.js';
import type { LoopValues } from './loops.js';

/** What a function reads from its parameter when the env is passed there. */
export interface ParamEnvUse {
  /** constant names (loop-enumerated keys included). */
  names: string[];
  /** `p[k]` with k another parameter: the caller's argument at that index is the name. */
  keyParams: number[];
  /** the parameter is also enumerated, stored, passed on or written: more than these names. */
  escapes: boolean;
}

const MAX_BODY_CHARS = 50_000;
const MAX_NAMES = 200;
const MAX_DEPTH = 2;

export class Summaries {
  private readonly memo = new Map<AstNode, Map<number, ParamEnvUse | null>>();
  private readonly active = new Set<AstNode>();

  constructor(
    private readonly ev: Evaluator,
    private readonly loops: LoopValues,
    private readonly scopeOf: Map<AstNode, Scope>,
    private readonly describe: (node: AstNode) => string,
  ) {}

  /** Reads at `call` of what `fn` reads from its parameter `index`, that parameter being the env. */
  readsAt(fn: AstNode, index: number, call: AstNode, scope: Scope): EnvAccess[] {
    const use = this.paramEnvUse(fn, index);
    if (!use) return [];
    const how = `read by ${this.describe(call.callee)}()`;
    const out: EnvAccess[] = use.names.map((name) => ({ kind: 'read', node: call, name, how }));
    for (const k of use.keyParams) {
      const arg = call.arguments[k];
      const name = arg ? this.ev.constString(arg, scope) : undefined;
      if (name !== undefined) out.push({ kind: 'read', node: call, name, how });
    }
    return out;
  }

  /** The summary of `fn`'s parameter `index` as an env object; null when it reads no name. */
  paramEnvUse(fn: AstNode, index: number, depth = 0): ParamEnvUse | null {
    let perFn = this.memo.get(fn);
    if (!perFn) this.memo.set(fn, (perFn = new Map()));
    if (perFn.has(index)) return perFn.get(index)!;
    // recursion (a function passing the env to itself) and deep chains read nothing more
    if (this.active.has(fn) || depth > MAX_DEPTH) return null;
    this.active.add(fn);
    let result: ParamEnvUse | null;
    try {
      result = this.compute(fn, index, depth);
    } finally {
      this.active.delete(fn);
    }
    perFn.set(index, result);
    return result;
  }

  private compute(fn: AstNode, index: number, depth: number): ParamEnvUse | null {
    const param = fn.params?.[index];
    const fnScope = this.scopeOf.get(fn);
    if (param?.type !== 'Identifier' || !fnScope || !fn.body || fn.body.end - fn.body.start > MAX_BODY_CHARS) return null;
    const binding = fnScope.bindings.get(param.name);
    if (!binding) return null;
    const names = new Set<string>();
    const keyParams = new Set<number>();
    let escapes = false;
    const scopes: Scope[] = [fnScope];
    const env: EnvUseEnv = {
      evaluator: this.ev,
      get scope() {
        return scopes[scopes.length - 1];
      },
      describe: this.describe,
      paramReads: (callee, argIndex, call, scope) => (depth < MAX_DEPTH ? this.nestedReads(callee, argIndex, call, scope, depth) : []),
    };
    walkAst(fn.body, {
      enter: (node, anc) => {
        const s = this.scopeOf.get(node);
        if (s && node !== fn.body) scopes.push(s);
        if (node.type !== 'Identifier' || node.name !== param.name || names.size >= MAX_NAMES) return;
        if (env.scope.lookup(node.name) !== binding) return;
        for (const a of classifyEnvUse(anc, anc.length - 1, env)) {
          if (a.kind === 'bulk' || a.kind === 'inherit' || a.kind === 'write') escapes = true;
          else this.keep(a, fn, env.scope, names, keyParams);
        }
      },
      leave: (node) => {
        if (node !== fn.body && this.scopeOf.get(node)) scopes.pop();
      },
    });
    return names.size || keyParams.size ? { names: [...names], keyParams: [...keyParams], escapes } : null;
  }

  /** One use's accesses: names, a key that is another parameter, or keys over constant loops. */
  private keep(a: EnvAccess, fn: AstNode, scope: Scope, names: Set<string>, keyParams: Set<number>): void {
    if (a.kind === 'read' && a.name !== undefined) {
      names.add(a.name);
      return;
    }
    if (a.kind !== 'dynamic') return;
    const sym = a.keyVal;
    if (sym?.k === 'sym' && sym.fn === fn && sym.parts.length === 1 && typeof sym.parts[0] !== 'string' && !sym.parts[0].upper && !sym.parts[0].lower) {
      keyParams.add(sym.parts[0].param);
      return;
    }
    const n = a.node;
    const expr = n.type === 'MemberExpression' && n.computed ? n.property : n.type === 'BinaryExpression' ? n.left : null;
    const found = expr ? this.loops.keyNames(expr, scope) : null;
    for (const name of found?.names ?? []) names.add(name);
  }

  /** The env passed on again inside a summarised function: `inner(env)`. */
  private nestedReads(callee: AstNode, argIndex: number, call: AstNode, scope: Scope, depth: number): EnvAccess[] {
    const use = this.paramEnvUse(callee, argIndex, depth + 1);
    if (!use) return [];
    const out: EnvAccess[] = use.names.map((name) => ({ kind: 'read', node: call, name, how: 'nested' }));
    for (const k of use.keyParams) {
      const arg = call.arguments[k];
      const name = arg ? this.ev.constString(arg, scope) : undefined;
      if (name !== undefined) out.push({ kind: 'read', node: call, name, how: 'nested' });
    }
    return out;
  }
}

const MAX_EXPORTED_FNS = 300;
/** UPPER_CASE, or with an underscore (`http_proxy`, `bamboo_planKey`). */
const ENV_LIKE = /^(?:[A-Z][A-Z0-9_]*|[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*)$/;
const MAX_PARAMS = 4;
const MAX_METHODS = 500;

/** The file's function facts for the package linker: exported env parameters, methods by name. */
export function exportedFacts(input: {
  exported: Map<AstNode, string[]>;
  helpers: Map<AstNode, { parts: SymPart[] }[]>;
  methodNames: Map<AstNode, string>;
  summaries: Summaries;
  evaluator: Evaluator;
  code: string;
}): Pick<FileSummary, 'envParams' | 'methods'> {
  const envParams: NonNullable<FileSummary['envParams']> = [];
  let n = 0;
  for (const [fn, names] of input.exported) {
    if (++n > MAX_EXPORTED_FNS) break;
    const count = Math.min(fn.params?.length ?? 0, MAX_PARAMS);
    for (let i = 0; i < count; i++) {
      // names that look like env names: `opts.replace` of a function never handed the env is noise
      const use = input.summaries.paramEnvUse(fn, i);
      const found = use?.names.filter((n) => ENV_LIKE.test(n)).slice(0, 100);
      if (use && found?.length) for (const exportName of names) envParams.push({ exportName, index: i, names: found, escapes: use.escapes });
    }
  }
  const methods: NonNullable<FileSummary['methods']> = [];
  const plain = new Set<string>();
  for (const [fn, name] of input.methodNames) {
    if (methods.length >= MAX_METHODS) break;
    const parts = input.helpers.get(fn)?.map((h) => h.parts);
    // only a function whose text names the env can return it: skip the evaluation for the rest
    const at = input.code.indexOf('env', fn.start);
    const returnsEnv = at !== -1 && at < fn.end && input.evaluator.resultOf(fn).k === 'env';
    if (parts?.length || returnsEnv) methods.push({ name, ...(parts?.length ? { parts } : {}), ...(returnsEnv ? { returnsEnv } : {}) });
    else plain.add(name);
  }
  // a name this file also gives a method that reads no env cannot be resolved by name
  for (const m of methods) if (plain.has(m.name)) m.conflict = true;
  return { ...(envParams.length ? { envParams } : {}), ...(methods.length ? { methods } : {}) };
}
