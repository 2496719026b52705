import { residentIdOf } from '../../helpers/card-flow';
import {
  approvedConsent,
  callResident,
  callbacksOf,
  hotel,
  openedConsent,
  pollConsent,
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

const eventsOf = async (residentId: string, action: string) =>
  await stack.deps.db.collection('usage_events').find({ residentId, action }).toArray();

it('when the resident withdraws consent to the notice, then every live consent is withdrawn and each party asked to delete', async () => {
  const resident = await callResident(stack);
  const { created: a } = await approvedConsent(stack, party, resident);
  const { created: b } = await approvedConsent(stack, party, resident);
  const { created: pending } = await openedConsent(stack, party, resident);
  const other = await callResident(stack);
  const { created: theirs } = await approvedConsent(stack, party, other);

  expect((await stack.api('DELETE', '/api/v1/enrollment/consent', { token: resident.token })).status).toBe(
    200,
  );

  for (const id of [a.id, b.id]) {
    const polled = await pollConsent(party, id);
    expect(polled.body).toMatchObject({ state: 'withdrawn', deletion: { state: 'pending' } });
    expect(polled.body.claims).toBeUndefined();
    expect((await callbacksOf(stack, id)).map((e) => e.type)).toEqual([
      'consent.approved',
      'consent.withdrawn',
      'deletion.requested',
    ]);
  }
  // A pending request holds nothing: left to expire. Another resident's consent is untouched.
  expect((await pollConsent(party, pending.id)).body.state).toBe('pending');
  expect((await pollConsent(party, theirs.id)).body.state).toBe('approved');

  const withdrawals = await eventsOf(residentIdOf(resident.token), 'consent.withdraw');
  expect(withdrawals).toHaveLength(2);
  for (const e of withdrawals) {
    expect(e).toMatchObject({
      actor: { type: 'system', id: 'consent' },
      detail: { reason: 'consent_withdrawn' },
    });
  }
});

it('when the account is closed and the hook runs again, then the consents end once', async () => {
  const resident = await callResident(stack);
  const residentId = residentIdOf(resident.token);
  const { created } = await approvedConsent(stack, party, resident);
  expect((await stack.api('DELETE', '/api/v1/account', { token: resident.token })).status).toBe(200);
  expect((await pollConsent(party, created.id)).body.state).toBe('withdrawn');
  // The hook delivered again (after a crash, say) finds nothing left to end.
  await stack.services.consents.onIdentityWithdrawn(residentId, 'account_closed');
  expect(await eventsOf(residentId, 'consent.withdraw')).toHaveLength(1);
  expect(await callbacksOf(stack, created.id)).toHaveLength(3);
});
