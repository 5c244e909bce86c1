// What a detector sees. A detector is `{ meta, create(ctx) }` (ESLint's rule shape): `meta` says
// which rule id(s) it reports (their records in src/rules hold messages, scoring and help) and
// which words must appear in a file for it to possibly fire (the prefilter's contract); `create`
// returns visitors for AST node types and for the engine's semantic events, which are computed
// once per file and shared, as is the file's call graph (`ctx.calls`).
import type { FileJob, FindingData, FlowEnds, RuleId, Technique } from '../model.js';
import type { AstNode } from './ast.js';
import type { Scope } from './scope.js';
import type { Val } from './values.js';
import type { CallGraph } from './flow/calls.js';

interface DetectorMeta {
  /** the rules it reports: `ctx.report` accepts only these (the first is the default). */
  rules: readonly [RuleId, ...RuleId[]];
  /**
   * Substrings of which at least one must occur in a file's text for this detector to fire.
   * A file containing none of any detector's triggers (and importing none of their `modules`)
   * skips the full parse. The prefilter test checks every detector's invalid cases against it.
   */
  triggers: readonly string[];
  /** Module names whose import alone makes the file worth a full parse. */
  modules?: readonly string[];
}

/** How the environment object is used at one place in the code. */
export interface EnvAccess {
  kind: 'read' | 'dynamic' | 'bulk' | 'write' | 'inherit';
  node: AstNode;
  /** the env name for reads and writes with a constant key. */
  name?: string;
  /** how, for messages: 'Object.keys', 'spread', 'destructuring', 'for…in', 'passed to send()'. */
  how: string;
  /** for dynamic reads: what the key evaluated to (a parameter-built `sym` marks an env-reader helper). */
  keyVal?: Val;
}

/** A module brought in by require(), import, import() or export … from. */
export interface ModuleUse {
  node: AstNode;
  /** normalised module name (no `node:` prefix); null when the specifier is not a constant. */
  module: string | null;
  kind: 'require' | 'import' | 'dynamic-import' | 'export-from';
  /** the specifier expression (for messages about non-constant specifiers). */
  specifier: AstNode | null;
}

/** Every call or `new`, with what the callee is as far as the evaluator can tell. */
export interface CallInfo {
  node: AstNode;
  callee: Val;
  /** display name of the callee: `https.request`, `fetch`, `exec`. */
  calleeName: string;
}

export interface FileContext {
  readonly job: FileJob;
  readonly code: string;
  /** the ancestors of the node being visited, itself last. */
  readonly ancestors: AstNode[];
  /** the scope of the node being visited. */
  scope(): Scope;
  evaluate(node: AstNode, scope?: Scope): Val;
  constString(node: AstNode, scope?: Scope): string | undefined;
  /** Display text for an expression (a callee, a sink): `https.request`, `cp.exec`. */
  describe(node: AstNode): string;
  /**
   * Report a finding of this detector's rule: `messageId` names one of the rule's messages (its
   * record's `messages`), whose template filled with `data` is the finding's detail.
   */
  report(at: AstNode | number, messageId: string, data?: FindingData, extra?: ReportExtra): void;
  /** the file's call graph, filled by the engine during the walk: complete at Program:exit. */
  readonly calls: CallGraph;
  position(offset: number): { line: number; column: number };
  snippet(offset: number): string;
}

export interface ReportExtra {
  /** which of the detector's rules, when it has several. */
  rule?: RuleId;
  /** a human sentence (shown by `explain`). */
  message?: string;
  /** for flows: both ends. */
  flow?: FlowEnds;
  /** what the finding shows beyond its rule (download-and-run, shipped-binary). */
  technique?: Technique;
}

type NodeVisitor = (node: AstNode) => void;

export interface DetectorVisitors {
  [nodeType: string]: NodeVisitor | ((e: never) => void) | undefined;
  'env:access'?: (e: EnvAccess) => void;
  'module:use'?: (e: ModuleUse) => void;
  call?: (e: CallInfo) => void;
  'Program:exit'?: () => void;
}

export interface Detector {
  meta: DetectorMeta;
  create(ctx: FileContext): DetectorVisitors;
}
