/**
 * Base45 (RFC 9285): the alphabet is exactly QR code's alphanumeric set, so a base45 string is
 * stored at 5.5 bits per character instead of 8, which is why HCERT uses it and so do we.
 */
export const BASE45_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE45_ALPHABET.length; i++) DECODE[BASE45_ALPHABET.charCodeAt(i)] = i;

/** Encodes bytes as base45 text (two bytes become three characters, a last odd byte two). */
export function base45Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let n = bytes[i]! * 256 + bytes[i + 1]!;
    const c = n % 45;
    n = (n - c) / 45;
    const d = n % 45;
    const e = (n - d) / 45;
    out += BASE45_ALPHABET[c]! + BASE45_ALPHABET[d]! + BASE45_ALPHABET[e]!;
  }
  if (bytes.length % 2 === 1) {
    const n = bytes[bytes.length - 1]!;
    out += BASE45_ALPHABET[n % 45]! + BASE45_ALPHABET[Math.floor(n / 45)]!;
  }
  return out;
}

function digitAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  const v = code < 128 ? DECODE[code]! : -1;
  if (v < 0) throw new TypeError('Invalid base45 character');
  return v;
}

/** Decodes base45 text; throws TypeError on a foreign character, a dangling character or an overflow. */
export function base45Decode(text: string): Uint8Array {
  const rest = text.length % 3;
  if (rest === 1) throw new TypeError('Invalid base45 length');
  const out = new Uint8Array(((text.length - rest) / 3) * 2 + (rest === 2 ? 1 : 0));
  let o = 0;
  let i = 0;
  for (; i + 2 < text.length; i += 3) {
    const n = digitAt(text, i) + digitAt(text, i + 1) * 45 + digitAt(text, i + 2) * 2025;
    if (n > 0xffff) throw new TypeError('Invalid base45 triplet');
    out[o++] = n >> 8;
    out[o++] = n & 0xff;
  }
  if (rest === 2) {
    const n = digitAt(text, i) + digitAt(text, i + 1) * 45;
    if (n > 0xff) throw new TypeError('Invalid base45 pair');
    out[o] = n;
  }
  return out;
}
