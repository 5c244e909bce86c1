// Env names whose values are not data a flow can leak: where a request goes (proxy settings) and
// ordinary configuration (risk/secret-names' benign list: NODE_ENV, DEBUG, HOME, CI …).
import { isBenignName } from '../../risk/secret-names.js';

const PROXY_NAME = /^(?:npm_config_)?(?:https?|all|no|ftp|ws|wss|socks)_proxy$|^(?:npm_config_)?proxy$|^GLOBAL_AGENT_\w+$/i;

/** Not data: where a request goes (proxies) and ordinary configuration. */
export function isIgnoredEnvName(name: string): boolean {
  return PROXY_NAME.test(name) || isBenignName(name);
}
