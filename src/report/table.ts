// The default terminal output: one row per package worth a look, riskiest first, then a summary.
// Everything that came from a package goes through escapeUntrusted before it is measured,
// truncated or coloured, so a hostile name can neither steer the terminal nor break the layout.
import Table from 'cli-table3';
import type { PackageReport, Report } from '../model.js';
import { paint, paintLevel } from './ansi.js';
import { escapeUntrusted } from './escape.js';
import {
  CAPABILITY_SHORT,
  envNames,
  packageKey,
  plural,
  summarySentence,
  truncate,
} from './util.js';

export interface TableOptions {
  /** list packages at level none too. */
  all?: boolean;
  /** ANSI colour; off means no ESC byte anywhere in the output. */
  color?: boolean;
  /** terminal columns; the table shrinks its wide columns to fit. */
  width?: number;
}

const SECRET_MARK = '*';
// scan --trace: a name the traced command read too, and one only the traced command read
const CONFIRMED_MARK = '✓';
const RUNTIME_ONLY_MARK = '!';
const HEAD = ['Package', 'Level', 'Score', 'Env vars', 'Capabilities', 'Reason'];
const MAX_WARNINGS = 5;

const PACKAGE_MAX = 50;
const ENV_NAMES_MAX = 4;
const ENV_CHARS_MAX = 56;
const REASON_MAX = 80;

function packageCell(pkg: PackageReport): string {
  const label = truncate(escapeUntrusted(packageKey(pkg)), PACKAGE_MAX);
  return pkg.dev ? `${label} (dev)` : label;
}

/**
 * Markers first (the strongest signal, never dropped), then as many names as fit in
 * ENV_CHARS_MAX (secrets first), then "+N more", so a long list is cut between names, not inside one.
 */
function envCell(pkg: PackageReport): string {
  const parts: string[] = [];
  if (pkg.env.bulk) parts.push('[whole env]');
  if (pkg.env.dynamic) parts.push('[dynamic]');
  const names = tracedNames(pkg).map(escapeUntrusted);
  let shown = 0;
  for (const name of names) {
    const rest = names.length - shown - 1;
    const candidate = [...parts, truncate(name, 32)].join(', ') + (rest > 0 ? ` +${rest} more` : '');
    if (shown >= ENV_NAMES_MAX || (shown > 0 && Array.from(candidate).length > ENV_CHARS_MAX)) break;
    parts.push(truncate(name, 32));
    shown++;
  }
  const text = parts.join(', ') + (names.length > shown ? ` +${names.length - shown} more` : '');
  return text || '-';
}

/** envNames, with scan --trace's marks: runtime-only names first (the static analysis missed them). */
function tracedNames(pkg: PackageReport): string[] {
  const names = envNames(pkg, SECRET_MARK);
  if (!pkg.trace) return names;
  const status = new Map(pkg.trace.reads.map((r) => [r.name, r.status]));
  const marked = names.map((n) => {
    const bare = n.endsWith(SECRET_MARK) ? n.slice(0, -SECRET_MARK.length) : n;
    return status.get(bare) === 'confirmed' ? n + CONFIRMED_MARK : n;
  });
  const hidden = pkg.trace.reads.filter((r) => r.status === 'runtime-only').map((r) => r.name + RUNTIME_ONLY_MARK);
  return [...hidden, ...marked];
}

function capabilitiesCell(pkg: PackageReport): string {
  return pkg.capabilities.map((c) => CAPABILITY_SHORT[c] ?? escapeUntrusted(c)).join(', ') || '-';
}

function reasonCell(pkg: PackageReport): string {
  const reason = pkg.reasons[0];
  return reason === undefined ? '-' : truncate(escapeUntrusted(reason), REASON_MAX);
}

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

  const notes: string[] = [];
  if (listed.some((p) => p.effectiveLevel !== undefined && p.effectiveLevel !== p.level)) {
    notes.push('a → b: scanned level a, level b once the allowlist\'s accepted findings are left out (what --fail-on checks).');
  }
  if (hidden > 0) {
    notes.push(`${plural(hidden, 'package')} at level none not listed (--all lists them).`);
  }
  let hint = 'Run "env-audit explain <name>" for evidence.';
  if (listed.some((p) => p.env.secretReads.length > 0)) hint += ` ${SECRET_MARK} = name looks like a secret.`;
  if (report.trace) hint += ` ${CONFIRMED_MARK} = also read during the trace, ${RUNTIME_ONLY_MARK} = read only during the trace.`;
  return table.toString() + '\n' + footer(report, color, notes) + hint + '\n';
}

