import { CborShapeError, base45Decode, cborDecode } from '../encoding';

/**
 * What the v1 and v2 code parsers share (not exported from the package): the text's prefix, its base45 and the
 * one CBOR array of `length` items inside; throws CborShapeError otherwise (the verdict `malformed`).
 */
export function decodeCodeText(
  text: string,
  prefix: string,
  length: number,
): { items: unknown[]; bytes: Uint8Array } {
  if (typeof text !== 'string' || !text.startsWith(prefix))
    throw new CborShapeError(`missing ${prefix} prefix`);
  if (text.length > 4096) throw new CborShapeError('code too long');
  let bytes: Uint8Array;
  try {
    bytes = base45Decode(text.slice(prefix.length));
  } catch {
    throw new CborShapeError('code is not base45');
  }
  const value = cborDecode(bytes);
  if (!Array.isArray(value) || value.length !== length)
    throw new CborShapeError(`code is not an array of ${length}`);
  return { items: value as unknown[], bytes };
}

/** `v` as an unsigned integer up to `max`; CborShapeError when it is not one. */
export function codeUint(v: unknown, max: number, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) {
    throw new CborShapeError(`${what} not uint`);
  }
  return v;
}
