/** Wire shapes of the enrollment module (`/api/v1/enrollment`, `/api/v1/reauth`; docs/api.md). */

/**
 * `in_review`: the face check or the registry left a doubt only a supervisor can settle (docs/identity.md,
 * "Review queue"); approval moves on to `eligible`, rejection back to `real_name_verified`.
 */
export type EnrollmentState = 'new' | 'consented' | 'real_name_verified' | 'in_review' | 'eligible';

/** Why an enrolment went to the review queue. */
export type ReviewCause = 'face_borderline' | 'registry_anomaly';

/** What the resident sees of the review of their enrolment: its state and, once decided, the outcome. */
export interface EnrollmentReview {
  status: 'pending' | 'approved' | 'rejected';
  causes: ReviewCause[];
  /** Epoch ms. */
  openedAt: number;
  /** Epoch ms; present once decided. */
  decidedAt?: number;
  /** The supervisor's reason, as written for the resident; present once decided. */
  reason?: string;
}

/** Remaining tries of one kind today (docs/api.md `Attempts`). */
export interface Attempts {
  limit: number;
  remaining: number;
  /** When the counter resets, epoch ms; null while tries remain. */
  unlockAt: number | null;
}

/** A resident's enrollment as the page sees it (docs/api.md `Enrollment`). */
export interface Enrollment {
  state: EnrollmentState;
  consent: { version: string; at: number } | null;
  attempts: { realName: Attempts; face: Attempts };
  /** The last review of this enrolment, while pending and after its decision; absent when there was none. */
  review?: EnrollmentReview;
}

/** Body of `POST /api/v1/enrollment/consent`. */
export interface ConsentRequest {
  noticeVersion: string;
}

/** Body of `POST /api/v1/enrollment/real-name`. */
export interface RealNameRequest {
  name: string;
  idNumber: string;
}

/** Answer of `POST /api/v1/enrollment/real-person/start` and `POST /api/v1/reauth/start`. */
export interface FaceCheckStart {
  verifyId: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** Body of `POST /api/v1/enrollment/real-person/complete` and `POST /api/v1/reauth/complete`. */
export interface FaceCheckCompleteRequest {
  verifyId: string;
}

/** Answer of `POST /api/v1/reauth/complete`: a short-lived token for one sensitive action. */
export interface ReauthGrant {
  reauthToken: string;
  /** Seconds. */
  expiresIn: number;
}

/** A sentence in both languages the mini-program shows, Chinese first. */
export interface ClosureText {
  zh: string;
  en: string;
}

/** One kind of record closing an account keeps, why, and for how long. */
export interface ClosureKept {
  /** A stable name: `usage_trace`, `consent_records`, `document_call_receipts`, `review_decisions`, `revoked_card`, `audit`, `attempt_counter`. */
  record: string;
  what: ClosureText;
  why: ClosureText;
  /** Days from the closure it is kept at most; null: without end (the audit) or until a date it names. */
  days: number | null;
  keptFor: ClosureText;
}

/** Answer of `DELETE /api/v1/account`: what was deleted, and what is kept and why (docs/data-inventory.md). */
export interface AccountClosure {
  /** Epoch ms. */
  closedAt: number;
  deleted: ClosureText[];
  kept: ClosureKept[];
}
