// A pull-request comment (or GitHub step summary): counts, a table of every package at medium or
// above, and a collapsed block of evidence per package (the level-setting evidence first).
// Package content is hostile until proven otherwise: it goes through escapeUntrusted, then through
// the escaper of the exact Markdown context it lands in (text, table cell, code span, raw HTML),
// so it can never become HTML, a link, an image, a mention or a broken table.
import type { Finding, Level, PackageReport, Report } from '../model.js';
import { escapeUntrusted } from './escape.js';
import { groupByRule, levelEvidence } from './evidence.js';
import {
  CAPABILITY_SHORT,
  atOrAbove,
  envNames,
  findingFlags,
  flowText,
  joinLimited,
  packageKey,
  plural,
  sortFindings,
  summarySentence,
  truncate,
} from './util.js';

export interface MarkdownOptions {
  title?: string;
  /** `name@version` keys listed first, under "New or changed risk". */
  newOrChanged?: Set<string>;
  /** the lowest level listed (default medium); packages below it are counted. */
  minLevel?: Level;
}

/** Findings shown per package, tried in turn until the comment fits. */
const FINDINGS_STEPS = [25, 10, 3, 0];
const REASON_MAX = 120;
const MAX_REASONS = 5;
const DETAIL_MAX = 200;
const SNIPPET_MAX = 160;
/** Below GitHub's 65,536-character comment limit, with room for a caller's header or footer. */
const COMMENT_LIMIT = 60_000;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Inline Markdown text (paragraphs, list items, table cells with `table`). Characters that can
 * start Markdown syntax are backslash-escaped ('|' too, which GFM honours inside table cells;
 * '(' is harmless once '[' is escaped); '&', '<', '>' become entities so nothing can open an HTML
 * tag or an autolink; ':' is escaped so GFM cannot autolink "http://…", and "www." loses its
 * trigger the same way. "@name" and "#123" tokens go into code spans, where GitHub neither
 * @mentions, links issues nor autolinks e-mail addresses (it does all three in plain text, even
 * after a backslash escape, because it works on the rendered text).
 */
export function escapeMarkdown(text: string, opts: { table?: boolean } = {}): string {
  const parts = escapeUntrusted(text).split(/(@[A-Za-z0-9][\w./-]*|#\d+\b|\bGH-\d+\b)/i);
  const out = parts
    .map((part, i) => (i % 2 === 1 ? codeSpan(part, opts) : escapeInline(part)))
    .join('');
  // Only at the start can these open a list, a heading-like block or an ordered list. Leading
  // spaces go first: four make an indented code block, and after one a list marker still counts
  // (rendered Markdown drops leading spaces anyway).
  return out.replace(/^ +/, '').replace(/^([-+=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}

function escapeInline(safe: string): string {
  return safe
    .replace(/[\\`*_[\]#|~:@$<>&"]/g, (ch) => ENTITIES[ch] ?? '\\' + ch)
    .replace(/(w{3})\./gi, '$1\\.');
}

/** Text inside raw HTML (our <summary>): Markdown is not parsed there, so entities only. */
export function escapeHtml(text: string): string {
  return escapeUntrusted(text).replace(/[&<>"']/g, (ch) => ENTITIES[ch]);
}

/**
 * An inline code span that shows `text` literally: the fence is one backtick longer than the
 * longest run inside, padded with spaces when the text starts or ends with a backtick. In a table
 * cell '|' must still be escaped (GFM splits cells before it parses code spans, and turns "\\|"
 * back into "|" inside them). A pipe after an odd run of backslashes in the text would end up after
 * an even one, which GFM (GitHub and marked alike) splits on, leaving the rest of the text outside
 * the code span: the backslashes before a pipe are doubled, so its escape always stands.
 */
export function codeSpan(text: string, opts: { table?: boolean } = {}): string {
  let safe = escapeUntrusted(text);
  if (safe === '') return '';
  if (opts.table) safe = safe.replace(/(\\*)\|/g, (_, slashes: string) => `${slashes}${slashes}\\|`);
  const longest = Math.max(0, ...Array.from(safe.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = safe.startsWith('`') || safe.endsWith('`') || /^ .* $/.test(safe) ? ' ' : '';
  return `${fence}${pad}${safe}${pad}${fence}`;
}

const LEVEL_BADGE: Record<Level, string> = {
  critical: '🔴 critical',
  high: '🟠 high',
  medium: '🟡 medium',
  low: '🔵 low',
  none: '⚪ none',
};

function tableRow(pkg: PackageReport): string {
  const markers = [pkg.env.bulk && '[whole env]', pkg.env.dynamic && '[dynamic]'].filter(Boolean) as string[];
  const names = envNames(pkg, '*');
  const env = [...markers, joinLimited(names, 6)].filter(Boolean).join(', ');
  const cells = [
    codeSpan(packageKey(pkg), { table: true }) + (pkg.dev ? ' (dev)' : ''),
    LEVEL_BADGE[pkg.level],
    String(Math.round(pkg.score)),
    env ? escapeMarkdown(env, { table: true }) : '–',
    pkg.capabilities.map((c) => CAPABILITY_SHORT[c] ?? escapeMarkdown(c, { table: true })).join(', ') || '–',
    pkg.reasons[0] ? escapeMarkdown(truncate(escapeUntrusted(pkg.reasons[0]), REASON_MAX), { table: true }) : '–',
  ];
  return `| ${cells.join(' | ')} |`;
}

function table(pkgs: PackageReport[]): string[] {
  return [
    '| Package | Level | Score | Env vars | Capabilities | Reason |',
    '| --- | --- | ---: | --- | --- | --- |',
    ...pkgs.map(tableRow),
  ];
}

function findingItem(f: Finding, withSnippet = true): string {
  const where = codeSpan(`${f.file}:${f.line}:${f.column + 1}`);
  const detail = flowText(f) ?? f.detail;
  const parts = [where, `**${escapeMarkdown(f.rule)}**`, escapeMarkdown(truncate(escapeUntrusted(detail), DETAIL_MAX))];
  let item = `- ${parts.join(' · ')}`;
  // Snippets can be a whole minified line; a comment needs only enough to recognise it.
  if (withSnippet && f.snippet) item += ` · ${codeSpan(truncate(escapeUntrusted(f.snippet), SNIPPET_MAX))}`;
  const flags = findingFlags(f);
  if (flags.length) item += ` _(${flags.map((x) => escapeMarkdown(x)).join('; ')})_`;
  return item;
}

function details(pkg: PackageReport, maxFindings: number): string[] {
  // <details> opens a raw-HTML block that lasts to the next blank line, so the summary is HTML;
  // <code> keeps GitHub from reading "@scope" as a mention.
  const summary = `<code>${escapeHtml(packageKey(pkg))}</code> · ${pkg.level} · score ${Math.round(pkg.score)}`;
  const lines = [`<details><summary>${summary}</summary>`, ''];
  // the smallest budget (0) still says why and where: one reason, the deciding finding, one path
  const compact = maxFindings === 0;
  const maxReasons = compact ? 1 : MAX_REASONS;
  if (pkg.reasons.length) {
    const reasons = pkg.reasons.slice(0, maxReasons).map((r) => `- ${escapeMarkdown(truncate(escapeUntrusted(r), DETAIL_MAX))}`);
    if (pkg.reasons.length > maxReasons) reasons.push(`- … ${plural(pkg.reasons.length - maxReasons, 'more reason')}`);
    lines.push('**Reasons**', '', ...reasons, '');
  }
  if (pkg.findings.length) {
    // the evidence that sets the level first, then the rest in reading order
    const first = levelEvidence(pkg).findings;
    const ordered = [...first, ...sortFindings(pkg.findings).filter((f) => !first.includes(f))];
    const shown = ordered.slice(0, compact ? 1 : Math.max(maxFindings, Math.min(first.length, 3)));
    const counts = groupByRule(pkg.findings).map((g) => `${g.rule} ${g.count}`).join(', ');
    lines.push(`**Findings** (${escapeMarkdown(counts)})`, '', ...shown.map((f) => findingItem(f, !compact)));
    if (pkg.findings.length > shown.length) {
      lines.push(`- … ${plural(pkg.findings.length - shown.length, 'more finding')} (run \`env-audit explain\`)`);
    }
    lines.push('');
  }
  const paths = compact ? pkg.paths.slice(0, 1) : pkg.paths;
  if (paths.length) {
    lines.push('**Dependency paths**', '', ...paths.map((p) => `- ${p.map((x) => escapeMarkdown(x)).join(' › ')}`), '');
  }
  lines.push('</details>', '');
  return lines;
}

interface Budget {
  /** findings per package in the details. */
  findings: number;
  /** packages with a details block. */
  details: number;
  /** table rows. */
  rows: number;
}

/**
 * The Markdown comment body, ending in a newline. Every package at or above the listed level is
 * in a table. GitHub rejects comments over 65,536 characters, so when everything would not fit,
 * the details show fewer findings, then fewer packages get details, and only then are table rows
 * cut (the rest counted).
 */
export function renderMarkdown(report: Report, opts: MarkdownOptions = {}): string {
  const n = report.packages.length;
  const budgets: Budget[] = FINDINGS_STEPS.map((findings) => ({ findings, details: n, rows: n }));
  for (let d = Math.floor(n / 2); d >= 1; d = Math.floor(d / 2)) budgets.push({ findings: 0, details: d, rows: n });
  for (let r = n; r >= 1; r = Math.floor(r / 2)) budgets.push({ findings: 0, details: 0, rows: r });
  let md = '';
  for (const b of budgets) {
    md = render(report, opts, b);
    if (md.length <= COMMENT_LIMIT) break;
  }
  return md;
}

function render(report: Report, opts: MarkdownOptions, budget: Budget): string {
  const minLevel = opts.minLevel ?? 'medium';
  const isNew = (p: PackageReport) => opts.newOrChanged?.has(packageKey(p)) ?? false;
  // new or changed risk is listed whatever its level: it is what the gate looked at
  const listed = report.packages.filter((p) => atOrAbove(p.level, minLevel) || isNew(p));
  const below = report.packages.filter((p) => !listed.includes(p) && p.level !== 'none').length;
  const fresh = listed.filter(isNew);
  const rest = listed.filter((p) => !isNew(p));

  const out = [`## ${escapeMarkdown(opts.title ?? 'env-audit')}`, '', escapeMarkdown(summarySentence(report)), ''];
  if (report.warnings?.length) {
    out.push(`${escapeMarkdown(plural(report.warnings.length, 'warning'))} while scanning; see the JSON report.`, '');
  }
  if (listed.length === 0) {
    out.push(`No package at level ${minLevel} or above.`, '');
    if (below) out.push(`${plural(below, 'package')} below ${minLevel} (see the JSON report).`, '');
    return out.join('\n');
  }

  let rows = budget.rows;
  let detailed = budget.details;
  const section = (heading: string, pkgs: PackageReport[]) => {
    const shown = pkgs.slice(0, rows);
    rows -= shown.length;
    if (!shown.length) return;
    const withDetails = shown.slice(0, detailed);
    detailed -= withDetails.length;
    out.push(heading, '', ...table(shown), '', ...withDetails.flatMap((p) => details(p, budget.findings)));
    if (withDetails.length < shown.length) out.push(`Details of ${plural(shown.length - withDetails.length, 'more package')} left out to fit; run \`env-audit explain <name>\`.`, '');
  };
  section('### New or changed risk', fresh);
  section(fresh.length ? `### Other packages at ${minLevel} or above` : `### Packages at ${minLevel} or above`, rest);
  const hidden = listed.length - Math.min(listed.length, budget.rows);
  if (hidden > 0) out.push(`… and ${plural(hidden, 'more package')} at ${minLevel} or above; see the full report.`, '');
  if (below) out.push(`${plural(below, 'package')} below ${minLevel} not listed (see the JSON report).`, '');
  if (listed.some((p) => p.env.secretReads.length)) out.push('\\* the name looks like a secret.', '');
  return out.join('\n');
}
