// `env-audit diff BASE HEAD`: each side a JSON report or a project folder (scanned here). Shows
// packages added, removed and changed, and calls out small releases that gain what hijacked
// releases gain. With --fail-on, exit 1 when the change brings new or grown risk at that level.
import fs from 'node:fs';
import type { Level, Report } from '../model.js';
import { applyAllowlist } from '../policy/allowlist.js';
import { ConfigError, loadConfig } from '../policy/config.js';
import { diffFailing, diffReports, renderDiffJson, renderDiffText, type ReportDiff } from '../policy/diff.js';
import { renderDiffMarkdown } from '../policy/diff-markdown.js';
import { escapeUntrusted } from '../report/escape.js';
import { COMMON_OPTIONS, parse, parseLevel, UsageError } from './args.js';
import { writeFileAtomic } from './write-report.js';
import { scanFromArgs } from './scan.js';

const DIFF_HELP = `Usage: env-audit diff BASE HEAD [options]

What changed between two trees. BASE and HEAD are each a JSON report (env-audit --json) or a
project folder, which is scanned. Shows packages added, removed and changed; for a change, the
version step (major, minor, patch, prerelease, downgrade), env names added and removed,
capabilities gained and lost, and the score change. A patch, minor or prerelease release that
gains network reach, a secret read, the whole environment, an install script or obfuscation is
called out on its own line: hijacked releases look like that.

Options:
  --fail-on LEVEL       exit 1 when HEAD adds a package at or above LEVEL, or a package's risk
                        grows and it is at or above LEVEL (the allowlist applies)
  --json [FILE.json]    the diff as JSON to stdout or FILE
  --markdown FILE       the diff as a pull-request comment
  --all, -a             list quiet packages and version-only changes too
  --config FILE         policy for folders scanned here (default: each folder's own)
  --omit, --include-root, --no-cache, --cache-dir, --jobs   as for scan
  -q, --quiet           no text output; only errors and requested files`;

/** Flags passed through to the scan of a folder side. */
const SCAN_FLAGS = ['omit', 'include-root', 'no-cache', 'cache-dir', 'jobs', 'max-file-size', 'file-timeout', 'config'] as const;

export type CommonValues = ReturnType<typeof parse<typeof COMMON_OPTIONS>>['values'];

export function scanArgv(values: CommonValues): string[] {
  const out: string[] = [];
  for (const flag of SCAN_FLAGS) {
    const v = values[flag];
    if (v === undefined || v === false) continue;
    if (v === true) out.push(`--${flag}`);
    else if (Array.isArray(v)) for (const x of v) out.push(`--${flag}`, x);
    else out.push(`--${flag}`, String(v));
  }
  return out;
}

/** Read a JSON report from disk; anything else is a ConfigError naming the file (exit 2). */
function readReport(file: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(file, '', code ? `cannot read: ${(err as Error).message}` : `not valid JSON (${(err as Error).message})`);
  }
  const r = data as Partial<Report> | null;
  if (!r || typeof r !== 'object' || r.schemaVersion !== 1) throw new ConfigError(file, 'schemaVersion', 'not an env-audit JSON report (schemaVersion 1)');
  if (!Array.isArray(r.packages)) throw new ConfigError(file, 'packages', 'must be an array');
  r.packages.forEach((p, i) => {
    if (!p || typeof p.name !== 'string' || typeof p.version !== 'string' || !p.env || !Array.isArray(p.capabilities) || !Array.isArray(p.findings)) {
      throw new ConfigError(file, `packages[${i}]`, 'is not a package of the report contract (name, version, env, capabilities, findings)');
    }
  });
  if (!r.root) r.root = { name: '', version: '', path: file };
  return r as Report;
}

/** A side of a diff: a report file as is, or a folder scanned with its policy's allowlist applied. */
async function loadSide(spec: string, values: CommonValues): Promise<{ report: Report; failOn?: Level }> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(spec);
  } catch {
    throw new UsageError(`${spec}: no such file or folder (a JSON report or a project folder)`);
  }
  if (stat.isFile()) return { report: readReport(spec) };
  const { result, config } = await scanFromArgs([spec, ...scanArgv(values), '--quiet']);
  applyAllowlist(result.report, config.allow);
  return { report: result.report, failOn: config.failOn };
}

function writeDiffOutputs(diff: ReportDiff, head: Report | undefined, values: CommonValues, title?: string): void {
  const jsonToStdout = values.json && !values['json-file'];
  if (values.json) {
    const json = renderDiffJson(diff);
    if (values['json-file']) writeFileAtomic(values['json-file'], json);
    else process.stdout.write(json);
  }
  if (values.markdown) writeFileAtomic(values.markdown, renderDiffMarkdown(diff, head, { title }));
  if (!jsonToStdout && !values.quiet) process.stdout.write(renderDiffText(diff, { all: values.all, title }));
}

export async function diffCommand(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(DIFF_HELP + '\n');
    return 0;
  }
  const { values, positionals } = parse(argv, COMMON_OPTIONS);
  for (const flag of ['sarif', 'baseline'] as const) if (values[flag] !== undefined) throw new UsageError(`diff does not take --${flag}`);
  if (positionals.length !== 2) throw new UsageError(`diff needs two sides, BASE and HEAD (got ${positionals.length}): env-audit diff base.json head/`);
  const failOnFlag = parseLevel(values['fail-on'], '--fail-on');
  const [baseSpec, headSpec] = positionals;
  const base = await loadSide(baseSpec, values);
  const head = await loadSide(headSpec, values);
  const failOn = failOnFlag ?? head.failOn ?? (fs.statSync(headSpec).isFile() && values.config ? loadConfig('.', values.config).failOn : undefined);
  const diff = diffReports(base.report, head.report, { base: baseSpec, head: headSpec });
  writeDiffOutputs(diff, head.report, values);
  const failing = diffFailing(diff, failOn);
  if (failing.length) {
    const jsonToStdout = values.json && !values['json-file'];
    if (!jsonToStdout) {
      process.stderr.write(`env-audit: ${failing.length} new or grown risk${failing.length === 1 ? '' : 's'} at or above ${failOn}: ${escapeUntrusted(failing.slice(0, 5).join(', '))}${failing.length > 5 ? ', …' : ''}\n`);
    }
    return 1;
  }
  return 0;
}
