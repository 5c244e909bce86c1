// network: the file can reach the network — it brings in a networking module (node's own, or a
// well-known HTTP/WebSocket client) or uses a global network API (fetch, WebSocket, …).
import type { Detector } from '../context.js';

/** Node's networking modules (the contract's list) — `node:` prefixes are stripped upstream. */
export const NODE_NETWORK_MODULES = ['http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns', 'dns/promises'];
/** Widely used clients: bringing one in is reaching the network just the same. */
export const CLIENT_NETWORK_MODULES = [
  'undici', 'node-fetch', 'axios', 'got', 'request', 'superagent', 'needle', 'cross-fetch', 'isomorphic-fetch',
  'ws', 'socket.io-client', 'phin', 'ky', 'ofetch', 'node-fetch-native', 'make-fetch-happen', 'minipass-fetch',
];
const NETWORK_MODULES = new Set([...NODE_NETWORK_MODULES, ...CLIENT_NETWORK_MODULES]);
export const NETWORK_GLOBALS = new Set(['fetch', 'WebSocket', 'XMLHttpRequest', 'EventSource', 'navigator.sendBeacon']);

export function isNetworkModule(name: string): boolean {
  return NETWORK_MODULES.has(name);
}

const detector: Detector = {
  meta: {
    id: 'network',
    capability: 'network',
    description: 'can reach the network',
    triggers: ['fetch', 'WebSocket', 'XMLHttpRequest', 'EventSource', 'sendBeacon'],
    modules: [...NETWORK_MODULES],
  },
  create(ctx) {
    return {
      'module:use'(e) {
        if (e.module !== null && NETWORK_MODULES.has(e.module)) ctx.report('network', e.node, e.module);
      },
      call(e) {
        const c = e.callee;
        if (c.k === 'builtin' && NETWORK_GLOBALS.has(c.name)) ctx.report('network', e.node, c.name);
      },
    };
  },
};
export default detector;
