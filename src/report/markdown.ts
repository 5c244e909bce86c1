// A pull-request comment (or GitHub step summary): counts, a table of packages at low or above,
// and a collapsed block of evidence per package.
// Package content is hostile until proven otherwise: it goes through escapeUntrusted, then through
// the escaper of the exact Markdown context it lands in (text, table cell, code span, raw HTML),
// so it can never become HTML, a link, an image, a mention or a broken table.
import type { Finding, Level, PackageReport, Report } from '../model.js';
import { escapeUntrusted } from './escape.js';
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
  /** packages listed (tables and details together); the rest are counted. Default 30. */
  maxPackages?: number;
}

const DEFAULT_MAX_PACKAGES = 30;
const MAX_FINDINGS_PER_PACKAGE = 25;
const REASON_MAX = 120;
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

function findingItem(f: Finding): string {
  const where = codeSpan(`${f.file}:${f.line}:${f.column + 1}`);
  const detail = flowText(f) ?? f.detail;
  const parts = [where, `**${escapeMarkdown(f.rule)}**`, escapeMarkdown(truncate(escapeUntrusted(detail), DETAIL_MAX))];
  let item = `- ${parts.join(' · ')}`;
  // Snippets can be a whole minified line; a comment needs only enough to recognise it.
  if (f.snippet) item += ` · ${codeSpan(truncate(escapeUntrusted(f.snippet), SNIPPET_MAX))}`;
  const flags = findingFlags(f);
  if (flags.length) item += ` _(${flags.map((x) => escapeMarkdown(x)).join('; ')})_`;
  return item;
}

function details(pkg: PackageReport): string[] {
  // <details> opens a raw-HTML block that lasts to the next blank line, so the summary is HTML;
  // <code> keeps GitHub from reading "@scope" as a mention.
  const summary = `<code>${escapeHtml(packageKey(pkg))}</code> · ${pkg.level} · score ${Math.round(pkg.score)}`;
  const lines = [`<details><summary>${summary}</summary>`, ''];
  if (pkg.reasons.length) {
    lines.push('**Reasons**', '', ...pkg.reasons.map((r) => `- ${escapeMarkdown(r)}`), '');
  }
  if (pkg.findings.length) {
    const shown = sortFindings(pkg.findings).slice(0, MAX_FINDINGS_PER_PACKAGE);
    lines.push('**Findings**', '', ...shown.map(findingItem));
    if (pkg.findings.length > shown.length) {
      lines.push(`- … ${plural(pkg.findings.length - shown.length, 'more finding')} (run \`env-audit explain\`)`);
    }
    lines.push('');
  }
  if (pkg.paths.length) {
    lines.push('**Dependency paths**', '', ...pkg.paths.map((p) => `- ${p.map((x) => escapeMarkdown(x)).join(' › ')}`), '');
  }
  lines.push('</details>', '');
  return lines;
}

/**
 * The Markdown comment body, ending in a newline. GitHub rejects comments over 65,536
 * characters, so when the listing would not fit, fewer packages are listed (the rest counted).
 */
export function renderMarkdown(report: Report, opts: MarkdownOptions = {}): string {
  let max = Math.max(0, opts.maxPackages ?? DEFAULT_MAX_PACKAGES);
  let md = render(report, opts, max);
  while (md.length > COMMENT_LIMIT && max > 1) {
    max = Math.floor(max / 2);
    md = render(report, opts, max);
  }
  return md;
}

function render(report: Report, opts: MarkdownOptions, max: number): string {
  const risky = report.packages.filter((p) => atOrAbove(p.level, 'low'));
  const isNew = (p: PackageReport) => opts.newOrChanged?.has(packageKey(p)) ?? false;
  const fresh = risky.filter(isNew);
  const rest = risky.filter((p) => !isNew(p));

  const out = [`## ${escapeMarkdown(opts.title ?? 'env-audit')}`, '', escapeMarkdown(summarySentence(report)), ''];
  if (report.warnings?.length) {
    out.push(`${escapeMarkdown(plural(report.warnings.length, 'warning'))} while scanning; see the JSON report.`, '');
  }
  if (risky.length === 0) {
    out.push('No package at level low or above.', '');
    return out.join('\n');
  }

  let budget = max;
  const take = (pkgs: PackageReport[]) => {
    const shown = pkgs.slice(0, budget);
    budget -= shown.length;
    return shown;
  };
  const freshShown = take(fresh);
  const restShown = take(rest);

  if (freshShown.length) {
    out.push('### New or changed risk', '', ...table(freshShown), '', ...freshShown.flatMap(details));
  }
  if (restShown.length) {
    out.push(fresh.length ? '### Other packages at low or above' : '### Packages at low or above', '');
    out.push(...table(restShown), '', ...restShown.flatMap(details));
  }
  const hidden = risky.length - freshShown.length - restShown.length;
  if (hidden > 0) {
    out.push(`… and ${plural(hidden, 'more package')} at low or above; see the full report.`, '');
  }
  if (risky.some((p) => p.env.secretReads.length)) out.push('\\* the name looks like a secret.', '');
  return out.join('\n');
}
