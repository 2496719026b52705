import { AppError, type LicenceWallet } from '@eid/shared';
import { residentActor, systemActor } from '../usage/usage.types';
import { WALLET_PURPOSE, recordQuietly, type LicenceDeps } from './deps';
import { requireTypes } from './link';
import { walletOf } from './wallet';

/**
 * Unlinks one type and deletes its stored documents at once (trace `licence.unlink`, with how many were
 * deleted). LICENCE_NOT_LINKED when the type is not linked.
 */
export async function unlinkType(
  deps: LicenceDeps,
  residentId: string,
  type: string,
  requestId?: string,
): Promise<LicenceWallet> {
  requireTypes([type]);
  const now = deps.clock.now();
  if (!(await deps.repo.removeLink(residentId, type, now))) {
    throw new AppError('LICENCE_NOT_LINKED', 'This document type is not linked to your wallet', { type });
  }
  const deleted = await deps.repo.deleteDocuments(residentId, type);
  await deps.usage
    .disclosure({ residentId, actor: residentActor(residentId), purpose: WALLET_PURPOSE, requestId })
    .record({ action: 'licence.unlink', detail: { type, deleted } });
  return walletOf(deps, residentId);
}

const ERASE_ACTOR = systemActor('licence-wallet', '电子证照夹');

/**
 * Erases the wallet when the resident's identity stops being valid (an enrollment hook: consent withdrawn,
 * account closed, identity moved): every link and stored document. Idempotent.
 */
export async function eraseWallet(deps: LicenceDeps, residentId: string, reason: string): Promise<void> {
  const deleted = await deps.repo.deleteDocuments(residentId);
  const link = await deps.repo.linkOf(residentId);
  await deps.repo.deleteLinks(residentId);
  if (deleted === 0 && !link) return;
  await recordQuietly(
    deps,
    deps.usage.disclosure({ residentId, actor: ERASE_ACTOR, purpose: WALLET_PURPOSE }),
    { action: 'licence.erased', detail: { reason, deleted } },
  );
}
