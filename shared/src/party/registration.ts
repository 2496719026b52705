import { base64urlDecode, base64urlEncode, canonicalJson, concatBytes, utf8Encode } from '../encoding';
import { isStrictEd25519PublicKey, isStrictEd25519Signature, type Ed25519 } from '../crypto';
import type { PartyRegistrationPayload, PartyRegistryKeys, SignedPartyRegistration } from '../api/party';

/**
 * Signed party registrations and the keys that sign them (docs/formats/party-registration.md). The BFF signs
 * a party's registration with its party-registry key; the trust root signs the list of party-registry keys;
 * the mini-program checks both before it tells a resident "registered for: ...".
 */

/** Domain prefix of a registration's signed message, so no other signed value of ours can pass for one. */
export const REGISTRATION_AAD = utf8Encode('EID party registration v1\n');
/** Domain prefix of the party-registry keys document's signed message. */
export const REGISTRY_KEYS_AAD = utf8Encode('EID party registry keys v1\n');

/** A party-registry public key, opened. */
export interface RegistryKey {
  kid: string;
  publicKey: Uint8Array;
}

/**
 * The bytes the party-registry key signs: REGISTRATION_AAD followed by the UTF-8 canonical JSON of `payload`.
 * Throws TypeError when the payload holds a value canonical JSON refuses.
 */
export function registrationMessage(payload: PartyRegistrationPayload): Uint8Array {
  return concatBytes(REGISTRATION_AAD, utf8Encode(canonicalJson(payload)));
}

/** The bytes the trust root signs for `GET /api/v1/party-registry-keys`. */
export function registryKeysMessage(payload: PartyRegistryKeys['payload']): Uint8Array {
  return concatBytes(REGISTRY_KEYS_AAD, utf8Encode(canonicalJson(payload)));
}

/**
 * Signs a registration with `sign` (the key store's signAsPartyRegistry, which never hands out the key).
 *
 * @example signRegistration(payload, keys.partyRegistryKid(), (m) => keys.signAsPartyRegistry(m))
 */
export function signRegistration(
  payload: PartyRegistrationPayload,
  kid: string,
  sign: (message: Uint8Array) => Uint8Array,
): SignedPartyRegistration {
  return { payload, kid, signature: base64urlEncode(sign(registrationMessage(payload))) };
}

/** Signs the party-registry keys document with `sign` (the key store's signAsTrustRoot). */
export function signRegistryKeys(
  payload: PartyRegistryKeys['payload'],
  sign: (message: Uint8Array) => Uint8Array,
): PartyRegistryKeys {
  return { payload, signature: base64urlEncode(sign(registryKeysMessage(payload))) };
}

/** The 64 signature bytes of a base64url text, or undefined unless they are a strict Ed25519 signature. */
function strictSignature(text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string' || text.length !== 86) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = base64urlDecode(text);
  } catch {
    return undefined;
  }
  return isStrictEd25519Signature(bytes) ? bytes : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when `signed` (parsed JSON, possibly from anywhere) is a version-1 registration signed by one of
 * `keys` (opened with openRegistryKeys). The message is rebuilt from the payload by canonical JSON, so key
 * order and whitespace of the transport do not matter, but every byte of every value does. Never throws.
 */
export function verifyRegistration(
  signed: SignedPartyRegistration,
  keys: readonly RegistryKey[],
  ed25519: Ed25519,
): boolean {
  if (!isPlainObject(signed) || !isPlainObject(signed.payload) || signed.payload.v !== 1) return false;
  if (typeof signed.kid !== 'string') return false;
  const key = keys.find((k) => k.kid === signed.kid);
  if (!key || !isStrictEd25519PublicKey(key.publicKey)) return false;
  const signature = strictSignature(signed.signature);
  if (!signature) return false;
  let message: Uint8Array;
  try {
    message = registrationMessage(signed.payload);
  } catch {
    return false;
  }
  return ed25519.verify(key.publicKey, message, signature);
}

/**
 * The party-registry keys of `doc` (parsed `GET /api/v1/party-registry-keys`) when the trust root signed it
 * and every key is a strict Ed25519 public key under a distinct non-empty kid; undefined otherwise. One bad
 * key refuses the whole document: the trust root never signs one, so it means tampering.
 */
export function openRegistryKeys(
  doc: PartyRegistryKeys,
  trustRootPublicKey: Uint8Array,
  ed25519: Ed25519,
): RegistryKey[] | undefined {
  if (!isPlainObject(doc) || !isPlainObject(doc.payload)) return undefined;
  const { payload } = doc;
  if (payload.v !== 1 || !Number.isSafeInteger(payload.issuedAt) || !Array.isArray(payload.keys))
    return undefined;
  if (!isStrictEd25519PublicKey(trustRootPublicKey)) return undefined;
  const signature = strictSignature(doc.signature);
  if (!signature) return undefined;
  let message: Uint8Array;
  try {
    message = registryKeysMessage(payload);
  } catch {
    return undefined;
  }
  if (!ed25519.verify(trustRootPublicKey, message, signature)) return undefined;
  const keys: RegistryKey[] = [];
  for (const k of payload.keys as unknown[]) {
    if (!isPlainObject(k) || typeof k.kid !== 'string' || k.kid === '' || typeof k.publicKey !== 'string')
      return undefined;
    if (keys.some((known) => known.kid === k.kid)) return undefined;
    let publicKey: Uint8Array;
    try {
      publicKey = base64urlDecode(k.publicKey);
    } catch {
      return undefined;
    }
    if (!isStrictEd25519PublicKey(publicKey)) return undefined;
    keys.push({ kid: k.kid, publicKey });
  }
  return keys;
}
