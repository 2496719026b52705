import { startStack, type Stack } from '../../helpers/stack';
import { OIDC_REDIRECT_URI, oidcClient, oidcParty, pkcePair, type OidcClient } from '../../helpers/oidc';
import type { RegisteredParty } from '../../helpers/party';

// Pushed authorization requests (RFC 9126) are the only way in, with PKCE S256, the registered redirect URI
// and only the sign-in scopes of the party's grant (issue 17).
let stack: Stack;
let party: RegisteredParty;
let rp: OidcClient;
beforeAll(async () => {
  stack = await startStack();
  party = await oidcParty(stack);
  rp = oidcClient(stack, party);
});
afterAll(() => stack.stop());

/** Authorization parameters that the provider accepts, for the tests to spoil one at a time. */
function goodParams(): Record<string, string | undefined> {
  return {
    response_type: 'code',
    redirect_uri: OIDC_REDIRECT_URI,
    scope: 'openid name_masked_id',
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
    state: 'st-1',
    nonce: 'n-1',
  };
}

describe('OpenID provider: pushed authorization requests', () => {
  it('when a party pushes a well-formed request, then 201 with a short-lived request_uri that leads the browser to the sign-in page', async () => {
    const res = await rp.par(goodParams());
    expect(res.status).toBe(201);
    expect(res.body.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    expect(res.body.expires_in).toBeGreaterThan(0);
    expect(res.body.expires_in).toBeLessThanOrEqual(60);
    const stop = await rp.authorize(res.body.request_uri);
    expect([stop.last.status, stop.lastPath]).toEqual([200, `/signin/${rp.uid}`]);
    expect(rp.uid).toMatch(/^[A-Za-z0-9_-]{10,64}$/);
  });

  it('when the browser brings a request_uri that was never pushed, then the provider error page, not a sign-in', async () => {
    const fresh = oidcClient(stack, party);
    const stop = await fresh.authorize('urn:ietf:params:oauth:request_uri:made-up-by-someone');
    expect(stop.left).toBeUndefined();
    expect(stop.last.status).toBe(400);
    expect(stop.last.headers.get('content-type')).toMatch(/text\/html/);
    const page = String(stop.last.body);
    expect(page).toContain('invalid_request_uri');
    // Chinese first, then English.
    expect(page.indexOf('登录未完成')).toBeGreaterThan(-1);
    expect(page.indexOf('登录未完成')).toBeLessThan(page.indexOf('Sign-in not completed'));
    expect(stop.last.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(fresh.uid).toBeUndefined();
  });

  it('when the browser is sent to /oidc/auth without a pushed request, then it is refused and no sign-in starts', async () => {
    const fresh = oidcClient(stack, party);
    const query = new URLSearchParams({
      client_id: party.party.id,
      ...(goodParams() as Record<string, string>),
    });
    const res = await fetch(`${stack.url}/oidc/auth?${query}`, { redirect: 'manual' });
    // The redirect URI is registered, so the refusal goes back to the party, never to a sign-in page.
    expect(res.status).toBe(303);
    const back = new URL(res.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(OIDC_REDIRECT_URI);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/pushed authorization request/i);
    expect(fresh.uid).toBeUndefined();
  });

  it('when PKCE is missing, then the push is refused (invalid_request)', async () => {
    const res = await rp.par({
      ...goodParams(),
      code_challenge: undefined,
      code_challenge_method: undefined,
    });
    expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
    expect(res.body.error_description).toMatch(/PKCE/);
  });

  it('when PKCE uses the plain method, then the push is refused (invalid_request)', async () => {
    const { verifier } = pkcePair();
    const res = await rp.par({ ...goodParams(), code_challenge: verifier, code_challenge_method: 'plain' });
    expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
    expect(res.body.error_description).toMatch(/code_challenge_method/);
  });

  it('when a scope of the grant that sign-in does not offer, or one outside the grant, is asked, then invalid_scope', async () => {
    // residence_province is a sign-in scope, but not in this party's grant; card_face and documents are
    // consent scopes that are never offered for sign-in; anything unknown is refused as well.
    for (const scope of [
      'openid residence_province',
      'openid card_face',
      'openid document:driving_licence',
      'openid profile',
    ]) {
      const res = await rp.par({ ...goodParams(), scope });
      expect([scope, res.status, res.body.error]).toEqual([scope, 400, 'invalid_scope']);
    }
    // The same party asking what its grant holds is accepted.
    const ok = await rp.par({ ...goodParams(), scope: 'openid result age_over_18 name_masked_id' });
    expect(ok.status).toBe(201);
  });

  it('when a consent scope is in the grant itself, then sign-in still refuses it', async () => {
    const wide = await oidcParty(stack, { purpose: 'household_registration' }, [
      { purpose: 'household_registration', scopes: ['result', 'name_masked_id', 'card_face'] },
    ]);
    const res = await oidcClient(stack, wide).par({ ...goodParams(), scope: 'openid card_face' });
    expect([res.status, res.body.error]).toEqual([400, 'invalid_scope']);
  });

  it('when the redirect URI is not registered, or openid or the response type is wrong, then the push is refused', async () => {
    const cases: [Record<string, string | undefined>, string][] = [
      // PAR answers an unregistered redirect URI as invalid_request (RFC 9126 section 2.3).
      [{ redirect_uri: 'https://hotel.example.com/other' }, 'invalid_request'],
      [{ redirect_uri: 'https://evil.example.net/eid/signin/callback' }, 'invalid_request'],
      [{ redirect_uri: undefined }, 'invalid_request'],
      [{ response_type: 'code id_token' }, 'unsupported_response_type'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ scope: 'name_masked_id' }, 'invalid_request'],
    ];
    for (const [change, error] of cases) {
      const res = await rp.par({ ...goodParams(), ...change });
      expect([change, res.status, res.body.error]).toEqual([change, 400, error]);
    }
  });

  it('when prompt=none is asked, then it is refused at once: every sign-in needs the phone', async () => {
    const pushed = await rp.par({ ...goodParams(), prompt: 'none' });
    expect(pushed.status).toBe(201);
    const fresh = oidcClient(stack, party);
    const stop = await fresh.authorize(pushed.body.request_uri);
    expect(stop.left).toMatchObject({ error: 'login_required', state: 'st-1', iss: `${stack.url}/oidc` });
    expect(fresh.uid).toBeUndefined();
  });
});
