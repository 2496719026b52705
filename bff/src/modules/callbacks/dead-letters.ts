import { AppError } from '@eid/shared';
import type { CallbackAttemptView, DeadCallbackView } from './callbacks.types';
import { WEBHOOK_TOPIC, type CallbackDeps, type WebhookPayload } from './deps';

const ms = (v: Date | number | undefined): number => (v instanceof Date ? v.getTime() : (v ?? 0));

/** The callbacks that stopped (schedule exhausted or endpoint disabled), newest first, for admin staff. */
export async function listDead(
  deps: Pick<CallbackDeps, 'outbox'>,
  limit: number,
): Promise<{ events: DeadCallbackView[] }> {
  const dead = await deps.outbox.dead(WEBHOOK_TOPIC, { limit });
  return {
    events: dead.map((d) => {
      const payload = d.payload as unknown as WebhookPayload;
      return {
        id: payload.id,
        partyId: payload.partyId,
        type: payload.type,
        attempts: d.attempts,
        lastError: d.lastError ?? '',
        reason: d.reason ?? '',
        deadAt: ms(d.deadAt),
        createdAt: ms(d.createdAt),
      };
    }),
  };
}

/**
 * Puts a dead callback back in the outbox, due now, its attempts counted again from 1 (the same
 * `webhook-id`, so a receiver that had it already can tell). NOT_FOUND when no dead event has that id.
 */
export async function redeliver(
  deps: Pick<CallbackDeps, 'outbox' | 'repo' | 'logger'>,
  webhookId: string,
): Promise<{ id: string }> {
  // Every dead event was attempted at least once (only a failed attempt kills one), and each attempt
  // recorded the event's outbox key.
  const key = await deps.repo.keyOf(webhookId);
  if (!key || !(await deps.outbox.redeliver(WEBHOOK_TOPIC, key))) {
    throw new AppError('NOT_FOUND', 'No dead callback with this id');
  }
  deps.logger.info({ webhookId }, 'dead callback queued again');
  return { id: webhookId };
}

/** The recorded attempts of one callback, oldest first. */
export async function attemptsOf(
  deps: Pick<CallbackDeps, 'repo'>,
  webhookId: string,
): Promise<{ attempts: CallbackAttemptView[] }> {
  return { attempts: await deps.repo.attemptsOf(webhookId) };
}
