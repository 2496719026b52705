import type { IdentityWithdrawnHook } from '../enrollment/enrollment.types';
import { settle } from './expire';
import { DOCUMENT_CALL_ACTOR, callTrace, type DocumentCallDeps } from './deps';
import type { DocumentCallRecord } from './document-call.repository';

type Reason = Parameters<IdentityWithdrawnHook>[1];

/** How many delivered calls one read takes; the next read takes the rest. */
const PAGE = 100;

/**
 * Ends one delivery as a withdrawal (documents erased in the same write); true when this run ended it.
 * A delivery whose access time has already run out is settled as an expiry instead, as the sweep would.
 */
async function endDelivery(
  deps: DocumentCallDeps,
  call: DocumentCallRecord & { residentId: string },
  reason: Reason,
): Promise<boolean> {
  const withdrawn = await deps.repo.withdraw(call.id, call.residentId, deps.clock.now());
  if (!withdrawn) {
    // Past accessUntil (settled here), or ended meanwhile by the resident or another process (no change).
    const current = await deps.repo.byId(call.id);
    if (current) await settle(deps, current);
    return false;
  }
  // A failed trace write does not undo the erasure, and a retry would find nothing left to end: log it.
  await callTrace(deps, { ...withdrawn, residentId: call.residentId }, DOCUMENT_CALL_ACTOR)
    .once({ action: 'document_call.withdrawn', detail: { erased: true, reason } }, 'withdrawn')
    .catch((err: unknown) => deps.logger.error({ callId: call.id, err }, 'usage record failed'));
  return true;
}

/**
 * The enrollment hook (consent withdrawn, account closed, identity moved): every delivery of the resident's
 * that is still open ends now, as if the resident had withdrawn each: the window gets 410
 * DOCUMENT_ACCESS_EXPIRED (`reason: withdrawn`), the sealed documents are removed, the receipt stays, and
 * the resident's trace (kept after closure too) records `document_call.withdrawn` once per call with the
 * reason. Pending requests hold no document and are left to expire. Idempotent: a repeated delivery finds
 * nothing left to end, and each call's withdrawal is recorded once whichever run or request got there first.
 */
export async function endDeliveriesOf(
  deps: DocumentCallDeps,
  residentId: string,
  reason: Reason,
): Promise<void> {
  const tried = new Set<string>();
  let ended = 0;
  for (;;) {
    const page = (await deps.repo.ofResident(residentId, ['delivered'], PAGE)).filter(
      (c) => !tried.has(c.id),
    );
    if (page.length === 0) break;
    for (const call of page) {
      tried.add(call.id);
      if (await endDelivery(deps, { ...call, residentId }, reason)) ended++;
    }
  }
  if (ended > 0) deps.logger.info({ residentId, reason, ended }, 'document call deliveries ended');
}
