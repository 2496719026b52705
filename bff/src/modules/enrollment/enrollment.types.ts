/**
 * What other modules may ask of a resident's verified identity. Implemented by the enrollment module;
 * the card module depends on this interface only.
 */
export type EnrollmentState = 'new' | 'consented' | 'real_name_verified' | 'eligible';

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
  /** Accepts a fresh re-authentication token for this resident; throws REAUTH_REQUIRED otherwise. */
  verifyReauthToken(residentId: string, token: string | undefined): Promise<void>;
}

/** Called when a resident's identity stops being valid (consent withdrawn, account closed, registry cancel). */
export type IdentityWithdrawnHook = (residentId: string, reason: 'consent_withdrawn' | 'account_closed') => Promise<void>;
