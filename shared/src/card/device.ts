import {
  ED25519_SEED_LENGTH,
  randomBytes,
  tweetnaclEd25519,
  type Ed25519,
  type Ed25519KeyPair,
} from '../crypto';

/**
 * A fresh device key pair from the secure random source. The mini-program keeps the secret key in
 * its own storage and only ever sends the public key.
 */
export function generateDeviceKeyPair(ed25519: Ed25519 = tweetnaclEd25519): Ed25519KeyPair {
  return ed25519.keyPairFromSeed(randomBytes(ED25519_SEED_LENGTH));
}
