import { residentIdOf } from '../../helpers/card-flow';
import { approvedConsent, callResident, hotel, residentPost, type TestParty } from '../../helpers/consent';
import { startStack, type Stack } from '../../helpers/stack';

// The lookup the relying-party verify reads (consent.types.ts ConsentLookup).
let stack: Stack;
let party: TestParty;
beforeAll(async () => {
  stack = await startStack();
  party = await hotel(stack);
});
afterAll(() => stack.stop());

it('when a consent is approved, then it is the live one for (party, resident, purpose) until withdrawn, and touch sets its last use', async () => {
  const { consents } = stack.services;
  const resident = await callResident(stack);
  const residentId = residentIdOf(resident.token);
  expect(await consents.liveConsent(party.party.id, residentId, 'hotel_check_in')).toBeUndefined();
  const { created } = await approvedConsent(stack, party, resident);
  expect(await consents.liveConsent(party.party.id, residentId, 'hotel_check_in')).toEqual({
    id: created.id,
    scopes: ['name_masked_id', 'age_over_18'],
  });
  // Another purpose, another party: none.
  expect(await consents.liveConsent(party.party.id, residentId, 'finance')).toBeUndefined();
  expect(await consents.liveConsent('rp_someoneelse0000', residentId, 'hotel_check_in')).toBeUndefined();

  const at = stack.clock.now() + 5_000;
  await consents.touch(created.id, at);
  await consents.touch(created.id, at - 1_000);
  const view = await stack.api('GET', `/api/v1/consents/${created.id}`, { token: resident.token });
  expect(view.body.lastUsedAt).toBe(at);

  await residentPost(stack, resident, `/${created.id}/withdraw`);
  expect(await consents.liveConsent(party.party.id, residentId, 'hotel_check_in')).toBeUndefined();
});
