import {
  REQUEST_CODE_PREFIX,
  base45Decode,
  base45Encode,
  decodeRequestCode,
  requestCodeDigest,
  signRequestCode,
} from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import { ed25519 } from '../../helpers/card-flow';
import { expectError } from '../../helpers/enrollment';
import {
  approveCall,
  callResident,
  createCall,
  openCall,
  openedCall,
  traceOf,
  windowStaff,
  type Window,
} from '../../helpers/document-call';

// The resident opens a window's request code: verified against the trust list and the BFF's record.
let stack: Stack;
let window: Window;
beforeAll(async () => {
  stack = await startStack();
  window = await windowStaff(stack, { window: { id: 'cgs-3', name: '3号窗口（机动车登记）' } });
});
afterAll(() => stack.stop());

/** The code's text with one byte of its COSE_Sign1 changed (base45 decoded, flipped, encoded again). */
function altered(code: string, at: (length: number) => number): string {
  const bytes = base45Decode(code.slice(REQUEST_CODE_PREFIX.length));
  bytes[at(bytes.length)] ^= 0x01;
  return REQUEST_CODE_PREFIX + base45Encode(bytes);
}

it('when the resident opens a genuine code, then they see who is asking, verified, with the service, the documents and fields and the expiry', async () => {
  const resident = await callResident(stack);
  const created = await createCall(stack, window);
  expect(created.status).toBe(201);
  expect(created.body.requestCode).toMatch(/^EIDR1:/);
  const opened = await openCall(stack, resident, created.body.requestCode);
  expect(opened.status).toBe(200);
  expect(opened.body).toMatchObject({
    id: created.body.id,
    verified: true,
    kid: stack.deps.keys.activeIssuerKid(),
    state: 'pending',
    window: { id: 'cgs-3', name: '3号窗口（机动车登记）', organisation: window.org },
    staff: { id: window.staffId, displayName: window.displayName },
    service: { code: 'vehicle_transfer', zh: '机动车转移登记' },
    purpose: '办理机动车转移登记',
    answerBy: created.body.createdAt + 10 * 60 * 1000,
    accessForMs: 24 * 3600 * 1000,
    requestDigest: requestCodeDigest(created.body.requestCode),
  });
  const vehicle = opened.body.documents.find((d: { type: string }) => d.type === 'vehicle_registration');
  expect(vehicle).toMatchObject({ zh: '机动车行驶证', required: true });
  expect(vehicle.fields).toContainEqual({ key: 'plateNumber', zh: '号牌号码', en: expect.any(String) });
  expect(opened.body.documents.find((d: { type: string }) => d.type === 'residence_permit').required).toBe(
    false,
  );
  // What the code says is what the page shows.
  const { request } = decodeRequestCode(created.body.requestCode);
  expect(request.documents.map((d) => [d.type, [...d.fields]])).toEqual(
    opened.body.documents.map((d: { type: string; fields: { key: string }[] }) => [
      d.type,
      d.fields.map((f) => f.key),
    ]),
  );
  const received = (await traceOf(stack, resident)).find((e) => e.action === 'document_call.received');
  expect(received).toMatchObject({
    actor: { type: 'staff', id: window.staffId, displayName: '3号窗口（机动车登记）', org: window.org },
    purpose: 'vehicle_transfer',
    fields: [],
    detail: { documentCall: created.body.id },
  });
});

it('when a code is altered by one byte, then it is not genuine, and an approval naming its digest is refused', async () => {
  const resident = await callResident(stack);
  const created = await createCall(stack, window);
  const code = created.body.requestCode as string;
  // A byte of the payload (just before the 64-byte signature) and a byte of the signature.
  for (const at of [(n: number) => n - 70, (n: number) => n - 1]) {
    const res = await openCall(stack, resident, altered(code, at));
    expectError(res, 400, 'DOCUMENT_REQUEST_INVALID');
    expect(['bad_signature', 'malformed']).toContain(res.body.details.reason);
  }
  // Nobody opened the genuine one yet, so nobody may approve it: the request names no resident.
  const approve = await approveCall(stack, resident, {
    id: created.body.id,
    requestDigest: requestCodeDigest(altered(code, (n) => n - 70)),
  });
  expectError(approve, 404, 'NOT_FOUND');
  // Once the genuine code is opened, an approval must still name the genuine request's digest.
  expect((await openCall(stack, resident, code)).status).toBe(200);
  const wrong = await approveCall(stack, resident, {
    id: created.body.id,
    requestDigest: requestCodeDigest(altered(code, (n) => n - 70)),
  });
  expectError(wrong, 400, 'DOCUMENT_REQUEST_INVALID');
  expect(wrong.body.details).toEqual({ reason: 'digest_mismatch' });
  const state = await stack.api('GET', `/api/v1/document-calls/${created.body.id}`, { token: window.token });
  expect(state.body.state).toBe('pending');
});

it('when a code is forged with a key the trust list does not have, then it is refused as not genuine', async () => {
  const resident = await callResident(stack);
  const { request } = decodeRequestCode((await createCall(stack, window)).body.requestCode);
  const rogue = ed25519.keyPairFromSeed(new Uint8Array(32).fill(7));
  const sign = (tbs: Uint8Array) => ed25519.sign(rogue.secretKey, tbs);
  const asRogue = signRequestCode('rogue-1', request, sign);
  expect((await openCall(stack, resident, asRogue)).body).toMatchObject({
    code: 'DOCUMENT_REQUEST_INVALID',
    details: { reason: 'unknown_signer' },
  });
  // Under this node's key id, a signature by another key fails.
  const underOurKid = signRequestCode(stack.deps.keys.activeIssuerKid(), request, sign);
  expect((await openCall(stack, resident, underOurKid)).body).toMatchObject({
    code: 'DOCUMENT_REQUEST_INVALID',
    details: { reason: 'bad_signature' },
  });
  expect((await openCall(stack, resident, 'EIDR1:not a code')).body.details).toEqual({ reason: 'malformed' });
});

it('when a genuinely signed code says other than what the BFF recorded, then it is refused', async () => {
  const resident = await callResident(stack);
  const created = await createCall(stack, window);
  const { request } = decodeRequestCode(created.body.requestCode);
  const kid = stack.deps.keys.activeIssuerKid();
  const resigned = signRequestCode(kid, { ...request, purpose: '其他用途' }, (tbs) =>
    stack.deps.keys.signAsIssuer(kid, tbs),
  );
  expect((await openCall(stack, resident, resigned)).body).toMatchObject({
    code: 'DOCUMENT_REQUEST_INVALID',
    details: { reason: 'not_as_recorded' },
  });
  const unknown = signRequestCode(kid, { ...request, requestId: new Uint8Array(16).fill(9) }, (tbs) =>
    stack.deps.keys.signAsIssuer(kid, tbs),
  );
  expect((await openCall(stack, resident, unknown)).body.details).toEqual({ reason: 'unknown_request' });
});

it('when another resident opens a request someone already opened, then it does not exist for them', async () => {
  const first = await callResident(stack);
  const second = await callResident(stack);
  const { created } = await openedCall(stack, window, first);
  const res = await openCall(stack, second, created.requestCode);
  expectError(res, 404, 'NOT_FOUND');
  expectError(await approveCall(stack, second, created), 404, 'NOT_FOUND');
  expectError(
    await stack.api('GET', `/api/v1/document-calls/${created.id}`, { token: second.token }),
    404,
    'NOT_FOUND',
  );
  // The first resident opening it again sees it as before.
  expect((await openCall(stack, first, created.requestCode)).status).toBe(200);
});

it('when a resident opens a request, then it is in their pending list and in their own calls', async () => {
  const resident = await callResident(stack);
  const { created } = await openedCall(stack, window, resident);
  const pending = await stack.api('GET', '/api/v1/document-calls/pending', { token: resident.token });
  expect(pending.status).toBe(200);
  expect(pending.body.items.map((c: { id: string }) => c.id)).toEqual([created.id]);
  expect(pending.body.items[0].requestCode).toBe(created.requestCode);
  const mine = await stack.api('GET', '/api/v1/document-calls/mine', { token: resident.token });
  expect(mine.body.items.map((c: { id: string; state: string }) => [c.id, c.state])).toEqual([
    [created.id, 'pending'],
  ]);
});
