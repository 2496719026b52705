/** Wire shapes of the enrollment module (`/api/v1/enrollment`, `/api/v1/reauth`; docs/api.md). */

export type EnrollmentState = 'new' | 'consented' | 'real_name_verified' | 'eligible';

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
