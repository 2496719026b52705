import { randomBytes } from 'node:crypto';
import { FIXTURES } from '@eid/mock';
import { LICENCE_LINK_NOTICE } from '@eid/bff/modules/licence/link-notice';
import {
  base64urlDecode,
  buildAnnotatedPayload,
  buildDocumentCode,
  decodeDocumentSecrets,
  documentType,
  documentTypes,
  parseDocumentCode,
  signDocumentCode,
  type DocumentSecrets,
} from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import { enroll } from '../../helpers/identity';
import { expectError } from '../../helpers/enrollment';
import { ed25519, newDevice, proofOf, type Device } from '../../helpers/card-flow';

// The public online check of document codes and annotated copies: the verdicts, minimum disclosure, the limits.
let stack: Stack;
let token: string;
let device: Device;
let wallet: { documents: any[] };
const holder = FIXTURES.pass;

beforeAll(async () => {
  stack = await startStack({ env: { LICENCE_VERIFY_RATE_PER_MINUTE: '1000' } });
  ({ token } = await enroll(stack, holder));
  const linked = await stack.api('POST', '/api/v1/licences/links', {
    token,
    body: {
      types: documentTypes().map((t) => t.name),
      consent: { accepted: true, noticeVersion: LICENCE_LINK_NOTICE.version },
    },
  });
  expect(linked.status).toBe(200);
  wallet = linked.body;
  device = newDevice();
});
afterAll(() => stack.stop());

const docOf = (type: string) => wallet.documents.find((d) => d.type === type);
const verify = (body: unknown, headers?: Record<string, string>) =>
  stack.api('POST', '/api/v1/licences/verify', { body, headers });

/** The BFF's binding of a wallet document to the test device. */
async function bind(doc: { id: string }): Promise<Uint8Array> {
  const res = await stack.api('POST', `/api/v1/licences/${doc.id}/binding`, {
    token,
    body: { devicePublicKey: device.publicKey, deviceProof: proofOf(stack, token, device) },
  });
  expect(res.status).toBe(200);
  expect(res.body.expiresAt - res.body.issuedAt).toBe(30 * 24 * 3_600_000);
  return base64urlDecode(res.body.binding);
}

/** A document code of a wallet document for the first purpose its type discloses anything to. */
async function codeOf(type: string) {
  const doc = docOf(type);
  const docType = documentType(type)!;
  const purpose = Object.keys(docType.visibility)[0]!;
  const secrets: DocumentSecrets = decodeDocumentSecrets(docType, base64urlDecode(doc.secrets));
  const code = buildDocumentCode({
    document: base64urlDecode(doc.credential),
    secrets,
    binding: await bind(doc),
    purpose,
    deviceSecretKey: device.keys.secretKey,
    now: stack.clock.now(),
    ed25519,
  });
  return { code, doc, purpose, disclosed: docType.visibility[purpose]!, secrets };
}

it('when a valid document’s code is checked, then the answer is valid with exactly the fields the code discloses and nothing is recorded', async () => {
  const before = (await stack.api('GET', '/api/v1/usage?limit=100', { token })).body.items.length;
  const { code, doc, purpose, disclosed, secrets } = await codeOf('driving_licence');
  const res = await verify({ code });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    verdict: 'valid',
    format: 'code',
    document: {
      type: 'driving_licence',
      zh: '机动车驾驶证',
      identifier: doc.identifier,
      issuer: { uscc: expect.any(String), name: expect.stringContaining('交通管理局') },
      validUntil: doc.validUntil,
    },
    statusAgeMs: expect.any(Number),
  });
  expect(res.body.purpose ?? res.body.service).toBe(purpose);
  expect(Object.keys(res.body.fields).sort()).toEqual([...disclosed].sort());
  for (const key of disclosed) expect(res.body.fields[key]).toEqual(secrets.values[key] ?? null);
  // Nothing beyond what the code carries: no number looked up, no face, no secrets, no trace of the holder.
  const text = JSON.stringify(res.body);
  // What the code carries openly: the disclosed values and the credential's own claims (a value inside
  // one of those, such as the area code inside the ID number, says nothing more).
  const carried = JSON.stringify([res.body.document, disclosed.map((k) => secrets.values[k])]);
  for (const [key, value] of Object.entries(secrets.values)) {
    if (typeof value !== 'string' || value.length < 4 || carried.includes(value)) continue;
    expect([key, text.includes(value)]).toEqual([key, false]);
  }
  expect(Object.keys(res.body).sort()).toEqual(
    [
      'checkedAt',
      'document',
      'fields',
      'format',
      'statusAgeMs',
      'verdict',
      res.body.purpose ? 'purpose' : 'service',
    ].sort(),
  );
  expect((await stack.api('GET', '/api/v1/usage?limit=100', { token })).body.items).toHaveLength(before + 1);
});

it('when revoked, suspended and expired documents’ codes are checked, then the verdicts say so', async () => {
  expect((await verify({ code: (await codeOf('travel_permit_hk_macao')).code })).body.verdict).toBe(
    'revoked',
  );
  expect((await verify({ code: (await codeOf('travel_permit_taiwan')).code })).body.verdict).toBe(
    'suspended',
  );
  expect((await verify({ code: (await codeOf('passport')).code })).body.verdict).toBe('expired');
});

it('when a code is older than a minute, then it is expired', async () => {
  const { code } = await codeOf('residence_permit');
  stack.clock.advance(2 * 60_000);
  expect((await verify({ code })).body.verdict).toBe('expired');
});

it('when the device shows a value the issuer never signed, then the verdict is tampered and the value is not echoed', async () => {
  const { code, doc } = await codeOf('driving_licence');
  const parsed = parseDocumentCode(code);
  const values = new Map(parsed.disclosure.values);
  const [slot] = [...values.keys()];
  values.set(slot!, '伪造的值');
  const forged = signDocumentCode(
    { ...parsed, disclosure: { ...parsed.disclosure, values } },
    device.keys.secretKey,
    ed25519,
  );
  const res = await verify({ code: forged });
  expect(res.body).toMatchObject({ verdict: 'tampered', document: { identifier: doc.identifier } });
  expect(res.body.fields).toBeUndefined();
  expect(JSON.stringify(res.body)).not.toContain('伪造的值');
});

it('when an annotated copy’s payload is checked, then the answer names the annotation and the printed fields only', async () => {
  const doc = docOf('vehicle_registration');
  const type = documentType('vehicle_registration')!;
  const fields = type.visibility.vehicle_transfer!;
  const kid = stack.deps.keys.activeIssuerKid();
  const annotatedAt = stack.clock.now();
  const payload = buildAnnotatedPayload({
    document: base64urlDecode(doc.credential),
    secrets: decodeDocumentSecrets(type, base64urlDecode(doc.secrets)),
    fields,
    annotation: {
      province: stack.config.PROVINCE_CODE,
      requestId: new Uint8Array(randomBytes(16)),
      service: 'vehicle_transfer',
      purpose: '机动车转移登记',
      windowName: '车管所 窗口 2',
      organisation: '济南市公安局交通警察支队车辆管理所',
      accessUntil: annotatedAt + 86_400_000,
      annotatedAt,
    },
    kid,
    sign: (tbs) => stack.deps.keys.signAsIssuer(kid, tbs),
  });
  const res = await verify({ code: payload });
  expect(res.body).toMatchObject({
    verdict: 'valid',
    format: 'annotated',
    document: { type: 'vehicle_registration', identifier: doc.identifier },
    annotation: {
      service: 'vehicle_transfer',
      windowName: '车管所 窗口 2',
      annotatedAt: Math.floor(annotatedAt / 1000) * 1000,
    },
  });
  expect(Object.keys(res.body.fields).sort()).toEqual([...fields].sort());
});

it('when the text is no code at all, then the answer is malformed and nothing else', async () => {
  for (const code of ['hello', 'EIDD1:%%%', 'EIDA1:ABC', 'EID2:XYZ']) {
    const res = await verify({ code });
    expect([code, res.status, Object.keys(res.body).sort()]).toEqual([
      code,
      200,
      expect.arrayContaining(['checkedAt', 'verdict']),
    ]);
    expect(res.body.verdict).toBe('malformed');
    expect(res.body.document).toBeUndefined();
  }
});

it('when a verify body breaks the rules, then 400 and nothing is checked', async () => {
  for (const body of [
    {},
    { code: 'EIDD1:x', extra: 1 },
    { code: 'EIDD1:x', pdf: 'JVBERi0=' },
    { code: '' },
    { code: 'x'.repeat(8193) },
    { code: { $gt: '' } },
    { pdf: 'not base64!' },
  ]) {
    const res = await verify(body);
    expect([JSON.stringify(body).slice(0, 60), res.status, res.body.code]).toEqual([
      JSON.stringify(body).slice(0, 60),
      400,
      'VALIDATION_FAILED',
    ]);
  }
});

it('when a binding is asked with a bad proof or for a document not in the wallet, then it is refused', async () => {
  const doc = docOf('driving_licence');
  const proof = proofOf(stack, token, device, stack.clock.now() - 10 * 60_000);
  const stale = await stack.api('POST', `/api/v1/licences/${doc.id}/binding`, {
    token,
    body: { devicePublicKey: device.publicKey, deviceProof: proof },
  });
  expectError(stale, 400, 'DEVICE_KEY_INVALID');
  expect(stale.body.details.reason).toBe('clock');
  const other = newDevice();
  const wrongKey = await stack.api('POST', `/api/v1/licences/${doc.id}/binding`, {
    token,
    body: { devicePublicKey: other.publicKey, deviceProof: proofOf(stack, token, device) },
  });
  expect(wrongKey.body.details.reason).toBe('proof');
  const missing = await stack.api('POST', `/api/v1/licences/lw_${'A'.repeat(24)}/binding`, {
    token,
    body: { devicePublicKey: device.publicKey, deviceProof: proofOf(stack, token, device) },
  });
  expectError(missing, 404, 'NOT_FOUND');
  expectError(
    await stack.api('POST', '/api/v1/licences/not-an-id/binding', {
      token,
      body: { devicePublicKey: device.publicKey, deviceProof: proofOf(stack, token, device) },
    }),
    400,
    'VALIDATION_FAILED',
  );
});

it('when one address checks too often, then it is told to wait (429 with Retry-After)', async () => {
  const limited = await startStack({ mocks: stack.mocks, env: { LICENCE_VERIFY_RATE_PER_MINUTE: '3' } });
  try {
    for (let i = 0; i < 3; i += 1) {
      expect((await limited.api('POST', '/api/v1/licences/verify', { body: { code: 'hello' } })).status).toBe(
        200,
      );
    }
    const refused = await limited.api('POST', '/api/v1/licences/verify', { body: { code: 'hello' } });
    expectError(refused, 429, 'RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  } finally {
    await limited.stop();
  }
});
