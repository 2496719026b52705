import { randomUUID } from 'node:crypto';
import {
  AppError,
  maskIdNumber,
  type ReviewCause,
  type ReviewDecision,
  type ReviewItem,
  type ReviewList,
} from '@eid/shared';
import { systemActor, type UsageActor } from '../usage/usage.types';
import { bind, reviewAlreadyDecided } from './bind';
import type { EnrollmentDeps } from './deps';
import type { EnrollmentRecord, FaceCheckRecord } from './enrollment.repository';
import type { IdentityFace } from './enrollment.types';
import { reviewFrom, verifyIdInvalid } from './face-check';
import { load, openIdentity, outOfOrder } from './record';
import type { ReviewRecord } from './review.repository';

/** The queue itself, as the resident's trace names it when a review opens. */
const QUEUE_ACTOR = systemActor('enrollment-review', '人工审核');
/** The most pending reviews one listing answers (oldest first). */
const QUEUE_PAGE = 50;
/** What a supervisor sees of the registry's record: masked, never the full name or number. */
const REVIEW_FIELDS = ['nameMasked', 'idNumberMasked', 'sex', 'issuingAuthority', 'validUntil'];

/** The surname's first character and a `*` for every other one. */
export const maskName = (name: string): string => {
  const chars = [...name];
  return chars[0]! + '*'.repeat(Math.max(1, chars.length - 1));
};

async function staffActorOf(deps: EnrollmentDeps, staffId: string): Promise<UsageActor> {
  if (!deps.staffDesk) throw new AppError('INTERNAL', 'Review decisions need the staff profiles');
  const staff = await deps.staffDesk(staffId);
  return { type: 'staff', id: staff.id, displayName: staff.displayName, org: staff.org };
}

/**
 * real_name_verified -> in_review: stores the evidence (scores and flags, no personal data) and marks the
 * enrolment pending. One review per face check, so a retry finds the one it opened; a check whose review
 * was decided is used.
 */
export async function openReview(
  deps: EnrollmentDeps,
  record: EnrollmentRecord,
  check: FaceCheckRecord,
  causes: ReviewCause[],
  registryFlags: string[],
  requestId?: string,
): Promise<EnrollmentRecord> {
  const { repo, clock, usage } = deps;
  const { residentId } = record;
  const review = await repo.reviews.insert({
    id: randomUUID(),
    residentId,
    idIndex: check.idIndex,
    verifyId: check.verifyId,
    causes,
    face: {
      similarity: check.similarity ?? 0,
      liveness: check.liveness ?? 'pass',
      passMark: deps.config.FACE_MIN_SIMILARITY,
      reviewFrom: reviewFrom(deps),
    },
    registryFlags,
    openedAt: clock.now(),
  });
  if (review.status !== 'pending') throw verifyIdInvalid('used');
  if (!(await repo.openReview(residentId, check.idIndex, { id: review.id, causes }, clock.now()))) {
    const current = await load(deps, residentId);
    if (current.state === 'in_review' && current.review?.id === review.id) return current;
    throw outOfOrder(current.state);
  }
  await usage
    .disclosure({ residentId, actor: QUEUE_ACTOR, purpose: 'enrollment', requestId })
    .recordOnce(
      { action: 'enrollment.review.open', detail: { causes: causes.join(',') } },
      `review.open:${review.id}`,
    );
  deps.logger.info({ residentId, step: 'in_review', causes }, 'enrollment sent to review');
  return load(deps, residentId);
}

function itemOf(review: ReviewRecord, face: IdentityFace): ReviewItem {
  return {
    id: review.id,
    openedAt: review.openedAt,
    causes: review.causes,
    face: { ...review.face },
    registry: {
      flags: review.registryFlags,
      nameMasked: maskName(face.name),
      idNumberMasked: maskIdNumber(face.idNumber),
      sex: face.sex,
      issuingAuthority: face.issuingAuthority,
      validUntil: face.validUntil,
    },
  };
}

/**
 * The pending reviews a supervisor may decide, oldest first: scores, verdicts and masked registry data.
 * Each resident's trace records, once per supervisor and review, that this supervisor saw them. A review
 * whose enrolment moved on meanwhile (consent withdrawn, account closed) is closed as withdrawn.
 */
export async function listReviews(
  deps: EnrollmentDeps,
  staffId: string,
  requestId?: string,
): Promise<ReviewList> {
  const { repo, usage } = deps;
  const actor = await staffActorOf(deps, staffId);
  const pending = await repo.reviews.pending(QUEUE_PAGE);
  const records = await repo.getMany(pending.map((r) => r.residentId));
  const items: ReviewItem[] = [];
  for (const review of pending) {
    const record = records.get(review.residentId);
    if (record?.state !== 'in_review' || record.review?.id !== review.id) {
      const mark = record?.review?.id === review.id ? record.review.status : undefined;
      await repo.reviews.close(
        review.id,
        mark === 'approved' || mark === 'rejected' ? mark : 'withdrawn',
        undefined,
      );
      continue;
    }
    const { face } = openIdentity(deps, record);
    await usage
      .disclosure({ residentId: review.residentId, actor, purpose: 'enrollment_review', requestId })
      .recordOnce(
        { action: 'enrollment.review.read', fields: REVIEW_FIELDS, detail: { review: review.id } },
        `review.read:${review.id}:${staffId}`,
      );
    items.push(itemOf(review, face));
  }
  return { items };
}

/**
 * A supervisor's approval (in_review -> eligible: the resident goes on to the card as after a passing
 * check) or rejection (-> real_name_verified, the reason shown to the resident). The enrolment's
 * conditional state change decides who was first: a second decision answers REVIEW_ALREADY_DECIDED.
 */
export async function decideReview(
  deps: EnrollmentDeps,
  reviewId: string,
  decision: 'approve' | 'reject',
  staffId: string,
  reason: string,
  requestId?: string,
): Promise<ReviewDecision> {
  const { repo, clock, usage, logger } = deps;
  const actor = await staffActorOf(deps, staffId);
  const review = await repo.reviews.byId(reviewId);
  if (!review) throw new AppError('REVIEW_NOT_FOUND', 'No review with this id');
  if (review.status !== 'pending') throw reviewAlreadyDecided(review.status);
  const outcome = { reviewId, reason };
  const status = decision === 'approve' ? 'approved' : 'rejected';
  if (decision === 'approve') {
    await bind(deps, review.residentId, review.idIndex, requestId, outcome);
  } else if (!(await repo.rejectReview(review.residentId, outcome, clock.now()))) {
    throw reviewAlreadyDecided();
  }
  const decidedAt = clock.now();
  await repo.reviews.close(reviewId, status, { staffId, reason, at: decidedAt });
  await usage
    .disclosure({ residentId: review.residentId, actor, purpose: 'enrollment_review', requestId })
    .record({ action: `enrollment.review.${decision}`, detail: { review: reviewId, statedReason: reason } });
  logger.info({ residentId: review.residentId, reviewId, status, staffId }, 'enrollment review decided');
  return { id: reviewId, status, decidedAt };
}
