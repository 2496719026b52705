import { Types, type Connection } from 'mongoose';
import { hasDuplicateKey, isDuplicateKey } from '../../infra/mongo-errors';
import {
  auditModels,
  type AuditActionDoc,
  type AuditCheckpointDoc,
  type AuditCosignedDoc,
  type AuditLeafDoc,
} from './audit.model';

/** Storage of the audit-actions log, the log of chain heads and its checkpoints. Plain objects out. */
export function createAuditRepository(db: Connection) {
  const { actions, leaves, logged, checkpoints, cosigned } = auditModels(db);
  let ready: Promise<unknown> | undefined;
  const indexes = () =>
    (ready ??= Promise.all([
      actions.init(),
      leaves.init(),
      logged.init(),
      checkpoints.init(),
      cosigned.init(),
    ]));

  return {
    async recordAction(doc: Omit<AuditActionDoc, '_id'>): Promise<void> {
      // An ObjectId grows within a process, so entries of one millisecond still list in the order made.
      await actions.create([{ _id: new Types.ObjectId().toHexString(), ...doc }]);
    },

    async actions(q: { limit: number; before?: { at: number; id: string } }): Promise<AuditActionDoc[]> {
      const b = q.before;
      return actions
        .find(b === undefined ? {} : { $or: [{ at: { $lt: b.at } }, { at: b.at, _id: { $lt: b.id } }] })
        .sort({ at: -1, _id: -1 })
        .limit(q.limit)
        .lean<AuditActionDoc[]>();
    },

    /** How many leaves the log holds. */
    async leafCount(): Promise<number> {
      const last = await leaves.findOne({}, { _id: 1 }).sort({ _id: -1 }).lean();
      return last ? last._id + 1 : 0;
    },

    /** The seq last logged per chain. */
    async loggedSeqs(): Promise<Map<string, number>> {
      const docs = await logged.find({}).lean();
      return new Map(docs.map((d) => [d._id, d.seq]));
    },

    /**
     * Appends leaves at `start` onwards; false when another publisher took one of those indexes first
     * (nothing after the collision lands, and the caller starts over).
     */
    async appendLeaves(docs: AuditLeafDoc[]): Promise<boolean> {
      await indexes();
      if (docs.length === 0) return true;
      try {
        await leaves.insertMany(docs, { ordered: true });
        return true;
      } catch (err) {
        if (hasDuplicateKey(err)) return false;
        throw err;
      }
    },

    /** Notes the heads just logged; a seq only moves forward. */
    async markLogged(heads: { residentId: string; seq: number }[]): Promise<void> {
      if (heads.length === 0) return;
      await logged
        .bulkWrite(
          heads.map((h) => ({
            updateOne: {
              filter: { _id: h.residentId, seq: { $lt: h.seq } },
              update: { $set: { seq: h.seq } },
              upsert: true,
            },
          })),
          { ordered: false },
        )
        .catch((err: unknown) => {
          // A duplicate key on the upsert: that chain is logged at a later seq already.
          if (!isDuplicateKey(err)) throw err;
        });
    },

    /** The first `size` leaves, in index order. */
    async leaves(size: number): Promise<AuditLeafDoc[]> {
      return leaves
        .find({ _id: { $lt: size } })
        .sort({ _id: 1 })
        .lean<AuditLeafDoc[]>();
    },

    /** The resident's latest leaf within a tree of `size` leaves. */
    async latestLeafOf(residentId: string, size: number): Promise<AuditLeafDoc | null> {
      return leaves
        .findOne({ residentId, _id: { $lt: size } })
        .sort({ _id: -1 })
        .setOptions({ sanitizeFilter: true })
        .lean<AuditLeafDoc>();
    },

    async latestCheckpoint(): Promise<AuditCheckpointDoc | null> {
      return checkpoints.findOne({}).sort({ _id: -1 }).lean<AuditCheckpointDoc>();
    },

    async checkpoint(size: number): Promise<AuditCheckpointDoc | null> {
      return checkpoints.findById(size).lean<AuditCheckpointDoc>();
    },

    /** Stores a checkpoint once per size: the same tree always has the same note (Ed25519 is deterministic). */
    async saveCheckpoint(doc: AuditCheckpointDoc): Promise<void> {
      await indexes();
      await checkpoints.updateOne({ _id: doc._id }, { $setOnInsert: doc }, { upsert: true }).catch((err) => {
        if (!isDuplicateKey(err)) throw err;
      });
    },

    /** Keeps a peer's cosignature of the checkpoint of `size` (its newest replaces the one before). */
    async addCosignature(size: number, province: string, line: string, at: number): Promise<void> {
      await checkpoints.updateOne({ _id: size }, { $set: { [`cosignatures.${province}`]: { line, at } } });
    },

    /** The largest tree `province` cosigned of ours, for the consistency proof it will need next. */
    async lastCosignedBy(province: string): Promise<number | undefined> {
      const doc = await checkpoints
        .findOne({ [`cosignatures.${province}`]: { $exists: true } }, { _id: 1 })
        .sort({ _id: -1 })
        .lean();
      return doc?._id;
    },

    /** As cosigner: what this node last cosigned for `province`. */
    async cosigned(province: string): Promise<AuditCosignedDoc | null> {
      return cosigned.findById(province).setOptions({ sanitizeFilter: true }).lean<AuditCosignedDoc>();
    },

    /**
     * Replaces `prev` with `next` only if `prev` is still the record (compare-and-set on size and root), so
     * two racing requests cannot roll the record back; false when it lost.
     */
    async storeCosigned(prev: AuditCosignedDoc | null, next: AuditCosignedDoc): Promise<boolean> {
      await indexes();
      try {
        if (!prev) {
          await cosigned.create([next]);
          return true;
        }
        const res = await cosigned.replaceOne(
          { _id: prev._id, size: prev.size, rootHash: prev.rootHash },
          next,
        );
        return res.matchedCount === 1;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
