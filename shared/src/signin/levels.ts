/**
 * Assurance levels of remote sign-in (issue 17; docs/remote-signin.md), as national platforms offer them:
 *
 * - level 1: the registered device's key signs the approval (possession);
 * - level 2: plus the resident's 6-8 digit e-ID passcode (knowledge);
 * - level 3: plus a live face check against the registry portrait (inherence).
 *
 * The ID token says which one was achieved: `acr` is the level's URN, `amr` the methods (RFC 8176 values:
 * `swk` proof of a software-secured key, `pin`, `face`, and `mfa` once there are two or more factors).
 */

export type SignInLevel = 1 | 2 | 3;
export const SIGNIN_LEVELS: readonly SignInLevel[] = [1, 2, 3];

const ACR_PREFIX = 'urn:cn:eid:loa:';

/** `urn:cn:eid:loa:<level>`. */
export function acrOfLevel(level: SignInLevel): string {
  return `${ACR_PREFIX}${level}`;
}

/** The level an `acr` value names, or undefined for anything else (exact spelling only). */
export function levelOfAcr(acr: unknown): SignInLevel | undefined {
  if (typeof acr !== 'string' || !acr.startsWith(ACR_PREFIX)) return undefined;
  const rest = acr.slice(ACR_PREFIX.length);
  return rest === '1' || rest === '2' || rest === '3' ? (Number(rest) as SignInLevel) : undefined;
}

/** Every `acr` value, lowest first: what the discovery document lists as `acr_values_supported`. */
export const ACR_VALUES: readonly string[] = SIGNIN_LEVELS.map(acrOfLevel);

/** The RFC 8176 methods a level's approval used. */
export function amrOfLevel(level: SignInLevel): string[] {
  if (level === 1) return ['swk'];
  if (level === 2) return ['swk', 'pin', 'mfa'];
  return ['swk', 'pin', 'face', 'mfa'];
}

/** True when the value is a level. */
export function isSignInLevel(value: unknown): value is SignInLevel {
  return value === 1 || value === 2 || value === 3;
}
