// Display text for expressions and callees in findings: `https.request`, `cp.exec`, `this.x()`.
import type { AstNode, Node } from './ast.js';
import { staticPropName, typed } from './ast.js';
import type { Val } from './values.js';

/** How deep describe() looks into a member/call chain; deeper parts show as '…'. */
const MAX_DESCRIBE_DEPTH = 24;

/**
 * Described from the outside in, at most MAX_DESCRIBE_DEPTH levels: each call of a 50,000-long
 * chain (`a.on(x).on(x)…`) is described, so a full description each time was quadratic.
 */
export function describer(code: string): (node: AstNode) => string {
  const describeAt = (node: Node, depth: number): string => {
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
  return (node) => describeAt(typed(node), 0);
}

/** The display name of a callee's value (`https.request`, `fetch`), or its source text. */
export function valueName(v: Val, fallback: AstNode, describe: (node: AstNode) => string): string {
  if (v.k === 'member') return `${v.module}.${v.path.join('.')}`;
  if (v.k === 'builtin') return v.name;
  if (v.k === 'module') return v.name;
  if (v.k === 'require') return 'require';
  return describe(fallback);
}
