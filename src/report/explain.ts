// `env-audit explain <name>`: why one package has its level, at human scale. The evidence that
// sets the level comes first (a flow with both ends, or the combination), then the complete score
// ledger, then the findings grouped by rule with counts and the first few locations; `all` lists
// every finding with its snippet, grouped by file.
import type { Finding, PackageReport } from '../model.js';
import { paint, paintLevel } from './ansi.js';
import { escapeUntrusted } from './escape.js';
import { groupByRule, levelEvidence } from './evidence.js';
import {
  envNames,
  findingFlags,
  flowText,
  formatBytes,
  formatCount,
  joinLimited,
  packageKey,
  plural,
  sortFindings,
  truncate,
} from './util.js';

export interface ExplainOptions {
  color?: boolean;
  /** every finding and reason, not the first few of each rule. */
  all?: boolean;
}

/** Locations shown per rule, and reasons shown, without `all`. */
const FIRST_LOCATIONS = 3;
const FIRST_REASONS = 5;
const FIRST_NAMES = 30;

const INDENT = '  ';
const SNIPPET_MAX = 240;
const e = escapeUntrusted;

function header(pkg: PackageReport, color: boolean | undefined): string[] {
  const flags = [pkg.dev && 'dev', pkg.optional && 'optional', pkg.peer && 'peer'].filter(Boolean) as string[];
  const lines = [
    `${paint(color, e(packageKey(pkg)), 'bold')}  ${paintLevel(color, pkg.level, pkg.level.toUpperCase())}  score ${Math.round(pkg.score)}/100`,
    `location: ${e(pkg.location) || '(root)'}${flags.length ? `  (${flags.join(', ')})` : ''}`,
  ];
  // the lockfile's value: what npm checked the tarball against at install, not a check of these files
  if (pkg.integrity) lines.push(`integrity (as the lockfile records it; not verified against the installed files): ${e(pkg.integrity)}`);
  if (pkg.files !== undefined) {
    lines.push(`scanned: ${plural(pkg.files, 'file')}${pkg.bytes !== undefined ? ` (${formatBytes(pkg.bytes)})` : ''}`);
  }
  return lines;
}

function section(title: string, color: boolean | undefined, body: string[]): string[] {
  return body.length ? ['', paint(color, title, 'bold'), ...body] : [];
}

function envSection(pkg: PackageReport, all: boolean | undefined): string[] {
  const lines: string[] = [];
  const names = (list: string[]) => (all ? list.map(e).join(', ') : joinLimited(list.map(e), FIRST_NAMES));
  if (pkg.env.reads.length || pkg.env.secretReads.length) {
    lines.push(`${INDENT}reads: ${names(envNames(pkg, ' (secret)'))}`);
  }
  if (pkg.env.writes.length) lines.push(`${INDENT}writes: ${names(pkg.env.writes)}`);
  if (pkg.env.bulk) lines.push(`${INDENT}reads the whole environment`);
  if (pkg.env.dynamic) lines.push(`${INDENT}reads keys computed at run time`);
  return lines;
}

/** scan --trace: the static claims next to what the traced command did. */
function traceSection(pkg: PackageReport): string[] {
  const t = pkg.trace;
  if (!t) return [];
  if (!t.seen && t.reads.length === 0 && t.capabilities.length === 0) return [`${INDENT}nothing recorded for this package during the trace`];
  const counted = (x: { name: string; status: string; count?: number }): string =>
    `${e(x.name)} ${x.status}${x.count !== undefined ? ` (${x.count}×)` : ''}`;
  const lines: string[] = [];
  if (!t.seen) lines.push(`${INDENT}the package did nothing the recorder sees during the trace (its code may not have run)`);
  if (t.reads.length) lines.push(`${INDENT}reads: ${t.reads.map(counted).join(', ')}`);
  if (t.writes.length) lines.push(`${INDENT}writes: ${t.writes.map(counted).join(', ')}`);
  if (t.bulk) lines.push(`${INDENT}whole environment: ${t.bulk}`);
  for (const c of t.capabilities) lines.push(`${INDENT}${c.capability}: ${c.status}${c.apis.length ? ` (${c.apis.map(e).join(', ')})` : ''}`);
  return lines;
}

function breakdownSection(pkg: PackageReport): string[] {
  const items = pkg.scoreBreakdown ?? [];
  if (items.length === 0) return [];
  const width = Math.max(...items.map((i) => formatPoints(i.points).length));
  const lines = items.map((i) => {
    const where = i.line > 0 ? `${e(i.file)}:${i.line}` : e(i.file);
    return `${INDENT}${formatPoints(i.points).padStart(width)}  ${e(i.reason)}${where ? `  → ${where}` : ''}`;
  });
  const sum = items.reduce((s, i) => s + i.points, 0);
  const total = Math.round(pkg.score);
  lines.push(`${INDENT}${'='.padStart(width)}  ${total}${Math.round(sum) !== total ? ` (points add up to ${Math.round(sum)}; the score is capped to 0..100)` : ''}`);
  return lines;
}

function formatPoints(points: number): string {
  const n = Math.round(points * 10) / 10;
  return n >= 0 ? `+${n}` : String(n);
}

function findingLine(f: Finding, color: boolean | undefined): string[] {
  // Columns are shown 1-based, as editors and terminals expect in file:line:column links;
  // the JSON keeps acorn's 0-based column.
  const where = `${e(f.file)}:${f.line}:${f.column + 1}`;
  const detail = flowText(f) ?? f.detail;
  const flags = findingFlags(f).map((x) => `(${e(x)})`);
  const lines = [
    `${INDENT}${where}  ${paint(color, f.rule, 'bold')}  ${e(detail)}${flags.length ? '  ' + flags.join(' ') : ''}`,
  ];
  if (f.message) lines.push(`${INDENT}${INDENT}${INDENT}${e(f.message)}`);
  // A snippet can be a whole minified line; a terminal needs only enough to recognise it.
  if (f.snippet) lines.push(`${INDENT}${INDENT}${INDENT}${paint(color, truncate(e(f.snippet), SNIPPET_MAX), 'dim')}`);
  return lines;
}

function whySection(pkg: PackageReport, color: boolean | undefined): string[] {
  const evidence = levelEvidence(pkg);
  if (!evidence.findings.length) return [];
  return evidence.findings.flatMap((f) => findingLine(f, color));
}

/** Each rule once, with its count and first locations (the level-setting rules first). */
function byRuleSection(pkg: PackageReport, color: boolean | undefined): string[] {
  const first = levelEvidence(pkg).findings.map((f) => f.rule);
  const lines: string[] = [];
  for (const g of groupByRule(pkg.findings, first)) {
    lines.push(`${INDENT}${paint(color, g.rule, 'bold')} (${g.count})`);
    for (const f of g.findings.slice(0, FIRST_LOCATIONS)) {
      const flags = findingFlags(f).map((x) => `(${e(x)})`);
      lines.push(`${INDENT}${INDENT}${e(f.file)}:${f.line}:${f.column + 1}  ${e(truncate(flowText(f) ?? f.detail, SNIPPET_MAX))}${flags.length ? '  ' + flags.join(' ') : ''}`);
    }
    if (g.count > FIRST_LOCATIONS) lines.push(`${INDENT}${INDENT}… ${formatCount(g.count - FIRST_LOCATIONS)} more (--all lists every finding)`);
  }
  return lines;
}

function reasonsSection(pkg: PackageReport, all: boolean | undefined): string[] {
  const shown = all ? pkg.reasons : pkg.reasons.slice(0, FIRST_REASONS);
  const lines = shown.map((r) => `${INDENT}- ${e(r)}`);
  if (shown.length < pkg.reasons.length) lines.push(`${INDENT}… ${plural(pkg.reasons.length - shown.length, 'more reason')} (--all)`);
  return lines;
}

function findingsSection(pkg: PackageReport, color: boolean | undefined): string[] {
  // Grouped by file: a blank line between files; each line keeps its full file:line:column so
  // it can be clicked or copied on its own.
  const lines: string[] = [];
  let file: string | undefined;
  for (const f of sortFindings(pkg.findings)) {
    if (file !== undefined && f.file !== file) lines.push('');
    file = f.file;
    lines.push(...findingLine(f, color));
  }
  return lines;
}

/** Everything known about one package, as plain text (ANSI colour only with opts.color). */
export function renderExplain(pkg: PackageReport, opts: ExplainOptions = {}): string {
  const { color, all } = opts;
  const lines = [
    ...header(pkg, color),
    ...section('Reasons', color, reasonsSection(pkg, all)),
    ...section(`Why ${pkg.level}: the evidence that sets the level`, color, pkg.level === 'none' ? [] : whySection(pkg, color)),
    ...section('Score', color, breakdownSection(pkg)),
    ...section('Environment', color, envSection(pkg, all)),
    ...section('Capabilities', color, pkg.capabilities.length ? [INDENT + pkg.capabilities.map(e).join(', ')] : []),
    ...section('Static analysis vs. run time (--trace)', color, traceSection(pkg)),
    ...(all
      ? section(`Findings (${pkg.findings.length})`, color, findingsSection(pkg, color))
      : section(`Findings (${pkg.findings.length}) by rule`, color, byRuleSection(pkg, color))),
    ...section('Dependency paths', color, pkg.paths.map((p) => `${INDENT}${p.map(e).join(' > ')}`)),
    ...section('Warnings', color, (pkg.warnings ?? []).map((w) => `${INDENT}- ${e(w)}`)),
  ];
  if (pkg.findings.length === 0) lines.push('', 'No findings in the files that were scanned.');
  return lines.join('\n') + '\n';
}
