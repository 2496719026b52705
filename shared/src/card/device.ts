import {
  ED25519_PUBLIC_KEY_LENGTH,
  ED25519_SEED_LENGTH,
  ED25519_SIGNATURE_LENGTH,
  isStrictEd25519PublicKey,
  randomBytes,
  tweetnaclEd25519,
  type Ed25519,
  type Ed25519KeyPair,
} from '../crypto';
import { base64urlDecode, base64urlEncode } from '../encoding/base64url';
import { utf8Encode } from '../encoding/utf8';

/**
 * A fresh device key pair from the secure random source. The mini-program keeps the secret key in
 * its own storage and only ever sends the public key.
 */
export function generateDeviceKeyPair(ed25519: Ed25519 = tweetnaclEd25519): Ed25519KeyPair {
  return ed25519.keyPairFromSeed(randomBytes(ED25519_SEED_LENGTH));
}

/**
 * Proof of possession (docs/formats/credential.md): when asking for a card the device signs its own public
 * key, the resident id and the time, so a card is only ever bound to a key whose secret half the asking
 * device holds (not to a copied or mistyped public key), and a proof made for one resident or long ago
 * is worth nothing to anyone else.
 */
export interface DeviceProof {
  /** Epoch ms at which the device signed, by its own clock. */
  at: number;
  /** base64url of the 64-byte Ed25519 signature over `deviceProofMessage`. */
  signature: string;
}

/** How far the device's clock may be from the BFF's when the proof is checked. */
export const DEVICE_PROOF_MAX_SKEW_MS = 5 * 60_000;

const DEVICE_PROOF_LABEL = 'EID device key proof v1';

/** The signed bytes: UTF-8 of `label NUL residentId NUL at NUL`, then the 32-byte public key. */
export function deviceProofMessage(residentId: string, devicePublicKey: Uint8Array, at: number): Uint8Array {
  const head = utf8Encode(`${DEVICE_PROOF_LABEL}\u0000${residentId}\u0000${at}\u0000`);
  const message = new Uint8Array(head.length + devicePublicKey.length);
  message.set(head);
  message.set(devicePublicKey, head.length);
  return message;
}

/** Signs a proof with the device's key pair, on the device. */
export function signDeviceProof(
  keyPair: Ed25519KeyPair,
  residentId: string,
  at: number,
  ed25519: Ed25519 = tweetnaclEd25519,
): DeviceProof {
  const signature = ed25519.sign(keyPair.secretKey, deviceProofMessage(residentId, keyPair.publicKey, at));
  return { at, signature: base64urlEncode(signature) };
}

/**
 * Why a device key or its proof is refused: `weak_key` for a key no one may be bound to (of small order or
 * not canonically encoded: with such a key anyone can make valid signatures, docs/formats/credential.md),
 * `clock` when it was signed too far from `now` (most often a phone whose clock is wrong, which the
 * resident can fix), `proof` for anything else.
 */
export type DeviceProofProblem = 'weak_key' | 'clock' | 'proof';

/**
 * Why `proof` does not show that the holder of `devicePublicKey` signed it for `residentId` close enough to
 * `now` (see DeviceProofProblem); undefined when it holds.
 */
export function deviceProofProblem(
  proof: DeviceProof,
  residentId: string,
  devicePublicKey: Uint8Array,
  now: number,
  ed25519: Ed25519,
): DeviceProofProblem | undefined {
  if (devicePublicKey.length !== ED25519_PUBLIC_KEY_LENGTH) return 'proof';
  // Before the clock: a key refused for what it is stays refused at any time, so say so first.
  if (!isStrictEd25519PublicKey(devicePublicKey)) return 'weak_key';
  if (!Number.isSafeInteger(proof.at) || Math.abs(now - proof.at) > DEVICE_PROOF_MAX_SKEW_MS) return 'clock';
  let signature: Uint8Array;
  try {
    signature = base64urlDecode(proof.signature);
  } catch {
    return 'proof';
  }
  if (signature.length !== ED25519_SIGNATURE_LENGTH) return 'proof';
  const message = deviceProofMessage(residentId, devicePublicKey, proof.at);
  return ed25519.verify(devicePublicKey, message, signature) ? undefined : 'proof';
}

/** True when `proof` was made for `residentId` by the holder of `devicePublicKey`, close enough to `now`. */
export function verifyDeviceProof(
  proof: DeviceProof,
  residentId: string,
  devicePublicKey: Uint8Array,
  now: number,
  ed25519: Ed25519,
): boolean {
  return deviceProofProblem(proof, residentId, devicePublicKey, now, ed25519) === undefined;
}
