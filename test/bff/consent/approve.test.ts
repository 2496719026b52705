import { randomBytes } from 'node:crypto';
import { agePredicates, formatConsentCode, maskIdNumber } from '@eid/shared';
import { residentIdOf } from '../../helpers/card-flow';
import { expectError } from '../../helpers/enrollment';
import { traceOf } from '../../helpers/document-call';
import {
  approvedConsent,
  askConsent,
  callResident,
  callbacksOf,
  hotel,
  openedConsent,
  pollConsent,
  residentPost,
  type TestParty,
} from '../../helpers/consent';
import { adminCall } from '../../helpers/party';
import { startStack, type Stack } from '../../helpers/stack';

let stack: Stack;
let party: TestParty;
beforeAll(async () => {
  stack = await startStack();
  party = await hotel(stack);
});
afterAll(() => stack.stop());

it('when the resident opens a request, then they see who asks, why, exactly which fields and for how long', async () => {
  const resident = await callResident(stack);
  const { opened } = await openedConsent(stack, party, resident);
  expect(opened).toMatchObject({
    state: 'pending',
    party: {
      id: party.party.id,
      name: party.party.name,
      uscc: party.party.uscc,
      category: 'hotel',
      categoryZh: '旅馆',
      registration: party.party.registration,
    },
    purpose: { code: 'hotel_check_in', zh: '旅馆住宿登记' },
    reason: '办理入住登记',
    retentionDays: 30,
  });
  expect(opened.items).toEqual([
    {
      scope: 'name_masked_id',
      zh: '姓名和部分隐藏的身份证号',
      en: 'Name with masked ID number',
      fields: [
        { key: 'name', zh: '姓名', en: 'Name' },
        { key: 'idNumberMasked', zh: '部分隐藏的身份号码', en: 'Partly hidden ID number' },
      ],
    },
    {
      scope: 'age_over_18',
      zh: '是否年满18周岁',
      en: 'Age at least 18',
      fields: [{ key: 'ageOver18', zh: '已满18周岁', en: 'Over 18' }],
    },
  ]);
});

it('when the resident approves, then the party reads exactly the approved fields and nothing else, under its pairwise subject', async () => {
  const resident = await callResident(stack);
  const { created, approved } = await approvedConsent(stack, party, resident);
  expect(approved.state).toBe('approved');
  expect(approved.answeredAt).toBe(stack.clock.now());

  const res = await pollConsent(party, created.id);
  expect(res.status).toBe(200);
  expect(res.body.state).toBe('approved');
  // Exactly the fields of name_masked_id and age_over_18: no sex, birth date, address or full number.
  expect(res.body.claims).toEqual({
    name: resident.person.name,
    idNumberMasked: maskIdNumber(resident.person.idNumber),
    ageOver18: agePredicates(resident.person.birthDate, stack.clock.now()).ageOver18,
  });
  expect(res.body.documents).toBeUndefined();
  expect(JSON.stringify(res.body)).not.toContain(resident.person.idNumber);
  expect(JSON.stringify(res.body)).not.toContain(resident.person.birthDate);
  const residentId = residentIdOf(resident.token);
  expect(res.body.subject).toBe(stack.deps.keys.pairwiseSubject(party.party.id, residentId));
  expect(res.body.requestCode).toBeUndefined();
  // The claims are sealed at rest.
  const stored = await stack.deps.db.collection('consents').findOne({ _id: created.id as never });
  expect(JSON.stringify(stored)).not.toContain(resident.person.name);

  // The trace names the party (with its credit code), the purpose and the fields, at approval and at the read.
  const trace = await traceOf(stack, resident);
  const approve = trace.find((e) => e.action === 'consent.approve');
  expect(approve).toMatchObject({
    actor: { type: 'third_party', id: party.party.id, displayName: party.party.name, org: party.party.uscc },
    purpose: 'hotel_check_in',
    fields: ['name', 'idNumberMasked', 'ageOver18'],
    result: 'ok',
    detail: { consent: created.id },
  });
  const reads = trace.filter((e) => e.action === 'consent.read');
  expect(reads).toHaveLength(1);
  expect(reads[0]).toMatchObject({
    actor: { type: 'third_party', id: party.party.id },
    fields: ['name', 'idNumberMasked', 'ageOver18'],
  });

  // The party learns it by callback, with the subject and its reference but no personal data.
  const events = await callbacksOf(stack, created.id);
  expect(events).toEqual([
    expect.objectContaining({
      partyId: party.party.id,
      type: 'consent.approved',
      data: {
        consentId: created.id,
        state: 'approved',
        reference: 'booking-A1024',
        subject: res.body.subject,
      },
    }),
  ]);
});

it('when the resident approves twice, then the second answers the same and nothing is recorded or sent again', async () => {
  const resident = await callResident(stack);
  const { created, approved } = await approvedConsent(stack, party, resident);
  const again = await residentPost(stack, resident, `/${created.id}/approve`);
  expect(again.status).toBe(200);
  expect(again.body.answeredAt).toBe(approved.answeredAt);
  expect((await traceOf(stack, resident)).filter((e) => e.action === 'consent.approve')).toHaveLength(1);
  expect(await callbacksOf(stack, created.id)).toHaveLength(1);
  // Declining an approved consent is the wrong state.
  expectError(await residentPost(stack, resident, `/${created.id}/decline`), 409, 'CONSENT_WRONG_STATE');
});

it('when another resident opens a request someone opened first, then CONSENT_WRONG_STATE, and they cannot read or answer it', async () => {
  const first = await callResident(stack);
  const second = await callResident(stack);
  const { created } = await openedConsent(stack, party, first);
  const res = await residentPost(stack, second, '/open', { requestCode: created.requestCode });
  expectError(res, 409, 'CONSENT_WRONG_STATE');
  expectError(
    await stack.api('GET', `/api/v1/consents/${created.id}`, { token: second.token }),
    404,
    'NOT_FOUND',
  );
  expectError(await residentPost(stack, second, `/${created.id}/approve`), 404, 'NOT_FOUND');
  // The first resident still answers it.
  expect((await residentPost(stack, first, `/${created.id}/approve`)).status).toBe(200);
});

it('when a code is altered or forged, then CONSENT_REQUEST_INVALID', async () => {
  const resident = await callResident(stack);
  const created = await askConsent(party);
  // Well formed with the right id and another secret; an unknown id; not a code at all; altered case.
  const otherSecret = formatConsentCode(created.id, randomBytes(16).toString('base64url'));
  const unknownId = formatConsentCode(
    randomBytes(16).toString('base64url'),
    randomBytes(16).toString('base64url'),
  );
  for (const requestCode of [otherSecret, unknownId, 'EIDC1:nonsense', created.requestCode.toLowerCase()]) {
    const res = await residentPost(stack, resident, '/open', { requestCode });
    expectError(res, 400, 'CONSENT_REQUEST_INVALID');
  }
  // None of these bound the request to the resident.
  const stored = await stack.deps.db.collection('consents').findOne({ _id: created.id as never });
  expect(stored?.residentId).toBeUndefined();
});

it('when a resident without a verified identity approves, then CARD_NOT_ELIGIBLE and the request stays pending', async () => {
  const resident = await callResident(stack);
  const { created } = await openedConsent(stack, party, resident);
  expect((await stack.api('DELETE', '/api/v1/enrollment/consent', { token: resident.token })).status).toBe(
    200,
  );
  expectError(await residentPost(stack, resident, `/${created.id}/approve`), 409, 'CARD_NOT_ELIGIBLE');
  expect((await pollConsent(party, created.id)).body.state).toBe('pending');
});

it('when the registry suspends the party, then the resident cannot approve its pending request', async () => {
  const suspended = await hotel(stack);
  const resident = await callResident(stack);
  const { created } = await openedConsent(stack, suspended, resident);
  const patched = await adminCall(stack, 'PATCH', `/api/v1/admin/parties/${suspended.party.id}`, {
    status: 'suspended',
  });
  expect(patched.status).toBe(200);
  expectError(await residentPost(stack, resident, `/${created.id}/approve`), 403, 'PARTY_SUSPENDED');
  const stored = await stack.deps.db.collection('consents').findOne({ _id: created.id as never });
  expect(stored?.state).toBe('pending');
});
