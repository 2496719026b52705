const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** base64url without padding (RFC 4648 section 5), the form every binary value takes in our JSON. */
export function base64urlEncode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

/**
 * Decodes base64url without padding. Strict: padding, the `+/` alphabet, a dangling character and
 * non-zero leftover bits are all refused, so every byte string has exactly one accepted spelling.
 */
export function base64urlDecode(text: string): Uint8Array {
  const rest = text.length % 4;
  if (rest === 1) throw new TypeError('Invalid base64url length');
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  const digit = (i: number) => {
    const code = text.charCodeAt(i);
    const v = code < 128 ? DECODE[code]! : -1;
    if (v < 0) throw new TypeError('Invalid base64url character');
    return v;
  };
  let o = 0;
  let i = 0;
  for (; i + 3 < text.length; i += 4) {
    const n = (digit(i) << 18) | (digit(i + 1) << 12) | (digit(i + 2) << 6) | digit(i + 3);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  if (rest === 2) {
    const n = (digit(i) << 18) | (digit(i + 1) << 12);
    if (n & 0xffff) throw new TypeError('Invalid base64url trailing bits');
    out[o] = n >> 16;
  } else if (rest === 3) {
    const n = (digit(i) << 18) | (digit(i + 1) << 12) | (digit(i + 2) << 6);
    if (n & 0xff) throw new TypeError('Invalid base64url trailing bits');
    out[o++] = n >> 16;
    out[o] = (n >> 8) & 0xff;
  }
  return out;
}
