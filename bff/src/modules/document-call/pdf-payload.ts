/**
 * The annotated copy's verification payload (`EIDA1:`) travels twice in its PDF: as the QR code a scanner
 * reads from paper, and as the document information dictionary's `Keywords` string, so a verifier handed the
 * file reads it without rendering the page. Plain TypeScript over bytes (no node: imports), so it can move to
 * shared/ when a browser needs it.
 */

const KEYWORDS = '/Keywords';
/** Longest payload looked for (the payload's own bound is 8192 characters); a longer string is not one. */
const MAX_PAYLOAD_CHARS = 16_384;

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

/** The PDF literal string starting at `bytes[at] === '('`, unescaped (PDF 32000-1 7.3.4.2); undefined if unclosed. */
function literalAt(bytes: Uint8Array, at: number): string | undefined {
  let depth = 0;
  let out = '';
  for (let i = at; i < bytes.length && out.length <= MAX_PAYLOAD_CHARS; i++) {
    const c = String.fromCharCode(bytes[i]!);
    if (c === '\\') {
      const n = String.fromCharCode(bytes[++i] ?? 0);
      if (/[0-7]/.test(n)) {
        let oct = n;
        while (oct.length < 3 && /[0-7]/.test(String.fromCharCode(bytes[i + 1] ?? 0)))
          oct += String.fromCharCode(bytes[++i]!);
        out += String.fromCharCode(parseInt(oct, 8) & 0xff);
      } else if (n === '\r' || n === '\n') {
        // A backslash at the end of a line continues the string.
        if (n === '\r' && bytes[i + 1] === 0x0a) i++;
      } else out += ESCAPES[n] ?? n;
    } else if (c === '(') {
      if (depth++ > 0) out += c;
    } else if (c === ')') {
      if (--depth === 0) return out;
      out += c;
    } else out += c;
  }
  return undefined;
}

function lastIndexOf(bytes: Uint8Array, needle: string, before: number): number {
  outer: for (let i = Math.min(before, bytes.length - needle.length); i >= 0; i--) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

/**
 * The `EIDA1:` payload an annotated copy carries in its document information (`Keywords`), or undefined when
 * the bytes hold none. The last such string wins, as a PDF reader takes the newest information dictionary of
 * an incrementally updated file. The payload is still only a claim: verify it (`verifyAnnotatedPayload`).
 *
 * @example const text = payloadFromPdf(new Uint8Array(upload)); if (text) verdict = verifyAnnotatedPayload(text, lists)
 */
export function payloadFromPdf(bytes: Uint8Array): string | undefined {
  if (!(bytes instanceof Uint8Array)) return undefined;
  for (
    let at = lastIndexOf(bytes, KEYWORDS, bytes.length);
    at >= 0;
    at = lastIndexOf(bytes, KEYWORDS, at - 1)
  ) {
    let i = at + KEYWORDS.length;
    while (
      i < bytes.length &&
      (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)
    )
      i++;
    if (bytes[i] !== 0x28) continue;
    const text = literalAt(bytes, i);
    if (text?.startsWith('EIDA1:')) return text;
  }
  return undefined;
}
