import { AppError } from '@eid/shared';
import { residentActor } from '../usage/usage.types';
import type { EnrollmentDeps } from './deps';
import type { EnrollmentView } from './enrollment.types';
import { eraseIdentity } from './hooks';
import { load, outOfOrder, view } from './record';

/** Consent to the current privacy notice: new -> consented, or a renewal of consent to a newer notice. */
export async function consent(
  deps: EnrollmentDeps,
  residentId: string,
  noticeVersion: string,
  requestId?: string,
): Promise<EnrollmentView> {
  const { notice, repo } = deps;
  if (noticeVersion !== notice.version) {
    throw new AppError('CONSENT_VERSION_MISMATCH', 'Read and accept the current privacy notice', {
      currentVersion: notice.version,
    });
  }
  let record = await load(deps, residentId);
  if (record.consent?.version === noticeVersion) return view(deps, record);
  await deps.usage
    .disclosure({ residentId, actor: residentActor(residentId), purpose: 'enrollment', requestId })
    .record({ action: 'consent.granted', detail: { noticeVersion } });
  const now = deps.clock.now();
  const moved =
    record.state === 'new'
      ? await repo.consentFromNew(residentId, noticeVersion, now)
      : await repo.renewConsent(residentId, record.state, noticeVersion, now);
  record = await load(deps, residentId);
  if (!moved && record.consent?.version !== noticeVersion) throw outOfOrder(record.state);
  return view(deps, record);
}

/** Withdraws consent: back to `new`, identity erased, card revoked through the hooks; the usage trace stays. */
export async function withdrawConsent(
  deps: EnrollmentDeps,
  residentId: string,
  requestId?: string,
): Promise<EnrollmentView> {
  const record = await deps.repo.get(residentId);
  if (record && (record.state !== 'new' || record.consent)) {
    await deps.usage
      .disclosure({ residentId, actor: residentActor(residentId), purpose: 'enrollment', requestId })
      .record({ action: 'consent.withdrawn' });
    await deps.repo.deleteFaceChecksOf(residentId);
    await eraseIdentity(deps, residentId, 'consent_withdrawn');
    deps.logger.info({ residentId, step: 'consent_withdrawn' }, 'consent withdrawn');
  }
  return view(deps, await load(deps, residentId));
}
