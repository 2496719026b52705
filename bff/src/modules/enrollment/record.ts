import { AppError, errorCodeOf } from '@eid/shared';
import type { Disclosure, DisclosureEvent } from '../usage/usage.types';
import { ownAttempts } from './attempts';
import type { EnrollmentDeps } from './deps';
import type { EnrollmentRecord } from './enrollment.repository';
import type { EnrollmentState, EnrollmentView, IdentityFace } from './enrollment.types';
import { finishPendingHooks } from './hooks';

/** The sealed identity: the registry's card face and its portrait handle (never the portrait itself). */
export interface SealedIdentity {
  face: IdentityFace;
  portraitRef: string;
  /** What the registry flagged about the record (a review cause); absent when nothing. */
  registryFlags?: string[];
}

export const newRecord = (residentId: string): EnrollmentRecord => ({
  residentId,
  state: 'new',
  consent: null,
  hookGeneration: 0,
});

export const outOfOrder = (state: EnrollmentState) =>
  new AppError('ENROLLMENT_OUT_OF_ORDER', 'This step is not available in the current enrollment state', {
    state,
  });

const identityAad = (residentId: string) => `enrollment.identity:${residentId}`;

/** The resident's record; hooks left pending by an earlier crash or failure are finished first. */
export async function load(deps: EnrollmentDeps, residentId: string): Promise<EnrollmentRecord> {
  const record = await deps.repo.get(residentId);
  if (!record) return newRecord(residentId);
  if (!(await finishPendingHooks(deps, record))) return record;
  return (await deps.repo.get(residentId)) ?? newRecord(residentId);
}

/** The page's view of a record, with the account's own tries left today. */
export async function view(deps: EnrollmentDeps, record: EnrollmentRecord): Promise<EnrollmentView> {
  const [realName, face] = await Promise.all([
    ownAttempts(deps, 'real_name', record.residentId),
    ownAttempts(deps, 'face', record.residentId),
  ]);
  const { review } = record;
  return {
    state: record.state,
    consent: record.consent,
    attempts: { realName, face },
    ...(review && {
      review: {
        status: review.status,
        causes: review.causes,
        openedAt: review.openedAt,
        ...(review.decidedAt !== undefined && { decidedAt: review.decidedAt }),
        ...(review.reason !== undefined && { reason: review.reason }),
      },
    }),
  };
}

export function sealIdentity(deps: EnrollmentDeps, residentId: string, identity: SealedIdentity): string {
  return deps.keys.seal(JSON.stringify(identity), identityAad(residentId));
}

export function openIdentity(deps: EnrollmentDeps, record: EnrollmentRecord): SealedIdentity {
  if (!record.identity) throw new AppError('INTERNAL', 'Verified enrollment without identity');
  return JSON.parse(deps.keys.open(record.identity, identityAad(record.residentId))) as SealedIdentity;
}

/** Records a disclosure on the path where the request is failing anyway: a lost record must not hide the cause. */
export async function recordQuietly(
  deps: EnrollmentDeps,
  trace: Disclosure,
  residentId: string,
  event: DisclosureEvent,
): Promise<void> {
  await trace.record(event).catch((err: unknown) => {
    deps.logger.error({ residentId, action: event.action, err }, 'usage record failed');
  });
}

/** The trace's detail for an upstream call that failed: its error code, never its message. */
export const failureDetail = (err: unknown) => ({ error: errorCodeOf(err) ?? 'INTERNAL' });
