import { Schema, type Connection, type Model } from 'mongoose';
import type { ReviewCause } from '@eid/shared';
import type { EnrollmentState } from './enrollment.types';

export type PendingHook = 'consent_withdrawn' | 'account_closed' | 'identity_moved';

/** A resident's enrollment. No document means state `new`. */
export interface EnrollmentDoc {
  _id: string;
  state: EnrollmentState;
  consent?: { version: string; at: Date };
  /** The card face and portrait reference from the registry, sealed by the key store (aad: the resident id). */
  identity?: string;
  /** Keyed index of the verified ID number, set from `real_name_verified` on. */
  idIndex?: string;
  /** Same as idIndex, but only while `eligible`: unique, so one person is bound to one account at a time. */
  boundIdIndex?: string;
  eligibleAt?: Date;
  /**
   * Hooks not yet finished after the identity was erased or moved. Their delivery is an outbox event
   * (hooks.ts), written in the same transaction; this mark lets every step finish them first without
   * asking the outbox on each read. Records from before the outbox may carry it alone: see hooks.ts.
   */
  pendingHook?: PendingHook;
  /** Counts erasures and moves; with the reason, it names each one's outbox event (absent: 0). */
  hookGeneration?: number;
  /**
   * The last review of this enrolment (review.model.ts holds its evidence): pending while `in_review`, then
   * its outcome, which the resident's page shows. The state change and this mark are one write.
   */
  review?: EnrollmentReviewMark;
  updatedAt: Date;
}

/** The enrolment's own copy of its last review's standing. */
export interface EnrollmentReviewMark {
  id: string;
  status: 'pending' | 'approved' | 'rejected';
  causes: ReviewCause[];
  openedAt: Date;
  decidedAt?: Date;
  /** The supervisor's reason, written for the resident. */
  reason?: string;
}

/** `borderline`: an enrolment check in the review band (FACE_REVIEW_MIN_SIMILARITY up to the pass mark). */
export type FaceOutcome = 'pass' | 'borderline' | 'liveness_failed' | 'low_similarity' | 'poor_quality';

/** A face-verification id the BFF asked for: bound to one resident, one purpose and one identity; used once. */
export interface FaceCheckDoc {
  _id: string;
  residentId: string;
  purpose: 'enroll' | 'reauth';
  idIndex: string;
  createdAt: Date;
  expiresAt: Date;
  consumedAt?: Date;
  outcome?: FaceOutcome;
  /** The face service's scores, kept with the outcome as a review's evidence. */
  similarity?: number;
  liveness?: 'pass' | 'fail';
}

/** One day's count of failed tries for one subject (an account, an ID number's index, or the pair). */
export interface AttemptDoc {
  _id: string;
  count: number;
  expiresAt: Date;
}

/** A consumed reauth token id, kept until the token would have expired anyway. */
export interface ReauthUseDoc {
  _id: string;
  residentId: string;
  expiresAt: Date;
}

const consentSchema = new Schema(
  { version: { type: String, required: true }, at: { type: Date, required: true } },
  { _id: false },
);

const enrollmentSchema = new Schema<EnrollmentDoc>(
  {
    _id: { type: String, required: true },
    state: { type: String, required: true },
    consent: { type: consentSchema, default: undefined },
    identity: { type: String },
    idIndex: { type: String },
    boundIdIndex: { type: String },
    eligibleAt: { type: Date },
    pendingHook: { type: String },
    hookGeneration: { type: Number },
    review: {
      type: new Schema(
        {
          id: { type: String, required: true },
          status: { type: String, required: true },
          causes: { type: [String], required: true },
          openedAt: { type: Date, required: true },
          decidedAt: { type: Date },
          reason: { type: String },
        },
        { _id: false },
      ),
      default: undefined,
    },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'enrollments', versionKey: false },
);
enrollmentSchema.index(
  { boundIdIndex: 1 },
  { unique: true, partialFilterExpression: { boundIdIndex: { $type: 'string' } } },
);
// Staff lookups by ID number (oversight module) find a record verified by name but not yet bound too.
enrollmentSchema.index({ idIndex: 1 }, { partialFilterExpression: { idIndex: { $type: 'string' } } });
enrollmentSchema.index({ pendingHook: 1 }, { partialFilterExpression: { pendingHook: { $type: 'string' } } });

const faceCheckSchema = new Schema<FaceCheckDoc>(
  {
    _id: { type: String, required: true },
    residentId: { type: String, required: true },
    purpose: { type: String, required: true },
    idIndex: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    consumedAt: { type: Date },
    outcome: { type: String },
    similarity: { type: Number },
    liveness: { type: String },
  },
  { collection: 'face_checks', versionKey: false },
);
faceCheckSchema.index({ residentId: 1 });
// Kept a day past expiry so a late retry is answered as used or expired rather than unknown.
faceCheckSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 24 * 3600 });

const attemptSchema = new Schema<AttemptDoc>(
  {
    _id: { type: String, required: true },
    count: { type: Number, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'enrollment_attempts', versionKey: false },
);
attemptSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

const reauthUseSchema = new Schema<ReauthUseDoc>(
  {
    _id: { type: String, required: true },
    residentId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'reauth_tokens_used', versionKey: false },
);
reauthUseSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export interface EnrollmentModels {
  enrollments: Model<EnrollmentDoc>;
  faceChecks: Model<FaceCheckDoc>;
  attempts: Model<AttemptDoc>;
  reauthUses: Model<ReauthUseDoc>;
}

/** Registers (once per connection) and returns the enrollment models. */
export function enrollmentModels(db: Connection): EnrollmentModels {
  const model = <T>(name: string, schema: Schema<T>): Model<T> =>
    (db.models[name] as Model<T> | undefined) ?? db.model<T>(name, schema);
  return {
    enrollments: model('Enrollment', enrollmentSchema),
    faceChecks: model('FaceCheck', faceCheckSchema),
    attempts: model('EnrollmentAttempt', attemptSchema),
    reauthUses: model('ReauthUse', reauthUseSchema),
  };
}
