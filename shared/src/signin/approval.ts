import { canonicalJson, utf8Encode } from '../encoding';
import type { SignInLevel } from './levels';

/**
 * What the registered device signs to approve a sign-in (docs/formats/signin.md): the bytes of
 *
 *   "eid-signin-approval-v1" || 0x0A || canonicalJson({ at, controlCode, level, party, signin })
 *
 * with Ed25519 under the device key of the resident's live card (the key the bright code's device
 * signature uses). It binds the one sign-in, the party the resident saw, the level they approved at and the
 * control code they tapped; `at` (epoch ms) must be within SIGNIN_APPROVAL_SKEW_MS of the BFF's clock.
 */
export interface SignInApproval {
  signin: string;
  party: string;
  level: SignInLevel;
  controlCode: string;
  at: number;
}

export const SIGNIN_APPROVAL_CONTEXT = 'eid-signin-approval-v1';
/** How far the device's `at` may be from the BFF's clock, either way. */
export const SIGNIN_APPROVAL_SKEW_MS = 2 * 60 * 1000;

export function signInApprovalBytes(approval: SignInApproval): Uint8Array {
  const { at, controlCode, level, party, signin } = approval;
  return utf8Encode(
    `${SIGNIN_APPROVAL_CONTEXT}\n${canonicalJson({ at, controlCode, level, party, signin })}`,
  );
}
