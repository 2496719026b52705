import type { Connection } from 'mongoose';
import { AppError } from '@eid/shared';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { ReplayStore } from '../../infra/replay-store';
import type { RateLimiter } from '../../middleware/rate-limit';
import type { PartyService } from './party.types';

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

// PLACEHOLDER (issue 16 skeleton): the party helper replaces this file.
export function createPartyService(_deps: PartyServiceDeps): PartyService {
  const todo = (): never => {
    throw new AppError('NOT_FOUND', 'Not built yet');
  };
  return {
    get: async () => undefined,
    grantOf: () => undefined,
    subjectOf: (partyId, residentId) => _deps.keys.pairwiseSubject(partyId, residentId),
    webhookSecretsOf: async () => [],
    disableCallback: async () => undefined,
    requireSignedRequest: () => async () => {
      throw new AppError('SIGNATURE_MISSING', 'Sign the request (RFC 9421)');
    },
    register: todo,
    update: todo,
    list: todo,
    view: todo,
    addKey: todo,
    retireKey: todo,
    rotateWebhookSecret: todo,
    enableCallback: todo,
    registryKeys: todo,
  };
}
