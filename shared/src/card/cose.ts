import {
  CborMap,
  CborShapeError,
  cborDecode,
  cborEncode,
  cborHead,
  concatBytes,
  utf8Decode,
  utf8Encode,
  type CborValue,
} from '../encoding';

/** COSE algorithm id of EdDSA (RFC 9053 section 2.2). */
export const COSE_ALG_EDDSA = -8;
const HEADER_ALG = 1;
const HEADER_KID = 4;
const SIGNATURE1 = utf8Encode('Signature1');

/** A decoded, not yet verified, untagged COSE_Sign1 (RFC 9052 section 4.2) with EdDSA and a text key id. */
export interface Sign1 {
  kid: string;
  protectedBytes: Uint8Array;
  payload: Uint8Array;
  signature: Uint8Array;
}

/**
 * The bytes an EdDSA signer signs: the Sig_structure `["Signature1", protected, external_aad, payload]`.
 * `externalAad` names the document type (credential, status list, trust list) so a signature over one
 * can never be replayed as another, at no cost in the encoded size.
 */
export function sign1ToBeSigned(
  protectedBytes: Uint8Array,
  externalAad: Uint8Array,
  payload: Uint8Array,
): Uint8Array {
  return concatBytes(
    cborHead(4, 4),
    cborHead(3, SIGNATURE1.length),
    SIGNATURE1,
    cborHead(2, protectedBytes.length),
    protectedBytes,
    cborHead(2, externalAad.length),
    externalAad,
    cborHead(2, payload.length),
    payload,
  );
}

/** The protected header `{1: -8, 4: kid}`. */
export function sign1Protected(kid: string): Uint8Array {
  return cborEncode(
    new Map<number, CborValue>([
      [HEADER_ALG, COSE_ALG_EDDSA],
      [HEADER_KID, utf8Encode(kid)],
    ]),
  );
}

/** Assembles `[protected, {}, payload, signature]`. */
export function sign1Encode(
  protectedBytes: Uint8Array,
  payload: Uint8Array,
  signature: Uint8Array,
): Uint8Array {
  return cborEncode([protectedBytes, new Map(), payload, signature]);
}

/** Signs `payload` as a COSE_Sign1 with the given signer (which holds the key, we never do). */
export function sign1Create(
  kid: string,
  externalAad: Uint8Array,
  payload: Uint8Array,
  sign: (toBeSigned: Uint8Array) => Uint8Array,
): Uint8Array {
  const protectedBytes = sign1Protected(kid);
  return sign1Encode(protectedBytes, payload, sign(sign1ToBeSigned(protectedBytes, externalAad, payload)));
}

/** Decodes the structure; throws CborShapeError when it is not an EdDSA COSE_Sign1 with a key id. */
export function sign1Decode(bytes: Uint8Array): Sign1 {
  const value = cborDecode(bytes);
  if (!Array.isArray(value) || value.length !== 4) throw new CborShapeError('COSE_Sign1 is not a 4-array');
  const [protectedBytes, unprotected, payload, signature] = value as unknown[];
  if (!(protectedBytes instanceof Uint8Array) || !(payload instanceof Uint8Array)) {
    throw new CborShapeError('COSE_Sign1 protected header or payload is not bytes');
  }
  if (!(signature instanceof Uint8Array) || signature.length !== 64)
    throw new CborShapeError('signature not 64 bytes');
  if (!(unprotected instanceof Map) || unprotected.size !== 0)
    throw new CborShapeError('unprotected header not empty');
  const header = CborMap.from(cborDecode(protectedBytes), 'protected header').only([HEADER_ALG, HEADER_KID]);
  if (header.int(HEADER_ALG) !== COSE_ALG_EDDSA) throw new CborShapeError('algorithm is not EdDSA');
  const kidBytes = header.bytes(HEADER_KID);
  if (kidBytes.length === 0 || kidBytes.length > 64) throw new CborShapeError('kid length out of range');
  let kid: string;
  try {
    kid = utf8Decode(kidBytes);
  } catch {
    throw new CborShapeError('kid is not UTF-8');
  }
  return { kid, protectedBytes, payload, signature };
}
