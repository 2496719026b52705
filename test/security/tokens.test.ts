import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ERROR_CODES, toHex } from '@eid/shared';
import { holderWithCard, reauthToken, type Holder } from '../helpers/card-flow';
import { superAppCode } from '../helpers/identity';
import { oidcClient, oidcParty } from '../helpers/oidc';
import { registerParty, staffToken, type RegisteredParty } from '../helpers/party';
import { approveSignIn } from '../helpers/signin';
import { DEV_STAFF, startStack, type Stack } from '../helpers/stack';

/**
 * Bearer tokens under attack (issue 21 §4): `alg: none`, algorithm confusion, expired and tampered tokens, and
 * every kind of token at every kind of route. The BFF signs its own tokens HS256 with a key only it holds and
 * accepts nothing else; the OpenID provider signs ID tokens EdDSA for parties, which no BFF route takes.
 */
let stack: Stack;
let holder: Holder;
let party: RegisteredParty;
const tokens: Record<string, string> = {};
let provider: ReturnType<typeof oidcClient>;

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const partsOf = (token: string) => {
  const [h, p, s] = token.split('.') as [string, string, string];
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>,
    signature: s,
  };
};

/** The routes of each audience, read with a GET so that nothing but the token decides. */
const ROUTES = {
  resident: '/api/v1/enrollment',
  staff: '/api/v1/staff/me',
  admin: '/api/v1/admin/parties',
  party: '/api/v1/rp/registration',
} as const;

async function at(route: keyof typeof ROUTES, token: string) {
  return stack.api('GET', ROUTES[route], { token });
}

/** Expects a refusal with one of the token codes at every BFF route kind. */
async function refusedEverywhere(token: string, label: string) {
  for (const route of Object.keys(ROUTES) as (keyof typeof ROUTES)[]) {
    const res = await at(route, token);
    const allowed = route === 'party' ? ['SIGNATURE_MISSING'] : ['TOKEN_INVALID', 'UNAUTHENTICATED'];
    expect([label, route, res.status, allowed.includes(res.body.code)]).toEqual([label, route, 401, true]);
  }
}

beforeAll(async () => {
  stack = await startStack();
  holder = await holderWithCard(stack);
  tokens.resident = holder.token;
  tokens.officer = (await stack.api('POST', '/api/v1/staff/login', { body: DEV_STAFF })).body.accessToken;
  tokens.supervisor = await staffToken(stack, 'supervisor');
  tokens.administrator = await staffToken(stack, 'administrator');
  tokens.reauth = await reauthToken(stack, holder.token);
  party = await registerParty(stack);
  // A whole remote sign-in, for the provider's ID token and access token.
  const signInParty = await oidcParty(stack, { level: 1 });
  const rp = oidcClient(stack, signInParty);
  const begun = await rp.begin({ scope: 'openid' });
  expect((await approveSignIn(stack, holder, begun.requestCode!)).approve.status).toBe(200);
  const back = await rp.finish();
  const exchanged = await rp.token(back.left!.code!, begun.verifier);
  expect(exchanged.status).toBe(200);
  tokens.idToken = exchanged.body.id_token;
  tokens.oidcAccess = exchanged.body.access_token;
  tokens.oidcCode = back.left!.code!;
  tokens.oidcVerifier = begun.verifier;
  provider = rp;
});
afterAll(() => stack.stop());

describe('tokens across audiences', () => {
  it('when each token is sent to each kind of route, then only its own audience and role let it through', async () => {
    const expected: Record<string, Record<keyof typeof ROUTES, number>> = {
      resident: { resident: 200, staff: 401, admin: 401, party: 401 },
      officer: { resident: 401, staff: 200, admin: 403, party: 401 },
      // Parties are the administrator's (roles.ts CAPABILITIES.parties); a supervisor is staff, not that.
      supervisor: { resident: 401, staff: 200, admin: 403, party: 401 },
      administrator: { resident: 401, staff: 200, admin: 200, party: 401 },
      reauth: { resident: 401, staff: 401, admin: 401, party: 401 },
      idToken: { resident: 401, staff: 401, admin: 401, party: 401 },
      oidcAccess: { resident: 401, staff: 401, admin: 401, party: 401 },
    };
    for (const [name, routes] of Object.entries(expected)) {
      for (const route of Object.keys(routes) as (keyof typeof ROUTES)[]) {
        const res = await at(route, tokens[name]!);
        expect([name, route, res.status]).toEqual([name, route, routes[route]]);
        if (res.status >= 400) expect(Object.keys(ERROR_CODES)).toContain(res.body.code);
      }
    }
    // A party's route takes a signature, never a bearer token: the party's own signed call is what passes.
    expect((await party.signed('GET', ROUTES.party)).status).toBe(200);
  });

  it('when the BFF own tokens are sent to the OpenID provider userinfo endpoint, then it refuses them; its access token reads it', async () => {
    const rp = provider;
    for (const name of ['resident', 'officer', 'supervisor', 'administrator', 'reauth', 'idToken']) {
      const res = await rp.userinfo(tokens[name]!);
      expect([name, res.status]).toEqual([name, 401]);
    }
    expect((await rp.userinfo(tokens.oidcAccess!)).status).toBe(200);
  });

  it('when an authorization code or a super-app login code is used a second time, then it is refused', async () => {
    const rp = provider;
    const again = await rp.token(tokens.oidcCode!, tokens.oidcVerifier!);
    expect([again.status, again.body.error]).toEqual([400, 'invalid_grant']);
    const code = await superAppCode(stack);
    expect((await stack.api('POST', '/api/v1/auth/login', { body: { code } })).status).toBe(200);
    const replay = await stack.api('POST', '/api/v1/auth/login', { body: { code } });
    expect([replay.status, replay.body.code]).toEqual([401, 'LOGIN_CODE_INVALID']);
  });
});

describe('forged tokens', () => {
  it('when a token says alg none (any spelling), with or without the old signature, then it is refused everywhere', async () => {
    for (const name of ['resident', 'officer', 'administrator']) {
      const { payload, signature } = partsOf(tokens[name]!);
      for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
        const head = b64({ alg, typ: 'JWT' });
        await refusedEverywhere(`${head}.${b64(payload)}.`, `${name} ${alg}`);
        await refusedEverywhere(`${head}.${b64(payload)}.${signature}`, `${name} ${alg} +sig`);
      }
    }
  });

  it('when a token is HMAC-signed with a public key of the BFF, or signed RS256, ES256 or EdDSA by another key, then it is refused everywhere', async () => {
    const { payload } = partsOf(tokens.administrator!);
    const claims = { ...payload };
    const root = stack.deps.keys.trustRootPublicKey();
    const oidcJwk = stack.deps.keys.oidcSigningJwks()[0]!;
    const publicSecrets: (string | Buffer)[] = [
      Buffer.from(root),
      toHex(root),
      Buffer.from(root).toString('base64url'),
      oidcJwk.x,
      JSON.stringify({ kty: oidcJwk.kty, crv: oidcJwk.crv, x: oidcJwk.x }),
      party.publicKey,
    ];
    for (const [i, secret] of publicSecrets.entries()) {
      await refusedEverywhere(
        jwt.sign(claims, secret, { algorithm: 'HS256', noTimestamp: true }),
        `hs256 public #${i}`,
      );
      await refusedEverywhere(
        jwt.sign(claims, secret, { algorithm: 'HS512', noTimestamp: true }),
        `hs512 public #${i}`,
      );
    }
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ed = generateKeyPairSync('ed25519');
    await refusedEverywhere(
      jwt.sign(claims, rsa.privateKey, { algorithm: 'RS256', noTimestamp: true }),
      'rs256',
    );
    await refusedEverywhere(
      jwt.sign(claims, ec.privateKey, { algorithm: 'ES256', noTimestamp: true }),
      'es256',
    );
    // EdDSA under the provider's own kid, by another key: the BFF takes no EdDSA token at all.
    const edHead = b64({ alg: 'EdDSA', typ: 'JWT', kid: oidcJwk.kid });
    const { sign } = await import('node:crypto');
    const edSig = sign(null, Buffer.from(`${edHead}.${b64(claims)}`), ed.privateKey).toString('base64url');
    await refusedEverywhere(`${edHead}.${b64(claims)}.${edSig}`, 'eddsa');
    // The genuine HS256 signature under a header that names another algorithm or carries a jwk/jku.
    const { signature } = partsOf(tokens.administrator!);
    const original = tokens.administrator!.split('.')[1];
    for (const header of [
      { alg: 'HS512', typ: 'JWT' },
      { alg: 'EdDSA', typ: 'JWT' },
      { alg: 'HS256', typ: 'JWT', jwk: { kty: 'oct', k: 'AAAA' } },
      { alg: 'HS256', typ: 'JWT', jku: 'https://evil.example/jwks' },
    ]) {
      const res = await at('admin', `${b64(header)}.${original}.${signature}`);
      expect([JSON.stringify(header), res.status]).toEqual([JSON.stringify(header), 401]);
    }
  });

  it('when the payload of a genuine token is changed (sub, role, aud, exp) or a signature byte flipped, then it is refused', async () => {
    const { header, payload, signature } = partsOf(tokens.officer!);
    const head = b64(header);
    for (const change of [
      { role: 'supervisor' },
      { role: 'administrator' },
      { sub: partsOf(tokens.administrator!).payload.sub },
      { aud: 'resident' },
      { aud: ['staff', 'resident'] },
      { exp: Number(payload.exp) + 86_400 },
    ]) {
      const forged = `${head}.${b64({ ...payload, ...change })}.${signature}`;
      const res = await at('admin', forged);
      expect([JSON.stringify(change), res.status, res.body.code]).toEqual([
        JSON.stringify(change),
        401,
        'TOKEN_INVALID',
      ]);
    }
    const sig = Buffer.from(signature, 'base64url');
    for (let i = 0; i < sig.length; i += 7) {
      const flipped = Buffer.from(sig);
      flipped[i]! ^= 0x01;
      const res = await at(
        'staff',
        `${head}.${tokens.officer!.split('.')[1]}.${flipped.toString('base64url')}`,
      );
      expect([i, res.status, res.body.code]).toEqual([i, 401, 'TOKEN_INVALID']);
    }
  });

  // Last: it moves the clock past every access token's lifetime.
  it('when a token outlives its lifetime, then TOKEN_EXPIRED (residents and staff), and a reauth token no longer counts', async () => {
    expect((await at('resident', tokens.resident!)).status).toBe(200);
    stack.clock.advance(
      (Math.max(stack.config.ACCESS_TOKEN_TTL_S, stack.config.REAUTH_TOKEN_TTL_S) + 1) * 1000,
    );
    const resident = await at('resident', tokens.resident!);
    expect([resident.status, resident.body.code]).toEqual([401, 'TOKEN_EXPIRED']);
    const staff = await at('staff', tokens.officer!);
    expect([staff.status, staff.body.code]).toEqual([401, 'TOKEN_EXPIRED']);
    // The same resident signed in again: the old re-authentication no longer opens the ID number.
    const again = await stack.api('POST', '/api/v1/auth/login', {
      body: { code: await superAppCode(stack, holder.userKey) },
    });
    const reveal = await stack.api('POST', '/api/v1/card/reveal', {
      token: again.body.accessToken,
      body: { reauthToken: tokens.reauth },
    });
    expect([reveal.status, reveal.body.code]).toEqual([403, 'REAUTH_REQUIRED']);
  });
});
