// env-bulk: the whole environment is enumerated, copied, spread, serialised or handed to a call.
// Handing it to a child process as its `env` option is inheritance, reported by child-process.
// `process.report.getReport()` is a whole-environment read too: its report has every variable.
import { typed, type AstNode } from '../ast.js';
import type { Detector, FileContext } from '../context.js';
import { ENV_TRIGGERS } from '../api.js';

/**
 * Is the report only inspected (libc detection reads `report.header.glibcVersionRuntime`)? It is a
 * whole-environment read when the file names `environmentVariables` or hands the report, or the
 * variable holding it, to a call (`JSON.stringify(report)`, `req.end(report)`).
 */
function onlyDiagnostics(ctx: FileContext, call: AstNode): boolean {
  if (ctx.code.includes('environmentVariables')) return false;
  const parent = ctx.ancestors.length > 1 ? typed(ctx.ancestors[ctx.ancestors.length - 2]) : undefined;
  if (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') return false;
  const id = parent?.type === 'VariableDeclarator' ? parent.id : parent?.type === 'AssignmentExpression' && parent.right === call ? parent.left : null;
  if (id?.type !== 'Identifier') return parent?.type === 'MemberExpression';
  const esc = id.name.replace(/\$/g, '\\$');
  return !new RegExp(`[(,]\\s*${esc}\\s*[,)]`).test(ctx.code);
}

const detector: Detector = {
  meta: {
    rules: ['env-bulk'],
    triggers: ENV_TRIGGERS,
    modules: ['process'],
  },
  create(ctx) {
    return {
      call(e) {
        // process.report.getReport(): the diagnostic report holds every environment variable
        const c = e.callee;
        if (c.k === 'member' && c.module === 'process' && c.path.join('.') === 'report.getReport' && !onlyDiagnostics(ctx, e.node)) {
          ctx.report(e.node, 'report', { how: 'process.report.getReport()' }, { message: 'process.report.getReport() returns a report that holds the whole environment' });
        }
      },
      'env:access'(e) {
        if (e.kind !== 'bulk') return;
        // `Object.keys` → `Object.keys(process.env)`; other hows already read as a phrase
        const messageId = /^[A-Z][\w.]+$|^structuredClone$/.test(e.how) ? 'call' : e.how === 'spread' ? 'spread' : e.how === 'for…in' ? 'forIn' : e.how === 'for…of' ? 'forOf' : 'other';
        ctx.report(e.node, messageId, messageId === 'call' ? { fn: e.how, how: e.how } : { how: e.how });
      },
    };
  },
};
export default detector;
