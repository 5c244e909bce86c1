// eval: code built at run time is executed — eval (direct, indirect `(0, eval)`, `global.eval`,
// `eval.call`), new Function / Function() (also through `.call`/`.apply` and `.constructor`), vm's
// run methods, Script and compileFunction, `module._compile`, a string handed to setTimeout /
// setInterval, and a worker_threads Worker started with `{ eval: true }` — of a non-constant string.
//
// "Constant" means written in the source: a string the evaluator only obtains by decoding
// (`Buffer.from('…', 'base64')`, `atob`, `String.fromCharCode`, `unescape`, a reversed string) is
// code nobody can read in the file, so it counts as non-constant here (and obfuscation reports
// the decode-then-execute). A plainly written constant is still reported by obfuscation when it
// hides names (`Function('return process')()`).
import { DECODERS, VM_RUNNERS } from '../api.js';
import { dataFileRead } from '../flow/data-read.js';
import type { AstNode } from '../ast.js';
import type { Detector, FileContext } from '../context.js';
import type { Scope } from '../scope.js';


/** Does building this constant involve a decoding step (following local constants)? */
function decoded(ctx: FileContext, node: AstNode, scope: Scope, depth = 0): boolean {
  if (depth > 6) return false;
  let found = false;
  const visit = (n: AstNode | null | undefined, s: Scope): void => {
    if (!n || found || typeof n !== 'object') return;
    if (n.type === 'CallExpression') {
      const c = ctx.evaluate(n.callee, s);
      if (c.k === 'builtin' && (DECODERS.has(c.name) || c.name === 'String.fromCharCode.apply')) {
        // Buffer.from('text') and Buffer.from('text', 'utf8') decode nothing
        if (c.name !== 'Buffer.from' || (n.arguments[1] && /^(?:base64|base64url|hex)$/.test(ctx.constString(n.arguments[1], s) ?? ''))) {
          found = true;
          return;
        }
      }
      if (n.callee.type === 'MemberExpression' && !n.callee.computed && n.callee.property.name === 'reverse') {
        found = true;
        return;
      }
    }
    if (n.type === 'Identifier') {
      const b = s.lookup(n.name);
      if (b?.init && !b.path && depth < 6) found = decoded(ctx, b.init, b.initScope ?? b.scope, depth + 1);
      return;
    }
    for (const key of Object.keys(n)) {
      if (key === 'type' || key === 'start' || key === 'end') continue;
      const v = (n as Record<string, unknown>)[key];
      if (Array.isArray(v)) for (const x of v) visit(x as AstNode, s);
      else if (v && typeof v === 'object' && typeof (v as AstNode).type === 'string') visit(v as AstNode, s);
    }
  };
  visit(node, scope);
  return found;
}

const detector: Detector = {
  meta: {
    rules: ['eval'],
    triggers: ['eval', 'Function', 'constructor', '_compile', 'setTimeout', 'setInterval', 'Worker'],
    modules: ['vm', 'worker_threads'],
  },
  create(ctx) {
    /** Written in the source, not built or decoded at run time. */
    const visible = (a: AstNode | undefined): boolean => {
      if (!a || a.type === 'SpreadElement') return false;
      return ctx.constString(a) !== undefined && !decoded(ctx, a, ctx.scope());
    };
    const isConstant = (args: AstNode[], which: 'first' | 'all'): boolean => {
      const list = which === 'first' ? args.slice(0, 1) : args;
      return list.length > 0 && list.every(visible);
    };
    /** `module`, `new Module(…)`, or a binding of one: not any object with a `_compile` method. */
    const isModuleObject = (obj: AstNode): boolean => {
      const v = ctx.evaluate(obj);
      if (v.k === 'cjsModule') return true;
      let n = obj;
      if (n.type === 'Identifier') {
        const b = ctx.scope().lookup(n.name);
        if (!b?.init) return false;
        n = b.init;
      }
      if (n.type !== 'NewExpression') return false;
      const ctor = ctx.evaluate(n.callee);
      return (ctor.k === 'module' && ctor.name === 'module') || (ctor.k === 'member' && ctor.module === 'module') || /\bModule\b|module\.constructor/.test(ctx.code.slice(n.callee.start, n.callee.end));
    };
    /** A payload read from a data file of the package: reported with the file, which the package stage analyses. */
    const fromDataFile = (call: AstNode, payload: AstNode | undefined, executor: string): boolean => {
      const d = payload && payload.type !== 'SpreadElement' ? dataFileRead(ctx, payload, ctx.scope()) : null;
      if (!d) return false;
      const decoding = d.decodings.join(' → ') || 'none';
      ctx.report(call, 'dataFile', { file: d.file, decoding, executor }, { message: `${executor} runs the text of ${d.file}, a file of the package${d.decodings.length ? ` decoded (${decoding})` : ''}` });
      return true;
    };
    return {
      call(e) {
        const c = e.callee;
        const args: AstNode[] = e.node.arguments;
        // w(eval, code): eval (or Function) handed over as a value runs whatever the callee passes it
        for (const a of args) {
          const v = a.type === 'Identifier' || a.type === 'MemberExpression' ? ctx.evaluate(a) : null;
          if (v?.k === 'builtin' && (v.name === 'eval' || v.name === 'Function')) ctx.report(a, 'passed', { fn: v.name }, { message: `${v.name} is passed as a value to ${e.calleeName}(), which can run any string with it` });
        }
        // new Worker('data:text/javascript,…'): code carried in a URL
        if (e.node.type === 'NewExpression' && ((c.k === 'member' && c.module === 'worker_threads' && c.path[c.path.length - 1] === 'Worker') || (c.k === 'builtin' && c.name === 'Worker')) || (e.node.type === 'NewExpression' && e.node.callee.type === 'Identifier' && e.node.callee.name === 'Worker' && !ctx.scope().lookup('Worker'))) {
          const spec = args[0] ? ctx.constString(args[0]) : undefined;
          if (spec !== undefined && /^data:/i.test(spec)) ctx.report(e.node, 'dataWorker', {}, { message: 'a worker runs code carried in a data: URL' });
        }
        if (c.k === 'builtin') {
          switch (c.name) {
            case 'eval':
              if (!isConstant(args, 'first') && !fromDataFile(e.node, args[0], 'eval')) ctx.report(e.node, 'eval');
              return;
            case 'eval.call':
            case 'eval.apply':
              if (!isConstant(args.slice(1), 'first') && !fromDataFile(e.node, args[1], 'eval')) ctx.report(e.node, 'eval');
              return;
            case 'Function':
            case 'Function.constructor':
              if (!isConstant(args, 'all') && !fromDataFile(e.node, args[args.length - 1], 'Function')) ctx.report(e.node, 'function');
              return;
            case 'Function.call':
            case 'Function.apply':
              if (c.name === 'Function.apply' || !isConstant(args.slice(1), 'all')) ctx.report(e.node, 'function');
              return;
            case 'setTimeout':
            case 'setInterval': {
              // a string instead of a function is eval'd; only a string-looking argument says so
              const a = args[0];
              const stringish = a && (a.type === 'TemplateLiteral' || (a.type === 'BinaryExpression' && a.operator === '+') || ctx.constString(a) !== undefined);
              if (stringish && !visible(a)) ctx.report(e.node, 'timer', { fn: c.name });
              return;
            }
          }
        }
        // this.constructor.constructor(code): the Function constructor whatever `this` is
        const cal = e.node.callee;
        if (c.k !== 'builtin' && cal.type === 'MemberExpression' && !cal.computed && cal.property.name === 'constructor' &&
          cal.object.type === 'MemberExpression' && !cal.object.computed && cal.object.property.name === 'constructor') {
          if (!isConstant(args, 'all')) ctx.report(e.node, 'function');
          return;
        }
        if (c.k === 'member' && c.module === 'vm' && VM_RUNNERS.has(c.path[c.path.length - 1])) {
          if (!isConstant(args, 'first') && !fromDataFile(e.node, args[0], `vm.${c.path[c.path.length - 1]}`)) ctx.report(e.node, 'vm', { fn: c.path[c.path.length - 1] });
          return;
        }
        if (c.k === 'member' && c.module === 'worker_threads' && c.path[c.path.length - 1] === 'Worker' && e.node.type === 'NewExpression') {
          const opts = args[1];
          const evalOpt = opts?.type === 'ObjectExpression' && opts.properties.some((p: AstNode) => p.type === 'Property' && !p.computed && (p.key.name ?? p.key.value) === 'eval' && p.value.type === 'Literal' && p.value.value === true);
          if (evalOpt && !isConstant(args, 'first')) ctx.report(e.node, 'worker');
          return;
        }
        // module._compile(src, filename): how require() runs a file's text
        const callee = e.node.callee;
        if (callee.type === 'MemberExpression' && !callee.computed && callee.property.name === '_compile' && args.length >= 1 && isModuleObject(callee.object)) {
          if (!isConstant(args, 'first') && !fromDataFile(e.node, args[0], 'module._compile')) ctx.report(e.node, 'compile');
        }
      },
    };
  },
};
export default detector;
