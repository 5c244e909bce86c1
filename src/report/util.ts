// Small pure helpers shared by the output formats: counts, sizes, labels and truncation.
// Nothing here escapes; each format escapes for its own target after escapeUntrusted.
import { LEVELS, levelRank, type Capability, type Finding, type Level, type PackageReport, type Report } from '../model.js';

/** `name@version` (raw: callers escape for their target). */
export function packageKey(pkg: Pick<PackageReport, 'name' | 'version'>): string {
  return `${pkg.name}@${pkg.version}`;
}

export function atOrAbove(level: Level, threshold: Level): boolean {
  return levelRank(level) >= levelRank(threshold);
}

/** 23110 → "23,110" whatever the machine's locale, so output is stable across CI runners. */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Decimal units, as du -h --si and npm do: 187000000 → "187 MB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  const shown = value < 10 ? value.toFixed(1).replace(/\.0$/, '') : String(Math.round(value));
  return `${shown} ${units[unit]}`;
}

/** 4120 → "4.1s", 850 → "850ms", 83000 → "1m 23s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m ${Math.round(s - m * 60)}s`;
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** "0 critical, 2 high, 9 medium, 40 low, 761 none" in level order. */
function levelCounts(byLevel: Record<Level, number>, sep = ', '): string {
  return LEVELS.map((l) => `${formatCount(byLevel[l] ?? 0)} ${l}`).join(sep);
}

/**
 * The one-line summary every human format shows:
 * "812 packages, 23,110 files (187 MB) scanned in 4.1s: 0 critical, ... 3 files could not be parsed."
 */
export function summarySentence(report: Report, sep = ', '): string {
  const s = report.summary;
  let line =
    `${plural(s.packages, 'package')}, ${plural(s.files, 'file')} (${formatBytes(s.bytes)}) ` +
    `scanned in ${formatDuration(s.durationMs)}: ${levelCounts(s.byLevel, sep)}.`;
  if (s.parseErrors > 0) {
    line += ` ${plural(s.parseErrors, 'file')} could not be parsed.`;
  }
  return line;
}

/** Cut to at most `max` characters (code points, so surrogate pairs are never split), ending in "…". */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max <= 1) return '…'.slice(0, Math.max(0, max));
  // Prefer a word boundary when one is near the end, so reasons read naturally.
  let cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  if (space >= Math.floor(max * 0.6)) cut = cut.slice(0, space);
  return cut.replace(/[\s,;:]+$/, '') + '…';
}

/** ["A","B","C","D","E"], 3 → "A, B, C +2 more". */
export function joinLimited(items: string[], max: number): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} +${items.length - max} more`;
}

/** Short names for the table; the long names stay in JSON/SARIF/explain. */
export const CAPABILITY_SHORT: Record<Capability, string> = {
  env: 'env',
  network: 'net',
  child_process: 'proc',
  filesystem_credentials: 'creds',
  eval: 'eval',
  dynamic_require: 'dyn-require',
  obfuscation: 'obfusc',
  install_script: 'install',
};

/**
 * Env names for one package, most telling first so truncation never hides them:
 * secret reads (marked), then the other reads. Markers for bulk/dynamic are added by callers.
 */
export function envNames(pkg: PackageReport, secretMark: string): string[] {
  const secret = new Set(pkg.env.secretReads);
  const secrets = pkg.env.reads.filter((n) => secret.has(n));
  // secretReads should be a subset of reads; show any that are not, rather than lose them.
  for (const n of pkg.env.secretReads) if (!pkg.env.reads.includes(n)) secrets.push(n);
  const others = pkg.env.reads.filter((n) => !secret.has(n));
  return [...secrets.map((n) => n + secretMark), ...others];
}

/** Findings in reading order: by file, then line, then column. Stable for equal positions. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        (a.f.file < b.f.file ? -1 : a.f.file > b.f.file ? 1 : 0) ||
        a.f.line - b.f.line ||
        a.f.column - b.f.column ||
        a.i - b.i,
    )
    .map((x) => x.f);
}

/** The human sentence for a flow: "process.env.NPM_TOKEN (line 4) → https.request body (line 19)". */
export function flowText(finding: Finding): string | undefined {
  const flow = finding.flow;
  if (!flow) return undefined;
  return `${flow.source.detail} (line ${flow.source.line}) → ${flow.sink.detail} (line ${flow.sink.line})`;
}

/** Qualifiers a reviewer needs next to a finding: "(install time)", "(unreachable)", "(expected: …)". */
export function findingFlags(finding: Finding): string[] {
  const flags: string[] = [];
  if (finding.installTime) flags.push('install time');
  if (finding.reachable === false) flags.push('unreachable');
  if (finding.expected) flags.push(finding.expectedReason ? `expected: ${finding.expectedReason}` : 'expected');
  return flags;
}

/** Where the file sits relative to the project root, posix: "node_modules/a/lib/x.js". */
export function projectRelativePath(pkg: Pick<PackageReport, 'location'>, file: string): string {
  const loc = pkg.location.replace(/\\/g, '/').replace(/\/+$/, '');
  const rel = file.replace(/\\/g, '/').replace(/^\.?\/+/, '');
  return loc ? `${loc}/${rel}` : rel;
}
