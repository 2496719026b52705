import {
  base64urlDecode,
  documentType,
  findService,
  openTrustList,
  receiptText,
  verifyReceipt,
  type TrustList,
} from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import { ed25519 } from '../../helpers/card-flow';
import { expectError } from '../../helpers/enrollment';
import {
  VEHICLE_TRANSFER,
  approveCall,
  approvedCall,
  callResident,
  openedCall,
  traceOf,
  windowStaff,
  type Window,
} from '../../helpers/document-call';

// Approval: the pull, the delivery to that request, the receipt, and what the window reads.
let stack: Stack;
let window: Window;
beforeAll(async () => {
  stack = await startStack();
  window = await windowStaff(stack);
});
afterAll(() => stack.stop());

/** The trust list as a verifier gets it: the published bytes, checked against the pinned root. */
async function trustList(): Promise<TrustList> {
  const res = await stack.api('GET', '/api/v1/trust-list');
  return openTrustList(base64urlDecode(res.body.trustList), stack.deps.keys.trustRootPublicKey(), ed25519);
}

const service = findService('vehicle_transfer')!;
const allowed = (type: string) =>
  [...service.required, ...service.optional].find((d) => d.type === type)!.fields;

it('when the resident approves, then the documents are delivered to the window with only the service fields, and the receipt verifies from its bytes alone', async () => {
  const resident = await callResident(stack);
  const { created, approved } = await approvedCall(stack, window, resident);
  expect(approved.call).toMatchObject({ id: created.id, state: 'delivered', approvedAt: expect.any(Number) });
  expect(approved.call.accessUntil).toBe(approved.call.approvedAt + 24 * 3600 * 1000);
  const held = stack.mocks.licence
    .documentsOf(resident.person.idNumber)
    .filter((d) => ['vehicle_registration', 'residence_permit'].includes(d.type));
  expect(held.length).toBeGreaterThanOrEqual(2);
  expect(approved.delivered.map((d: { identifier: string }) => d.identifier).sort()).toEqual(
    held.map((d) => d.identifier).sort(),
  );

  const read = await stack.api('GET', `/api/v1/document-calls/${created.id}/documents`, {
    token: window.token,
  });
  expect(read.status).toBe(200);
  expect(read.headers.get('cache-control')).toBe('no-store');
  for (const doc of read.body.documents) {
    // Exactly the fields the service may read of the type, and nothing else of the document.
    expect(Object.keys(doc.fields).sort()).toEqual([...allowed(doc.type)].sort());
    expect(doc.status).toBe(held.find((h) => h.identifier === doc.identifier)!.status);
  }
  const vehicle = read.body.documents.find((d: { type: string }) => d.type === 'vehicle_registration');
  expect(vehicle.fields).toMatchObject({
    holderName: resident.person.name,
    holderIdNumber: resident.person.idNumber,
  });
  expect(vehicle.fields.address).toBeUndefined();
  expect(documentType('vehicle_registration')!.fields.some((f) => f.key === 'address')).toBe(true);

  // The receipt: the same bytes for both sides, verifying against the published trust list with nothing else.
  const forWindow = await stack.api('GET', `/api/v1/document-calls/${created.id}/receipt`, {
    token: window.token,
  });
  const forResident = await stack.api('GET', `/api/v1/document-calls/${created.id}/receipt`, {
    token: resident.token,
  });
  expect(forWindow.status).toBe(200);
  expect(forResident.body.receipt).toBe(forWindow.body.receipt);
  expect(approved.receipt.receipt).toBe(forWindow.body.receipt);
  const verified = verifyReceipt(base64urlDecode(forWindow.body.receipt), await trustList(), ed25519);
  expect(verified.ok).toBe(true);
  if (!verified.ok) return;
  expect(verified.receipt).toMatchObject({
    window: { id: window.window.id, name: window.window.name, organisation: window.org },
    staff: { id: window.staffId, displayName: window.displayName },
    service: 'vehicle_transfer',
    purpose: VEHICLE_TRANSFER.purpose,
    approvedAt: approved.call.approvedAt,
    accessUntil: approved.call.accessUntil,
  });
  expect(verified.receipt.documents.map((d) => d.identifier).sort()).toEqual(
    held.map((d) => d.identifier).sort(),
  );
  expect(forWindow.body.text).toBe(receiptText(verified.receipt));
  // One changed byte and it no longer verifies.
  const bytes = base64urlDecode(forWindow.body.receipt);
  bytes[bytes.length - 1] ^= 1;
  expect(verifyReceipt(bytes, await trustList(), ed25519)).toEqual({ ok: false, reason: 'bad_signature' });
});

it('when the resident approves twice, then the second answer is the same receipt and nothing is pulled again', async () => {
  const resident = await callResident(stack);
  const { created, approved } = await approvedCall(stack, window, resident);
  const again = await approveCall(stack, resident, created);
  expect(again.status).toBe(200);
  expect(again.body.receipt.receipt).toBe(approved.receipt.receipt);
  expect(again.body.call.approvedAt).toBe(approved.call.approvedAt);
  const [first, second] = await Promise.all([
    approveCall(stack, resident, created),
    approveCall(stack, resident, created),
  ]);
  expect([first.body.receipt.receipt, second.body.receipt.receipt]).toEqual([
    approved.receipt.receipt,
    approved.receipt.receipt,
  ]);
  const trace = await traceOf(stack, resident);
  expect(trace.filter((e) => e.action === 'licence.pull')).toHaveLength(1);
  expect(trace.filter((e) => e.action === 'document_call.approved')).toHaveLength(1);
});

it('when two approvals of a new request race, then both answer the one receipt that was written', async () => {
  const resident = await callResident(stack);
  const { created } = await openedCall(stack, window, resident);
  const [a, b] = await Promise.all([
    approveCall(stack, resident, created),
    approveCall(stack, resident, created),
  ]);
  expect([a.status, b.status]).toEqual([200, 200]);
  expect(a.body.receipt.receipt).toBe(b.body.receipt.receipt);
});

it('when the resident leaves out an optional document, then only the required one is pulled, delivered and in the receipt', async () => {
  const resident = await callResident(stack);
  const { created } = await openedCall(stack, window, resident);
  const res = await approveCall(stack, resident, created, ['residence_permit']);
  expect(res.status).toBe(200);
  expect(res.body.call.omitted).toEqual(['residence_permit']);
  expect(res.body.delivered.map((d: { type: string }) => d.type)).toEqual(
    expect.arrayContaining(['vehicle_registration']),
  );
  expect(res.body.delivered.every((d: { type: string }) => d.type === 'vehicle_registration')).toBe(true);
  expect(
    res.body.receipt.view.documents.every((d: { type: string }) => d.type === 'vehicle_registration'),
  ).toBe(true);
  const read = await stack.api('GET', `/api/v1/document-calls/${created.id}/documents`, {
    token: window.token,
  });
  expect(read.body.documents.map((d: { type: string }) => d.type)).not.toContain('residence_permit');
});

it('when the resident tries to leave out a required document, then the approval is refused and the request stays pending', async () => {
  const resident = await callResident(stack);
  const { created } = await openedCall(stack, window, resident);
  const res = await approveCall(stack, resident, created, ['vehicle_registration']);
  expectError(res, 400, 'VALIDATION_FAILED');
  const state = await stack.api('GET', `/api/v1/document-calls/${created.id}`, { token: resident.token });
  expect(state.body.state).toBe('pending');
});

it('when the resident has not approved yet, then the window reads nothing (409 with the state)', async () => {
  const resident = await callResident(stack);
  const { created } = await openedCall(stack, window, resident);
  const read = await stack.api('GET', `/api/v1/document-calls/${created.id}/documents`, {
    token: window.token,
  });
  expectError(read, 409, 'DOCUMENT_CALL_WRONG_STATE');
  expect(read.body.details).toEqual({ state: 'pending' });
  const receipt = await stack.api('GET', `/api/v1/document-calls/${created.id}/receipt`, {
    token: window.token,
  });
  expectError(receipt, 409, 'DOCUMENT_CALL_WRONG_STATE');
});

it('when the delivered documents are stored, then they are sealed: no field value is in the database in clear', async () => {
  const resident = await callResident(stack);
  const { created } = await approvedCall(stack, window, resident);
  const raw = await stack.deps.db.collection('document_calls').findOne({ _id: created.id as never });
  const text = JSON.stringify(raw);
  expect(raw?.sealed).toMatch(/^v1\./);
  expect(text).not.toContain(resident.person.name);
  expect(text).not.toContain(resident.person.idNumber);
});
