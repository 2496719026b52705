import { maskIdNumber } from '@eid/shared';
import { holderWithCard, type Holder } from '../../helpers/card-flow';
import { expectError } from '../../helpers/enrollment';
import { freshPerson } from '../../helpers/identity';
import { deskOf, lookUp, usageOf, type Desk } from '../../helpers/oversight';
import { staffToken } from '../../helpers/party';
import { startStack, type Stack } from '../../helpers/stack';

// Staff look a resident up by ID number (blind index only), see masked data, reveal one field on record.
let stack: Stack;
let holder: Holder;
let officer: Desk;
beforeAll(async () => {
  stack = await startStack();
  holder = await holderWithCard(stack);
  officer = await deskOf(stack, 'officer');
});
afterAll(() => stack.stop());

const masked = (name: string) => {
  const c = Array.from(name);
  return c.length === 2 ? `${c[0]}*` : c[0] + '*'.repeat(c.length - 2) + c[c.length - 1];
};

it('when an officer looks a resident up, then the answer is masked, names the card and the enrolment, and carries no portrait', async () => {
  const res = await lookUp(stack, officer, holder.person.idNumber);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.body).toEqual({
    lookupId: expect.any(String),
    revealUntil: stack.clock.now() + 600_000,
    resident: {
      name: masked(holder.person.name),
      idNumber: maskIdNumber(holder.person.idNumber),
      enrollment: 'eligible',
      card: { id: holder.card.cardId, status: 'active' },
    },
  });
  expect(res.body.resident.idNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
  const text = JSON.stringify(res.body);
  expect(text).not.toContain(holder.person.idNumber);
  expect(text).not.toMatch(/portrait/i);

  const lookup = (await usageOf(stack, holder.token)).find((e) => e.action === 'staff.lookup');
  expect(lookup).toMatchObject({
    actor: { type: 'staff', id: officer.staffId, displayName: '山东省公安厅居民身份证管理处' },
    purpose: 'staff_lookup',
    fields: ['name_masked', 'idNumber_masked', 'enrollment', 'card'],
    detail: {
      lookupId: res.body.lookupId,
      badge: officer.badge,
      reason: '核查盗窃案嫌疑人身份',
      legalBasis: 'case',
      caseNumber: '济公历刑字〔2026〕1234号',
    },
  });
});

it('when the ID number belongs to nobody enrolled, then 404 NOT_FOUND, and the attempt is kept for the audit', async () => {
  const nobody = freshPerson();
  const res = await lookUp(stack, officer, nobody.idNumber);
  expectError(res, 404, 'NOT_FOUND');
  const kept = await stack.deps.db
    .collection('oversight_lookups')
    .findOne({ staffId: officer.staffId, residentId: null });
  expect(kept).toMatchObject({ reason: '核查盗窃案嫌疑人身份' });
  expect(JSON.stringify(kept)).not.toContain(nobody.idNumber);
});

it('when an administrator or an auditor looks a resident up, then 403 FORBIDDEN', async () => {
  for (const role of ['administrator', 'auditor'] as const) {
    expectError(
      await lookUp(stack, { token: await staffToken(stack, role) }, holder.person.idNumber),
      403,
      'FORBIDDEN',
    );
  }
});

it('when a lookup has no reason, a too short one, or a case without its number, then 400 VALIDATION_FAILED', async () => {
  for (const extra of [
    { reason: 'ab' },
    { reason: 'x'.repeat(201) },
    { legalBasis: { kind: 'case' } },
    { legalBasis: { kind: 'hunch' } },
  ]) {
    expectError(await lookUp(stack, officer, holder.person.idNumber, extra), 400, 'VALIDATION_FAILED');
  }
});

it('when the officer reveals the ID number with a reason, then it is answered in full and the resident sees the reveal with badge, reason and case', async () => {
  const { body: found } = await lookUp(stack, officer, holder.person.idNumber);
  const res = await stack.api('POST', `/api/v1/admin/lookups/${found.lookupId}/reveal`, {
    token: officer.token,
    body: { field: 'idNumber', reason: '与案卷核对完整号码' },
  });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ field: 'idNumber', value: holder.person.idNumber });

  const address = await stack.api('POST', `/api/v1/admin/lookups/${found.lookupId}/reveal`, {
    token: officer.token,
    body: { field: 'address', reason: '核对住址以便送达' },
  });
  expect(address.status).toBe(200);
  expect(address.body.value).toEqual(expect.any(String));

  const reveals = (await usageOf(stack, holder.token)).filter(
    (e) => e.action === 'staff.reveal' && e.detail.lookupId === found.lookupId,
  );
  expect(reveals.map((e) => e.detail.field).sort()).toEqual(['address', 'idNumber']);
  expect(reveals.find((e) => e.detail.field === 'idNumber')).toMatchObject({
    actor: { type: 'staff', id: officer.staffId },
    fields: ['idNumber'],
    detail: { badge: officer.badge, reason: '与案卷核对完整号码', caseNumber: '济公历刑字〔2026〕1234号' },
  });
  expect(JSON.stringify(reveals)).not.toContain(holder.person.idNumber);
});

it('when another officer reveals from a lookup, then 403 FORBIDDEN not_own_lookup; after ten minutes the maker is refused too', async () => {
  const { body: found } = await lookUp(stack, officer, holder.person.idNumber);
  const other = await deskOf(stack, 'officer');
  const path = `/api/v1/admin/lookups/${found.lookupId}/reveal`;
  const body = { field: 'name', reason: '核对姓名' };
  const res = await stack.api('POST', path, { token: other.token, body });
  expectError(res, 403, 'FORBIDDEN');
  expect(res.body.details).toEqual({ reason: 'not_own_lookup' });

  stack.clock.advance(600_001);
  const late = await stack.api('POST', path, { token: officer.token, body });
  expectError(late, 410, 'LOOKUP_EXPIRED');
  expectError(
    await stack.api('POST', '/api/v1/admin/lookups/7d9c1f7e-3b53-4d0c-9d0e-3a1f5d3c2b10/reveal', {
      token: officer.token,
      body,
    }),
    404,
    'NOT_FOUND',
  );
});

it('when an oversight route gets a body with an unknown key, then 400 VALIDATION_FAILED naming it, before its path is read', async () => {
  const supervisor = await deskOf(stack, 'supervisor');
  const auditor = await deskOf(stack, 'auditor');
  for (const [path, token] of [
    ['/api/v1/admin/lookups', supervisor.token],
    ['/api/v1/admin/lookups/:id/reveal', supervisor.token],
    ['/api/v1/admin/lookups/:id/deferral', supervisor.token],
    ['/api/v1/admin/questions/:id/answer', auditor.token],
    ['/api/v1/usage/:eventId/questions', holder.token],
  ] as const) {
    const res = await stack.api('POST', path, { token, body: { unexpected: 1 } });
    expect([path, res.status, res.body.code]).toEqual([path, 400, 'VALIDATION_FAILED']);
    expect(res.body.details.issues).toEqual(
      expect.arrayContaining([{ path: '', message: expect.stringMatching(/unrecognized key/i) }]),
    );
  }
});
