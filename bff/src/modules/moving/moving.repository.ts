import type { Connection } from 'mongoose';
import { isDuplicateKey } from '../../infra/mongo-errors';

/** At the former home (A): a resident who moved away, found by the opaque ref the new home keeps. */
export interface MoveOutDoc {
  _id: string; // the card id (base64url) that proved the move: one move per card
  ref: string; // random 128-bit, base64url: what the new home asks with
  residentId: string;
  toProvince: string;
  movedAt: number;
  /** False until every identity-withdrawn hook has run; a repeated request runs them again. */
  settled: boolean;
}

/** At the new home (B): where a resident's earlier trace is kept. */
export interface FormerHomeDoc {
  _id: string; // `${residentId}:${province}`
  residentId: string;
  province: string;
  ref: string;
  movedAt: number;
}

export function createMovingRepository(db: Connection) {
  const out = db.collection<MoveOutDoc>('moves_out');
  const homes = db.collection<FormerHomeDoc>('former_homes');
  // Best effort at start: a missing index only slows a look-up (refs are random 128-bit values).
  out.createIndex({ ref: 1 }, { unique: true }).catch(() => undefined);
  homes.createIndex({ residentId: 1 }).catch(() => undefined);
  return {
    /** Inserts the move of `doc._id`, or answers the one already recorded for that card. */
    async claimMoveOut(doc: MoveOutDoc): Promise<MoveOutDoc> {
      try {
        await out.insertOne(doc);
        return doc;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const found = await out.findOne({ _id: doc._id });
        if (!found) throw err;
        return found;
      }
    },
    settleMoveOut: async (cardId: string) => {
      await out.updateOne({ _id: cardId }, { $set: { settled: true } });
    },
    moveOutByRef: (ref: string) => out.findOne({ ref }),
    moveOutOf: (cardId: string) => out.findOne({ _id: cardId }),
    async keepFormerHome(doc: FormerHomeDoc): Promise<void> {
      await homes.updateOne({ _id: doc._id }, { $setOnInsert: doc }, { upsert: true });
    },
    formerHomes: (residentId: string) => homes.find({ residentId }).sort({ movedAt: -1 }).toArray(),
  };
}

export type MovingRepository = ReturnType<typeof createMovingRepository>;
