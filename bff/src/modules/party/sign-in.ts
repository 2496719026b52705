import { AppError, type PartyGrant, type PartyRegistrationPayload, type PartySignIn } from '@eid/shared';
import type { AllowList } from '../../infra/safe-http';
import type { PartyDeps } from './deps';

/** Redirect URIs a sign-in registration holds: at least one, and few enough to be read by a person. */
export const MAX_REDIRECT_URIS = 5;

/** Stable short codes of why a sign-in registration is refused; PARTY_SIGNIN_INVALID carries one as details.reason. */
export type SignInProblem =
  | 'count'
  | 'duplicate'
  | 'malformed'
  | 'scheme'
  | 'credentials'
  | 'fragment'
  | 'not_https'
  | 'not_normalised'
  | 'origins'
  | 'level'
  | 'purpose';

function isAllowedHost(url: URL, allow: AllowList): boolean {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allow.hosts.has(url.hostname) || allow.hostPorts.has(`${url.hostname}:${port}`);
}

/**
 * Why `uri` may not be a redirect URI. The provider compares redirect URIs as exact strings and the phone
 * shows the origin, so only a URI already in WHATWG normal form is taken: what is stored, compared and shown
 * is one text. The browser, not the BFF, follows it, so nothing is resolved here; plain http only for hosts
 * in CALLBACK_ALLOW_HOSTS (a party's test desk on the local network).
 */
function redirectUriProblem(uri: string, allow: AllowList): SignInProblem | undefined {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return 'malformed';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'scheme';
  if (u.username || u.password) return 'credentials';
  // `#` alone leaves `hash` empty yet is a fragment all the same.
  if (uri.includes('#')) return 'fragment';
  if (u.protocol === 'http:' && !isAllowedHost(u, allow)) return 'not_https';
  if (u.href !== uri) return 'not_normalised';
  return undefined;
}

/**
 * Why `signIn` may not be registered, apart from its purpose, or undefined when it may: 1-5 distinct
 * redirect URIs, each acceptable (redirectUriProblem), all of one origin (the pairwise sector the phone
 * shows); level 1-3.
 */
export function signInProblem(allow: AllowList, signIn: PartySignIn): SignInProblem | undefined {
  const uris = signIn.redirectUris;
  if (uris.length < 1 || uris.length > MAX_REDIRECT_URIS) return 'count';
  if (new Set(uris).size !== uris.length) return 'duplicate';
  for (const uri of uris) {
    const problem = redirectUriProblem(uri, allow);
    if (problem) return problem;
  }
  if (new Set(uris.map((u) => new URL(u).origin)).size !== 1) return 'origins';
  if (!([1, 2, 3] as unknown[]).includes(signIn.level)) return 'level';
  return undefined;
}

const refused = (reason: SignInProblem) =>
  new AppError('PARTY_SIGNIN_INVALID', 'This sign-in registration is not accepted', { reason });

/** Refuses a sign-in registration (signInProblem) with 400 PARTY_SIGNIN_INVALID and `details.reason`. */
export function checkSignInForm(deps: Pick<PartyDeps, 'allow'>, signIn: PartySignIn): void {
  const reason = signInProblem(deps.allow, signIn);
  if (reason) throw refused(reason);
}

/**
 * Refuses a sign-in purpose the party holds no grant for (PARTY_SIGNIN_INVALID `purpose`): the grant's
 * scopes bound what a sign-in may ask, and sign-ins are recorded under it.
 */
export function checkSignInPurpose(
  signIn: Pick<PartySignIn, 'purpose'>,
  grants: readonly PartyGrant[],
): void {
  if (!grants.some((g) => g.purpose === signIn.purpose)) throw refused('purpose');
}

/** Both checks of a sign-in registration beside the grants it will stand with. */
export function checkSignIn(
  deps: Pick<PartyDeps, 'allow'>,
  signIn: PartySignIn,
  grants: readonly PartyGrant[],
): void {
  checkSignInForm(deps, signIn);
  checkSignInPurpose(signIn, grants);
}

/** A plain copy: what is stored holds nothing but the validated values. */
export const normalisedSignIn = (s: PartySignIn): PartySignIn => ({
  redirectUris: [...s.redirectUris],
  level: s.level,
  purpose: s.purpose,
});

/**
 * What the signed registration says of sign-in: the origin the redirect URIs share (checked to be one) and
 * the lowest level. The phone compares the return origin of a sign-in with this signed value.
 */
export function signInStatement(s: PartySignIn): NonNullable<PartyRegistrationPayload['signIn']> {
  return { origin: new URL(s.redirectUris[0]!).origin, level: s.level };
}
