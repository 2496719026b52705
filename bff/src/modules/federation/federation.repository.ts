import type { Connection } from 'mongoose';
import type { TrustBundle } from '@eid/shared';
import { isDuplicateKey } from '../../infra/mongo-errors';
import type { SplitViewRecord } from './federation.types';

/** The accepted national bundle (one document, `_id: 'bundle'`). */
export interface StoredBundle {
  bundle: TrustBundle;
  sequence: number;
  treeSize: number;
  /** base64 of the checkpoint's root hash. */
  rootHash: string;
  /** base64 of the accepted list's leaf hash (BundleState.listHash). */
  listHash?: string;
  issuedAt: number;
  expiresAt: number;
  acceptedAt: number;
}

/** The last checkpoint this node cosigned as a witness (`_id: 'witness'`). */
export interface StoredWitness {
  size: number;
  /** base64 */
  rootHash: string;
  /** The checkpoint note as submitted (log signature included), and the cosignature line answered. */
  note: string;
  cosignature: string;
  at: number;
}

/** One peer's status list (`fed_peer_status`, by key id). */
export interface StoredPeerStatus {
  kid: string;
  province: string;
  /** base64url of the signed list. */
  list: string;
  issuedAt: number;
  etag?: string;
  fetchedAt: number;
}

type StateDoc =
  | ({ _id: 'bundle' } & StoredBundle)
  | ({ _id: 'witness' } & StoredWitness)
  | ({ _id: 'split-view' } & SplitViewRecord);
type PeerDoc = { _id: string } & Omit<StoredPeerStatus, 'kid'>;

function strip<T extends { _id: unknown }>(doc: T | null): Omit<T, '_id'> | undefined {
  if (!doc) return undefined;
  const { _id, ...rest } = doc;
  return rest;
}

/**
 * fed_state (the accepted bundle, the witness record, the split view) and fed_peer_status. Every write
 * that moves state forward is conditional on what it replaces, so two processes (or two racing requests)
 * can never both advance, nor one roll the other back.
 */
export function createFederationRepository(db: Connection) {
  const state = db.collection<StateDoc>('fed_state');
  const peers = db.collection<PeerDoc>('fed_peer_status');

  return {
    async bundle(): Promise<StoredBundle | undefined> {
      return strip((await state.findOne({ _id: 'bundle' })) as ({ _id: 'bundle' } & StoredBundle) | null);
    },

    /**
     * Stores `next` unless a bundle of the same or a later tree is stored already (another process was
     * first): true when this write won.
     */
    async storeBundle(next: StoredBundle): Promise<boolean> {
      try {
        const res = await state.updateOne(
          { _id: 'bundle', treeSize: { $lt: next.treeSize } } as never,
          { $set: next },
          { upsert: true },
        );
        return res.modifiedCount + res.upsertedCount === 1;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    async witness(): Promise<StoredWitness | undefined> {
      return strip((await state.findOne({ _id: 'witness' })) as ({ _id: 'witness' } & StoredWitness) | null);
    },

    /**
     * Compare-and-set of the witness record: replaces `last` (none: creates it) with `next`; false when
     * another request changed it in between (c2sp.org/tlog-witness: the record never rolls back).
     */
    async storeWitness(last: StoredWitness | undefined, next: StoredWitness): Promise<boolean> {
      if (!last) {
        try {
          await state.insertOne({ _id: 'witness', ...next });
          return true;
        } catch (err) {
          if (isDuplicateKey(err)) return false;
          throw err;
        }
      }
      const res = await state.updateOne(
        { _id: 'witness', size: last.size, rootHash: last.rootHash } as never,
        { $set: next },
      );
      return res.modifiedCount === 1;
    },

    async splitView(): Promise<SplitViewRecord | undefined> {
      return strip(
        (await state.findOne({ _id: 'split-view' })) as ({ _id: 'split-view' } & SplitViewRecord) | null,
      );
    },

    /**
     * Clears the recorded split view after an operator looked at it: the record moves to
     * `split-view-cleared:<time>` (the evidence stays, with who cleared it and why) and the node accepts
     * lists again. The record cleared, or undefined when there was none (or another request cleared it).
     */
    async clearSplitView(
      by: { staffId: string; reason: string },
      now: number,
    ): Promise<SplitViewRecord | undefined> {
      const doc = (await state.findOneAndDelete({ _id: 'split-view' })) as
        ({ _id: 'split-view' } & SplitViewRecord) | null;
      const record = strip(doc);
      if (!record) return undefined;
      await state.insertOne({
        _id: `split-view-cleared:${now}:${by.staffId}`,
        ...record,
        clearedAt: now,
        clearedBy: by.staffId,
        clearReason: by.reason,
      } as never);
      return record;
    },

    /** Records the first split view seen; a later one leaves the first in place. True when this one is new. */
    async recordSplitView(record: SplitViewRecord): Promise<boolean> {
      try {
        await state.insertOne({ _id: 'split-view', ...record });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    async peerStatus(kid: string): Promise<StoredPeerStatus | undefined> {
      const doc = await peers.findOne({ _id: kid });
      if (!doc) return undefined;
      const { _id, ...rest } = doc;
      return { kid: _id, ...rest };
    },

    async peerStatuses(): Promise<StoredPeerStatus[]> {
      const docs = await peers.find({}).sort({ province: 1, _id: 1 }).toArray();
      return docs.map(({ _id, ...rest }) => ({ kid: _id, ...rest }));
    },

    /** Stores a fetched list unless a later one is stored (lists never go back). */
    async storePeerStatus(next: StoredPeerStatus): Promise<void> {
      const { kid, ...rest } = next;
      try {
        await peers.updateOne(
          { _id: kid, issuedAt: { $lte: next.issuedAt } },
          { $set: rest },
          { upsert: true },
        );
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    },

    /** A 304 from the peer: the stored list is confirmed current. */
    async confirmPeerStatus(kid: string, fetchedAt: number): Promise<void> {
      await peers.updateOne({ _id: kid, fetchedAt: { $lt: fetchedAt } }, { $set: { fetchedAt } });
    },
  };
}

export type FederationRepository = ReturnType<typeof createFederationRepository>;
