// Byte-level checks of what env-audit writes, for the hostile tests. The rule: no byte or
// character that can steer a terminal, a log viewer or a Markdown renderer, or hide text, may come
// from package content. Line feeds are ours. ESC is allowed only as our own SGR colour sequences
// (ESC [ digits/semicolons m), and only where colour was asked for.
import fs from 'node:fs';
import path from 'node:path';
import { marked } from 'marked';
import { allTokens, OUR_HTML } from '../report/markdown-tokens.js';

/** escape.ts's UNSAFE set, minus LF: C0 and C1 controls, DEL, soft hyphen, bidi marks, overrides and isolates, zero-width characters, line/paragraph separators, BOM, interlinear annotations. */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;
const SGR = /\u001b\[[0-9;]*m/g;

function context(text: string, at: number): string {
  return JSON.stringify(text.slice(Math.max(0, at - 50), at + 30));
}

/**
 * Problems with one output: raw unsafe characters (up to 5, with context). With `sgr`, ESC may
 * start a colour sequence and nothing else. The bytes are checked too, since decoding would turn
 * invalid UTF-8 into U+FFFD and hide it.
 */
export function outputProblems(name: string, bytes: Buffer | string, opts: { sgr?: boolean } = {}): string[] {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const out: string[] = [];
  const text = buf.toString('utf8');
  if (Buffer.compare(Buffer.from(text, 'utf8'), buf) !== 0) out.push(`${name}: not valid UTF-8`);
  if (opts.sgr) {
    for (let i = text.indexOf('\x1b'); i >= 0; i = text.indexOf('\x1b', i + 1)) {
      if (!/^\u001b\[[0-9;]*m/.test(text.slice(i, i + 16))) {
        out.push(`${name}: ESC that does not start a colour sequence at ${context(text, i)}`);
        if (out.length >= 5) return out;
      }
    }
  }
  const plain = opts.sgr ? text.replace(SGR, '') : text;
  for (const m of plain.matchAll(UNSAFE)) {
    out.push(`${name}: raw U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${context(plain, m.index)}`);
    if (out.length >= 5) break;
  }
  return out;
}

/** Every regular file under dir (following no links; unreadable folders left out), for grepping caches and output folders. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out; // missing, mode 000, or a path over PATH_MAX
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Which of the markers occur in which of the named texts: [] when none does. */
export function markerHits(markers: string[], texts: Record<string, Buffer | string>): string[] {
  const hits: string[] = [];
  for (const [name, t] of Object.entries(texts)) {
    const s = typeof t === 'string' ? t : t.toString('latin1');
    for (const m of markers) if (s.includes(m)) hits.push(`${m} in ${name}`);
  }
  return hits;
}


const MARKDOWN_ELEMENTS = new Set(['h2', 'h3', 'p', 'ul', 'li', 'strong', 'em', 'code', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'details', 'summary']);

/**
 * Problems with a Markdown comment as a renderer sees it (marked, GFM): no link, no image, no raw
 * HTML but ours, and in the rendered HTML no element Markdown does not make itself, no attribute
 * (package text inside code spans is fine: it renders as text).
 */
export function markdownProblems(name: string, md: string): string[] {
  const out: string[] = [];
  for (const t of allTokens(marked.lexer(md))) {
    if (t.type === 'link' || t.type === 'image') out.push(`${name}: ${t.type} ${JSON.stringify(t.raw.slice(0, 120))}`);
    if (t.type === 'html' && !OUR_HTML.test(t.raw)) out.push(`${name}: raw HTML ${JSON.stringify(t.raw.slice(0, 120))}`);
  }
  const html = marked.parse(md, { async: false });
  for (const m of html.matchAll(/<\/?([A-Za-z][\w-]*)([^>]*)>/g)) {
    if (!MARKDOWN_ELEMENTS.has(m[1].toLowerCase())) out.push(`${name}: element ${JSON.stringify(m[0].slice(0, 120))}`);
    else if (!/^(\s+align="(left|right|center)")?\s*$/.test(m[2])) out.push(`${name}: attributes in ${JSON.stringify(m[0].slice(0, 120))}`);
  }
  return out.slice(0, 10);
}
