import { createHash } from 'node:crypto';
import type Koa from 'koa';
import {
  CborShapeError,
  LICENCE_GRANT_HEADER,
  decodeLicenceGrant,
  licenceGrantProblem,
  verifyLicenceGrantSignature,
  type DecodedLicenceGrant,
  type LicenceGrantProblem,
} from '@eid/shared';
import { Refused, type LicenceClientKey } from './auth';
import { nodeEd25519 } from './ed25519';

/*
 * The licence system's side of the grant (format: shared/src/licence/grant.ts): a document request carries
 * a `Licence-Grant` header signed by the same BFF key as the request, naming the holder, the types, the
 * purpose and an expiry. Refusals are 403 with one code per reason; the log names the grant id and key id,
 * never the holder.
 */

/** Stable codes of refused grants (403). */
export const GRANT_CODES: Readonly<
  Record<LicenceGrantProblem | 'missing' | 'malformed' | 'key_mismatch' | 'bad_signature', string>
> = {
  missing: 'grant_missing',
  malformed: 'grant_malformed',
  key_mismatch: 'grant_key_mismatch',
  bad_signature: 'grant_signature_invalid',
  expired: 'grant_expired',
  not_yet_valid: 'grant_not_yet_valid',
  lifetime_too_long: 'grant_lifetime_too_long',
  holder_mismatch: 'grant_holder_mismatch',
  type_not_granted: 'grant_type_not_granted',
  purpose_mismatch: 'grant_purpose_mismatch',
  purpose_unknown: 'grant_purpose_unknown',
  type_not_for_purpose: 'grant_type_not_for_purpose',
};

const MESSAGES: Readonly<Record<keyof typeof GRANT_CODES, string>> = {
  missing: 'a document request needs a Licence-Grant header',
  malformed: 'the grant is not a well-formed licence grant',
  key_mismatch: 'the grant is signed by another key than the request',
  bad_signature: 'the grant signature does not verify',
  expired: 'the grant has expired',
  not_yet_valid: 'the grant was issued in the future',
  lifetime_too_long: 'the grant lives longer than a grant may',
  holder_mismatch: 'the grant names another holder than the request',
  type_not_granted: 'a requested document type is not in the grant',
  purpose_mismatch: 'the grant is for another purpose than the request',
  purpose_unknown: 'the purpose is neither the wallet nor a published service',
  type_not_for_purpose: 'a requested document type is not one this purpose may pull',
};

const nodeSha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());

function refuse(reason: keyof typeof GRANT_CODES, keyId: string, grantId?: string): never {
  throw new Refused(403, GRANT_CODES[reason], MESSAGES[reason], {
    keyId,
    ...(grantId ? { grantId } : {}),
    reason,
  });
}

export interface GrantedRequest {
  holderKey: string;
  types: readonly string[];
  purpose: string;
}

/**
 * The verified grant of a document request whose signature `keyId` made, covering `request`; throws
 * Refused (403) otherwise. Checks: present, well-formed, signed by the request's key, then
 * licenceGrantProblem (expiry, holder, purpose, types).
 */
export function checkGrant(
  ctx: Koa.Context,
  keyId: string,
  keys: readonly LicenceClientKey[],
  request: GrantedRequest,
  now: number,
): DecodedLicenceGrant {
  const header = ctx.get(LICENCE_GRANT_HEADER);
  if (!header) refuse('missing', keyId);
  let decoded: DecodedLicenceGrant;
  try {
    decoded = decodeLicenceGrant(header);
  } catch (e) {
    if (e instanceof CborShapeError || e instanceof TypeError) refuse('malformed', keyId);
    throw e;
  }
  const grantId = decoded.grant.grantId;
  if (decoded.kid !== keyId) refuse('key_mismatch', keyId, grantId);
  const key = keys.find((k) => k.keyId === keyId)!;
  if (!verifyLicenceGrantSignature(decoded, key.publicKey, nodeEd25519))
    refuse('bad_signature', keyId, grantId);
  const problem = licenceGrantProblem(decoded.grant, { ...request, now }, nodeSha256);
  if (problem) refuse(problem, keyId, grantId);
  return decoded;
}
