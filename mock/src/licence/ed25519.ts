import { createPublicKey, verify as edVerify } from 'node:crypto';
import {
  isStrictEd25519PublicKey,
  isStrictEd25519Signature,
  tweetnaclEd25519,
  type Ed25519,
} from '@eid/shared';

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * node:crypto's Ed25519 behind the shared interface, with the shared strictness rules in front (small-order
 * or non-canonical keys and signatures are refused as tweetnacl's wrapper refuses them): the stand-in
 * verifies a signature on every request. Signing and key derivation stay with the portable implementation.
 */
export const nodeEd25519: Ed25519 = {
  sign: tweetnaclEd25519.sign,
  keyPairFromSeed: tweetnaclEd25519.keyPairFromSeed,
  verify(publicKey, message, signature) {
    if (!isStrictEd25519PublicKey(publicKey) || !isStrictEd25519Signature(signature)) return false;
    try {
      const key = createPublicKey({
        key: Buffer.concat([SPKI_PREFIX, Buffer.from(publicKey)]),
        format: 'der',
        type: 'spki',
      });
      return edVerify(null, message, key, signature);
    } catch {
      return false;
    }
  },
};
