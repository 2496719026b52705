import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { Outbox } from '../../infra/outbox';
import type { PartyDirectory } from '../party/party.types';
import type { CallbackQueue } from './callbacks.types';

export interface CallbackServiceDeps {
  db: Connection;
  outbox: Outbox;
  parties: Pick<PartyDirectory, 'get' | 'webhookSecretsOf' | 'disableCallback'>;
  keys: KeyStore;
  clock: Clock;
  logger: Logger;
  config: Config;
}

// PLACEHOLDER (issue 16 skeleton): the callbacks helper replaces this file.
export function createCallbackService(deps: CallbackServiceDeps): CallbackQueue {
  return {
    async enqueue(partyId, event, opts = {}) {
      const id = `msg_${randomBytes(16).toString('base64url')}`;
      await deps.outbox.enqueue(
        { topic: 'webhook', key: opts.key ?? id, payload: { id, partyId, ...event } },
        opts.session ? { session: opts.session } : {},
      );
      return id;
    },
  };
}

export type CallbackService = ReturnType<typeof createCallbackService>;
