import type { DeletionProof, ResidentConsentView, ResidentPartiesAnswer } from '@eid/shared';
import type { Party } from '../party/party.types';
import { notFound, type ConsentDeps } from './deps';
import { settledForRead } from './expire';
import { residentConsent } from './open';
import { partyInfo, proofOf, residentView } from './view';

/** Most consents the parties page lists. */
export const LIST_LIMIT = 200;

/** The resident's own consent, as it stands (a request whose time ran out is settled first). */
export async function residentConsentView(
  deps: ConsentDeps,
  residentId: string,
  id: string,
  requestId?: string,
): Promise<ResidentConsentView> {
  const c = await settledForRead(deps, await residentConsent(deps, id, residentId), requestId);
  const party = await deps.parties.get(c.partyId);
  if (!party) throw notFound();
  return residentView(c, party, deps.clock.now());
}

/**
 * Every party holding, or having held, a consent of the resident (approved or withdrawn), each with its
 * consents newest first: what it got, when, its last use, and the state of the deletion after a withdrawal.
 */
export async function residentParties(deps: ConsentDeps, residentId: string): Promise<ResidentPartiesAnswer> {
  const now = deps.clock.now();
  const consents = await deps.repo.ofResident(residentId, ['approved', 'withdrawn'], LIST_LIMIT);
  const parties = new Map<string, Party | undefined>();
  for (const c of consents)
    if (!parties.has(c.partyId)) parties.set(c.partyId, await deps.parties.get(c.partyId));
  const groups = new Map<string, ResidentPartiesAnswer['parties'][number]>();
  for (const c of consents) {
    const party = parties.get(c.partyId);
    if (!party) continue;
    let group = groups.get(party.id);
    if (!group) {
      const { registration: _r, ...info } = partyInfo(party);
      group = { party: info, consents: [] };
      groups.set(party.id, group);
    }
    group.consents.push(residentView(c, party, now));
  }
  return { parties: [...groups.values()] };
}

/** The party's kept acknowledgement of a deletion; NOT_FOUND until it confirmed (or for anyone else's consent). */
export async function deletionProof(
  deps: ConsentDeps,
  residentId: string,
  id: string,
): Promise<DeletionProof> {
  const proof = proofOf(await residentConsent(deps, id, residentId));
  if (!proof) throw notFound();
  return proof;
}
