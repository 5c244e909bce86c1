// env-bulk: the whole environment is enumerated, copied, spread, serialised or handed to a call.
// Handing it to a child process as its `env` option is inheritance, reported by child-process.
import type { Detector } from '../context.js';
import { ENV_TRIGGERS } from '../api.js';

const detector: Detector = {
  meta: {
    id: 'env-bulk',
    capability: 'env',
    description: 'enumerates, copies or serialises the whole environment',
    triggers: ENV_TRIGGERS,
    modules: ['process'],
  },
  create(ctx) {
    return {
      'env:access'(e) {
        if (e.kind !== 'bulk') return;
        // `Object.keys` → `Object.keys(process.env)`; other hows already read as a phrase
        const detail = /^[A-Z][\w.]+$|^structuredClone$/.test(e.how) ? `${e.how}(process.env)` : e.how === 'spread' ? '{ ...process.env }' : e.how === 'for…in' ? 'for…in over process.env' : e.how === 'for…of' ? 'for…of over process.env' : e.how;
        ctx.report('env-bulk', e.node, detail);
      },
    };
  },
};
export default detector;
