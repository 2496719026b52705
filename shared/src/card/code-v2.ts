import {
  CborShapeError,
  base45Encode,
  bytesEqual,
  cborEncode,
  cborHead,
  cborHeadLength,
  concatBytes,
  utf8Encode,
  type CborValue,
} from '../encoding';
import {
  randomBytes,
  sha256 as portableSha256,
  tweetnaclEd25519,
  type Ed25519,
  type Sha256,
} from '../crypto';
import { CODE_NONCE_LENGTH, CODE_PREFIX, parseCode, type ParsedCode } from './code';
import { codeUint, decodeCodeText } from './code-text';
import {
  ID_CARD_CLAIMS,
  ID_CARD_SD_LAYOUT,
  cardClaimSlot,
  cardSdTree,
  decodeCardClaim,
  decodeCredentialV2,
  type CardClaimName,
  type CardClaimValues,
  type HolderSecrets,
} from './credential-v2';
import { sdBuild, sdCheck, sdValuesFrom, type SdDisclosure } from './sd';

/** Version prefix of a v2 code's QR text. */
export const CODE_V2_PREFIX = 'EID2:';
/** Domain-separation label of the v2 device signature. */
export const CODE_V2_SIGNATURE_CONTEXT = 'EID code v2';
/** Largest purpose id a code may name (purpose ids are small; 32 bits keeps the size bound). */
export const MAX_PURPOSE_ID = 0xffffffff;
const CONTEXT_BYTES = utf8Encode(CODE_V2_SIGNATURE_CONTEXT);
const SIGNING_PREFIX = concatBytes(cborHead(4, 8), cborHead(3, CONTEXT_BYTES.length), CONTEXT_BYTES);

export interface BuildCodeV2Input {
  /** The v2 credential bytes as issued. */
  credential: Uint8Array;
  /** The seed and claim values the BFF handed over with the credential. */
  secrets: HolderSecrets;
  /** The claims this code shows (any order; duplicates ignored); none proves only "a valid card on this device". */
  disclose: readonly CardClaimName[];
  /** The purpose the holder chose (`Purpose.id`); 0 = none. */
  purposeId?: number;
  /** 64-byte device secret key; it never leaves the device. */
  deviceSecretKey: Uint8Array;
  /** Epoch ms from the device clock. */
  now: number;
  /** Fresh random bytes unless a test vector fixes them. */
  nonce?: Uint8Array;
  ed25519?: Ed25519;
  sha256?: Sha256;
}

/** What a v2 code holds besides its signature. */
export interface CodeV2Fields {
  credential: Uint8Array;
  /** Epoch ms; encoded in whole seconds. */
  timestamp: number;
  nonce: Uint8Array;
  purposeId: number;
  disclosure: SdDisclosure;
}

/** A decoded v2 code; not yet verified. */
export interface ParsedCodeV2 extends CodeV2Fields {
  version: 2;
  signature: Uint8Array;
  /** The CBOR bytes inside the base45 text (what a replay cache hashes). */
  bytes: Uint8Array;
}

/**
 * Makes the text of a v2 QR code, offline: `EID2:` + base45(CBOR `[credential, timestamp_s, nonce, purposeId,
 * values, salts, proof, signature]`). Throws TypeError when `secrets` are not the credential's (their root
 * differs), so a wallet never shows a code every verifier would call tampered.
 *
 * @example buildCodeV2({ credential, secrets, disclose: ['ageOver18'], purposeId: 14, deviceSecretKey, now })
 */
export function buildCodeV2(input: BuildCodeV2Input): string {
  const ed = input.ed25519 ?? tweetnaclEd25519;
  const nonce = input.nonce ?? randomBytes(CODE_NONCE_LENGTH);
  if (nonce.length !== CODE_NONCE_LENGTH) throw new TypeError(`nonce must be ${CODE_NONCE_LENGTH} bytes`);
  const purposeId = input.purposeId ?? 0;
  if (!Number.isSafeInteger(purposeId) || purposeId < 0 || purposeId > MAX_PURPOSE_ID) {
    throw new TypeError('purposeId must be an unsigned 32-bit integer');
  }
  const tree = sdBuild(cardSdTree(input.secrets), input.sha256 ?? portableSha256);
  if (!bytesEqual(tree.root, decodeCredentialV2(input.credential).claims.sdRoot)) {
    throw new TypeError('holder secrets do not belong to this credential');
  }
  const positions = [...new Set(input.disclose)].map((name) => {
    const slot = cardClaimSlot(name);
    if (slot < 0) throw new TypeError(`unknown claim ${String(name)}`);
    return slot;
  });
  return signCodeV2(
    {
      credential: input.credential,
      timestamp: input.now,
      nonce,
      purposeId,
      disclosure: tree.disclose(positions),
    },
    input.deviceSecretKey,
    ed,
  );
}

/**
 * Encodes and signs the fields as given, unchecked (buildCodeV2 is the checked way): test vectors use it for
 * codes whose disclosure a lying device edited.
 */
export function signCodeV2(fields: CodeV2Fields, deviceSecretKey: Uint8Array, ed25519: Ed25519): string {
  const { credential, nonce, purposeId, disclosure: d } = fields;
  const ts = Math.floor(fields.timestamp / 1000);
  const values = d.values as Map<number, CborValue>;
  const body = concatBytes(
    ...[credential, ts, nonce, purposeId, values, d.salts, d.proof].map((item) => cborEncode(item)),
  );
  const signature = ed25519.sign(deviceSecretKey, concatBytes(SIGNING_PREFIX, body));
  return CODE_V2_PREFIX + base45Encode(concatBytes(cborHead(4, 8), body, cborEncode(signature)));
}

/** The bytes the device signs: CBOR `["EID code v2", credential, ts_s, nonce, purposeId, values, salts, proof]`. */
export function codeV2SigningInput(code: ParsedCodeV2): Uint8Array {
  return concatBytes(SIGNING_PREFIX, code.bytes.subarray(1, code.bytes.length - 66));
}

/**
 * The code's own CBOR bytes of `values`, `salts` and `proof`: the same in every code one credential makes
 * for one purpose (the salts are derived, not random), so a verifier can remember a disclosure it opened.
 */
export function codeV2DisclosureBytes(code: ParsedCodeV2): Uint8Array {
  // Counted, not encoded: the verifier compares these bytes for every code it checks.
  const start =
    1 +
    cborHeadLength(code.credential.length) +
    code.credential.length +
    cborHeadLength(code.timestamp / 1000) +
    1 +
    CODE_NONCE_LENGTH +
    cborHeadLength(code.purposeId);
  return code.bytes.subarray(start, code.bytes.length - 66);
}

/** Parses the text of a v2 code; throws CborShapeError when it is not one (the verdict `malformed`). */
export function parseCodeV2(text: string): ParsedCodeV2 {
  const { items, bytes } = decodeCodeText(text, CODE_V2_PREFIX, 8);
  const [credential, ts, nonce, purposeId, values, salts, proof, signature] = items;
  if (!(credential instanceof Uint8Array)) throw new CborShapeError('credential is not bytes');
  const timestamp = codeUint(ts, Math.floor(Number.MAX_SAFE_INTEGER / 1000), 'timestamp');
  if (!(nonce instanceof Uint8Array) || nonce.length !== CODE_NONCE_LENGTH)
    throw new CborShapeError('bad nonce');
  if (!(salts instanceof Uint8Array) || !(proof instanceof Uint8Array))
    throw new CborShapeError('salts or proof is not bytes');
  if (!(signature instanceof Uint8Array) || signature.length !== 64)
    throw new CborShapeError('bad signature length');
  return {
    version: 2,
    credential,
    timestamp: timestamp * 1000,
    nonce,
    purposeId: codeUint(purposeId, MAX_PURPOSE_ID, 'purposeId'),
    disclosure: { values: sdValuesFrom(values), salts, proof },
    signature,
    bytes,
  };
}

/** True when the device signature of `code` verifies under the device key bound in its credential. */
export function verifyCodeV2Signature(
  code: ParsedCodeV2,
  devicePublicKey: Uint8Array,
  ed25519: Ed25519,
): boolean {
  // As in v1: the code's own bytes between its array head and its 66-byte signature are the signed items in
  // order, so the verifier re-encodes nothing.
  return ed25519.verify(devicePublicKey, codeV2SigningInput(code), code.signature);
}

/**
 * Checks the code's disclosure against the credential's root: the disclosed claims (slot order), or `tampered`
 * when a value is outside its claim's domain, a slot is empty or beyond the card, the salts or proof do not
 * have the canonical length, or the root differs. Run after the device signature held.
 */
export function openDisclosure(
  code: ParsedCodeV2,
  sdRoot: Uint8Array,
  sha256: Sha256 = portableSha256,
): Partial<CardClaimValues> | 'tampered' {
  const claims: Record<string, unknown> = {};
  for (const [slot, value] of code.disclosure.values) {
    const name = ID_CARD_CLAIMS[slot];
    if (!name) return 'tampered';
    const decoded = decodeCardClaim(name, value);
    if (decoded === undefined) return 'tampered';
    claims[name] = decoded;
  }
  if (!sdCheck(ID_CARD_SD_LAYOUT, code.disclosure, sdRoot, sha256)) return 'tampered';
  return claims as Partial<CardClaimValues>;
}

/** The names of the claims a code discloses, in slot order (not yet checked against the root). */
export function disclosedClaimNames(code: ParsedCodeV2): CardClaimName[] {
  return [...code.disclosure.values.keys()].flatMap((slot) => {
    const name = ID_CARD_CLAIMS[slot];
    return name ? [name] : [];
  });
}

/** True for a parsed v2 code. */
export function isParsedCodeV2(code: ParsedCode | ParsedCodeV2): code is ParsedCodeV2 {
  return (code as ParsedCodeV2).version === 2;
}

/** Parses a v1 (`EID1:`) or v2 (`EID2:`) code by its prefix; throws CborShapeError otherwise. */
export function parseAnyCode(text: string): ParsedCode | ParsedCodeV2 {
  if (typeof text === 'string' && text.startsWith(CODE_V2_PREFIX)) return parseCodeV2(text);
  if (typeof text === 'string' && text.startsWith(CODE_PREFIX)) return parseCode(text);
  throw new CborShapeError('missing code prefix');
}
