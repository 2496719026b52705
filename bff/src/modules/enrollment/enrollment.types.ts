/**
 * What other modules may use of the enrollment module: the identity of a verified resident (card,
 * verify), the hooks called when it stops being valid, and the service interface app.ts composes.
 * Implemented by enrollment.service.ts; other modules import this file only.
 */
import type {
  AccountClosure,
  Attempts,
  Enrollment,
  EnrollmentState,
  FaceCheckStart,
  PrivacyNotice,
  RealNameRequest,
  ReauthGrant,
  ReviewDecision,
  ReviewList,
} from '@eid/shared';
import type { CardFace } from '../../infra/upstream';

// The wire shapes live in shared/src/api/enrollment.ts; these names stay for the module's callers.
export type { EnrollmentState };

/**
 * Card face data as the registry holds it (decrypted; never logged, never stored in clear): the shape
 * the registry's answer is validated against (infra/upstream/types.ts), so it is written once.
 */
export type IdentityFace = CardFace;

export interface VerifiedIdentity {
  residentId: string;
  state: EnrollmentState;
  face: IdentityFace;
  portraitRef: string;
}

/** A resident found by ID number (IdentityService.findByIdNumber): whose record, in which state, what face. */
export interface ResidentOfIdNumber {
  residentId: string;
  state: EnrollmentState;
  face: IdentityFace;
}

export interface IdentityService {
  /** The decrypted identity of an `eligible` resident; throws CARD_NOT_ELIGIBLE otherwise. */
  getVerifiedIdentity(residentId: string): Promise<VerifiedIdentity>;
  /** `getVerifiedIdentity` for several residents in one read; each entry is the identity or its error. */
  getVerifiedIdentities(residentIds: string[]): Promise<(VerifiedIdentity | Error)[]>;
  /** Accepts a fresh re-authentication token for this resident; throws REAUTH_REQUIRED otherwise. */
  verifyReauthToken(residentId: string, token: string | undefined): Promise<void>;
  /**
   * The resident whose verified identity (real_name_verified or eligible) has this normalised ID number,
   * through the blind index only; null when none. Records nothing: the staff lookup that calls it does.
   */
  findByIdNumber(idNumber: string): Promise<ResidentOfIdNumber | null>;
  /** `findByIdNumber` for a resident found before (a reveal after a lookup); null once the identity is gone. */
  findByResident(residentId: string): Promise<ResidentOfIdNumber | null>;
}

/**
 * Called when a resident's identity stops being valid (consent withdrawn, account closed, registry cancel),
 * or when another account proved, face to face, to be the same person and took the identity over
 * (`identity_moved`). Hooks must be idempotent: after a crash they are called again.
 */
export type IdentityWithdrawnHook = (
  residentId: string,
  reason: 'consent_withdrawn' | 'account_closed' | 'identity_moved',
) => Promise<void>;

/**
 * Values another module keeps sealed under the master keys (`keys.seal`): what the master-key re-wrap
 * (`rewrapIdentities`) re-wraps after the identities. app.ts registers the licence wallet's and the document
 * calls'. Read in id order, a page at a time; each value replaced only if it is still the one read.
 */
export interface SealedStore {
  /** The collection, as the re-wrap's log line names it. */
  name: string;
  /** Up to `limit` sealed values whose id sorts after `afterId` (`''`: from the start), in id order. */
  page(afterId: string, limit: number): Promise<{ id: string; sealed: string }[]>;
  /** Writes `to` in place of `from`; false when the value changed or was erased meanwhile (left as it is). */
  replace(id: string, from: string, to: string): Promise<boolean>;
}

/** Remaining tries of one kind today (docs/api.md `Attempts`). */
export type AttemptsView = Attempts;

/** A resident's enrollment as the page sees it (docs/api.md `Enrollment`). */
export type EnrollmentView = Enrollment;

/** What closing an account needs from the session side (the auth module's service; app.ts passes it in). */
export interface AccountEraser {
  /** Ends every session family of the resident. */
  eraseSessions(residentId: string): Promise<void>;
  /** Deletes the resident record, so the next login of that super-app user is a new resident. */
  deleteResident(residentId: string): Promise<void>;
}

/** The enrollment steps the routes call (docs/api.md, "Enrollment"); `requestId` goes into the usage trace. */
export interface EnrollmentService {
  identity: IdentityService;
  notice(): PrivacyNotice;
  /** The page's view of a resident's enrollment. */
  get(residentId: string): Promise<EnrollmentView>;
  /** Consent to the current privacy notice: new -> consented, or a renewal to a newer notice. */
  consent(residentId: string, noticeVersion: string, requestId?: string): Promise<EnrollmentView>;
  /** Back to `new`, identity erased, card revoked through the hooks; the usage trace stays. */
  withdrawConsent(residentId: string, requestId?: string): Promise<EnrollmentView>;
  /** consented -> real_name_verified after the registry confirms the name and ID number. */
  realName(residentId: string, input: RealNameRequest, requestId?: string): Promise<EnrollmentView>;
  /** Starts the enrollment face check. */
  startRealPerson(residentId: string, requestId?: string): Promise<FaceCheckStart>;
  /** real_name_verified -> eligible when the face service says it is this person. Safe to retry. */
  completeRealPerson(residentId: string, verifyId: string, requestId?: string): Promise<EnrollmentView>;
  /** Starts a face check that re-confirms an eligible resident. */
  startReauth(residentId: string, requestId?: string): Promise<FaceCheckStart>;
  /** A passing re-confirmation face check gives a short, single-use `reauth` token. */
  completeReauth(residentId: string, verifyId: string, requestId?: string): Promise<ReauthGrant>;
  /** Card revoked, identity, sessions and resident erased; answers what is kept (the usage trace, ...) and why. */
  closeAccount(residentId: string, requestId?: string): Promise<AccountClosure>;
  /**
   * Re-wraps every sealed identity, then every value of the registered SealedStores (wallet documents,
   * delivered documents), under the current master key (after a rotation); totals over all. Idempotent.
   */
  rewrapIdentities(pageSize?: number): Promise<{ seen: number; rewrapped: number }>;
  /** Finishes identity hooks a crash or a failing hook left pending; the number finished. */
  resumePendingHooks(limit?: number): Promise<number>;
  /** The pending reviews a supervisor may decide, masked; each look recorded in the resident's trace. */
  listReviews(staffId: string, requestId?: string): Promise<ReviewList>;
  /** A supervisor approves (-> eligible) or rejects (-> real_name_verified) a review, with a reason. */
  decideReview(
    reviewId: string,
    decision: 'approve' | 'reject',
    staffId: string,
    reason: string,
    requestId?: string,
  ): Promise<ReviewDecision>;
}
