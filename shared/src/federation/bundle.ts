import { isStrictEd25519PublicKey, tweetnaclEd25519, type Ed25519 } from '../crypto/ed25519';
import { sha256 as portableSha256, type Sha256 } from '../crypto/sha256';
import { bytesEqual } from '../encoding/bytes';
import { base64DecodeStrict, base64Encode } from '../http-signatures/structured-fields';
import {
  createCheckpointVerifier,
  parseVerifierKey,
  TlogError,
  verifyConsistencyProof,
  verifyInclusionProof,
  type CheckpointVerifier,
  type TlogFailureReason,
  type VerifiedCheckpoint,
} from '../tlog';
import { FederationError, type FederationFailureReason } from './errors';
import { trustListLeafHash } from './log';
import { openSignedTrustList } from './trust-list';
import type { BundleState, BundleTrust, OpenedTrustBundle, TrustBundle } from './types';

/** Hashes a proof may hold: 64 covers any tree up to 2^53 leaves (inclusion ≤ 53, consistency ≤ 54). */
const MAX_PROOF_HASHES = 64;

function fail(reason: FederationFailureReason, message: string, tlogReason?: TlogFailureReason): never {
  throw new FederationError(reason, message, tlogReason);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function only(
  o: Record<string, unknown>,
  what: string,
  keys: readonly string[],
  optional: string[] = [],
): void {
  for (const k of Object.keys(o))
    if (!keys.includes(k) && !optional.includes(k)) fail('malformed_bundle', `${what} has no member ${k}`);
  for (const k of keys) if (!(k in o)) fail('malformed_bundle', `${what} lacks ${k}`);
}

const isSize = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function hashList(v: unknown, what: string): Uint8Array[] {
  if (!Array.isArray(v) || v.length > MAX_PROOF_HASHES)
    fail('malformed_bundle', `${what} is an array of at most ${MAX_PROOF_HASHES} hashes`);
  return v.map((h, i) => {
    const bytes = typeof h === 'string' ? base64DecodeStrict(h) : undefined;
    if (!bytes || bytes.length !== 32) fail('malformed_bundle', `${what}[${i}] is base64 of 32 bytes`);
    return bytes;
  });
}

interface BundleShape {
  bundle: TrustBundle;
  inclusion: Uint8Array[];
  consistency?: { fromSize: number; hashes: Uint8Array[] };
}

/** The bundle's JSON shape, member by member (it may come straight from JSON.parse of a response). */
function checkShape(value: unknown): BundleShape {
  if (!isRecord(value)) fail('malformed_bundle', 'a bundle is an object');
  only(value, 'the bundle', ['signed', 'checkpoint', 'inclusion'], ['consistency']);
  const { signed, checkpoint, inclusion, consistency } = value;
  if (!isRecord(signed)) fail('malformed_bundle', 'signed is an object');
  only(signed, 'signed', ['list', 'kid', 'signature']);
  if (
    typeof signed.list !== 'string' ||
    typeof signed.kid !== 'string' ||
    typeof signed.signature !== 'string'
  )
    fail('malformed_bundle', 'signed holds three strings');
  if (typeof checkpoint !== 'string') fail('malformed_bundle', 'checkpoint is a note text');
  if (!isRecord(inclusion)) fail('malformed_bundle', 'inclusion is an object');
  only(inclusion, 'inclusion', ['index', 'hashes']);
  if (!isSize(inclusion.index)) fail('malformed_bundle', 'inclusion.index is a leaf index');
  const shape: BundleShape = {
    bundle: value as unknown as TrustBundle,
    inclusion: hashList(inclusion.hashes, 'inclusion.hashes'),
  };
  if (consistency !== undefined) {
    if (!isRecord(consistency)) fail('malformed_bundle', 'consistency is an object');
    only(consistency, 'consistency', ['fromSize', 'hashes']);
    if (!isSize(consistency.fromSize)) fail('malformed_bundle', 'consistency.fromSize is a tree size');
    shape.consistency = {
      fromSize: consistency.fromSize,
      hashes: hashList(consistency.hashes, 'consistency.hashes'),
    };
  }
  return shape;
}

/**
 * Checks a value's shape as a TrustBundle (members, types, proof hashes base64 of 32 bytes) without
 * verifying anything; throws FederationError `malformed_bundle`.
 */
export function checkTrustBundleShape(value: unknown): TrustBundle {
  return checkShape(value).bundle;
}

interface Compiled {
  ed25519: Ed25519;
  sha256: Sha256;
  verifier: CheckpointVerifier;
}
// A trust is configuration: compiled once per object (keys parsed, verifiers built), not per bundle.
const compiled = new WeakMap<BundleTrust, Compiled>();

function compile(trust: BundleTrust, ed25519: Ed25519, sha256: Sha256): CheckpointVerifier {
  const known = compiled.get(trust);
  if (known && known.ed25519 === ed25519 && known.sha256 === sha256) return known.verifier;
  if (!(trust.rootPublicKey instanceof Uint8Array) || !isStrictEd25519PublicKey(trust.rootPublicKey))
    fail('invalid_trust', 'the pinned root key is a strict 32-byte Ed25519 key');
  if (!Number.isSafeInteger(trust.skewMs) || trust.skewMs < 0)
    fail('invalid_trust', 'the skew is a non-negative integer of ms');
  // A quorum of 0 would take the log's word alone: the very thing the witnesses are there to stop.
  if (!Number.isSafeInteger(trust.quorum) || trust.quorum < 1)
    fail('invalid_trust', 'a quorum is at least one witness');
  let verifier: CheckpointVerifier;
  try {
    const origin = trust.origin ?? parseVerifierKey(trust.logVerifierKey, sha256).name;
    verifier = createCheckpointVerifier(
      {
        origin,
        logKeys: [trust.logVerifierKey],
        witnesses: trust.witnessVerifierKeys,
        quorum: trust.quorum,
        maxFutureSkewMs: trust.skewMs,
      },
      { ed25519, sha256 },
    );
  } catch (e) {
    if (e instanceof TlogError)
      fail('invalid_trust', `the pinned log or witness keys: ${e.message}`, e.reason);
    throw e;
  }
  compiled.set(trust, { ed25519, sha256, verifier });
  return verifier;
}

const CHECKPOINT_REASON: Partial<Record<TlogFailureReason, FederationFailureReason>> = {
  no_known_signature: 'bad_log_signature',
  bad_signature: 'bad_checkpoint_signature',
  duplicate_signature: 'duplicate_signature',
  wrong_origin: 'wrong_origin',
  quorum_not_met: 'quorum_not_met',
};

function verifyCheckpoint(verifier: CheckpointVerifier, note: string, now: number): VerifiedCheckpoint {
  try {
    return verifier.verify(note, now);
  } catch (e) {
    if (e instanceof TlogError)
      fail(
        CHECKPOINT_REASON[e.reason] ?? 'malformed_checkpoint',
        `checkpoint refused: ${e.message}`,
        e.reason,
      );
    throw e;
  }
}

function checkState(last: BundleState): { rootHash: Uint8Array; listHash?: Uint8Array } {
  const rootHash = base64DecodeStrict(last.rootHash);
  const listHash = last.listHash === undefined ? undefined : base64DecodeStrict(last.listHash);
  if (!isSize(last.sequence) || !isSize(last.treeSize) || !rootHash || rootHash.length !== 32)
    throw new TypeError('a bundle state is a sequence, a tree size and a base64 32-byte root');
  if (last.listHash !== undefined && (!listHash || listHash.length !== 32))
    throw new TypeError('a bundle state list hash is base64 of 32 bytes');
  return listHash ? { rootHash, listHash } : { rootHash };
}

/**
 * Opens a trust bundle at `now` (epoch ms, the injected clock) against the pinned trust and the last accepted
 * state, or throws FederationError. Checks, in this order (docs/formats/national-trust-list.md):
 *  0. the pinned trust itself (`invalid_trust`);
 *  1. the bundle's shape;
 *  2. the national root's signature over the list text, the text canonical, the v2 shape (strict keys,
 *     province codes, unique kids and nodes, histories);
 *  3. issuedAt ≤ now + skew and now ≤ expiresAt + skew;
 *  4. sequence ≥ last.sequence;
 *  5. the checkpoint: the log's signature, its origin, ≥ quorum valid cosignatures of distinct pinned
 *     witnesses (createCheckpointVerifier: a witness counts once, an unpinned one never);
 *  6. the list is the checkpoint's newest leaf (index = size − 1) by its inclusion proof;
 *  7. against `last`: never a smaller tree; the same size only with the same root (else a split view); a
 *     larger one only with a consistency proof from last.treeSize (when last.treeSize > 0);
 *  8. an equal sequence only for the same list bytes (same tree, or last.listHash equal).
 * Returns the list, the state to store in place of `last`, and the checkpoint.
 */
export function openTrustBundle(
  bundle: TrustBundle,
  trust: BundleTrust,
  now: number,
  last?: BundleState,
  ed25519: Ed25519 = tweetnaclEd25519,
  sha256: Sha256 = portableSha256,
): OpenedTrustBundle {
  if (!Number.isFinite(now)) throw new TypeError('now is epoch milliseconds');
  const verifier = compile(trust, ed25519, sha256);
  const shape = checkShape(bundle);
  const previous = last && checkState(last);

  const list = openSignedTrustList(bundle.signed, trust.rootPublicKey, ed25519);
  if (list.issuedAt > now + trust.skewMs) fail('not_yet_valid', 'the list is issued in the future');
  if (now > list.expiresAt + trust.skewMs) fail('expired', 'the list has expired');
  if (last && list.sequence < last.sequence)
    fail('lower_sequence', `sequence ${list.sequence} is below the accepted ${last.sequence}`);

  const verified = verifyCheckpoint(verifier, bundle.checkpoint, now);
  const { size, rootHash } = verified.checkpoint;
  const leafHash = trustListLeafHash(bundle.signed, sha256);
  // The newest leaf only: a checkpoint then names exactly one list, so every witness that cosigns it has
  // cosigned what every verifier of it reads, and an old list cannot ride under a new tree.
  if (size === 0 || bundle.inclusion.index !== size - 1)
    fail('wrong_inclusion', `the list is not the newest leaf of the tree of ${size}`);
  try {
    verifyInclusionProof(
      { leafHash, index: bundle.inclusion.index, treeSize: size, proof: shape.inclusion, rootHash },
      sha256,
    );
  } catch (e) {
    if (e instanceof TlogError) fail('wrong_inclusion', `inclusion refused: ${e.message}`, e.reason);
    throw e;
  }

  if (last && previous) {
    if (size < last.treeSize)
      fail('tree_shrank', `tree ${size} is smaller than the accepted ${last.treeSize}`);
    if (size === last.treeSize) {
      if (!bytesEqual(rootHash, previous.rootHash))
        fail('split_view', `two different roots for tree size ${size}`);
    } else if (last.treeSize > 0) {
      const c = shape.consistency;
      if (!c || c.fromSize !== last.treeSize)
        fail('missing_consistency', `no consistency proof from the accepted tree ${last.treeSize}`);
      try {
        verifyConsistencyProof(
          {
            oldSize: last.treeSize,
            oldRoot: previous.rootHash,
            newSize: size,
            newRoot: rootHash,
            proof: c.hashes,
          },
          sha256,
        );
      } catch (e) {
        // A tree that does not extend the accepted one is the other half of a split view.
        if (e instanceof TlogError)
          fail('inconsistent', `tree ${size} does not extend ${last.treeSize}: ${e.message}`, e.reason);
        throw e;
      }
    }
    if (list.sequence === last.sequence) {
      const same = previous.listHash ? bytesEqual(previous.listHash, leafHash) : size === last.treeSize;
      if (!same) fail('sequence_reused', `sequence ${list.sequence} again with other list bytes`);
    }
  }

  return {
    list,
    state: {
      sequence: list.sequence,
      treeSize: size,
      rootHash: base64Encode(rootHash),
      listHash: base64Encode(leafHash),
    },
    checkpoint: verified.checkpoint,
    cosignatures: verified.cosignatures,
  };
}
