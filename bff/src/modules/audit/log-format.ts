import {
  ed25519NoteSigner,
  ed25519NoteVerifier,
  formatVerifierKey,
  merkleLeafHash,
  NOTE_SIGNATURE_TYPE_ED25519,
  utf8Encode,
  type Ed25519,
  type NoteSigner,
  type NoteVerifier,
} from '@eid/shared';
import { nodeSha256 } from '../../infra/ed25519';
import type { KeyStore } from '../../infra/keystore';

/**
 * The origin line of a province's log of usage-chain heads (docs/formats/audit-checkpoint.md). It is also
 * the name of the note key, so a cosigner knows whose log a checkpoint claims to be from its first line.
 */
export const auditLogOrigin = (province: string): string => `eid-usage-heads/${province}`;

/** The domain-separation line every leaf starts with. */
export const AUDIT_LEAF_PREFIX = 'eid-usage-head/v1';

/** The bytes of one leaf: the chain (resident reference), the head's seq and hash, one per line. */
export function auditLeafData(leaf: { residentId: string; seq: number; hash: string }): Uint8Array {
  return utf8Encode(`${AUDIT_LEAF_PREFIX}\n${leaf.residentId}\n${leaf.seq}\n${leaf.hash}\n`);
}

/** RFC 6962 leaf hash of a leaf. */
export function auditLeafHash(leaf: { residentId: string; seq: number; hash: string }): Uint8Array {
  return merkleLeafHash(auditLeafData(leaf), nodeSha256);
}

/**
 * Signs checkpoints with this node's newest node key (the key store's; the national list publishes it as
 * `use: node`). The same key signs node requests, whose RFC 9421 signature bases start with `"@`; a
 * checkpoint text starts with its origin line, so neither can pass for the other.
 */
export function auditSigner(keys: KeyStore, origin: string): NoteSigner {
  const [key] = keys.nodeKeys();
  if (!key) throw new Error('this node has no node key');
  return ed25519NoteSigner(
    origin,
    key.publicKey,
    (message) => {
      const { kid, signature } = keys.signAsNode(message);
      // The key ID in the note is computed from `key`; a key store that signed with another would lie.
      if (kid !== key.kid) throw new Error('the key store signed with another node key');
      return signature;
    },
    nodeSha256,
  );
}

/** The verifier keys of this node's checkpoints: one per node key, newest first (the first is published). */
export function auditVerifierKeys(keys: KeyStore, origin: string): string[] {
  return keys.nodeKeys().map((k) => formatVerifierKey(origin, NOTE_SIGNATURE_TYPE_ED25519, k.publicKey));
}

/** Note verifiers for `vkeys`. */
export function noteVerifiers(vkeys: string[], ed25519: Ed25519): NoteVerifier[] {
  return vkeys.map((k) => ed25519NoteVerifier(k, ed25519));
}
