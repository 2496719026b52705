import { LICENCE_LINK_NOTICE } from '@eid/bff/modules/licence/link-notice';
import { documentTypes } from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import { enroll, freshPerson } from '../../helpers/identity';
import { consented, expectError } from '../../helpers/enrollment';
import { databaseSnapshot } from '../../helpers/snapshot';
import { residentIdOf } from '../../helpers/card-flow';

// Linking document types to the wallet, with consent, and unlinking them; one stack for the file.
let stack: Stack;
beforeAll(async () => void (stack = await startStack()));
afterAll(() => stack.stop());

const consent = { accepted: true, noticeVersion: LICENCE_LINK_NOTICE.version };

async function eligible() {
  const person = freshPerson();
  const { token } = await enroll(stack, person);
  return { person, token };
}

it('when the link page asks for the types, then every registered type is listed with its face and the notice names the licence system', async () => {
  const res = await stack.api('GET', '/api/v1/licences/types');
  expect(res.status).toBe(200);
  expect(res.body.types.map((t: { name: string }) => t.name)).toEqual(documentTypes().map((t) => t.name));
  const driving = res.body.types.find((t: { name: string }) => t.name === 'driving_licence');
  expect(driving).toMatchObject({ zh: '机动车驾驶证', face: { headline: 'vehicleClass' } });
  expect(driving.fields).toEqual(
    expect.arrayContaining([{ key: 'vehicleClass', zh: '准驾车型', en: expect.any(String) }]),
  );
  expect(res.body.notice).toMatchObject({
    version: LICENCE_LINK_NOTICE.version,
    system: { zh: expect.stringContaining('电子证照') },
  });
});

it('when an eligible resident links types with consent, then their documents are pulled now and the consent and the pull are in the trace', async () => {
  const { person, token } = await eligible();
  const res = await stack.api('POST', '/api/v1/licences/links', {
    token,
    body: { types: ['driving_licence', 'passport', 'vehicle_registration'], consent },
  });
  expect(res.status).toBe(200);
  expect(res.body.links.map((l: { type: string }) => l.type)).toEqual([
    'driving_licence',
    'passport',
    'vehicle_registration',
  ]);
  const expected = stack.mocks.licence
    .documentsOf(person.idNumber)
    .filter((d) => ['driving_licence', 'passport', 'vehicle_registration'].includes(d.type));
  expect(res.body.documents.map((d: { identifier: string }) => d.identifier).sort()).toEqual(
    expected.map((d) => d.identifier).sort(),
  );
  const licence = res.body.documents.find((d: { type: string }) => d.type === 'driving_licence');
  expect(licence).toMatchObject({
    id: expect.stringMatching(/^lw_/),
    status: 'valid',
    face: { holderName: person.name, vehicleClass: expect.any(String) },
    credential: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
    secrets: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
  });
  expect(res.body.pulledAt).toBe(stack.clock.now());

  const trace = await stack.api('GET', '/api/v1/usage?limit=20', { token });
  const link = trace.body.items.find((e: { action: string }) => e.action === 'licence.link');
  expect(link).toMatchObject({
    actor: { type: 'resident' },
    purpose: 'licence_wallet',
    detail: { system: LICENCE_LINK_NOTICE.system.zh, types: 'driving_licence,passport,vehicle_registration' },
  });
  const pull = trace.body.items.find((e: { action: string }) => e.action === 'licence.pull');
  expect(pull).toMatchObject({
    actor: { type: 'system', id: 'licence-wallet' },
    result: 'ok',
    fields: expect.arrayContaining(['driving_licence', 'passport', 'vehicle_registration']),
    detail: { trigger: 'link', count: expected.length },
  });
  // Linking more types keeps the earlier ones; the wallet lists them in the registry's order.
  const more = await stack.api('POST', '/api/v1/licences/links', {
    token,
    body: { types: ['household_register'], consent },
  });
  expect(more.status).toBe(200);
  expect(more.body.links).toHaveLength(4);
  const order = documentTypes().map((t) => t.name);
  const ranks = more.body.documents.map((d: { type: string }) => order.indexOf(d.type));
  expect(ranks).toEqual([...ranks].sort((a: number, b: number) => a - b));
});

it('when the consent is missing, not accepted or for another notice, then nothing is linked or pulled', async () => {
  const { token } = await eligible();
  const before = await databaseSnapshot(stack);
  for (const body of [
    { types: ['passport'] },
    { types: ['passport'], consent: { accepted: false, noticeVersion: consent.noticeVersion } },
    { types: ['passport'], consent: { noticeVersion: consent.noticeVersion } },
  ]) {
    expectError(await stack.api('POST', '/api/v1/licences/links', { token, body }), 400, 'VALIDATION_FAILED');
  }
  const old = await stack.api('POST', '/api/v1/licences/links', {
    token,
    body: { types: ['passport'], consent: { accepted: true, noticeVersion: '2020-01-01' } },
  });
  expectError(old, 409, 'CONSENT_VERSION_MISMATCH');
  expect(old.body.details.currentVersion).toBe(LICENCE_LINK_NOTICE.version);
  expect(await databaseSnapshot(stack)).toBe(before);
});

it('when a body breaks the rules, then it is refused before anything happens', async () => {
  const { token } = await eligible();
  const before = await databaseSnapshot(stack);
  const cases: [unknown, number, string][] = [
    [{ types: ['passport'], consent, extra: 1 }, 400, 'VALIDATION_FAILED'],
    [{ types: ['passport'], consent: { ...consent, extra: 1 } }, 400, 'VALIDATION_FAILED'],
    [{ types: [], consent }, 400, 'VALIDATION_FAILED'],
    [{ types: ['passport', 'passport'], consent }, 400, 'VALIDATION_FAILED'],
    [{ types: [{ $gt: '' }], consent }, 400, 'VALIDATION_FAILED'],
    [{ types: Array.from({ length: 17 }, (_, i) => `t${i}`), consent }, 400, 'VALIDATION_FAILED'],
    [{ types: ['flying_licence'], consent }, 400, 'LICENCE_TYPE_UNKNOWN'],
  ];
  for (const [body, status, code] of cases) {
    const res = await stack.api('POST', '/api/v1/licences/links', { token, body });
    expect([JSON.stringify(body), res.status, res.body.code]).toEqual([JSON.stringify(body), status, code]);
  }
  const big = await stack.api('POST', '/api/v1/licences/links', {
    token,
    raw: JSON.stringify({ types: ['passport'], consent, pad: 'x'.repeat(stack.config.BODY_LIMIT_BYTES) }),
    headers: { 'content-type': 'application/json' },
  });
  expectError(big, 413, 'BODY_TOO_LARGE');
  expect(await databaseSnapshot(stack)).toBe(before);
});

it('when a resident has not finished enrollment, then linking answers CARD_NOT_ELIGIBLE and nothing is linked', async () => {
  const session = await consented(stack);
  const res = await stack.api('POST', '/api/v1/licences/links', {
    token: session.accessToken,
    body: { types: ['passport'], consent },
  });
  expectError(res, 409, 'CARD_NOT_ELIGIBLE');
  const wallet = await stack.api('GET', '/api/v1/licences', { token: session.accessToken });
  expect(wallet.body).toEqual({ links: [], documents: [], pulledAt: null });
});

it('when a type is unlinked, then its stored documents are deleted at once and the unlink is in the trace', async () => {
  const { token } = await eligible();
  await stack.api('POST', '/api/v1/licences/links', {
    token,
    body: { types: ['passport', 'household_register'], consent },
  });
  const res = await stack.api('DELETE', '/api/v1/licences/links/passport', { token });
  expect(res.status).toBe(200);
  expect(res.body.links.map((l: { type: string }) => l.type)).toEqual(['household_register']);
  expect(res.body.documents.every((d: { type: string }) => d.type === 'household_register')).toBe(true);
  const raw = await stack.deps.db
    .db!.collection('licence_documents')
    .find({ residentId: residentIdOf(token), type: 'passport' })
    .toArray();
  expect(raw).toEqual([]);
  const trace = await stack.api('GET', '/api/v1/usage?limit=5', { token });
  expect(trace.body.items[0]).toMatchObject({
    action: 'licence.unlink',
    detail: { type: 'passport', deleted: 1 },
  });

  expectError(
    await stack.api('DELETE', '/api/v1/licences/links/passport', { token }),
    404,
    'LICENCE_NOT_LINKED',
  );
  expectError(
    await stack.api('DELETE', '/api/v1/licences/links/flying_licence', { token }),
    400,
    'LICENCE_TYPE_UNKNOWN',
  );
  expectError(
    await stack.api('DELETE', '/api/v1/licences/links/household_register', { token, body: { type: 'x' } }),
    400,
    'VALIDATION_FAILED',
  );
});

it('when the resident withdraws enrollment consent, then the whole wallet is erased', async () => {
  const { token } = await eligible();
  await stack.api('POST', '/api/v1/licences/links', { token, body: { types: ['passport'], consent } });
  const withdrawn = await stack.api('DELETE', '/api/v1/enrollment/consent', { token });
  expect(withdrawn.status).toBe(200);
  const wallet = await stack.api('GET', '/api/v1/licences', { token });
  expect(wallet.body).toEqual({ links: [], documents: [], pulledAt: null });
});
