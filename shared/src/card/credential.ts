import { CborMap, CborShapeError, cborDecode, cborEncode, utf8Encode, type CborValue } from '../encoding';
import { isStrictEd25519PublicKey, type Ed25519 } from '../crypto';
import { isProvinceCode } from '../id-number';
import { sign1Create, sign1Decode, sign1ToBeSigned, type Sign1 } from './cose';

/** External AAD of credential signatures (see cose.ts): binds the signature to this document type. */
export const CREDENTIAL_AAD = utf8Encode('EID credential v1');
export const CARD_ID_LENGTH = 16;
/** The portrait digest is SHA-256 truncated to 128 bits: second-preimage safe, 16 bytes smaller. */
export const PORTRAIT_DIGEST_LENGTH = 16;
/** Longest key id a credential may name, so the size bound below holds. */
export const MAX_KID_BYTES = 16;
/**
 * Upper bound on the holder's name in UTF-8 bytes: 34 CJK characters, or a long transliterated
 * minority name. With it every field at its largest still fits QR version 15 at level M (tested).
 */
export const MAX_NAME_BYTES = 102;

/** Sex as GB/T 2261.1 codes: 0 unknown, 1 male, 2 female, 9 not stated. */
export type SexCode = 0 | 1 | 2 | 9;

/** The minimum a verifier needs to recognise the holder without a network. */
export interface HolderClaims {
  name: string;
  sex: SexCode;
  /** YYYY-MM-DD */
  birthDate: string;
  /** `1101**********002X`: first four and last four characters of the 18-character number. */
  idNumberMasked: string;
  /** First 16 bytes of the SHA-256 of the registry portrait the device shows next to the code. */
  portraitDigest: Uint8Array;
}

export interface CredentialClaims {
  /** Two-digit province code of the issuer. */
  province: string;
  /** Random card id (never derived from the ID number). */
  cardId: Uint8Array;
  /** Epoch ms; encoded in whole seconds. */
  issuedAt: number;
  /** Epoch ms; encoded in whole seconds; never after the physical card's validity. */
  expiresAt: number;
  /** Raw 32-byte Ed25519 key the device signs codes with. */
  devicePublicKey: Uint8Array;
  /** Position of this card in its issuer's status list. */
  statusIndex: number;
  holder: HolderClaims;
}

/** A decoded credential: the claims plus the exact signed bytes. Not yet verified. */
export interface Credential {
  kid: string;
  claims: CredentialClaims;
  /** The whole COSE_Sign1 as issued. */
  bytes: Uint8Array;
  sign1: Sign1;
}

/**
 * Claim keys: CWT's registered ones (RFC 8392) where they exist, small negative (private) keys for
 * the rest because they encode in one byte. Layout and reasons: docs/formats/credential.md.
 */
export const CLAIM = {
  iss: 1,
  exp: 4,
  iat: 6,
  cti: 7,
  deviceKey: -1,
  statusIndex: -2,
  name: -3,
  sex: -4,
  birthDate: -5,
  idNumberVisible: -6,
  portraitDigest: -7,
} as const;

const DATE = /^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;
const MASKED_ID = /^([0-9]{4})\*{10}([0-9]{3}[0-9X])$/;
const MASK = '**********';

function fail(what: string): never {
  throw new CborShapeError(`credential claim ${what} is invalid`);
}

/**
 * The checks both credential versions make of the claims they share (issuer province, card id, device key
 * length, status index, validity); `fail` throws the version's CborShapeError.
 */
export function checkCredentialFrame(
  claims: Pick<
    CredentialClaims,
    'province' | 'cardId' | 'devicePublicKey' | 'statusIndex' | 'issuedAt' | 'expiresAt'
  >,
  fail: (what: string) => never,
): void {
  if (!isProvinceCode(claims.province)) fail('province');
  if (claims.cardId.length !== CARD_ID_LENGTH) fail('cardId');
  if (claims.devicePublicKey.length !== 32) fail('devicePublicKey');
  if (
    !Number.isSafeInteger(claims.statusIndex) ||
    claims.statusIndex < 0 ||
    claims.statusIndex > 0xffffffff
  ) {
    fail('statusIndex');
  }
  if (!(claims.issuedAt >= 0 && claims.expiresAt > claims.issuedAt && claims.expiresAt < 2 ** 32 * 1000)) {
    fail('issuedAt/expiresAt');
  }
}

function check(claims: CredentialClaims): void {
  const { holder } = claims;
  checkCredentialFrame(claims, fail);
  const nameBytes = utf8Encode(holder.name).length;
  if (nameBytes === 0 || nameBytes > MAX_NAME_BYTES || holder.name.trim() !== holder.name) fail('name');
  if (![0, 1, 2, 9].includes(holder.sex)) fail('sex');
  if (!DATE.test(holder.birthDate)) fail('birthDate');
  if (!MASKED_ID.test(holder.idNumberMasked)) fail('idNumberMasked');
  if (holder.portraitDigest.length !== PORTRAIT_DIGEST_LENGTH) fail('portraitDigest');
}

/**
 * The CWT claims set (RFC 8392) of a credential, deterministic CBOR. Throws CborShapeError on bad claims,
 * and on a device key anyone could sign for (small order or non-canonical), so no issuer ever signs one.
 */
export function encodeCredentialPayload(claims: CredentialClaims): Uint8Array {
  check(claims);
  if (!isStrictEd25519PublicKey(claims.devicePublicKey)) fail('devicePublicKey');
  const { holder } = claims;
  const masked = MASKED_ID.exec(holder.idNumberMasked)!;
  return cborEncode(
    new Map<number, CborValue>([
      [CLAIM.iss, claims.province],
      [CLAIM.exp, Math.floor(claims.expiresAt / 1000)],
      [CLAIM.iat, Math.floor(claims.issuedAt / 1000)],
      [CLAIM.cti, claims.cardId],
      [CLAIM.deviceKey, claims.devicePublicKey],
      [CLAIM.statusIndex, claims.statusIndex],
      [CLAIM.name, holder.name],
      [CLAIM.sex, holder.sex],
      [CLAIM.birthDate, Number(holder.birthDate.replace(/-/g, ''))],
      [CLAIM.idNumberVisible, masked[1]! + masked[2]!],
      [CLAIM.portraitDigest, holder.portraitDigest],
    ]),
  );
}

/** Parses the claims set; throws CborShapeError unless it is exactly our deterministic format. */
export function decodeCredentialPayload(payload: Uint8Array): CredentialClaims {
  const m = CborMap.from(cborDecode(payload), 'claims').only(Object.values(CLAIM));
  const birth = String(m.uint(CLAIM.birthDate));
  const visible = m.text(CLAIM.idNumberVisible);
  if (birth.length !== 8 || visible.length !== 8) fail('birthDate or idNumber');
  const claims: CredentialClaims = {
    province: m.text(CLAIM.iss),
    cardId: m.bytes(CLAIM.cti),
    issuedAt: m.uint(CLAIM.iat) * 1000,
    expiresAt: m.uint(CLAIM.exp) * 1000,
    devicePublicKey: m.bytes(CLAIM.deviceKey),
    statusIndex: m.uint(CLAIM.statusIndex),
    holder: {
      name: m.text(CLAIM.name),
      sex: m.uint(CLAIM.sex) as SexCode,
      birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`,
      idNumberMasked: visible.slice(0, 4) + MASK + visible.slice(4),
      portraitDigest: m.bytes(CLAIM.portraitDigest),
    },
  };
  check(claims);
  return claims;
}

/**
 * Builds and signs a credential. `sign` is the issuer's signer (the BFF key store), so no key bytes
 * pass through here.
 *
 * @example issueCredential('dev-37-1', claims, (tbs) => keystore.signAsIssuer('dev-37-1', tbs))
 */
export function issueCredential(
  kid: string,
  claims: CredentialClaims,
  sign: (toBeSigned: Uint8Array) => Uint8Array,
): Uint8Array {
  if (utf8Encode(kid).length > MAX_KID_BYTES) fail('kid');
  return sign1Create(kid, CREDENTIAL_AAD, encodeCredentialPayload(claims), sign);
}

/** Decodes a credential without verifying it; throws CborShapeError when malformed. */
export function decodeCredential(bytes: Uint8Array): Credential {
  const sign1 = sign1Decode(bytes);
  if (utf8Encode(sign1.kid).length > MAX_KID_BYTES) fail('kid');
  return { kid: sign1.kid, claims: decodeCredentialPayload(sign1.payload), bytes, sign1 };
}

/** True when the issuer signature over the credential verifies under `issuerPublicKey`. */
export function verifyCredentialSignature(
  credential: Credential,
  issuerPublicKey: Uint8Array,
  ed25519: Ed25519,
): boolean {
  const { protectedBytes, payload, signature } = credential.sign1;
  return ed25519.verify(issuerPublicKey, sign1ToBeSigned(protectedBytes, CREDENTIAL_AAD, payload), signature);
}

/** GB/T 2261.1 code of a sex as the registry or a form writes it (`M`, `男`, `male`, ...); 0 when unknown. */
export function sexCodeOf(text: string): SexCode {
  const t = text.trim().toLowerCase();
  if (t === 'm' || t === '男' || t === 'male' || t === '1') return 1;
  if (t === 'f' || t === '女' || t === 'female' || t === '2') return 2;
  if (t === '9') return 9;
  return 0;
}
