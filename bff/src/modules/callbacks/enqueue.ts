import { createHash, randomBytes } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { CallbackEvent, CallbackEventType } from '@eid/shared';
import { WEBHOOK_TOPIC, type CallbackDeps, type WebhookPayload } from './deps';

/**
 * The `webhook-id` of an event: derived from the party and the queue key when there is one, so enqueueing
 * one key twice answers the id of the event stored first (and an event enqueued again after delivery reaches
 * a de-duplicating receiver as the same one); random otherwise.
 */
function webhookIdOf(partyId: string, key: string | undefined): string {
  const bytes = key
    ? createHash('sha256').update(`webhook-id\n${partyId}\n${key}`).digest().subarray(0, 16)
    : randomBytes(16);
  return `msg_${bytes.toString('base64url')}`;
}

/** callbacks.types.ts CallbackQueue.enqueue: one event in the outbox, due now, in the caller's transaction. */
export async function enqueueCallback(
  deps: Pick<CallbackDeps, 'outbox' | 'clock'>,
  partyId: string,
  event: { type: CallbackEventType; data: CallbackEvent['data'] },
  opts: { session?: mongo.ClientSession; key?: string } = {},
): Promise<string> {
  const id = webhookIdOf(partyId, opts.key);
  const payload: WebhookPayload = {
    id,
    partyId,
    type: event.type,
    data: { ...event.data },
    timestamp: new Date(deps.clock.now()).toISOString(),
  };
  await deps.outbox.enqueue(
    { topic: WEBHOOK_TOPIC, key: `${partyId}:${opts.key ?? id}`, payload: { ...payload } },
    opts.session ? { session: opts.session } : {},
  );
  return id;
}
