import { randomBytes } from 'node:crypto';
import { FIXTURES } from '@eid/mock';
import { LICENCE_LINK_NOTICE } from '@eid/bff/modules/licence/link-notice';
import {
  base64urlDecode,
  beijingDateEnd,
  decodeDocumentCredential,
  decodeDocumentSecrets,
  documentType,
  documentTypes,
  licenceHolderKey,
} from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import { enroll, login } from '../../helpers/identity';
import { residentIdOf } from '../../helpers/card-flow';

// The wallet as the resident sees it: every document plainly with its status, sealed at rest, nothing in logs.
let stack: Stack;
let token: string;
let wallet: { documents: any[] };
const userKey = `u-${randomBytes(6).toString('hex')}`;
const holder = FIXTURES.pass;
const ALL_TYPES = documentTypes().map((t) => t.name);

beforeAll(async () => {
  stack = await startStack();
  ({ token } = await enroll(stack, holder, userKey));
  const res = await stack.api('POST', '/api/v1/licences/links', {
    token,
    body: { types: ALL_TYPES, consent: { accepted: true, noticeVersion: LICENCE_LINK_NOTICE.version } },
  });
  expect(res.status).toBe(200);
  wallet = res.body;
});
afterAll(() => stack.stop());

const byType = (type: string) => wallet.documents.filter((d) => d.type === type);

it('when every type is linked, then the wallet holds each of the holder’s documents with its own face, in the registry’s order', async () => {
  const seeded = stack.mocks.licence.documentsOf(holder.idNumber);
  expect(wallet.documents.map((d) => d.identifier).sort()).toEqual(seeded.map((d) => d.identifier).sort());
  // Two vehicles, so two registrations, each with its plate as the headline of its face.
  const vehicles = byType('vehicle_registration');
  expect(vehicles).toHaveLength(2);
  for (const v of vehicles) expect(v.face.plateNumber).toEqual(expect.any(String));
  const order = documentTypes().map((t) => t.name);
  const ranks = wallet.documents.map((d) => order.indexOf(d.type));
  expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  for (const d of wallet.documents) {
    const type = documentType(d.type)!;
    // The face shows only the type's face fields; the credential and secrets are the issuer's, for codes.
    const faceKeys = new Set([type.face.headline, ...type.face.rows.flat()]);
    expect(Object.keys(d.face).every((k) => faceKeys.has(k))).toBe(true);
    const credential = decodeDocumentCredential(base64urlDecode(d.credential));
    expect(credential.claims.identifier).toBe(d.identifier);
    const secrets = decodeDocumentSecrets(type, base64urlDecode(d.secrets));
    expect(secrets.values.holderName).toBe(holder.name);
    expect(d.documentNumber).toBe(secrets.values.documentNumber);
    expect(d.validUntil).toBe(secrets.values.validUntil ?? null);
  }
});

it('when documents are expired, revoked or suspended, then the wallet says so plainly', async () => {
  const statusOf = (type: string) => byType(type).map((d) => d.status);
  expect(statusOf('passport')).toEqual(['expired']);
  expect(statusOf('travel_permit_hk_macao')).toEqual(['revoked']);
  expect(statusOf('travel_permit_taiwan')).toEqual(['suspended']);
  expect(statusOf('driving_licence')).toEqual(['valid']);
  const seeded = new Map(stack.mocks.licence.documentsOf(holder.idNumber).map((d) => [d.identifier, d]));
  for (const d of wallet.documents) {
    const s = seeded.get(d.identifier)!;
    if (s.status !== 'valid') expect([d.type, d.status]).toEqual([d.type, s.status]);
  }
});

it('when the documents are read from the raw collections, then nothing personal is there in clear', async () => {
  const db = stack.deps.db.db!;
  const residentId = residentIdOf(token);
  const raw = JSON.stringify([
    await db.collection('licence_documents').find({ residentId }).toArray(),
    await db
      .collection('licence_links')
      .find({ _id: residentId as never })
      .toArray(),
  ]);
  expect(raw).toContain('"sealed":"v1.');
  const secrets: string[] = [
    holder.name,
    holder.idNumber,
    licenceHolderKey(holder.idNumber),
    ...wallet.documents.flatMap((d) => [d.identifier, d.documentNumber, d.credential.slice(0, 40)]),
    ...stack.mocks.licence.documentsOf(holder.idNumber).map((d) => d.id),
  ];
  for (const s of secrets) expect([s, raw.includes(s)]).toEqual([s, false]);
});

it('when the BFF’s log is read, then it holds no name, ID number, holder key, document number or identifier', async () => {
  await stack.api('POST', '/api/v1/licences/refresh', { token });
  await stack.api('GET', '/api/v1/licences', { token });
  const log = stack.logs.join('\n');
  expect(log).toContain('/api/v1/licences');
  for (const s of [
    holder.name,
    holder.idNumber,
    licenceHolderKey(holder.idNumber),
    ...wallet.documents.flatMap((d) => [d.identifier, d.documentNumber]),
  ]) {
    expect([s, log.includes(s)]).toEqual([s, false]);
  }
});

it('when another resident asks for the wallet, then they see only their own (none)', async () => {
  const other = await login(stack);
  const res = await stack.api('GET', '/api/v1/licences', { token: other.accessToken });
  expect(res.body).toEqual({ links: [], documents: [], pulledAt: null });
  expect((await stack.api('GET', '/api/v1/licences')).status).toBe(401);
});

it('when the clock passes a document’s last day, then the wallet shows it expired without asking the licence system', async () => {
  // The valid document that ends first (long-term ones never do).
  const licence = wallet.documents
    .filter((d) => d.status === 'valid' && d.validUntil !== null)
    .sort((a, b) => (a.validUntil < b.validUntil ? -1 : 1))[0];
  const end = beijingDateEnd(licence.validUntil)!;
  const now = stack.clock.now();
  try {
    stack.clock.set(end - 1);
    stack.mocks.licence.setFault({ mode: 'down' });
    const fresh = (await login(stack, userKey)).accessToken;
    const lastDay = await stack.api('GET', '/api/v1/licences', { token: fresh });
    expect(lastDay.body.documents.find((d: any) => d.id === licence.id).status).toBe('valid');
    stack.clock.set(end);
    const after = await stack.api('GET', '/api/v1/licences', { token: fresh });
    expect(after.body.documents.find((d: any) => d.id === licence.id).status).toBe('expired');
    // A revoked document stays revoked whatever the date.
    expect(after.body.documents.find((d: any) => d.type === 'travel_permit_hk_macao').status).toBe('revoked');
  } finally {
    stack.mocks.licence.setFault({ mode: 'none' });
    stack.clock.set(now);
  }
});
