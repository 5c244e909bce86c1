// env-read-dynamic: the environment is read with a key that stays non-constant after constant
// folding and helper resolution (`process.env[name]` with a runtime name).
import type { Detector } from '../context.js';
import { ENV_TRIGGERS } from './env-read.js';

const detector: Detector = {
  meta: {
    id: 'env-read-dynamic',
    capability: 'env',
    description: 'reads the environment with a non-constant key',
    triggers: ENV_TRIGGERS,
    modules: ['process'],
  },
  create(ctx) {
    return {
      'env:access'(e) {
        if (e.kind !== 'dynamic') return;
        const key = e.node.type === 'MemberExpression' && e.node.computed ? ctx.describe(e.node.property) : e.how;
        ctx.report('env-read-dynamic', e.node, `process.env[${key}]`);
      },
    };
  },
};
export default detector;
