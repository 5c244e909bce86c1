// `env-audit trace [--out FILE] -- <command …>`: run a command with the run-time recorder preloaded
// (NODE_OPTIONS, so every Node process and worker thread it starts is recorded) and leave the
// record in FILE for `env-audit scan --trace FILE`. The command's output and exit code pass through
// unchanged; this is the one env-audit command that runs code, and it runs only what it is given.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeUntrusted } from '../report/escape.js';
import { TRACE_FILE_VAR, TRACE_ROOT_VAR } from '../trace/record.cjs';
import { readTrace } from '../trace/read.js';
import { UsageError } from './args.js';

const TRACE_HELP = `Usage: env-audit trace [--out FILE] -- <command …>

Run the command (a test suite, "node app.js", "npm run build") with a recorder preloaded into every
Node process and worker thread it starts, and write what each package did to FILE (default
env-audit-trace.jsonl): env names read, whole-environment enumerations, writes, network, child
processes, credential files. Names, counts and first call sites only: never a value.
Then: env-audit scan --trace FILE (or explain <name> --trace FILE).

The command's output and exit code pass through unchanged (127 when it cannot be started).
See docs/trace-format.md for the file format and what the recorder cannot see.`;

const DEFAULT_OUT = 'env-audit-trace.jsonl';
const NOT_STARTED = 127;
const PRELOAD = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'trace', 'recorder.cjs');

interface TraceArgs {
  out: string;
  command: string[];
}

function parseTraceArgs(argv: string[]): TraceArgs | 'help' {
  let out = DEFAULT_OUT;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-h' || a === '--help') return 'help';
    if (a === '--out' || a === '-o') {
      if (i + 1 >= argv.length) throw new UsageError('--out needs a file');
      out = argv[++i];
    } else if (a.startsWith('--out=')) out = a.slice('--out='.length);
    else if (a.startsWith('-')) throw new UsageError(`unknown option for trace: ${a} (put the command after --)`);
    else break; // the command starts without --
  }
  const command = argv.slice(i);
  if (command.length === 0) throw new UsageError('trace needs a command: env-audit trace [--out FILE] -- <command …>');
  return { out, command };
}

/** NODE_OPTIONS with the preload added; the path is quoted as Node's NODE_OPTIONS parser expects. */
function nodeOptions(existing: string | undefined): string {
  const quoted = `"${PRELOAD.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return [existing?.trim(), `--require ${quoted}`].filter(Boolean).join(' ');
}

function run(command: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    // no shell: the words are the command, as the user's shell already split them
    // (on Windows npm/npx are .cmd files, which only a shell starts)
    const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env, shell: process.platform === 'win32' });
    const forward = (sig: NodeJS.Signals): void => {
      child.kill(sig);
    };
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const s of signals) process.on(s, forward);
    const done = (code: number): void => {
      for (const s of signals) process.off(s, forward);
      resolve(code);
    };
    child.on('error', (err) => {
      process.stderr.write(`env-audit trace: cannot start ${escapeUntrusted(command[0])}: ${escapeUntrusted(err.message)}\n`);
      done(NOT_STARTED);
    });
    child.on('exit', (code, signal) => done(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0)));
  });
}

export async function traceCommand(argv: string[]): Promise<number> {
  const parsed = parseTraceArgs(argv);
  if (parsed === 'help') {
    process.stdout.write(TRACE_HELP + '\n');
    return 0;
  }
  const out = path.resolve(parsed.out);
  if (!fs.existsSync(PRELOAD)) throw new UsageError(`the recorder is not built (${PRELOAD}): run "npm run build"`);
  try {
    fs.writeFileSync(out, ''); // a fresh record: the preload appends
  } catch (err) {
    throw new UsageError(`cannot write ${out}: ${(err as Error).message}`);
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: nodeOptions(process.env.NODE_OPTIONS),
    [TRACE_FILE_VAR]: out,
    [TRACE_ROOT_VAR]: process.cwd(),
  };
  const code = await run(parsed.command, env);
  // a summary only for a person at a terminal: piped or CI output stays the command's own
  if (process.stderr.isTTY) {
    const t = readTrace(out);
    const pkgs = new Set(t.events.filter((e) => e.package !== null).map((e) => e.location)).size;
    process.stderr.write(
      `env-audit trace: ${t.processes} Node process(es), ${pkgs} package(s) recorded in ${escapeUntrusted(path.relative(process.cwd(), out) || out)}; ` +
        `next: env-audit scan --trace ${escapeUntrusted(parsed.out)}\n`,
    );
  }
  return code;
}
