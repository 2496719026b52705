import { holderWithCard, type Holder } from '../../helpers/card-flow';
import { expectError } from '../../helpers/enrollment';
import { login } from '../../helpers/identity';
import { deskOf, lookUp, usageOf, type Desk } from '../../helpers/oversight';
import { startStack, type Stack } from '../../helpers/stack';

// A supervisor defers a lookup's disclosure for a bounded time: hidden from the resident, then shown with a notice.
let stack: Stack;
let holder: Holder;
let officer: Desk;
let supervisor: Desk;
const DAY = 24 * 3600 * 1000;
beforeAll(async () => {
  stack = await startStack();
  holder = await holderWithCard(stack);
  officer = await deskOf(stack, 'officer');
  supervisor = await deskOf(stack, 'supervisor');
});
afterAll(() => stack.stop());

const deferral = (desk: Pick<Desk, 'token'>, lookupId: string, seconds: number) =>
  stack.api('POST', `/api/v1/admin/lookups/${lookupId}/deferral`, {
    token: desk.token,
    body: { seconds, reason: '侦查期间告知将妨碍侦查' },
  });
const ofLookup = (events: any[], lookupId: string) => events.filter((e) => e.detail?.lookupId === lookupId);

it('when a supervisor defers a held lookup, then the resident sees none of its records until the period ends, then all of them and a notice', async () => {
  const found = await lookUp(stack, officer, holder.person.idNumber, { deferralRequested: true });
  expect(found.status).toBe(200);
  expect(found.body.hiddenUntil).toBe(stack.clock.now() + DAY);
  const { lookupId } = found.body;
  const reveal = await stack.api('POST', `/api/v1/admin/lookups/${lookupId}/reveal`, {
    token: officer.token,
    body: { field: 'name', reason: '与案卷核对姓名' },
  });
  expect(reveal.status).toBe(200);
  expect(ofLookup(await usageOf(stack, holder.token), lookupId)).toEqual([]);

  const deferred = await deferral(supervisor, lookupId, 7 * 24 * 3600);
  expect(deferred.status).toBe(200);
  expect(deferred.body).toEqual({ lookupId, until: stack.clock.now() + 7 * DAY, records: 3 });
  expectError(await deferral(await deskOf(stack, 'supervisor'), lookupId, 3600), 409, 'CONFLICT');

  // Past the hold (one day) the deferral still holds the records back; the resident's record list and the
  // record itself both leave them out.
  stack.clock.advance(2 * DAY);
  let resident = await login(stack, holder.userKey);
  expect(ofLookup(await usageOf(stack, resident.accessToken), lookupId)).toEqual([]);
  expect((await stack.api('GET', '/api/v1/notices', { token: resident.accessToken })).body.items).toEqual([]);

  stack.clock.advance(5 * DAY + 1000);
  resident = await login(stack, holder.userKey);
  const shown = ofLookup(await usageOf(stack, resident.accessToken), lookupId);
  expect(shown.map((e) => e.action).sort()).toEqual([
    'staff.lookup',
    'staff.lookup.deferred',
    'staff.reveal',
  ]);
  expect(shown.find((e) => e.action === 'staff.lookup.deferred')).toMatchObject({
    actor: { type: 'staff', id: supervisor.staffId },
    detail: { badge: supervisor.badge, reason: '侦查期间告知将妨碍侦查', until: deferred.body.until },
  });
  const one = await stack.api('GET', `/api/v1/usage/${shown[0].id}`, { token: resident.accessToken });
  expect(one.status).toBe(200);

  const notices = await stack.api('GET', '/api/v1/notices', { token: resident.accessToken });
  expect(notices.status).toBe(200);
  expect(notices.body.items).toEqual([
    expect.objectContaining({
      kind: 'deferred_access_shown',
      at: deferred.body.until,
      accessAt: expect.any(Number),
      title: { zh: '一次暂缓告知的查询现已显示', en: 'A deferred access to your data is now shown' },
    }),
  ]);
  // Asked again, the notice is not repeated.
  const again = await stack.api('GET', '/api/v1/notices', { token: resident.accessToken });
  expect(again.body.items).toHaveLength(1);
});

it('when the deferring supervisor made the lookup, then 403 FORBIDDEN reason self', async () => {
  const own = await deskOf(stack, 'supervisor');
  const found = await lookUp(stack, own, holder.person.idNumber, { deferralRequested: true });
  const res = await deferral(own, found.body.lookupId, 3600);
  expectError(res, 403, 'FORBIDDEN');
  expect(res.body.details).toEqual({ reason: 'self' });
});

it('when the deferral is longer than OVERSIGHT_MAX_DEFER_S, then 422 DEFERRAL_TOO_LONG', async () => {
  // Staff tokens live 15 minutes and the first test moved the clock by a week: sign in afresh.
  officer = await deskOf(stack, 'officer');
  supervisor = await deskOf(stack, 'supervisor');
  const found = await lookUp(stack, officer, holder.person.idNumber, { deferralRequested: true });
  const res = await deferral(supervisor, found.body.lookupId, stack.config.OVERSIGHT_MAX_DEFER_S + 1);
  expectError(res, 422, 'DEFERRAL_TOO_LONG');
  expect(res.body.details).toEqual({ maxSeconds: 30 * 24 * 3600 });
});

it('when the lookup was shown to the resident already, then 409 DISCLOSURE_ALREADY_SHOWN; an officer may not defer at all', async () => {
  const found = await lookUp(stack, officer, holder.person.idNumber);
  expectError(await deferral(supervisor, found.body.lookupId, 3600), 409, 'DISCLOSURE_ALREADY_SHOWN');
  expectError(await deferral(await deskOf(stack, 'officer'), found.body.lookupId, 3600), 403, 'FORBIDDEN');
});

it('when a held lookup is never deferred, then it shows once the hold ends', async () => {
  const found = await lookUp(stack, officer, holder.person.idNumber, { deferralRequested: true });
  let resident = await login(stack, holder.userKey);
  expect(ofLookup(await usageOf(stack, resident.accessToken), found.body.lookupId)).toEqual([]);
  stack.clock.advance(DAY + 1);
  resident = await login(stack, holder.userKey);
  expect(ofLookup(await usageOf(stack, resident.accessToken), found.body.lookupId)).toHaveLength(1);
});
