// A deliberately loose ESTree node type. acorn's precise union types cost more than they catch
// in code that inspects shapes dynamically; detectors check `type` before touching fields.
export type AstNode = { type: string; start: number; end: number; [key: string]: any };

/** The name of a non-computed property or a constant string key: `a.b`, `{ b: 1 }`, `a['b']`. */
export function staticPropName(node: AstNode): string | undefined {
  const key = node.type === 'MemberExpression' ? node.property : node.key;
  if (!key) return undefined;
  if (!node.computed) {
    if (key.type === 'Identifier' || key.type === 'PrivateIdentifier') return key.name;
    if (key.type === 'Literal') return String(key.value);
    return undefined;
  }
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value);
  if (key.type === 'TemplateLiteral' && key.expressions.length === 0) return key.quasis[0].value.cooked ?? undefined;
  return undefined;
}
