import { randomInt } from 'node:crypto';
import type { Connection } from 'mongoose';
import { CALLBACK_RETRY_SCHEDULE_MS, type CallbackKeysAnswer } from '@eid/shared';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { Outbox } from '../../infra/outbox';
import { createSafeSender, parseAllowList, type SafeSender } from '../../infra/safe-http';
import type { PartyDirectory } from '../party/party.types';
import { callbackKeysAnswer } from './callback-keys';
import { createCallbackRepository } from './callbacks.repository';
import type { CallbackAttemptView, CallbackQueue, DeadCallbackView } from './callbacks.types';
import { attemptsOf, listDead, redeliver } from './dead-letters';
import { deliverCallback, jitterOf } from './deliver';
import { DELIVERY_CONCURRENCY, MAX_RESPONSE_BYTES, WEBHOOK_TOPIC, type CallbackDeps } from './deps';
import { enqueueCallback } from './enqueue';

export interface CallbackServiceDeps {
  db: Connection;
  outbox: Outbox;
  parties: Pick<PartyDirectory, 'get' | 'webhookSecretsOf' | 'disableCallback'>;
  keys: KeyStore;
  clock: Clock;
  logger: Logger;
  config: Config;
  /** The sender to party endpoints; default the SSRF-safe one over CALLBACK_ALLOW_HOSTS and CALLBACK_TIMEOUT_MS. */
  sender?: SafeSender;
  /** Uniform in [0, 1) for the retry jitter; default crypto-random. */
  random?: () => number;
}

export interface CallbackService extends CallbackQueue {
  deadLetters(limit: number): Promise<{ events: DeadCallbackView[] }>;
  redeliver(webhookId: string): Promise<{ id: string }>;
  attempts(webhookId: string): Promise<{ attempts: CallbackAttemptView[] }>;
  callbackKeys(): CallbackKeysAnswer;
  /** Callbacks waiting in the outbox and dead letters kept (the dashboard). */
  counts(): Promise<{ backlog: number; deadLetters: number }>;
}

/**
 * Callbacks to relying parties (Standard Webhooks): events are queued in the outbox and delivered by its
 * worker (topic `webhook`, eight at a time per process, each attempt under the outbox's lease), retried on
 * Standard Webhooks' schedule with jitter, dead-lettered for admin staff after the last try. Building it
 * registers the handler; it starts nothing.
 */
export function createCallbackService(serviceDeps: CallbackServiceDeps): CallbackService {
  const { outbox, parties, keys, clock, logger, config } = serviceDeps;
  const deps: CallbackDeps = {
    outbox,
    parties,
    keys,
    clock,
    logger,
    config,
    repo: createCallbackRepository(serviceDeps.db),
    sender:
      serviceDeps.sender ??
      createSafeSender({
        allow: parseAllowList(config.CALLBACK_ALLOW_HOSTS),
        timeoutMs: config.CALLBACK_TIMEOUT_MS,
        maxResponseBytes: MAX_RESPONSE_BYTES,
      }),
    random: serviceDeps.random ?? (() => randomInt(0, 1 << 30) / (1 << 30)),
  };
  outbox.handle(WEBHOOK_TOPIC, (event) => deliverCallback(deps, event), {
    retryDelaysMs: CALLBACK_RETRY_SCHEDULE_MS,
    jitter: (delayMs) => jitterOf(deps, delayMs),
    concurrency: DELIVERY_CONCURRENCY,
  });

  return {
    enqueue: (partyId, event, opts) => enqueueCallback(deps, partyId, event, opts),
    deadLetters: (limit) => listDead(deps, limit),
    redeliver: (webhookId) => redeliver(deps, webhookId),
    attempts: (webhookId) => attemptsOf(deps, webhookId),
    callbackKeys: () => callbackKeysAnswer(deps),
    counts: async () => {
      const { waiting, dead } = await outbox.counts(WEBHOOK_TOPIC);
      return { backlog: waiting, deadLetters: dead };
    },
  };
}
