import { AppError, type DocumentCallAnswer } from '@eid/shared';
import { residentActor } from '../usage/usage.types';
import { answerOf } from './approve';
import { settle } from './expire';
import { callTrace, residentCall, type DocumentCallDeps } from './deps';

/**
 * The resident withdraws an approval before its access ends: the window reads nothing more (410), and the
 * delivered documents are erased in the same write. The receipt stays. Withdrawing twice answers the same.
 */
export async function withdrawCall(
  deps: DocumentCallDeps,
  residentId: string,
  id: string,
  requestId?: string,
): Promise<DocumentCallAnswer> {
  const call = await settle(deps, await residentCall(deps, id, residentId), requestId);
  if (call.state === 'withdrawn') return answerOf(deps, call);
  if (call.state === 'access_expired') {
    throw new AppError('DOCUMENT_ACCESS_EXPIRED', "The window's access has already ended", {
      reason: 'expired',
    });
  }
  if (call.state !== 'delivered') {
    throw new AppError('DOCUMENT_CALL_WRONG_STATE', 'Only an approved request can be withdrawn', {
      state: call.state,
    });
  }
  const withdrawn =
    (await deps.repo.withdraw(id, residentId, deps.clock.now())) ?? (await deps.repo.byId(id));
  if (withdrawn?.state !== 'withdrawn') {
    // The access ended between the read and the write: settle it, and say so.
    if (withdrawn) await settle(deps, withdrawn, requestId);
    throw new AppError('DOCUMENT_ACCESS_EXPIRED', "The window's access has already ended", {
      reason: 'expired',
    });
  }
  await callTrace(deps, { ...withdrawn, residentId }, residentActor(residentId), requestId).once(
    { action: 'document_call.withdrawn', detail: { erased: true } },
    'withdrawn',
  );
  return answerOf(deps, withdrawn);
}
