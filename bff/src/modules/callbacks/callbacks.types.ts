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
