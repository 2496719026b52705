import type { ResidentConsentView } from '@eid/shared';
import {
  checkPartyRegistration,
  type RegistrationCheck as PartyCheck,
  type RegistrationProblem as PartyProblem,
} from '../../lib/registration';

/**
 * Why a party's registration does not cover its consent request; each has its own sentence on the page.
 * The first four are every party's (lib/registration.ts), the last the consent's own.
 */
export type RegistrationProblem =
  | PartyProblem
  /** It asks to keep the data longer than its registration declares. */
  | 'retention';

export type RegistrationCheck = PartyCheck<RegistrationProblem>;

/**
 * The party's registration checked on this phone (signed under the pinned trust root, this very party,
 * the purpose and every scope of the request), and the retention asked within the one it declares.
 * Throws only when the keys cannot be fetched (offline).
 */
export async function checkRegistration(view: ResidentConsentView): Promise<RegistrationCheck> {
  const scopes = view.items.map((i) => i.scope);
  const check = await checkPartyRegistration(view.party, view.purpose.code, scopes);
  if (check.ok && view.retentionDays > check.payload.retentionDays)
    return { ok: false, problem: 'retention' };
  return check;
}
