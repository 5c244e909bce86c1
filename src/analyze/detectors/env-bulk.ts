// env-bulk: the whole environment is enumerated, copied, spread, serialised or handed to a call.
// Handing it to a child process as its `env` option is inheritance, reported by child-process.
// `process.report.getReport()` is a whole-environment read too: its report has every variable.
import type { Detector } from '../context.js';
import { ENV_TRIGGERS } from '../api.js';

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
        if (c.k === 'member' && c.module === 'process' && c.path.join('.') === 'report.getReport') {
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
