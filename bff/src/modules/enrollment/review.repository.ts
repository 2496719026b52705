import type { Connection } from 'mongoose';
import { isDuplicateKey } from '../../infra/mongo-errors';
import { reviewModel, type ReviewDoc } from './review.model';

/** A review as the use cases see it: plain values, times in epoch ms. */
export interface ReviewRecord {
  id: string;
  residentId: string;
  idIndex: string;
  verifyId: string;
  causes: ReviewDoc['causes'];
  face: ReviewDoc['face'];
  registryFlags: string[];
  status: ReviewDoc['status'];
  openedAt: number;
  decision?: { staffId: string; reason: string; at: number };
}

export type NewReview = Omit<ReviewRecord, 'status' | 'decision'>;

const toRecord = (doc: ReviewDoc): ReviewRecord => ({
  id: doc._id,
  residentId: doc.residentId,
  idIndex: doc.idIndex,
  verifyId: doc.verifyId,
  causes: [...doc.causes],
  face: { ...doc.face },
  registryFlags: [...doc.registryFlags],
  status: doc.status,
  openedAt: doc.openedAt.getTime(),
  ...(doc.decision && { decision: { ...doc.decision, at: doc.decision.at.getTime() } }),
});

/** The review queue's evidence and decisions; the enrolment's own state lives in enrollment.repository.ts. */
export function createReviewRepository(db: Connection) {
  const reviews = reviewModel(db);
  let ready: Promise<unknown> | undefined;
  const indexes = () => (ready ??= reviews.init());

  return {
    /** Inserts a pending review; the existing one when this face check opened one already. */
    async insert(review: NewReview): Promise<ReviewRecord> {
      await indexes();
      const doc: ReviewDoc = {
        _id: review.id,
        residentId: review.residentId,
        idIndex: review.idIndex,
        verifyId: review.verifyId,
        causes: review.causes,
        face: review.face,
        registryFlags: review.registryFlags,
        status: 'pending',
        openedAt: new Date(review.openedAt),
      };
      try {
        await reviews.create([doc]);
        return toRecord(doc);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const existing = await reviews.findOne({ verifyId: review.verifyId }).lean<ReviewDoc>();
        if (!existing) throw err;
        return toRecord(existing);
      }
    },

    async byId(id: string): Promise<ReviewRecord | null> {
      const doc = await reviews.findById(id).setOptions({ sanitizeFilter: true }).lean<ReviewDoc>();
      return doc ? toRecord(doc) : null;
    },

    /** Pending reviews, oldest first. */
    async pending(limit: number): Promise<ReviewRecord[]> {
      const docs = await reviews
        .find({ status: 'pending' })
        .sort({ openedAt: 1, _id: 1 })
        .limit(limit)
        .lean<ReviewDoc[]>();
      return docs.map(toRecord);
    },

    /** A closed account's reviews that hold no decision (pending or withdrawn): nothing to account for. */
    async deleteUndecidedOf(residentId: string): Promise<void> {
      await reviews.deleteMany({ residentId, status: { $in: ['pending', 'withdrawn'] } });
    },

    /** Records the outcome of a pending review; false when it was not pending. */
    async close(
      id: string,
      status: 'approved' | 'rejected' | 'withdrawn',
      decision: { staffId: string; reason: string; at: number } | undefined,
    ): Promise<boolean> {
      const res = await reviews.updateOne(
        { _id: id, status: 'pending' },
        { $set: { status, ...(decision && { decision: { ...decision, at: new Date(decision.at) } }) } },
      );
      return res.modifiedCount > 0;
    },
  };
}

export type ReviewRepository = ReturnType<typeof createReviewRepository>;
