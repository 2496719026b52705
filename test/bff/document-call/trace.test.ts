import { base64urlDecode, decodeReceipt } from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import {
  VEHICLE_TRANSFER,
  approvedCall,
  callResident,
  openedCall,
  traceOf,
  windowStaff,
} from '../../helpers/document-call';

// Every step of a document call is in the resident's usage trace, with the receipt on the approval.
let stack: Stack;
beforeAll(async () => void (stack = await startStack()));
afterAll(() => stack.stop());

it('when calls run their course, then the resident’s trace holds every step: received, approved, each pull, each read, each export, withdrawal, decline, expiry', async () => {
  const window = await windowStaff(stack, { window: { id: 'cgs-8', name: '8号窗口（机动车登记）' } });
  const resident = await callResident(stack);
  const post = (id: string, step: string) =>
    stack.api('POST', `/api/v1/document-calls/${id}/${step}`, { token: resident.token, body: {} });
  const get = (path: string) => stack.api('GET', `/api/v1/document-calls/${path}`, { token: window.token });

  // A: approved, read twice, exported, withdrawn.
  const { created: a, approved } = await approvedCall(stack, window, resident);
  const docs = (await get(`${a.id}/documents`)).body.documents;
  await get(`${a.id}/documents`);
  const vehicle = docs.find((d: { type: string }) => d.type === 'vehicle_registration');
  expect((await get(`${a.id}/documents/${vehicle.id}/annotated.pdf`)).status).toBe(200);
  expect((await post(a.id, 'withdraw')).status).toBe(200);
  // B: declined. C: left unanswered. D: approved for a minute.
  const { created: b } = await openedCall(stack, window, resident);
  expect((await post(b.id, 'decline')).status).toBe(200);
  const { created: c } = await openedCall(stack, window, resident);
  const { created: d } = await approvedCall(stack, window, resident, {
    ...VEHICLE_TRANSFER,
    accessForMs: 60_000,
  });
  stack.clock.advance(11 * 60_000);
  await stack.services.documentCalls.sweepExpired();

  const trace = (await traceOf(stack, resident)).reverse();
  const of = (id: string) =>
    trace
      .filter(
        (e) =>
          e.detail?.documentCall === id ||
          (e.action === 'licence.pull' && e.detail?.trigger === 'document_call'),
      )
      .map((e) => e.action);
  const steps = (id: string) => trace.filter((e) => e.detail?.documentCall === id).map((e) => e.action);
  expect(steps(a.id)).toEqual([
    'document_call.received',
    'document_call.approved',
    'document_call.read',
    'document_call.read',
    'document_call.export',
    'document_call.withdrawn',
  ]);
  expect(steps(b.id)).toEqual(['document_call.received', 'document_call.declined']);
  expect(steps(c.id)).toEqual(['document_call.received', 'document_call.expired']);
  expect(steps(d.id)).toEqual([
    'document_call.received',
    'document_call.approved',
    'document_call.access_expired',
  ]);
  // One pull per approval, made for the service, before the approval was recorded.
  const pulls = trace.filter((e) => e.action === 'licence.pull');
  expect(pulls).toHaveLength(2);
  expect(pulls.every((p) => p.purpose === 'vehicle_transfer' && p.detail?.trigger === 'document_call')).toBe(
    true,
  );
  expect(pulls[0]!.actor).toMatchObject({ type: 'system', id: 'document-call' });
  expect(of(a.id).indexOf('licence.pull')).toBeLessThan(of(a.id).indexOf('document_call.approved'));

  // The window as the trace names it, and what it was given.
  const reads = trace.filter((e) => e.action === 'document_call.read');
  expect(reads[0]).toMatchObject({
    actor: { type: 'staff', id: window.staffId, displayName: '8号窗口（机动车登记）', org: window.org },
    purpose: 'vehicle_transfer',
    detail: { staff: window.displayName, documents: docs.length },
  });
  expect(reads[0]!.fields).toEqual(
    expect.arrayContaining(['vehicle_registration.vin', 'residence_permit.residenceAddress']),
  );
  expect(reads[0]!.fields.some((f) => f.endsWith('.seats'))).toBe(false);

  // The approval record carries the receipt the window keeps, readable by the resident in the record's detail.
  const approval = (
    await stack.api('GET', '/api/v1/usage?limit=100', { token: resident.token })
  ).body.items.find(
    (e: { action: string; detail?: { documentCall?: string } }) =>
      e.action === 'document_call.approved' && e.detail?.documentCall === a.id,
  );
  const detail = await stack.api('GET', `/api/v1/usage/${approval.id}`, { token: resident.token });
  expect(detail.body.detail.receipt).toBe(approved.receipt.receipt);
  expect(decodeReceipt(base64urlDecode(detail.body.detail.receipt)).receipt.window.name).toBe(
    '8号窗口（机动车登记）',
  );
  expect(detail.body.actor).toMatchObject({ type: 'resident' });
});
