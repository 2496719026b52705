/**
 * What other modules may use of the callbacks module (issue 16): a queue of Standard Webhooks events for a
 * party, kept in the outbox and delivered by its worker (docs/relying-party.md, "Callbacks").
 */
import type { mongo } from 'mongoose';
import type { CallbackEvent, CallbackEventType } from '@eid/shared';

export interface CallbackQueue {
  /**
   * Stores one event for the party in the outbox, in `session`'s transaction when given, and returns its
   * `webhook-id` (`msg_` + 22 base64url characters), the same for every retry. Idempotent by `key` (default
   * a fresh id): enqueueing `consent.approved:<consentId>` twice stores one event. Never fails because the
   * party's endpoint is disabled: such events dead-letter when they come due.
   */
  enqueue(
    partyId: string,
    event: { type: CallbackEventType; data: CallbackEvent['data'] },
    opts?: { session?: mongo.ClientSession; key?: string },
  ): Promise<string>;
}

/** One event in the dead-letter list (`GET /api/v1/admin/callbacks/dead`): ids and reasons only. */
export interface DeadCallbackView {
  /** The `webhook-id`. */
  id: string;
  partyId: string;
  type: string;
  attempts: number;
  lastError: string;
  /** Why it stopped: `exhausted` (every scheduled attempt failed), `endpoint_disabled`, ... */
  reason: string;
  /** Epoch ms. */
  deadAt: number;
  createdAt: number;
}

/** One delivery attempt as recorded (collection `callback_attempts`), for admin staff and tests. */
export interface CallbackAttemptView {
  webhookId: string;
  partyId: string;
  /** 1 for the first attempt; counts again from 1 after a redelivery. */
  attempt: number;
  /** Epoch ms the attempt started (injected clock). */
  at: number;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** Why there is no usable answer: `timeout`, `refused:<reason>`, `network`, ... */
  error?: string;
  durationMs: number;
}
