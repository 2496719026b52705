import { LICENCE_LINK_NOTICE } from '@eid/bff/modules/licence/link-notice';
import { startBackgroundWork } from '@eid/bff/background';
import { createServices } from '@eid/bff/app';
import {
  createLicenceClient,
  licenceUnavailable,
  type LicenceSystemClient,
} from '@eid/bff/modules/licence/licence-client';
import { startStack, type Stack } from '../../helpers/stack';
import { enroll, freshPerson } from '../../helpers/identity';
import { expectError } from '../../helpers/enrollment';
import { residentIdOf } from '../../helpers/card-flow';

// Keeping the wallet current: explicit refresh with ETag, the change feed, and the licence system failing.
let stack: Stack;
beforeAll(async () => void (stack = await startStack()));
afterAll(() => stack.stop());
afterEach(() => stack.mocks.licence.setFault({ mode: 'none' }));

const consent = { accepted: true, noticeVersion: LICENCE_LINK_NOTICE.version };

/** A fresh eligible resident with `types` linked; their wallet and the stand-in's view of their documents. */
async function linked(types: string[], s: Stack = stack) {
  const person = holderOf(s, types);
  const { token } = await enroll(s, person);
  const res = await s.api('POST', '/api/v1/licences/links', { token, body: { types, consent } });
  expect(res.status).toBe(200);
  const seeded = (type: string) => s.mocks.licence.documentsOf(person.idNumber).find((d) => d.type === type)!;
  return { person, token, wallet: res.body, seeded };
}

/** A fresh seeded resident who holds a document of each of `types` (minors have no driving licence). */
function holderOf(s: Stack, types: string[]) {
  for (;;) {
    const person = freshPerson();
    const held = new Set(s.mocks.licence.documentsOf(person.idNumber).map((d) => d.type));
    if (types.every((t) => held.has(t))) return person;
  }
}

const docOf = (wallet: { documents: any[] }, type: string) => wallet.documents.find((d) => d.type === type);
const rawDocuments = (s: Stack, token: string) =>
  s.deps.db
    .db!.collection('licence_documents')
    .find({ residentId: residentIdOf(token) })
    .sort({ _id: 1 })
    .toArray();
const pulls = async (token: string) =>
  (await stack.api('GET', '/api/v1/usage?limit=50', { token })).body.items.filter(
    (e: { action: string }) => e.action === 'licence.pull',
  );

it('when nothing changed at the issuer, then a refresh costs a 304 and says changed: false', async () => {
  const { token, wallet } = await linked(['driving_licence']);
  const res = await stack.api('POST', '/api/v1/licences/refresh', { token });
  expect(res.status).toBe(200);
  expect(res.body.changed).toBe(false);
  expect(res.body.documents).toEqual(wallet.documents);
  expect((await pulls(token))[0]).toMatchObject({
    detail: { trigger: 'refresh', notModified: true, count: 0 },
  });
});

it('when the issuer renews a document, then an explicit refresh shows the new version and keeps its wallet id', async () => {
  const { token, wallet, seeded } = await linked(['driving_licence']);
  const before = docOf(wallet, 'driving_licence');
  const renewed = stack.mocks.licence.renew(seeded('driving_licence').identifier);
  expect(renewed.changed).toBe(true);
  const res = await stack.api('POST', '/api/v1/licences/refresh', { token });
  expect(res.status).toBe(200);
  expect(res.body.changed).toBe(true);
  const after = docOf(res.body, 'driving_licence');
  expect(after).toMatchObject({ id: before.id, identifier: renewed.identifier, status: 'valid' });
  expect(after.identifier).not.toBe(before.identifier);
  expect(after.credential).not.toBe(before.credential);
  expect((await pulls(token))[0]).toMatchObject({
    result: 'ok',
    fields: ['driving_licence'],
    detail: { trigger: 'refresh', count: 1 },
  });
});

it('when the issuer revokes a document, then the explicit refresh shows it revoked', async () => {
  const { token, seeded } = await linked(['residence_permit']);
  stack.mocks.licence.revoke(seeded('residence_permit').identifier);
  const res = await stack.api('POST', '/api/v1/licences/refresh', { token });
  expect(docOf(res.body, 'residence_permit').status).toBe('revoked');
});

it('when the change feed reports a revocation, a suspension and a renewal, then the wallets it names are pulled again', async () => {
  const a = await linked(['driving_licence', 'vehicle_registration']);
  const b = await linked(['residence_permit']);
  await stack.services.licence.refreshFromChanges();
  stack.mocks.licence.revoke(a.seeded('driving_licence').identifier);
  stack.mocks.licence.suspend(b.seeded('residence_permit').identifier);
  const renewed = stack.mocks.licence.renew(a.seeded('vehicle_registration').identifier);
  const result = await stack.services.licence.refreshFromChanges();
  expect(result).toMatchObject({ changes: 3, refreshed: 2, failed: 0, skipped: false });
  const walletA = (await stack.api('GET', '/api/v1/licences', { token: a.token })).body;
  expect(docOf(walletA, 'driving_licence').status).toBe('revoked');
  expect(docOf(walletA, 'vehicle_registration').identifier).toBe(renewed.identifier);
  const walletB = (await stack.api('GET', '/api/v1/licences', { token: b.token })).body;
  expect(docOf(walletB, 'residence_permit').status).toBe('suspended');
  expect((await pulls(b.token))[0]).toMatchObject({
    actor: { type: 'system', id: 'licence-refresh' },
    detail: { trigger: 'change_feed', count: 1 },
  });
  // Read to the end: the next run has nothing to do.
  expect(await stack.services.licence.refreshFromChanges()).toMatchObject({ changes: 0, refreshed: 0 });
});

it('when the licence system is down, then refresh is 503 with Retry-After, nothing stored changes, and it works once the system is back', async () => {
  const { token, wallet, seeded } = await linked(['driving_licence', 'passport']);
  const stored = await rawDocuments(stack, token);
  stack.mocks.licence.setFault({ mode: 'down' });
  const res = await stack.api('POST', '/api/v1/licences/refresh', { token });
  expectError(res, 503, 'LICENCE_SYSTEM_UNAVAILABLE');
  expect(res.body.details).toEqual({ retryable: true, retryAfterS: 5 });
  expect(res.headers.get('retry-after')).toBe('5');
  expect(await rawDocuments(stack, token)).toEqual(stored);
  expect((await stack.api('GET', '/api/v1/licences', { token })).body.documents).toEqual(wallet.documents);
  expect((await pulls(token))[0]).toMatchObject({
    result: 'failed',
    detail: { trigger: 'refresh', error: 'LICENCE_SYSTEM_UNAVAILABLE' },
  });

  // A revocation while the system is down reaches the wallet through the feed once it is back: nothing lost.
  stack.mocks.licence.setFault({ mode: 'none' });
  await stack.services.licence.refreshFromChanges();
  stack.mocks.licence.revoke(seeded('driving_licence').identifier);
  stack.mocks.licence.setFault({ mode: 'down' });
  await expect(stack.services.licence.refreshFromChanges()).rejects.toMatchObject({
    code: 'LICENCE_SYSTEM_UNAVAILABLE',
  });
  stack.mocks.licence.setFault({ mode: 'none' });
  expect((await stack.services.licence.refreshFromChanges()).refreshed).toBeGreaterThanOrEqual(1);
  const back = await stack.api('GET', '/api/v1/licences', { token });
  expect(docOf(back.body, 'driving_licence').status).toBe('revoked');
});

it('when the licence system fails while the feed is read, then the cursor stays and the next run pulls that wallet again', async () => {
  const { token, seeded } = await linked(['residence_permit']);
  await stack.services.licence.refreshFromChanges();
  const cursor = async () =>
    (await stack.deps.db.db!.collection('licence_feed').findOne({ _id: 'changes' as never }))?.cursor;
  const before = await cursor();
  stack.mocks.licence.suspend(seeded('residence_permit').identifier);
  // Another process whose licence client answers the feed but fails the wallet's pull once.
  const { config, keys, clock, logger } = stack.deps;
  const real = createLicenceClient({
    baseUrl: config.LICENCE_SYSTEM_URL,
    timeoutMs: 800,
    keys,
    clock,
    logger,
  });
  let failures = 1;
  const flaky: LicenceSystemClient = {
    ...real,
    documents: (request) =>
      failures-- > 0 ? Promise.reject(licenceUnavailable('is unreachable', true)) : real.documents(request),
  };
  const other = createServices({ ...stack.deps, licenceSystem: flaky });
  const failed = await other.licence.refreshFromChanges();
  expect(failed).toMatchObject({ failed: 1, changes: 0 });
  expect(await cursor()).toBe(before);
  const again = await stack.services.licence.refreshFromChanges();
  expect(again).toMatchObject({ failed: 0, changes: 1, refreshed: 1 });
  expect(await cursor()).not.toBe(before);
  const wallet = await stack.api('GET', '/api/v1/licences', { token });
  expect(docOf(wallet.body, 'residence_permit').status).toBe('suspended');
});

it('when the licence system is slow, then the call is cut at the timeout and answered 503 retryable', async () => {
  const { token } = await linked(['passport']);
  stack.mocks.licence.setFault({ mode: 'slow', delayMs: 5000 });
  const started = Date.now();
  const res = await stack.api('POST', '/api/v1/licences/refresh', { token });
  expectError(res, 503, 'LICENCE_SYSTEM_UNAVAILABLE');
  expect(res.body.details.retryable).toBe(true);
  expect(res.headers.get('retry-after')).toBe('5');
  expect(Date.now() - started).toBeLessThan(4000);
});

it('when a type is linked while the system is down, then the link and its consent stay and the next refresh pulls it', async () => {
  const person = freshPerson();
  const { token } = await enroll(stack, person);
  stack.mocks.licence.setFault({ mode: 'down' });
  const res = await stack.api('POST', '/api/v1/licences/links', {
    token,
    body: { types: ['passport'], consent },
  });
  expectError(res, 503, 'LICENCE_SYSTEM_UNAVAILABLE');
  const wallet = await stack.api('GET', '/api/v1/licences', { token });
  expect(wallet.body).toMatchObject({ links: [{ type: 'passport' }], documents: [], pulledAt: null });
  stack.mocks.licence.setFault({ mode: 'none' });
  const refreshed = await stack.api('POST', '/api/v1/licences/refresh', { token });
  expect(refreshed.status).toBe(200);
  expect(refreshed.body.documents.map((d: { type: string }) => d.type)).toEqual(['passport']);
});

it('when nothing is linked, then refresh answers LICENCE_NOT_LINKED', async () => {
  const { token } = await enroll(stack, freshPerson());
  expectError(await stack.api('POST', '/api/v1/licences/refresh', { token }), 404, 'LICENCE_NOT_LINKED');
  expectError(
    await stack.api('POST', '/api/v1/licences/refresh', { token, body: { now: true } }),
    400,
    'VALIDATION_FAILED',
  );
});

it('when background work runs, then the change feed is read on its interval and a revocation reaches the wallet', async () => {
  const own = await startStack({ env: { LICENCE_REFRESH_INTERVAL_S: '1' } });
  try {
    const { token, seeded } = await linked(['driving_licence'], own);
    const stop = startBackgroundWork(own.services);
    try {
      own.mocks.licence.revoke(seeded('driving_licence').identifier);
      let status = 'valid';
      for (const start = Date.now(); status !== 'revoked' && Date.now() - start < 10_000;) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = docOf((await own.api('GET', '/api/v1/licences', { token })).body, 'driving_licence').status;
      }
      expect(status).toBe('revoked');
    } finally {
      await stop();
    }
  } finally {
    await own.stop();
  }
});
