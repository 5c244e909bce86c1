// network: the file can reach the network — it brings in a networking module (node's own, or a
// well-known HTTP/WebSocket client: api.ts) or uses a global network API (fetch, WebSocket, …).
import { NETWORK_GLOBALS, NETWORK_MODULES } from '../api.js';
import type { Detector } from '../context.js';

const detector: Detector = {
  meta: {
    rules: ['network'],
    triggers: [...NETWORK_GLOBALS].map((g) => g.slice(g.lastIndexOf('.') + 1)),
    modules: [...NETWORK_MODULES],
  },
  create(ctx) {
    return {
      'module:use'(e) {
        if (e.module !== null && NETWORK_MODULES.has(e.module)) ctx.report(e.node, 'module', { module: e.module });
      },
      call(e) {
        const c = e.callee;
        if (c.k === 'builtin' && NETWORK_GLOBALS.has(c.name)) ctx.report(e.node, 'global', { name: c.name });
      },
    };
  },
};
export default detector;
