// Offsets → 1-based line / 0-based column, and one-line snippets, computed only for the few
// nodes that become findings. Line breaks are ECMAScript's: \n, \r\n, \r, U+2028, U+2029.
import { escapeUntrusted } from '../report/escape.js';

export class LineIndex {
  private starts: number[] | null = null;
  constructor(private readonly code: string) {}

  private build(): number[] {
    const starts = [0];
    const code = this.code;
    for (let i = 0; i < code.length; i++) {
      const ch = code.charCodeAt(i);
      if (ch === 10 || ch === 0x2028 || ch === 0x2029) starts.push(i + 1);
      else if (ch === 13) {
        if (code.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    return starts;
  }

  position(offset: number): { line: number; column: number } {
    const starts = (this.starts ??= this.build());
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] };
  }

  /** The source line holding `offset`, trimmed, at most ~160 characters around it, escaped. */
  snippet(offset: number, max = 160): string {
    const starts = (this.starts ??= this.build());
    const { line } = this.position(offset);
    const start = starts[line - 1];
    let end = line < starts.length ? starts[line] : this.code.length;
    // drop the line break itself
    while (end > start && /[\r\n\u2028\u2029]/.test(this.code[end - 1])) end--;
    let from = start;
    let to = end;
    let prefix = '';
    let suffix = '';
    if (to - from > max) {
      // long (minified) lines: a window around the finding, not the first 160 characters
      from = Math.max(start, offset - Math.floor(max / 3));
      to = Math.min(end, from + max);
      if (from > start) prefix = '…';
      if (to < end) suffix = '…';
    }
    const text = this.code.slice(from, to).trim();
    return escapeUntrusted(prefix + text + suffix);
  }
}
