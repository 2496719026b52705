import { startStack, type Stack } from '../../helpers/stack';
import { expectError } from '../../helpers/enrollment';
import {
  VEHICLE_TRANSFER,
  approveCall,
  approvedCall,
  callResident,
  openCall,
  openedCall,
  traceOf,
  windowStaff,
} from '../../helpers/document-call';

// Time runs out: an unanswered request expires after ten minutes; a window's access ends at accessUntil,
// and the delivered documents are erased. The stack's clock is moved, so each test signs in afresh.
let stack: Stack;
beforeAll(async () => void (stack = await startStack()));
afterAll(() => stack.stop());

const MINUTE = 60_000;
const calls = () => stack.deps.db.collection('document_calls');

it('when a request is not answered within ten minutes, then it expires: approval and opening answer 410 and the trace says so', async () => {
  const window = await windowStaff(stack);
  const resident = await callResident(stack);
  const { created } = await openedCall(stack, window, resident);
  stack.clock.advance(10 * MINUTE - 1000);
  expect(
    (await stack.api('GET', `/api/v1/document-calls/${created.id}`, { token: window.token })).body.state,
  ).toBe('pending');
  stack.clock.advance(1000);
  expectError(await approveCall(stack, resident, created), 410, 'DOCUMENT_REQUEST_EXPIRED');
  expectError(await openCall(stack, resident, created.requestCode), 410, 'DOCUMENT_REQUEST_EXPIRED');
  expectError(
    await stack.api('POST', `/api/v1/document-calls/${created.id}/decline`, {
      token: resident.token,
      body: {},
    }),
    410,
    'DOCUMENT_REQUEST_EXPIRED',
  );
  const state = await stack.api('GET', `/api/v1/document-calls/${created.id}`, { token: window.token });
  expect(state.body.state).toBe('expired');
  expectError(
    await stack.api('GET', `/api/v1/document-calls/${created.id}/documents`, { token: window.token }),
    410,
    'DOCUMENT_REQUEST_EXPIRED',
  );
  const pending = await stack.api('GET', '/api/v1/document-calls/pending', { token: resident.token });
  expect(pending.body.items).toEqual([]);
  const expired = (await traceOf(stack, resident)).filter((e) => e.action === 'document_call.expired');
  expect(expired).toMatchObject([
    { actor: { type: 'system' }, result: 'denied', detail: { documentCall: created.id } },
  ]);
  expect((await traceOf(stack, resident)).some((e) => e.action === 'licence.pull')).toBe(false);
});

it('when the access time is over, then the window reads nothing (410), the documents are erased, and the receipt stays', async () => {
  const window = await windowStaff(stack);
  const resident = await callResident(stack);
  const { created, approved } = await approvedCall(stack, window, resident, {
    ...VEHICLE_TRANSFER,
    accessForMs: MINUTE,
  });
  expect(approved.call.accessUntil).toBe(approved.call.approvedAt + MINUTE);
  const read = () =>
    stack.api('GET', `/api/v1/document-calls/${created.id}/documents`, { token: window.token });
  const first = await read();
  expect(first.status).toBe(200);
  const docId = first.body.documents[0].id;
  stack.clock.set(approved.call.accessUntil - 1);
  expect((await read()).status).toBe(200);
  stack.clock.set(approved.call.accessUntil);
  const after = await read();
  expectError(after, 410, 'DOCUMENT_ACCESS_EXPIRED');
  expect(after.body.details).toMatchObject({ reason: 'expired', accessUntil: approved.call.accessUntil });
  expectError(
    await stack.api('GET', `/api/v1/document-calls/${created.id}/documents/${docId}/annotated.pdf`, {
      token: window.token,
    }),
    410,
    'DOCUMENT_ACCESS_EXPIRED',
  );
  const raw = await calls().findOne({ _id: created.id as never });
  expect(raw).toMatchObject({ state: 'access_expired', erasedAt: expect.any(Number) });
  expect(raw?.sealed).toBeUndefined();
  const receipt = await stack.api('GET', `/api/v1/document-calls/${created.id}/receipt`, {
    token: window.token,
  });
  expect(receipt.body.receipt).toBe(approved.receipt.receipt);
  expectError(
    await stack.api('POST', `/api/v1/document-calls/${created.id}/withdraw`, {
      token: resident.token,
      body: {},
    }),
    410,
    'DOCUMENT_ACCESS_EXPIRED',
  );
  const ended = (await traceOf(stack, resident)).filter((e) => e.action === 'document_call.access_expired');
  expect(ended).toMatchObject([
    { actor: { type: 'system' }, detail: { documentCall: created.id, erased: true } },
  ]);
});

it('when nobody asks again, then the sweep erases deliveries past their access and expires unanswered requests, once', async () => {
  const window = await windowStaff(stack);
  const delivered = await callResident(stack);
  const unanswered = await callResident(stack);
  const { created: a } = await approvedCall(stack, window, delivered, {
    ...VEHICLE_TRANSFER,
    accessForMs: MINUTE,
  });
  const { created: b } = await openedCall(stack, window, unanswered);
  expect((await calls().findOne({ _id: a.id as never }))?.sealed).toMatch(/^v1\./);
  stack.clock.advance(11 * MINUTE);
  const swept = await stack.services.documentCalls.sweepExpired();
  expect(swept.erased).toBeGreaterThanOrEqual(1);
  expect(swept.expired).toBeGreaterThanOrEqual(1);
  expect(await calls().findOne({ _id: a.id as never })).toMatchObject({ state: 'access_expired' });
  expect((await calls().findOne({ _id: a.id as never }))?.sealed).toBeUndefined();
  expect(await calls().findOne({ _id: b.id as never })).toMatchObject({ state: 'expired' });
  await stack.services.documentCalls.sweepExpired();
  expect(
    (await traceOf(stack, delivered)).filter((e) => e.action === 'document_call.access_expired'),
  ).toHaveLength(1);
  expect((await traceOf(stack, unanswered)).filter((e) => e.action === 'document_call.expired')).toHaveLength(
    1,
  );
});
