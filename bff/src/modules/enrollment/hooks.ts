import type { ClientSession } from 'mongoose';
import type { OutboxEvent } from '../../infra/outbox';
import type { EnrollmentDeps } from './deps';
import type { PendingHook } from './enrollment.model';
import type { EnrollmentRecord } from './enrollment.repository';

/** The outbox topic of the identity-withdrawn hooks; payload `{ residentId, reason, generation }`. */
export const IDENTITY_WITHDRAWN = 'identity.withdrawn';

/**
 * A new event waits this long for the outbox worker: the request that wrote it delivers it at once (so a
 * failing hook fails that request, and the client retries); the worker is for a request that crashed.
 */
const REQUEST_FIRST_MS = 60_000;

/** One erasure or move of one resident's identity: the same one always has the same key. */
const keyOf = (residentId: string, reason: PendingHook, generation: number) =>
  `${residentId}:${reason}:${generation}`;

function eventOf(residentId: string, reason: PendingHook, generation: number, dueAt: number) {
  return {
    topic: IDENTITY_WITHDRAWN,
    key: keyOf(residentId, reason, generation),
    payload: { residentId, reason, generation },
    dueAt,
  };
}

/**
 * Runs every hook of one delivered event, then clears the record's pending mark. An event whose mark is
 * gone or names a later generation was finished (or superseded by a later erasure, whose own event
 * runs the hooks), so it does nothing: a late or repeated delivery never acts on a newer identity.
 */
async function runEvent(deps: EnrollmentDeps, { payload }: OutboxEvent): Promise<void> {
  const residentId = String(payload.residentId);
  const reason = payload.reason as PendingHook;
  const generation = Number(payload.generation);
  const record = await deps.repo.get(residentId);
  if (record && (record.pendingHook !== reason || record.hookGeneration !== generation)) return;
  for (const hook of deps.hooks) await hook(residentId, reason);
  await deps.repo.clearPendingHook(residentId, reason, generation);
  deps.logger.info({ residentId, reason }, 'identity hooks done');
}

/** Makes this service the one that runs identity-withdrawn events from the outbox (worker and requests). */
export function registerHooks(deps: EnrollmentDeps): void {
  deps.outbox.handle(IDENTITY_WITHDRAWN, (event) => runEvent(deps, event));
}

/**
 * Writes an identity change and its hook event together, then delivers the event at once; a failing
 * hook fails the caller, and the event stays in the outbox for the next try.
 *
 * One transaction rather than "enqueue first, then erase, with idempotent hooks": enqueued first, a crash
 * before the erase would let the worker revoke the card of a resident whose identity was never erased
 * (who sees the step failed and may not retry); in one transaction the event exists exactly when the
 * change does. `write` returns the change's generation, or null when there was nothing to change.
 */
async function changeWithEvent(
  deps: EnrollmentDeps,
  residentId: string,
  reason: PendingHook,
  write: (session: ClientSession) => Promise<number | null>,
): Promise<boolean> {
  const now = deps.clock.now();
  const key = await deps.repo.transaction(async (session) => {
    const generation = await write(session);
    if (generation === null) return null;
    const event = eventOf(residentId, reason, generation, now + REQUEST_FIRST_MS);
    await deps.outbox.enqueue(event, { session });
    return event.key;
  });
  if (key === null) return false;
  await deps.outbox.deliver(IDENTITY_WITHDRAWN, key);
  return true;
}

/** Back to `new` with consent and identity erased; the hooks for `reason` run now (or later, from the outbox). */
export async function eraseIdentity(
  deps: EnrollmentDeps,
  residentId: string,
  reason: 'consent_withdrawn' | 'account_closed',
): Promise<void> {
  const now = deps.clock.now();
  await changeWithEvent(deps, residentId, reason, (session) =>
    deps.repo.erase(residentId, reason, now, session),
  );
}

/** Releases an identity from the account holding it; false when that account no longer held it. */
export async function releaseIdentity(
  deps: EnrollmentDeps,
  holder: string,
  idIndex: string,
): Promise<boolean> {
  const now = deps.clock.now();
  return changeWithEvent(deps, holder, 'identity_moved', (session) =>
    deps.repo.releaseBinding(holder, idIndex, now, session),
  );
}

export const hasPendingHooks = (record: EnrollmentRecord): boolean => record.pendingHook !== undefined;

/**
 * Finishes the hooks a record has pending (a step never goes ahead of them); false when it had none.
 * A mark without its event was written by a release before the outbox: it is queued here, on the
 * resident's next request, and at start by `resumePendingHooks` (the data is read as it is, not migrated).
 */
export async function finishPendingHooks(deps: EnrollmentDeps, record: EnrollmentRecord): Promise<boolean> {
  if (!record.pendingHook) return false;
  const event = eventOf(record.residentId, record.pendingHook, record.hookGeneration, deps.clock.now());
  if (await deps.outbox.deliver(IDENTITY_WITHDRAWN, event.key)) return true;
  // No such event (an older release's mark), or a worker runs it right now (then this changes nothing).
  await deps.outbox.enqueue(event);
  await deps.outbox.deliver(IDENTITY_WITHDRAWN, event.key);
  return true;
}

/**
 * Finishes hooks left pending by a crash, a failing hook or an older release (call at start; the outbox
 * worker retries what still fails). Returns how many records it finished.
 */
export async function resumePendingHooks(deps: EnrollmentDeps, limit = 100): Promise<number> {
  let done = 0;
  for (const { residentId, hook, generation } of await deps.repo.pendingHooks(limit)) {
    try {
      await deps.outbox.enqueue(eventOf(residentId, hook, generation, deps.clock.now()));
      if (await deps.outbox.deliver(IDENTITY_WITHDRAWN, keyOf(residentId, hook, generation))) done += 1;
    } catch (err) {
      deps.logger.error({ residentId, reason: hook, err }, 'identity hook failed; will retry');
    }
  }
  return done;
}
