import type { Connection } from 'mongoose';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { ReplayStore } from '../../infra/replay-store';
import { createNodeEd25519 } from '../../infra/ed25519';
import { parseAllowList } from '../../infra/safe-http';
import type { RateLimiter } from '../../middleware/rate-limit';
import { createPartyCache, partyOf, partyView, viewOf, type PartyDeps } from './deps';
import { addKey, retireKey } from './keys';
import { createPartyRepository } from './party.repository';
import type { PartyService } from './party.types';
import { registerParty } from './register';
import { registryKeys } from './registration-statement';
import { requireSignedRequest } from './signed-request';
import { disableCallback, enableCallback, updateParty } from './update';
import { createSecretReader, rotateWebhookSecret } from './webhook-secrets';

export interface PartyServiceDeps {
  db: Connection;
  keys: KeyStore;
  clock: Clock;
  config: Config;
  logger: Logger;
  /** Nonces of signed requests, for the signature window, shared by every BFF process. */
  replays: ReplayStore;
  /** The database's fixed-window counters: per-minute limits and daily quotas. */
  counters: Pick<RateLimiter, 'hit'>;
}

/**
 * The registry of relying parties: registration and its changes by admin staff, the signed registration
 * statement, keys and webhook secrets with their rotations, and the guard of the parties' signed API. Each
 * use case is its own file; this composes them over one set of deps and starts nothing.
 */
export function createPartyService(d: PartyServiceDeps): PartyService {
  const repo = createPartyRepository(d.db);
  const deps: PartyDeps = {
    repo,
    keys: d.keys,
    clock: d.clock,
    config: d.config,
    logger: d.logger,
    replays: d.replays,
    counters: d.counters,
    ed25519: createNodeEd25519(),
    cache: createPartyCache(repo),
    allow: parseAllowList(d.config.CALLBACK_ALLOW_HOSTS),
  };
  return {
    get: async (id) => {
      const p = await deps.cache.party(id);
      return p ? partyOf(p) : undefined;
    },
    // Read through the cache's short-lived copies would let a retired key sign for a few seconds more; a
    // client assertion is rarer than a signed request, so this reads the database each time.
    activeKeysOf: async (id, at) =>
      (await repo.keysOf(id))
        .filter((k) => k.retiresAt === undefined || k.retiresAt > at)
        .map(({ kid, publicKey, addedAt, retiresAt }) => ({
          kid,
          publicKey,
          addedAt,
          ...(retiresAt !== undefined && { retiresAt }),
        })),
    grantOf: (party, purpose) => party.grants.find((g) => g.purpose === purpose),
    subjectOf: (partyId, residentId) => d.keys.pairwiseSubject(partyId, residentId),
    webhookSecretsOf: createSecretReader(deps),
    disableCallback: (id, at) => disableCallback(deps, id, at),
    requireSignedRequest: () => requireSignedRequest(deps),
    register: (staffId, input) => registerParty(deps, staffId, input),
    update: (staffId, id, input) => updateParty(deps, staffId, id, input),
    list: async () => {
      const now = d.clock.now();
      const parties = await repo.list();
      return Promise.all(parties.map(async (p) => partyView(p, await repo.keysOf(p.id), now)));
    },
    view: (id) => viewOf(deps, id),
    addKey: (staffId, id, input) => addKey(deps, staffId, id, input),
    retireKey: (staffId, id, kid, input) => retireKey(deps, staffId, id, kid, input),
    rotateWebhookSecret: (staffId, id, input) => rotateWebhookSecret(deps, staffId, id, input),
    enableCallback: (staffId, id) => enableCallback(deps, staffId, id),
    registryKeys: () => registryKeys(deps),
  };
}
