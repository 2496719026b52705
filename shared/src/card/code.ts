import { CborShapeError, base45Encode, cborEncode, cborHead, concatBytes, utf8Encode } from '../encoding';
import { randomBytes, tweetnaclEd25519, type Ed25519 } from '../crypto';
import { codeUint, decodeCodeText } from './code-text';

/** Version prefix of the QR text, in the QR alphanumeric set like HCERT's `HC1:`. */
export const CODE_PREFIX = 'EID1:';
/** How long a code is accepted after its timestamp. */
export const CODE_TTL_MS = 60_000;
/** How often the device makes a new code, so a shown code always has at least 30 s left. */
export const CODE_REFRESH_MS = 30_000;
export const CODE_NONCE_LENGTH = 8;
/** Domain-separation label of the device signature. */
export const CODE_SIGNATURE_CONTEXT = 'EID code v1';
const CONTEXT_BYTES = utf8Encode(CODE_SIGNATURE_CONTEXT);

/** A decoded bright code. `timestamp` is epoch ms (whole seconds on the wire). Not yet verified. */
export interface ParsedCode {
  credential: Uint8Array;
  timestamp: number;
  nonce: Uint8Array;
  signature: Uint8Array;
  /** The CBOR bytes inside the base45 text (what a replay cache hashes). */
  bytes: Uint8Array;
}

/** The bytes the device signs: CBOR `["EID code v1", credential, timestamp_s, nonce]`. */
export function codeSigningInput(
  credential: Uint8Array,
  timestampSeconds: number,
  nonce: Uint8Array,
): Uint8Array {
  return concatBytes(
    cborHead(4, 4),
    cborHead(3, CONTEXT_BYTES.length),
    CONTEXT_BYTES,
    cborHead(2, credential.length),
    credential,
    cborHead(0, timestampSeconds),
    cborHead(2, nonce.length),
    nonce,
  );
}

export interface BuildCodeInput {
  /** The credential bytes as issued. */
  credential: Uint8Array;
  /** 64-byte device secret key; it never leaves the device. */
  deviceSecretKey: Uint8Array;
  /** Epoch ms from the device clock. */
  now: number;
  /** Fresh random bytes unless a test vector fixes them. */
  nonce?: Uint8Array;
  ed25519?: Ed25519;
}

/**
 * Makes the text of a QR code, offline: `EID1:` + base45(CBOR `[credential, timestamp_s, nonce, signature]`).
 *
 * @example const text = buildCode({ credential, deviceSecretKey, now: Date.now() })
 */
export function buildCode(input: BuildCodeInput): string {
  const ed = input.ed25519 ?? tweetnaclEd25519;
  const nonce = input.nonce ?? randomBytes(CODE_NONCE_LENGTH);
  if (nonce.length !== CODE_NONCE_LENGTH) throw new TypeError(`nonce must be ${CODE_NONCE_LENGTH} bytes`);
  const ts = Math.floor(input.now / 1000);
  const signature = ed.sign(input.deviceSecretKey, codeSigningInput(input.credential, ts, nonce));
  return CODE_PREFIX + base45Encode(cborEncode([input.credential, ts, nonce, signature]));
}

/** Parses the text of a code; throws CborShapeError when it is not one. */
export function parseCode(text: string): ParsedCode {
  const { items, bytes } = decodeCodeText(text, CODE_PREFIX, 4);
  const [credential, ts, nonce, signature] = items;
  if (!(credential instanceof Uint8Array)) throw new CborShapeError('credential is not bytes');
  const timestamp = codeUint(ts, Number.MAX_SAFE_INTEGER, 'timestamp');
  if (!(nonce instanceof Uint8Array) || nonce.length !== CODE_NONCE_LENGTH)
    throw new CborShapeError('bad nonce');
  if (!(signature instanceof Uint8Array) || signature.length !== 64)
    throw new CborShapeError('bad signature length');
  return { credential, timestamp: timestamp * 1000, nonce, signature, bytes };
}

const SIGNING_PREFIX = concatBytes(cborHead(4, 4), cborHead(3, CONTEXT_BYTES.length), CONTEXT_BYTES);

/** True when the device signature of `code` verifies under the device key bound in the credential. */
export function verifyCodeSignature(
  code: ParsedCode,
  devicePublicKey: Uint8Array,
  ed25519: Ed25519,
): boolean {
  // The code's own bytes already hold credential, timestamp and nonce in signing-input order, between
  // the array head and the 66-byte signature: reuse them instead of re-encoding (the hot path).
  const input = concatBytes(SIGNING_PREFIX, code.bytes.subarray(1, code.bytes.length - 66));
  return ed25519.verify(devicePublicKey, input, code.signature);
}
