// child-process: the file can start processes — child_process (any import style), the process
// bindings underneath it, Bun/Deno spawners — and when it hands the whole environment to a child,
// that is reported here as inheritance rather than as a bulk read. Shell commands whose constant
// text dumps the environment (`env | curl …`, `printenv`, `cat /proc/self/environ`) or expands
// environment variables into a network tool's command line are reported here too, saying what the
// command does (the flow itself, when the command sends, is exfiltration's finding).
import {
  CHILD_PROCESS_MODULES, ENV_TRIGGERS, GLOBAL_SHELLS, GLOBAL_SPAWNERS, PROCESS_BINDINGS, PROCESS_LIBRARIES, processCall,
} from '../api.js';
import type { CallInfo, Detector, FileContext } from '../context.js';
import { isIgnoredEnvName } from '../flow/env-names.js';
import { commandText, dumpsEnvironment, envRefs, networkTool, shortCommand } from '../flow/shell.js';

/** Commands that dump or send the environment, from their constant text alone. */
function shellCommand(ctx: FileContext, e: CallInfo): void {
  const pc = processCall(e.callee);
  if (!pc) return;
  const text = commandText(ctx, ctx.calls, e.node, ctx.scope(), pc);
  if (!text || text === '\u0000') return;
  const dump = dumpsEnvironment(text);
  const tool = networkTool(text);
  const command = shortCommand(text);
  if (dump) {
    ctx.report(e.node, 'dumpsEnv', { command, dump, how: pc.name, ...(tool ? { tool } : {}) }, {
      message: tool ? `runs \`${dump}\` and sends its output with ${tool}` : `runs \`${dump}\`, which prints every environment variable`,
    });
  }
  if (tool) {
    const refs = envRefs(text).filter((n) => !isIgnoredEnvName(n));
    if (refs.length) {
      ctx.report(e.node, 'sendsEnv', { command, tool, how: pc.name, names: refs.join(',') }, {
        message: `expands ${refs.map((r) => `$${r}`).join(', ')} into a ${tool} command line`,
      });
    }
  }
}

const detector: Detector = {
  meta: {
    rules: ['child-process'],
    // the env words too: handing the whole environment to a child is reported from the env access
    // (`run(cmd, { env: process.env })` with execa names no child-process word)
    triggers: ['Bun', 'Deno', 'binding', 'spawn', ...ENV_TRIGGERS],
    modules: [...CHILD_PROCESS_MODULES, ...PROCESS_LIBRARIES],
  },
  create(ctx) {
    return {
      'module:use'(e) {
        if (e.module !== null && CHILD_PROCESS_MODULES.has(e.module)) ctx.report(e.node, 'module', { module: e.module });
      },
      call(e) {
        const c = e.callee;
        if (c.k === 'builtin' && (GLOBAL_SPAWNERS.has(c.name) || GLOBAL_SHELLS.has(c.name))) ctx.report(e.node, 'spawner', { name: c.name });
        if (c.k === 'member' && c.module === 'process' && (c.path[0] === 'binding' || c.path[0] === '_linkedBinding')) {
          const arg = e.node.arguments[0] ? ctx.constString(e.node.arguments[0]) : undefined;
          if (arg === undefined || PROCESS_BINDINGS.test(arg)) ctx.report(e.node, 'binding', { fn: c.path[0], arg: arg ?? '…' });
        }
        shellCommand(ctx, e);
      },
      'env:access'(e) {
        if (e.kind === 'inherit') {
          ctx.report(e.node, 'inherit', { how: e.how }, { message: `environment inherited (${e.how})` });
        }
      },
    };
  },
};
export default detector;
