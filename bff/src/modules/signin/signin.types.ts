/**
 * What other modules may use of the sign-in module (issue 17): the OpenID provider (modules/oidc) starts a
 * sign-in when the browser reaches the sign-in page, polls its outcome, and completes it once the resident
 * approved on the phone. The resident's routes (`/api/v1/signins`) are the module's own. Wire shapes are in
 * shared/src/api/signin.ts; docs/remote-signin.md tells the whole flow.
 */
import type { ApproveSignInRequest, CardField, SignInLevel, SignInState, SignInView } from '@eid/shared';
import type { Party } from '../party/party.types';

export interface StartSignInInput {
  /** The provider's interaction uid: one sign-in per interaction (starting twice answers the same one). */
  interactionUid: string;
  party: Party;
  /** The requested OpenID scopes less `openid`: each one registered for the party's sign-in purpose. */
  scopes: string[];
  /** The level to achieve: the party's registered level, or higher when `acr_values` asked. */
  level: SignInLevel;
  /** The redirect URI the browser returns to; the phone shows its origin. */
  returnUri: string;
}

export interface StartedSignIn {
  id: string;
  /** `EIDS1:<id>.<secret>`: the QR code of the desktop page. */
  requestCode: string;
  /** The mini-program link that opens it (MINIAPP_URL + the sign-in page + the code): the same-device button. */
  requestUrl: string;
  /** controlCodeOf(the code): what the desktop page shows. */
  controlCode: string;
  expiresAt: number;
}

export interface SignInOutcome {
  id: string;
  /** Expiry is settled when read: a pending sign-in past `expiresAt` reads `expired`. */
  state: SignInState;
  controlCode: string;
  expiresAt: number;
  /** Set once a resident opened it. */
  residentId?: string;
  /** Set once approved: the level achieved (never below the one asked) and its methods. */
  level?: SignInLevel;
  acr?: string;
  amr?: string[];
  scopes: string[];
  fields: CardField[];
  approvedAt?: number;
}

/** The approved sign-in, handed to the provider exactly once. */
export interface CompletedSignIn extends SignInOutcome {
  residentId: string;
  level: SignInLevel;
  acr: string;
  amr: string[];
  approvedAt: number;
}

export interface SignInBroker {
  start(input: StartSignInInput): Promise<StartedSignIn>;
  /** NOT_FOUND when unknown. */
  outcome(id: string): Promise<SignInOutcome>;
  /**
   * Moves an approved sign-in to `completed` and answers it: once only (SIGNIN_WRONG_STATE after, and for any
   * other state; SIGNIN_EXPIRED past its time).
   */
  complete(id: string): Promise<CompletedSignIn>;
  /** The browser cancelled: a pending or opened sign-in becomes `cancelled` (no-op otherwise). */
  cancel(id: string): Promise<void>;
  /**
   * What the ID token says about the resident for `scopes`: the scopes' card fields from the verified identity
   * under their OpenID claim names (docs/remote-signin.md, "Claims").
   */
  claimsFor(residentId: string, scopes: string[]): Promise<Record<string, string | boolean>>;
  /** False when the resident has no live card or it is suspended: the provider then refuses the code exchange. */
  accountActive(residentId: string): Promise<boolean>;
}

/** The resident's side (`/api/v1/signins`), which only the module's own routes call. */
export interface ResidentSignIns {
  /** The first resident to open a request code binds the sign-in to themselves. */
  open(residentId: string, code: string, requestId?: string): Promise<SignInView>;
  /** The resident's own sign-in (NOT_FOUND for anyone else's). */
  forResident(residentId: string, id: string, requestId?: string): Promise<SignInView>;
  approve(
    residentId: string,
    id: string,
    input: ApproveSignInRequest,
    requestId?: string,
  ): Promise<SignInView>;
  decline(residentId: string, id: string, requestId?: string): Promise<SignInView>;
}

/** The module's service as app.ts builds it: the broker other modules use, and the resident's side. */
export interface SignInService extends SignInBroker, ResidentSignIns {}
