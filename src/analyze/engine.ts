// Pass 2: one walk over the AST that keeps the current scope, computes the shared semantic
// events (environment accesses, module uses, calls with resolved callees) and dispatches node
// visitors and events to every detector. Findings are collected here with positions and snippets.
import type { Finding, FileJob, FindingData, ImportedCall, RuleId, EnvReaderExport } from '../model.js';
import { message } from '../rules/index.js';
import { CallGraph } from './flow/calls.js';
import { PROCESS_LIKE_NAMES } from './api.js';
import type { AstNode } from './ast.js';
import { staticPropName } from './ast.js';
import type { CallInfo, Detector, DetectorVisitors, EnvAccess, FileContext, ModuleUse, ReportExtra } from './context.js';
import { classifyEnvUse, destructureFromProcess, type EnvUseEnv } from './env-access.js';
import { LineIndex } from './lines.js';
import { isExportsRef, ownsScope, type Scope, type ScopeInfo } from './scope.js';
import { applySym, Evaluator, normalizeModule, type SymPart, type Val } from './values.js';

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
import { walkAst } from './walk.js';

/** Array methods whose callback takes each element: `['CI', 'BUILD_ID'].some((k) => env[k])`. */
const ARRAY_CALLBACK_METHODS = new Set(['forEach', 'map', 'some', 'every', 'filter', 'find', 'findIndex', 'flatMap', 'reduce']);

/** How deep describe() looks into a member/call chain; deeper parts show as '…'. */
const MAX_DESCRIBE_DEPTH = 24;

/** At most this many findings of one rule in one file: a 10 MB bundle must not make a 1 GB report. */
const MAX_PER_RULE = 50;

export interface EngineOutput {
  findings: Finding[];
  /** detectors that threw on this file (their failure is a parse-error finding in `findings`). */
  failed: string[];
  imports: string[];
  envReaders: EnvReaderExport[];
  importedCalls: ImportedCall[];
}

/** Facts detectors can leave for the package-level linker (see link-package.ts). */
interface FileFacts {
  exportEnvReader(e: EnvReaderExport): void;
  addImportedCall(c: ImportedCall): void;
  /** local functions by exported name: `exports.x = fn`, `export function x`, `module.exports = { x }`. */
  exportedFunctions(): Map<AstNode, string[]>;
}

/** First line of a thrown value's message, capped: enough to recognise it, too short to carry source. */
function errorText(err: unknown): string {
  let msg: string;
  try {
    msg = err instanceof Error ? `${err.name === 'Error' ? '' : err.name + ': '}${err.message}` : String(err);
  } catch {
    msg = 'unknown error';
  }
  msg = (msg.split('\n', 1)[0] ?? '').trim();
  return (msg.length > 160 ? msg.slice(0, 157) + '...' : msg) || 'unknown error';
}

export function runDetectors(
  ast: AstNode,
  code: string,
  job: FileJob,
  scopes: ScopeInfo,
  detectors: readonly Detector[],
): EngineOutput {
  const lines = new LineIndex(code);
  const findings: Finding[] = [];
  const perRule = new Map<string, number>();
  // while set, reports are collected here instead (an exported helper's read: see resolveHelpers)
  let deferred: Finding[] | null = null;
  const seen = new Set<string>();
  const imports = new Set<string>();
  const envReaders: EnvReaderExport[] = [];
  const importedCalls: ImportedCall[] = [];
  const exportAssignments: { name: string; value: AstNode; scope: Scope }[] = [];
  const scopeStack: Scope[] = [scopes.root];
  let ancestors: AstNode[] = [];

  const scopeAt = (node: AstNode): Scope => scopes.scopeOf.get(node) ?? scopes.root;
  const evaluator = new Evaluator(scopeAt, scopes.exportsProps);
  const currentScope = (): Scope => scopeStack[scopeStack.length - 1];

  // Described from the outside in, at most MAX_DESCRIBE_DEPTH levels: each call of a 50,000-long
  // chain (`a.on(x).on(x)…`) is described, so a full description each time was quadratic.
  const describeAt = (node: AstNode, depth: number): string => {
    if (depth > MAX_DESCRIBE_DEPTH) return '…';
    switch (node.type) {
      case 'Identifier':
        return node.name;
      case 'MemberExpression': {
        const prop = staticPropName(node);
        return `${describeAt(node.object, depth + 1)}.${prop ?? '[…]'}`;
      }
      case 'CallExpression':
        return `${describeAt(node.callee, depth + 1)}()`;
      case 'ThisExpression':
        return 'this';
      case 'ChainExpression':
      case 'ParenthesizedExpression':
        return describeAt(node.expression, depth + 1);
      case 'SequenceExpression':
        return describeAt(node.expressions[node.expressions.length - 1], depth + 1);
      default: {
        const text = code.slice(node.start, Math.min(node.end, node.start + 40)).replace(/\s+/g, ' ');
        return node.end - node.start > 40 ? text + '…' : text;
      }
    }
  };
  const describe = (node: AstNode): string => describeAt(node, 0);

  const valueName = (v: Val, fallback: AstNode): string => {
    if (v.k === 'member') return `${v.module}.${v.path.join('.')}`;
    if (v.k === 'builtin') return v.name;
    if (v.k === 'module') return v.name;
    if (v.k === 'require') return 'require';
    return describe(fallback);
  };

  const addFinding = (rule: RuleId, at: AstNode | number, messageId: string, data: FindingData | undefined, extra: ReportExtra | undefined): void => {
    const offset = typeof at === 'number' ? at : at.start;
    const { line, column } = lines.position(offset);
    const { detail } = message(rule, messageId, data);
    const more: Partial<Finding> = {};
    if (extra?.message !== undefined) more.message = extra.message;
    if (extra?.flow !== undefined) more.flow = extra.flow;
    if (extra?.technique !== undefined) more.technique = extra.technique;
    const finding: Finding = { rule, file: job.file, line, column, detail, snippet: lines.snippet(offset), messageId, data: data ?? {}, ...more };
    if (deferred) {
      deferred.push(finding);
      return;
    }
    const key = `${rule}\0${line}\0${column}\0${detail}`;
    if (seen.has(key)) return;
    seen.add(key);
    const n = perRule.get(rule) ?? 0;
    if (n >= MAX_PER_RULE) return;
    perRule.set(rule, n + 1);
    findings.push(finding);
  };

  const ctx: FileContext & FileFacts = {
    job,
    code,
    calls: undefined as unknown as CallGraph, // set below: the graph needs the context
    get ancestors() {
      return ancestors;
    },
    scope: currentScope,
    evaluate: (node, scope) => evaluator.evaluate(node, scope ?? currentScope()),
    constString: (node, scope) => evaluator.constString(node, scope ?? currentScope()),
    describe,
    position: (offset) => lines.position(offset),
    snippet: (offset) => lines.snippet(offset),
    report() {
      throw new Error('report is bound per detector');
    },
    exportEnvReader: (e) => envReaders.push(e),
    addImportedCall: (c) => {
      if (importedCalls.length < 500) importedCalls.push(c);
    },
    exportedFunctions() {
      const out = new Map<AstNode, string[]>();
      for (const { name, value, scope } of exportAssignments) {
        const v = evaluator.evaluate(value, scope);
        if (v.k === 'fn') {
          const list = out.get(v.node) ?? [];
          list.push(name);
          out.set(v.node, list);
        }
      }
      return out;
    },
  };

  const calls = new CallGraph(ctx);
  (ctx as { calls: CallGraph }).calls = calls;

  // Instantiate detectors and index their visitors by key, so dispatch is one map lookup. The call
  // graph's own visitors come first: every detector sees it filled up to the node it visits.
  // A detector that throws is recorded as failed on this file and not called again; the others go on.
  const failed: { id: string; reason: string }[] = [];
  const byKey = new Map<string, { d: number; fn: (arg: never) => void }[]>();
  const add = (d: number, key: string, fn: (arg: never) => void): void => {
    const list = byKey.get(key) ?? [];
    list.push({ d, fn });
    byKey.set(key, list);
  };
  for (const [key, fn] of Object.entries(calls.visitors())) add(-1, key, fn);
  add(-1, 'call', ((e: CallInfo) => calls.onCall(e.node, e.callee)));
  const dead = new Set<number>();
  const fail = (d: number, err: unknown): void => {
    // the stack limit is the whole file's problem (too deeply nested), reported as such upstream
    if (err instanceof RangeError || d < 0) throw err;
    dead.add(d);
    failed.push({ id: detectors[d].meta.rules[0], reason: errorText(err) });
  };
  detectors.forEach((det, d) => {
    const own = det.meta.rules;
    const dctx: FileContext = Object.create(ctx, {
      report: {
        value(at: AstNode | number, messageId: string, data?: FindingData, extra?: ReportExtra): void {
          const rule = extra?.rule ?? own[0];
          if (!own.includes(rule)) throw new Error(`a detector of ${own.join(', ')} reported ${rule}`);
          addFinding(rule, at, messageId, data, extra);
        },
      },
    }) as FileContext;
    let visitors: DetectorVisitors;
    try {
      visitors = det.create(dctx);
    } catch (err) {
      fail(d, err);
      return;
    }
    for (const [key, fn] of Object.entries(visitors)) if (fn) add(d, key, fn);
  });
  const emit = (key: string, arg: unknown): void => {
    const list = byKey.get(key);
    if (!list) return;
    for (const { d, fn } of list) {
      if (dead.has(d)) continue;
      try {
        fn(arg as never);
      } catch (err) {
        fail(d, err);
      }
    }
  };
  const wantsCalls = byKey.has('call');

  const envUseEnv = (): EnvUseEnv => ({ evaluator, scope: currentScope(), describe });
  // env-reader helpers: functions reading process.env with a key built from a parameter.
  // Their reads are reported at the call sites with constant arguments, once the walk is done.
  const helpers = new Map<AstNode, { parts: SymPart[]; access: EnvAccess }[]>();
  const addHelper = (fn: AstNode, h: { parts: SymPart[]; access: EnvAccess }): boolean => {
    const list = helpers.get(fn) ?? [];
    const key = JSON.stringify(h.parts);
    if (list.some((x) => JSON.stringify(x.parts) === key)) return false;
    list.push(h);
    helpers.set(fn, list);
    return true;
  };
  const localCalls: { node: AstNode; fn: AstNode; args: Val[]; scope: Scope; each?: { index: number; items: string[] } }[] = [];
  // `for (const name of ['CI', 'GITHUB_SHA']) read(name)`: the argument is each string of a
  // constant array in turn (sentry's getReleaseFromCommitEnv). One such argument per call.
  const loopItems = (args: AstNode[], scope: Scope): { index: number; items: string[] } | undefined => {
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a.type !== 'Identifier') continue;
      const b = scope.lookup(a.name);
      if (!b?.forOf || b.assigned.length > 0) continue;
      const arr = evaluator.evaluate(b.forOf.collection, b.forOf.scope);
      if (arr.k !== 'arr' || arr.items.length === 0 || arr.items.length > 200) continue;
      const items: string[] = [];
      for (const it of arr.items) {
        if (it.k !== 'str') return undefined;
        items.push(it.v);
      }
      return { index: i, items };
    }
    return undefined;
  };
  const envNode = (index: number): void => {
    for (const access of classifyEnvUse(ancestors, index, envUseEnv())) {
      if (access.kind === 'dynamic' && access.keyVal?.k === 'sym') {
        // ['CI', 'BUILD_NUMBER'].some((it) => env[it]): the callback's parameter is each item
        const items = arrayCallbackItems(access.keyVal.fn);
        if (items) {
          for (const item of items) {
            const name = applySym(access.keyVal.parts, [item]);
            if (name !== undefined) emit('env:access', { kind: 'read', node: access.node, name, how: 'array callback' } satisfies EnvAccess);
          }
          continue;
        }
        addHelper(access.keyVal.fn, { parts: access.keyVal.parts, access });
        continue;
      }
      emit('env:access', access satisfies EnvAccess);
    }
  };
  const arrayCallbackItems = (fn: AstNode): string[] | null => {
    // the callback is an argument of `<array>.<method>(…)`; find that call among the ancestors
    for (let i = ancestors.length - 1; i > 0; i--) {
      if (ancestors[i] !== fn) continue;
      const call = ancestors[i - 1];
      if (call?.type !== 'CallExpression' || call.callee.type !== 'MemberExpression') return null;
      const method = staticPropName(call.callee);
      if (!method || !ARRAY_CALLBACK_METHODS.has(method)) return null;
      if (call.arguments[0] !== fn || (method === 'reduce' ? fn.params.length < 2 : false)) return null;
      const arr = evaluator.evaluate(call.callee.object, currentScope());
      if (arr.k !== 'arr' || arr.items.length > 200) return null;
      const out: string[] = [];
      for (const it of arr.items) {
        if (it.k !== 'str') return null;
        out.push(it.v);
      }
      return method === 'reduce' ? null : out;
    }
    return null;
  };
  const moduleUse = (use: ModuleUse): void => {
    if (use.module !== null) imports.add(use.module);
    emit('module:use', use);
  };

  const isExportsObject = (node: AstNode): boolean => isExportsRef(node, (name) => currentScope().lookup(name) !== undefined);

  function resolveHelpers(): void {
    if (helpers.size === 0) return;
    // a helper calling a helper with its own parameter is a helper too: iterate to a fixpoint
    for (let round = 0; round < 4; round++) {
      let grew = false;
      for (const call of localCalls) {
        for (const h of helpers.get(call.fn) ?? []) {
          const composed = composeSym(h.parts, call.args);
          if (composed && addHelper(composed.fn, { parts: composed.parts, access: h.access })) grew = true;
        }
      }
      if (!grew) break;
    }
    const resolvedHelpers = new Set<AstNode>();
    for (const call of localCalls) {
      const args = call.args.map((v) => (v.k === 'str' ? v.v : v.k === 'num' ? String(v.v) : undefined));
      const variants = call.each ? call.each.items.map((item) => args.map((a, i) => (i === call.each!.index ? item : a))) : [args];
      for (const h of helpers.get(call.fn) ?? []) {
        for (const v of variants) {
          const name = applySym(h.parts, v);
          if (name === undefined) continue;
          resolvedHelpers.add(call.fn);
          emit('env:access', { kind: 'read', node: call.node, name, how: 'helper call' } satisfies EnvAccess);
        }
      }
    }
    const exported = ctx.exportedFunctions();
    for (const [fn, list] of helpers) {
      const names = exported.get(fn);
      for (const h of list) {
        if (names) {
          // linked at call sites in other files (link-package.ts); if none resolves it, the read
          // stands as it is: the package reads whatever name its users pass
          const unresolved: Finding[] = [];
          if (!resolvedHelpers.has(fn)) {
            deferred = unresolved;
            try {
              emit('env:access', { ...h.access, keyVal: undefined });
            } finally {
              deferred = null;
            }
          }
          for (const exportName of names) ctx.exportEnvReader({ exportName, parts: h.parts, ...(unresolved.length ? { unresolved } : {}) });
        } else if (!resolvedHelpers.has(fn)) emit('env:access', { ...h.access, keyVal: undefined });
      }
    }
  }

  walkAst(ast, {
    enter(node, anc) {
      ancestors = anc;
      const s = ownsScope(node) ? scopes.scopeOf.get(node) : undefined;
      if (s && node !== ast) scopeStack.push(s);
      const type = node.type;
      emit(type, node);

      switch (type) {
        case 'Identifier': {
          const parent = anc[anc.length - 2];
          // `process.env` is handled at the member; the bare `process` object is not the env
          if (parent?.type === 'MemberExpression' && parent.object === node && PROCESS_LIKE_NAMES.has(node.name)) break;
          const scope = currentScope();
          const b = scope.lookup(node.name);
          if (!b) break; // unbound globals: only `process.env` members matter, handled below
          const v = evaluator.bindingValue(b);
          if (v.k === 'env') envNode(anc.length - 1);
          break;
        }
        case 'MemberExpression': {
          const prop = node.computed ? evaluator.constString(node.property, currentScope()) : node.property.name;
          if (prop === 'env') {
            const obj = evaluator.evaluate(node.object, currentScope());
            if (obj.k === 'process') envNode(anc.length - 1);
          }
          break;
        }
        case 'CallExpression':
        case 'NewExpression': {
          const scope = currentScope();
          const callee = evaluator.evaluate(node.callee, scope);
          if (callee.k === 'require' && type === 'CallExpression') {
            const arg = node.arguments[0];
            const spec = arg ? evaluator.constString(arg, scope) : undefined;
            moduleUse({ node, module: spec === undefined ? null : normalizeModule(spec), kind: 'require', specifier: arg ?? null });
          } else if (callee.k === 'builtin' && (callee.name === 'Reflect.get' || callee.name.endsWith('Function'))) {
            // Reflect.get(process, 'env'), Function('return process')().env: the call is the env
            if (evaluator.evaluate(node, scope).k === 'env') envNode(anc.length - 1);
          }
          if (node.callee.type === 'CallExpression' || node.callee.type === 'NewExpression') {
            if (evaluator.evaluate(node, scope).k === 'env') envNode(anc.length - 1);
          }
          if (callee.k === 'fn' && node.arguments.length > 0 && localCalls.length < 5000) {
            const each = loopItems(node.arguments, scope);
            localCalls.push({ node, fn: callee.node, args: node.arguments.map((a: AstNode) => evaluator.evaluate(a, scope)), scope, ...(each ? { each } : {}) });
          }
          if (wantsCalls) {
            // the display name is built only if a detector asks for it: most calls report nothing
            const calleeNode = node.callee;
            emit('call', {
              node,
              callee,
              get calleeName() {
                return valueName(callee, calleeNode);
              },
            } satisfies CallInfo);
          }
          // calls into other files of the package with constant arguments (env-reader helpers)
          if (callee.k === 'member' && callee.module.startsWith('.') && callee.path.length === 1 && node.arguments.length > 0) {
            const args = node.arguments.map((a: AstNode) => evaluator.constString(a, scope) ?? null);
            if (args.some((a: string | null) => a !== null)) {
              const { line, column } = lines.position(node.start);
              ctx.addImportedCall({ specifier: callee.module, exportName: callee.path[0], args, line, column, snippet: lines.snippet(node.start) });
            }
          }
          break;
        }
        case 'ImportDeclaration':
          moduleUse({ node, module: normalizeModule(String(node.source.value)), kind: 'import', specifier: node.source });
          break;
        case 'ExportAllDeclaration':
          moduleUse({ node, module: normalizeModule(String(node.source.value)), kind: 'export-from', specifier: node.source });
          break;
        case 'ExportNamedDeclaration':
          if (node.source) {
            moduleUse({ node, module: normalizeModule(String(node.source.value)), kind: 'export-from', specifier: node.source });
          } else if (node.declaration) {
            const decl = node.declaration;
            if (decl.type === 'FunctionDeclaration' && decl.id) exportAssignments.push({ name: decl.id.name, value: decl.id, scope: currentScope() });
            if (decl.type === 'VariableDeclaration') {
              for (const d of decl.declarations) {
                if (d.id.type === 'Identifier' && d.init) exportAssignments.push({ name: d.id.name, value: d.init, scope: currentScope() });
              }
            }
          } else {
            for (const spec of node.specifiers) {
              const exported = spec.exported.type === 'Identifier' ? spec.exported.name : String(spec.exported.value);
              exportAssignments.push({ name: exported, value: spec.local, scope: currentScope() });
            }
          }
          break;
        case 'ImportExpression': {
          const spec = evaluator.constString(node.source, currentScope());
          moduleUse({ node, module: spec === undefined ? null : normalizeModule(spec), kind: 'dynamic-import', specifier: node.source });
          break;
        }
        case 'VariableDeclarator':
          if (node.id.type === 'ObjectPattern' && node.init) {
            const base = evaluator.evaluate(node.init, currentScope());
            if (base.k === 'process' || base.k === 'global') {
              for (const a of destructureFromProcess(node.id, base, envUseEnv())) emit('env:access', a);
            }
          }
          break;
        case 'AssignmentExpression': {
          const left = node.left;
          if (left.type === 'ObjectPattern') {
            const base = evaluator.evaluate(node.right, currentScope());
            if (base.k === 'process' || base.k === 'global') {
              for (const a of destructureFromProcess(left, base, envUseEnv())) emit('env:access', a);
            }
          } else if (left.type === 'MemberExpression' && node.operator === '=') {
            const name = staticPropName(left);
            if (name !== undefined && isExportsObject(left.object)) exportAssignments.push({ name, value: node.right, scope: currentScope() });
            else if (isExportsObject(left) && node.right.type === 'ObjectExpression') {
              for (const p of node.right.properties) {
                const key = p.type === 'Property' ? staticPropName(p) : undefined;
                if (key !== undefined) exportAssignments.push({ name: key, value: p.value, scope: currentScope() });
              }
            }
          }
          break;
        }
      }
    },
    leave(node) {
      const s = ownsScope(node) ? scopes.scopeOf.get(node) : undefined;
      if (s && node !== ast) scopeStack.pop();
    },
  });
  ancestors = [];
  resolveHelpers();
  emit('Program:exit', undefined);

  for (const f of failed) {
    const data = { detector: f.id, file: job.file, reason: f.reason };
    findings.push({ ...message('parse-error', 'detectorFailed', data), file: job.file, line: 1, column: 0, snippet: '' });
  }
  return { findings, failed: failed.map((f) => f.id), imports: [...imports], envReaders, importedCalls };
}
