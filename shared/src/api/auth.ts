/** Wire shapes of the auth module (`/api/v1/auth`; docs/api.md "Sessions"). */
import type { Enrollment } from './enrollment';

/** Body of `POST /api/v1/auth/login`: the one-time super-app code. */
export interface LoginRequest {
  code: string;
}

/** Body of `POST /api/v1/auth/refresh` and `POST /api/v1/auth/logout`. */
export interface RefreshRequest {
  refreshToken: string;
}

/** What the page gets after login or refresh (docs/api.md `Session`). */
export interface Session {
  tokenType: 'Bearer';
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
  refreshToken: string;
  resident: { id: string; enrollment: Enrollment };
}
