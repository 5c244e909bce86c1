// The JavaScript a `data:` URL carries (`import('data:text/javascript;base64,…')`, `new
// Worker('data:text/javascript,…')`): decoded from base64 or percent-encoding, or null when the URL
// is not JavaScript or does not decode.
const JS_DATA_URL = /^data:(?:text|application)\/(?:x-)?(?:java|ecma)script(?:;[^,;]*=[^,;]*)*(;base64)?,/i;

export function dataUrlCode(spec: string): string | null {
  const m = JS_DATA_URL.exec(spec);
  if (!m) return null;
  const body = spec.slice(m[0].length);
  try {
    return m[1] ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body);
  } catch {
    // a malformed percent-escape: the text as written is what node would fail on, not run
    return null;
  }
}

/** Is this a JavaScript data: URL (whether or not it decodes)? */
export function isJsDataUrl(spec: string): boolean {
  return JS_DATA_URL.test(spec);
}
