import { expectError } from '../../helpers/enrollment';
import { traceOf } from '../../helpers/document-call';
import {
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

it('when the resident declines, then the party sees declined with no data and learns it by callback', async () => {
  const resident = await callResident(stack);
  const { created } = await openedConsent(stack, party, resident);
  const res = await residentPost(stack, resident, `/${created.id}/decline`);
  expect(res.status).toBe(200);
  expect(res.body.state).toBe('declined');
  const polled = await pollConsent(party, created.id);
  expect(polled.body).toMatchObject({ state: 'declined', answeredAt: stack.clock.now() });
  expect(polled.body.claims).toBeUndefined();
  expect(polled.body.subject).toBeUndefined();
  expect(polled.body.requestCode).toBeUndefined();
  expect((await callbacksOf(stack, created.id)).map((e) => [e.type, e.data.state])).toEqual([
    ['consent.declined', 'declined'],
  ]);
  expect((await traceOf(stack, resident)).find((e) => e.action === 'consent.decline')).toMatchObject({
    result: 'denied',
  });
  expectError(await residentPost(stack, resident, `/${created.id}/approve`), 409, 'CONSENT_WRONG_STATE');
  // Declining twice answers the same; nothing more is sent.
  const again = await residentPost(stack, resident, `/${created.id}/decline`);
  expect(again.body).toMatchObject({ state: 'declined', answeredAt: res.body.answeredAt });
  expect(await callbacksOf(stack, created.id)).toHaveLength(1);
});
