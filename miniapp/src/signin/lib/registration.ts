import { controlCodeOf, type SignInCodeParts, type SignInView } from '@eid/shared';
import {
  checkPartyRegistration,
  type RegistrationCheck,
  type RegistrationProblem,
} from '../../lib/registration';

/**
 * Why a sign-in is not to be approved; each has its own sentence on the page. The first four are every
 * party's registration problems (lib/registration.ts, as on the consent page), the rest the sign-in's own.
 */
export type SignInProblem =
  | RegistrationProblem
  /** The party's signed registration has no sign-in at all. */
  | 'unregistered'
  /** The browser would return to another origin than the one the party registered. */
  | 'origin'
  /** The level asked is below the party's registered lowest level. */
  | 'level'
  /** The control-code choices do not include the code of the request this phone scanned. */
  | 'choices';

export type SignInCheck =
  | Extract<RegistrationCheck<SignInProblem>, { ok: true }>
  | { ok: false; problem: SignInProblem; registeredOrigin?: string };

/**
 * Checks on this phone what the BFF says about the sign-in, as the consent page checks a request: the
 * party's registration must be signed by a registry key the trust root vouches for, name this very party
 * and hold the sign-in's purpose and every scope asked. Then the sign-in's own: the browser returns to the
 * very origin the registration signs, the level is not below the registered one, and the choices offered
 * hold the control code of the scanned request (which the phone computes itself, so a list the desktop
 * never shows is caught). Throws only when the registry keys cannot be fetched (offline).
 */
export async function checkSignIn(
  view: SignInView,
  scanned: SignInCodeParts | undefined,
): Promise<SignInCheck> {
  const check = await checkPartyRegistration(view.party, view.purpose, view.scopes);
  if (!check.ok) return check;
  const p = check.payload;
  if (!p.signIn) return { ok: false, problem: 'unregistered' };
  const registeredOrigin = p.signIn.origin;
  if (view.returnOrigin !== registeredOrigin) return { ok: false, problem: 'origin', registeredOrigin };
  if (view.level < p.signIn.level) return { ok: false, problem: 'level', registeredOrigin };
  const choices = view.controlCodeChoices;
  if (scanned && choices && !choices.includes(controlCodeOf(scanned)))
    return { ok: false, problem: 'choices', registeredOrigin };
  return check;
}
