import { AppError, type DocumentCallAnswer } from '@eid/shared';
import { residentActor } from '../usage/usage.types';
import { answerOf } from './approve';
import { settle } from './expire';
import { callTrace, residentCall, type DocumentCallDeps } from './deps';

/** The resident says no to a pending request; nothing is pulled. Declining twice answers the same. */
export async function declineCall(
  deps: DocumentCallDeps,
  residentId: string,
  id: string,
  requestId?: string,
): Promise<DocumentCallAnswer> {
  const call = await settle(deps, await residentCall(deps, id, residentId), requestId);
  if (call.state === 'declined') return answerOf(deps, call);
  if (call.state === 'expired') {
    throw new AppError('DOCUMENT_REQUEST_EXPIRED', 'This request has expired; there is nothing to decline');
  }
  if (call.state !== 'pending') {
    throw new AppError('DOCUMENT_CALL_WRONG_STATE', 'This request was already answered', {
      state: call.state,
    });
  }
  const declined = (await deps.repo.decline(id, residentId, deps.clock.now())) ?? (await deps.repo.byId(id));
  if (declined?.state !== 'declined') {
    throw new AppError('DOCUMENT_CALL_WRONG_STATE', 'This request was already answered', {
      state: declined?.state ?? 'unknown',
    });
  }
  await callTrace(deps, { ...declined, residentId }, residentActor(residentId), requestId).once(
    { action: 'document_call.declined', result: 'denied' },
    'declined',
  );
  return answerOf(deps, declined);
}
