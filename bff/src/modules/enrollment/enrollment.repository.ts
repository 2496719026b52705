import type { ClientSession, Connection } from 'mongoose';
import { driverCollection } from '../../infra/collection';
import { isDuplicateKey } from '../../infra/mongo-errors';
import {
  enrollmentModels,
  type EnrollmentDoc,
  type FaceCheckDoc,
  type EnrollmentReviewMark,
  type FaceOutcome,
  type PendingHook,
} from './enrollment.model';
import type { EnrollmentState } from './enrollment.types';
import { createReviewRepository } from './review.repository';

export interface EnrollmentRecord {
  residentId: string;
  state: EnrollmentState;
  consent: { version: string; at: number } | null;
  identity?: string;
  idIndex?: string;
  boundIdIndex?: string;
  pendingHook?: PendingHook;
  /** How many times the identity was erased or moved: names the outbox event of each time. */
  hookGeneration: number;
  review?: ReviewMark;
}

/** The enrolment's copy of its last review (enrollment.model.ts), times in epoch ms. */
export interface ReviewMark {
  id: string;
  status: EnrollmentReviewMark['status'];
  causes: EnrollmentReviewMark['causes'];
  openedAt: number;
  decidedAt?: number;
  reason?: string;
}

/** A decision as the enrolment records it. */
export interface ReviewOutcome {
  reviewId: string;
  reason: string;
}

export interface FaceCheckRecord {
  verifyId: string;
  residentId: string;
  purpose: FaceCheckDoc['purpose'];
  idIndex: string;
  expiresAt: number;
  consumed: boolean;
  outcome?: FaceOutcome;
  similarity?: number;
  liveness?: 'pass' | 'fail';
}

const toRecord = (doc: EnrollmentDoc): EnrollmentRecord => ({
  residentId: doc._id,
  state: doc.state,
  consent: doc.consent ? { version: doc.consent.version, at: doc.consent.at.getTime() } : null,
  ...(doc.identity && { identity: doc.identity }),
  ...(doc.idIndex && { idIndex: doc.idIndex }),
  ...(doc.boundIdIndex && { boundIdIndex: doc.boundIdIndex }),
  ...(doc.pendingHook && { pendingHook: doc.pendingHook }),
  hookGeneration: doc.hookGeneration ?? 0,
  ...(doc.review && {
    review: {
      id: doc.review.id,
      status: doc.review.status,
      causes: [...doc.review.causes],
      openedAt: doc.review.openedAt.getTime(),
      ...(doc.review.decidedAt && { decidedAt: doc.review.decidedAt.getTime() }),
      ...(doc.review.reason && { reason: doc.review.reason }),
    },
  }),
});

const ERASED = { consent: 1, identity: 1, idIndex: 1, boundIdIndex: 1, eligibleAt: 1, review: 1 } as const;

/**
 * Enrollment state, face checks, attempt counters and used reauth tokens. Every state change is one
 * conditional update on the state it starts from, so a retried or concurrent step either applies once
 * or finds the step already done.
 */
export function createEnrollmentRepository(db: Connection) {
  const { enrollments, faceChecks, attempts, reauthUses } = enrollmentModels(db);
  let ready: Promise<unknown> | undefined;
  const indexes = () =>
    (ready ??= Promise.all([enrollments.init(), faceChecks.init(), attempts.init(), reauthUses.init()]));

  return {
    /** The review queue's evidence and decisions (review.repository.ts). */
    reviews: createReviewRepository(db),

    async get(residentId: string): Promise<EnrollmentRecord | null> {
      const doc = await enrollments.findById(residentId).lean<EnrollmentDoc>();
      return doc ? toRecord(doc) : null;
    },

    /** Several records in one read, by resident id; residents without a record are absent. */
    async getMany(residentIds: string[]): Promise<Map<string, EnrollmentRecord>> {
      // Resident ids come from our own card records, never from a request body. The online verifier's hot
      // path: through the driver, since mongoose's query building and casting add nothing here.
      const docs = await driverCollection<EnrollmentDoc>(enrollments)
        .find({ _id: { $in: [...new Set(residentIds.map(String))] } })
        .toArray();
      return new Map(docs.map((doc) => [doc._id, toRecord(doc)]));
    },

    /** `new` (or no record) -> `consented`; false when the record is in another state. */
    async consentFromNew(residentId: string, version: string, now: number): Promise<boolean> {
      await indexes();
      try {
        const res = await enrollments.updateOne(
          { _id: residentId, state: 'new' },
          { $set: { state: 'consented', consent: { version, at: new Date(now) }, updatedAt: new Date(now) } },
          { upsert: true },
        );
        return res.modifiedCount + res.upsertedCount > 0;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    /** Records consent to a newer notice without moving the state. */
    async renewConsent(
      residentId: string,
      state: EnrollmentState,
      version: string,
      now: number,
    ): Promise<boolean> {
      const res = await enrollments.updateOne(
        { _id: residentId, state },
        { $set: { consent: { version, at: new Date(now) }, updatedAt: new Date(now) } },
      );
      return res.modifiedCount > 0;
    },

    async setRealNameVerified(
      residentId: string,
      identity: string,
      idIndex: string,
      now: number,
    ): Promise<boolean> {
      const res = await enrollments.updateOne(
        { _id: residentId, state: 'consented' },
        { $set: { state: 'real_name_verified', identity, idIndex, updatedAt: new Date(now) } },
      );
      return res.modifiedCount > 0;
    },

    /**
     * `real_name_verified` -> `eligible` and binds the ID number; 'taken' when another account holds it.
     * With `approved`, from `in_review` of that pending review instead, recording the approval.
     */
    async setEligible(
      residentId: string,
      idIndex: string,
      now: number,
      approved?: ReviewOutcome,
    ): Promise<'ok' | 'taken' | 'stale'> {
      await indexes();
      const from = approved
        ? ({ state: 'in_review', 'review.id': approved.reviewId, 'review.status': 'pending' } as const)
        : ({ state: 'real_name_verified' } as const);
      try {
        const res = await enrollments.updateOne(
          { _id: residentId, ...from, idIndex },
          {
            $set: {
              state: 'eligible',
              boundIdIndex: idIndex,
              eligibleAt: new Date(now),
              updatedAt: new Date(now),
              ...(approved && {
                'review.status': 'approved',
                'review.decidedAt': new Date(now),
                'review.reason': approved.reason,
              }),
            },
          },
        );
        return res.modifiedCount > 0 ? 'ok' : 'stale';
      } catch (err) {
        if (isDuplicateKey(err)) return 'taken';
        throw err;
      }
    },

    /**
     * The record that holds an ID number's index: the account bound to it (eligible) first, else the
     * latest one that verified it by name (real_name_verified, or in_review awaiting a supervisor); null
     * when none does. Staff lookups only.
     */
    async byIdIndex(idIndex: string): Promise<EnrollmentRecord | null> {
      const doc =
        (await enrollments.findOne({ boundIdIndex: idIndex }).lean<EnrollmentDoc>()) ??
        (await enrollments
          .findOne({ idIndex, state: { $in: ['real_name_verified', 'in_review', 'eligible'] } })
          .sort({ updatedAt: -1 })
          .lean<EnrollmentDoc>());
      return doc ? toRecord(doc) : null;
    },

    /** `real_name_verified` -> `in_review` with a pending review; false when the record moved on. */
    async openReview(
      residentId: string,
      idIndex: string,
      review: { id: string; causes: ReviewMark['causes'] },
      now: number,
    ): Promise<boolean> {
      const res = await enrollments.updateOne(
        { _id: residentId, state: 'real_name_verified', idIndex },
        {
          $set: {
            state: 'in_review',
            review: { id: review.id, status: 'pending', causes: review.causes, openedAt: new Date(now) },
            updatedAt: new Date(now),
          },
        },
      );
      return res.modifiedCount > 0;
    },

    /** `in_review` of that pending review -> `real_name_verified`, recording the rejection; false if not. */
    async rejectReview(residentId: string, rejected: ReviewOutcome, now: number): Promise<boolean> {
      const res = await enrollments.updateOne(
        { _id: residentId, state: 'in_review', 'review.id': rejected.reviewId, 'review.status': 'pending' },
        {
          $set: {
            state: 'real_name_verified',
            'review.status': 'rejected',
            'review.decidedAt': new Date(now),
            'review.reason': rejected.reason,
            updatedAt: new Date(now),
          },
        },
      );
      return res.modifiedCount > 0;
    },

    /** The account currently bound to an ID number's index, if any. */
    async holderOf(idIndex: string): Promise<string | null> {
      const doc = await enrollments.findOne({ boundIdIndex: idIndex }, { _id: 1 }).lean();
      return doc?._id ?? null;
    },

    /**
     * Runs `fn` in one transaction (retried as a whole on a transient error), so the writes it makes with
     * the session, here and in the outbox, land together or not at all.
     */
    async transaction<T>(fn: (session: ClientSession) => Promise<T>): Promise<T> {
      await indexes();
      return db.transaction(fn);
    },

    /**
     * Takes an identity away from the account that held it: back to `consented`, data erased, hook
     * pending. The new hook generation, or null when the account no longer holds that identity.
     */
    async releaseBinding(
      residentId: string,
      idIndex: string,
      now: number,
      session?: ClientSession,
    ): Promise<number | null> {
      const doc = await enrollments
        .findOneAndUpdate(
          { _id: residentId, boundIdIndex: idIndex },
          {
            $set: { state: 'consented', pendingHook: 'identity_moved', updatedAt: new Date(now) },
            $unset: { identity: 1, idIndex: 1, boundIdIndex: 1, eligibleAt: 1 },
            $inc: { hookGeneration: 1 },
          },
          { returnDocument: 'after', projection: { hookGeneration: 1 }, session: session ?? null },
        )
        .lean<Pick<EnrollmentDoc, 'hookGeneration'>>();
      return doc ? (doc.hookGeneration ?? 0) : null;
    },

    /**
     * Back to `new` with consent and identity erased, and the hooks for `reason` pending. The new hook
     * generation; 0 when the resident has no record (nothing to erase).
     */
    async erase(
      residentId: string,
      reason: PendingHook,
      now: number,
      session?: ClientSession,
    ): Promise<number> {
      const doc = await enrollments
        .findOneAndUpdate(
          { _id: residentId },
          {
            $set: { state: 'new', pendingHook: reason, updatedAt: new Date(now) },
            $unset: ERASED,
            $inc: { hookGeneration: 1 },
          },
          { returnDocument: 'after', projection: { hookGeneration: 1 }, session: session ?? null },
        )
        .lean<Pick<EnrollmentDoc, 'hookGeneration'>>();
      return doc?.hookGeneration ?? 0;
    },

    /** Clears the pending mark of one generation's hooks; a newer erase's mark stays. */
    async clearPendingHook(residentId: string, reason: PendingHook, generation: number): Promise<void> {
      const ofGeneration = generation === 0 ? { $in: [0, null] } : generation;
      await enrollments.updateOne(
        { _id: residentId, pendingHook: reason, hookGeneration: ofGeneration },
        { $unset: { pendingHook: 1 } },
      );
    },

    /** Records whose hooks did not finish (a crash or a failing hook), oldest first. */
    async pendingHooks(
      limit: number,
    ): Promise<{ residentId: string; hook: PendingHook; generation: number }[]> {
      const docs = await enrollments
        .find({ pendingHook: { $type: 'string' } }, { _id: 1, pendingHook: 1, hookGeneration: 1 })
        .sort({ updatedAt: 1 })
        .limit(limit)
        .lean();
      return docs.map((d) => ({
        residentId: d._id,
        hook: d.pendingHook!,
        generation: d.hookGeneration ?? 0,
      }));
    },

    /** Sealed identities in id order, a page at a time (for re-wrapping under a new master key). */
    async sealedIdentities(
      afterId: string,
      limit: number,
    ): Promise<{ residentId: string; identity: string }[]> {
      const docs = await enrollments
        .find({ _id: { $gt: afterId }, identity: { $type: 'string' } }, { _id: 1, identity: 1 })
        .sort({ _id: 1 })
        .limit(limit)
        .lean();
      return docs.map((d) => ({ residentId: d._id, identity: d.identity! }));
    },

    /** Replaces a sealed identity only if nobody changed it meanwhile. */
    async replaceIdentity(residentId: string, from: string, to: string): Promise<boolean> {
      const res = await enrollments.updateOne(
        { _id: residentId, identity: from },
        { $set: { identity: to } },
      );
      return res.modifiedCount > 0;
    },

    async deleteEnrollment(residentId: string): Promise<void> {
      await enrollments.deleteOne({ _id: residentId });
    },

    async insertFaceCheck(check: Omit<FaceCheckRecord, 'consumed' | 'outcome'>, now: number): Promise<void> {
      await indexes();
      await faceChecks.create([
        {
          _id: check.verifyId,
          residentId: check.residentId,
          purpose: check.purpose,
          idIndex: check.idIndex,
          createdAt: new Date(now),
          expiresAt: new Date(check.expiresAt),
        },
      ]);
    },

    async getFaceCheck(verifyId: string): Promise<FaceCheckRecord | null> {
      const doc = await faceChecks.findById(verifyId).lean<FaceCheckDoc>();
      if (!doc) return null;
      return {
        verifyId: doc._id,
        residentId: doc.residentId,
        purpose: doc.purpose,
        idIndex: doc.idIndex,
        expiresAt: doc.expiresAt.getTime(),
        consumed: doc.consumedAt !== undefined && doc.consumedAt !== null,
        ...(doc.outcome && { outcome: doc.outcome }),
        ...(typeof doc.similarity === 'number' && { similarity: doc.similarity }),
        ...(doc.liveness && { liveness: doc.liveness }),
      };
    },

    /** Marks a check used with its outcome; false when it was already used (a concurrent completion won). */
    async consumeFaceCheck(
      verifyId: string,
      outcome: FaceOutcome,
      now: number,
      scores?: { similarity: number; liveness: 'pass' | 'fail' },
    ): Promise<boolean> {
      const res = await faceChecks.updateOne(
        { _id: verifyId, consumedAt: { $exists: false } },
        { $set: { consumedAt: new Date(now), outcome, ...scores } },
      );
      return res.modifiedCount > 0;
    },

    async deleteFaceChecksOf(residentId: string): Promise<void> {
      await faceChecks.deleteMany({ residentId });
    },

    /** The account's used reauth token ids (account closure). */
    async deleteReauthUsesOf(residentId: string): Promise<void> {
      await reauthUses.deleteMany({ residentId });
    },

    /** Deletes the given try counters (account closure). */
    async deleteAttempts(keys: string[]): Promise<void> {
      await attempts.deleteMany({ _id: { $in: keys } });
    },

    /** Current counts for the given counter keys (missing keys count 0). */
    async attemptCounts(keys: string[]): Promise<Map<string, number>> {
      const docs = await attempts.find({ _id: { $in: keys } }).lean();
      return new Map(keys.map((k) => [k, docs.find((d) => d._id === k)?.count ?? 0]));
    },

    /**
     * Takes one try from a counter unless it is already at `limit`: then the conditional upsert collides
     * with the existing document, so concurrent requests in any process cannot overshoot.
     */
    async takeAttempt(key: string, limit: number, expiresAt: number): Promise<boolean> {
      await indexes();
      try {
        await attempts.updateOne(
          { _id: key, count: { $lt: limit } },
          { $inc: { count: 1 }, $setOnInsert: { expiresAt: new Date(expiresAt) } },
          { upsert: true },
        );
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    /** Gives a reserved try back (the upstream timed out, or the try succeeded). */
    async refundAttempt(keys: string[]): Promise<void> {
      await attempts.updateMany({ _id: { $in: keys }, count: { $gt: 0 } }, { $inc: { count: -1 } });
    },

    /** Records a reauth token id as used; false when it already was. */
    async useReauthToken(jti: string, residentId: string, expiresAt: number): Promise<boolean> {
      await indexes();
      try {
        await reauthUses.create([{ _id: jti, residentId, expiresAt: new Date(expiresAt) }]);
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
  };
}

export type EnrollmentRepository = ReturnType<typeof createEnrollmentRepository>;
