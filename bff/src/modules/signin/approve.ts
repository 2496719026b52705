import {
  AppError,
  SIGNIN_APPROVAL_SKEW_MS,
  acrOfLevel,
  amrOfLevel,
  base64urlDecode,
  signInApprovalBytes,
  type ApproveSignInRequest,
  type SignInView,
} from '@eid/shared';
import { safeEqual } from '../../infra/keystore';
import type { LiveDevice } from '../card/card.types';
import { codeOf, expired, partyOf, settle, signInTrace, wrongState, type SignInContext } from './deps';
import { residentSignIn } from './open';
import type { SignInRecord } from './signin.repository';
import { residentView } from './view';

type Owned = SignInRecord & { residentId: string };

/** Why the approval is not the live card's device speaking now, or undefined when it is. */
function approvalProblem(
  deps: Pick<SignInContext, 'clock' | 'ed25519'>,
  s: Owned,
  input: ApproveSignInRequest,
  device: LiveDevice,
): 'clock' | 'signature' | undefined {
  if (!Number.isSafeInteger(input.at) || Math.abs(deps.clock.now() - input.at) > SIGNIN_APPROVAL_SKEW_MS)
    return 'clock';
  let signature: Uint8Array;
  let publicKey: Uint8Array;
  try {
    // Strict base64url: one spelling per byte string, so a re-encoded signature is not a second one.
    signature = base64urlDecode(input.deviceSignature);
    publicKey = base64urlDecode(device.devicePublicKey);
  } catch {
    return 'signature';
  }
  if (signature.length !== 64) return 'signature';
  const message = signInApprovalBytes({
    signin: s.id,
    party: s.partyId,
    level: s.level,
    controlCode: input.controlCode,
    at: input.at,
  });
  // The node:crypto door runs the shared strict checks (canonical S, no small-order key) before OpenSSL.
  return deps.ed25519.verify(publicKey, message, signature) ? undefined : 'signature';
}

/** A lost race or a lapse while checking: the answer the current record gives. */
async function afterLostWrite(deps: SignInContext, s: Owned): Promise<AppError> {
  const current = await settle(deps, (await deps.repo.byId(s.id)) ?? s);
  return current.state === 'expired' ? expired() : wrongState(current.state);
}

/**
 * A wrong control code: the resident may be looking at a relayed request, so the sign-in ends (cancelled,
 * recorded as `signin.cancel` denied in their trace) and the desktop page learns it by its poll.
 */
async function cancelForMismatch(deps: SignInContext, s: Owned, requestId?: string): Promise<AppError> {
  const cancelled = await deps.repo.refuse(s.id, s.residentId, 'cancelled', deps.clock.now());
  if (!cancelled) {
    const current = await settle(deps, (await deps.repo.byId(s.id)) ?? s);
    if (current.state !== 'cancelled')
      return current.state === 'expired' ? expired() : wrongState(current.state);
  } else {
    const party = await partyOf(deps, s.partyId);
    await signInTrace(deps, s, party, requestId).once(
      {
        action: 'signin.cancel',
        result: 'denied',
        detail: { level: s.level, reason: 'control_code_mismatch' },
      },
      'cancelled',
    );
    deps.logger.info({ signinId: s.id, partyId: s.partyId }, 'sign-in cancelled: control code mismatch');
  }
  return new AppError(
    'SIGNIN_CONTROL_CODE_MISMATCH',
    'That is not the code the website shows; the sign-in is cancelled',
  );
}

/**
 * The resident approves the sign-in they opened. The checks run in this order (docs/remote-signin.md):
 * the state; the control code (a wrong one cancels); the live card; the device signature over the approval
 * bytes with the card's device key and its time; the party still active; then the level: 2 and 3 need the
 * passcode, 3 also the face re-confirmation's single-use token. The device signature comes before the
 * passcode, so only the phone holder can spend passcode tries; whether every factor the level needs is
 * present is judged before any is spent, and the passcode before the face token, so that a wrong passcode
 * leaves the face check usable. One conditional write makes it approved (of two racing approvals one
 * wins; the other is SIGNIN_WRONG_STATE), and the winner records `signin.approve` with the party as actor.
 */
export async function approveSignIn(
  deps: SignInContext,
  residentId: string,
  id: string,
  input: ApproveSignInRequest,
  requestId?: string,
): Promise<SignInView> {
  const s = await residentSignIn(deps, id, residentId);
  if (s.state === 'expired') throw expired();
  if (s.state !== 'opened') throw wrongState(s.state);

  if (!safeEqual(input.controlCode, codeOf(deps, s.id).controlCode))
    throw await cancelForMismatch(deps, s, requestId);

  const device = await deps.card.liveDevice(residentId);
  if (!device) throw new AppError('CARD_NOT_FOUND', 'You have no bright card yet');
  if (device.status === 'suspended')
    throw new AppError('CARD_SUSPENDED', 'Your card is suspended; resume it before signing in');

  const problem = approvalProblem(deps, s, input, device);
  if (problem) {
    throw new AppError(
      'DEVICE_SIGNATURE_INVALID',
      problem === 'clock'
        ? "The phone's clock is too far from the service's; set it right and try again"
        : 'The approval is not signed by the device your card is on',
      { reason: problem },
    );
  }

  const party = await partyOf(deps, s.partyId);
  if (party.status === 'suspended')
    throw new AppError('PARTY_SUSPENDED', 'This party is suspended by the registry; it cannot sign you in');

  if (s.level >= 2 && input.passcode === undefined)
    throw new AppError('SIGNIN_LEVEL_NOT_MET', 'This sign-in needs your e-ID passcode', {
      level: s.level,
      missing: 'passcode',
    });
  if (s.level >= 3 && input.reauthToken === undefined)
    throw new AppError('SIGNIN_LEVEL_NOT_MET', 'This sign-in needs a face check', {
      level: s.level,
      missing: 'face',
    });
  if (s.level >= 2) await deps.passcodes.check(residentId, input.passcode!, requestId);
  if (s.level >= 3) await deps.identity.verifyReauthToken(residentId, input.reauthToken);

  const approved = await deps.repo.approve(
    s.id,
    residentId,
    { level: s.level, acr: acrOfLevel(s.level), amr: amrOfLevel(s.level) },
    deps.clock.now(),
  );
  if (!approved) throw await afterLostWrite(deps, s);
  const mine = approved as Owned;
  await signInTrace(deps, mine, party, requestId).once(
    {
      action: 'signin.approve',
      fields: [...mine.fields],
      detail: { level: s.level, acr: acrOfLevel(s.level) },
    },
    'approved',
  );
  deps.logger.info({ signinId: s.id, partyId: s.partyId, level: s.level }, 'sign-in approved');
  return residentView(deps, mine, party);
}
