import { AppError, type LicenceRefreshAnswer } from '@eid/shared';
import { WALLET_ACTOR, type LicenceDeps } from './deps';
import { linkedTypes, pullWallet } from './pull';
import { walletOf } from './wallet';

/**
 * Pulls the resident's linked types again, with the ETag of the last pull: an unchanged wallet costs the
 * licence system a 304 and changes nothing here. LICENCE_NOT_LINKED when nothing is linked.
 */
export async function refreshWallet(
  deps: LicenceDeps,
  residentId: string,
  requestId?: string,
): Promise<LicenceRefreshAnswer> {
  const link = await deps.repo.linkOf(residentId);
  if (linkedTypes(link).length === 0) {
    throw new AppError('LICENCE_NOT_LINKED', 'No document type is linked to your wallet yet');
  }
  const { changed } = await pullWallet(deps, residentId, link!, {
    trigger: 'refresh',
    actor: WALLET_ACTOR,
    requestId,
    useEtag: true,
  });
  return { ...(await walletOf(deps, residentId)), changed };
}
