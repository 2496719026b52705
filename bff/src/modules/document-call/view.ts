import type { DocumentCallList, DocumentCallView, WindowDocumentCall } from '@eid/shared';
import { answeredElsewhere, remoteWindowCall } from './cross-province';
import { settle } from './expire';
import { callView, ownCall, residentCall, windowView, type DocumentCallDeps } from './deps';

/** The window's own call, as it stands (a call whose time ran out is settled first). */
export async function windowCall(
  deps: DocumentCallDeps,
  staffId: string,
  id: string,
  requestId?: string,
): Promise<WindowDocumentCall> {
  const own = await ownCall(deps, id, staffId);
  if (answeredElsewhere(own)) return remoteWindowCall(deps, own);
  const call = await settle(deps, own, requestId);
  return windowView(call, deps.clock.now());
}

/** The resident's own call, as it stands. */
export async function residentView(
  deps: DocumentCallDeps,
  residentId: string,
  id: string,
  requestId?: string,
): Promise<DocumentCallView> {
  const call = await settle(deps, await residentCall(deps, id, residentId), requestId);
  return callView(call, deps.clock.now());
}

/** Most calls one list answers. */
export const LIST_LIMIT = 50;

/**
 * Requests addressed to the resident (or opened by them) still waiting for an answer, newest first, each with
 * its request code so the page verifies it (`POST …/open`) before showing it as genuine.
 */
export async function pendingCalls(deps: DocumentCallDeps, residentId: string): Promise<DocumentCallList> {
  const now = deps.clock.now();
  const calls = await deps.repo.ofResident(residentId, ['pending'], LIST_LIMIT);
  return {
    items: calls
      .filter((c) => now < c.answerBy)
      .map((c) => ({ ...callView(c, now), requestCode: c.requestCode })),
  };
}

/** Every call of the resident's, newest first: where they find an approval to withdraw and its receipt. */
export async function myCalls(deps: DocumentCallDeps, residentId: string): Promise<DocumentCallList> {
  const now = deps.clock.now();
  const calls = await deps.repo.ofResident(
    residentId,
    ['pending', 'delivered', 'declined', 'expired', 'withdrawn', 'access_expired'],
    LIST_LIMIT,
  );
  return { items: calls.map((c) => ({ ...callView(c, now), requestCode: c.requestCode })) };
}
