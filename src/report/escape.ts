// Everything that came from a scanned package (names, paths, snippets, env names built from
// strings) passes through here before it reaches a terminal, a Markdown comment or an annotation.
// C0/C1 controls (ESC above all), DEL, bidi overrides/isolates, zero-width and line/paragraph
// separators are shown as visible escapes so they can neither steer a terminal nor hide text.

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;

function escapeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  switch (ch) {
    case '\n': return '\\n';
    case '\r': return '\\r';
    case '\t': return '\\t';
  }
  if (code <= 0xff) return '\\x' + code.toString(16).padStart(2, '0');
  return '\\u' + code.toString(16).padStart(4, '0');
}

/** Make a string from untrusted input safe to print: every control or bidi character escaped. */
export function escapeUntrusted(text: string): string {
  return String(text).replace(UNSAFE, escapeChar);
}

/** True when the string holds anything escapeUntrusted would change. */
export function hasUnsafeChars(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}

/**
 * For JSON text made by JSON.stringify: write every character escapeUntrusted would touch as a
 * \uXXXX escape. The parsed data stays exactly what was scanned (names are compared by baselines
 * and diffs), but the bytes on disk or in a terminal hold no raw control, bidi or separator
 * character. JSON.stringify already escapes C0 inside strings; raw \n, \r, \t can then only be
 * structural whitespace, so they are kept.
 */
export function escapeJsonText(json: string): string {
  return json.replace(UNSAFE, (ch) =>
    ch === '\n' || ch === '\r' || ch === '\t' ? ch : '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}
