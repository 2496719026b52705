import { levelOfAcr, type SignInLevel } from '@eid/shared';

/**
 * The scopes a sign-in may ask for and the ID-token claims (OpenID names) each one brings
 * (docs/remote-signin.md, "Claims"). `result` says only that the resident signed in (the pairwise `sub`).
 * `card_face` and `document:*` are never offered for sign-in: a request naming them is refused at PAR.
 */
export const SIGNIN_SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  result: [],
  age_over_18: ['age_over_18'],
  residence_province: ['residence_province'],
  name_masked_id: ['name', 'id_number_masked'],
});

export const SIGNIN_SCOPES: readonly string[] = Object.keys(SIGNIN_SCOPE_CLAIMS);

/** The scope values of a `scope` parameter, `openid` left out, each once, in the order given. */
export function signInScopesOf(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(' ').filter((s) => s !== '' && s !== 'openid'))];
}

/**
 * The level a sign-in must reach: the party's registered level, or higher when `acr_values` names a higher
 * one. Of several values the highest counts, so the resident never approves at less than any one asked;
 * values that are not ours are ignored, as OpenID Connect says of `acr_values`.
 */
export function levelFor(registered: SignInLevel, acrValues: string | undefined): SignInLevel {
  let level = registered;
  for (const value of (acrValues ?? '').split(' ')) {
    const asked = levelOfAcr(value);
    if (asked !== undefined && asked > level) level = asked;
  }
  return level;
}
