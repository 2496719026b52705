import { Schema, type Connection, type Model } from 'mongoose';
import type { ReviewCause } from '@eid/shared';

/**
 * One enrolment automation could not decide (docs/identity.md "Review queue"): the evidence a supervisor
 * may see, and the decision. No personal data: the masked registry data is read from the sealed identity
 * when the queue is listed, never copied here.
 */
export interface ReviewDoc {
  _id: string;
  residentId: string;
  /** Keyed index of the ID number the review is about: a decision holds only while the enrolment has it. */
  idIndex: string;
  /** The face check that opened the review: one review per check, whatever retries do. */
  verifyId: string;
  causes: ReviewCause[];
  face: { similarity: number; liveness: 'pass' | 'fail'; passMark: number; reviewFrom: number };
  registryFlags: string[];
  /** `withdrawn`: the enrolment moved on without a decision (consent withdrawn, account closed). */
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  openedAt: Date;
  decision?: { staffId: string; reason: string; at: Date };
}

const reviewSchema = new Schema<ReviewDoc>(
  {
    _id: { type: String, required: true },
    residentId: { type: String, required: true },
    idIndex: { type: String, required: true },
    verifyId: { type: String, required: true },
    causes: { type: [String], required: true },
    face: {
      type: new Schema(
        {
          similarity: { type: Number, required: true },
          liveness: { type: String, required: true },
          passMark: { type: Number, required: true },
          reviewFrom: { type: Number, required: true },
        },
        { _id: false },
      ),
      required: true,
    },
    registryFlags: { type: [String], required: true },
    status: { type: String, required: true },
    openedAt: { type: Date, required: true },
    decision: {
      type: new Schema(
        {
          staffId: { type: String, required: true },
          reason: { type: String, required: true },
          at: { type: Date, required: true },
        },
        { _id: false },
      ),
      default: undefined,
    },
  },
  { collection: 'enrollment_reviews', versionKey: false },
);
reviewSchema.index({ verifyId: 1 }, { unique: true });
// The queue: pending reviews, oldest first.
reviewSchema.index({ status: 1, openedAt: 1 });

/** Registers (once per connection) and returns the review model. */
export function reviewModel(db: Connection): Model<ReviewDoc> {
  return (
    (db.models.EnrollmentReview as Model<ReviewDoc>) ?? db.model<ReviewDoc>('EnrollmentReview', reviewSchema)
  );
}
