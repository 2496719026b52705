import { AppError, documentType, type LicenceLinkRequest, type LicenceWallet } from '@eid/shared';
import { residentActor } from '../usage/usage.types';
import { WALLET_ACTOR, WALLET_PURPOSE, type LicenceDeps } from './deps';
import { LICENCE_LINK_NOTICE } from './link-notice';
import { holderIndexFor, linkedTypes, pullWallet } from './pull';
import { walletOf } from './wallet';

/** LICENCE_TYPE_UNKNOWN unless every name is a registered document type. */
export function requireTypes(types: readonly string[]): void {
  const unknown = types.filter((t) => !documentType(t));
  if (unknown.length > 0) {
    throw new AppError('LICENCE_TYPE_UNKNOWN', 'A document type is not one of the registered types', {
      types: unknown,
    });
  }
}

/**
 * Links document types to the resident's wallet with their consent to the current link notice (which
 * names the licence system and what is pulled), then pulls them at once. The consent is recorded in the
 * trace (`licence.link`) and the link stored before the pull: when the licence system is down the answer
 * is its 503, the link stays, and a refresh (or the change feed) pulls later.
 */
export async function linkTypes(
  deps: LicenceDeps,
  residentId: string,
  { types, consent }: LicenceLinkRequest,
  requestId?: string,
): Promise<LicenceWallet> {
  requireTypes(types);
  if (consent.noticeVersion !== LICENCE_LINK_NOTICE.version) {
    throw new AppError('CONSENT_VERSION_MISMATCH', 'Read and accept the current licence link notice', {
      currentVersion: LICENCE_LINK_NOTICE.version,
    });
  }
  const { face } = await deps.identity.getVerifiedIdentity(residentId);
  const now = deps.clock.now();
  await deps.usage
    .disclosure({ residentId, actor: residentActor(residentId), purpose: WALLET_PURPOSE, requestId })
    .record({
      action: 'licence.link',
      detail: {
        system: LICENCE_LINK_NOTICE.system.zh,
        types: types.join(','),
        noticeVersion: consent.noticeVersion,
      },
    });
  const link = await deps.repo.addLinks(
    residentId,
    holderIndexFor(deps, face.idNumber),
    types.map((type) => ({ type, noticeVersion: consent.noticeVersion, linkedAt: now })),
    now,
  );
  deps.logger.info({ residentId, types: linkedTypes(link).length }, 'licence types linked');
  await pullWallet(deps, residentId, link, {
    trigger: 'link',
    actor: WALLET_ACTOR,
    requestId,
    useEtag: false,
  });
  return walletOf(deps, residentId);
}
