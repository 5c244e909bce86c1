// child-process: the file can start processes — child_process (any import style), the process
// bindings underneath it, Bun/Deno spawners — and when it hands the whole environment to a child,
// that is reported here as inheritance rather than as a bulk read.
import type { Detector } from '../context.js';
import { CHILD_PROCESS_MODULES, ENV_TRIGGERS, GLOBAL_SHELLS, GLOBAL_SPAWNERS, PROCESS_BINDINGS } from '../api.js';


const detector: Detector = {
  meta: {
    id: 'child-process',
    capability: 'child_process',
    description: 'can start processes',
    // the env words too: handing the whole environment to a child is reported from the env access
    // (`run(cmd, { env: process.env })` with execa names no child-process word)
    triggers: ['Bun', 'Deno', 'binding', 'spawn', ...ENV_TRIGGERS],
    modules: [...CHILD_PROCESS_MODULES],
  },
  create(ctx) {
    return {
      'module:use'(e) {
        if (e.module !== null && CHILD_PROCESS_MODULES.has(e.module)) ctx.report('child-process', e.node, e.module);
      },
      call(e) {
        const c = e.callee;
        if (c.k === 'builtin' && (GLOBAL_SPAWNERS.has(c.name) || GLOBAL_SHELLS.has(c.name))) ctx.report('child-process', e.node, c.name);
        if (c.k === 'member' && c.module === 'process' && (c.path[0] === 'binding' || c.path[0] === '_linkedBinding')) {
          const arg = e.node.arguments[0] ? ctx.constString(e.node.arguments[0]) : undefined;
          if (arg === undefined || PROCESS_BINDINGS.test(arg)) ctx.report('child-process', e.node, `process.${c.path[0]}(${arg ?? '…'})`);
        }
      },
      'env:access'(e) {
        if (e.kind === 'inherit') {
          ctx.report('child-process', e.node, 'passes the whole environment to a child process', { message: `environment inherited (${e.how})` });
        }
      },
    };
  },
};
export default detector;
