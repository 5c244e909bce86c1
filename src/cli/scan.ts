// `env-audit scan [dir]` (the default command): run the pipeline, print the table, write the
// requested reports, and turn --fail-on into the contract's exit code.
import path from 'node:path';
import type { Level, Report } from '../model.js';
import { levelRank } from '../model.js';
import { runScan, type ScanResult } from '../scan/run-scan.js';
import { renderTable } from '../report/table.js';
import { renderJson } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderGithubAnnotations, appendStepSummary } from '../report/github.js';
import { escapeUntrusted } from '../report/escape.js';
import { formatBytes } from '../report/util.js';
import { COMMON_OPTIONS, parse, parseLevel, parseOmit, parsePositiveNumber, UsageError } from './args.js';
import { progressLine, useColor, writeFileAtomic } from './output.js';

export const SCAN_HELP = `Usage: env-audit [scan] [dir] [options]

Audit the installed npm tree in dir (default: the current folder): which dependencies read which
environment variables, which can also reach the network, start processes or read credential files.

Options:
  --fail-on LEVEL       exit 1 when a package is at or above LEVEL (critical, high, medium, low)
  --json [FILE.json]    the JSON report (report contract, schemaVersion 1) to stdout or FILE
  --sarif FILE          SARIF 2.1.0 for code scanning
  --markdown FILE       a Markdown summary for a pull-request comment
  --all, -a             list packages at level none too
  --omit dev|optional|peer   leave these packages out, as npm does (repeatable)
  --include-root        audit the root project's own code too
  --no-cache            do not read or write the result cache
  --cache-dir DIR       cache folder (default: $XDG_CACHE_HOME/env-audit or ~/.cache/env-audit)
  --jobs N, -j N        worker threads (default: one per core; 0 = no workers)
  --max-file-size MB    skip (and report) larger files (default 20)
  --file-timeout SEC    give up on one file after SEC seconds (default 30)
  --quiet, -q           no progress line, no table; only errors and requested files
  -h, --help            this help;  -v, --version  the version

Commands:
  scan [dir]                 this audit (default)
  explain <name>[@version]   every finding of one package with file:line evidence

Exit codes: 0 ran, nothing at or above --fail-on; 1 ran, something is; 2 could not run.`;

export interface ScanCliOptions {
  dir: string;
  failOn?: Level;
  quiet: boolean;
  json: boolean;
  jsonFile?: string;
  sarif?: string;
  markdown?: string;
  all: boolean;
  result: ScanResult;
}

export async function scanFromArgs(argv: string[]): Promise<{ values: ReturnType<typeof parse<typeof COMMON_OPTIONS>>['values']; positionals: string[]; result: ScanResult }> {
  const { values, positionals } = parse(argv, COMMON_OPTIONS);
  if (positionals.length > 1) throw new UsageError(`expected one folder, got: ${positionals.map((p) => escapeUntrusted(p)).join(' ')}`);
  const dir = path.resolve(positionals[0] ?? '.');
  const jsonToStdout = values.json && !values['json-file'];
  const showProgress = !values.quiet && !jsonToStdout && !!process.stderr.isTTY && !process.env.CI;
  const progress = progressLine(showProgress);
  const started = Date.now();
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 0)) throw new UsageError(`--jobs takes a whole number (got "${values.jobs}")`);
  const maxMb = parsePositiveNumber(values['max-file-size'], '--max-file-size');
  const timeoutS = parsePositiveNumber(values['file-timeout'], '--file-timeout');
  try {
    const result = await runScan({
      root: dir,
      omit: parseOmit(values.omit),
      includeRoot: values['include-root'],
      cacheDir: values['no-cache'] ? null : values['cache-dir'] ? path.resolve(values['cache-dir']) : undefined,
      workers: jobs,
      maxFileBytes: maxMb === undefined ? undefined : Math.round(maxMb * 1024 * 1024),
      fileTimeoutMs: timeoutS === undefined ? undefined : Math.round(timeoutS * 1000),
      onProgress: (p) => {
        const secs = (Date.now() - started) / 1000;
        const mbs = secs > 0 ? p.bytes / 1024 / 1024 / secs : 0;
        progress.update(`env-audit: ${p.totalPackages} packages, ${p.files}/${p.totalFiles} files, ${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)} (${mbs.toFixed(1)} MB/s), ${secs.toFixed(1)}s`);
      },
    });
    return { values, positionals, result };
  } finally {
    progress.done();
  }
}

export function failingPackages(report: Report, failOn: Level | undefined): Report['packages'] {
  if (!failOn) return [];
  return report.packages.filter((p) => levelRank(p.level) >= levelRank(failOn));
}

export async function scanCommand(argv: string[]): Promise<number> {
  const { values, result } = await scanFromArgs(argv);
  if (values.help) {
    process.stdout.write(SCAN_HELP + '\n');
    return 0;
  }
  const failOn = parseLevel(values['fail-on'], '--fail-on');
  const report = result.report;
  const color = useColor(process.stdout);

  if (values.json) {
    const json = renderJson(report);
    if (values['json-file']) writeFileAtomic(values['json-file'], json);
    else process.stdout.write(json);
  }
  if (values.sarif) writeFileAtomic(values.sarif, renderSarif(report));
  let markdown: string | undefined;
  if (values.markdown || process.env.GITHUB_STEP_SUMMARY) markdown = renderMarkdown(report);
  if (values.markdown && markdown) writeFileAtomic(values.markdown, markdown);

  const jsonToStdout = values.json && !values['json-file'];
  if (!jsonToStdout && !values.quiet) {
    process.stdout.write(renderTable(report, { all: values.all, color, width: process.stdout.columns }));
  }
  // warnings go to stderr, escaped: they name packages and files from the tree
  if (!values.quiet && result.warnings.length) {
    const shown = result.warnings.slice(0, 10);
    for (const w of shown) process.stderr.write(`warning: ${escapeUntrusted(w)}\n`);
    if (result.warnings.length > shown.length) process.stderr.write(`warning: … and ${result.warnings.length - shown.length} more (see "warnings" in --json)\n`);
  }
  if (process.env.GITHUB_ACTIONS === 'true') {
    const annotations = renderGithubAnnotations(report, failOn ?? 'high');
    if (annotations) process.stdout.write(annotations);
    if (markdown) appendStepSummary(markdown);
  }
  const failing = failingPackages(report, failOn);
  if (failing.length) {
    if (!jsonToStdout) {
      const names = failing.slice(0, 5).map((p) => `${p.name}@${p.version} (${p.level})`).map(escapeUntrusted).join(', ');
      process.stderr.write(`env-audit: ${failing.length} package${failing.length === 1 ? '' : 's'} at or above ${failOn}: ${names}${failing.length > 5 ? ', …' : ''}\n`);
    }
    return 1;
  }
  return 0;
}
