import {
  controlCodeOf,
  openRegistryKeys,
  tweetnaclEd25519,
  verifyRegistration,
  type PartyRegistrationPayload,
  type RegistryKey,
  type SignInCodeParts,
  type SignInView,
} from '@eid/shared';
import { clock } from '../../lib/clock';
import { trustRootPublicKey } from '../../lib/trust-root';
import { getPartyRegistryKeys } from '../../services/consents';

/**
 * Why a sign-in is not to be approved; each has its own sentence on the page. The first four are the
 * consent page's registration problems (consent/lib/registration.ts), the rest the sign-in's own.
 */
export type SignInProblem =
  /** The list of registry keys is not signed by the pinned trust root. */
  | 'registry_keys'
  /** The registration is not signed by a registry key (forged, or changed after signing). */
  | 'signature'
  /** Signed, but for another party than the one the page is shown (name, credit code, category, id). */
  | 'mismatch'
  /** Signed, but the party is not registered for the sign-in's purpose or for every scope it asks for. */
  | 'not_registered'
  /** The party's signed registration has no sign-in at all. */
  | 'unregistered'
  /** The browser would return to another origin than the one the party registered. */
  | 'origin'
  /** The level asked is below the party's registered lowest level. */
  | 'level'
  /** The control-code choices do not include the code of the request this phone scanned. */
  | 'choices';

export type SignInCheck =
  | { ok: true; payload: PartyRegistrationPayload; kid: string }
  | { ok: false; problem: SignInProblem; registeredOrigin?: string };

// The keys change rarely; one fetch serves the page for a while. The consent subpackage keeps its own
// copy of these few lines: a subpackage imports no other subpackage (lint zones), so neither is shared.
const KEEP_MS = 10 * 60_000;
let held: { keys: RegistryKey[]; at: number } | undefined;

/** The party-registry keys, fetched from the BFF and believed only under the pinned trust root. */
async function registryKeys(): Promise<RegistryKey[] | undefined> {
  const now = clock.now();
  if (held && now - held.at < KEEP_MS) return held.keys;
  const keys = openRegistryKeys(await getPartyRegistryKeys(), trustRootPublicKey(), tweetnaclEd25519);
  if (keys) held = { keys, at: now };
  return keys;
}

/** Forgets the held keys (tests, or after a refusal that newer keys might explain). */
export function forgetRegistryKeys(): void {
  held = undefined;
}

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
  const keys = await registryKeys();
  if (!keys) return { ok: false, problem: 'registry_keys' };
  const signed = view.party.registration;
  if (!verifyRegistration(signed, keys, tweetnaclEd25519)) return { ok: false, problem: 'signature' };
  const p = signed.payload;
  const party = view.party;
  if (
    p.partyId !== party.id ||
    p.name !== party.name ||
    p.uscc !== party.uscc ||
    p.category !== party.category
  )
    return { ok: false, problem: 'mismatch' };
  const grant = p.grants.find((g) => g.purpose === view.purpose);
  const asked = view.scopes.filter((s) => s !== 'result');
  if (!grant || asked.some((s) => !grant.scopes.includes(s))) return { ok: false, problem: 'not_registered' };
  if (!p.signIn) return { ok: false, problem: 'unregistered' };
  const registeredOrigin = p.signIn.origin;
  if (view.returnOrigin !== registeredOrigin) return { ok: false, problem: 'origin', registeredOrigin };
  if (view.level < p.signIn.level) return { ok: false, problem: 'level', registeredOrigin };
  const choices = view.controlCodeChoices;
  if (scanned && choices && !choices.includes(controlCodeOf(scanned)))
    return { ok: false, problem: 'choices', registeredOrigin };
  return { ok: true, payload: p, kid: signed.kid };
}
