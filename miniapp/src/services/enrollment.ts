import { request } from './request';
import { setEnrollment } from './session';
import type { AccountClosure, Enrollment, PrivacyNotice, ReauthGrant, FaceCheckStart } from '@eid/shared';

async function track(answer: Promise<Enrollment>): Promise<Enrollment> {
  const enrollment = await answer;
  setEnrollment(enrollment);
  return enrollment;
}

/** The current privacy notice (public). */
export const getPrivacyNotice = () =>
  request<PrivacyNotice>({ path: '/api/v1/privacy-notice', auth: 'none' });

/** Where the resident stands in enrollment. */
export const getEnrollment = () => track(request<Enrollment>({ path: '/api/v1/enrollment' }));

/** Records consent to the notice version the resident read. */
export const giveConsent = (noticeVersion: string) =>
  track(request<Enrollment>({ method: 'POST', path: '/api/v1/enrollment/consent', data: { noticeVersion } }));

/** Withdraws consent: the card is revoked and identity data erased. */
export const withdrawConsent = () =>
  track(request<Enrollment>({ method: 'DELETE', path: '/api/v1/enrollment/consent' }));

/** Checks name and ID number against the population registry. */
export const submitRealName = (name: string, idNumber: string) =>
  track(
    request<Enrollment>({ method: 'POST', path: '/api/v1/enrollment/real-name', data: { name, idNumber } }),
  );

/** Step 1 of the enrollment face check: a verify id from the face service. */
export const startRealPerson = () =>
  request<FaceCheckStart>({ method: 'POST', path: '/api/v1/enrollment/real-person/start' });

/** Step 3 of the enrollment face check: the BFF asks the face service for the result. */
export const completeRealPerson = (verifyId: string) =>
  track(
    request<Enrollment>({
      method: 'POST',
      path: '/api/v1/enrollment/real-person/complete',
      data: { verifyId },
    }),
  );

/** Starts a face check that re-confirms identity before a sensitive action. */
export const startReauth = () => request<FaceCheckStart>({ method: 'POST', path: '/api/v1/reauth/start' });

/** Finishes the re-confirmation: a short-lived reauth token. */
export const completeReauth = (verifyId: string) =>
  request<ReauthGrant>({ method: 'POST', path: '/api/v1/reauth/complete', data: { verifyId } });

/** Closes the account: consent withdrawn, card revoked, identity data and sessions erased; what is kept and why. */
export const deleteAccount = () => request<AccountClosure>({ method: 'DELETE', path: '/api/v1/account' });
