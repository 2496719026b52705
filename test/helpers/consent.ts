import type { CreateConsentRequest } from '@eid/shared';
import { callResident, type CallResident } from './document-call';
import { login } from './identity';
import { registerParty } from './party';
import type { Stack } from './stack';

/** Shared steps of the consent suites: a hotel registered for check-in, its requests, the resident's answers. */

/** What the example hotel is registered for: name with masked number and "over 18" for check-in. */
export const HOTEL_GRANTS = [{ purpose: 'hotel_check_in', scopes: ['name_masked_id', 'age_over_18'] }];

/** A check-in request for both registered scopes. */
export const CHECK_IN: CreateConsentRequest = {
  purpose: 'hotel_check_in',
  scopes: ['name_masked_id', 'age_over_18'],
  reason: '办理入住登记',
  reference: 'booking-A1024',
};

export type TestParty = Awaited<ReturnType<typeof registerParty>>;

/** A hotel registered for check-in (its own key, secret and signer). */
export const hotel = (stack: Stack, overrides: object = {}): Promise<TestParty> =>
  registerParty(stack, { category: 'hotel', grants: HOTEL_GRANTS, retentionDays: 30, ...overrides });

/** `POST /api/v1/rp/consents`, signed by the party; throws unless 201. */
export async function askConsent(party: TestParty, body: CreateConsentRequest = CHECK_IN) {
  const res = await party.signed('POST', '/api/v1/rp/consents', body);
  if (res.status !== 201) throw new Error(`create answered ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; requestCode: string; requestUrl: string; expiresAt: number };
}

/** `GET /api/v1/rp/consents/:id`, signed by the party. */
export const pollConsent = (party: TestParty, id: string) => party.signed('GET', `/api/v1/rp/consents/${id}`);

/** A resident's `POST` on their consent (`open` takes the code; the others the id). */
export const residentPost = (stack: Stack, r: Pick<CallResident, 'token'>, path: string, body: object = {}) =>
  stack.api('POST', `/api/v1/consents${path}`, { token: r.token, body });

/** A request the resident opened: the party's answer at creation and the resident's view. */
export async function openedConsent(
  stack: Stack,
  party: TestParty,
  resident: CallResident,
  body: CreateConsentRequest = CHECK_IN,
) {
  const created = await askConsent(party, body);
  const opened = await residentPost(stack, resident, '/open', { requestCode: created.requestCode });
  if (opened.status !== 200) throw new Error(`open answered ${opened.status} ${JSON.stringify(opened.body)}`);
  return { created, opened: opened.body };
}

/** A request the resident approved. */
export async function approvedConsent(
  stack: Stack,
  party: TestParty,
  resident: CallResident,
  body: CreateConsentRequest = CHECK_IN,
) {
  const { created } = await openedConsent(stack, party, resident, body);
  const approved = await residentPost(stack, resident, `/${created.id}/approve`);
  if (approved.status !== 200)
    throw new Error(`approve answered ${approved.status} ${JSON.stringify(approved.body)}`);
  return { created, approved: approved.body };
}

/** An approved consent the resident withdrew. */
export async function withdrawnConsent(stack: Stack, party: TestParty, resident: CallResident) {
  const { created } = await approvedConsent(stack, party, resident);
  const withdrawn = await residentPost(stack, resident, `/${created.id}/withdraw`);
  if (withdrawn.status !== 200)
    throw new Error(`withdraw answered ${withdrawn.status} ${JSON.stringify(withdrawn.body)}`);
  return { created, withdrawn: withdrawn.body };
}

/** The callback events the consent module enqueued for one consent (outbox topic `webhook`), by type. */
export async function callbacksOf(stack: Stack, consentId: string) {
  const events = await stack.deps.db
    .collection('outbox')
    .find({ topic: 'webhook', 'payload.data.consentId': consentId })
    .toArray();
  return events.map((e) => e.payload as { partyId: string; type: string; data: Record<string, unknown> });
}

/** The same resident signed in again: after the clock moved on by days their access token has expired. */
export async function signedInAgain(stack: Stack, r: CallResident): Promise<CallResident> {
  return { ...r, token: (await login(stack, r.userKey)).accessToken };
}

export { callResident };
