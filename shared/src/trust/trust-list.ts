import { CborMap, CborShapeError, cborDecode, cborEncode, utf8Encode, type CborValue } from '../encoding';
import { isStrictEd25519PublicKey, type Ed25519 } from '../crypto';
import { isProvinceCode } from '../id-number';
import { sign1Create, sign1Decode, sign1ToBeSigned } from '../card/cose';

/** External AAD of trust-list signatures (see card/cose.ts). */
export const TRUST_LIST_AAD = utf8Encode('EID trust list v1');

/** One issuer key a verifier accepts. */
export interface TrustedIssuer {
  kid: string;
  /** Two-digit province code; a credential naming another province under this key is refused. */
  province: string;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
  /** Epoch ms; credentials issued before it are refused. */
  notBefore?: number;
  /** Epoch ms; credentials issued after it are refused (the key was retired). */
  notAfter?: number;
}

/** A verified trust list. */
export interface TrustList {
  /** Increases with every publication, so a verifier never goes back to an older list. */
  sequence: number;
  /** Epoch ms. */
  issuedAt: number;
  issuers: ReadonlyMap<string, TrustedIssuer>;
}

export interface TrustListContent {
  sequence: number;
  issuedAt: number;
  issuers: TrustedIssuer[];
}

const KEY = { sequence: 1, iat: 2, issuers: 3 } as const;
const ISSUER = { kid: 1, province: 2, publicKey: 3, notBefore: 4, notAfter: 5 } as const;

/** Encodes and signs a trust list with the root signer (the BFF key store's trust-root key). */
export function signTrustList(
  content: TrustListContent,
  rootKid: string,
  sign: (toBeSigned: Uint8Array) => Uint8Array,
): Uint8Array {
  const issuers = content.issuers.map((i) => {
    if (!isProvinceCode(i.province) || !isStrictEd25519PublicKey(i.publicKey))
      throw new CborShapeError('invalid trusted issuer');
    const entry = new Map<number, CborValue>([
      [ISSUER.kid, i.kid],
      [ISSUER.province, i.province],
      [ISSUER.publicKey, i.publicKey],
    ]);
    if (i.notBefore !== undefined) entry.set(ISSUER.notBefore, Math.floor(i.notBefore / 1000));
    if (i.notAfter !== undefined) entry.set(ISSUER.notAfter, Math.floor(i.notAfter / 1000));
    return entry;
  });
  const payload = cborEncode(
    new Map<number, CborValue>([
      [KEY.sequence, content.sequence],
      [KEY.iat, Math.floor(content.issuedAt / 1000)],
      [KEY.issuers, issuers],
    ]),
  );
  return sign1Create(rootKid, TRUST_LIST_AAD, payload, sign);
}

/**
 * Verifies a signed trust list against the root public key and decodes it. Throws CborShapeError
 * when it is malformed, the signature does not verify, or an issuer key is one no verifier accepts
 * (small order or non-canonical, `isStrictEd25519PublicKey`): a verifier then keeps its previous list.
 */
export function openTrustList(bytes: Uint8Array, rootPublicKey: Uint8Array, ed25519: Ed25519): TrustList {
  const sign1 = sign1Decode(bytes);
  const tbs = sign1ToBeSigned(sign1.protectedBytes, TRUST_LIST_AAD, sign1.payload);
  if (!ed25519.verify(rootPublicKey, tbs, sign1.signature))
    throw new CborShapeError('trust list signature invalid');
  const m = CborMap.from(cborDecode(sign1.payload), 'trust list').only(Object.values(KEY));
  const issuers = new Map<string, TrustedIssuer>();
  for (const raw of m.array(KEY.issuers)) {
    const e = CborMap.from(raw, 'issuer').only(Object.values(ISSUER));
    const issuer: TrustedIssuer = {
      kid: e.text(ISSUER.kid),
      province: e.text(ISSUER.province),
      publicKey: e.bytes(ISSUER.publicKey, 32),
    };
    const nb = e.optionalUint(ISSUER.notBefore);
    const na = e.optionalUint(ISSUER.notAfter);
    if (nb !== undefined) issuer.notBefore = nb * 1000;
    if (na !== undefined) issuer.notAfter = na * 1000;
    if (!isProvinceCode(issuer.province)) throw new CborShapeError('issuer province invalid');
    // A small-order issuer key would let anyone sign credentials under it: the whole list is refused.
    if (!isStrictEd25519PublicKey(issuer.publicKey)) throw new CborShapeError('issuer key not acceptable');
    if (issuers.has(issuer.kid)) throw new CborShapeError('duplicate issuer kid');
    issuers.set(issuer.kid, issuer);
  }
  return { sequence: m.uint(KEY.sequence), issuedAt: m.uint(KEY.iat) * 1000, issuers };
}

/** A trust list built in memory (for the BFF, which already knows its keys, and for tests). */
export function trustListOf(issuers: TrustedIssuer[], issuedAt = 0, sequence = 0): TrustList {
  return { sequence, issuedAt, issuers: new Map(issuers.map((i) => [i.kid, i])) };
}
