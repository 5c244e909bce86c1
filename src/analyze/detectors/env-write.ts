// env-write: an environment variable is assigned or deleted (or process.env is assigned into).
import type { Detector } from '../context.js';
import { ENV_TRIGGERS } from '../api.js';

const detector: Detector = {
  meta: {
    rules: ['env-write'],
    triggers: ENV_TRIGGERS,
    modules: ['process'],
  },
  create(ctx) {
    return {
      'env:access'(e) {
        if (e.kind !== 'write') return;
        const extra = { message: `writes the environment (${e.how})` };
        if (e.name !== undefined) ctx.report(e.node, 'write', { name: e.name, how: e.how }, extra);
        else ctx.report(e.node, 'dynamic', { how: e.how }, extra);
      },
    };
  },
};
export default detector;
