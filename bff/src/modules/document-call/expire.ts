import type { DocumentCallRecord } from './document-call.repository';
import { DOCUMENT_CALL_ACTOR, callTrace, type DocumentCallDeps } from './deps';

/** How many calls one sweep settles of each kind; the next tick takes the rest. */
export const SWEEP_BATCH = 200;

/**
 * Moves a call whose time has run out into its end state: an unanswered request past answerBy becomes
 * `expired`; a delivery past accessUntil becomes `access_expired` and its documents are erased in the same
 * write. Each is recorded once in the resident's trace, whether a request or the sweep got there first.
 * Returns the call as it stands now.
 */
export async function settle(
  deps: DocumentCallDeps,
  call: DocumentCallRecord,
  requestId?: string,
): Promise<DocumentCallRecord> {
  const now = deps.clock.now();
  if (call.state === 'pending' && now >= call.answerBy) {
    const expired =
      (await deps.repo.expireUnanswered(call.id, now)) ?? (await deps.repo.byId(call.id)) ?? call;
    if (expired.state === 'expired' && expired.residentId) {
      await callTrace(
        deps,
        { ...expired, residentId: expired.residentId },
        DOCUMENT_CALL_ACTOR,
        requestId,
      ).once(
        { action: 'document_call.expired', result: 'denied', detail: { reason: 'unanswered' } },
        'expired',
      );
    }
    return expired;
  }
  if (call.state === 'delivered' && call.accessUntil !== undefined && now >= call.accessUntil) {
    const ended = (await deps.repo.endAccess(call.id, now)) ?? (await deps.repo.byId(call.id)) ?? call;
    if (ended.state === 'access_expired' && ended.residentId) {
      await callTrace(deps, { ...ended, residentId: ended.residentId }, DOCUMENT_CALL_ACTOR, requestId).once(
        { action: 'document_call.access_expired', detail: { erased: true } },
        'access_expired',
      );
    }
    return ended;
  }
  return call;
}

/**
 * Settles every call whose time has run out (up to SWEEP_BATCH of each kind): what startBackgroundWork runs on
 * its timer, so documents are erased after accessUntil even when nobody asks for them again.
 */
export async function sweepExpired(deps: DocumentCallDeps): Promise<{ expired: number; erased: number }> {
  const { unanswered, accessEnded } = await deps.repo.due(deps.clock.now(), SWEEP_BATCH);
  let expired = 0;
  let erased = 0;
  for (const id of [...unanswered, ...accessEnded]) {
    const call = await deps.repo.byId(id);
    if (!call) continue;
    const before = call.state;
    const after = await settle(deps, call);
    if (before === 'pending' && after.state === 'expired') expired++;
    if (before === 'delivered' && after.state === 'access_expired') erased++;
  }
  return { expired, erased };
}
