// What one file leaves for the package linker about calls it cannot resolve alone: methods by name
// (class methods, object-literal methods, `X.prototype.m = function`), calls of a method on a
// receiver the file does not know (`load.initParam('NODE_CONFIG_DIR')`), the env handed to a
// function imported from another file (`detectAIAgent(env)`), and findings that hold only if a
// method such as `getEnv` returns the env (`const env = pf.getEnv(); env.CLAUDECODE`). Plain data,
// capped per file: link-package.ts resolves it against the other files' summaries.
import type { Finding, FileSummary, ImportedCall } from '../../model.js';
import type { AstNode } from '../ast.js';
import { staticPropName } from '../ast.js';
import type { LineIndex } from '../lines.js';
import { PLATFORM_METHODS } from '../api.js';
import { isFunctionNode, type Scope } from '../scope.js';
import type { Evaluator, Val } from '../values.js';
import { unwrap } from './calls.js';

/** A constant argument that looks like an env name: what makes a method call worth keeping. */
const ENV_NAME_ARG = /^[A-Z][A-Z0-9_]{1,}$/;
const MAX_METHOD_NAMES = 5000;
const MAX_METHOD_CALLS = 300;
const MAX_IF_RETURNS = 200;

export class PackageFacts {
  /** function node → the method name it is reachable by. */
  readonly methodNames = new Map<AstNode, string>();
  private readonly methodCalls: NonNullable<FileSummary['methodCalls']> = [];
  private readonly ifReturns = new Map<string, Finding[]>();
  private ifReturnsCount = 0;

  constructor(
    private readonly ev: Evaluator,
    private readonly lines: LineIndex,
  ) {}

  /** Class methods are known from the scope pass. */
  addClassMethods(classes: Iterable<{ methods: Map<string, AstNode>; statics: Map<string, AstNode> }>): void {
    for (const c of classes) {
      for (const [name, fn] of [...c.methods, ...c.statics]) this.addMethod(fn, name);
    }
  }

  private addMethod(fn: AstNode, name: string): void {
    if (this.methodNames.size < MAX_METHOD_NAMES && !this.methodNames.has(fn)) this.methodNames.set(fn, name);
  }

  /** `{ getEnv() {…} }`, `{ env: function (k) {…} }`. */
  onProperty(node: AstNode): void {
    if (node.type !== 'Property' || node.computed || !isFunctionNode(node.value)) return;
    const key = staticPropName(node);
    if (key !== undefined) this.addMethod(node.value, key);
  }

  /** `Env.prototype.get = function (k) {…}`. */
  onAssignment(node: AstNode): void {
    const left = node.left;
    if (node.operator !== '=' || left.type !== 'MemberExpression' || left.computed || !isFunctionNode(node.right)) return;
    const obj = left.object;
    if (obj.type === 'MemberExpression' && staticPropName(obj) === 'prototype') this.addMethod(node.right, left.property.name);
  }

  /** A call of a method on a receiver the file cannot resolve, with an env-like constant argument. */
  onCall(node: AstNode, scope: Scope, callee: Val): void {
    if (callee.k !== 'unknown' || this.methodCalls.length >= MAX_METHOD_CALLS || node.arguments.length === 0) return;
    const c = unwrap(node.callee);
    if (c.type !== 'MemberExpression' || c.computed || PLATFORM_METHODS.has(c.property.name)) return;
    const args: (string | null)[] = node.arguments.map((a: AstNode) => this.ev.constString(a, scope) ?? null);
    if (!args.some((a) => a !== null && ENV_NAME_ARG.test(a))) return;
    const { line, column } = this.lines.position(node.start);
    this.methodCalls.push({ method: c.property.name, args, line, column, snippet: this.lines.snippet(node.start) });
  }

  /**
   * The env (or a hypothetical one) at ancestors[index] handed to a function imported from another
   * file of the package: the linker reads what that export reads from its parameter.
   */
  envArgument(ancestors: AstNode[], index: number, scope: Scope, ifReturnsEnv: string | null): ImportedCall | null {
    const node = ancestors[index];
    const call = ancestors[index - 1];
    if (call?.type !== 'CallExpression') return null;
    const argIndex = call.arguments.indexOf(node);
    if (argIndex < 0) return null;
    const callee = this.ev.evaluate(call.callee, scope);
    if (callee.k !== 'member' || !callee.module.startsWith('.') || callee.path.length !== 1) return null;
    const { line, column } = this.lines.position(call.start);
    return {
      specifier: callee.module,
      exportName: callee.path[0],
      args: call.arguments.map((a: AstNode) => this.ev.constString(a, scope) ?? null),
      envArgs: [argIndex],
      ...(ifReturnsEnv !== null ? { ifReturnsEnv } : {}),
      line,
      column,
      snippet: this.lines.snippet(call.start),
    };
  }

  /** Findings made while a method's result was taken for the env. */
  addIfReturns(method: string, findings: Finding[]): void {
    const list = this.ifReturns.get(method) ?? [];
    for (const f of findings) {
      if (this.ifReturnsCount >= MAX_IF_RETURNS) break;
      this.ifReturnsCount++;
      list.push(f);
    }
    if (list.length) this.ifReturns.set(method, list);
  }

  facts(): Pick<FileSummary, 'methodCalls' | 'ifReturnsEnv'> {
    return {
      ...(this.methodCalls.length ? { methodCalls: this.methodCalls } : {}),
      ...(this.ifReturns.size ? { ifReturnsEnv: [...this.ifReturns].map(([method, findings]) => ({ method, findings })) } : {}),
    };
  }
}
