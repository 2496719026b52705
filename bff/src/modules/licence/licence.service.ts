import { AppError, documentTypes, type TrustedIssuer } from '@eid/shared';
import { createNodeEd25519 } from '../../infra/ed25519';
import { createChangeFeed } from './change-feed';
import type { LicenceDeps } from './deps';
import { documentsFor } from './documents-for';
import { bindDocument } from './binding';
import { createIssuerDirectory } from './issuers';
import { linkTypes } from './link';
import { LICENCE_LINK_NOTICE } from './link-notice';
import type { LicenceService, PdfPayloadReader } from './licence.types';
import { createPublicVerifier } from './public-verify';
import { refreshWallet } from './refresh';
import { createLicenceStatusLists } from './status-lists';
import { eraseWallet, unlinkType } from './unlink';
import { walletOf } from './wallet';

export interface LicenceServiceDeps extends Omit<LicenceDeps, 'issuers' | 'statusLists' | 'ed25519'> {
  /** The BFF keys that sign bindings and annotations (the trust list's issuers). */
  trustedIssuers: () => TrustedIssuer[];
  /** Reads the payload of an annotated-copy PDF; without one, PDFs are refused (UNSUPPORTED_MEDIA_TYPE). */
  readPdfPayload?: PdfPayloadReader;
}

/**
 * The licence wallet and what goes with it: linking types with consent, pulls and refreshes from the
 * electronic licence system (with ETags and its change feed), the fresh pulls of document calls, device
 * bindings, the issuing bodies' trust and the public verification. Each use case is its own file; this
 * composes them over one set of deps and starts nothing.
 */
export function createLicenceService(serviceDeps: LicenceServiceDeps): LicenceService {
  const ed25519 = createNodeEd25519();
  const issuers = createIssuerDirectory(serviceDeps);
  const statusLists = createLicenceStatusLists({ ...serviceDeps, issuers, ed25519 });
  const deps = { ...serviceDeps, issuers, statusLists, ed25519 };
  const { refreshFromChanges, startChangeFeed } = createChangeFeed(deps);
  const verifyText = createPublicVerifier(deps);
  const types = documentTypes().map((t) => ({
    name: t.name,
    zh: t.zh,
    en: t.en,
    face: t.face,
    fields: t.fields.map(({ key, zh, en }) => ({ key, zh, en })),
  }));
  return {
    documentsFor: (residentId, list, purpose, options) =>
      documentsFor(deps, residentId, list, purpose, options),
    licenceIssuers: () => deps.issuers.list(),
    types: () => ({ notice: LICENCE_LINK_NOTICE, types }),
    wallet: (residentId) => walletOf(deps, residentId),
    link: (residentId, body, requestId) => linkTypes(deps, residentId, body, requestId),
    refresh: (residentId, requestId) => refreshWallet(deps, residentId, requestId),
    unlink: (residentId, type, requestId) => unlinkType(deps, residentId, type, requestId),
    binding: (residentId, walletId, body, requestId) =>
      bindDocument(deps, residentId, walletId, body, requestId),
    signedIssuerList: () => deps.issuers.signed(),
    statusList: (kid) => deps.statusLists.get(kid),
    verifyText,
    async verifyPdf(pdf) {
      if (!deps.readPdfPayload) {
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          'PDF copies are not read here yet: send the text under the QR code',
        );
      }
      const text = await deps.readPdfPayload(pdf);
      return text === undefined ? { verdict: 'malformed', checkedAt: deps.clock.now() } : verifyText(text);
    },
    onIdentityWithdrawn: (residentId, reason) => eraseWallet(deps, residentId, reason),
    sealedStore: {
      name: 'licence_documents',
      page: (after, limit) => deps.repo.sealedPage(after, limit),
      replace: (id, from, to) => deps.repo.replaceSealed(id, from, to),
    },
    refreshFromChanges,
    startChangeFeed,
  };
}
