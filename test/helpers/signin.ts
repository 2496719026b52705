import { randomBytes } from 'node:crypto';
import {
  base64urlEncode,
  controlCodeOf,
  parseSignInCode,
  signInApprovalBytes,
  type ApproveSignInRequest,
  type PartySignIn,
  type PasscodeStatus,
  type SignInLevel,
  type SignInView,
} from '@eid/shared';
import type { StartedSignIn } from '@eid/bff/modules/signin/signin.types';
import { ed25519, reauthToken, type Device, type Holder } from './card-flow';
import type { Reply } from './http';
import { registerParty, type RegisteredParty } from './party';
import type { Stack } from './stack';

/**
 * Remote sign-in in tests (issue 17): a party registered for sign-in, sign-ins started through the broker
 * (what the OpenID provider does at `/signin/:uid`), and the resident's side on the phone over HTTP: open
 * the request code, tap a control code, sign the approval with the card's device key, with the passcode
 * and the face token the level needs.
 */

/** Where the test parties' browsers return to: the phone shows its origin. */
export const RETURN_URI = 'https://hotel.example.com/signin/callback';

/** The grant the test party signs residents in under: name with masked number, over 18. */
export const SIGNIN_GRANTS = [
  { purpose: 'hotel_check_in', scopes: ['result', 'name_masked_id', 'age_over_18'] },
];

/** A hotel registered for sign-in at `level` (its own key; `overrides` go into the registration). */
export function signInParty(
  stack: Stack,
  level: SignInLevel = 1,
  overrides: Partial<PartySignIn> = {},
): Promise<RegisteredParty> {
  return registerParty(stack, {
    category: 'hotel',
    grants: SIGNIN_GRANTS,
    signIn: { redirectUris: [RETURN_URI], level, purpose: 'hotel_check_in', ...overrides },
  });
}

export interface StartOptions {
  interactionUid?: string;
  /** Default `name_masked_id`. */
  scopes?: string[];
  /** Default the party's registered level. */
  level?: SignInLevel;
  returnUri?: string;
}

/** `signins.start` as the provider calls it, for the party as the BFF holds it. */
export async function startSignIn(
  stack: Stack,
  party: Pick<RegisteredParty, 'party'>,
  options: StartOptions = {},
): Promise<StartedSignIn & { interactionUid: string }> {
  const held = await stack.services.parties.get(party.party.id);
  if (!held) throw new Error(`no party ${party.party.id}`);
  const interactionUid = options.interactionUid ?? randomBytes(12).toString('base64url');
  const started = await stack.services.signins.start({
    interactionUid,
    party: held,
    scopes: options.scopes ?? ['name_masked_id'],
    level: options.level ?? held.signIn?.level ?? 1,
    returnUri: options.returnUri ?? held.signIn?.redirectUris[0] ?? RETURN_URI,
  });
  return { ...started, interactionUid };
}

/** The control code the phone computes from the code it scanned (the desktop page shows the same). */
export function controlCodeOfRequest(requestCode: string): string {
  const parts = parseSignInCode(requestCode);
  if (!parts) throw new Error('not a sign-in request code');
  return controlCodeOf(parts);
}

/** `POST /api/v1/signins/open` as the resident (a SignInView, or an error answer). */
export const openSignIn = (stack: Stack, holder: Pick<Holder, 'token'>, code: string) =>
  stack.api('POST', '/api/v1/signins/open', { token: holder.token, body: { code } });

/** A resident's `POST /api/v1/signins/:id/<action>`. */
export const signInPost = (
  stack: Stack,
  holder: Pick<Holder, 'token'>,
  id: string,
  action: 'approve' | 'decline',
  body: object = {},
) => stack.api('POST', `/api/v1/signins/${id}/${action}`, { token: holder.token, body });

export interface ApprovalOptions {
  /** Tap a decoy instead of the control code. */
  wrongControlCode?: boolean;
  /** Tap exactly this. */
  controlCode?: string;
  /** Sign at this time (default the stack's clock). */
  at?: number;
  /** Sign with this device's key (default the holder's). */
  device?: Device;
  /** Sign over another level than the one asked, or another party or sign-in id. */
  signed?: { level?: SignInLevel; party?: string; signin?: string };
  passcode?: string;
  /** A reauth token, or `true` for a fresh one from a passing face check now. */
  reauthToken?: string | true;
}

/**
 * The body of `POST /api/v1/signins/:id/approve` for the sign-in the resident opened: the tapped code
 * (the one computed from `requestCode`, or a decoy of the view's choices), and the device signature over
 * signInApprovalBytes with the holder's device key.
 */
export async function approvalBody(
  stack: Stack,
  holder: Pick<Holder, 'token' | 'device'>,
  view: Pick<SignInView, 'id' | 'party' | 'level' | 'controlCodeChoices'>,
  requestCode: string,
  options: ApprovalOptions = {},
): Promise<ApproveSignInRequest> {
  const right = controlCodeOfRequest(requestCode);
  const decoy = view.controlCodeChoices?.find((c) => c !== right) ?? (right === '0000' ? '0001' : '0000');
  const controlCode = options.controlCode ?? (options.wrongControlCode ? decoy : right);
  const at = options.at ?? stack.clock.now();
  const device = options.device ?? holder.device;
  const bytes = signInApprovalBytes({
    signin: options.signed?.signin ?? view.id,
    party: options.signed?.party ?? view.party.id,
    level: options.signed?.level ?? view.level,
    controlCode,
    at,
  });
  const token = options.reauthToken === true ? await reauthToken(stack, holder.token) : options.reauthToken;
  return {
    controlCode,
    at,
    deviceSignature: base64urlEncode(ed25519.sign(device.keys.secretKey, bytes)),
    ...(options.passcode !== undefined && { passcode: options.passcode }),
    ...(token !== undefined && { reauthToken: token }),
  };
}

/**
 * The resident's whole approval on the phone: open the code (throws unless 200), then approve as `options`
 * say. Answers the opened view and the approve reply (not checked: tests of refusals use it too).
 *
 * @example
 * const { approve } = await approveSignIn(stack, holder, started.requestCode, { passcode: '482916' });
 * expect(approve.status).toBe(200);
 */
export async function approveSignIn(
  stack: Stack,
  holder: Pick<Holder, 'token' | 'device'>,
  requestCode: string,
  options: ApprovalOptions = {},
): Promise<{ view: SignInView; approve: Reply }> {
  const opened = await openSignIn(stack, holder, requestCode);
  if (opened.status !== 200) throw new Error(`open answered ${opened.status} ${JSON.stringify(opened.body)}`);
  const body = await approvalBody(stack, holder, opened.body, requestCode, options);
  return { view: opened.body, approve: await signInPost(stack, holder, opened.body.id, 'approve', body) };
}

/** A passcode that passes the rules (not repeated, not a straight run). */
export const TEST_PASSCODE = '482916';

/** `PUT /api/v1/passcode`: sets the holder's first passcode (or changes it with `current`); throws unless 200. */
export async function setPasscode(
  stack: Stack,
  holder: Pick<Holder, 'token'>,
  passcode: string = TEST_PASSCODE,
  current?: string,
): Promise<PasscodeStatus> {
  const res = await stack.api<PasscodeStatus>('PUT', '/api/v1/passcode', {
    token: holder.token,
    body: { passcode, ...(current !== undefined && { currentPasscode: current }) },
  });
  if (res.status !== 200) throw new Error(`passcode answered ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
