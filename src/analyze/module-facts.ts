// Module and export facts of one file: the modules it brings in (`module:use` events, and the
// import list reachability needs), what it exports (`exports.x = fn`, `export function x`,
// `module.exports = { x }`), and its calls into other files of the package with constant
// arguments — the facts the package-level linker needs (see package/link-package.ts).
import type { EnvReaderExport, ImportedCall } from '../model.js';
import type { AstNode } from './ast.js';
import { staticPropName } from './ast.js';
import type { ModuleUse } from './context.js';
import type { LineIndex } from './lines.js';
import { isExportsRef, type Scope } from './scope.js';
import { normalizeModule, type Evaluator, type Val } from './values.js';

const MAX_IMPORTED_CALLS = 500;

export class ModuleFacts {
  readonly imports = new Set<string>();
  readonly envReaders: EnvReaderExport[] = [];
  readonly importedCalls: ImportedCall[] = [];
  private readonly exportAssignments: { name: string; value: AstNode; scope: Scope }[] = [];

  constructor(
    private readonly evaluator: Evaluator,
    private readonly lines: LineIndex,
    private readonly emit: (key: string, arg: unknown) => void,
    private readonly scope: () => Scope,
  ) {}

  private use(u: ModuleUse): void {
    if (u.module !== null) this.imports.add(u.module);
    this.emit('module:use', u);
  }

  /** `require(x)`: the callee already evaluated to require. */
  onRequire(node: AstNode, scope: Scope): void {
    const arg: AstNode | undefined = node.arguments[0];
    const spec = arg ? this.evaluator.constString(arg, scope) : undefined;
    this.use({ node, module: spec === undefined ? null : normalizeModule(spec), kind: 'require', specifier: arg ?? null });
  }

  /** Calls into other files of the package with constant arguments (env-reader helpers). */
  onCall(node: AstNode, callee: Val, scope: Scope): void {
    if (callee.k !== 'member' || !callee.module.startsWith('.') || callee.path.length !== 1 || node.arguments.length === 0) return;
    const args = node.arguments.map((a: AstNode) => this.evaluator.constString(a, scope) ?? null);
    if (!args.some((a: string | null) => a !== null)) return;
    const { line, column } = this.lines.position(node.start);
    if (this.importedCalls.length < MAX_IMPORTED_CALLS) {
      this.importedCalls.push({ specifier: callee.module, exportName: callee.path[0], args, line, column, snippet: this.lines.snippet(node.start) });
    }
  }

  /** import / export declarations and import(): the module-level statements. */
  onModuleNode(node: AstNode): void {
    switch (node.type) {
      case 'ImportDeclaration':
        this.use({ node, module: normalizeModule(String(node.source.value)), kind: 'import', specifier: node.source });
        break;
      case 'ExportAllDeclaration':
        this.use({ node, module: normalizeModule(String(node.source.value)), kind: 'export-from', specifier: node.source });
        break;
      case 'ExportNamedDeclaration':
        this.onExportNamed(node);
        break;
      case 'ImportExpression': {
        const spec = this.evaluator.constString(node.source, this.scope());
        this.use({ node, module: spec === undefined ? null : normalizeModule(spec), kind: 'dynamic-import', specifier: node.source });
        break;
      }
    }
  }

  private onExportNamed(node: AstNode): void {
    const scope = this.scope();
    if (node.source) {
      this.use({ node, module: normalizeModule(String(node.source.value)), kind: 'export-from', specifier: node.source });
    } else if (node.declaration) {
      const decl = node.declaration;
      if (decl.type === 'FunctionDeclaration' && decl.id) this.exportAssignments.push({ name: decl.id.name, value: decl.id, scope });
      if (decl.type === 'VariableDeclaration') {
        for (const d of decl.declarations) {
          if (d.id.type === 'Identifier' && d.init) this.exportAssignments.push({ name: d.id.name, value: d.init, scope });
        }
      }
    } else {
      for (const spec of node.specifiers) {
        const exported = spec.exported.type === 'Identifier' ? spec.exported.name : String(spec.exported.value);
        this.exportAssignments.push({ name: exported, value: spec.local, scope });
      }
    }
  }

  /** `exports.x = …`, `module.exports = { x }` (not destructuring: that is the env producer's). */
  onAssignment(node: AstNode): void {
    const left = node.left;
    if (left.type !== 'MemberExpression' || node.operator !== '=') return;
    const scope = this.scope();
    const isExports = (n: AstNode): boolean => isExportsRef(n, (name) => scope.lookup(name) !== undefined);
    const name = staticPropName(left);
    if (name !== undefined && isExports(left.object)) this.exportAssignments.push({ name, value: node.right, scope });
    else if (isExports(left) && (node.right.type === 'ObjectExpression' || node.right.type === 'Identifier')) {
      // `module.exports = { env }`, or `var ret = { env: env }; module.exports = ret` (bluebird)
      const v = this.evaluator.evaluate(node.right, scope);
      if (v.k !== 'obj') return;
      for (const p of v.node.properties) {
        const key = p.type === 'Property' ? staticPropName(p) : undefined;
        if (key !== undefined) this.exportAssignments.push({ name: key, value: p.value, scope: v.scope });
      }
    }
  }

  /** room for one more call into another file. */
  get canAddImportedCall(): boolean {
    return this.importedCalls.length < MAX_IMPORTED_CALLS;
  }

  addImportedCall(c: ImportedCall): void {
    if (this.importedCalls.length < MAX_IMPORTED_CALLS) this.importedCalls.push(c);
  }

  exportEnvReader(e: EnvReaderExport): void {
    this.envReaders.push(e);
  }

  /** Local functions by exported name. */
  exportedFunctions(): Map<AstNode, string[]> {
    const out = new Map<AstNode, string[]>();
    for (const { name, value, scope } of this.exportAssignments) {
      const v = this.evaluator.evaluate(value, scope);
      if (v.k === 'fn') {
        const list = out.get(v.node) ?? [];
        list.push(name);
        out.set(v.node, list);
      }
    }
    return out;
  }
}
