// The package's JSON data files as constant expressions for the evaluator: the text the scan read
// (scan/data-files.ts, small files only) parsed once as a JavaScript expression, so an object or
// array in it is an object or array literal like any other (values.ts evaluates it lazily).
import * as acorn from 'acorn';
import path from 'node:path';
import type { AstNode } from './ast.js';

/** spec (relative to `file`) → the data file's expression, or null when it is not one the scan read. */
export function dataFiles(file: string, data: ReadonlyMap<string, string> | undefined): (spec: string) => AstNode | null {
  if (!data || data.size === 0) return () => null;
  const dir = path.posix.dirname(file);
  const parsed = new Map<string, AstNode | null>();
  return (spec) => {
    if (!spec.startsWith('.')) return null;
    const rel = path.posix.normalize(path.posix.join(dir, spec));
    if (parsed.has(rel)) return parsed.get(rel)!;
    const text = data.get(rel);
    let node: AstNode | null = null;
    if (text !== undefined) {
      try {
        // JSON is an expression; anything that does not parse as one stays unknown
        node = acorn.parseExpressionAt(text, 0, { ecmaVersion: 'latest' });
      } catch {
        node = null;
      }
    }
    parsed.set(rel, node);
    return node;
  };
}
