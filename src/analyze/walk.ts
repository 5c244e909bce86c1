// One generic pre-order walker over acorn's ESTree, reusing acorn-walk's `base` for the shape of
// every node type. Callbacks see each node once, in expression or statement position; binding
// identifiers (declarations, parameters) are not visited as references, which is what scope-aware
// detectors want.
import { base } from 'acorn-walk';
import type { AstNode } from './ast.js';

export interface WalkCallbacks {
  enter(node: AstNode, ancestors: AstNode[]): void;
  leave?(node: AstNode, ancestors: AstNode[]): void;
}

type BaseFn = (node: AstNode, st: unknown, c: (n: AstNode, st: unknown, override?: string) => void) => void;
const BASE = base as unknown as Record<string, BaseFn>;

export function walkAst(ast: AstNode, cb: WalkCallbacks): void {
  const ancestors: AstNode[] = [];
  const { enter, leave } = cb;
  const c = (node: AstNode, st: unknown, override?: string): void => {
    if (override) {
      // pseudo-types ("Expression", "Pattern", "Function", ...) route to the real visit below
      const fn = BASE[override];
      if (fn) fn(node, st, c);
      return;
    }
    const fn = BASE[node.type];
    ancestors.push(node);
    enter(node, ancestors);
    if (fn) fn(node, st, c);
    if (leave) leave(node, ancestors);
    ancestors.pop();
  };
  c(ast, null);
}
