// Pass 2: one walk over the AST that keeps the current scope and runs the detectors, the way
// ESLint separates traversal from rules. The engine's parts: the env-event producer
// (env-events.ts), module/export facts (module-facts.ts), the call graph (flow/calls.ts: a service
// filled for every detector before any of them sees a node), the dispatcher (dispatch.ts: each
// detector isolated, its report bound to its own rules) and the finding collector (findings.ts).
import type { Finding, FileJob, FileSummary, ImportedCall, EnvReaderExport } from '../model.js';
import type { AstNode } from './ast.js';
import type { CallInfo, Detector, FileContext } from './context.js';
import { describer, valueName } from './describe.js';
import { Dispatcher } from './dispatch.js';
import { EnvEvents } from './env-events.js';
import { FindingCollector } from './findings.js';
import { CallGraph } from './flow/calls.js';
import { LoopValues } from './flow/loops.js';
import { PackageFacts } from './flow/package-facts.js';
import { exportedFacts, Summaries } from './flow/summaries.js';
import { LineIndex } from './lines.js';
import { ModuleFacts } from './module-facts.js';
import { ownsScope, type Scope, type ScopeInfo } from './scope.js';
import { dataFiles } from './data-values.js';
import { Evaluator } from './values.js';
import { walkAst } from './walk.js';

export interface EngineOutput {
  findings: Finding[];
  /** detectors that threw on this file (their failure is a parse-error finding in `findings`). */
  failed: string[];
  imports: string[];
  envReaders: EnvReaderExport[];
  importedCalls: ImportedCall[];
  /** function summaries and unresolved calls for the package linker. */
  summary: FileSummary;
}

export function runDetectors(ast: AstNode, code: string, job: FileJob, scopes: ScopeInfo, detectors: readonly Detector[], data?: ReadonlyMap<string, string>): EngineOutput {
  const lines = new LineIndex(code);
  const scopeStack: Scope[] = [scopes.root];
  let ancestors: AstNode[] = [];
  const currentScope = (): Scope => scopeStack[scopeStack.length - 1];
  const evaluator = new Evaluator((node) => scopes.scopeOf.get(node) ?? scopes.root, scopes.exportsProps, scopes.classes, dataFiles(job.file, data));
  const describe = describer(code);

  const collector = new FindingCollector(job, lines);
  const dispatch = new Dispatcher(detectors, collector);
  const emit = (key: string, arg: unknown): void => dispatch.emit(key, arg);
  const facts = new ModuleFacts(evaluator, lines, emit, currentScope);

  const ctx: FileContext = {
    job,
    code,
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
      throw new Error('report is bound per detector (see dispatch.ts)');
    },
    calls: undefined as unknown as CallGraph, // set below: the graph reads the context
  };
  const calls = new CallGraph(ctx);
  (ctx as { calls: CallGraph }).calls = calls;
  // issue 13's services: loop variables over constants, function summaries, facts for the linker
  const loops = new LoopValues(evaluator, calls);
  const summaries = new Summaries(evaluator, loops, scopes.scopeOf, describe);
  const packageFacts = new PackageFacts(evaluator, lines);
  packageFacts.addClassMethods(scopes.classes.values());
  const envOnly = (f: () => void): void => {
    dispatch.envOnly = true;
    try {
      f();
    } finally {
      dispatch.envOnly = false;
    }
  };
  const env = new EnvEvents(evaluator, emit, () => ({ ancestors, scope: currentScope(), describe }), facts, collector, { loops, summaries, packageFacts, envOnly });
  dispatch.addService({ ...calls.visitors(), call: (e: CallInfo) => calls.onCall(e.node, e.callee) });
  dispatch.createDetectors(ctx);

  const onCall = (node: AstNode): void => {
    const scope = currentScope();
    const callee = evaluator.evaluate(node.callee, scope);
    if (callee.k === 'require' && node.type === 'CallExpression') facts.onRequire(node, scope);
    env.onCall(node, callee, scope);
    // the display name is built only if a detector asks for it: most calls report nothing
    const calleeNode: AstNode = node.callee;
    emit('call', {
      node,
      callee,
      get calleeName() {
        return valueName(callee, calleeNode, describe);
      },
    } satisfies CallInfo);
    facts.onCall(node, callee, scope);
    packageFacts.onCall(node, scope, callee);
  };

  walkAst(ast, {
    enter(node, anc) {
      ancestors = anc;
      const s = ownsScope(node) ? scopes.scopeOf.get(node) : undefined;
      if (s && node !== ast) scopeStack.push(s);
      emit(node.type, node);
      switch (node.type) {
        case 'Identifier':
          return env.onIdentifier(node);
        case 'MemberExpression':
          return env.onMember(node);
        case 'CallExpression':
        case 'NewExpression':
          return onCall(node);
        case 'VariableDeclarator':
          if (node.init) env.onDestructuring(node.id, node.init);
          return;
        case 'AssignmentExpression':
          env.onDestructuring(node.left, node.right);
          packageFacts.onAssignment(node);
          return facts.onAssignment(node);
        case 'Property':
          return packageFacts.onProperty(node);
        default:
          return facts.onModuleNode(node);
      }
    },
    leave(node) {
      const s = ownsScope(node) ? scopes.scopeOf.get(node) : undefined;
      if (s && node !== ast) scopeStack.pop();
    },
  });
  ancestors = [];
  env.resolveHelpers();
  emit('Program:exit', undefined);
  dispatch.reportFailures();
  const summary: FileSummary = {
    ...exportedFacts({ exported: facts.exportedFunctions(), helpers: env.helperParts(), methodNames: packageFacts.methodNames, summaries, evaluator, code }),
    ...packageFacts.facts(),
  };
  return { findings: collector.findings, failed: dispatch.failed, imports: [...facts.imports], envReaders: facts.envReaders, importedCalls: facts.importedCalls, summary };
}
