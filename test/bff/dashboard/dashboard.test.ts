import type { DashboardView } from '@eid/shared';
import { codeOf, holderWithCard } from '../../helpers/card-flow';
import { createCall, windowStaff } from '../../helpers/document-call';
import { consented, expectError } from '../../helpers/enrollment';
import { freshPerson, realName } from '../../helpers/identity';
import { staffToken } from '../../helpers/party';
import { startStack, type Stack } from '../../helpers/stack';

// The admin dashboard's counts (issue 19 §2): they move as things happen, and carry no personal data.
const HOUR = 3600_000;
let stack: Stack;
let supervisor: string;

beforeAll(async () => {
  stack = await startStack();
  supervisor = await staffToken(stack, 'supervisor');
});
afterAll(() => stack.stop());

async function dashboard(hours?: number, token = supervisor): Promise<DashboardView> {
  const res = await stack.api('GET', `/api/v1/admin/dashboard${hours ? `?hours=${hours}` : ''}`, { token });
  expect(res.status).toBe(200);
  return res.body as DashboardView;
}

const countOf = <T extends { count: number }>(list: T[], match: Partial<T>) =>
  list
    .filter((e) => Object.entries(match).every(([k, v]) => e[k as keyof T] === v))
    .reduce((sum, e) => sum + e.count, 0);

it('when a card is issued, a code verified, a real name refused, a document call made and a callback queued, then each count moves by one', async () => {
  const before = await dashboard();
  expect(before.hours).toBe(24);
  expect(before.verifications.byHour).toHaveLength(25);

  const holder = await holderWithCard(stack);
  const officer = await windowStaff(stack);
  const verified = await stack.api('POST', '/api/v1/verify', {
    token: officer.token,
    body: { code: codeOf(stack, holder), purpose: 'hotel_check_in' },
  });
  expect(verified.body.verdict).toBe('valid');
  const stranger = await consented(stack);
  const refused = await realName(stack, stranger.accessToken, { ...freshPerson(), name: '错名字' });
  expect(refused.status).toBeGreaterThanOrEqual(400);
  expect((await createCall(stack, officer)).status).toBe(201);
  await stack.services.outbox.enqueue({
    topic: 'webhook',
    key: `dashboard-test-${Date.now()}`,
    payload: {},
    dueAt: stack.clock.now() + 24 * HOUR,
  });

  const after = await dashboard();
  expect(after.cards.issued - before.cards.issued).toBe(1);
  expect(after.cards.active - before.cards.active).toBe(1);
  expect(after.verifications.total - before.verifications.total).toBe(1);
  expect(
    countOf(after.verifications.byPurpose, { purpose: 'hotel_check_in' }) -
      countOf(before.verifications.byPurpose, { purpose: 'hotel_check_in' }),
  ).toBe(1);
  expect(
    countOf(after.verifications.byProvince, { province: stack.config.PROVINCE_CODE }) -
      countOf(before.verifications.byProvince, { province: stack.config.PROVINCE_CODE }),
  ).toBe(1);
  const thisHour = stack.clock.now() - (stack.clock.now() % HOUR);
  expect(after.verifications.byHour.at(-1)).toEqual({ hour: thisHour, count: expect.any(Number) });
  expect(after.verifications.byHour.at(-1)!.count).toBeGreaterThanOrEqual(1);
  expect(after.enrolment.realNameAttempts - before.enrolment.realNameAttempts).toBe(2);
  expect(after.enrolment.realNameFailures - before.enrolment.realNameFailures).toBe(1);
  expect(after.enrolment.faceAttempts - before.enrolment.faceAttempts).toBe(1);
  expect(after.enrolment.faceFailures).toBe(before.enrolment.faceFailures);
  expect(after.documentCalls.created - before.documentCalls.created).toBe(1);
  expect(after.callbacks.backlog - before.callbacks.backlog).toBe(1);
  expect(after.callbacks.deadLetters).toBe(before.callbacks.deadLetters);

  // Counts only: no name, ID number, resident or staff id anywhere in the answer.
  const text = JSON.stringify(after);
  expect(text).not.toContain(holder.person.idNumber);
  expect(text).not.toContain(holder.person.name);
  expect(text).not.toContain(officer.staffId);
});

it('when the clock moves past the window, then the events leave the 24-hour counts and stay in a 48-hour one', async () => {
  const now = await dashboard();
  stack.clock.advance(25 * HOUR);
  try {
    // The first token has lapsed by now.
    const token = await staffToken(stack, 'supervisor');
    const later = await dashboard(24, token);
    expect(later.verifications.total).toBe(0);
    expect(later.enrolment.realNameAttempts).toBe(0);
    expect(later.cards.issued).toBe(0);
    // Cards in a status are counted now, not in the window.
    expect(later.cards.active).toBe(now.cards.active);
    const wider = await dashboard(48, token);
    expect(wider.verifications.total).toBe(now.verifications.total);
    expect(wider.verifications.byHour).toHaveLength(49);
  } finally {
    stack.clock.advance(-25 * HOUR);
  }
});

it('when an auditor or an administrator asks, then they are answered; an officer, a national operator or nobody is refused', async () => {
  await dashboard(24, await staffToken(stack, 'auditor'));
  await dashboard(24, await staffToken(stack, 'administrator'));
  for (const role of ['officer', 'national_operator'] as const) {
    const res = await stack.api('GET', '/api/v1/admin/dashboard', { token: await staffToken(stack, role) });
    expectError(res, 403, 'FORBIDDEN');
  }
  expectError(await stack.api('GET', '/api/v1/admin/dashboard'), 401, 'UNAUTHENTICATED');
});

it('when hours is out of 1..168 or another parameter is sent, then the answer is 400 VALIDATION_FAILED', async () => {
  for (const q of ['hours=0', 'hours=169', 'hours=abc', 'province=37']) {
    const res = await stack.api('GET', `/api/v1/admin/dashboard?${q}`, { token: supervisor });
    expectError(res, 400, 'VALIDATION_FAILED');
  }
});
