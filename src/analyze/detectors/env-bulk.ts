// env-bulk: the whole environment is enumerated, copied, spread, serialised or handed to a call.
// Handing it to a child process as its `env` option is inheritance, reported by child-process.
import type { Detector } from '../context.js';
import { ENV_TRIGGERS } from './env-read.js';

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
        if (e.kind === 'bulk') ctx.report('env-bulk', e.node, `whole environment: ${e.how}`);
      },
    };
  },
};
export default detector;
