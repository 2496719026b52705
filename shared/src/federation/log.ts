import { sha256 as portableSha256, type Sha256 } from '../crypto/sha256';
import { utf8Encode } from '../encoding/utf8';
import { base64Encode } from '../http-signatures/structured-fields';
import {
  formatCheckpoint,
  merkleConsistencyProof,
  merkleInclusionProof,
  merkleLeafHash,
  merkleRoot,
  parseCheckpoint,
  parseNote,
  signNote,
  type NoteSigner,
} from '../tlog';
import type { SignedTrustList, TrustBundle } from './types';

/** The national log's origin (and log key name) unless configured otherwise (NATIONAL_LOG_ORIGIN). */
export const NATIONAL_LOG_ORIGIN = 'eid.gov.cn/national-trust-log';

/** The log entry of a publication: the signed list's text as UTF-8, its leaf hash SHA-256(0x00 ‖ text). */
export function trustListLeafHash(
  signed: SignedTrustList | string,
  sha256: Sha256 = portableSha256,
): Uint8Array {
  return merkleLeafHash(utf8Encode(typeof signed === 'string' ? signed : signed.list), sha256);
}

/** The checkpoint text of the first `size` leaves under `origin` (c2sp.org/tlog-checkpoint, no extensions). */
export function nationalCheckpointText(
  origin: string,
  leafHashes: readonly Uint8Array[],
  size: number = leafHashes.length,
  sha256: Sha256 = portableSha256,
): string {
  return formatCheckpoint({ origin, size, rootHash: merkleRoot(leafHashes, size, sha256), extensions: [] });
}

/**
 * The checkpoint note of the first `size` leaves, signed by the log signer alone (ed25519NoteSigner over the
 * key store's signAsLog); witnesses add their cosignatures to it (addNoteSignatures).
 *
 * @example signNationalCheckpoint(origin, leaves, ed25519NoteSigner(origin, logPublicKey, (m) => keys.signAsLog(m)))
 */
export function signNationalCheckpoint(
  origin: string,
  leafHashes: readonly Uint8Array[],
  logSigner: NoteSigner,
  size: number = leafHashes.length,
  sha256: Sha256 = portableSha256,
): string {
  return signNote(nationalCheckpointText(origin, leafHashes, size, sha256), [logSigner]);
}

/** RFC 9162 inclusion proof of leaf `index` in the tree of `size`, base64. */
export function inclusionHashes(
  leafHashes: readonly Uint8Array[],
  index: number,
  size: number,
  sha256: Sha256 = portableSha256,
): string[] {
  return merkleInclusionProof(leafHashes, index, size, sha256).map(base64Encode);
}

/** RFC 9162 consistency proof from `fromSize` to `size`, base64 (0 < fromSize ≤ size; equal sizes: empty). */
export function consistencyHashes(
  leafHashes: readonly Uint8Array[],
  fromSize: number,
  size: number,
  sha256: Sha256 = portableSha256,
): string[] {
  return merkleConsistencyProof(leafHashes, fromSize, size, sha256).map(base64Encode);
}

export interface TrustBundleParts {
  signed: SignedTrustList;
  /** The cosigned checkpoint note of the tree whose newest leaf is `signed`. */
  checkpoint: string;
  /** The log's leaf hashes, at least as many as the checkpoint's size. */
  leafHashes: readonly Uint8Array[];
  /** The fetcher's tree size (`?from=`): a consistency proof from it is added when 0 < fromSize < size. */
  fromSize?: number;
  sha256?: Sha256;
}

/**
 * The bundle the national serves: the signed list, its cosigned checkpoint, the inclusion proof of the list
 * as the checkpoint's newest leaf, and the consistency proof from `fromSize` when the fetcher holds a
 * smaller tree. A `fromSize` of 0, the same size or a larger one gets none (nothing to prove, or a tree this
 * log never had: the fetcher's verifier says so). Throws when the leaf at size − 1 is not `signed`'s.
 */
export function buildTrustBundle(parts: TrustBundleParts): TrustBundle {
  const sha256 = parts.sha256 ?? portableSha256;
  const { size } = parseCheckpoint(parseNote(parts.checkpoint, Number.MAX_SAFE_INTEGER).text);
  if (size === 0 || size > parts.leafHashes.length)
    throw new RangeError(
      `the checkpoint's tree of ${size} is not within the ${parts.leafHashes.length} leaves`,
    );
  const index = size - 1;
  const leaf = trustListLeafHash(parts.signed, sha256);
  const newest = parts.leafHashes[index]!;
  if (leaf.length !== newest.length || leaf.some((b, i) => b !== newest[i]))
    throw new RangeError('the signed list is not the newest leaf of the checkpoint');
  const bundle: TrustBundle = {
    signed: { list: parts.signed.list, kid: parts.signed.kid, signature: parts.signed.signature },
    checkpoint: parts.checkpoint,
    inclusion: { index, hashes: inclusionHashes(parts.leafHashes, index, size, sha256) },
  };
  const from = parts.fromSize;
  if (from !== undefined && Number.isSafeInteger(from) && from > 0 && from < size)
    bundle.consistency = { fromSize: from, hashes: consistencyHashes(parts.leafHashes, from, size, sha256) };
  return bundle;
}
