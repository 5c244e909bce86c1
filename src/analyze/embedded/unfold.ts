// Decoding chains: a constant wrapped in several encodings (hex of base64, base64 of
// percent-encoding, a reversed base64 string, a list of char codes) is unwrapped layer by layer
// until it reads as code, within a budget of layers. Pure function of the text; nothing runs.

/** At most this many layers are unwrapped. */
const MAX_LAYERS = 4;
const MIN_LAYER = 16;

export interface Unfolded {
  text: string;
  /** the decodings applied, outermost first: ['hex', 'base64']. */
  layers: string[];
}

/**
 * Unwrap encodings until `done(text)` holds; the first layer must be one (a plain text is not
 * unfolded). Null when no chain of at most MAX_LAYERS layers reaches it.
 */
export function unfold(s: string, done: (text: string) => boolean): Unfolded | null {
  let text = s;
  const layers: string[] = [];
  for (let k = 0; k < MAX_LAYERS; k++) {
    const step = peel(text);
    if (!step) return null;
    text = step.text;
    layers.push(step.layer);
    if (done(text)) return { text, layers };
  }
  return null;
}

/** One layer off, or null when the text is not (recognisably) encoded. */
function peel(raw: string): { text: string; layer: string } | null {
  const t = raw.trim();
  if (t.length < MIN_LAYER) return null;
  if (/^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0) return wrap(printable(Buffer.from(t, 'hex')), 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t) && t.length % 4 !== 1) return wrap(printable(Buffer.from(t, 'base64')), 'base64');
  // base64 written backwards: its padding comes first
  if (/^={1,2}[A-Za-z0-9+/_-]+$/.test(t)) return wrap(printable(Buffer.from([...t].reverse().join(''), 'base64')), 'reversed base64');
  const escapes = t.match(/%[0-9a-fA-F]{2}/g)?.length ?? 0;
  if (escapes * 3 >= t.length * 0.5) {
    try {
      return wrap(decodeURIComponent(t), 'percent-encoding');
    } catch {
      return null;
    }
  }
  if (/^\[?\s*\d{1,5}(?:\s*,\s*\d{1,5}){7,}\s*\]?$/.test(t)) {
    const codes = t.replace(/[[\]\s]/g, '').split(',').map(Number);
    return codes.every((c) => c <= 0xffff) ? wrap(String.fromCharCode(...codes.slice(0, 65536)), 'char codes') : null;
  }
  return null;
}

function wrap(text: string | null, layer: string): { text: string; layer: string } | null {
  return text === null ? null : { text, layer };
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
