// dynamic-require: require() / import() of a specifier that is not a constant, so nobody can
// know statically what code is loaded.
import type { Detector } from '../context.js';

const detector: Detector = {
  meta: {
    id: 'dynamic-require',
    capability: 'dynamic_require',
    description: 'loads a module whose name is not a constant',
    // non-constant specifiers are found by the prefilter's specifier scan, not by a word
    triggers: [],
  },
  create(ctx) {
    return {
      'module:use'(e) {
        if (e.module !== null || e.kind === 'import' || e.kind === 'export-from') return;
        const what = e.specifier ? ctx.describe(e.specifier) : 'nothing';
        ctx.report('dynamic-require', e.node, `${e.kind === 'require' ? 'require' : 'import'}(${what})`);
      },
    };
  },
};
export default detector;
