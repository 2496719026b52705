import type { LicenceVerifyAnswer, LicenceVerifyRequest, StatusListAnswer } from '@eid/shared';
import { request } from './request';

/**
 * Checks a document code (`EIDD1:`) or an annotated copy's payload (`EIDA1:`) online (public, rate limited):
 * the verdict and only what the text itself discloses.
 */
export const verifyLicenceCode = (code: string) =>
  request<LicenceVerifyAnswer>({
    method: 'POST',
    path: '/api/v1/licences/verify',
    data: { code } satisfies LicenceVerifyRequest,
    auth: 'none',
  });

/** Checks an annotated copy from its PDF file (base64): the BFF reads the payload the file carries. */
export const verifyLicencePdf = (pdf: string) =>
  request<LicenceVerifyAnswer>({
    method: 'POST',
    path: '/api/v1/licences/verify',
    data: { pdf } satisfies LicenceVerifyRequest,
    auth: 'none',
  });

/** An issuing body's signed status list (public), for checking documents offline. */
export const getLicenceStatusList = (kid: string) =>
  request<StatusListAnswer>({
    path: `/api/v1/licences/status-lists/${encodeURIComponent(kid)}`,
    auth: 'none',
  });
