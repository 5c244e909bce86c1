// env-read: a constant environment variable name is read, through any alias of process.env:
// members, destructuring, `in`, hasOwnProperty, Reflect.get, and calls to env-reader helpers.
import { ENV_TRIGGERS } from '../api.js';
import type { Detector } from '../context.js';


const detector: Detector = {
  meta: {
    rules: ['env-read'],
    triggers: ENV_TRIGGERS,
    modules: ['process'],
  },
  create(ctx) {
    return {
      'env:access'(e) {
        if (e.kind !== 'read' || e.name === undefined) return;
        ctx.report(e.node, 'read', { name: e.name }, e.how === 'helper call' ? { message: `reads ${e.name} through an env-reader helper` } : undefined);
      },
    };
  },
};
export default detector;
