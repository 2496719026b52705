/**
 * Wire shapes of remote sign-in (issue 17; docs/remote-signin.md): the resident's side in the mini-program
 * (`/api/v1/signins`, `/api/v1/passcode`) and the desktop sign-in page's status (`/signin/:uid/status`).
 * The party's side is OpenID Connect under `/oidc` (node-oidc-provider), not repeated here.
 */
import type { CardField } from '../purposes';
import type { SignInLevel } from '../signin/levels';
import type { SignedPartyRegistration } from './party';

export type SignInState =
  'pending' | 'opened' | 'approved' | 'declined' | 'cancelled' | 'expired' | 'completed';

/** Body of `POST /api/v1/signins/open`: the scanned or linked request code. */
export interface OpenSignInRequest {
  code: string;
}

/** What the resident is shown before approving (`POST /api/v1/signins/open`, `GET /api/v1/signins/:id`). */
export interface SignInView {
  id: string;
  state: SignInState;
  party: {
    id: string;
    /** The verified name: from the signed registration, which the phone checks against the pinned trust root. */
    name: string;
    uscc: string;
    category: string;
    registration: SignedPartyRegistration;
  };
  /** The origin the browser will return to (the redirect URI's scheme, host and port), shown in full. */
  returnOrigin: string;
  purpose: string;
  /** The OpenID scopes asked for (`openid` left out) and the card fields they disclose. */
  scopes: string[];
  fields: CardField[];
  /** The level the party needs: what approve must satisfy. */
  level: SignInLevel;
  /** Three four-digit codes, one of them the control code the desktop shows (only while pending/opened). */
  controlCodeChoices?: string[];
  /** True when the resident has set an e-ID passcode (level 2 and 3 need one). */
  passcodeSet: boolean;
  createdAt: number;
  expiresAt: number;
  answeredAt?: number;
}

/** Body of `POST /api/v1/signins/:id/approve`. */
export interface ApproveSignInRequest {
  /** The choice the resident tapped; a wrong one ends the sign-in (409 SIGNIN_CONTROL_CODE_MISMATCH). */
  controlCode: string;
  /** Epoch ms the device signed at (shared/src/signin/approval.ts). */
  at: number;
  /** base64url Ed25519 signature by the live card's device key over signInApprovalBytes. */
  deviceSignature: string;
  /** Level 2 and 3. */
  passcode?: string;
  /** Level 3: the single-use token of a passing face re-confirmation (`/api/v1/enrollment/reauth/...`). */
  reauthToken?: string;
}

/** Answer of `GET /signin/:uid/status` (the desktop page polls it; bound to its interaction cookie). */
export interface SignInPageStatus {
  state: SignInState;
  controlCode: string;
  expiresAt: number;
}

/** Answer of `GET /api/v1/passcode`. */
export interface PasscodeStatus {
  set: boolean;
  /** Wrong tries left before the next pause. */
  triesLeft: number;
  /** Epoch ms until which every try is refused (429 PASSCODE_PAUSED); absent when none. */
  pausedUntil?: number;
  updatedAt?: number;
}

/** Body of `PUT /api/v1/passcode`: set the first one, or change it with the current one. */
export interface SetPasscodeRequest {
  passcode: string;
  currentPasscode?: string;
}

/** Body of `POST /api/v1/passcode/reset`: a forgotten passcode is replaced after a face check. */
export interface ResetPasscodeRequest {
  passcode: string;
  reauthToken: string;
}
