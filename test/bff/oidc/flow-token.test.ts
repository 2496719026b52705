import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  importJWK,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
} from 'jose';
import { holderWithCard } from '../../helpers/card-flow';
import { oidcClient, oidcParty, pkcePair, type OidcClient } from '../../helpers/oidc';
import type { RegisteredParty } from '../../helpers/party';
import { approveSignIn } from '../../helpers/signin';
import { startStack, type Stack } from '../../helpers/stack';

// Acceptance of issue 17 at the token endpoint, over HTTP: `private_key_jwt` refusals when a real code is at
// stake (provider-client-auth.test.ts covers them at PAR), two racing exchanges of one code, a code used just
// inside its lifetime, and the party's verification of the ID token with jose (a one-byte change fails, the
// audience and issuer count). Key rotation with two ID-token keys runs on a stack of its own.
let stack: Stack;
let party: RegisteredParty;
beforeAll(async () => {
  stack = await startStack();
  party = await oidcParty(stack, { level: 1 });
});
afterAll(() => stack.stop());

/** A sign-in of a fresh resident approved on the phone and finished: the code in the party's hands. */
async function codeInHand(on: Stack = stack, at: RegisteredParty = party, scope = 'openid name_masked_id') {
  const holder = await holderWithCard(on);
  const rp = oidcClient(on, at);
  const begun = await rp.begin({ scope });
  const { approve } = await approveSignIn(on, holder, begun.requestCode!);
  expect(approve.status).toBe(200);
  const back = await rp.finish();
  expect(back.left?.code).toBeTruthy();
  return { holder, rp, begun, code: back.left!.code! };
}

const outcome = (res: { status: number; body: { error?: string } }) => [res.status, res.body.error];
const now = () => Math.floor(stack.clock.now() / 1000);

/** The party's own PAR, for an assertion (and its jti) spent there. */
const pushWith = (rp: OidcClient, jti: string) =>
  rp.par(
    {
      response_type: 'code',
      redirect_uri: rp.redirectUri,
      scope: 'openid result',
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
    },
    { jti },
  );

describe('token endpoint: private_key_jwt with a real code', () => {
  it('when the exchange is authenticated wrongly, then invalid_client each time, and the code is still the party’s to exchange', async () => {
    const { rp, begun, code } = await codeInHand();
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const spent = `jti-${randomBytes(6).toString('hex')}`;
    expect((await pushWith(rp, spent)).status).toBe(201);
    const [h, p, s] = rp.assertion().split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 100 })).toString('base64url')}.${s}`;
    const refusals: [string, Parameters<OidcClient['token']>[2]][] = [
      ['unknown kid', { kid: 'k-never-registered' }],
      ['another key under the kid', { key: stranger }],
      ['tampered', tampered],
      ['expired', { iat: now() - 120, exp: now() - 30 }],
      ['iat 60 s ahead', { iat: now() + 60, exp: now() + 120 }],
      ['no iat', { omit: ['iat'] }],
      ['lives an hour', { iat: now(), exp: now() + 3600 }],
      ['jti spent at PAR', { jti: spent }],
      ['another server', { aud: 'https://eid.example.gov.cn/oidc' }],
      ['iss not the client', { iss: 'someone-else' }],
    ];
    for (const [why, auth] of refusals) {
      const res = await rp.token(code, begun.verifier, auth);
      expect([why, ...outcome(res)]).toEqual([why, 401, 'invalid_client']);
      expect(res.body.id_token).toBeUndefined();
    }
    // No client at all: the assertion left out.
    const bare = await fetch(`${stack.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: rp.redirectUri,
        code_verifier: begun.verifier,
        client_id: rp.clientId,
      }),
    });
    expect([bare.status, ((await bare.json()) as { error: string }).error]).toEqual([401, 'invalid_client']);

    // None of that spent the code: the party, authenticated properly, still gets its tokens.
    const good = await rp.token(code, begun.verifier);
    expect(good.status).toBe(200);
    expect(good.body.id_token).toBeTruthy();
  });

  it('when another party, authenticated with its own key, presents this party’s code, then invalid_grant, and the code stays the rightful party’s', async () => {
    const { rp, begun, code } = await codeInHand();
    const neighbour = await oidcParty(stack);
    const thief = oidcClient(stack, neighbour);
    const stolen = await thief.token(code, begun.verifier);
    expect(outcome(stolen)).toEqual([400, 'invalid_grant']);
    // Nor does the neighbour's key sign for this party's client id.
    const borrowed = await rp.token(code, begun.verifier, { key: neighbour.privateKey, kid: neighbour.kid });
    expect(outcome(borrowed)).toEqual([401, 'invalid_client']);
    expect((await rp.token(code, begun.verifier)).status).toBe(200);
  });

  it('when the assertion is addressed to the token endpoint itself, then it is accepted there', async () => {
    const { rp, begun, code } = await codeInHand();
    const res = await rp.token(code, begun.verifier, { aud: `${stack.url}/oidc/token` });
    expect(res.status).toBe(200);
  });
});

describe('token endpoint: the code', () => {
  it('when the code is exchanged just inside its lifetime, then the tokens are issued (past it, provider-happy-path refuses)', async () => {
    const { rp, begun, code } = await codeInHand();
    stack.clock.advance((stack.config.OIDC_CODE_TTL_S - 2) * 1000);
    const res = await rp.token(code, begun.verifier);
    expect(res.status).toBe(200);
  });

  it('when exchanges of one code race, then exactly one gets tokens and the others invalid_grant', async () => {
    // A code is single use (RFC 6749 section 4.1.2) also when a stolen copy is sent at the same moment as the
    // party's own exchange: marking it used must be one conditional write, not a read and then a write.
    const { rp, begun, code } = await codeInHand();
    const all = await Promise.all([1, 2, 3, 4].map(() => rp.token(code, begun.verifier)));
    expect(all.map(outcome).sort()).toEqual([
      [200, undefined],
      [400, 'invalid_grant'],
      [400, 'invalid_grant'],
      [400, 'invalid_grant'],
    ]);
  });
});

describe('the ID token, verified by the party with jose', () => {
  it('when verified against the JWKS of the discovery document, then it passes for this issuer and audience only', async () => {
    const { rp, begun, code } = await codeInHand();
    const tokens = await rp.token(code, begun.verifier);
    expect(tokens.status).toBe(200);
    const idToken: string = tokens.body.id_token;
    const discovery = (await rp.discovery()).body;
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as JSONWebKeySet;
    const local = createLocalJWKSet(jwks);
    const remote = createRemoteJWKSet(new URL(discovery.jwks_uri));
    for (const keySet of [local, remote]) {
      const { payload, protectedHeader } = await jwtVerify(idToken, keySet, {
        issuer: discovery.issuer,
        audience: party.party.id,
        algorithms: ['EdDSA'],
      });
      expect(protectedHeader.alg).toBe('EdDSA');
      expect(payload.nonce).toBe(begun.nonce);
    }
    await expect(
      jwtVerify(idToken, local, { issuer: discovery.issuer, audience: 'another-party' }),
    ).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'aud',
    });
    await expect(
      jwtVerify(idToken, local, { issuer: 'https://eid.example.gov.cn/oidc', audience: party.party.id }),
    ).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'iss' });
    await expect(jwtVerify(idToken, local, { algorithms: ['ES256'] })).rejects.toThrow();
  });

  it('when any one byte of the ID token is changed (header, claims or signature), then it no longer verifies', async () => {
    const { rp, begun, code } = await codeInHand();
    const idToken: string = (await rp.token(code, begun.verifier)).body.id_token;
    const jwks = (await (await fetch(`${rp.issuer}/jwks`)).json()) as JSONWebKeySet;
    const keySet = createLocalJWKSet(jwks);
    const options = { issuer: rp.issuer, audience: party.party.id };
    await expect(jwtVerify(idToken, keySet, options)).resolves.toBeTruthy();

    const [header, claims, signature] = idToken.split('.') as [string, string, string];
    // Bytes of the decoded parts, changed and encoded again: a change a base64url letter swap could hide
    // (the unused low bits of the last letter) is not one the party would miss.
    const flip = (part: string, at: number) => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[at] = bytes[at]! ^ 0x01;
      return bytes.toString('base64url');
    };
    const payload = JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<string, unknown>;
    const subAt = Buffer.from(claims, 'base64url').toString().indexOf(String(payload.sub));
    const altered = [
      `${header}.${flip(claims, subAt)}.${signature}`,
      `${header}.${flip(claims, 0)}.${signature}`,
      `${header}.${claims}.${flip(signature, 0)}`,
      `${header}.${claims}.${flip(signature, 63)}`,
      `${flip(header, Buffer.from(header, 'base64url').length - 3)}.${claims}.${signature}`,
    ];
    for (const token of altered) {
      expect(token).not.toBe(idToken);
      await expect(jwtVerify(token, keySet, options)).rejects.toThrow();
    }
  });
});

describe('ID-token keys: rotation', () => {
  const seed = () => randomBytes(32).toString('base64');

  it('when EID_OIDC_KEYS holds two keys, then the first signs the ID tokens and both are published; a token of the second still verifies', async () => {
    const rotated = await startStack({ env: { EID_OIDC_KEYS: `oidc-new:${seed()},oidc-old:${seed()}` } });
    try {
      const jwks = (await (await fetch(`${rotated.url}/oidc/jwks`)).json()) as JSONWebKeySet;
      expect(jwks.keys.map((k) => k.kid)).toEqual(['oidc-new', 'oidc-old']);
      for (const key of jwks.keys) {
        expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
        expect(key.d).toBeUndefined();
      }
      const [first, second] = rotated.deps.keys.oidcSigningJwks();
      expect(jwks.keys.map((k) => k.x)).toEqual([first!.x, second!.x]);

      const hotel = await oidcParty(rotated);
      const { rp, begun, code } = await codeInHand(rotated, hotel);
      const idToken: string = (await rp.token(code, begun.verifier)).body.id_token;
      expect(decodeProtectedHeader(idToken)).toMatchObject({ alg: 'EdDSA', kid: 'oidc-new' });
      const keySet = createLocalJWKSet(jwks);
      await expect(
        jwtVerify(idToken, keySet, { issuer: rp.issuer, audience: hotel.party.id }),
      ).resolves.toBeTruthy();
      // Against the old key alone it fails: it is really the first key that signed.
      const oldOnly = createLocalJWKSet({ keys: jwks.keys.filter((k) => k.kid === 'oidc-old') });
      await expect(jwtVerify(idToken, oldOnly)).rejects.toThrow();

      // A party holding the JWKS verifies what the second (outgoing) key signed before the rotation.
      const earlier = await new SignJWT({ sub: 'x' })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'oidc-old' })
        .setIssuer(rp.issuer)
        .setAudience(hotel.party.id)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(await importJWK(second!, 'EdDSA'));
      await expect(
        jwtVerify(earlier, keySet, { issuer: rp.issuer, audience: hotel.party.id }),
      ).resolves.toBeTruthy();
    } finally {
      await rotated.stop();
    }
  });
});
