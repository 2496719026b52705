import { residentActor } from '../usage/usage.types';
import type { EnrollmentDeps } from './deps';
import { eraseIdentity } from './hooks';

/** Closes the account: card revoked, identity and sessions erased, the usage trace kept under the old id. */
export async function closeAccount(
  deps: EnrollmentDeps,
  residentId: string,
  requestId?: string,
): Promise<void> {
  const { repo, accounts } = deps;
  await deps.usage
    .disclosure({ residentId, actor: residentActor(residentId), purpose: 'account', requestId })
    .record({ action: 'account.closed' });
  await repo.deleteFaceChecksOf(residentId);
  // The hooks (card revoked) have run when this returns: a failing one stops the closure here, to be retried.
  await eraseIdentity(deps, residentId, 'account_closed');
  await repo.deleteEnrollment(residentId);
  await accounts.eraseSessions(residentId);
  await accounts.deleteResident(residentId);
  deps.logger.info({ residentId, step: 'account_closed' }, 'account closed');
}
