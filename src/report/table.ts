// The default terminal output: one row per package worth a look, riskiest first, then a summary.
// Everything that came from a package goes through escapeUntrusted before it is measured,
// truncated or coloured, so a hostile name can neither steer the terminal nor break the layout.
import Table from 'cli-table3';
import type { PackageReport, Report } from '../model.js';
import { paint, paintLevel } from './ansi.js';
import { escapeUntrusted } from './escape.js';
import { capabilitiesCell, CONFIRMED_MARK, envCell, packageCell, reasonCell, RUNTIME_ONLY_MARK, SECRET_MARK } from './table-cells.js';
import { renderCompact, renderLines, wrapText } from './table-layouts.js';
import { plural, summarySentence } from './util.js';

export interface TableOptions {
  /** list packages at level none too. */
  all?: boolean;
  /** ANSI colour; off means no ESC byte anywhere in the output. */
  color?: boolean;
  /** terminal columns; the table shrinks its wide columns to fit, and under 100 it is compact. */
  width?: number;
  /** 'lines' (one line per package, for pipes); default: 'compact' under 100 columns, else 'table'. */
  layout?: 'table' | 'compact' | 'lines';
}

/** Below this many columns a bordered six-column table cannot show a reason: go compact. */
const COMPACT_BELOW = 100;

const HEAD = ['Package', 'Level', 'Score', 'Env vars', 'Capabilities', 'Reason'];
const MAX_WARNINGS = 5;

function widest(cells: string[]): number {
  return Math.max(...cells.map((c) => Array.from(c).length));
}

/**
 * Column widths for a terminal `width` columns wide, or undefined to let cli-table3 size to
 * content. Package, level and score keep their width; env, capabilities and reason share the
 * rest and wrap between words (cli-table3's wordWrap).
 */
function fitColumns(rows: string[][], width: number | undefined): number[] | undefined {
  if (!width || width <= 0) return undefined;
  const natural = HEAD.map((h, c) => widest([h, ...rows.map((r) => r[c])]));
  const pad = 2; // cli-table3's default one space each side, counted in colWidths
  const chrome = HEAD.length + 1; // the vertical borders
  const total = natural.reduce((a, b) => a + b + pad, chrome);
  if (total <= width) return undefined;
  const fixed = [Math.min(natural[0], 40), natural[1], natural[2]];
  let room = width - chrome - pad * HEAD.length - fixed.reduce((a, b) => a + b, 0);
  const caps = Math.min(natural[4], Math.max(12, Math.floor(room * 0.25)));
  room -= caps;
  const env = Math.min(natural[3], Math.max(14, Math.floor(room * 0.45)));
  room -= env;
  const reason = Math.max(16, room);
  return [...fixed, env, caps, reason].map((w) => w + pad);
}

function footer(report: Report, color: boolean | undefined, lines: string[]): string {
  const out = [...lines, summarySentence(report)];
  const absent = report.notInstalled ?? [];
  if (absent.length) {
    const names = absent.slice(0, 5).map((n) => escapeUntrusted(`${n.name}${n.version ? `@${n.version}` : ''}`)).join(', ');
    out.push(`Not installed for this platform (not scanned): ${names}${absent.length > 5 ? `, … ${absent.length - 5} more` : ''}.`);
  }
  const warnings = report.warnings ?? [];
  for (const w of warnings.slice(0, MAX_WARNINGS)) out.push(paint(color, 'warning: ', 'yellow') + escapeUntrusted(w));
  if (warnings.length > MAX_WARNINGS) {
    out.push(`… and ${plural(warnings.length - MAX_WARNINGS, 'more warning')} (see the JSON report).`);
  }
  return out.join('\n') + '\n';
}

/** The terminal table: packages above level none (all with `all`), riskiest first, and a summary. */
export function renderTable(report: Report, opts: TableOptions = {}): string {
  const { color } = opts;
  const listed = opts.all ? report.packages : report.packages.filter((p) => p.level !== 'none');
  const hidden = report.packages.length - listed.length;

  if (listed.length === 0) {
    const sentence =
      report.packages.length === 0
        ? 'No packages were scanned.'
        : `No risky package found: all ${plural(report.packages.length, 'package')} ${report.packages.length === 1 ? 'is' : 'are'} at level none.`;
    return footer(report, color, [paint(color, sentence, 'bold')]);
  }

  const layout = opts.layout ?? (opts.width && opts.width < COMPACT_BELOW ? 'compact' : 'table');
  const notes = tableNotes(listed, hidden);
  const hint = hintLine(listed, !!report.trace);
  if (layout === 'compact') {
    // colour goes on after wrapping would split an SGR sequence: the compact footer is plain
    return renderCompact(listed, color, opts.width ?? 80) + wrapText(footer(report, false, notes) + hint, opts.width ?? 80) + '\n';
  }
  if (layout === 'lines') return renderLines(listed, color) + footer(report, color, notes) + hint + '\n';

  // With an allowlist, the level the gate checks can be lower than the scanned one: show both.
  const levelCell = (p: PackageReport): string =>
    p.effectiveLevel !== undefined && p.effectiveLevel !== p.level ? `${p.level} → ${p.effectiveLevel}` : p.level;
  const rows = listed.map((p) => [
    packageCell(p),
    levelCell(p),
    String(Math.round(p.score)),
    envCell(p),
    capabilitiesCell(p),
    reasonCell(p),
  ]);
  const colWidths = fitColumns(rows, opts.width);
  const table = new Table({
    head: HEAD.map((h) => paint(color, h, 'bold')),
    // cli-table3 colours heads and borders itself unless told not to; we colour what we mean to.
    style: { head: [], border: [] },
    colAligns: ['left', 'left', 'right', 'left', 'left', 'left'],
    ...(colWidths ? { colWidths, wordWrap: true } : {}),
  });
  listed.forEach((pkg, i) => {
    const row = rows[i];
    row[1] = paintLevel(color, pkg.effectiveLevel ?? pkg.level, row[1]);
    if (pkg.level === 'critical') row[0] = paint(color, row[0], 'bold');
    table.push(row);
  });

  // a fixed width (a terminal) wraps the footer too; colour would be split by wrapping
  const tail = opts.width ? wrapText(footer(report, false, notes) + hint, opts.width) : footer(report, color, notes) + hint;
  return table.toString() + '\n' + tail + '\n';
}

function tableNotes(listed: PackageReport[], hidden: number): string[] {
  const notes: string[] = [];
  if (listed.some((p) => p.effectiveLevel !== undefined && p.effectiveLevel !== p.level)) {
    notes.push('a → b: scanned level a, level b once the allowlist\'s accepted findings are left out (what --fail-on checks).');
  }
  if (listed.some((p) => p.baseline === 'new' || p.baseline === 'changed')) {
    notes.push('[new], [changed]: not in the baseline, or riskier than it recorded.');
  }
  if (hidden > 0) {
    notes.push(`${plural(hidden, 'package')} at level none not listed (--all lists them).`);
  }
  return notes;
}

function hintLine(listed: PackageReport[], traced: boolean): string {
  let hint = 'Run "env-audit explain <name>" for evidence.';
  if (listed.some((p) => p.env.secretReads.length > 0)) hint += ` ${SECRET_MARK} = name looks like a secret.`;
  if (traced) hint += ` ${CONFIRMED_MARK} = also read during the trace, ${RUNTIME_ONLY_MARK} = read only during the trace.`;
  return hint;
}
