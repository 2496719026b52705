import { AppError, type AddPartyKeyRequest, type PartyView, type RetirePartyKeyRequest } from '@eid/shared';
import { changeParty, isRetired, notFound, partyOrNotFound, partyView, type PartyDeps } from './deps';
import type { PartyKeyRecord } from './party.repository';
import { signStatement } from './registration-statement';

/** Keys without a retirement time a party may hold at once: the old and the new one of a rotation. */
export const MAX_OPEN_KEYS = 2;

/** Signs the registration again, version + 1, over the keys as they now stand. */
async function resign(deps: PartyDeps, staffId: string, partyId: string): Promise<PartyView> {
  const keys = await deps.repo.keysOf(partyId);
  const p = await changeParty(deps, partyId, staffId, (party, now) => ({
    registration: signStatement(deps, party, keys, party.registration.payload.version + 1, now),
  }));
  return partyView(p, keys, deps.clock.now());
}

/**
 * Adds a request-signing key (a rotation's new key). Refused while the party already holds two keys without
 * a retirement time (PARTY_KEY_LIMIT: retire one first) and when any party holds the key id
 * (PARTY_KEY_CONFLICT). The registration is signed again.
 */
export async function addKey(
  deps: PartyDeps,
  staffId: string,
  partyId: string,
  input: AddPartyKeyRequest,
): Promise<PartyView> {
  await partyOrNotFound(deps, partyId);
  const keys = await deps.repo.keysOf(partyId);
  const open = keys.filter((k) => k.retiresAt === undefined);
  if (open.length >= MAX_OPEN_KEYS)
    throw new AppError('PARTY_KEY_LIMIT', 'The party already has two active keys: retire one first', {
      max: MAX_OPEN_KEYS,
    });
  const key: PartyKeyRecord = {
    kid: input.kid,
    partyId,
    publicKey: input.publicKey,
    addedAt: deps.clock.now(),
  };
  await deps.repo.addKey(key);
  deps.cache.forget(partyId);
  deps.logger.info({ partyId, kid: input.kid, staffId }, 'party key added');
  return resign(deps, staffId, partyId);
}

/**
 * Retires a key from `at` (default now; never in the past): signatures by it are refused from then on
 * (SIGNATURE_RETIRED_KEY), accepted until then. A key already retired stays retired: its time never moves.
 */
export async function retireKey(
  deps: PartyDeps,
  staffId: string,
  partyId: string,
  kid: string,
  input: RetirePartyKeyRequest,
): Promise<PartyView> {
  await partyOrNotFound(deps, partyId);
  const now = deps.clock.now();
  const at = input.at ?? now;
  if (at < now)
    throw new AppError('VALIDATION_FAILED', 'A key cannot be retired in the past', {
      issues: [{ path: 'at', message: 'must not be before now' }],
    });
  const key = (await deps.repo.keysOf(partyId)).find((k) => k.kid === kid);
  if (!key) throw notFound();
  if (isRetired(key, now))
    return partyView(await partyOrNotFound(deps, partyId), await deps.repo.keysOf(partyId), now);
  await deps.repo.retireKey(partyId, kid, at);
  deps.cache.forget(partyId);
  deps.logger.info({ partyId, kid, retiresAt: at, staffId }, 'party key retired');
  return resign(deps, staffId, partyId);
}
