import {
  openRegistryKeys,
  tweetnaclEd25519,
  verifyRegistration,
  type PartyRegistrationPayload,
  type RegistryKey,
  type SignedPartyRegistration,
} from '@eid/shared';
import { getPartyRegistryKeys } from '../services/consents';
import { clock } from './clock';
import { trustRootPublicKey } from './trust-root';

// Imported only by subpackages (consent/, signin/): Taro then bundles it into their own common chunks
// rather than the main package, which stays within its size budget.

/** Why a party's signed registration is not believed; each has its own sentence on the pages. */
export type RegistrationProblem =
  /** The list of registry keys is not signed by the pinned trust root. */
  | 'registry_keys'
  /** The registration is not signed by a registry key (forged, or changed after signing). */
  | 'signature'
  /** Signed, but for another party than the one the page is shown (name, credit code, category, id). */
  | 'mismatch'
  /** Signed, but the party is not registered for this purpose or for every scope it asks for. */
  | 'not_registered';

/** The verdict on a registration; a page adds problems of its own (retention, origin, …) as `P`. */
export type RegistrationCheck<P extends string = RegistrationProblem> =
  { ok: true; payload: PartyRegistrationPayload; kid: string } | { ok: false; problem: P };

/** The party as the BFF shows it to the resident, next to the registration that must vouch for it. */
export interface ShownParty {
  id: string;
  name: string;
  uscc: string;
  category: string;
  registration: SignedPartyRegistration;
}

// The keys change rarely; one fetch serves every page that checks a registration for a while.
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
 * Checks on this phone what the BFF says about a party asking the resident (for a consent or a sign-in):
 * its registration must be signed by a registry key the trust root vouches for, name this very party, and
 * hold `purpose` with every scope in `scopes` (`result` needs no grant). The BFF's word alone is not
 * enough to show "registration verified". Throws only when the keys cannot be fetched (offline).
 */
export async function checkPartyRegistration(
  party: ShownParty,
  purpose: string,
  scopes: readonly string[],
): Promise<RegistrationCheck> {
  const keys = await registryKeys();
  if (!keys) return { ok: false, problem: 'registry_keys' };
  const signed = party.registration;
  if (!verifyRegistration(signed, keys, tweetnaclEd25519)) return { ok: false, problem: 'signature' };
  const p = signed.payload;
  if (
    p.partyId !== party.id ||
    p.name !== party.name ||
    p.uscc !== party.uscc ||
    p.category !== party.category
  )
    return { ok: false, problem: 'mismatch' };
  const grant = p.grants.find((g) => g.purpose === purpose);
  const asked = scopes.filter((s) => s !== 'result');
  if (!grant || asked.some((s) => !grant.scopes.includes(s))) return { ok: false, problem: 'not_registered' };
  return { ok: true, payload: p, kid: signed.kid };
}
