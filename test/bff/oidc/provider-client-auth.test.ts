import { generateKeyPairSync } from 'node:crypto';
import { startStack, type Stack } from '../../helpers/stack';
import {
  OIDC_REDIRECT_URI,
  oidcClient,
  oidcParty,
  pkcePair,
  type AssertionOptions,
  type OidcClient,
} from '../../helpers/oidc';
import { adminCall, newPartyKey, registerParty, type RegisteredParty } from '../../helpers/party';

// A party authenticates to the provider with `private_key_jwt` (RFC 7523): a JWT signed EdDSA with one of
// the keys registered for it, used once, short-lived, judged by the BFF's clock (issue 17).
let stack: Stack;
let party: RegisteredParty;
let rp: OidcClient;
beforeAll(async () => {
  stack = await startStack();
  party = await oidcParty(stack);
  rp = oidcClient(stack, party);
});
afterAll(() => stack.stop());

const params = () => ({
  response_type: 'code',
  redirect_uri: OIDC_REDIRECT_URI,
  scope: 'openid name_masked_id',
  code_challenge: pkcePair().challenge,
  code_challenge_method: 'S256',
  state: 'st',
});

const now = () => Math.floor(stack.clock.now() / 1000);

/** A push authenticated with `auth` (assertion options, or a whole assertion). */
const push = (client: OidcClient, auth: AssertionOptions | string = {}) => client.par(params(), auth);

/** The refusal every failed client authentication answers: nothing says which check failed. */
const refused = { status: 401, error: 'invalid_client' };
const outcome = (res: { status: number; body: { error?: string } }) => ({
  status: res.status,
  error: res.body.error,
});

describe('OpenID provider: private_key_jwt client authentication', () => {
  it('when the assertion is signed by the registered key, addressed to the issuer or the endpoint, then it is accepted', async () => {
    expect((await push(rp)).status).toBe(201);
    expect((await push(rp, { aud: `${stack.url}/oidc/request` })).status).toBe(201);
    expect((await push(rp, { aud: [`${stack.url}/oidc`, 'https://other.example.com'] })).status).toBe(201);
  });

  it('when the kid is unknown, or the right kid signs with another key, then invalid_client', async () => {
    expect(outcome(await push(rp, { kid: 'k-never-registered' }))).toEqual(refused);
    const other = generateKeyPairSync('ed25519').privateKey;
    expect(outcome(await push(rp, { key: other }))).toEqual(refused);
    // Another party's key and kid do not sign for this party either.
    const neighbour = await oidcParty(stack);
    expect(outcome(await push(rp, { key: neighbour.privateKey, kid: neighbour.kid }))).toEqual(refused);
  });

  it('when the assertion is tampered with after signing, then invalid_client', async () => {
    const [h, p, s] = rp.assertion().split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const altered = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 100 })).toString('base64url');
    expect(outcome(await push(rp, `${h}.${altered}.${s}`))).toEqual(refused);
    // Not a JWT at all: the request itself is malformed.
    expect(outcome(await push(rp, 'not-a-jwt'))).toEqual({ status: 400, error: 'invalid_request' });
  });

  it('when the assertion has expired, then invalid_client', async () => {
    expect(outcome(await push(rp, { iat: now() - 120, exp: now() - 30 }))).toEqual(refused);
    expect(outcome(await push(rp, { omit: ['exp'] }))).toEqual(refused);
  });

  it('when iat is 60 s in the future, or missing, or the assertion would live too long, then invalid_client', async () => {
    expect(outcome(await push(rp, { iat: now() + 60, exp: now() + 120 }))).toEqual(refused);
    expect(outcome(await push(rp, { omit: ['iat'] }))).toEqual(refused);
    expect(outcome(await push(rp, { iat: now(), exp: now() + 3600 }))).toEqual(refused);
    // A clock a few seconds ahead is tolerated.
    expect((await push(rp, { iat: now() + 3, exp: now() + 63 })).status).toBe(201);
  });

  it('when a jti is used a second time, then invalid_client; of two racing uses exactly one passes', async () => {
    const jti = `jti-${Date.now()}`;
    expect((await push(rp, { jti })).status).toBe(201);
    expect(outcome(await push(rp, { jti }))).toEqual(refused);
    const raced = `jti-race-${Date.now()}`;
    const both = await Promise.all([push(rp, { jti: raced }), push(rp, { jti: raced })]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 401]);
    // The same jti from another party is that party's own.
    const neighbour = oidcClient(stack, await oidcParty(stack));
    expect((await push(neighbour, { jti })).status).toBe(201);
  });

  it('when the audience is another server, or iss/sub are not the client, then invalid_client', async () => {
    expect(outcome(await push(rp, { aud: 'https://eid.example.gov.cn/oidc' }))).toEqual(refused);
    expect(outcome(await push(rp, { aud: `${stack.url}/oidc/token/other` }))).toEqual(refused);
    expect(outcome(await push(rp, { omit: ['aud'] }))).toEqual(refused);
    expect(outcome(await push(rp, { iss: 'someone-else' }))).toEqual(refused);
  });

  it('when the key is retired, then it no longer authenticates, and the new key does', async () => {
    const hotel = await oidcParty(stack);
    const client = oidcClient(stack, hotel);
    const next = newPartyKey();
    const added = await adminCall(stack, 'POST', `/api/v1/admin/parties/${hotel.party.id}/keys`, {
      kid: next.kid,
      publicKey: next.publicKey,
    });
    expect(added.status).toBe(200);
    expect((await push(client)).status).toBe(201);
    const retired = await adminCall(
      stack,
      'POST',
      `/api/v1/admin/parties/${hotel.party.id}/keys/${hotel.kid}/retire`,
      {},
    );
    expect(retired.status).toBe(200);
    expect(outcome(await push(client))).toEqual(refused);
    expect((await push(client, { key: next.privateKey, kid: next.kid })).status).toBe(201);
  });

  it('when the party is suspended, then its assertions are refused; when active again, accepted', async () => {
    const hotel = await oidcParty(stack);
    const client = oidcClient(stack, hotel);
    expect((await push(client)).status).toBe(201);
    const path = `/api/v1/admin/parties/${hotel.party.id}`;
    expect((await adminCall(stack, 'PATCH', path, { status: 'suspended' })).status).toBe(200);
    expect(outcome(await push(client))).toEqual(refused);
    expect((await adminCall(stack, 'PATCH', path, { status: 'active' })).status).toBe(200);
    expect((await push(client)).status).toBe(201);
  });

  it('when the party is not registered for sign-in, or its sign-in is removed, then it is no client', async () => {
    const plain = await registerParty(stack);
    expect(plain.party.signIn).toBeUndefined();
    expect(outcome(await push(oidcClient(stack, plain, { redirectUri: OIDC_REDIRECT_URI })))).toEqual(
      refused,
    );
    const hotel = await oidcParty(stack);
    const client = oidcClient(stack, hotel);
    expect((await push(client)).status).toBe(201);
    const removed = await adminCall(stack, 'PATCH', `/api/v1/admin/parties/${hotel.party.id}`, {
      signIn: null,
    });
    expect(removed.status).toBe(200);
    expect(outcome(await push(client))).toEqual(refused);
  });

  it('when the token endpoint gets a bad assertion, then invalid_client before the code is even looked at', async () => {
    const res = await rp.token('no-such-code', pkcePair().verifier, { kid: 'k-never-registered' });
    expect(outcome(res)).toEqual(refused);
    const good = await rp.token('no-such-code', pkcePair().verifier);
    expect([good.status, good.body.error]).toEqual([400, 'invalid_grant']);
  });

  it('when the BFF clock has moved ahead, then assertions are judged by it, not by the wall clock', async () => {
    const start = stack.clock.now();
    try {
      stack.clock.advance(10 * 60 * 1000);
      // Made at the moved clock: accepted.
      expect((await push(rp)).status).toBe(201);
      // Made at the wall clock, ten minutes "ago" for the BFF: expired.
      const wall = Math.floor(Date.now() / 1000);
      expect(outcome(await push(rp, { iat: wall, exp: wall + 60 }))).toEqual(refused);
    } finally {
      stack.clock.set(start);
    }
  });
});
