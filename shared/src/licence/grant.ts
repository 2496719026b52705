import { CborMap, CborShapeError, cborDecode, cborEncode, type CborValue } from '../encoding/cbor';
import { base64urlDecode, base64urlEncode } from '../encoding/base64url';
import { toHex } from '../encoding/bytes';
import { utf8Encode } from '../encoding/utf8';
import { sha256 as portableSha256, type Sha256 } from '../crypto/sha256';
import type { Ed25519 } from '../crypto/ed25519';
import { sign1Create, sign1Decode, sign1ToBeSigned, type Sign1 } from '../card/cose';
import { documentType, documentTypes } from './registry';
import { findService } from './services';

/**
 * The licence grant (docs/mock-systems.md, "Licence grant"): what the BFF shows the electronic licence system
 * with every document request, so the system serves one holder's documents of the named types for one purpose,
 * and only until the grant expires. A COSE_Sign1 by the same BFF key that signs the HTTP request (RFC 9421),
 * carried base64url in the `Licence-Grant` header, which the request signature covers.
 */

/** External AAD of grant signatures: no other signature of the BFF key can pass as a grant. */
export const LICENCE_GRANT_AAD = utf8Encode('EID licence grant v1');
/** The request header that carries the grant (lower case, as signatures name it). */
export const LICENCE_GRANT_HEADER = 'licence-grant';
/** Components a document request signature covers: the profile's, and the grant. */
export const LICENCE_REQUEST_COMPONENTS: readonly string[] = Object.freeze([
  '@method',
  '@target-uri',
  'content-digest',
  LICENCE_GRANT_HEADER,
]);
/** The purpose of the resident's own wallet (link and refresh): every document type. */
export const LICENCE_WALLET_PURPOSE = 'wallet';
/** Longest a grant may live (expiry minus issue time): a grant is made for one pull, not kept. */
export const MAX_LICENCE_GRANT_TTL_MS = 15 * 60_000;
/** How far in the future a grant's issue time may lie (clock skew between the BFF and the system). */
export const LICENCE_GRANT_SKEW_MS = 60_000;
/** Most types one grant may name. */
export const MAX_LICENCE_GRANT_TYPES = 16;
/** Label of the grant-free holder key (`licenceHolderKey`). */
export const LICENCE_HOLDER_KEY_LABEL = 'EID licence holder v1';

export interface LicenceGrant {
  /** The BFF's id of this grant, 16-64 characters `[A-Za-z0-9_-]`: what both sides log instead of the holder. */
  grantId: string;
  /** The holder's ID number (upper-case `X`). */
  holderIdNumber: string;
  /** Registry names of the document types the holder agreed to, no duplicates. */
  types: readonly string[];
  /** `wallet`, or the code of a document-call service (shared/src/licence/services.ts). */
  purpose: string;
  /** Epoch ms; encoded in whole seconds. */
  issuedAt: number;
  /** Epoch ms; encoded in whole seconds. */
  expiresAt: number;
}

export interface DecodedLicenceGrant {
  /** Key id of the signing BFF key; must be the request signature's keyid. */
  kid: string;
  grant: LicenceGrant;
  sign1: Sign1;
}

/** Why a well-signed grant does not cover a request. */
export type LicenceGrantProblem =
  | 'expired'
  | 'not_yet_valid'
  | 'lifetime_too_long'
  | 'holder_mismatch'
  | 'type_not_granted'
  | 'purpose_mismatch'
  | 'purpose_unknown'
  | 'type_not_for_purpose';

const KEY = { grantId: 1, holder: 2, types: 3, purpose: 4, exp: 5, iat: 6 } as const;
const GRANT_ID = /^[A-Za-z0-9_-]{16,64}$/;
const ID_NUMBER = /^[0-9A-Z]{6,32}$/;
const PURPOSE = /^[a-z][a-z0-9_]{0,63}$/;

function fail(what: string): never {
  throw new CborShapeError(`licence grant ${what} is invalid`);
}

function checkGrant(g: LicenceGrant): void {
  if (!GRANT_ID.test(g.grantId)) fail('grantId');
  if (!ID_NUMBER.test(g.holderIdNumber)) fail('holderIdNumber');
  if (g.types.length === 0 || g.types.length > MAX_LICENCE_GRANT_TYPES) fail('types (count)');
  if (new Set(g.types).size !== g.types.length) fail('types (duplicate)');
  for (const t of g.types) if (!documentType(t)) fail(`types (${String(t)} is not a registered type)`);
  if (!PURPOSE.test(g.purpose)) fail('purpose');
  const seconds = (ms: number) => Number.isSafeInteger(ms) && ms >= 0 && ms < 2 ** 32 * 1000;
  if (!seconds(g.issuedAt)) fail('iat');
  if (!seconds(g.expiresAt) || Math.floor(g.expiresAt / 1000) <= Math.floor(g.issuedAt / 1000)) fail('exp');
}

/**
 * Signs a grant with the BFF key (behind the key store) and returns the `Licence-Grant` header value.
 * Throws CborShapeError on a grant out of shape.
 *
 * @example
 * const header = signLicenceGrant('bff-licence-dev-1', { grantId, holderIdNumber, types: ['passport'],
 *   purpose: 'passport_application', issuedAt: now, expiresAt: now + 60_000 }, (tbs) => keys.sign(kid, tbs));
 */
export function signLicenceGrant(
  kid: string,
  grant: LicenceGrant,
  sign: (toBeSigned: Uint8Array) => Uint8Array,
): string {
  checkGrant(grant);
  const payload = cborEncode(
    new Map<number, CborValue>([
      [KEY.grantId, grant.grantId],
      [KEY.holder, grant.holderIdNumber],
      [KEY.types, [...grant.types]],
      [KEY.purpose, grant.purpose],
      [KEY.exp, Math.floor(grant.expiresAt / 1000)],
      [KEY.iat, Math.floor(grant.issuedAt / 1000)],
    ]),
  );
  return base64urlEncode(sign1Create(kid, LICENCE_GRANT_AAD, payload, sign));
}

/**
 * Decodes a `Licence-Grant` header value without verifying it; throws CborShapeError unless it is base64url
 * of a COSE_Sign1 whose payload is exactly the grant map with values in shape.
 */
export function decodeLicenceGrant(text: string): DecodedLicenceGrant {
  if (typeof text !== 'string' || text.length === 0 || text.length > 4096) fail('encoding');
  let bytes: Uint8Array;
  try {
    bytes = base64urlDecode(text);
  } catch {
    fail('encoding');
  }
  const sign1 = sign1Decode(bytes);
  const m = CborMap.from(cborDecode(sign1.payload), 'licence grant').only(Object.values(KEY));
  const types = m.array(KEY.types);
  if (!types.every((t): t is string => typeof t === 'string')) fail('types');
  const grant: LicenceGrant = {
    grantId: m.text(KEY.grantId),
    holderIdNumber: m.text(KEY.holder),
    types,
    purpose: m.text(KEY.purpose),
    issuedAt: m.uint(KEY.iat) * 1000,
    expiresAt: m.uint(KEY.exp) * 1000,
  };
  checkGrant(grant);
  return { kid: sign1.kid, grant, sign1 };
}

/** True when the grant's signature verifies under the BFF key `publicKey`. */
export function verifyLicenceGrantSignature(
  decoded: DecodedLicenceGrant,
  publicKey: Uint8Array,
  ed25519: Ed25519,
): boolean {
  const { protectedBytes, payload, signature } = decoded.sign1;
  return ed25519.verify(publicKey, sign1ToBeSigned(protectedBytes, LICENCE_GRANT_AAD, payload), signature);
}

/**
 * The grant-free key of a holder: lower-case hex SHA-256 of `"EID licence holder v1:" + ID number` (upper-case
 * `X`). The licence system names holders by it where no grant is shown (the change feed), and a document
 * request names its holder by it, so no ID number travels in a URL; the BFF computes it from its own records.
 *
 * @example licenceHolderKey('370102198803141017') // 64 hex characters
 */
export function licenceHolderKey(idNumber: string, sha256: Sha256 = portableSha256): string {
  return toHex(sha256(utf8Encode(`${LICENCE_HOLDER_KEY_LABEL}:${idNumber.toUpperCase()}`)));
}

/**
 * The document types a purpose may pull: every type for the wallet, a service's required and optional types
 * for a document-call service, undefined for an unknown purpose.
 */
export function licencePurposeTypes(purpose: string): readonly string[] | undefined {
  if (purpose === LICENCE_WALLET_PURPOSE) return documentTypes().map((t) => t.name);
  const service = findService(purpose);
  return service ? [...service.required, ...service.optional].map((d) => d.type) : undefined;
}

/** What a request asks of a grant. */
export interface LicenceGrantRequest {
  /** `licenceHolderKey` of the holder the request names. */
  holderKey: string;
  types: readonly string[];
  purpose: string;
  /** Epoch ms, from the injected clock. */
  now: number;
}

/**
 * Why a (verified) grant does not cover a request, or undefined when it does. Checks in order: expiry, issue
 * time not ahead of the clock (beyond LICENCE_GRANT_SKEW_MS), lifetime, holder, purpose (the request's, known,
 * and allowing each type), then each requested type named by the grant.
 */
export function licenceGrantProblem(
  grant: LicenceGrant,
  request: LicenceGrantRequest,
  sha256: Sha256 = portableSha256,
): LicenceGrantProblem | undefined {
  if (request.now >= grant.expiresAt) return 'expired';
  if (grant.issuedAt > request.now + LICENCE_GRANT_SKEW_MS) return 'not_yet_valid';
  if (grant.expiresAt - grant.issuedAt > MAX_LICENCE_GRANT_TTL_MS) return 'lifetime_too_long';
  if (licenceHolderKey(grant.holderIdNumber, sha256) !== request.holderKey) return 'holder_mismatch';
  if (grant.purpose !== request.purpose) return 'purpose_mismatch';
  const allowed = licencePurposeTypes(grant.purpose);
  if (!allowed) return 'purpose_unknown';
  if (request.types.some((t) => !allowed.includes(t))) return 'type_not_for_purpose';
  if (request.types.some((t) => !grant.types.includes(t))) return 'type_not_granted';
  return undefined;
}
