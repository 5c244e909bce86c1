// env-read-dynamic: the environment is read with a key that stays non-constant after constant
// folding and helper resolution (`process.env[name]` with a runtime name).
import { typed } from '../ast.js';
import type { Detector } from '../context.js';
import { ENV_TRIGGERS } from '../api.js';

const detector: Detector = {
  meta: {
    rules: ['env-read-dynamic'],
    triggers: ENV_TRIGGERS,
    modules: ['process'],
  },
  create(ctx) {
    return {
      'env:access'(e) {
        if (e.kind !== 'dynamic') return;
        const n = typed(e.node);
        const keyNode =
          n.type === 'MemberExpression' && n.computed ? n.property
          : n.type === 'Property' ? n.key
          : n.type === 'BinaryExpression' ? n.left
          : n.type === 'CallExpression' ? (n.arguments.length > 1 ? n.arguments[1] : n.arguments[0])
          : null;
        const key = keyNode ? ctx.describe(keyNode) : e.how;
        ctx.report(e.node, 'dynamic', { key });
      },
    };
  },
};
export default detector;
