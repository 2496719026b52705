import type { CardField } from '@eid/shared';
import { claimsOf } from '../consent/consent.types';
import type { SignInContext } from './deps';

/**
 * The OpenID claim each card field of a sign-in scope goes under (docs/remote-signin.md, "Claims"):
 * `age_over_18` and `residence_province` keep their scope's name, `name_masked_id` gives `name` and
 * `id_number_masked`. Only these: `card_face` and `document:*` are never offered for sign-in.
 */
const CLAIM_OF: Partial<Record<CardField, string>> = {
  ageOver18: 'age_over_18',
  residenceProvince: 'residence_province',
  name: 'name',
  idNumberMasked: 'id_number_masked',
};

/**
 * The claims of `scopes` about the resident, read from their verified identity now (the same card fields a
 * consent for those scopes hands over, computed by the consent module's claimsOf), under OpenID names.
 */
export async function claimsFor(
  deps: SignInContext,
  residentId: string,
  scopes: string[],
): Promise<Record<string, string | boolean>> {
  const { face } = await deps.identity.getVerifiedIdentity(residentId);
  const fields = claimsOf(deps, face, scopes, deps.clock.now());
  const claims: Record<string, string | boolean> = {};
  for (const [field, value] of Object.entries(fields) as [CardField, string | boolean][]) {
    const name = CLAIM_OF[field];
    if (name !== undefined) claims[name] = value;
  }
  return claims;
}

/** True while the resident's card is live and not suspended: a lost phone's suspension stops sign-ins. */
export async function accountActive(deps: SignInContext, residentId: string): Promise<boolean> {
  return (await deps.card.liveDevice(residentId))?.status === 'active';
}
