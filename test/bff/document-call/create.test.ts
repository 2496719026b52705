import { hashPassword } from '@eid/bff/modules/staff/password';
import { createStaffRepository } from '@eid/bff/modules/staff/staff.repository';
import { decodeRequestCode } from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import { codeOf, holderWithCard } from '../../helpers/card-flow';
import { expectError } from '../../helpers/enrollment';
import {
  VEHICLE_TRANSFER,
  createCall,
  devStaffToken,
  openCall,
  traceOf,
  windowStaff,
  type Window,
} from '../../helpers/document-call';

// A window opens a request: only what its service allows, signed, answerable for ten minutes.
let stack: Stack;
let window: Window;
beforeAll(async () => {
  stack = await startStack();
  window = await windowStaff(stack);
});
afterAll(() => stack.stop());

it('when a window asks for what its service allows, then the request is created with a signed code and the catalogue defaults', async () => {
  const res = await createCall(stack, window, {
    service: 'marriage_registration',
    purpose: '结婚登记',
    documents: [{ type: 'household_register', fields: ['holderName', 'maritalStatus', 'address'] }],
  });
  expect(res.status).toBe(201);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.body).toMatchObject({
    id: expect.stringMatching(/^[0-9a-f]{32}$/),
    state: 'pending',
    addressed: false,
    accessForMs: 24 * 3600 * 1000,
    answerBy: res.body.createdAt + 600_000,
  });
  const { request, kid } = decodeRequestCode(res.body.requestCode);
  expect(kid).toBe(stack.deps.keys.activeIssuerKid());
  // Fields in the type's slot order, the required flag from the catalogue.
  expect(request.documents).toEqual([
    { type: 'household_register', fields: ['holderName', 'address', 'maritalStatus'], required: true },
  ]);
  expect(request).toMatchObject({
    window: { id: window.window.id, name: window.window.name, organisation: window.org },
    staff: { id: window.staffId, displayName: window.displayName },
  });
});

it.each([
  [
    'a type the service does not call',
    { ...VEHICLE_TRANSFER, documents: [{ type: 'passport' }] },
    'vehicle_transfer does not call passport',
  ],
  [
    'a field the service may not read',
    { ...VEHICLE_TRANSFER, documents: [{ type: 'residence_permit', fields: ['holderName', 'signUpDate'] }] },
    'vehicle_transfer may not read residence_permit.signUpDate',
  ],
  [
    'a field the type does not have',
    { ...VEHICLE_TRANSFER, documents: [{ type: 'vehicle_registration', fields: ['bloodType'] }] },
    'vehicle_transfer may not read vehicle_registration.bloodType',
  ],
  [
    'longer access than the service allows',
    { ...VEHICLE_TRANSFER, accessForMs: 2 * 24 * 3600 * 1000 },
    expect.stringContaining('exceeds'),
  ],
])('when a window asks for %s, then the request is refused at creation', async (_, body, problem) => {
  const calls = stack.deps.db.collection('document_calls');
  const before = await calls.countDocuments({ staffId: window.staffId });
  const res = await createCall(stack, window, body);
  expectError(res, 400, 'DOCUMENT_CALL_OVERREACH');
  expect(res.body.details.problems).toContainEqual(problem);
  expect(await calls.countDocuments({ staffId: window.staffId })).toBe(before);
});

it('when a window names a service outside the catalogue or a malformed body, then it is refused', async () => {
  expectError(
    await createCall(stack, window, { ...VEHICLE_TRANSFER, service: 'tax_return' }),
    400,
    'DOCUMENT_SERVICE_UNKNOWN',
  );
  expectError(
    await createCall(stack, window, { ...VEHICLE_TRANSFER, purpose: ' 前后空格 ' }),
    400,
    'VALIDATION_FAILED',
  );
  expectError(
    await createCall(stack, window, {
      ...VEHICLE_TRANSFER,
      documents: [{ type: 'vehicle_registration' }, { type: 'vehicle_registration' }],
    }),
    400,
    'VALIDATION_FAILED',
  );
  expectError(
    await createCall(stack, window, { ...VEHICLE_TRANSFER, accessForMs: 1000 }),
    400,
    'VALIDATION_FAILED',
  );
});

it('when a staff account has no window, then it may not open document calls; a resident token is not a staff token', async () => {
  await createStaffRepository(stack.deps.db).upsert({
    id: 'staff-nowindow',
    username: 'no-window',
    passwordHash: await hashPassword('pw-no-window'),
    role: 'officer',
    displayName: '核验台',
    org: '某服务大厅',
    createdAt: stack.clock.now(),
  });
  const login = await stack.api('POST', '/api/v1/staff/login', {
    body: { username: 'no-window', password: 'pw-no-window' },
  });
  expectError(await createCall(stack, { token: login.body.accessToken }), 403, 'FORBIDDEN');
  const holder = await holderWithCard(stack);
  expectError(await createCall(stack, { token: holder.token }), 401, 'TOKEN_INVALID');
});

it('when the development staff account opens a call, then its window is itself', async () => {
  const res = await createCall(stack, { token: await devStaffToken(stack) });
  expect(res.status).toBe(201);
  expect(res.body.window).toMatchObject({ id: 'dev-staff01', name: '济南市公安局历下分局 窗口 3' });
});

it("when a window addresses a request with the resident's bright code, then it is pending for them and received in their trace", async () => {
  const holder = await holderWithCard(stack);
  const res = await createCall(stack, window, {
    ...VEHICLE_TRANSFER,
    addressedTo: codeOf(stack, holder, stack.clock.now(), { purpose: null }),
  });
  expect(res.status).toBe(201);
  expect(res.body.addressed).toBe(true);
  const pending = await stack.api('GET', '/api/v1/document-calls/pending', { token: holder.token });
  expect(pending.body.items.map((c: { id: string }) => c.id)).toEqual([res.body.id]);
  const received = (await traceOf(stack, holder)).filter((e) => e.action === 'document_call.received');
  expect(received).toMatchObject([
    { actor: { type: 'staff', id: window.staffId }, detail: { addressed: true } },
  ]);
  // Opening it records no second receipt of the request.
  expect((await openCall(stack, holder, res.body.requestCode)).status).toBe(200);
  expect((await traceOf(stack, holder)).filter((e) => e.action === 'document_call.received')).toHaveLength(1);
});

it('when the bright code does not verify, then the request is not created', async () => {
  const holder = await holderWithCard(stack);
  const stale = codeOf(stack, holder, stack.clock.now() - 10 * 60 * 1000, { purpose: null });
  const res = await createCall(stack, window, { ...VEHICLE_TRANSFER, addressedTo: stale });
  expectError(res, 400, 'DOCUMENT_ADDRESSEE_INVALID');
  expect(res.body.details).toEqual({ verdict: 'expired' });
  expect(
    (await createCall(stack, window, { ...VEHICLE_TRANSFER, addressedTo: 'EID2:nonsense' })).body.details,
  ).toEqual({ verdict: 'malformed' });
});
