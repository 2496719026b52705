import {
  base64urlDecode,
  licenceIssuerListOf,
  openLicenceIssuerList,
  openLicenceStatusList,
  tweetnaclEd25519,
} from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import { expectError } from '../../helpers/enrollment';

// The issuing bodies' trust: the licence-issuer list signed by the trust root, and their status lists.
let stack: Stack;
beforeAll(async () => void (stack = await startStack()));
afterAll(() => stack.stop());
afterEach(() => stack.mocks.licence.setFault({ mode: 'none' }));

const HOUR = 3_600_000;

it('when a verifier fetches the licence-issuer list, then it verifies under the trust root and lists every body the licence system publishes', async () => {
  const res = await stack.api('GET', '/api/v1/trust/licence-issuers');
  expect(res.status).toBe(200);
  const issuedAt = Math.floor(stack.clock.now() / HOUR) * HOUR;
  expect(res.body).toMatchObject({
    issuedAt,
    expiresAt: issuedAt + 7 * 24 * HOUR,
    sequence: issuedAt / HOUR,
  });
  const list = openLicenceIssuerList(
    base64urlDecode(res.body.licenceIssuers),
    stack.deps.keys.trustRootPublicKey(),
    tweetnaclEd25519,
    { now: stack.clock.now() },
  );
  const published = stack.mocks.licence.issuers();
  expect(list.issuers.size).toBe(published.length);
  for (const body of published) {
    const entry = list.issuers.get(body.kid)!;
    expect({
      uscc: entry.uscc,
      name: entry.name,
      key: Buffer.from(entry.publicKey).toString('base64url'),
    }).toEqual({
      uscc: body.uscc,
      name: body.name,
      key: body.publicKey,
    });
  }
  expect(res.headers.get('etag')).toMatch(/^"/);
  // Any other key than the root's refuses it.
  expect(() =>
    openLicenceIssuerList(
      base64urlDecode(res.body.licenceIssuers),
      new Uint8Array(32).fill(7),
      tweetnaclEd25519,
    ),
  ).toThrow();
});

it('when the list is asked for again within the hour, then the bytes are the same and If-None-Match answers 304', async () => {
  const first = await stack.api('GET', '/api/v1/trust/licence-issuers');
  stack.clock.advance(60_000);
  const second = await stack.api('GET', '/api/v1/trust/licence-issuers');
  expect(second.body.licenceIssuers).toBe(first.body.licenceIssuers);
  const cached = await stack.api('GET', '/api/v1/trust/licence-issuers', {
    headers: { 'if-none-match': first.headers.get('etag')! },
  });
  expect(cached.status).toBe(304);
});

it('when the licence system is down, then the bodies held are still vouched for, until the list would have expired', async () => {
  const before = await stack.api('GET', '/api/v1/trust/licence-issuers');
  stack.mocks.licence.setFault({ mode: 'down' });
  const now = stack.clock.now();
  try {
    stack.clock.advance(2 * HOUR);
    const later = await stack.api('GET', '/api/v1/trust/licence-issuers');
    expect(later.status).toBe(200);
    expect(later.body.sequence).toBeGreaterThan(before.body.sequence);
    stack.clock.advance(7 * 24 * HOUR);
    const gone = await stack.api('GET', '/api/v1/trust/licence-issuers');
    expectError(gone, 503, 'LICENCE_SYSTEM_UNAVAILABLE');
    expect(gone.headers.get('retry-after')).toBe('5');
  } finally {
    stack.clock.set(now);
  }
});

it('when an issuing body’s status list is fetched through the BFF, then it is the body’s signed list and verifies with its key', async () => {
  const body = stack.mocks.licence.issuers().find((b) => b.kid === 'dev-37-jg-1')!;
  const res = await stack.api('GET', `/api/v1/licences/status-lists/${body.kid}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('public, max-age=60');
  const list = openLicenceStatusList(
    base64urlDecode(res.body.statusList),
    licenceIssuerListOf([
      { kid: body.kid, uscc: body.uscc, name: body.name, publicKey: base64urlDecode(body.publicKey) },
    ]),
    tweetnaclEd25519,
  );
  expect(list.kid).toBe(body.kid);
  expect(res.body).toMatchObject({ kid: body.kid, issuedAt: list.issuedAt, ttlSeconds: list.ttlSeconds });
  const again = await stack.api('GET', `/api/v1/licences/status-lists/${body.kid}`, {
    headers: { 'if-none-match': res.headers.get('etag')! },
  });
  expect(again.status).toBe(304);

  // Down: the list held is still served, its issue time showing its age.
  stack.mocks.licence.setFault({ mode: 'down' });
  stack.clock.advance(2 * 60_000);
  const held = await stack.api('GET', `/api/v1/licences/status-lists/${body.kid}`);
  expect(held.status).toBe(200);
  expect(held.body.statusList).toBe(res.body.statusList);
});

it('when a status list is asked for a key id that is no issuing body, then 404 ISSUER_UNKNOWN without asking for a list, and a malformed one is refused', async () => {
  expectError(await stack.api('GET', '/api/v1/licences/status-lists/dev-99-xx-1'), 404, 'ISSUER_UNKNOWN');
  expectError(
    await stack.api('GET', `/api/v1/licences/status-lists/${'k'.repeat(17)}`),
    400,
    'VALIDATION_FAILED',
  );
  expectError(await stack.api('GET', '/api/v1/licences/status-lists/a%20b'), 400, 'VALIDATION_FAILED');
});
