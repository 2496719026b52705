import { startStack, type Stack } from '../../helpers/stack';
import { expectError } from '../../helpers/enrollment';
import { residentIdOf } from '../../helpers/card-flow';
import {
  VEHICLE_TRANSFER,
  approvedCall,
  callResident,
  openedCall,
  traceOf,
  windowStaff,
  type Window,
} from '../../helpers/document-call';

// Consent withdrawal and account closure end every delivery of the resident's at once (the enrollment hook),
// instead of leaving the documents sealed at the window until accessUntil.
let stack: Stack;
let window: Window;
beforeAll(async () => {
  stack = await startStack();
  window = await windowStaff(stack);
});
afterAll(() => stack.stop());

const read = (id: string) =>
  stack.api('GET', `/api/v1/document-calls/${id}/documents`, { token: window.token });
const raw = (id: string) => stack.deps.db.collection('document_calls').findOne({ _id: id as never });
const withdrawalsOf = async (residentId: string) =>
  (await stack.deps.db.collection('usage_events').find({ residentId }).toArray()).filter(
    (e) => e.action === 'document_call.withdrawn',
  );

it('when the resident withdraws consent, then the window gets 410 for every delivered call, the sealed documents are gone and the trace says why', async () => {
  const resident = await callResident(stack);
  const { created: a, approved } = await approvedCall(stack, window, resident);
  const { created: b } = await approvedCall(stack, window, resident);
  const first = await read(a.id);
  expect(first.status).toBe(200);
  expect((await raw(a.id))?.sealed).toEqual(expect.any(String));

  const res = await stack.api('DELETE', '/api/v1/enrollment/consent', { token: resident.token });
  expect(res.status).toBe(200);

  for (const id of [a.id, b.id]) {
    const after = await read(id);
    expectError(after, 410, 'DOCUMENT_ACCESS_EXPIRED');
    expect(after.body.details).toEqual({ reason: 'withdrawn' });
    const stored = await raw(id);
    expect(stored).toMatchObject({ state: 'withdrawn', erasedAt: stack.clock.now() });
    expect(stored?.sealed).toBeUndefined();
    // What stays is the receipt and the non-personal summary.
    expect(stored?.receipt).toEqual(expect.any(String));
    expect(stored?.delivered).toEqual(expect.any(Array));
  }
  const pdf = await stack.api(
    'GET',
    `/api/v1/document-calls/${a.id}/documents/${first.body.documents[0].id}/annotated.pdf`,
    { token: window.token },
  );
  expectError(pdf, 410, 'DOCUMENT_ACCESS_EXPIRED');
  // The resident keeps their trace and their receipts: the call reads as withdrawn, by the system, with the reason.
  const mine = await stack.api('GET', `/api/v1/document-calls/${a.id}/receipt`, { token: resident.token });
  expect(mine.body.receipt).toBe(approved.receipt.receipt);
  const trace = (await traceOf(stack, resident)).filter((e) => e.action === 'document_call.withdrawn');
  expect(trace).toHaveLength(2);
  for (const e of trace) {
    expect(e).toMatchObject({
      actor: { type: 'system', id: 'document-call' },
      purpose: 'vehicle_transfer',
      detail: { erased: true, reason: 'consent_withdrawn' },
    });
  }
  expect(trace.map((e) => e.detail!.documentCall).sort()).toEqual([a.id, b.id].sort());
});

it('when the resident closes the account, then the window gets 410, the sealed documents are gone, and the kept trace records the ending', async () => {
  const resident = await callResident(stack);
  const other = await callResident(stack);
  const { created: mine } = await approvedCall(stack, window, resident);
  const { created: theirs } = await approvedCall(stack, window, other);
  const residentId = residentIdOf(resident.token);

  expect((await stack.api('DELETE', '/api/v1/account', { token: resident.token })).status).toBe(200);

  expectError(await read(mine.id), 410, 'DOCUMENT_ACCESS_EXPIRED');
  const stored = await raw(mine.id);
  expect(stored).toMatchObject({ state: 'withdrawn', residentId });
  expect(stored?.sealed).toBeUndefined();
  // The trace of a closed account stays under its pseudonymous id (docs/identity.md): the ending is in it.
  expect(await withdrawalsOf(residentId)).toMatchObject([
    {
      actor: { type: 'system' },
      detail: { documentCall: mine.id, erased: true, reason: 'account_closed' },
    },
  ]);
  // Another resident's delivery at the same window is untouched.
  expect((await read(theirs.id)).status).toBe(200);
  expect((await raw(theirs.id))?.sealed).toEqual(expect.any(String));
});

it('when the hook is delivered again, or meets calls that ended otherwise, then nothing changes and nothing is recorded twice', async () => {
  const resident = await callResident(stack);
  const residentId = residentIdOf(resident.token);
  const { created: withdrawnByHand } = await approvedCall(stack, window, resident);
  const { created: pending } = await openedCall(stack, window, resident);
  const { created: short } = await approvedCall(stack, window, resident, {
    ...VEHICLE_TRANSFER,
    accessForMs: 60_000,
  });
  const { created: open } = await approvedCall(stack, window, resident);
  const withdrawn = await stack.api('POST', `/api/v1/document-calls/${withdrawnByHand.id}/withdraw`, {
    token: resident.token,
    body: {},
  });
  expect(withdrawn.status).toBe(200);
  // The short delivery's time has run out, but no request or sweep has settled it yet.
  stack.clock.advance(2 * 60_000);

  const hook = stack.services.documentCalls.onIdentityWithdrawn;
  await hook(residentId, 'consent_withdrawn');
  await hook(residentId, 'consent_withdrawn');

  expect((await raw(open.id))?.state).toBe('withdrawn');
  // Past accessUntil it ends as an expiry, as the sweep would have ended it.
  expect((await raw(short.id))?.state).toBe('access_expired');
  expect((await raw(short.id))?.sealed).toBeUndefined();
  // A request not answered yet holds no document: it stays for the resident to answer or let expire.
  expect((await raw(pending.id))?.state).toBe('pending');
  const withdrawals = await withdrawalsOf(residentId);
  expect(withdrawals.map((e) => [e.detail.documentCall, e.actor.type]).sort()).toEqual(
    [
      [open.id, 'system'],
      [withdrawnByHand.id, 'resident'],
    ].sort(),
  );
  const expiries = (await stack.deps.db.collection('usage_events').find({ residentId }).toArray()).filter(
    (e) => e.action === 'document_call.access_expired',
  );
  expect(expiries.map((e) => e.detail.documentCall)).toEqual([short.id]);
  expect(
    await stack.deps.db
      .collection('document_calls')
      .countDocuments({ residentId, sealed: { $exists: true } }),
  ).toBe(0);
});
