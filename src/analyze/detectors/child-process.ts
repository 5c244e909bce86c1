// child-process: the file can start processes — child_process (any import style), the process
// bindings underneath it, Bun/Deno spawners — and when it hands the whole environment to a child,
// that is reported here as inheritance rather than as a bulk read. Shell commands whose constant
// text dumps the environment (`env | curl …`, `printenv`, `cat /proc/self/environ`) or expands
// environment variables into a network tool's command line are reported here too, saying what the
// command does (the flow itself, when the command sends, is exfiltration's finding).
import { callArgs, type AstNode } from '../ast.js';
import { runsWritten, startedBinding, writtenFile, type WrittenFile } from '../flow/dropper.js';
import {
  NETWORK_GLOBALS, NETWORK_MODULES, CHILD_PROCESS_MODULES, ENV_TRIGGERS, GLOBAL_SHELLS, GLOBAL_SPAWNERS, PROCESS_BINDINGS, PROCESS_LIBRARIES, processCall,
} from '../api.js';
import type { CallInfo, Detector, FileContext } from '../context.js';
import { isIgnoredEnvName } from '../flow/env-names.js';
import { commandText, dumpsEnvironment, envRefs, networkTool, shortCommand } from '../flow/shell.js';
import { readScript } from '../package/install-commands.js';
import { queueEmbedded } from '../embedded/queue.js';

/**
 * The command line read as a shell reads it (install-commands.ts): fetched code run
 * (`exec('curl … | sh')`), and the script files and binaries it starts (`bash preinstall.sh`,
 * `rundll32 x.dll,main`), which the package stage follows when the call runs at install time.
 */
function readCommandLine(ctx: FileContext, e: CallInfo, text: string, how: string, shell: boolean): void {
  const reading = readScript(text.replace(/\u0000+/g, HOLE_WORD), 'sh');
  for (const f of reading.facts) {
    if (f.kind !== 'download-run') continue;
    ctx.report(e.node, 'downloadRun', { command: f.detail, how }, { technique: 'download-and-run', message: `runs code it downloads (${f.detail})` });
  }
  // `node -e "…"` / `node -p` inside the command line: that text is JavaScript, analysed as a virtual file
  // (a spawn's argument array is joined with spaces here, so its code is read from the array instead)
  const line = ctx.position(e.node.start).line;
  const pieces = shell ? reading.code : spawnedNodeCode(ctx, e);
  pieces.forEach((c, i) => {
    if (c.code.includes(HOLE_WORD)) return;
    const at = pieces.length > 1 ? `${line}.${i + 1}` : `${line}`;
    queueEmbedded({ path: `${ctx.job.file}#embedded@${at}`, code: c.code, origin: `code after ${c.how} in ${how} at ${ctx.job.file}:${line}`, sourceType: c.module ? 'module' : 'commonjs' });
  });
  for (const run of reading.runs) {
    if (run.kind === 'js' || run.path.includes(HOLE_WORD)) continue;
    ctx.report(e.node, 'runsFile', { file: run.path, kind: run.kind, how }, { message: `starts ${run.path} (${run.kind === 'binary' ? 'a binary' : `a ${run.kind} script`})` });
  }
}

const NODE_EVAL = /^(?:-e|--eval|-p|--print|-pe)$/;

/** `spawn('node', ['-e', code])`, `execFileSync(process.execPath, ['-p', code])`: the code argument. */
function spawnedNodeCode(ctx: FileContext, e: CallInfo): { code: string; how: string; module: boolean }[] {
  const [file, list] = e.node.arguments as AstNode[];
  if (!file || list?.type !== 'ArrayExpression') return [];
  const v = ctx.evaluate(file);
  const bin = ctx.constString(file);
  const isNode = (bin !== undefined && /^(?:.*[/\\])?node(?:js)?(?:\.exe)?$/.test(bin)) || (v.k === 'member' && v.module === 'process' && v.path.join('.') === 'execPath');
  if (!isNode) return [];
  const words = (list.elements as (AstNode | null)[]).map((el) => (el && el.type !== 'SpreadElement' ? ctx.constString(el) : undefined));
  const module = words.includes('--input-type=module');
  const out: { code: string; how: string; module: boolean }[] = [];
  words.forEach((w, i) => {
    const code = words[i + 1];
    if (w !== undefined && NODE_EVAL.test(w) && code !== undefined) out.push({ code, how: `node ${w}`, module });
  });
  return out;
}

/** Stands for an unknown part of a command line: a word no file or tool is named. */
const HOLE_WORD = '\u2026';

/** Commands that dump or send the environment, from their constant text alone. */
function shellCommand(ctx: FileContext, e: CallInfo): void {
  const pc = processCall(e.callee);
  if (!pc) return;
  const text = commandText(ctx, ctx.calls, e.node, ctx.scope(), pc);
  if (!text || text === '\u0000') return;
  readCommandLine(ctx, e, text, pc.name, pc.shell);
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

/** Per file: writes and process starts, matched at the end (a dropper writes, then runs). */
interface DropperState {
  writes: WrittenFile[];
  starts: { node: AstNode; text: string; binding: object | null; how: string }[];
  network: boolean;
}

function trackDropper(ctx: FileContext, e: CallInfo, st: DropperState): void {
  if (e.callee.k === 'builtin' && NETWORK_GLOBALS.has(e.callee.name)) st.network = true;
  const w = writtenFile(ctx, e.callee, e.node, ctx.scope());
  if (w && st.writes.length < 50) st.writes.push(w);
  const pc = processCall(e.callee);
  if (pc && st.starts.length < 50) {
    st.starts.push({ node: e.node, text: commandText(ctx, ctx.calls, e.node, ctx.scope(), pc), binding: startedBinding(e.node, ctx.scope()), how: pc.name });
  }
}

function reportDroppers(ctx: FileContext, st: DropperState): void {
  for (const s of st.starts) {
    for (const w of st.writes) {
      const what = runsWritten(w, s.text, s.binding, st.network);
      if (!what) continue;
      ctx.report(s.node, 'downloadRun', { command: what, how: s.how }, { technique: 'download-and-run', message: `a dropper: ${what}` });
      break;
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
    const dropper: DropperState = { writes: [], starts: [], network: false };
    return {
      'module:use'(e) {
        if (e.module !== null && CHILD_PROCESS_MODULES.has(e.module)) ctx.report(e.node, 'module', { module: e.module });
        if (e.module !== null && NETWORK_MODULES.has(e.module)) dropper.network = true;
      },
      'Program:exit'() {
        reportDroppers(ctx, dropper);
      },
      call(e) {
        const c = e.callee;
        if (c.k === 'builtin' && (GLOBAL_SPAWNERS.has(c.name) || GLOBAL_SHELLS.has(c.name))) ctx.report(e.node, 'spawner', { name: c.name });
        if (c.k === 'member' && c.module === 'process' && (c.path[0] === 'binding' || c.path[0] === '_linkedBinding')) {
          const first = callArgs(e.node)[0];
          const arg = first ? ctx.constString(first) : undefined;
          if (arg === undefined || PROCESS_BINDINGS.test(arg)) ctx.report(e.node, 'binding', { fn: c.path[0], arg: arg ?? '…' });
        }
        shellCommand(ctx, e);
        trackDropper(ctx, e, dropper);
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
