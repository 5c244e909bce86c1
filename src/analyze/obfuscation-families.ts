// Obfuscator families by what can be measured in the text, not by one tool's naming habits:
// - the classic encoders, whose whole program is written in a tiny alphabet: JSFuck (`[]()!+`),
//   jjencode (`$=~[];$={___:++$,…`), aaencode (Japanese emoticons `ﾟωﾟﾉ= /｀ｍ´）ﾉ ~┻━┻`);
// - Trojan Source (CVE-2021-42574): a bidirectional override or isolate left open inside a comment
//   or string, so the line a reviewer reads is not the line the parser sees; and invisible
//   characters (zero-width joiners, Hangul fillers) inside identifiers, which make two names that
//   look the same differ.
// A minifier or bundler produces none of these. Pure functions of the source text.
import { tokenizer, type Comment } from 'acorn';

export interface FamilySignal {
  family: 'JSFuck' | 'jjencode' | 'aaencode' | 'Trojan Source';
  /** offset in the source where it shows. */
  offset: number;
  detail: string;
}

const MIN_ENCODED = 200;

/** A whole program (or a long run of it) written in an encoder's alphabet. */
export function encoderFamily(code: string): FamilySignal | null {
  // the identifier is anchored at its start: unanchored, `[\w$]+` backtracks through every long
  // name of a big file (seconds on a 270 KB bundle)
  const jj = /=\s*~\s*\[\s*\]/.test(code) ? /(?<![\w$])([\w$]+)\s*=\s*~\s*\[\s*\]\s*;\s*\1\s*=\s*\{\s*___\s*:\s*\+\+\s*\1\s*,/.exec(code) : null;
  if (jj) return { family: 'jjencode', offset: jj.index, detail: 'jjencode (a program spelled with $, _ and symbols)' };
  const aa = /ﾟωﾟﾉ\s*=\s*\/｀ｍ´）ﾉ\s*~┻━┻\s*\/|\(ﾟДﾟ\)\s*\[\s*ﾟεﾟ\s*\]/.exec(code);
  if (aa) return { family: 'aaencode', offset: aa.index, detail: 'aaencode (a program spelled with Japanese emoticons)' };
  const fuck = /[[\]()!+]{200,}/.exec(code);
  if (fuck && jsfuckRun(code, fuck.index) >= MIN_ENCODED) {
    return { family: 'JSFuck', offset: fuck.index, detail: 'JSFuck (a program spelled with []()!+ only)' };
  }
  return null;
}

/** Length of the run starting at `from` made only of JSFuck's six characters (whitespace allowed). */
function jsfuckRun(code: string, from: number): number {
  let n = 0;
  for (let i = from; i < code.length; i++) {
    const c = code[i];
    if ('[]()!+'.includes(c)) n++;
    else if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') break;
  }
  return n;
}

/** The characters Trojan Source needs, one of which a file must contain (the detector's triggers). */
export const TROJAN_SOURCE_CHARS: readonly string[] = [
  '\u202A', '\u202B', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u200B', '\u200C', '\u200D', '\u2060', '\u3164', '\u115F', '\u1160', '\uFFA0',
];

const BIDI_OPEN = /[\u202A-\u202E\u2066-\u2068]/;
const SUSPECT = /[\u202A-\u202E\u2066-\u2069\u200B-\u200D\u2060\u3164\u115F\u1160\uFFA0]/;
const INVISIBLE_IN_NAME = /[\u200B-\u200D\u2060\u3164\u115F\u1160\uFFA0]/;

/** Trojan Source: open bidi controls in comments and strings, invisible characters in names. */
export function trojanSource(code: string, sourceType: 'module' | 'script'): FamilySignal[] {
  if (!SUSPECT.test(code)) return [];
  const out: FamilySignal[] = [];
  const comments: Comment[] = [];
  const textual: { start: number; end: number; kind: string }[] = [];
  try {
    for (const t of tokenizer(code, { ecmaVersion: 'latest', sourceType, allowHashBang: true, onComment: comments })) {
      const label = t.type.label;
      if (label === 'string' || label === 'template' || label === 'regexp') textual.push({ start: t.start, end: t.end, kind: label });
      else if (label === 'name' && INVISIBLE_IN_NAME.test(code.slice(t.start, t.end))) {
        out.push({ family: 'Trojan Source', offset: t.start, detail: 'an identifier holds an invisible character' });
      }
      if (out.length > 20) break;
    }
  } catch {
    if (sourceType === 'module') return trojanSource(code, 'script');
    return out;
  }
  for (const c of comments) textual.push({ start: c.start, end: c.end, kind: 'comment' });
  for (const t of textual) {
    const text = code.slice(t.start, t.end);
    if (BIDI_OPEN.test(text) && !bidiBalanced(text)) {
      out.push({ family: 'Trojan Source', offset: t.start, detail: `a bidirectional override left open in a ${t.kind}` });
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** Every embedding/override (LRE RLE LRO RLO) closed by PDF, every isolate (LRI RLI FSI) by PDI. */
function bidiBalanced(text: string): boolean {
  let embeds = 0;
  let isolates = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x202a && c <= 0x202e && c !== 0x202c) embeds++;
    else if (c === 0x202c) embeds = Math.max(0, embeds - 1);
    else if (c >= 0x2066 && c <= 0x2068) isolates++;
    else if (c === 0x2069) isolates = Math.max(0, isolates - 1);
  }
  return embeds === 0 && isolates === 0;
}
