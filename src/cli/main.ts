// Entry point: pick the command, run it, map failures to the contract's exit codes
// (0 clean, 1 findings at or above --fail-on, 2 could not run).
import fs from 'node:fs';
import { TreeError } from '../tree/load-tree.js';
import { escapeUntrusted } from '../report/escape.js';
import { TOOL_VERSION } from '../scan/run-scan.js';
import { UsageError } from './args.js';
import { OutputError } from './write-report.js';
import { cleanUpOnSignals } from '../scan/temps.js';
import { closest } from './suggest.js';
import { scanCommand, SCAN_HELP } from './scan.js';
import { explainCommand } from './explain.js';
import { baselineCommand } from './baseline.js';
import { diffCommand } from './diff.js';
import { previewCommand } from './preview.js';
import { traceCommand } from './trace.js';

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  scan: scanCommand,
  explain: explainCommand,
  baseline: baselineCommand,
  diff: diffCommand,
  preview: previewCommand,
  trace: traceCommand,
};

/** `env-audit scna`: a word close to a command that is not a folder is a typo, not a project. */
function checkNotACommandTypo(first: string | undefined): void {
  if (first === undefined || first.startsWith('-') || fs.existsSync(first)) return;
  const guess = closest(first, Object.keys(COMMANDS));
  if (guess) throw new UsageError(`unknown command "${first}"; did you mean "${guess}"?`);
  if (!/[./\\]/.test(first)) {
    throw new UsageError(`"${first}" is neither a command (${Object.keys(COMMANDS).join(', ')}) nor a folder`);
  }
}

export async function main(argv: string[]): Promise<number> {
  cleanUpOnSignals();
  try {
    if (argv[0] === '--version' || argv[0] === '-v') {
      process.stdout.write(TOOL_VERSION + '\n');
      return 0;
    }
    if (argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
      process.stdout.write(SCAN_HELP + '\n');
      return 0;
    }
    const command = argv[0] && COMMANDS[argv[0]];
    if (command) return await command(argv.slice(1));
    checkNotACommandTypo(argv[0]);
    return await scanCommand(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`env-audit: ${escapeUntrusted(err.message)}\nRun "env-audit --help" for usage.\n`);
      return 2;
    }
    if (err instanceof TreeError || err instanceof OutputError || (err as { name?: string })?.name === 'ConfigError') {
      process.stderr.write(`env-audit: ${escapeUntrusted((err as Error).message)}\n`);
      return 2;
    }
    process.stderr.write(`env-audit: internal error: ${escapeUntrusted(String((err as Error)?.stack ?? err))}\n`);
    return 2;
  }
}
