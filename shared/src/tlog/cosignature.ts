import { tweetnaclEd25519, type Ed25519 } from '../crypto/ed25519';
import { sha256 as portableSha256, type Sha256 } from '../crypto/sha256';
import { concatBytes } from '../encoding/bytes';
import { utf8Encode } from '../encoding/utf8';
import { parseCheckpoint } from './checkpoint';
import { TlogError } from './errors';
import {
  formatNoteSignature,
  isValidNoteKeyName,
  NOTE_SIGNATURE_TYPE_COSIGNATURE_V1,
  noteKeyId,
  parseVerifierKey,
  type NoteSignature,
  type NoteVerifier,
  type NoteVerifierKey,
} from './note';

/** The header line of the cosigned message, its domain separation (c2sp.org/tlog-cosignature). */
export const COSIGNATURE_V1_HEADER = 'cosignature/v1';
/** Bytes of a cosignature after the key ID: a u64 timestamp and a 64-byte Ed25519 signature. */
export const COSIGNATURE_V1_LENGTH = 8 + 64;

const TWO_32 = 0x100000000;

/** SHA-256(name || "\n" || 0x04 || public key)[:4]: the key ID every cosignature line must carry. */
export function cosignatureKeyId(
  name: string,
  publicKey: Uint8Array,
  sha256: Sha256 = portableSha256,
): number {
  return noteKeyId(name, NOTE_SIGNATURE_TYPE_COSIGNATURE_V1, publicKey, sha256);
}

function checkTimestamp(timestamp: number): void {
  // The spec allows up to 2^63 - 1; numbers here stop at 2^53 - 1, some 285 million years away.
  if (!Number.isSafeInteger(timestamp) || timestamp < 0)
    throw new TypeError('a cosignature timestamp is a non-negative safe integer of POSIX seconds');
}

/**
 * The message a cosigner signs: `cosignature/v1\n`, `time <timestamp>\n`, then the whole checkpoint text
 * (extension lines included, signatures not).
 */
export function cosignatureMessage(checkpointText: string | Uint8Array, timestamp: number): Uint8Array {
  checkTimestamp(timestamp);
  const text = typeof checkpointText === 'string' ? utf8Encode(checkpointText) : checkpointText;
  return concatBytes(utf8Encode(`${COSIGNATURE_V1_HEADER}\ntime ${timestamp}\n`), text);
}

/**
 * The timestamp (POSIX seconds) of a cosignature's bytes after the key ID, or undefined when they are not
 * 72 bytes or the time is beyond Number.MAX_SAFE_INTEGER.
 */
export function cosignatureTimestamp(signature: Uint8Array): number | undefined {
  if (signature.length !== COSIGNATURE_V1_LENGTH) return undefined;
  const hi = ((signature[0]! << 24) | (signature[1]! << 16) | (signature[2]! << 8) | signature[3]!) >>> 0;
  const lo = ((signature[4]! << 24) | (signature[5]! << 16) | (signature[6]! << 8) | signature[7]!) >>> 0;
  const t = hi * TWO_32 + lo;
  return Number.isSafeInteger(t) ? t : undefined;
}

function timestampBytes(timestamp: number): Uint8Array {
  const hi = Math.floor(timestamp / TWO_32);
  const lo = timestamp % TWO_32;
  return Uint8Array.of(
    hi >>> 24,
    (hi >>> 16) & 0xff,
    (hi >>> 8) & 0xff,
    hi & 0xff,
    lo >>> 24,
    (lo >>> 16) & 0xff,
    (lo >>> 8) & 0xff,
    lo & 0xff,
  );
}

/** A cosigner whose key lives in the key store: `sign` signs the cosigned message (Ed25519, pure). */
export interface Cosigner {
  readonly name: string;
  readonly keyId: number;
  sign(message: Uint8Array): Uint8Array;
}

/**
 * A cosigner of name and public key, signing through `sign` (the key store's), so the key ID is computed
 * here and the private key never is.
 */
export function createCosigner(
  name: string,
  publicKey: Uint8Array,
  sign: (message: Uint8Array) => Uint8Array,
  sha256: Sha256 = portableSha256,
): Cosigner {
  if (!isValidNoteKeyName(name)) throw new TlogError('malformed_key', 'invalid cosigner name');
  return { name, keyId: cosignatureKeyId(name, publicKey, sha256), sign };
}

/**
 * Cosigns a checkpoint text at `timestamp` (POSIX seconds) and returns the note signature; the text must be
 * a checkpoint parseCheckpoint accepts. `formatNoteSignature` turns it into the line a witness answers.
 */
export function signCosignature(
  checkpointText: string,
  cosigner: Cosigner,
  timestamp: number,
): NoteSignature {
  parseCheckpoint(checkpointText);
  const signature = cosigner.sign(cosignatureMessage(checkpointText, timestamp));
  if (signature.length !== 64) throw new TypeError('an Ed25519 signature is 64 bytes');
  return {
    name: cosigner.name,
    keyId: cosigner.keyId,
    signature: concatBytes(timestampBytes(timestamp), signature),
  };
}

/** signCosignature as the signature line, newline included. */
export function cosignatureLine(checkpointText: string, cosigner: Cosigner, timestamp: number): string {
  return formatNoteSignature(signCosignature(checkpointText, cosigner, timestamp));
}

/**
 * A note verifier for one cosigner's type-0x04 signatures: 72 bytes, a safe-integer timestamp, and an
 * Ed25519 signature (through the strict shared door) over the cosigned message. Because that message does
 * not name the cosigner, one key must never serve two cosigners; checkpointVerifier refuses such a set.
 */
export function cosignatureVerifier(
  key: NoteVerifierKey | string,
  ed25519: Ed25519 = tweetnaclEd25519,
): NoteVerifier {
  const k = typeof key === 'string' ? parseVerifierKey(key) : key;
  if (k.type !== NOTE_SIGNATURE_TYPE_COSIGNATURE_V1)
    throw new TlogError('unsupported_key_type', `${k.name} is not a cosignature key (type 0x04)`);
  const publicKey = Uint8Array.from(k.publicKey);
  return {
    name: k.name,
    keyId: k.keyId,
    verify(text, signature) {
      const timestamp = cosignatureTimestamp(signature);
      if (timestamp === undefined) return false;
      return ed25519.verify(publicKey, cosignatureMessage(text, timestamp), signature.subarray(8));
    },
  };
}
