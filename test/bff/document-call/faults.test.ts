import { startStack, type Stack } from '../../helpers/stack';
import { expectError } from '../../helpers/enrollment';
import {
  approveCall,
  callResident,
  downloadCopy,
  openedCall,
  traceOf,
  windowStaff,
  type Window,
} from '../../helpers/document-call';
import { pdfScratch, pdfText } from '../../helpers/pdf';

// The licence system fails, or changes a document, in the middle of a document call.
let stack: Stack;
let window: Window;
beforeAll(async () => {
  stack = await startStack();
  window = await windowStaff(stack);
});
afterEach(() => stack.mocks.licence.setFault({ mode: 'none' }));
afterAll(() => stack.stop());

const calls = () => stack.deps.db.collection('document_calls');

it.each([
  ['down', { mode: 'down' as const }],
  ['slow', { mode: 'slow' as const, delayMs: 3000 }],
])(
  'when the licence system is %s at approval, then the answer is a retryable 503, nothing is written, and it is approvable once it is back',
  async (_, fault) => {
    const resident = await callResident(stack);
    const { created } = await openedCall(stack, window, resident);
    stack.mocks.licence.setFault(fault);
    const failed = await approveCall(stack, resident, created);
    expectError(failed, 503, 'LICENCE_SYSTEM_UNAVAILABLE');
    expect(failed.body.details).toMatchObject({ retryable: true });
    expect(Number(failed.headers.get('retry-after'))).toBeGreaterThan(0);
    const raw = await calls().findOne({ _id: created.id as never });
    expect(raw).toMatchObject({ state: 'pending' });
    for (const key of ['sealed', 'receipt', 'delivered', 'approvedAt', 'accessUntil'])
      expect([key, raw?.[key]]).toEqual([key, undefined]);
    expectError(
      await stack.api('GET', `/api/v1/document-calls/${created.id}/documents`, { token: window.token }),
      409,
      'DOCUMENT_CALL_WRONG_STATE',
    );
    const pulls = (await traceOf(stack, resident)).filter((e) => e.action === 'licence.pull');
    expect(pulls).toMatchObject([
      { result: 'failed', purpose: 'vehicle_transfer', detail: { error: 'LICENCE_SYSTEM_UNAVAILABLE' } },
    ]);

    stack.mocks.licence.setFault({ mode: 'none' });
    const approved = await approveCall(stack, resident, created);
    expect(approved.status).toBe(200);
    expect(approved.body.call.state).toBe('delivered');
    expect(
      (await stack.api('GET', `/api/v1/document-calls/${created.id}/documents`, { token: window.token }))
        .status,
    ).toBe(200);
  },
);

it('when a document is revoked at the issuer after the resident saw the request and before retrieval, then it is delivered marked revoked, never as valid', async () => {
  const resident = await callResident(stack);
  const { created } = await openedCall(stack, window, resident);
  const vehicle = stack.mocks.licence
    .documentsOf(resident.person.idNumber)
    .find((d) => d.type === 'vehicle_registration' && d.status === 'valid')!;
  stack.mocks.licence.revoke(vehicle.identifier);
  const approved = await approveCall(stack, resident, created);
  expect(approved.status).toBe(200);
  expect(approved.body.delivered).toContainEqual({
    type: 'vehicle_registration',
    identifier: vehicle.identifier,
    status: 'revoked',
  });
  const read = await stack.api('GET', `/api/v1/document-calls/${created.id}/documents`, {
    token: window.token,
  });
  const delivered = read.body.documents.find(
    (d: { identifier: string }) => d.identifier === vehicle.identifier,
  );
  expect(delivered.status).toBe('revoked');
  // The annotated copy says so too.
  const copy = await downloadCopy(stack, window, created.id, delivered.id);
  expect(copy.res.status).toBe(200);
  const scratch = pdfScratch('dc-revoked-');
  try {
    const text = await pdfText(scratch.save(copy.bytes), { layout: true });
    expect(text).toContain('已注销/吊销 revoked');
    expect(text).not.toContain('有效 valid');
  } finally {
    scratch.remove();
  }
});
