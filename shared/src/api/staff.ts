/** Wire shapes of the staff module (`/api/v1/staff`). */

export type StaffRole = 'verifier' | 'supervisor';

/** What a staff terminal and the usage trace know about a staff member (`GET /api/v1/staff/me`). */
export interface StaffProfile {
  id: string;
  displayName: string;
  role: StaffRole;
  org: string;
  /** The service window the account works at (its organisation is `org`); document calls need one. */
  window?: { id: string; name: string };
}

/** Body of `POST /api/v1/staff/login`. */
export interface StaffLoginRequest {
  username: string;
  password: string;
}

/** Answer of `POST /api/v1/staff/login`. */
export interface StaffSession {
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
  staff: StaffProfile;
}
