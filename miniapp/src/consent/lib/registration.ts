import {
  openRegistryKeys,
  tweetnaclEd25519,
  verifyRegistration,
  type PartyRegistrationPayload,
  type RegistryKey,
  type ResidentConsentView,
} from '@eid/shared';
import { clock } from '../../lib/clock';
import { trustRootPublicKey } from '../../lib/trust-root';
import { getPartyRegistryKeys } from '../../services/consents';

/** Why a party's registration is not believed; each has its own sentence on the page. */
export type RegistrationProblem =
  /** The list of registry keys is not signed by the pinned trust root. */
  | 'registry_keys'
  /** The registration is not signed by a registry key (forged, or changed after signing). */
  | 'signature'
  /** Signed, but for another party than the one the page is shown (name, credit code, category, id). */
  | 'mismatch'
  /** Signed, but the party is not registered for this purpose or for every scope it asks for. */
  | 'not_registered'
  /** It asks to keep the data longer than its registration declares. */
  | 'retention';

export type RegistrationCheck =
  { ok: true; payload: PartyRegistrationPayload; kid: string } | { ok: false; problem: RegistrationProblem };

// The keys change rarely; one fetch serves the pages for a while.
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
 * Checks on this phone what the BFF says about the party asking: its registration must be signed by a
 * registry key the trust root vouches for, name this very party, and cover the purpose, every scope and
 * the retention of the request. The BFF's word alone is not enough to show "registration verified".
 * Throws only when the keys cannot be fetched (offline).
 */
export async function checkRegistration(view: ResidentConsentView): Promise<RegistrationCheck> {
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
  const grant = p.grants.find((g) => g.purpose === view.purpose.code);
  const asked = view.items.map((i) => i.scope).filter((s) => s !== 'result');
  if (!grant || asked.some((s) => !grant.scopes.includes(s))) return { ok: false, problem: 'not_registered' };
  if (view.retentionDays > p.retentionDays) return { ok: false, problem: 'retention' };
  return { ok: true, payload: p, kid: signed.kid };
}
