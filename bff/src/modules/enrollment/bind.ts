import { AppError } from '@eid/shared';
import { systemActor } from '../usage/usage.types';
import type { EnrollmentDeps } from './deps';
import type { EnrollmentRecord, ReviewOutcome } from './enrollment.repository';
import { releaseIdentity } from './hooks';
import { load, outOfOrder } from './record';

/** Who moved an identity away from an account, as that account's trace shows it. */
const SERVICE_ACTOR = systemActor('enrollment', '电子身份证服务');

/** A review someone decided first (or whose enrolment moved on): nobody decides twice. */
export const reviewAlreadyDecided = (status?: string) =>
  new AppError('REVIEW_ALREADY_DECIDED', 'This review is decided already', status ? { status } : {});

/**
 * real_name_verified -> eligible, binding the ID number to this account (released from any other). With
 * `approved`, from in_review of that pending review instead: a supervisor's approval of a review.
 */
export async function bind(
  deps: EnrollmentDeps,
  residentId: string,
  idIndex: string,
  requestId?: string,
  approved?: ReviewOutcome,
): Promise<EnrollmentRecord> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const outcome = await deps.repo.setEligible(residentId, idIndex, deps.clock.now(), approved);
    if (outcome === 'ok') {
      deps.logger.info({ residentId, step: 'eligible' }, 'enrollment complete');
      return load(deps, residentId);
    }
    if (outcome === 'stale') {
      if (approved) throw reviewAlreadyDecided();
      const current = await load(deps, residentId);
      if (current.state === 'eligible' && current.boundIdIndex === idIndex) return current;
      throw outOfOrder(current.state);
    }
    const holder = await deps.repo.holderOf(idIndex);
    if (holder && holder !== residentId) await moveIdentityAway(deps, holder, idIndex, requestId);
  }
  throw new AppError('CONFLICT', 'The identity is being bound elsewhere; try again', { retryable: true });
}

/** Takes an identity from the account that held it, after another account proved to be that person. */
async function moveIdentityAway(
  deps: EnrollmentDeps,
  holder: string,
  idIndex: string,
  requestId?: string,
): Promise<void> {
  await deps.usage
    .disclosure({ residentId: holder, actor: SERVICE_ACTOR, purpose: 'enrollment', requestId })
    .record({ action: 'identity.moved', detail: { reason: 'verified_on_another_account' } });
  if (await releaseIdentity(deps, holder, idIndex)) {
    deps.logger.warn({ residentId: holder }, 'identity moved to another account after a face check');
  }
}
