// `env-audit scan [dir]` (the default command): run the pipeline, print the table, write the
// requested reports, and turn --fail-on into the contract's exit code.
import fs from 'node:fs';
import path from 'node:path';
import { runScan, type ScanResult } from '../scan/run-scan.js';
import { renderTable } from '../report/table.js';
import { renderJson } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderGithubAnnotations, appendStepSummary } from '../report/github.js';
import { escapeUntrusted } from '../report/escape.js';
import { formatBytes } from '../report/util.js';
import { loadConfig, type PolicyConfig } from '../policy/config.js';
import { readBaseline } from '../policy/baseline.js';
import { materializeLockfile, type LockfileTree } from '../scan/lockfile.js';
import { applyPolicy, gateView } from '../policy/gate.js';
import { COMMON_OPTIONS, parse, parseLevel, parseOmit, parsePositiveNumber, UsageError } from './args.js';
import { progressLine, useColor } from './output.js';
import { OutputError, writeFileAtomic } from './write-report.js';
import { readTrace, type Trace } from '../trace/read.js';
import { mergeTrace } from '../trace/merge.js';

const MAX_TRACE_BYTES = 512 * 1024 * 1024;

export const SCAN_HELP = `Usage: env-audit [scan] [dir] [options]

Audit the installed npm tree in dir (default: the current folder): which dependencies read which
environment variables, which can also reach the network, start processes or read credential files.

Options:
  --fail-on LEVEL       exit 1 when a package is at or above LEVEL (critical, high, medium, low)
  --json [FILE]         the JSON report (report contract, schemaVersion 1) to stdout, or to FILE
                        (--json=FILE, or --json FILE when FILE is not a folder)
  --sarif FILE          SARIF 2.1.0 for code scanning: one result per package at or above
                        --fail-on (else medium)
  --markdown FILE       a Markdown summary for a pull-request comment: every package at medium+
  --all, -a             list packages at level none too
  --omit dev|optional|peer   leave these packages out, as npm does (repeatable)
  --include-root        audit the root project's own code too
  --config FILE         policy file (default: .env-audit.json, or "env-audit" in package.json):
                        failOn, omit, and allow entries that accept known behaviour
  --baseline FILE       fail only on drift from this baseline (see "env-audit baseline")
  --trace FILE          merge a record of "env-audit trace": each env read confirmed, static-only
                        or runtime-only; what only the run saw is a hidden-access finding
  --lockfile            audit package-lock.json without node_modules: fetch each locked tarball
                        (integrity-checked, with your npm registry and auth settings) into the cache
  --no-cache            do not read or write the result cache
  --cache-dir DIR       cache folder (default: $XDG_CACHE_HOME/env-audit or ~/.cache/env-audit)
  --jobs N, -j N        worker threads (default: one per core, one for small trees; 0 = none:
                        the main thread, without the per-file time and memory limits)
  --max-file-size MB    skip (and report) larger files (default 20)
  --file-timeout SEC    give up on one file after SEC seconds (default 30)
  --allow-incomplete    judge packages that could not be fully analysed (a file over the size or
                        time limit, an unreadable package.json) by their level, and packages that
                        could not be loaded at all by nothing: by default both fail the run
  --fetch-timeout SEC   give up on a registry request after SEC seconds (default 60)
  --quiet, -q           no progress line, no table; only errors and requested files
  -h, --help            this help;  -v, --version  the version

Commands:
  scan [dir]                 this audit (default)
  explain <name>[@version]   why a package has its level: the deciding evidence, the score
                             ledger, findings grouped by rule (--all: every finding)
  baseline [dir] [--write FILE]   record the accepted state for --baseline
  diff BASE HEAD             what changed between two reports or project folders
  preview NAME@RANGE …       what an upgrade would bring, fetched and analysed before installing
  trace [--out FILE] -- CMD  run CMD recording what each package really does (see --trace)

Exit codes: 0 ran, nothing at or above --fail-on; 1 ran, something is (after the allowlist and
baseline); 2 could not run.`;

export async function scanFromArgs(argv: string[]): Promise<{ values: ReturnType<typeof parse<typeof COMMON_OPTIONS>>['values']; positionals: string[]; result: ScanResult; config: PolicyConfig }> {
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
  const fetchS = parsePositiveNumber(values['fetch-timeout'], '--fetch-timeout');
  const timeoutS = parsePositiveNumber(values['file-timeout'], '--file-timeout');
  // the policy is read before the scan: its "omit" decides what is scanned (--omit wins)
  const config = loadConfig(dir, values.config);
  const omit = values.omit ? parseOmit(values.omit) : (config.omit ?? []);
  // read before the scan: a bad trace file costs no scan time
  const trace = values.trace ? loadTrace(values.trace) : undefined;
  const cacheDir = values['no-cache'] ? null : values['cache-dir'] ? path.resolve(values['cache-dir']) : undefined;
  let locked: LockfileTree | undefined;
  try {
    if (values.lockfile) {
      locked = await materializeLockfile(dir, {
        omit,
        fetchTimeoutMs: fetchS === undefined ? undefined : Math.round(fetchS * 1000),
        onProgress: (done, total) => progress.update(`env-audit: fetching locked packages ${done}/${total}`),
      });
    }
    const result = await runScan({
      root: locked ? locked.dir : dir,
      omit,
      includeRoot: values['include-root'],
      cacheDir,
      workers: jobs,
      maxFileBytes: maxMb === undefined ? undefined : Math.round(maxMb * 1024 * 1024),
      fileTimeoutMs: timeoutS === undefined ? undefined : Math.round(timeoutS * 1000),
      onProgress: (p) => {
        const secs = (Date.now() - started) / 1000;
        const mbs = secs > 0 ? p.bytes / 1024 / 1024 / secs : 0;
        progress.update(`env-audit: ${p.totalPackages} packages, ${p.files}/${p.totalFiles} files, ${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)} (${mbs.toFixed(1)} MB/s), ${secs.toFixed(1)}s`);
      },
    });
    if (trace) mergeTraceFile(result, trace, dir);
    if (locked) {
      // the report describes the project, not the folder its code was unpacked into
      result.report.root.path = (path.relative(process.cwd(), dir) || '.').split(path.sep).join('/');
      if (locked.warnings.length) {
        result.warnings.unshift(...locked.warnings);
        result.report.warnings = [...locked.warnings, ...(result.report.warnings ?? [])];
      }
    }
    return { values, positionals, result, config };
  } finally {
    progress.done();
    locked?.cleanup();
  }
}

function loadTrace(file: string): { file: string; data: Trace } {
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_TRACE_BYTES) throw new Error(`larger than ${MAX_TRACE_BYTES / 1024 / 1024} MB`);
    return { file, data: readTrace(file) };
  } catch (err) {
    throw new UsageError(`cannot read the trace file ${file}: ${(err as Error).message}`);
  }
}

/** `--trace FILE`: what `env-audit trace` recorded, merged into the report before the policy sees it. */
function mergeTraceFile(result: ScanResult, trace: { file: string; data: Trace }, root: string): void {
  mergeTrace(result.report, trace.data, { file: trace.file, root });
  const bad = trace.data.invalidLines;
  if (bad) result.warnings.push(`${bad} line(s) of ${trace.file} are not trace records and were skipped`);
}

/**
 * A terminal gets a table sized to its width (compact under 100 columns); a pipe gets one stable
 * line per package, unless COLUMNS says how wide the reader is.
 */
function terminalLayout(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): { width?: number; layout?: 'lines' } {
  if (stream.isTTY && stream.columns) return { width: stream.columns };
  const columns = Number(env.COLUMNS);
  if (Number.isInteger(columns) && columns > 0) return { width: columns };
  return { layout: 'lines' };
}

export async function scanCommand(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(SCAN_HELP + '\n');
    return 0;
  }
  // checked before the scan, so a typo costs no scan time
  const early = parse(argv, COMMON_OPTIONS).values;
  parseLevel(early['fail-on'], '--fail-on');
  const baselineData = early.baseline ? readBaseline(early.baseline) : undefined;
  const { values, result, config } = await scanFromArgs(argv);
  const failOn = parseLevel(values['fail-on'], '--fail-on') ?? config.failOn;
  const report = result.report;
  const color = useColor(process.stdout);
  // the policy marks accepted findings and drift in the report, so every format below shows them
  const outcome = applyPolicy(report, {
    config,
    failOn,
    baseline: baselineData && values.baseline ? { file: values.baseline, data: baselineData } : undefined,
    allowIncomplete: values['allow-incomplete'],
  });

  // each report is written on its own: one that cannot be written costs exit 2, not the others
  const writeFailures: string[] = [];
  const writeOut = (file: string, render: () => string): void => {
    try {
      writeFileAtomic(file, render());
    } catch (err) {
      if (!(err instanceof OutputError)) throw err;
      writeFailures.push(err.message);
    }
  };
  if (values.json) {
    if (values['json-file']) writeOut(values['json-file'], () => renderJson(report));
    else process.stdout.write(renderJson(report));
  }
  // one result per package at or above the gate's level (else medium): what a reviewer acts on
  if (values.sarif) writeOut(values.sarif, () => renderSarif(report, { level: failOn ?? 'medium' }));
  let markdown: string | undefined;
  if (values.markdown || process.env.GITHUB_STEP_SUMMARY) {
    markdown = renderMarkdown(report, outcome.newOrChanged.size ? { newOrChanged: outcome.newOrChanged } : {});
  }
  const md = markdown;
  if (values.markdown && md !== undefined) writeOut(values.markdown, () => md);

  const jsonToStdout = values.json && !values['json-file'];
  if (!jsonToStdout && !values.quiet) {
    process.stdout.write(renderTable(report, { all: values.all, color, ...terminalLayout(process.stdout) }));
  }
  // warnings go to stderr, escaped: they name packages and files from the tree
  if (!values.quiet && result.warnings.length) {
    const shown = result.warnings.slice(0, 10);
    for (const w of shown) process.stderr.write(`warning: ${escapeUntrusted(w)}\n`);
    if (result.warnings.length > shown.length) process.stderr.write(`warning: … and ${result.warnings.length - shown.length} more (see "warnings" in --json)\n`);
  }
  if (!values.quiet) for (const n of outcome.notes) process.stderr.write(`note: ${escapeUntrusted(n)}\n`);
  if (!values.quiet && !jsonToStdout && report.policy) {
    // the table shows the risk as scanned; say what the policy made of it
    const accepted = report.packages.filter((p) => p.findings.some((f) => f.accepted)).length;
    const parts = [report.policy.config ? `policy from ${report.policy.config}` : 'no policy file', `${accepted} package${accepted === 1 ? '' : 's'} with findings accepted by the allowlist`];
    if (report.policy.baseline) parts.push(`against ${report.policy.baseline.file}: ${report.policy.baseline.new.length} new, ${report.policy.baseline.changed.length} changed`);
    process.stderr.write(`${escapeUntrusted(parts.join('; '))}.\n`);
  }
  // an expired allowlist entry changes the verdict: say so even with --quiet
  for (const n of outcome.expired) process.stderr.write(`warning: ${escapeUntrusted(n)}\n`);
  if (process.env.GITHUB_ACTIONS === 'true') {
    const annotations = renderGithubAnnotations(gateView(report, outcome, failOn), failOn ?? 'high');
    // the runner reads workflow commands from stderr too: keep JSON on stdout parseable
    if (annotations) (jsonToStdout ? process.stderr : process.stdout).write(annotations);
    if (markdown) appendStepSummary(markdown);
  }
  for (const f of writeFailures) process.stderr.write(`env-audit: ${escapeUntrusted(f)}\n`);
  const failing = outcome.failing;
  if (writeFailures.length) return 2;
  const lost = report.summary.lost ?? [];
  if (lost.length && !values['allow-incomplete']) {
    // even with --quiet: a report that silently misses packages is the failure this guards against
    process.stderr.write(`env-audit: ${lost.length} package folder${lost.length === 1 ? '' : 's'} could not be loaded (${escapeUntrusted(lost.slice(0, 5).join(', '))}${lost.length > 5 ? ', …' : ''}); the scan is incomplete (--allow-incomplete accepts that)\n`);
    return 2;
  }
  if (failing.length) {
    if (!jsonToStdout) {
      const describe = (p: (typeof failing)[number]) =>
        `${p.name}@${p.version} (${p.effectiveLevel ?? p.level}${p.drift?.length ? `; ${p.drift.join('; ')}` : ''}${p.incomplete?.length ? `; not fully analysed: ${p.incomplete[0]}` : ''})`;
      const names = failing.slice(0, 5).map(describe).map(escapeUntrusted).join(', ');
      const what = values.baseline ? `new or changed risk at or above ${failOn} against ${values.baseline}` : `at or above ${failOn}`;
      process.stderr.write(`env-audit: ${failing.length} package${failing.length === 1 ? '' : 's'} ${what}: ${names}${failing.length > 5 ? ', …' : ''}\n`);
    }
    return 1;
  }
  return 0;
}
