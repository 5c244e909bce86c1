// `env-audit baseline [dir] [--write FILE]`: scan, then record the accepted state (per package
// name and version: env names, capabilities, level) as stable JSON for `--baseline FILE`.
import { createBaseline, renderBaseline } from '../policy/baseline.js';
import { escapeUntrusted } from '../report/escape.js';
import { UsageError } from './args.js';
import { scanFromArgs } from './scan.js';
import { writeFileAtomic } from './write-report.js';

const BASELINE_HELP = `Usage: env-audit baseline [dir] [--write FILE] [scan options]

Scan dir (default: the current folder) and record its accepted state: for each package name and
version, the env names it reads, its capabilities and its level. Without --write the baseline goes
to stdout. Commit the file; then "env-audit --baseline FILE --fail-on high" fails only on drift:
a new package at or above the threshold, a new secret read, a new capability, a new exfiltration
or install-time finding, or a level increase.

The file is sorted and has no timestamps, so updating it shows up as a clean diff in review.
Scan options (--omit, --config, --include-root, --no-cache, --cache-dir, ...) work as for scan.`;

/** Pull `--write FILE` / `--write=FILE` out of argv (the scan's parser does not know it). */
function takeWrite(argv: string[]): { write?: string; rest: string[] } {
  const rest: string[] = [];
  let write: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--write') {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('-')) throw new UsageError('--write needs a file name');
      write = v;
      i++;
    } else if (a.startsWith('--write=')) {
      write = a.slice('--write='.length);
      if (!write) throw new UsageError('--write needs a file name');
    } else rest.push(a);
  }
  return { write, rest };
}

export async function baselineCommand(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(BASELINE_HELP + '\n');
    return 0;
  }
  const { write, rest } = takeWrite(argv);
  for (const flag of ['--baseline', '--fail-on', '--json', '--sarif', '--markdown']) {
    if (rest.some((a) => a === flag || a.startsWith(flag + '='))) throw new UsageError(`baseline does not take ${flag}`);
  }
  const quiet = rest.includes('--quiet') || rest.includes('-q');
  const { result } = await scanFromArgs([...rest, '--quiet']);
  const baseline = createBaseline(result.report);
  const text = renderBaseline(baseline);
  if (write) {
    writeFileAtomic(write, text);
    const n = Object.keys(baseline.packages).length;
    if (!quiet) process.stderr.write(`env-audit: baseline of ${n} package name${n === 1 ? '' : 's'} written to ${escapeUntrusted(write)}\n`);
  } else {
    process.stdout.write(text);
  }
  return 0;
}
