import { parseConsentCode } from '@eid/shared';
import { expectError } from '../../helpers/enrollment';
import { CHECK_IN, askConsent, hotel, pollConsent, type TestParty } from '../../helpers/consent';
import { startStack, type Stack } from '../../helpers/stack';

let stack: Stack;
let party: TestParty;
beforeAll(async () => {
  stack = await startStack();
  party = await hotel(stack);
});
afterAll(() => stack.stop());

const create = (body: object, p: TestParty = party) => p.signed('POST', '/api/v1/rp/consents', body);

it('when a party asks for scopes it is registered for, then it gets a pending request with a code, a link and the default 10 minutes', async () => {
  const before = stack.clock.now();
  const res = await create(CHECK_IN);
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({
    state: 'pending',
    purpose: 'hotel_check_in',
    scopes: ['name_masked_id', 'age_over_18'],
    reason: '办理入住登记',
    reference: 'booking-A1024',
    retentionDays: 30,
  });
  expect(res.body.expiresAt - res.body.createdAt).toBe(600_000);
  expect(res.body.createdAt).toBeGreaterThanOrEqual(before);
  const parts = parseConsentCode(res.body.requestCode);
  expect(parts?.id).toBe(res.body.id);
  expect(res.body.requestUrl).toBe(
    `${stack.config.MINIAPP_URL}/#/consent/pages/open/index?code=${encodeURIComponent(res.body.requestCode)}`,
  );
  // Nothing of the resident yet; the secret is kept only as a digest (and sealed while pending).
  expect(res.body.subject).toBeUndefined();
  expect(res.body.claims).toBeUndefined();
  const stored = await stack.deps.db.collection('consents').findOne({ _id: res.body.id });
  expect(JSON.stringify(stored)).not.toContain(parts!.secret);

  // Polling shows the same code while pending.
  const polled = await pollConsent(party, res.body.id);
  expect(polled.status).toBe(200);
  expect(polled.body.requestCode).toBe(res.body.requestCode);
});

it('when a party asks for a scope it is not registered for, then creation is refused with the scopes named', async () => {
  const res = await create({ ...CHECK_IN, scopes: ['name_masked_id', 'residence_province', 'card_face'] });
  expectError(res, 403, 'PARTY_SCOPE_NOT_REGISTERED');
  expect(res.body.details).toEqual({ scopes: ['residence_province', 'card_face'] });
  const docs = await stack.deps.db
    .collection('consents')
    .countDocuments({ partyId: party.party.id, scopes: 'card_face' });
  expect(docs).toBe(0);
});

it('when a party asks for a document type it is not registered for, then creation is refused', async () => {
  const res = await create({ ...CHECK_IN, scopes: ['document:driving_licence'] });
  expectError(res, 403, 'PARTY_SCOPE_NOT_REGISTERED');
  expect(res.body.details).toEqual({ scopes: ['document:driving_licence'] });
});

it('when a party asks under a purpose it is not registered for, then PARTY_PURPOSE_NOT_REGISTERED', async () => {
  const res = await create({ ...CHECK_IN, purpose: 'finance', scopes: ['age_over_18'] });
  expectError(res, 403, 'PARTY_PURPOSE_NOT_REGISTERED');
});

it('when the retention is longer than registered, or the answer time out of 60..3600 s, then the request is refused', async () => {
  expectError(await create({ ...CHECK_IN, retentionDays: 31 }), 400, 'VALIDATION_FAILED');
  expectError(await create({ ...CHECK_IN, expiresInS: 59 }), 400, 'VALIDATION_FAILED');
  expectError(await create({ ...CHECK_IN, expiresInS: 3601 }), 400, 'VALIDATION_FAILED');
  expectError(await create({ ...CHECK_IN, reason: '' }), 400, 'VALIDATION_FAILED');
  expectError(await create({ ...CHECK_IN, scopes: { $ne: 1 } }), 400, 'VALIDATION_FAILED');
  expectError(await create({ ...CHECK_IN, extra: true }), 400, 'VALIDATION_FAILED');
  const ok = await create({ ...CHECK_IN, retentionDays: 7, expiresInS: 60 });
  expect(ok.status).toBe(201);
  expect(ok.body.retentionDays).toBe(7);
  expect(ok.body.expiresAt - ok.body.createdAt).toBe(60_000);
});

it("when another party polls a party's consent, then it reads as one that does not exist", async () => {
  const other = await hotel(stack);
  const created = await askConsent(party);
  expectError(await pollConsent(other, created.id), 404, 'NOT_FOUND');
  expectError(await pollConsent(other, 'AAAAAAAAAAAAAAAAAAAAAA'), 404, 'NOT_FOUND');
});

it('when the request is not signed, then it is refused before anything is created', async () => {
  const res = await stack.api('POST', '/api/v1/rp/consents', { body: CHECK_IN });
  expectError(res, 401, 'SIGNATURE_MISSING');
});
