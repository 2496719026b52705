import { closeAccount } from './close-account';
import { consent, withdrawConsent } from './consent';
import type { EnrollmentDeps, EnrollmentServiceDeps } from './deps';
import type { EnrollmentService } from './enrollment.types';
import { registerHooks, resumePendingHooks } from './hooks';
import { createIdentityService } from './identity';
import { PRIVACY_NOTICE } from './privacy-notice';
import { realName } from './real-name';
import { completeRealPerson, startRealPerson } from './real-person';
import { completeReauth, startReauth } from './reauth';
import { load, view } from './record';
import { decideReview, listReviews } from './review';
import { rewrapIdentities } from './rewrap';

export type { EnrollmentServiceDeps } from './deps';
export type { EnrollmentService } from './enrollment.types';

/**
 * The enrollment state machine (new -> consented -> real_name_verified -> [in_review ->] eligible), the review
 * queue of enrolments automation cannot decide, face re-authentication,
 * consent withdrawal and account closure, and the IdentityService the card module reads identities from.
 * Each use case is its own file of functions taking `deps`; this composes them. Every step is one
 * conditional update on the state it starts from, preceded by the upstream call and the usage record, so
 * a timeout or crash leaves the state as it was and a retry is safe.
 */
export function createEnrollmentService(serviceDeps: EnrollmentServiceDeps): EnrollmentService {
  const deps: EnrollmentDeps = { ...serviceDeps, notice: serviceDeps.notice ?? PRIVACY_NOTICE };
  registerHooks(deps);
  return {
    identity: createIdentityService(deps),
    notice: () => deps.notice,
    get: async (residentId) => view(deps, await load(deps, residentId)),
    consent: (residentId, noticeVersion, requestId) => consent(deps, residentId, noticeVersion, requestId),
    withdrawConsent: (residentId, requestId) => withdrawConsent(deps, residentId, requestId),
    realName: (residentId, input, requestId) => realName(deps, residentId, input, requestId),
    startRealPerson: (residentId, requestId) => startRealPerson(deps, residentId, requestId),
    completeRealPerson: (residentId, verifyId, requestId) =>
      completeRealPerson(deps, residentId, verifyId, requestId),
    startReauth: (residentId, requestId) => startReauth(deps, residentId, requestId),
    completeReauth: (residentId, verifyId, requestId) =>
      completeReauth(deps, residentId, verifyId, requestId),
    closeAccount: (residentId, requestId) => closeAccount(deps, residentId, requestId),
    rewrapIdentities: (pageSize) => rewrapIdentities(deps, pageSize),
    resumePendingHooks: (limit) => resumePendingHooks(deps, limit),
    listReviews: (staffId, requestId) => listReviews(deps, staffId, requestId),
    decideReview: (reviewId, decision, staffId, reason, requestId) =>
      decideReview(deps, reviewId, decision, staffId, reason, requestId),
  };
}
