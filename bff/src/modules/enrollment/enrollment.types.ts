/**
 * What other modules may ask of a resident's verified identity. Implemented by the enrollment module;
 * the card module depends on this interface only.
 */
import type { Attempts, Enrollment, EnrollmentState } from '@eid/shared';

// The wire shapes live in shared/src/api/enrollment.ts; these names stay for the module's callers.
export type { EnrollmentState };

/** Card face data as the registry holds it (decrypted; never logged, never stored in clear). */
export interface IdentityFace {
  name: string;
  sex: string;
  ethnicity: string;
  /** YYYY-MM-DD */
  birthDate: string;
  address: string;
  idNumber: string;
  issuingAuthority: string;
  /** YYYY-MM-DD */
  validFrom: string;
  /** YYYY-MM-DD, or '长期' for a card valid for life. */
  validUntil: string;
}

export interface VerifiedIdentity {
  residentId: string;
  state: EnrollmentState;
  face: IdentityFace;
  portraitRef: string;
}

export interface IdentityService {
  /** The decrypted identity of an `eligible` resident; throws CARD_NOT_ELIGIBLE otherwise. */
  getVerifiedIdentity(residentId: string): Promise<VerifiedIdentity>;
  /** `getVerifiedIdentity` for several residents in one read; each entry is the identity or its error. */
  getVerifiedIdentities(residentIds: string[]): Promise<(VerifiedIdentity | Error)[]>;
  /** Accepts a fresh re-authentication token for this resident; throws REAUTH_REQUIRED otherwise. */
  verifyReauthToken(residentId: string, token: string | undefined): Promise<void>;
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

/** Remaining tries of one kind today (docs/api.md `Attempts`). */
export type AttemptsView = Attempts;

/** A resident's enrollment as the page sees it (docs/api.md `Enrollment`). */
export type EnrollmentView = Enrollment;
