import { ANNOTATED_PREFIX } from './annotated';

/**
 * The annotated copy's verification payload (`EIDA1:`) travels twice in its PDF: as the QR code a scanner
 * reads from paper, and as the document information dictionary's `Keywords` string, so a verifier handed the
 * file reads it without rendering the page. Read the same way by the BFF (an uploaded copy) and on the device
 * (the public check page sends or checks offline that text, a few kilobytes, instead of the whole file).
 */

/** Longest payload looked for (the payload's own bound is 8192 characters); a longer string is not one. */
const MAX_PAYLOAD_CHARS = 16_384;
// Bytes of PDF syntax read for one string: four per character at most (an octal escape). Bounded by the input
// read, not only the output, since escaped line ends produce nothing and would let one string run to the end.
const MAX_LITERAL_BYTES = 4 * MAX_PAYLOAD_CHARS + 2;
// `Keywords` entries looked at, newest first. A real file has one per incremental update; without a bound a
// public upload of `/Keywords (` repeated made each entry scan the rest of the file (3 s of event loop for
// 190 KB, issue 21 §4). A file stuffed with more decoys than this reads as carrying no payload.
const MAX_KEYWORDS_ENTRIES = 64;

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

/** The bytes as a string of one character per byte (PDF syntax is bytes; the payload itself is ASCII). */
function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return out;
}

/** The PDF literal string starting at `text[at] === '('`, unescaped (PDF 32000-1 7.3.4.2); undefined if unclosed. */
function literalAt(text: string, at: number): string | undefined {
  let depth = 0;
  let out = '';
  const end = Math.min(text.length, at + MAX_LITERAL_BYTES);
  for (let i = at; i < end && out.length <= MAX_PAYLOAD_CHARS; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const n = text[++i] ?? '';
      if (/[0-7]/.test(n)) {
        let oct = n;
        while (oct.length < 3 && /[0-7]/.test(text[i + 1] ?? '')) oct += text[++i];
        out += String.fromCharCode(parseInt(oct, 8) & 0xff);
      } else if (n === '\r' || n === '\n') {
        // A backslash at the end of a line continues the string.
        if (n === '\r' && text[i + 1] === '\n') i++;
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

/** The string a `/Keywords` entry ending at `at` names: a literal there, or the indirect object it refers to. */
function keywordsAt(text: string, at: number): string | undefined {
  const rest = text.slice(at, at + 32);
  const literal = /^\s*\(/.exec(rest);
  if (literal) return literalAt(text, at + literal[0].length - 1);
  const ref = /^\s*(\d{1,10})\s+(\d{1,5})\s+R/.exec(rest);
  if (!ref) return undefined;
  // The newest definition of that object (an incremental update may redefine it).
  const definition = new RegExp(`(?:^|[\\s>\\]])${ref[1]}\\s+${ref[2]}\\s+obj\\s*\\(`, 'g');
  let last: RegExpExecArray | null = null;
  for (let m = definition.exec(text); m; m = definition.exec(text)) last = m;
  return last ? literalAt(text, last.index + last[0].length - 1) : undefined;
}

/**
 * The `EIDA1:` payload an annotated copy carries in its document information (`Keywords`, written directly or
 * as an indirect object, as pdfkit does), or undefined when the bytes hold none. The last such entry wins, as a
 * PDF reader takes the newest information dictionary of an incrementally updated file. The payload is still
 * only a claim: verify it (`verifyAnnotatedPayload`).
 *
 * @example const text = payloadFromPdf(new Uint8Array(upload)); if (text) verdict = verifyAnnotatedPayload(text, lists)
 */
export function payloadFromPdf(bytes: Uint8Array): string | undefined {
  const text = latin1(bytes);
  for (
    let at = text.lastIndexOf('/Keywords'), seen = 0;
    at >= 0 && seen < MAX_KEYWORDS_ENTRIES;
    at = at > 0 ? text.lastIndexOf('/Keywords', at - 1) : -1, seen++
  ) {
    const value = keywordsAt(text, at + '/Keywords'.length);
    if (value?.startsWith(ANNOTATED_PREFIX)) return value;
  }
  return undefined;
}
