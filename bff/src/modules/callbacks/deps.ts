import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { Outbox } from '../../infra/outbox';
import type { SafeSender } from '../../infra/safe-http';
import type { PartyDirectory } from '../party/party.types';
import type { CallbackRepository } from './callbacks.repository';

/** The outbox topic of callbacks; its key is `<partyId>:<queue key>`. */
export const WEBHOOK_TOPIC = 'webhook';

/** What delivery reads of a receiver's answer before dropping the connection. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** The most a receiver's Retry-After can postpone an attempt (Standard Webhooks' longest step). */
export const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;

/** Concurrent deliveries per process: one slow receiver must not hold up every other party's events. */
export const DELIVERY_CONCURRENCY = 8;

/** The outbox payload of one callback: the event and who it is for, never personal data. */
export interface WebhookPayload {
  /** The `webhook-id`, the same on every attempt. */
  id: string;
  partyId: string;
  type: string;
  data: Record<string, unknown>;
  /** ISO 8601: when the event happened (the attempt's time is the `webhook-timestamp` header). */
  timestamp: string;
}

export interface CallbackDeps {
  outbox: Outbox;
  parties: Pick<PartyDirectory, 'get' | 'webhookSecretsOf' | 'disableCallback'>;
  keys: Pick<KeyStore, 'callbackKeys' | 'signAsCallback'>;
  clock: Clock;
  logger: Logger;
  config: Pick<Config, 'CALLBACK_ALLOW_HOSTS' | 'CALLBACK_TIMEOUT_MS'>;
  repo: CallbackRepository;
  sender: SafeSender;
  /** Uniform in [0, 1): the retry jitter. */
  random: () => number;
}
