import { STAFF_ROLES, type StaffRole } from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import {
  codeOf,
  holderWithCard,
  issue,
  newDevice,
  offlineVerdict,
  reauthToken,
  type Holder,
} from '../../helpers/card-flow';
import { staffToken } from '../../helpers/party';
import { expectError } from '../../helpers/enrollment';

// A supervisor's card actions (issue 19 §5): suspend, revoke, restore with a reason, seen at once by the
// online verifier and the status list, and in the holder's usage trace. One stack serves the file.
let stack: Stack;
let supervisor: string;
let officer: string;
beforeAll(async () => {
  stack = await startStack();
  supervisor = await staffToken(stack, 'supervisor');
  officer = await staffToken(stack, 'officer');
});
afterAll(() => stack.stop());

const act = (token: string, cardId: string, action: string, body: object) =>
  stack.api('POST', `/api/v1/admin/cards/${cardId}/${action}`, { token, body });

/** The online verifier's verdict on a fresh code of the holder (a second later each time: no replay). */
async function onlineVerdict(holder: Holder): Promise<string> {
  stack.clock.advance(1000);
  const res = await stack.api('POST', '/api/v1/verify', {
    token: officer,
    body: { code: codeOf(stack, holder), purpose: 'hotel_check_in' },
  });
  expect(res.status).toBe(200);
  return res.body.verdict;
}

async function traceOf(holder: Holder) {
  const res = await stack.api('GET', '/api/v1/usage?limit=50', { token: holder.token });
  return res.body.items as {
    action: string;
    actor: { type: string; id: string; displayName: string };
    detail?: Record<string, string>;
  }[];
}

it('when a supervisor suspends a card, then verifiers and the status list say suspended at once, the trace names the supervisor and the reason, and the holder cannot resume it', async () => {
  const holder = await holderWithCard(stack);
  const reason = '涉嫌冒用，暂停使用待核查';
  const res = await act(supervisor, holder.card.cardId, 'suspend', { reason, caseNumber: '鲁公2026-118' });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ card: { id: holder.card.cardId, status: 'suspended', suspendedBy: 'staff' } });
  expect(await onlineVerdict(holder)).toBe('suspended');
  expect((await offlineVerdict(stack, holder)).verdict).toBe('suspended');
  // The holder's card page says whose suspension it is.
  const page = await stack.api('GET', '/api/v1/card', { token: holder.token });
  expect(page.body).toMatchObject({ status: 'suspended', suspendedBy: 'staff' });

  const event = (await traceOf(holder)).find((e) => e.action === 'card.suspend');
  expect(event).toMatchObject({
    actor: { type: 'staff' },
    detail: { by: 'staff', statedReason: reason, caseNumber: '鲁公2026-118' },
  });
  expect(event!.actor.displayName).toMatch(/^主管 /);

  // The holder's own resume, with a fresh face check, does not lift a police hold, nor does a new device.
  const resume = await stack.api('POST', '/api/v1/card/resume', {
    token: holder.token,
    body: { reauthToken: await reauthToken(stack, holder.token) },
  });
  expectError(resume, 409, 'CARD_SUSPENDED_BY_STAFF');
  expectError(await issue(stack, holder.token, holder.device), 409, 'CARD_SUSPENDED_BY_STAFF');
  const other = await issue(stack, holder.token, newDevice(), await reauthToken(stack, holder.token));
  expectError(other, 409, 'CARD_SUSPENDED_BY_STAFF');
  // Suspending it again by staff is refused; the holder's own suspend is harmless.
  expectError(await act(supervisor, holder.card.cardId, 'suspend', { reason }), 409, 'CARD_SUSPENDED');
  const own = await stack.api('POST', '/api/v1/card/suspend', { token: holder.token, body: {} });
  expect(own.body.status).toBe('suspended');
  expect(await onlineVerdict(holder)).toBe('suspended');

  const restored = await act(supervisor, holder.card.cardId, 'restore', { reason: '核查完毕，确认本人使用' });
  expect(restored.status).toBe(200);
  expect(restored.body).toEqual({ card: { id: holder.card.cardId, status: 'active' } });
  expect((await stack.api('GET', '/api/v1/card', { token: holder.token })).body.suspendedBy).toBeUndefined();
  expect(await onlineVerdict(holder)).toBe('valid');
  expect((await offlineVerdict(stack, holder)).verdict).toBe('valid');
  expect((await traceOf(holder)).find((e) => e.action === 'card.restore')).toMatchObject({
    actor: { type: 'staff' },
    detail: { by: 'staff', statedReason: '核查完毕，确认本人使用' },
  });
  expectError(
    await act(supervisor, holder.card.cardId, 'restore', { reason: '再次恢复' }),
    409,
    'CARD_NOT_SUSPENDED',
  );
});

it('when the holder suspended the card themselves, then a supervisor may take the hold over, and restore any suspension', async () => {
  const holder = await holderWithCard(stack);
  await stack.api('POST', '/api/v1/card/suspend', { token: holder.token, body: {} });
  const held = await act(supervisor, holder.card.cardId, 'suspend', { reason: '失窃手机，警方接管' });
  expect(held.body.card).toMatchObject({ status: 'suspended', suspendedBy: 'staff' });
  const resume = await stack.api('POST', '/api/v1/card/resume', {
    token: holder.token,
    body: { reauthToken: await reauthToken(stack, holder.token) },
  });
  expectError(resume, 409, 'CARD_SUSPENDED_BY_STAFF');

  const other = await holderWithCard(stack);
  await stack.api('POST', '/api/v1/card/suspend', { token: other.token, body: {} });
  const restored = await act(supervisor, other.card.cardId, 'restore', { reason: '本人到窗口申请恢复' });
  expect(restored.body.card.status).toBe('active');
  expect(await onlineVerdict(other)).toBe('valid');
});

it('when a supervisor revokes a card, then it is revoked everywhere at once, it cannot be restored (409 CARD_REVOKED), and the trace says why', async () => {
  const holder = await holderWithCard(stack);
  await act(supervisor, holder.card.cardId, 'suspend', { reason: '先行暂停' });
  const res = await act(supervisor, holder.card.cardId, 'revoke', { reason: '证件被冒用，注销电子证照' });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ card: { id: holder.card.cardId, status: 'revoked' } });
  expect(await onlineVerdict(holder)).toBe('revoked');
  expect((await offlineVerdict(stack, holder)).verdict).toBe('revoked');
  expect((await traceOf(holder)).find((e) => e.action === 'card.revoke')).toMatchObject({
    actor: { type: 'staff' },
    detail: { by: 'staff', reason: 'staff_revoked', statedReason: '证件被冒用，注销电子证照' },
  });

  const restore = await act(supervisor, holder.card.cardId, 'restore', { reason: '误操作，恢复' });
  expectError(restore, 409, 'CARD_REVOKED');
  expectError(
    await act(supervisor, holder.card.cardId, 'revoke', { reason: '再次注销' }),
    409,
    'CARD_REVOKED',
  );
  expectError(
    await act(supervisor, holder.card.cardId, 'suspend', { reason: '再次暂停' }),
    409,
    'CARD_REVOKED',
  );
});

it('when the card id is unknown or the reason too short, then 404 CARD_NOT_FOUND and 400 VALIDATION_FAILED', async () => {
  expectError(
    await act(supervisor, 'A'.repeat(22), 'suspend', { reason: '核查需要' }),
    404,
    'CARD_NOT_FOUND',
  );
  const holder = await holderWithCard(stack);
  expectError(
    await act(supervisor, holder.card.cardId, 'suspend', { reason: 'no' }),
    400,
    'VALIDATION_FAILED',
  );
  expectError(
    await act(supervisor, holder.card.cardId, 'suspend', { reason: 'x'.repeat(201) }),
    400,
    'VALIDATION_FAILED',
  );
  expectError(
    await act(supervisor, 'not-a-card', 'suspend', { reason: '核查需要' }),
    400,
    'VALIDATION_FAILED',
  );
  expect(await onlineVerdict(holder)).toBe('valid');
});

it('when any role but the supervisor acts on a card, then 403 FORBIDDEN and the card stays as it was', async () => {
  const holder = await holderWithCard(stack);
  const others = STAFF_ROLES.filter((r): r is StaffRole => r !== 'supervisor');
  for (const role of others) {
    const token = await staffToken(stack, role);
    for (const action of ['suspend', 'revoke', 'restore']) {
      expectError(await act(token, holder.card.cardId, action, { reason: '越权尝试' }), 403, 'FORBIDDEN');
    }
  }
  expectError(
    await act(holder.token, holder.card.cardId, 'suspend', { reason: '本人尝试' }),
    401,
    'TOKEN_INVALID',
  );
  expect(await onlineVerdict(holder)).toBe('valid');
});
