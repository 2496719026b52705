import { holderWithCard, type Holder } from '../../helpers/card-flow';
import { expectError } from '../../helpers/enrollment';
import { deskOf, lookUp, usageOf, type Desk } from '../../helpers/oversight';
import { startStack, type Stack } from '../../helpers/stack';

// A resident questions a staff access from its usage record; an auditor answers; the resident sees it.
let stack: Stack;
let holder: Holder;
let other: Holder;
let officer: Desk;
let auditor: Desk;
beforeAll(async () => {
  stack = await startStack();
  holder = await holderWithCard(stack);
  other = await holderWithCard(stack);
  officer = await deskOf(stack, 'officer');
  auditor = await deskOf(stack, 'auditor');
});
afterAll(() => stack.stop());

const ask = (token: string, eventId: string, text = '我没有办理任何业务，为何查询我的信息？') =>
  stack.api('POST', `/api/v1/usage/${eventId}/questions`, { token, body: { text } });

it('when a resident questions a reveal, then an auditor sees its metadata without the value, answers, and the resident sees the answer and a notice', async () => {
  const { body: found } = await lookUp(stack, officer, holder.person.idNumber);
  await stack.api('POST', `/api/v1/admin/lookups/${found.lookupId}/reveal`, {
    token: officer.token,
    body: { field: 'idNumber', reason: '与案卷核对完整号码' },
  });
  const reveal = (await usageOf(stack, holder.token)).find(
    (e) => e.action === 'staff.reveal' && e.detail.lookupId === found.lookupId,
  );
  const asked = await ask(holder.token, reveal.id);
  expect(asked.status).toBe(201);
  expect(asked.body).toMatchObject({
    status: 'open',
    access: { eventId: reveal.id, action: 'staff.reveal' },
  });
  expectError(await ask(holder.token, reveal.id), 409, 'QUESTION_ALREADY_OPEN');

  const open = await stack.api('GET', '/api/v1/admin/questions', { token: auditor.token });
  expect(open.status).toBe(200);
  const mine = open.body.items.find((q: any) => q.id === asked.body.id);
  expect(mine.access).toMatchObject({
    actor: { type: 'staff', id: officer.staffId },
    fields: ['idNumber'],
    detail: { badge: officer.badge, reason: '与案卷核对完整号码', caseNumber: '济公历刑字〔2026〕1234号' },
  });
  expect(JSON.stringify(open.body)).not.toContain(holder.person.idNumber);
  expect(JSON.stringify(open.body)).not.toContain(holder.person.name);
  expectError(await stack.api('GET', '/api/v1/admin/questions', { token: officer.token }), 403, 'FORBIDDEN');

  const answer = { text: '经核查，该查询系办理盗窃案件所需，依据充分。', finding: 'justified' };
  const answered = await stack.api('POST', `/api/v1/admin/questions/${asked.body.id}/answer`, {
    token: auditor.token,
    body: answer,
  });
  expect(answered.status).toBe(200);
  expectError(
    await stack.api('POST', `/api/v1/admin/questions/${asked.body.id}/answer`, {
      token: auditor.token,
      body: answer,
    }),
    409,
    'QUESTION_ALREADY_ANSWERED',
  );

  const seen = await stack.api('GET', '/api/v1/questions', { token: holder.token });
  expect(seen.body.items).toEqual([
    expect.objectContaining({
      id: asked.body.id,
      status: 'answered',
      answer: { at: stack.clock.now(), ...answer },
    }),
  ]);
  const notices = await stack.api('GET', '/api/v1/notices', { token: holder.token });
  expect(notices.body.items).toEqual([
    expect.objectContaining({ kind: 'question_answered', questionId: asked.body.id }),
  ]);
  expect((await stack.api('GET', '/api/v1/admin/questions', { token: auditor.token })).body.items).toEqual(
    [],
  );
});

it("when a resident questions another resident's record, then 404 NOT_FOUND; their own non-staff record, 422", async () => {
  const { body: found } = await lookUp(stack, officer, other.person.idNumber);
  const othersEvent = (await usageOf(stack, other.token)).find((e) => e.detail?.lookupId === found.lookupId);
  expectError(await ask(holder.token, othersEvent.id), 404, 'NOT_FOUND');
  const own = (await usageOf(stack, holder.token)).find((e) => e.actor.type !== 'staff');
  expectError(await ask(holder.token, own.id), 422, 'QUESTION_NOT_STAFF_ACCESS');
  expectError(await ask(holder.token, othersEvent.id, 'ab'), 400, 'VALIDATION_FAILED');
});
