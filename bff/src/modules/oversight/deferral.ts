import { AppError, type DeferralRequest, type DeferralResult } from '@eid/shared';
import { accountDetail, staffActor } from './actor';
import type { OversightDeps } from './deps';
import { LOOKUP_PURPOSE } from './lookup';
import type { StaffCaller } from './oversight.types';

/**
 * A supervisor defers the disclosure of a lookup made with `deferralRequested` (still held back) for at
 * most OVERSIGHT_MAX_DEFER_S, with a reason; never for a lookup of their own (separation of duties). The
 * lookup's records, in the chain from the start, get `visibleFrom` at the end of the period, and so does
 * the deferral's own record: when the period ends the resident sees the access, who deferred it and why.
 */
export async function defer(
  deps: OversightDeps,
  caller: StaffCaller,
  lookupId: string,
  input: DeferralRequest,
): Promise<DeferralResult> {
  const { repo, clock, config } = deps;
  const now = clock.now();
  const doc = await repo.lookup(lookupId);
  if (!doc || doc.residentId === null) throw new AppError('NOT_FOUND', 'No such lookup');
  const residentId = doc.residentId;
  if (doc.staffId === caller.id)
    throw new AppError('FORBIDDEN', 'Another supervisor must defer the disclosure of your own lookup', {
      reason: 'self',
    });
  if (input.seconds > config.OVERSIGHT_MAX_DEFER_S)
    throw new AppError('DEFERRAL_TOO_LONG', 'The disclosure cannot be deferred that long', {
      maxSeconds: config.OVERSIGHT_MAX_DEFER_S,
    });
  if (doc.deferral)
    throw new AppError('CONFLICT', 'This lookup is deferred already', { reason: 'already_deferred' });
  if (doc.hiddenUntil === undefined || doc.hiddenUntil <= now)
    throw new AppError('DISCLOSURE_ALREADY_SHOWN', 'The resident can see this lookup already');

  const until = now + input.seconds * 1000;
  const desk = await deps.staffDesk(caller.id);
  const deferral = { by: caller.id, at: now, until, reason: input.reason, noticed: false };
  if (!(await repo.setDeferral(doc._id, deferral)))
    throw new AppError('CONFLICT', 'This lookup is deferred already', { reason: 'already_deferred' });
  await deps.usage
    .disclosure({
      residentId,
      actor: staffActor(desk),
      purpose: LOOKUP_PURPOSE,
      ...(caller.requestId && { requestId: caller.requestId }),
    })
    .record({
      action: 'staff.lookup.deferred',
      detail: accountDetail(desk, doc._id, { reason: input.reason, until }),
      visibleFrom: until,
    });
  const records = await deps.usage.setVisibleFrom(residentId, { key: 'lookupId', value: doc._id }, until);
  deps.logger.info({ lookupId: doc._id, by: caller.id, until }, 'lookup disclosure deferred');
  return { lookupId: doc._id, until, records };
}
