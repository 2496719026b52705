import type {
  DeviceProof,
  LicenceBinding,
  LicenceBindingRequest,
  LicenceIssuersAnswer,
  LicenceLinkRequest,
  LicenceRefreshAnswer,
  LicenceTypesAnswer,
  LicenceWallet,
} from '@eid/shared';
import { request } from './request';

/** The document types the resident may link, with the notice a link is accepted under. */
export const getLicenceTypes = () => request<LicenceTypesAnswer>({ path: '/api/v1/licences/types' });

/**
 * Links document types under the notice `noticeVersion` the resident accepted; the BFF pulls their
 * documents from the licence system at once and answers the wallet.
 */
export const linkLicences = (types: string[], noticeVersion: string) =>
  request<LicenceWallet>({
    method: 'POST',
    path: '/api/v1/licences/links',
    data: { types, consent: { accepted: true, noticeVersion } } satisfies LicenceLinkRequest,
  });

/** The wallet as the BFF last pulled it (no call to the licence system). */
export const getWallet = () => request<LicenceWallet>({ path: '/api/v1/licences' });

/** Pulls again from the licence system (an unchanged wallet answers `changed: false`). */
export const refreshWallet = () =>
  request<LicenceRefreshAnswer>({ method: 'POST', path: '/api/v1/licences/refresh' });

/** Unlinks a type: its documents are deleted from the wallet. */
export const unlinkLicenceType = (type: string) =>
  request<LicenceWallet | undefined>({
    method: 'DELETE',
    path: `/api/v1/licences/links/${encodeURIComponent(type)}`,
  });

/** The licence-issuer list signed by the trust root (public), for checking documents offline. */
export const getLicenceIssuers = () =>
  request<LicenceIssuersAnswer>({ path: '/api/v1/trust/licence-issuers', auth: 'none' });

/**
 * The BFF's binding of one wallet document to this device's key (the issuing body never saw the device), for
 * the document codes the device makes offline; the device proves it holds the key, as at card issuance.
 */
export const bindLicence = (id: string, devicePublicKey: string, deviceProof: DeviceProof) =>
  request<LicenceBinding>({
    method: 'POST',
    path: `/api/v1/licences/${encodeURIComponent(id)}/binding`,
    data: { devicePublicKey, deviceProof } satisfies LicenceBindingRequest,
  });
