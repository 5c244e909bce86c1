// network: the file can reach the network — it brings in a networking module (node's own, or a
// well-known HTTP/WebSocket client: api.ts) or uses a global network API (fetch, WebSocket, …),
// called or stored as a value to call later (`this.fetch = opts.fetch ?? fetch`, `{ fetch }`,
// `const f = options.fetch || globalThis.fetch` — the openai SDK's own shape).
import { NETWORK_GLOBALS, NETWORK_MODULES } from '../api.js';
import type { AstNode } from '../ast.js';
import type { Detector, FileContext } from '../context.js';

/** The short names of the network globals (`fetch`, `sendBeacon`): what an identifier can be. */
const SHORT_NAMES: ReadonlySet<string> = new Set([...NETWORK_GLOBALS].map((g) => g.slice(g.lastIndexOf('.') + 1)));

/**
 * Is the node (a reference to a network global) kept as a value — stored, passed, returned,
 * bound — rather than called here, tested (`typeof fetch`, `if (!globalThis.fetch)`) or assigned to?
 */
function storedAsValue(ctx: FileContext): boolean {
  const chain = ctx.ancestors;
  let child = chain[chain.length - 1];
  for (let i = chain.length - 2; i >= 0 && i >= chain.length - 5; i--) {
    const p = chain[i];
    switch (p.type) {
      case 'LogicalExpression':
      case 'ChainExpression':
      case 'ParenthesizedExpression':
      case 'AwaitExpression':
        child = p;
        continue;
      case 'ConditionalExpression':
        if (p.test === child) return false;
        child = p;
        continue;
      case 'VariableDeclarator':
        return p.init === child;
      case 'AssignmentExpression':
        return p.right === child;
      case 'AssignmentPattern':
        return p.right === child;
      case 'Property':
        return p.value === child && !p.computed;
      case 'PropertyDefinition':
      case 'ReturnStatement':
        return true;
      case 'ArrowFunctionExpression':
        return p.body === child;
      case 'CallExpression':
      case 'NewExpression':
        return p.callee !== child;
      case 'MemberExpression':
        // fetch.bind(globalThis)
        return p.object === child && !p.computed && p.property.name === 'bind';
      default:
        return false;
    }
  }
  return false;
}

const detector: Detector = {
  meta: {
    rules: ['network'],
    triggers: [...SHORT_NAMES],
    modules: [...NETWORK_MODULES],
  },
  create(ctx) {
    const stored = new Set<string>();
    const reference = (node: AstNode): void => {
      const v = ctx.evaluate(node);
      if (v.k !== 'builtin' || !NETWORK_GLOBALS.has(v.name) || stored.has(v.name) || !storedAsValue(ctx)) return;
      stored.add(v.name);
      ctx.report(node, 'stored', { name: v.name }, { message: `${v.name} is kept as a value to call later` });
    };
    return {
      'module:use'(e) {
        if (e.module !== null && NETWORK_MODULES.has(e.module)) ctx.report(e.node, 'module', { module: e.module });
      },
      call(e) {
        const c = e.callee;
        if (c.k === 'builtin' && NETWORK_GLOBALS.has(c.name)) ctx.report(e.node, 'global', { name: c.name });
      },
      Identifier(node: AstNode) {
        if (!SHORT_NAMES.has(node.name)) return;
        const parent = ctx.ancestors[ctx.ancestors.length - 2];
        // a property's key or a member's name is not a reference to the global
        if (parent?.type === 'MemberExpression' && parent.property === node && !parent.computed) return;
        if (parent?.type === 'Property' && parent.key === node && !parent.shorthand) return;
        reference(node);
      },
      MemberExpression(node: AstNode) {
        if (!node.computed && SHORT_NAMES.has(node.property.name)) reference(node);
      },
    };
  },
};
export default detector;
