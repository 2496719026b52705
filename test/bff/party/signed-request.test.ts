import type { Server } from 'node:http';
import { createApp } from '@eid/bff/app';
import { newSignatureNonce } from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import { expectError } from '../../helpers/enrollment';
import { newPartyKey, registerParty, type RegisteredParty } from '../../helpers/party';

// Every way a party's signed request is refused (RFC 9421 over the raw body), each with its own code.
let stack: Stack;
let hotel: RegisteredParty;
let bank: RegisteredParty;
const REGISTRATION = '/api/v1/rp/registration';
const VERIFY = '/api/v1/rp/verify';
const verifyBody = { code: 'EID2:not-a-code', purpose: 'hotel_check_in' };

beforeAll(async () => {
  stack = await startStack();
  hotel = await registerParty(stack);
  bank = await registerParty(stack, {
    category: 'bank',
    grants: [{ purpose: 'finance', scopes: ['result'] }],
  });
});
afterAll(() => stack.stop());

it('when the request is signed as the profile says, then it passes the guard (GET with the empty body digest, POST with its body)', async () => {
  const res = await hotel.signed('GET', REGISTRATION);
  expect(res.status).toBe(200);
  expect(res.body.payload.partyId).toBe(hotel.party.id);
  // A POST body reaches the route parsed: the route's own answer, not a signature code.
  const post = await hotel.signed('POST', VERIFY, verifyBody);
  expect(post.body.code ?? '').not.toMatch(/^SIGNATURE_|^CONTENT_DIGEST/);
});

it('when there is no signature at all, then 401 SIGNATURE_MISSING', async () => {
  expectError(await stack.api('GET', REGISTRATION), 401, 'SIGNATURE_MISSING');
  expectError(await stack.api('POST', VERIFY, { body: verifyBody }), 401, 'SIGNATURE_MISSING');
});

it('when the signature fields are malformed or name another algorithm, then 401 SIGNATURE_MALFORMED', async () => {
  const cases: ((h: Record<string, string>) => void)[] = [
    (h) => (h['signature-input'] = 'sig1=("@method" "@target-uri"'),
    (h) => (h.signature = 'sig1=:not base64:'),
    (h) => delete h.signature,
    (h) => (h['signature-input'] = h['signature-input']!.replace('alg="ed25519"', 'alg="rsa-pss-sha512"')),
    (h) => (h['signature-input'] = h['signature-input']!.replace(/keyid="[^"]*";/, '')),
  ];
  for (const change of cases) {
    const res = await hotel.signed('GET', REGISTRATION, undefined, { alter: (r) => change(r.headers) });
    expectError(res, 401, 'SIGNATURE_MALFORMED');
  }
});

it('when the key id is not registered, then 401 SIGNATURE_UNKNOWN_KEY', async () => {
  const stranger = newPartyKey();
  expectError(
    await hotel.signed('GET', REGISTRATION, undefined, { key: stranger }),
    401,
    'SIGNATURE_UNKNOWN_KEY',
  );
  // A key id outside the registrable form is never looked up, and answers the same.
  const odd = { ...stranger, kid: 'a key/with spaces' };
  expectError(await hotel.signed('GET', REGISTRATION, undefined, { key: odd }), 401, 'SIGNATURE_UNKNOWN_KEY');
});

it('when the signature is forged or the request altered after signing, then 401 SIGNATURE_INVALID', async () => {
  // Another party's private key under this party's key id.
  const forged = { kid: hotel.kid, privateKey: bank.privateKey };
  expectError(await hotel.signed('GET', REGISTRATION, undefined, { key: forged }), 401, 'SIGNATURE_INVALID');
  // The path (and so @target-uri) changed after signing.
  const path = await hotel.signed('GET', REGISTRATION, undefined, {
    alter: (r) => (r.path = `${REGISTRATION}?page=2`),
  });
  expectError(path, 401, 'SIGNATURE_INVALID');
  // Signed as a POST, sent as a GET (the same empty-body digest).
  const method = await sendAs('POST', 'GET');
  expectError(method, 401, 'SIGNATURE_INVALID');
});

/** A request to the registration signed with method `signedAs` and sent with `sentAs`. */
function sendAs(signedAs: string, sentAs: string) {
  return hotel.signed(signedAs, REGISTRATION, undefined, { alter: (r) => (r.method = sentAs) });
}

it('when created is more than 5 minutes from the server clock, either way, then 401 SIGNATURE_STALE', async () => {
  const nowS = Math.floor(stack.clock.now() / 1000);
  const past = await hotel.signed('GET', REGISTRATION, undefined, { created: nowS - 301 });
  expectError(past, 401, 'SIGNATURE_STALE');
  const future = await hotel.signed('GET', REGISTRATION, undefined, { created: nowS + 301 });
  expectError(future, 401, 'SIGNATURE_STALE');
  // Within the window both ways: accepted.
  expect((await hotel.signed('GET', REGISTRATION, undefined, { created: nowS - 290 })).status).toBe(200);
  expect((await hotel.signed('GET', REGISTRATION, undefined, { created: nowS + 290 })).status).toBe(200);
  // The server's clock moved on past the window since the request was signed.
  const created = nowS;
  stack.clock.advance(301_000);
  try {
    expectError(await hotel.signed('GET', REGISTRATION, undefined, { created }), 401, 'SIGNATURE_STALE');
  } finally {
    stack.clock.advance(-301_000);
  }
});

it('when a nonce is used twice by the same key, then the second is 401 SIGNATURE_NONCE_REUSED; a bad signature does not burn it', async () => {
  const nonce = newSignatureNonce();
  // A forged request carrying the nonce first: refused for its signature, the nonce stays unused.
  const forged = { kid: hotel.kid, privateKey: bank.privateKey };
  expectError(
    await hotel.signed('GET', REGISTRATION, undefined, { key: forged, nonce }),
    401,
    'SIGNATURE_INVALID',
  );
  expect((await hotel.signed('GET', REGISTRATION, undefined, { nonce })).status).toBe(200);
  expectError(await hotel.signed('GET', REGISTRATION, undefined, { nonce }), 401, 'SIGNATURE_NONCE_REUSED');
  // The same nonce under another party's key is another pair.
  expect((await bank.signed('GET', REGISTRATION, undefined, { nonce })).status).toBe(200);
});

it('when a nonce is reused against a second BFF instance over the same database, then it is refused there too', async () => {
  const server: Server = await new Promise((resolve) => {
    const s = createApp(stack.deps).listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const address = server.address();
    const second = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const nonce = newSignatureNonce();
    expect((await hotel.signed('GET', REGISTRATION, undefined, { nonce })).status).toBe(200);
    const again = await hotel.signed('GET', REGISTRATION, undefined, { nonce, baseUrl: second });
    expectError(again, 401, 'SIGNATURE_NONCE_REUSED');
    // And the other way round: first at the second instance.
    const other = newSignatureNonce();
    expect(
      (await hotel.signed('GET', REGISTRATION, undefined, { nonce: other, baseUrl: second })).status,
    ).toBe(200);
    expectError(
      await hotel.signed('GET', REGISTRATION, undefined, { nonce: other }),
      401,
      'SIGNATURE_NONCE_REUSED',
    );
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

it('when the body does not match its Content-Digest, then 400 CONTENT_DIGEST_MISMATCH', async () => {
  const res = await hotel.signed('POST', VERIFY, verifyBody, {
    alter: (r) => (r.body = JSON.stringify({ ...verifyBody, purpose: 'finance' })),
  });
  expectError(res, 400, 'CONTENT_DIGEST_MISMATCH');
  // The same bytes with one extra space are another body too.
  const spaced = await hotel.signed('POST', VERIFY, verifyBody, { alter: (r) => (r.body = `${r.body} `) });
  expectError(spaced, 400, 'CONTENT_DIGEST_MISMATCH');
});

it('when the signature does not cover content-digest, then 401 SIGNATURE_COMPONENT_MISSING, also for a GET', async () => {
  const components = ['@method', '@target-uri'];
  expectError(
    await hotel.signed('GET', REGISTRATION, undefined, { components }),
    401,
    'SIGNATURE_COMPONENT_MISSING',
  );
  expectError(
    await hotel.signed('POST', VERIFY, verifyBody, { components: [...components, 'content-type'] }),
    401,
    'SIGNATURE_COMPONENT_MISSING',
  );
  expectError(
    await hotel.signed('GET', REGISTRATION, undefined, { components: ['@method', 'content-digest'] }),
    401,
    'SIGNATURE_COMPONENT_MISSING',
  );
});

it('when the signature carries no nonce, then 401 SIGNATURE_NONCE_MISSING', async () => {
  const res = await hotel.signed('GET', REGISTRATION, undefined, {
    alter: (r) =>
      (r.headers['signature-input'] = r.headers['signature-input']!.replace(/;nonce="[^"]*"/, '')),
  });
  expectError(res, 401, 'SIGNATURE_NONCE_MISSING');
});

it('when a signed body is not a JSON object, then 400 BAD_REQUEST after the signature; unsigned, the body is never parsed', async () => {
  for (const body of ['[1,2]', '{"code":', '"text"']) {
    const res = await hotel.signed('POST', VERIFY, body);
    expect([body, res.status, res.body.code]).toEqual([body, 400, 'BAD_REQUEST']);
  }
  // Without a signature the broken body is not read as JSON at all: the signature is judged first.
  const unsigned = await stack.api('POST', VERIFY, {
    raw: '{"code":',
    headers: { 'content-type': 'application/json' },
  });
  expectError(unsigned, 401, 'SIGNATURE_MISSING');
});
