import type { ApproveSignInRequest, OpenSignInRequest, SignInView } from '@eid/shared';
import { request } from './request';

const path = (id: string, step = '') => `/api/v1/signins/${encodeURIComponent(id)}${step ? `/${step}` : ''}`;

/**
 * Hands a sign-in request code (`EIDS1:`, from the desktop page's QR code or its same-device link) to the
 * BFF, which binds the sign-in to this resident (the first to open it) and answers what the party asks for.
 * SIGNIN_CODE_INVALID for a code it never issued, SIGNIN_EXPIRED past its time, SIGNIN_WRONG_STATE when
 * someone else opened it or it was answered.
 */
export const openSignIn = (code: string) =>
  request<SignInView>({
    method: 'POST',
    path: '/api/v1/signins/open',
    data: { code } satisfies OpenSignInRequest,
  });

/** One of the resident's sign-ins as it stands now. */
export const getSignIn = (id: string) => request<SignInView>({ path: path(id) });

/**
 * Approves with the tapped control code and the device's signature over the approval bytes, plus the
 * passcode (level 2 and 3) and a fresh face check's reauth token (level 3).
 */
export const approveSignIn = (id: string, body: ApproveSignInRequest) =>
  request<SignInView>({ method: 'POST', path: path(id, 'approve'), data: body });

/** Declines: the party's website is told the resident refused (`access_denied`). */
export const declineSignIn = (id: string) =>
  request<SignInView>({ method: 'POST', path: path(id, 'decline') });
