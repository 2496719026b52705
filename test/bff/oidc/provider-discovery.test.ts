import { createRemoteJWKSet, importJWK, jwtVerify, SignJWT } from 'jose';
import { ACR_VALUES } from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import { oidcClient, oidcParty } from '../../helpers/oidc';

// The provider's published face (issue 17): the discovery document a party configures its client from, and
// the JWKS it verifies ID tokens with.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

describe('OpenID provider: discovery and keys', () => {
  it('when the discovery document is read, then it names this origin as issuer and offers only what sign-in allows', async () => {
    const rp = oidcClient(stack, await oidcParty(stack));
    const res = await rp.discovery();
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.issuer).toBe(`${stack.url}/oidc`);
    expect(doc).toMatchObject({
      authorization_endpoint: `${stack.url}/oidc/auth`,
      token_endpoint: `${stack.url}/oidc/token`,
      jwks_uri: `${stack.url}/oidc/jwks`,
      pushed_authorization_request_endpoint: `${stack.url}/oidc/request`,
      userinfo_endpoint: `${stack.url}/oidc/me`,
      require_pushed_authorization_requests: true,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['EdDSA'],
      id_token_signing_alg_values_supported: ['EdDSA'],
      subject_types_supported: ['pairwise'],
      acr_values_supported: [...ACR_VALUES],
      authorization_response_iss_parameter_supported: true,
    });
    expect(ACR_VALUES).toEqual(['urn:cn:eid:loa:1', 'urn:cn:eid:loa:2', 'urn:cn:eid:loa:3']);
    expect([...doc.scopes_supported].sort()).toEqual(
      ['age_over_18', 'name_masked_id', 'openid', 'residence_province', 'result'].sort(),
    );
    expect(doc.claims_supported).toEqual(
      expect.arrayContaining(['sub', 'acr', 'amr', 'auth_time', 'name', 'id_number_masked', 'age_over_18']),
    );
    // No consent scopes, no logout, no dynamic registration, no sessions to end.
    expect(doc.scopes_supported).not.toContain('card_face');
    expect(doc.end_session_endpoint).toBeUndefined();
    expect(doc.registration_endpoint).toBeUndefined();
  });

  it('when the BFF is reached at another origin, then that origin is the issuer there (outside production)', async () => {
    const other = stack.url.replace('127.0.0.1', 'localhost');
    const res = await fetch(`${other}/oidc/.well-known/openid-configuration`);
    const doc = (await res.json()) as { issuer: string; token_endpoint: string };
    expect(doc.issuer).toBe(`${other}/oidc`);
    expect(doc.token_endpoint).toBe(`${other}/oidc/token`);
  });

  it('when the JWKS is read, then it holds only public Ed25519 keys, and what the ID-token key signs verifies with jose against it', async () => {
    const res = await fetch(`${stack.url}/oidc/jwks`);
    expect(res.status).toBe(200);
    const jwks = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
      expect(key.d).toBeUndefined();
    }
    const [signer] = stack.deps.keys.oidcSigningJwks();
    expect(jwks.keys.map((k) => k.kid)).toContain(signer!.kid);
    const jwt = await new SignJWT({ probe: true })
      .setProtectedHeader({ alg: 'EdDSA', kid: signer!.kid })
      .setIssuer(`${stack.url}/oidc`)
      .setIssuedAt(Math.floor(stack.clock.now() / 1000))
      .sign(await importJWK(signer!, 'EdDSA'));
    const keySet = createRemoteJWKSet(new URL(`${stack.url}/oidc/jwks`));
    const { payload } = await jwtVerify(jwt, keySet, { issuer: `${stack.url}/oidc` });
    expect(payload.probe).toBe(true);
    // A token signed by any other key does not verify.
    const forged = await new SignJWT({ probe: true })
      .setProtectedHeader({ alg: 'EdDSA', kid: signer!.kid })
      .sign(await importJWK({ ...signer!, ...(await freshEd25519()) }, 'EdDSA'));
    await expect(jwtVerify(forged, keySet)).rejects.toThrow();
  });

  it('when PUBLIC_URL is set, then the issuer, every endpoint and the sign-in page are on it, whatever Host the request named', async () => {
    const public_ = await startStack({ env: { PUBLIC_URL: 'https://eid.example.gov.cn' } });
    try {
      for (const origin of [public_.url, public_.url.replace('127.0.0.1', 'localhost')]) {
        const doc = (await (await fetch(`${origin}/oidc/.well-known/openid-configuration`)).json()) as Record<
          string,
          string
        >;
        expect(doc.issuer).toBe('https://eid.example.gov.cn/oidc');
        expect(doc.token_endpoint).toBe('https://eid.example.gov.cn/oidc/token');
        expect(doc.jwks_uri).toBe('https://eid.example.gov.cn/oidc/jwks');
      }
      const party = await oidcParty(public_);
      const rp = oidcClient(public_, party);
      // The assertion names the public issuer as its audience.
      const pushed = await rp.par(
        {
          response_type: 'code',
          redirect_uri: rp.redirectUri,
          scope: 'openid result',
          code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          code_challenge_method: 'S256',
        },
        { aud: 'https://eid.example.gov.cn/oidc' },
      );
      expect(pushed.status).toBe(201);
      const query = new URLSearchParams({ client_id: party.party.id, request_uri: pushed.body.request_uri });
      const res = await fetch(`${public_.url}/oidc/auth?${query}`, { redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toMatch(
        /^https:\/\/eid\.example\.gov\.cn\/signin\/[A-Za-z0-9_-]+$/,
      );
      // Cookies of an https origin are Secure.
      const cookies = res.headers.getSetCookie();
      expect(cookies.some((c) => c.startsWith('eid_oidc_interaction='))).toBe(true);
      for (const cookie of cookies) expect(cookie.toLowerCase()).toContain('; secure');
    } finally {
      await public_.stop();
    }
  });

  it('when a path under /oidc is no provider route, then 404 NOT_FOUND as every unknown path answers', async () => {
    const res = await fetch(`${stack.url}/oidc/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('when the code lifetime is configured, then it is at most 60 seconds', () => {
    expect(stack.config.OIDC_CODE_TTL_S).toBeLessThanOrEqual(60);
    expect(stack.config.OIDC_CODE_TTL_S).toBeGreaterThan(0);
  });
});

async function freshEd25519(): Promise<{ x: string; d: string }> {
  const { generateKeyPairSync } = await import('node:crypto');
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  return { x: jwk.x!, d: jwk.d! };
}
