import {
  base64DecodeStrict,
  consistencyHashes,
  ed25519NoteSigner,
  parseVerifierKey,
  type NoteSigner,
} from '@eid/shared';
import { nodeSha256 } from '../infra/ed25519';
import type { KeyStore } from '../infra/keystore';

/** The national log's leaves as hashes (stored base64), decoded once per read. */
export function decodeLeaves(stored: readonly string[]): Uint8Array[] {
  return stored.map((h) => base64DecodeStrict(h)!);
}

/** The log key as a note signer (its key name is NATIONAL_LOG_ORIGIN); the key stays in the key store. */
export function logSigner(keys: Pick<KeyStore, 'logVerifierKey' | 'signAsLog'>): NoteSigner {
  const vkey = parseVerifierKey(keys.logVerifierKey());
  return ed25519NoteSigner(vkey.name, vkey.publicKey, (m) => keys.signAsLog(m), nodeSha256);
}

/** The consistency proof a witness needs from the size it last cosigned: none from the empty tree. */
export function proofFrom(leaves: readonly Uint8Array[], fromSize: number, size: number): string[] {
  return fromSize === 0 ? [] : consistencyHashes(leaves, fromSize, size, nodeSha256);
}
