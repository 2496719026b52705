import type { Ed25519 } from '../crypto';
import { sign1ToBeSigned, type Sign1 } from '../card/cose';
import type { TrustList } from '../trust/trust-list';
import { bffSignerFor } from './binding';

/** Why something the BFF signed is refused: see verifyBffSigned. */
export type BffSignedProblem = 'malformed' | 'unknown_signer' | 'bad_signature';

export type BffSignedResult<T> = { ok: true; value: T } | { ok: false; reason: BffSignedProblem };

/**
 * Verifies a decoded COSE_Sign1 that the BFF signed with its province issuer key (a request code, a
 * receipt): the kid is in the trust list, the signature verifies under it with `aad`, the payload decodes
 * strictly, and the key was the named province's and valid at `signedAt` of the payload. The checks run in
 * that order, so a forgery is `bad_signature` before its payload is read. Never throws on bad input.
 *
 * @example verifyBffSigned(sign1, RECEIPT_AAD, decodeReceiptPayload, (r) => r.approvedAt, trustList, ed25519)
 */
export function verifyBffSigned<T extends { province: string }>(
  sign1: Sign1,
  aad: Uint8Array,
  decode: (payload: Uint8Array) => T,
  signedAt: (value: T) => number,
  trustList: TrustList,
  ed25519: Ed25519,
): BffSignedResult<T> {
  const key = trustList.issuers.get(sign1.kid);
  if (!key) return { ok: false, reason: 'unknown_signer' };
  if (
    !ed25519.verify(key.publicKey, sign1ToBeSigned(sign1.protectedBytes, aad, sign1.payload), sign1.signature)
  )
    return { ok: false, reason: 'bad_signature' };
  let value: T;
  try {
    value = decode(sign1.payload);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!bffSignerFor(trustList, sign1.kid, value.province, signedAt(value))) {
    return { ok: false, reason: 'unknown_signer' };
  }
  return { ok: true, value };
}
