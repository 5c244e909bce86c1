// dynamic-require: require() / import() of a specifier that is not a constant, so nobody can
// know statically what code is loaded. Every alias of require counts (module.require,
// process.mainModule.require, require.main.require, createRequire(…)(x), `const r = require`),
// and so do require.call/apply, webpack's `__non_webpack_require__` and Module._load.
import type { AstNode } from '../ast.js';
import type { Detector } from '../context.js';

const detector: Detector = {
  meta: {
    rules: ['dynamic-require'],
    // non-constant require()/import() specifiers are found by the prefilter's specifier scan; these
    // are the loaders that scan cannot see
    triggers: ['__non_webpack_require__', '_load', 'require.call', 'require.apply'],
  },
  create(ctx) {
    const report = (node: AstNode, how: string, spec: AstNode | undefined): void => {
      ctx.report(node, 'dynamic', { how, specifier: spec ? ctx.describe(spec) : 'nothing' });
    };
    return {
      'module:use'(e) {
        if (e.module !== null || e.kind === 'import' || e.kind === 'export-from') return;
        const cal = e.node.type === 'CallExpression' ? e.node.callee : null;
        const load = cal?.type === 'MemberExpression' && !cal.computed && cal.property.name === '_load';
        report(e.node, load ? 'Module._load' : e.kind === 'require' ? 'require' : 'import', e.specifier ?? undefined);
      },
      call(e) {
        const node = e.node;
        const args: AstNode[] = node.arguments;
        const callee = node.callee;
        let spec: AstNode | undefined;
        let how: string | undefined;
        if (callee.type === 'MemberExpression' && !callee.computed && (callee.property.name === 'call' || callee.property.name === 'apply')) {
          // require.call(null, x) / require.apply(null, [x])
          if (ctx.evaluate(callee.object).k !== 'require') return;
          const a = args[1];
          spec = callee.property.name === 'call' ? a : a?.type === 'ArrayExpression' ? a.elements[0] ?? undefined : a;
          how = 'require';
        } else if (callee.type === 'Identifier' && callee.name === '__non_webpack_require__' && !ctx.scope().lookup(callee.name)) {
          [spec, how] = [args[0], 'require'];
        } else if (e.callee.k === 'member' && e.callee.module === 'module' && e.callee.path[e.callee.path.length - 1] === '_load') {
          [spec, how] = [args[0], 'Module._load'];
        } else {
          return;
        }
        if (!spec || spec.type === 'SpreadElement' || ctx.constString(spec) === undefined) report(node, how, spec);
      },
    };
  },
};
export default detector;
