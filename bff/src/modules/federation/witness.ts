import {
  AppError,
  base64DecodeStrict,
  base64Encode,
  bytesEqual,
  createCosigner,
  createWitness,
  parseCheckpoint,
  parseNote,
  type Witness,
  type WitnessRecord,
  WITNESS_INVALID_REASONS,
} from '@eid/shared';
import { nodeSha256 } from '../../infra/ed25519';
import type { FederationDeps } from './deps';
import type { StoredWitness } from './federation.repository';
import { recordSplitView } from './split-view';

/** `POST /api/v1/federation/witness`: what the national role sends to each province node it publishes to. */
export interface WitnessInput {
  /** The checkpoint note signed by the national log (cosignatures may ride along; they are ignored). */
  checkpoint: string;
  /** Consistency proof from the size the national believes this witness last cosigned. */
  consistency?: { fromSize: number; hashes: string[] };
}

/** What a witness answers: its cosignature line (c2sp.org/tlog-cosignature), newline included. */
export interface WitnessAnswer {
  cosignature: string;
  treeSize: number;
}

/** Compare-and-set can lose to a racing request; each loss re-reads and decides again. */
const MAX_ROUNDS = 5;

/** The witness of the pinned national log, its cosigner in the key store. */
export function createLogWitness(deps: FederationDeps): Witness | undefined {
  if (!deps.pinned) return undefined;
  const cosigner = createCosigner(
    deps.keys.witnessName(),
    deps.keys.witnessPublicKey(),
    (m) => deps.keys.signAsWitness(m),
    nodeSha256,
  );
  return createWitness(
    { origin: deps.pinned.logOrigin, logKeys: [deps.pinned.logKey], cosigner },
    { ed25519: deps.ed25519, sha256: nodeSha256 },
  );
}

const recordOf = (stored: StoredWitness | undefined): WitnessRecord | undefined =>
  stored && { size: stored.size, rootHash: base64DecodeStrict(stored.rootHash)! };

/**
 * Cosigns a checkpoint of the national log when it extends the last one this node cosigned (the shared
 * witness decision: the log's signature, never a smaller tree, the same root at the same size, a consistency
 * proof from the recorded tree), and stores it with a compare-and-set so two racing requests cannot both
 * advance the record. The same checkpoint again gets the same cosignature line. A second root for a size
 * already cosigned, under the log's valid signature, is a split view: recorded with both notes.
 */
export async function witnessCheckpoint(
  deps: FederationDeps,
  witness: Witness | undefined,
  input: WitnessInput,
): Promise<WitnessAnswer> {
  if (!witness) throw new AppError('FEDERATION_NOT_CONFIGURED', 'This node witnesses no national log');
  const proof = (input.consistency?.hashes ?? []).map((h) => {
    const bytes = base64DecodeStrict(h);
    if (!bytes)
      throw new AppError('FEDERATION_CHECKPOINT_INVALID', 'A proof hash is not base64', {
        reason: 'malformed_hash',
      });
    return bytes;
  });

  for (let round = 0; round < MAX_ROUNDS; round++) {
    const stored = await deps.repo.witness();
    const last = recordOf(stored);
    const now = deps.clock.now();
    const same = stored && sameCheckpoint(input.checkpoint, stored);
    // A first checkpoint needs no proof (the empty tree extends into anything), whatever the log thought.
    const decision = witness.decide(
      last,
      same || !last || last.size === 0
        ? { note: input.checkpoint, proof: [] }
        : { note: input.checkpoint, proof, oldSize: input.consistency?.fromSize },
      now,
    );
    if (!decision.accepted) {
      if (decision.reason === 'split_view' && stored)
        await recordSplitView(deps, {
          detectedAt: now,
          source: { kind: 'witness' },
          reason: 'same_size_other_root',
          ours: stored.note,
          theirs: input.checkpoint,
        });
      throw new AppError(
        WITNESS_INVALID_REASONS.has(decision.reason)
          ? 'FEDERATION_CHECKPOINT_INVALID'
          : 'FEDERATION_INCONSISTENT',
        `The witness refuses this checkpoint: ${decision.detail}`,
        decision.latestSize === undefined
          ? { reason: decision.reason }
          : { reason: decision.reason, latestSize: decision.latestSize },
      );
    }
    // The same checkpoint again: the answer it got the first time (its log signature verified just now).
    if (same) return { cosignature: stored.cosignature, treeSize: stored.size };
    const next: StoredWitness = {
      size: decision.record.size,
      rootHash: base64Encode(decision.record.rootHash),
      note: input.checkpoint,
      cosignature: decision.cosignature,
      at: now,
    };
    if (await deps.repo.storeWitness(stored, next)) {
      deps.logger.info({ treeSize: next.size }, 'federation checkpoint cosigned');
      return { cosignature: next.cosignature, treeSize: next.size };
    }
  }
  throw new AppError('CONFLICT', 'Other checkpoints are being witnessed at the same time; try again');
}

/** True when the note's checkpoint is the one recorded (same size and root). */
function sameCheckpoint(note: string, stored: StoredWitness): boolean {
  try {
    const checkpoint = parseCheckpoint(parseNote(note).text);
    return (
      checkpoint.size === stored.size && bytesEqual(checkpoint.rootHash, base64DecodeStrict(stored.rootHash)!)
    );
  } catch {
    return false;
  }
}
