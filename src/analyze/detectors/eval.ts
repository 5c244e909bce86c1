// eval: code built at run time is executed — eval, new Function / Function(), vm's run and Script
// of a non-constant string. A constant string is still reported by obfuscation if it hides names.
import type { AstNode } from '../ast.js';
import type { Detector } from '../context.js';

const VM_RUNNERS = new Set(['runInNewContext', 'runInThisContext', 'runInContext', 'Script', 'compileFunction', 'SourceTextModule']);

const detector: Detector = {
  meta: {
    id: 'eval',
    capability: 'eval',
    description: 'executes code built at run time',
    triggers: ['eval', 'Function', 'constructor'],
    modules: ['vm'],
  },
  create(ctx) {
    const isConstant = (args: AstNode[], which: 'first' | 'all'): boolean => {
      const list = which === 'first' ? args.slice(0, 1) : args;
      return list.length > 0 && list.every((a) => ctx.constString(a) !== undefined);
    };
    return {
      call(e) {
        const c = e.callee;
        const args: AstNode[] = e.node.arguments;
        if (c.k === 'builtin' && c.name === 'eval') {
          if (!isConstant(args, 'first')) ctx.report('eval', e.node, 'eval of a non-constant string');
        } else if (c.k === 'builtin' && (c.name === 'Function' || c.name === 'Function.constructor')) {
          if (!isConstant(args, 'all')) ctx.report('eval', e.node, 'Function() of a non-constant string');
        } else if (c.k === 'member' && c.module === 'vm' && VM_RUNNERS.has(c.path[c.path.length - 1])) {
          if (!isConstant(args, 'first')) ctx.report('eval', e.node, `vm.${c.path[c.path.length - 1]} of a non-constant string`);
        }
      },
    };
  },
};
export default detector;
