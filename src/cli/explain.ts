// `env-audit explain <name>[@version] [dir]`: every finding of one package, with file:line,
// snippet, reason and dependency paths — the evidence behind a row of the table.
import { renderExplain } from '../report/explain.js';
import { escapeUntrusted } from '../report/escape.js';
import { scanFromArgs } from './scan.js';
import { scanArgv } from './diff.js';
import { COMMON_OPTIONS, parse, UsageError } from './args.js';
import { useColor } from './output.js';

const EXPLAIN_HELP = `Usage: env-audit explain <name>[@version] [dir] [options]

Why a package (all installed versions unless @version is given) has its level: the evidence that
sets the level first (a flow with both ends, or the combination), the score ledger, then the
findings grouped by rule with counts and the first few locations of each.

Options:
  --all, -a             every finding with its snippet, not only the first few of each rule
  [dir], --omit, --include-root, --no-cache, --cache-dir, --jobs   as for scan`;

const EXPLAIN_OPTIONS = COMMON_OPTIONS;

/** `@scope/name@1.2.3` → name + version; `@scope/name` → name only. */
function splitSpec(spec: string): { name: string; version?: string } {
  const at = spec.lastIndexOf('@');
  if (at > 0) return { name: spec.slice(0, at), version: spec.slice(at + 1) };
  return { name: spec };
}

export async function explainCommand(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(EXPLAIN_HELP + '\n');
    return 0;
  }
  // parsed first, so an option's value (`--cache-dir x`) is never taken for the package name
  const { values, positionals } = parse(argv, EXPLAIN_OPTIONS);
  const spec = positionals[0];
  if (spec === undefined) throw new UsageError('explain needs a package name: env-audit explain <name>[@version]');
  if (positionals.length > 2) throw new UsageError(`explain takes a package and a folder, got: ${positionals.join(' ')}`);
  const { result } = await scanFromArgs([
    ...positionals.slice(1),
    ...scanArgv(values),
    // scan options diff does not pass on
    ...(values.trace ? ['--trace', values.trace] : []),
    ...(values.lockfile ? ['--lockfile'] : []),
    ...(values['allow-incomplete'] ? ['--allow-incomplete'] : []),
    '--quiet',
  ]);
  const { name, version } = splitSpec(spec);
  const matches = result.report.packages.filter((p) => p.name === name && (!version || p.version === version));
  if (matches.length === 0) {
    // a locked optional package for another platform: say so, with why and where it comes from
    const absent = (result.report.notInstalled ?? []).filter((n) => n.name === name && (!version || n.version === version));
    if (absent.length) {
      const lines = absent.map((n) => `${n.name}@${n.version}: ${n.reason}; not scanned${n.paths.length ? ` (${n.paths.map((x) => x.join(' > ')).join(', ')})` : ''}`);
      process.stderr.write(lines.map((l) => escapeUntrusted(l) + '\n').join(''));
      return 2;
    }
    const near = result.report.packages
      .filter((p) => p.name.includes(name) || name.includes(p.name))
      .slice(0, 5)
      .map((p) => `${p.name}@${p.version}`);
    process.stderr.write(
      `env-audit: no installed package ${escapeUntrusted(spec)}` +
        (near.length ? `; did you mean ${escapeUntrusted(near.join(', '))}?` : '') + '\n',
    );
    return 2;
  }
  const color = useColor(process.stdout);
  process.stdout.write(matches.map((p) => renderExplain(p, { color, all: values.all })).join('\n'));
  return 0;
}
