// Encoded text in source: unnecessary `\x`/`\u` escapes, long base64/hex literals and what they
// decode to, and short display forms of decoded text (the obfuscation detector's helpers).

/** A literal this long (or longer) that is base64 or hex is worth decoding. */
export const LONG_LITERAL = 200;

function isPlainChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/** How many letters/digits/underscores a string or identifier's source writes as `\x`/`\u` escapes (none needs one). */
export function unnecessaryEscapes(raw: string): number {
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== '\\') continue;
    const nx = raw[i + 1];
    if (nx === 'x' && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 2, i + 4))) {
      if (isPlainChar(parseInt(raw.slice(i + 2, i + 4), 16))) n++;
      i += 3;
    } else if (nx === 'u' && raw[i + 2] === '{') {
      const close = raw.indexOf('}', i + 3);
      if (close > 0 && isPlainChar(parseInt(raw.slice(i + 3, close), 16))) n++;
      i = close > 0 ? close : i + 1;
    } else if (nx === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) {
      if (isPlainChar(parseInt(raw.slice(i + 2, i + 6), 16))) n++;
      i += 5;
    } else {
      i++;
    }
  }
  return n;
}

export function short(s: string, max = 40): string {
  const one = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}

/** A long literal that is base64 or hex (not a data: URI: those are assets). */
export function encodedLiteral(s: string): 'base64' | 'hex' | null {
  if (s.length < LONG_LITERAL || s.startsWith('data:')) return null;
  if (/^[0-9a-fA-F]+$/.test(s) && s.length % 2 === 0) return 'hex';
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) return 'base64';
  return null;
}

/** Decoded bytes as text, when they are mostly printable (not an image or a font). */
function printable(buf: Buffer): string | null {
  if (buf.length === 0) return null;
  const s = buf.toString('utf8');
  let bad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) bad++;
  }
  return bad / s.length < 0.05 ? s : null;
}

/** Decoded text that reads as code worth hiding (a source map's JSON is not). */
export function looksLikeCode(text: string): boolean {
  return /child_process|process\.env|require\s*\(|eval\s*\(|new Function|execSync|spawn\s*\(|\/bin\/(?:ba)?sh|powershell|\bcurl\b|\bwget\b|\.npmrc|\.ssh\//.test(text) && !/^\s*\{\s*"version"\s*:\s*3/.test(text);
}

export function decodeLiteral(s: string, enc: 'base64' | 'hex'): string | null {
  try {
    return printable(Buffer.from(s, enc));
  } catch {
    return null;
  }
}
