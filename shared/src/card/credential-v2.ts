import { CborMap, CborShapeError, cborDecode, cborEncode, utf8Encode, type CborValue } from '../encoding';
import { isStrictEd25519PublicKey, sha256 as portableSha256, type Ed25519, type Sha256 } from '../crypto';
import { isProvinceCode } from '../id-number';
import { CHINA_OFFSET_MS, beijingDate } from '../time';
import { sign1Create, sign1Decode, sign1ToBeSigned, type Sign1 } from './cose';
import {
  MAX_KID_BYTES,
  MAX_NAME_BYTES,
  PORTRAIT_DIGEST_LENGTH,
  checkCredentialFrame,
  decodeCredential,
  type Credential,
  type SexCode,
} from './credential';
import { SD_NODE_LENGTH, sdRoot, type SdLayout, type SdTree, type SdValue } from './sd';

/** External AAD of v2 credential signatures: a v1 signature can never pass as a v2 one, nor the reverse. */
export const CREDENTIAL_V2_AAD = utf8Encode('EID credential v2');
export const ID_CARD_SD_DEPTH = 4;

/**
 * The ID card's slots (docs/formats/credential.md). Medical care (0-3) is one aligned subtree, hotel check-in
 * (0-4, with the empty 5-7) another, so each costs one salt and one proof node; the predicates sit together.
 */
export const ID_CARD_CLAIMS = [
  'name',
  'sex',
  'birthDate',
  'idNumberMasked',
  'ethnicity',
  null,
  null,
  null,
  'portraitDigest',
  'residenceProvince',
  'ageOver14',
  'ageOver16',
  'ageOver18',
  'ageOver60',
  null,
  null,
] as const;
export type CardClaimName = Exclude<(typeof ID_CARD_CLAIMS)[number], null>;

/** The claim names in slot order. */
export const CARD_CLAIM_NAMES: readonly CardClaimName[] = ID_CARD_CLAIMS.filter(
  (c): c is CardClaimName => c !== null,
);

/** What a verifier knows of the ID card's tree before it sees a code. */
export const ID_CARD_SD_LAYOUT: SdLayout = {
  depth: ID_CARD_SD_DEPTH,
  empty: ID_CARD_CLAIMS.flatMap((c, i) => (c === null ? [i] : [])),
};

/** The slot of a claim. */
export function cardClaimSlot(name: CardClaimName): number {
  return ID_CARD_CLAIMS.indexOf(name);
}

/** Decoded claim values (JS side). */
export interface CardClaimValues {
  name: string;
  sex: SexCode;
  /** YYYY-MM-DD */
  birthDate: string;
  /** `1101**********002X` */
  idNumberMasked: string;
  /** As the registry writes it, e.g. `汉`. */
  ethnicity: string;
  portraitDigest: Uint8Array;
  /** Two-digit province code of the residence (card address), else of the issuer. */
  residenceProvince: string;
  ageOver14: boolean;
  ageOver16: boolean;
  ageOver18: boolean;
  ageOver60: boolean;
}

export interface CredentialV2Claims {
  /** Two-digit province code of the issuer. */
  province: string;
  cardId: Uint8Array;
  /** Epoch ms; encoded in whole seconds. */
  issuedAt: number;
  /** Epoch ms; encoded in whole seconds. */
  expiresAt: number;
  devicePublicKey: Uint8Array;
  statusIndex: number;
  /** Root of the holder's salted claim tree (16 bytes). */
  sdRoot: Uint8Array;
}

/** A decoded v2 credential; not yet verified. */
export interface CredentialV2 {
  version: 2;
  kid: string;
  claims: CredentialV2Claims;
  bytes: Uint8Array;
  sign1: Sign1;
}

/** CWT claim keys of v2 (holder claims are no longer in the payload, only their root). */
export const CLAIM_V2 = {
  iss: 1,
  exp: 4,
  iat: 6,
  cti: 7,
  deviceKey: -1,
  statusIndex: -2,
  sdRoot: -8,
} as const;

export const ETHNICITY_MAX_BYTES = 32;
const DATE = /^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;
const MASKED_ID = /^([0-9]{4})\*{10}([0-9]{3}[0-9X])$/;
const VISIBLE_ID = /^[0-9]{7}[0-9X]$/;
const MASK = '**********';

function fail(what: string): never {
  throw new CborShapeError(`credential v2 claim ${what} is invalid`);
}

const trimmedText = (v: unknown, max: number): v is string => {
  if (typeof v !== 'string' || v.trim() !== v) return false;
  const bytes = utf8Encode(v).length;
  return bytes >= 1 && bytes <= max;
};

/** The CBOR of one claim value, or undefined when the value is outside the claim's domain. */
function encodeClaimValue(name: CardClaimName, v: unknown): CborValue | undefined {
  switch (name) {
    case 'name':
      return trimmedText(v, MAX_NAME_BYTES) ? v : undefined;
    case 'ethnicity':
      return trimmedText(v, ETHNICITY_MAX_BYTES) ? v : undefined;
    case 'sex':
      return v === 0 || v === 1 || v === 2 || v === 9 ? v : undefined;
    case 'birthDate':
      return typeof v === 'string' && DATE.test(v) ? Number(v.replace(/-/g, '')) : undefined;
    case 'idNumberMasked': {
      const m = typeof v === 'string' ? MASKED_ID.exec(v) : null;
      return m ? m[1]! + m[2]! : undefined;
    }
    case 'portraitDigest':
      return v instanceof Uint8Array && v.length === PORTRAIT_DIGEST_LENGTH ? v : undefined;
    case 'residenceProvince':
      return typeof v === 'string' && isProvinceCode(v) ? v : undefined;
    default:
      return typeof v === 'boolean' ? v : undefined;
  }
}

/** The JS value of one claim's CBOR, or undefined when it is not in the claim's domain (a verifier says `tampered`). */
export function decodeCardClaim(name: CardClaimName, v: unknown): CardClaimValues[CardClaimName] | undefined {
  switch (name) {
    case 'birthDate': {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return undefined;
      const s = String(v);
      const date = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}`;
      return s.length === 8 && DATE.test(date) ? date : undefined;
    }
    case 'idNumberMasked':
      return typeof v === 'string' && VISIBLE_ID.test(v) ? v.slice(0, 4) + MASK + v.slice(4) : undefined;
    default:
      return encodeClaimValue(name, v) === undefined ? undefined : (v as CardClaimValues[CardClaimName]);
  }
}

/** The CBOR of a claim value; throws CborShapeError outside the claim's domain. */
export function encodeCardClaim(name: CardClaimName, value: unknown): CborValue {
  const encoded = encodeClaimValue(name, value);
  if (encoded === undefined) fail(name);
  return encoded;
}

/** The age predicates at `atMs` and when they flip. */
export interface AgePredicates {
  ageOver14: boolean;
  ageOver16: boolean;
  ageOver18: boolean;
  ageOver60: boolean;
  /** The Beijing midnight at which the first false predicate becomes true; absent once all are true. */
  nextChangeAt?: number;
}

const AGES = [14, 16, 18, 60] as const;

/**
 * The age predicates at instant `atMs`, Beijing calendar: at least N years old from the first moment (Beijing
 * midnight) of the N-th birthday; someone born on 29 February has it on 1 March in a common year.
 *
 * @example agePredicates('2008-06-01', Date.UTC(2026, 4, 31, 16)) // ageOver18 true: 1 June has begun in Beijing
 */
export function agePredicates(birthDate: string, atMs: number): AgePredicates {
  const m = DATE.exec(birthDate);
  if (!m) throw new TypeError('birthDate must be YYYY-MM-DD');
  // Date.UTC rolls 29 February of a common year over to 1 March.
  const birthday = (age: number) =>
    Date.UTC(Number(m[1]) + age, Number(m[2]) - 1, Number(m[3])) - CHINA_OFFSET_MS;
  const today = beijingDate(atMs);
  const out: AgePredicates = { ageOver14: false, ageOver16: false, ageOver18: false, ageOver60: false };
  for (const age of AGES) {
    const at = birthday(age);
    const reached = beijingDate(at) <= today;
    out[`ageOver${age}`] = reached;
    if (!reached && out.nextChangeAt === undefined) out.nextChangeAt = at;
  }
  return out;
}

/** What the device keeps next to the credential: the seed and the claim values (never sent in full). */
export interface HolderSecrets {
  seed: Uint8Array;
  values: CardClaimValues;
}

const SECRETS_SEED = 1;
const SECRETS_VALUES = 2;

/** The CBOR slot map of all claims; throws CborShapeError on a value outside its domain. */
function slotMap(values: CardClaimValues): Map<number, CborValue> {
  return new Map(CARD_CLAIM_NAMES.map((name) => [cardClaimSlot(name), encodeCardClaim(name, values[name])]));
}

/** CBOR `{1: seed, 2: {slot: value}}`, what the BFF hands the device (base64url in `IssuedCard`). */
export function encodeHolderSecrets(s: HolderSecrets): Uint8Array {
  if (!(s.seed instanceof Uint8Array) || s.seed.length !== SD_NODE_LENGTH) fail('seed');
  return cborEncode(
    new Map<number, CborValue>([
      [SECRETS_SEED, s.seed],
      [SECRETS_VALUES, slotMap(s.values)],
    ]),
  );
}

/** Decodes holder secrets; throws CborShapeError unless every claim is there, in its domain, and nothing else. */
export function decodeHolderSecrets(bytes: Uint8Array): HolderSecrets {
  const decoded = cborDecode(bytes);
  const m = CborMap.from(decoded, 'holder secrets').only([SECRETS_SEED, SECRETS_VALUES]);
  const seed = m.bytes(SECRETS_SEED, SD_NODE_LENGTH);
  m.child(SECRETS_VALUES).only(CARD_CLAIM_NAMES.map(cardClaimSlot));
  const slots = (decoded as Map<number, Map<number, CborValue>>).get(SECRETS_VALUES)!;
  const values: Record<string, unknown> = {};
  for (const name of CARD_CLAIM_NAMES) {
    const value = decodeCardClaim(name, slots.get(cardClaimSlot(name)));
    if (value === undefined) fail(name);
    values[name] = value;
  }
  return { seed, values: values as unknown as CardClaimValues };
}

/** The salted tree of a holder's claims (slot order of ID_CARD_CLAIMS). */
export function cardSdTree(s: HolderSecrets): SdTree {
  const encoded = slotMap(s.values);
  const values: SdValue[] = ID_CARD_CLAIMS.map((_, i) => encoded.get(i) ?? null);
  return { depth: ID_CARD_SD_DEPTH, seed: s.seed, values };
}

function check(claims: CredentialV2Claims): void {
  checkCredentialFrame(claims, fail);
  if (claims.sdRoot.length !== SD_NODE_LENGTH) fail('sdRoot');
}

/** The CWT claims set of a v2 credential, deterministic CBOR; throws CborShapeError on bad claims or a weak device key. */
export function encodeCredentialV2Payload(claims: CredentialV2Claims): Uint8Array {
  check(claims);
  if (!isStrictEd25519PublicKey(claims.devicePublicKey)) fail('devicePublicKey');
  return cborEncode(
    new Map<number, CborValue>([
      [CLAIM_V2.iss, claims.province],
      [CLAIM_V2.exp, Math.floor(claims.expiresAt / 1000)],
      [CLAIM_V2.iat, Math.floor(claims.issuedAt / 1000)],
      [CLAIM_V2.cti, claims.cardId],
      [CLAIM_V2.deviceKey, claims.devicePublicKey],
      [CLAIM_V2.statusIndex, claims.statusIndex],
      [CLAIM_V2.sdRoot, claims.sdRoot],
    ]),
  );
}

/** Parses a v2 claims set; throws CborShapeError unless it is exactly the deterministic format. */
export function decodeCredentialV2Payload(payload: Uint8Array): CredentialV2Claims {
  const m = CborMap.from(cborDecode(payload), 'claims').only(Object.values(CLAIM_V2));
  const claims: CredentialV2Claims = {
    province: m.text(CLAIM_V2.iss),
    cardId: m.bytes(CLAIM_V2.cti),
    issuedAt: m.uint(CLAIM_V2.iat) * 1000,
    expiresAt: m.uint(CLAIM_V2.exp) * 1000,
    devicePublicKey: m.bytes(CLAIM_V2.deviceKey),
    statusIndex: m.uint(CLAIM_V2.statusIndex),
    sdRoot: m.bytes(CLAIM_V2.sdRoot),
  };
  check(claims);
  return claims;
}

/**
 * Builds and signs a v2 credential over the root of `secrets`. Refuses predicates that are not the ones of the
 * birth date at `issuedAt`, or a validity past the birthday that changes one (the BFF re-issues on that day).
 *
 * @example issueCredentialV2('dev-37-1', claims, secrets, (tbs) => keystore.signAsIssuer('dev-37-1', tbs))
 */
export function issueCredentialV2(
  kid: string,
  claims: Omit<CredentialV2Claims, 'sdRoot'>,
  secrets: HolderSecrets,
  sign: (toBeSigned: Uint8Array) => Uint8Array,
  sha256: Sha256 = portableSha256,
): Uint8Array {
  if (utf8Encode(kid).length > MAX_KID_BYTES) fail('kid');
  const tree = cardSdTree(secrets);
  const { birthDate } = secrets.values;
  const predicates = agePredicates(birthDate, claims.issuedAt);
  for (const age of AGES) {
    if (secrets.values[`ageOver${age}`] !== predicates[`ageOver${age}`]) fail(`ageOver${age}`);
  }
  if (predicates.nextChangeAt !== undefined && claims.expiresAt > predicates.nextChangeAt) fail('expiresAt');
  const payload = encodeCredentialV2Payload({ ...claims, sdRoot: sdRoot(tree, sha256) });
  return sign1Create(kid, CREDENTIAL_V2_AAD, payload, sign);
}

function fromSign1(bytes: Uint8Array, sign1: Sign1): CredentialV2 {
  if (utf8Encode(sign1.kid).length > MAX_KID_BYTES) fail('kid');
  return { version: 2, kid: sign1.kid, claims: decodeCredentialV2Payload(sign1.payload), bytes, sign1 };
}

/** Decodes a v2 credential without verifying it; throws CborShapeError when malformed. */
export function decodeCredentialV2(bytes: Uint8Array): CredentialV2 {
  return fromSign1(bytes, sign1Decode(bytes));
}

/** True when the issuer signature over the v2 credential verifies under `issuerPublicKey`. */
export function verifyCredentialV2Signature(
  credential: CredentialV2,
  issuerPublicKey: Uint8Array,
  ed25519: Ed25519,
): boolean {
  const { protectedBytes, payload, signature } = credential.sign1;
  return ed25519.verify(
    issuerPublicKey,
    sign1ToBeSigned(protectedBytes, CREDENTIAL_V2_AAD, payload),
    signature,
  );
}

/** True for a decoded v2 credential. */
export function isCredentialV2(c: Credential | CredentialV2): c is CredentialV2 {
  return (c as CredentialV2).version === 2;
}

/** Decodes a v1 or v2 credential (v2 has the sdRoot claim -8); throws CborShapeError when it is neither. */
export function decodeAnyCredential(bytes: Uint8Array): Credential | CredentialV2 {
  const sign1 = sign1Decode(bytes);
  const payload = CborMap.from(cborDecode(sign1.payload), 'claims');
  return payload.has(CLAIM_V2.sdRoot) ? fromSign1(bytes, sign1) : decodeCredential(bytes);
}
