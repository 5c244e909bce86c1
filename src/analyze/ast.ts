// Syntax nodes. `Node` is acorn's own ESTree typing (every node with its start/end offsets): code
// narrows it with `switch (node.type)` / `node.type === '…'` before touching a node's fields.
import type { AnyNode, Expression, SpreadElement } from 'acorn';

export type Node = AnyNode;

/**
 * TEMPORARY (issue 10, typed ESTree in progress): the loose node type of the files not converted
 * yet — eslint.config.js lists them. A converted file takes `AstNode` only at its boundary with
 * those files and sees it as a `Node` through `typed()`; both go when the last file is converted.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the loose type being phased out
export type AstNode = { type: string; start: number; end: number; [key: string]: any };

/** A loose node seen as what it is: acorn built it, so it is a `Node`. */
export function typed(node: AstNode): Node {
  return node as Node;
}

/** The arguments of a call or `new` (none for any other node). */
export function callArgs(node: AstNode): (Expression | SpreadElement)[] {
  const n = typed(node);
  return n.type === 'CallExpression' || n.type === 'NewExpression' ? n.arguments : [];
}

/** The name of a non-computed property or a constant string key: `a.b`, `{ b: 1 }`, `a['b']`. */
export function staticPropName(node: AstNode): string | undefined {
  const n = typed(node);
  const key = n.type === 'MemberExpression' ? n.property : 'key' in n ? n.key : undefined;
  if (!key) return undefined;
  if (!('computed' in n && n.computed)) {
    if (key.type === 'Identifier' || key.type === 'PrivateIdentifier') return key.name;
    if (key.type === 'Literal') return String(key.value);
    return undefined;
  }
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value);
  if (key.type === 'TemplateLiteral' && key.expressions.length === 0) return key.quasis[0].value.cooked ?? undefined;
  return undefined;
}
