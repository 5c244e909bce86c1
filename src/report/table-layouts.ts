// The two terminal layouts besides the bordered table: a compact one for terminals under 100
// columns (every line cut to the width, so nothing wraps), and one stable line per package when
// the output is piped (for grep, logs and diffs: no borders, no wrapping, no width guessing).
import type { PackageReport } from '../model.js';
import { paint, paintLevel } from './ansi.js';
import { capabilitiesCell, envCell, packageCell, reasonCell } from './table-cells.js';
import { truncate } from './util.js';

const INDENT = '    ';

// East Asian wide and fullwidth ranges take two terminal columns; combining marks take none.
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{1f300}-\u{1faff}\u{20000}-\u{3fffd}]/u;
// eslint-disable-next-line no-misleading-character-class -- a class of combining marks is the point: they take no column
const ZERO = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/u;

/** Terminal columns a string takes (no ESC sequences expected: colour is added after cutting). */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += ZERO.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1;
  return w;
}

/** Cut `text` to at most `width` terminal columns, ending in "…" when cut. */
function fitWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = ZERO.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1;
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return out + '…';
}

function levelLabel(p: PackageReport): string {
  return p.effectiveLevel !== undefined && p.effectiveLevel !== p.level ? `${p.level}→${p.effectiveLevel}` : p.level;
}

/**
 * Two lines per package, each cut to `width`:
 *   critical  96  evil-pkg@1.0.0 [new] · proc, net, env
 *       [whole env], NPM_TOKEN* +2 more — the whole environment flows into https.request …
 */
export function renderCompact(listed: PackageReport[], color: boolean | undefined, width: number): string {
  const w = Math.max(20, width);
  const lines: string[] = [];
  for (const p of listed) {
    const head = fitWidth(`${levelLabel(p).padEnd(8)} ${String(Math.round(p.score)).padStart(3)}  ${packageCell(p)} · ${capabilitiesCell(p)}`, w);
    const level = levelLabel(p);
    const shown = head.startsWith(level) ? paintLevel(color, p.effectiveLevel ?? p.level, level) + head.slice(level.length) : head;
    lines.push(p.level === 'critical' ? paint(color, shown, 'bold') : shown);
    const env = envCell(p, Math.floor(w / 2));
    lines.push(fitWidth(`${INDENT}${env === '-' ? '' : `${env} — `}${reasonCell(p, w * 2)}`, w));
  }
  return lines.join('\n') + '\n';
}

/** One tab-free line per package, fields in a fixed order, each bounded (colour only if forced). */
export function renderLines(listed: PackageReport[], color: boolean | undefined): string {
  return listed
    .map((p) => [`${paintLevel(color, p.effectiveLevel ?? p.level, levelLabel(p).padEnd(8))} ${String(Math.round(p.score)).padStart(3)}`, packageCell(p), `env: ${envCell(p, 60)}`, `caps: ${capabilitiesCell(p)}`, truncate(reasonCell(p, 100), 100)].join('  '))
    .join('\n') + '\n';
}

/** Word-wrap each line of `text` to `width` columns (a word longer than a line is cut). */
export function wrapText(text: string, width: number): string {
  const w = Math.max(20, width);
  const out: string[] = [];
  for (const line of text.split('\n')) {
    let cur = '';
    for (const word of line.split(' ')) {
      const next = cur ? `${cur} ${word}` : word;
      if (displayWidth(next) <= w) cur = next;
      else {
        if (cur) out.push(cur);
        cur = fitWidth(word, w);
      }
    }
    out.push(cur);
  }
  return out.join('\n');
}
