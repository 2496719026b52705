import { startStack, type Stack } from '../../helpers/stack';
import { expectError } from '../../helpers/enrollment';
import {
  approveCall,
  approvedCall,
  callResident,
  openedCall,
  traceOf,
  windowStaff,
  type Window,
} from '../../helpers/document-call';

// The resident's other answers: declining a request, withdrawing an approval.
let stack: Stack;
let window: Window;
beforeAll(async () => {
  stack = await startStack();
  window = await windowStaff(stack);
});
afterAll(() => stack.stop());

const step = (token: string, id: string, what: 'decline' | 'withdraw') =>
  stack.api('POST', `/api/v1/document-calls/${id}/${what}`, { token, body: {} });
const read = (id: string) =>
  stack.api('GET', `/api/v1/document-calls/${id}/documents`, { token: window.token });

it('when the resident declines, then nothing is pulled, the window reads nothing, and the request cannot be approved after', async () => {
  const resident = await callResident(stack);
  const { created } = await openedCall(stack, window, resident);
  const declined = await step(resident.token, created.id, 'decline');
  expect(declined.status).toBe(200);
  expect(declined.body.call).toMatchObject({ state: 'declined', answeredAt: expect.any(Number) });
  expect(declined.body.receipt).toBeUndefined();
  expect((await step(resident.token, created.id, 'decline')).body).toEqual(declined.body);
  const r = await read(created.id);
  expectError(r, 409, 'DOCUMENT_CALL_WRONG_STATE');
  expect(r.body.details).toEqual({ state: 'declined' });
  const approve = await approveCall(stack, resident, created);
  expectError(approve, 409, 'DOCUMENT_CALL_WRONG_STATE');
  const trace = await traceOf(stack, resident);
  expect(trace.filter((e) => e.action === 'document_call.declined')).toMatchObject([
    {
      actor: { type: 'resident' },
      result: 'denied',
      purpose: 'vehicle_transfer',
      detail: { documentCall: created.id },
    },
  ]);
  expect(trace.some((e) => e.action === 'licence.pull')).toBe(false);
  expectError(await step(resident.token, created.id, 'withdraw'), 409, 'DOCUMENT_CALL_WRONG_STATE');
});

it('when the resident withdraws an approval, then the window reads nothing more (410), the documents are erased and the receipt stays', async () => {
  const resident = await callResident(stack);
  const { created, approved } = await approvedCall(stack, window, resident);
  const first = await read(created.id);
  expect(first.status).toBe(200);
  const withdrawn = await step(resident.token, created.id, 'withdraw');
  expect(withdrawn.status).toBe(200);
  expect(withdrawn.body.call.state).toBe('withdrawn');
  expect(withdrawn.body.receipt.receipt).toBe(approved.receipt.receipt);
  const after = await read(created.id);
  expectError(after, 410, 'DOCUMENT_ACCESS_EXPIRED');
  expect(after.body.details).toEqual({ reason: 'withdrawn' });
  expectError(
    await stack.api(
      'GET',
      `/api/v1/document-calls/${created.id}/documents/${first.body.documents[0].id}/annotated.pdf`,
      {
        token: window.token,
      },
    ),
    410,
    'DOCUMENT_ACCESS_EXPIRED',
  );
  const raw = await stack.deps.db.collection('document_calls').findOne({ _id: created.id as never });
  expect(raw).toMatchObject({ state: 'withdrawn', erasedAt: expect.any(Number) });
  expect(raw?.sealed).toBeUndefined();
  // Withdrawing again, and approving again, answer the same: the approval happened and was withdrawn.
  expect((await step(resident.token, created.id, 'withdraw')).body.call.state).toBe('withdrawn');
  expect((await approveCall(stack, resident, created)).body.call.state).toBe('withdrawn');
  expect(
    (await stack.api('GET', `/api/v1/document-calls/${created.id}`, { token: window.token })).body.state,
  ).toBe('withdrawn');
  const withdrawals = (await traceOf(stack, resident)).filter((e) => e.action === 'document_call.withdrawn');
  expect(withdrawals).toMatchObject([
    { actor: { type: 'resident' }, detail: { documentCall: created.id, erased: true } },
  ]);
});

it('when the resident withdraws a request not approved yet, then it is refused; they may decline it instead', async () => {
  const resident = await callResident(stack);
  const { created } = await openedCall(stack, window, resident);
  expectError(await step(resident.token, created.id, 'withdraw'), 409, 'DOCUMENT_CALL_WRONG_STATE');
  expect((await step(resident.token, created.id, 'decline')).status).toBe(200);
});
