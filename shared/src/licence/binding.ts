import { CborMap, CborShapeError, cborDecode, cborEncode, utf8Encode, type CborValue } from '../encoding';
import { isStrictEd25519PublicKey, sha256 as portableSha256, type Ed25519, type Sha256 } from '../crypto';
import { isProvinceCode } from '../id-number';
import { sign1Create, sign1Decode, sign1ToBeSigned, type Sign1 } from '../card/cose';
import type { TrustList, TrustedIssuer } from '../trust/trust-list';

/**
 * The device binding of a document (docs/formats/licence-codes.md): the issuing body signs documents but
 * knows no devices, so the BFF, with its province issuer key (trusted through the trust list), signs that one
 * document credential may be shown by one device key until `exp`.
 */

/** External AAD of binding signatures. */
export const BINDING_AAD = utf8Encode('EID licence binding v1');
/** Length of a document digest: SHA-256 of the credential bytes, truncated as the tree's nodes are. */
export const DOCUMENT_DIGEST_LENGTH = 16;

/** Payload keys: CWT's iss/exp/iat (RFC 8392) and the card's -1 for the device key. */
export const BINDING_CLAIM = { iss: 1, exp: 4, iat: 6, deviceKey: -1, docDigest: -30 } as const;

export interface BindingClaims {
  /** Two-digit province code of the signing BFF (its trust-list entry's province). */
  province: string;
  /** Epoch ms; whole seconds on the wire. */
  issuedAt: number;
  /** Epoch ms; codes are refused from then on. */
  expiresAt: number;
  /** `documentDigest` of the document credential bytes. */
  documentDigest: Uint8Array;
  /** The device's raw 32-byte Ed25519 public key; never of small order. */
  devicePublicKey: Uint8Array;
}

/** A decoded binding; not yet verified. */
export interface DocumentBinding {
  kid: string;
  claims: BindingClaims;
  bytes: Uint8Array;
  sign1: Sign1;
}

/**
 * The 16-byte digest that names a document credential in bindings, receipts and annotations: the first 16
 * bytes of SHA-256 over the credential's exact bytes.
 */
export function documentDigest(credential: Uint8Array, sha256: Sha256 = portableSha256): Uint8Array {
  return sha256(credential).slice(0, DOCUMENT_DIGEST_LENGTH);
}

function fail(what: string): never {
  throw new CborShapeError(`licence binding ${what} is invalid`);
}

function check(c: BindingClaims): void {
  if (!isProvinceCode(c.province)) fail('iss');
  if (!(Number.isFinite(c.issuedAt) && c.issuedAt >= 0)) fail('iat');
  if (!(Number.isFinite(c.expiresAt) && c.expiresAt > c.issuedAt)) fail('exp');
  if (!(c.documentDigest instanceof Uint8Array) || c.documentDigest.length !== DOCUMENT_DIGEST_LENGTH)
    fail('docDigest');
  if (!(c.devicePublicKey instanceof Uint8Array) || !isStrictEd25519PublicKey(c.devicePublicKey))
    fail('deviceKey');
}

/** Deterministic CBOR of the binding payload; throws CborShapeError on bad claims or a weak device key. */
export function encodeBindingPayload(c: BindingClaims): Uint8Array {
  check(c);
  return cborEncode(
    new Map<number, CborValue>([
      [BINDING_CLAIM.iss, c.province],
      [BINDING_CLAIM.exp, Math.floor(c.expiresAt / 1000)],
      [BINDING_CLAIM.iat, Math.floor(c.issuedAt / 1000)],
      [BINDING_CLAIM.deviceKey, c.devicePublicKey],
      [BINDING_CLAIM.docDigest, c.documentDigest],
    ]),
  );
}

/**
 * Signs a binding with the BFF's province issuer key (the signer holds it; we never do).
 *
 * @example signBinding(kid, { province: '37', issuedAt, expiresAt, documentDigest: documentDigest(doc), devicePublicKey }, sign)
 */
export function signBinding(
  kid: string,
  claims: BindingClaims,
  sign: (toBeSigned: Uint8Array) => Uint8Array,
): Uint8Array {
  return sign1Create(kid, BINDING_AAD, encodeBindingPayload(claims), sign);
}

/** Decodes a binding strictly (exactly the five keys, a strict device key); throws CborShapeError. */
export function decodeBinding(bytes: Uint8Array): DocumentBinding {
  const sign1 = sign1Decode(bytes);
  const m = CborMap.from(cborDecode(sign1.payload), 'licence binding').only(Object.values(BINDING_CLAIM));
  const claims: BindingClaims = {
    province: m.text(BINDING_CLAIM.iss),
    issuedAt: m.uint(BINDING_CLAIM.iat) * 1000,
    expiresAt: m.uint(BINDING_CLAIM.exp) * 1000,
    documentDigest: m.bytes(BINDING_CLAIM.docDigest, DOCUMENT_DIGEST_LENGTH),
    devicePublicKey: m.bytes(BINDING_CLAIM.deviceKey, 32),
  };
  check(claims);
  return { kid: sign1.kid, claims, bytes, sign1 };
}

/** True when the binding's signature verifies under `signerPublicKey`. */
export function verifyBindingSignature(
  binding: DocumentBinding,
  signerPublicKey: Uint8Array,
  ed25519: Ed25519,
): boolean {
  const { protectedBytes, payload, signature } = binding.sign1;
  return ed25519.verify(signerPublicKey, sign1ToBeSigned(protectedBytes, BINDING_AAD, payload), signature);
}

/**
 * The trust-list entry of a BFF-signed structure: its kid listed, for the province it names, valid at
 * `signedAt`. Undefined otherwise. Bindings, request codes, receipts and annotations all use it.
 */
export function bffSignerFor(
  trustList: TrustList,
  kid: string,
  province: string,
  signedAt: number,
): TrustedIssuer | undefined {
  const issuer = trustList.issuers.get(kid);
  if (!issuer || issuer.province !== province) return undefined;
  if (issuer.notBefore !== undefined && signedAt < issuer.notBefore) return undefined;
  if (issuer.notAfter !== undefined && signedAt > issuer.notAfter) return undefined;
  return issuer;
}
