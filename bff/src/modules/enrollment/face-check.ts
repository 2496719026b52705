import { AppError, type ErrorCode, type FaceCheckStart } from '@eid/shared';
import type { FaceResult } from '../../infra/upstream/types';
import { systemActor } from '../usage/usage.types';
import { assertTryLeft, failedTry, reserveTry } from './attempts';
import type { EnrollmentDeps } from './deps';
import type { FaceOutcome } from './enrollment.model';
import type { FaceCheckRecord } from './enrollment.repository';
import { failureDetail, load, openIdentity, outOfOrder, recordQuietly } from './record';

type Purpose = FaceCheckRecord['purpose'];

/** Who a check's disclosure went to, as the resident sees it in the usage trace. */
const FACE_ACTOR = systemActor('face-verification', '人脸核验服务');

/** A face check id is honoured at most this long, whatever the face service says. */
const FACE_CHECK_TTL_MS = 10 * 60 * 1000;

const FACE_CODES: Record<Exclude<FaceOutcome, 'pass' | 'borderline'>, [ErrorCode, string]> = {
  liveness_failed: [
    'FACE_LIVENESS_FAILED',
    'The liveness check failed; try again in person, not with a photo',
  ],
  low_similarity: ['FACE_LOW_SIMILARITY', 'The face does not match the ID photo closely enough'],
  poor_quality: ['FACE_POOR_QUALITY', 'The capture was too dark or blurred; try again in better light'],
};

export const verifyIdInvalid = (reason: 'unknown' | 'used' | 'expired') =>
  new AppError('FACE_VERIFY_ID_INVALID', 'This face check id is not valid for you now', { reason });

/** How the check reads in the usage trace: the enrollment step or a re-confirmation. */
const tracePurpose = (purpose: Purpose) => (purpose === 'enroll' ? 'enrollment' : 'reauth');

/**
 * The bottom of the review band: an enrolment check of a live, clear capture from here up to the pass mark
 * goes to a supervisor (docs/identity.md "Review queue"). FACE_REVIEW_MIN_SIMILARITY, else 0.05 below.
 */
export function reviewFrom(deps: EnrollmentDeps): number {
  const { FACE_MIN_SIMILARITY, FACE_REVIEW_MIN_SIMILARITY } = deps.config;
  return FACE_REVIEW_MIN_SIMILARITY ?? Math.round((FACE_MIN_SIMILARITY - 0.05) * 1000) / 1000;
}

function classifyFace(
  deps: EnrollmentDeps,
  result: Extract<FaceResult, { status: 'done' }>,
  purpose: Purpose,
): FaceOutcome {
  if (result.reason === 'poor_quality') return 'poor_quality';
  if (result.liveness !== 'pass') return 'liveness_failed';
  if (result.similarity >= deps.config.FACE_MIN_SIMILARITY) return 'pass';
  // Only enrolment has a queue: a re-confirmation guards one action now, and a doubt there is a no.
  if (purpose === 'enroll' && result.similarity >= reviewFrom(deps)) return 'borderline';
  return 'low_similarity';
}

/** The resident's own unused-or-used face check for this purpose; anything else is FACE_VERIFY_ID_INVALID. */
export async function ownCheck(
  deps: EnrollmentDeps,
  residentId: string,
  verifyId: string,
  purpose: Purpose,
): Promise<FaceCheckRecord> {
  const check = await deps.repo.getFaceCheck(verifyId);
  if (!check || check.residentId !== residentId || check.purpose !== purpose)
    throw verifyIdInvalid('unknown');
  return check;
}

/** The state a face check of each purpose starts from: the enrollment step, or an eligible resident's re-check. */
const STARTS_FROM = { enroll: 'real_name_verified', reauth: 'eligible' } as const;

/** Asks the face service for a verify id bound to the verified name and ID number. */
export async function startCheck(
  deps: EnrollmentDeps,
  residentId: string,
  purpose: Purpose,
  requestId?: string,
): Promise<FaceCheckStart> {
  const record = await load(deps, residentId);
  if (record.state !== STARTS_FROM[purpose]) throw outOfOrder(record.state);
  const idIndex = purpose === 'enroll' ? record.idIndex : record.boundIdIndex;
  if (!idIndex) throw outOfOrder(record.state);
  await assertTryLeft(deps, 'face', residentId, idIndex);
  const { face: card } = openIdentity(deps, record);
  const trace = deps.usage.disclosure({
    residentId,
    actor: FACE_ACTOR,
    purpose: tracePurpose(purpose),
    requestId,
  });
  const event = { action: 'identity.real_person.start', fields: ['name', 'idNumber'] };
  let created;
  try {
    created = await deps.face.createVerifyId({ name: card.name, idNumber: card.idNumber });
  } catch (err) {
    await recordQuietly(deps, trace, residentId, { ...event, result: 'failed', detail: failureDetail(err) });
    throw err;
  }
  const now = deps.clock.now();
  const expiresAt = Math.min(created.expiresAt, now + FACE_CHECK_TTL_MS);
  await trace.record(event);
  await deps.repo.insertFaceCheck(
    { verifyId: created.verifyId, residentId, purpose, idIndex, expiresAt },
    now,
  );
  deps.logger.info({ residentId, step: `${purpose}.face_start` }, 'face check started');
  return { verifyId: created.verifyId, expiresAt };
}

/**
 * Reads the verdict of an unused check server-side, counts a failed try, and marks the check used.
 * Returns 'passed' when this call consumed a passing check, 'passed_before' when a concurrent call did,
 * 'borderline' when an enrolment check fell in the review band (not a failed try: a supervisor decides).
 */
export async function evaluate(
  deps: EnrollmentDeps,
  check: FaceCheckRecord,
  requestId?: string,
): Promise<'passed' | 'passed_before' | 'borderline'> {
  const { repo, clock } = deps;
  const { residentId, idIndex, verifyId } = check;
  if (check.expiresAt <= clock.now()) throw verifyIdInvalid('expired');
  const counters = await reserveTry(deps, 'face', residentId, idIndex);
  let outcome: FaceOutcome;
  let scores: { similarity: number; liveness: 'pass' | 'fail' };
  try {
    ({ outcome, scores } = await verdict(deps, check, requestId));
  } catch (err) {
    // Timeouts, unfinished captures and our own failures are not the resident's failed tries.
    await repo.refundAttempt(counters);
    throw err;
  }
  if (!(await repo.consumeFaceCheck(verifyId, outcome, clock.now(), scores))) {
    await repo.refundAttempt(counters);
    const again = await repo.getFaceCheck(verifyId);
    if (again?.outcome === 'pass') return 'passed_before';
    throw verifyIdInvalid('used');
  }
  deps.logger.info({ residentId, step: `${check.purpose}.face_complete`, outcome }, 'face check completed');
  if (outcome === 'pass' || outcome === 'borderline') {
    await repo.refundAttempt(counters);
    return outcome === 'pass' ? 'passed' : 'borderline';
  }
  throw await failedTry(deps, 'face', residentId, FACE_CODES[outcome]);
}

/** The face service's verdict on a check, recorded in the resident's trace. */
async function verdict(
  deps: EnrollmentDeps,
  check: FaceCheckRecord,
  requestId?: string,
): Promise<{ outcome: FaceOutcome; scores: { similarity: number; liveness: 'pass' | 'fail' } }> {
  const result = await deps.face.getResult(check.verifyId);
  if (result.status === 'pending') {
    throw new AppError('FACE_NOT_COMPLETED', 'The face capture is not finished yet');
  }
  const outcome = classifyFace(deps, result, check.purpose);
  await deps.usage
    .disclosure({
      residentId: check.residentId,
      actor: FACE_ACTOR,
      purpose: tracePurpose(check.purpose),
      requestId,
    })
    .record({
      action: 'identity.real_person',
      // A borderline check is not a failure: it waits for a supervisor (the review's own events follow).
      result: outcome === 'pass' || outcome === 'borderline' ? 'ok' : 'failed',
      detail: { outcome },
    });
  return { outcome, scores: { similarity: result.similarity, liveness: result.liveness } };
}
