import { AppError } from '@eid/shared';
import { systemActor } from '../usage/usage.types';
import type { EnrollmentDeps } from './deps';
import type { EnrollmentRecord } from './enrollment.repository';
import type { EnrollmentView } from './enrollment.types';
import { evaluate, ownCheck, startCheck, verifyIdInvalid } from './face-check';
import { releaseIdentity } from './hooks';
import { load, outOfOrder, view } from './record';

/** Who moved an identity away from an account, as that account's trace shows it. */
const SERVICE_ACTOR = systemActor('enrollment', '电子身份证服务');

/** Starts the enrollment face check. */
export function startRealPerson(deps: EnrollmentDeps, residentId: string, requestId?: string) {
  return startCheck(deps, residentId, 'enroll', requestId);
}

/** real_name_verified -> eligible when the face service says it is this person. Safe to retry. */
export async function completeRealPerson(
  deps: EnrollmentDeps,
  residentId: string,
  verifyId: string,
  requestId?: string,
): Promise<EnrollmentView> {
  const check = await ownCheck(deps, residentId, verifyId, 'enroll');
  const record = await load(deps, residentId);
  if (check.consumed) {
    // A retry after the check passed: finish what a crash or lost answer may have left undone.
    if (check.outcome === 'pass' && record.idIndex === check.idIndex) {
      if (record.state === 'eligible') return view(deps, record);
      if (record.state === 'real_name_verified')
        return view(deps, await bind(deps, residentId, check.idIndex, requestId));
    }
    throw verifyIdInvalid('used');
  }
  if (record.state !== 'real_name_verified') throw outOfOrder(record.state);
  if (record.idIndex !== check.idIndex) throw verifyIdInvalid('unknown');
  await evaluate(deps, check, requestId);
  return view(deps, await bind(deps, residentId, check.idIndex, requestId));
}

/** real_name_verified -> eligible, binding the ID number to this account (released from any other). */
async function bind(
  deps: EnrollmentDeps,
  residentId: string,
  idIndex: string,
  requestId?: string,
): Promise<EnrollmentRecord> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const outcome = await deps.repo.setEligible(residentId, idIndex, deps.clock.now());
    if (outcome === 'ok') {
      deps.logger.info({ residentId, step: 'eligible' }, 'enrollment complete');
      return load(deps, residentId);
    }
    if (outcome === 'stale') {
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
