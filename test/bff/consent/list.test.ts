import { expectError } from '../../helpers/enrollment';
import {
  CHECK_IN,
  approvedConsent,
  callResident,
  hotel,
  openedConsent,
  pollConsent,
  residentPost,
  type TestParty,
} from '../../helpers/consent';
import { startStack, type Stack } from '../../helpers/stack';

let stack: Stack;
let party: TestParty;
let bank: TestParty;
beforeAll(async () => {
  stack = await startStack();
  party = await hotel(stack);
  bank = await hotel(stack, {
    name: '测试银行',
    category: 'bank',
    grants: [{ purpose: 'finance', scopes: ['age_over_18'] }],
  });
});
afterAll(() => stack.stop());

const parties = (token: string) => stack.api('GET', '/api/v1/parties', { token });

it('when the resident lists their parties, then each party holding a consent shows what it got, when, its last use and the state', async () => {
  const resident = await callResident(stack);
  const { created: stay } = await approvedConsent(stack, party, resident);
  const approvedAt = stack.clock.now();
  stack.clock.advance(60_000);
  await pollConsent(party, stay.id);
  const usedAt = stack.clock.now();
  const { created: account } = await approvedConsent(stack, bank, resident, {
    purpose: 'finance',
    scopes: ['age_over_18'],
    reason: '开户年龄核验',
  });
  await residentPost(stack, resident, `/${account.id}/withdraw`);
  // Pending and declined requests are no relationship: not listed.
  await openedConsent(stack, party, resident);
  const { created: declined } = await openedConsent(stack, party, resident);
  await residentPost(stack, resident, `/${declined.id}/decline`);

  const res = await parties(resident.token);
  expect(res.status).toBe(200);
  const byName = new Map(res.body.parties.map((p: { party: { name: string } }) => [p.party.name, p]));
  expect(res.body.parties).toHaveLength(2);
  const hotelEntry = byName.get(party.party.name) as any;
  expect(hotelEntry.party).toEqual({
    id: party.party.id,
    name: party.party.name,
    uscc: party.party.uscc,
    category: 'hotel',
    categoryZh: '旅馆',
    categoryEn: 'Hotel',
  });
  expect(hotelEntry.consents).toHaveLength(1);
  expect(hotelEntry.consents[0]).toMatchObject({
    id: stay.id,
    state: 'approved',
    answeredAt: approvedAt,
    lastUsedAt: usedAt,
    purpose: { code: 'hotel_check_in' },
    retentionDays: 30,
  });
  expect(hotelEntry.consents[0].items.map((i: { scope: string }) => i.scope)).toEqual(CHECK_IN.scopes);
  const bankEntry = byName.get('测试银行') as any;
  expect(bankEntry.party.category).toBe('bank');
  expect(bankEntry.consents[0]).toMatchObject({
    id: account.id,
    state: 'withdrawn',
    deletion: { state: 'pending' },
  });
  expect(bankEntry.consents[0].lastUsedAt).toBeUndefined();

  // Another resident sees none of it.
  const other = await callResident(stack);
  expect((await parties(other.token)).body).toEqual({ parties: [] });
  expectError(
    await stack.api('GET', `/api/v1/consents/${stay.id}`, { token: other.token }),
    404,
    'NOT_FOUND',
  );
  expectError(await stack.api('GET', '/api/v1/parties'), 401, 'UNAUTHENTICATED');
});
