import type { ReviewCause } from '@eid/shared';
import { bind } from './bind';
import type { EnrollmentDeps } from './deps';
import type { EnrollmentRecord, FaceCheckRecord } from './enrollment.repository';
import type { EnrollmentView } from './enrollment.types';
import { evaluate, ownCheck, startCheck, verifyIdInvalid } from './face-check';
import { load, openIdentity, outOfOrder, view } from './record';
import { openReview } from './review';

/** Starts the enrollment face check. */
export function startRealPerson(deps: EnrollmentDeps, residentId: string, requestId?: string) {
  return startCheck(deps, residentId, 'enroll', requestId);
}

/**
 * real_name_verified -> eligible when the face service says it is this person, or -> in_review when the
 * check fell in the review band or the registry flagged the record (docs/identity.md "Review queue").
 * Safe to retry.
 */
export async function completeRealPerson(
  deps: EnrollmentDeps,
  residentId: string,
  verifyId: string,
  requestId?: string,
): Promise<EnrollmentView> {
  const check = await ownCheck(deps, residentId, verifyId, 'enroll');
  const record = await load(deps, residentId);
  if (check.consumed) {
    // A retry after the check was decided: finish what a crash or lost answer may have left undone.
    const decided = check.outcome === 'pass' || check.outcome === 'borderline';
    if (decided && record.idIndex === check.idIndex) {
      if (record.state === 'eligible' || record.state === 'in_review') return view(deps, record);
      if (record.state === 'real_name_verified')
        return view(deps, await settle(deps, record, check, requestId));
    }
    throw verifyIdInvalid('used');
  }
  if (record.state !== 'real_name_verified') throw outOfOrder(record.state);
  if (record.idIndex !== check.idIndex) throw verifyIdInvalid('unknown');
  await evaluate(deps, check, requestId);
  const evaluated = (await deps.repo.getFaceCheck(verifyId)) ?? check;
  return view(deps, await settle(deps, record, evaluated, requestId));
}

/** After a passing or borderline check: bound at once, or queued for a supervisor when anything is doubtful. */
async function settle(
  deps: EnrollmentDeps,
  record: EnrollmentRecord,
  check: FaceCheckRecord,
  requestId?: string,
): Promise<EnrollmentRecord> {
  const flags = openIdentity(deps, record).registryFlags ?? [];
  const causes: ReviewCause[] = [];
  if (check.outcome === 'borderline') causes.push('face_borderline');
  if (flags.length > 0) causes.push('registry_anomaly');
  if (causes.length === 0) return bind(deps, record.residentId, check.idIndex, requestId);
  return openReview(deps, record, check, causes, flags, requestId);
}
