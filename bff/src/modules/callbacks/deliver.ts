import { CALLBACK_RETRY_SCHEDULE_MS } from '@eid/shared';
import { GiveUp, RetryAt, type OutboxEvent } from '../../infra/outbox';
import { SendFailed, SendRefused, type SafeResponse } from '../../infra/safe-http';
import type { CallbackDeps, WebhookPayload } from './deps';
import { retryAfterMs } from './retry';
import { signatureHeader } from './sign';

/** Why an attempt got no usable answer; short and free of personal data (it becomes the outbox's lastError). */
function failureOf(err: unknown): string {
  if (err instanceof SendRefused) return `refused: ${err.reason}`;
  if (err instanceof SendFailed) return err.detail ? `${err.reason}: ${err.detail}` : err.reason;
  return 'network';
}

/** Thrown for an attempt that failed and waits for the schedule; its message is the recorded reason. */
class AttemptFailed extends Error {
  override name = 'AttemptFailed';
}

/**
 * One delivery attempt of a callback, the outbox's `webhook` handler: loads the party, signs the event for
 * this attempt (`webhook-timestamp` = now), sends it through the SSRF-safe sender and judges the answer.
 * 2xx delivered; 410 disables the party's endpoint and dead-letters; 429/503 retry no sooner than their
 * Retry-After; anything else (3xx included: redirects are never followed), a timeout or a refusal is a
 * failure retried on Standard Webhooks' schedule. Every attempt is recorded (callback_attempts).
 */
export async function deliverCallback(deps: CallbackDeps, event: OutboxEvent): Promise<void> {
  const payload = event.payload as unknown as WebhookPayload;
  const { id, partyId } = payload;
  const at = deps.clock.now();
  const record = (result: { status?: number; error?: string }, durationMs = 0) =>
    deps.repo.recordAttempt(event.key, {
      webhookId: id,
      partyId,
      attempt: event.attempts,
      at,
      ...result,
      durationMs,
    });

  const party = await deps.parties.get(partyId);
  if (!party) {
    await record({ error: 'party_unknown' });
    throw new GiveUp('party_unknown');
  }
  if (party.callbackDisabledAt !== undefined) {
    await record({ error: 'endpoint_disabled' });
    throw new GiveUp('endpoint_disabled');
  }

  const timestampS = Math.floor(at / 1000);
  const body = JSON.stringify({ type: payload.type, timestamp: payload.timestamp, data: payload.data });
  const signature = await signatureHeader(deps, { id, partyId, timestampS, body });
  let answer: SafeResponse;
  try {
    answer = await deps.sender.send({
      url: party.callbackUrl,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'eid-callbacks/1',
        'webhook-id': id,
        'webhook-timestamp': String(timestampS),
        'webhook-signature': signature,
      },
      body,
    });
  } catch (err) {
    const error = failureOf(err);
    await record({ error }, deps.clock.now() - at);
    deps.logger.warn({ webhookId: id, partyId, attempt: event.attempts, error }, 'callback attempt failed');
    throw new AttemptFailed(error);
  }

  const { status } = answer;
  await record({ status }, answer.durationMs);
  if (status >= 200 && status < 300) return;
  deps.logger.warn({ webhookId: id, partyId, attempt: event.attempts, status }, 'callback attempt failed');
  if (status === 410) {
    await deps.parties.disableCallback(partyId, deps.clock.now());
    deps.logger.warn({ partyId }, 'callback endpoint answered 410: disabled');
    throw new GiveUp('endpoint_disabled');
  }
  const schedule = CALLBACK_RETRY_SCHEDULE_MS;
  if ((status === 429 || status === 503) && event.attempts < schedule.length) {
    const wait = retryAfterMs(answer.headers['retry-after'], deps.clock.now());
    if (wait !== undefined) {
      const planned = schedule[event.attempts]!;
      const now = deps.clock.now();
      throw new RetryAt(Math.max(now + planned + jitterOf(deps, planned), now + wait));
    }
  }
  throw new AttemptFailed(`http ${status}`);
}

/** Standard Webhooks' jitter: up to a tenth of the delay more, so a party's backlog does not arrive in step. */
export const jitterOf = (deps: Pick<CallbackDeps, 'random'>, delayMs: number): number =>
  Math.floor(delayMs * 0.1 * deps.random());
