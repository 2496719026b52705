import { expectError } from '../../helpers/enrollment';
import { traceOf } from '../../helpers/document-call';
import {
  askConsent,
  callResident,
  callbacksOf,
  hotel,
  openedConsent,
  pollConsent,
  residentPost,
  type TestParty,
} from '../../helpers/consent';
import { startStack, type Stack } from '../../helpers/stack';

let stack: Stack;
let party: TestParty;
beforeAll(async () => {
  stack = await startStack();
  party = await hotel(stack);
});
afterAll(() => stack.stop());

it('when the resident answers after the default 10 minutes, then CONSENT_REQUEST_EXPIRED, the state is expired and consent.expired is sent once', async () => {
  const resident = await callResident(stack);
  const { created } = await openedConsent(stack, party, resident);
  stack.clock.advance(599_000);
  expect((await pollConsent(party, created.id)).body.state).toBe('pending');
  stack.clock.advance(1_000);

  expectError(await residentPost(stack, resident, `/${created.id}/approve`), 410, 'CONSENT_REQUEST_EXPIRED');
  expectError(await residentPost(stack, resident, `/${created.id}/decline`), 410, 'CONSENT_REQUEST_EXPIRED');
  expectError(
    await residentPost(stack, resident, '/open', { requestCode: created.requestCode }),
    410,
    'CONSENT_REQUEST_EXPIRED',
  );
  const polled = await pollConsent(party, created.id);
  expect(polled.body.state).toBe('expired');
  expect(polled.body.requestCode).toBeUndefined();
  const stored = await stack.deps.db.collection('consents').findOne({ _id: created.id as never });
  expect(stored).toMatchObject({ state: 'expired' });
  // The code's secret is gone with the pending state.
  expect(stored?.sealed).toBeUndefined();
  expect((await callbacksOf(stack, created.id)).map((e) => [e.type, e.data.state])).toEqual([
    ['consent.expired', 'expired'],
  ]);
  const expiredEvents = (await traceOf(stack, resident)).filter((e) => e.action === 'consent.expired');
  expect(expiredEvents).toHaveLength(1);
  expect(expiredEvents[0]).toMatchObject({ actor: { type: 'system', id: 'consent' }, result: 'denied' });
});

it('when nobody touches an expired request, then the sweep expires it and sends consent.expired; a second sweep does nothing', async () => {
  const created = await askConsent(party, {
    purpose: 'hotel_check_in',
    scopes: ['age_over_18'],
    reason: '核验年龄',
    expiresInS: 60,
  });
  const fresh = await askConsent(party);
  stack.clock.advance(60_000);
  const first = await stack.services.consents.sweepExpired();
  expect(first.expired).toBeGreaterThanOrEqual(1);
  const stored = await stack.deps.db.collection('consents').findOne({ _id: created.id as never });
  expect(stored?.state).toBe('expired');
  expect((await callbacksOf(stack, created.id)).map((e) => e.type)).toEqual(['consent.expired']);
  // A request with time left is untouched.
  const other = await stack.deps.db.collection('consents').findOne({ _id: fresh.id as never });
  expect(other?.state).toBe('pending');
  expect(await callbacksOf(stack, fresh.id)).toEqual([]);

  expect(await stack.services.consents.sweepExpired()).toEqual({ expired: 0, failed: 0 });
  expect(await callbacksOf(stack, created.id)).toHaveLength(1);
});
