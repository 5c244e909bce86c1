// env-write: an environment variable is assigned or deleted (or process.env is assigned into).
import type { Detector } from '../context.js';
import { ENV_TRIGGERS } from '../api.js';

const detector: Detector = {
  meta: {
    id: 'env-write',
    capability: 'env',
    description: 'assigns or deletes an environment variable',
    triggers: ENV_TRIGGERS,
    modules: ['process'],
  },
  create(ctx) {
    return {
      'env:access'(e) {
        if (e.kind === 'write') ctx.report('env-write', e.node, e.name ?? '[dynamic]', { message: `writes the environment (${e.how})` });
      },
    };
  },
};
export default detector;
