import type {
  DeletionProof,
  OpenConsentRequest,
  PartyRegistryKeys,
  ResidentConsentView,
  ResidentPartiesAnswer,
} from '@eid/shared';
import { request } from './request';

const path = (id: string, step = '') => `/api/v1/consents/${encodeURIComponent(id)}${step ? `/${step}` : ''}`;

/**
 * Hands a party's consent request code (`EIDC1:`) to the BFF, which binds the request to this resident
 * (the first to open it) and answers what the party asks for; a code it never issued answers
 * CONSENT_REQUEST_INVALID, one past its answer time CONSENT_REQUEST_EXPIRED.
 */
export const openConsent = (requestCode: string) =>
  request<ResidentConsentView>({
    method: 'POST',
    path: '/api/v1/consents/open',
    data: { requestCode } satisfies OpenConsentRequest,
  });

/** One of the resident's consents as it stands now. */
export const getConsent = (id: string) => request<ResidentConsentView>({ path: path(id) });

/** Approves a pending request: the party may then read the fields of its scopes until withdrawal. */
export const approveConsent = (id: string) =>
  request<ResidentConsentView>({ method: 'POST', path: path(id, 'approve') });

/** Declines a pending request: the party gets nothing. */
export const declineConsent = (id: string) =>
  request<ResidentConsentView>({ method: 'POST', path: path(id, 'decline') });

/** Withdraws an approval: the claims are erased here and the party is asked to delete its copy. */
export const withdrawConsent = (id: string) =>
  request<ResidentConsentView>({ method: 'POST', path: path(id, 'withdraw') });

/** Every party holding (or having held) a consent of the resident's, with the consents. */
export const listParties = () => request<ResidentPartiesAnswer>({ path: '/api/v1/parties' });

/** The party's signed deletion acknowledgement as the BFF kept it (404 until it arrived). */
export const getDeletionProof = (id: string) => request<DeletionProof>({ path: path(id, 'deletion-proof') });

/** The keys party registrations are signed with, signed by the trust root (public). */
export const getPartyRegistryKeys = () =>
  request<PartyRegistryKeys>({ path: '/api/v1/party-registry-keys', auth: 'none' });
