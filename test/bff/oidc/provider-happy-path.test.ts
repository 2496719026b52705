import { maskIdNumber, parseSignInCode } from '@eid/shared';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { holderWithCard, residentIdOf } from '../../helpers/card-flow';
import { oidcClient, oidcParty } from '../../helpers/oidc';
import { adminCall, type RegisteredParty } from '../../helpers/party';
import { approveSignIn } from '../../helpers/signin';
import { startStack, type Stack } from '../../helpers/stack';

// One whole remote sign-in through the provider (issue 17): the party pushes the request, the browser lands
// on the sign-in page, the resident approves on the phone, the page finishes, the party gets a code and
// exchanges it for an EdDSA ID token it verifies against the published keys. The acceptance suite of the
// flow (levels, refusals end to end) is flow*.test.ts; this is the provider's own proof that its parts meet.
let stack: Stack;
let party: RegisteredParty;
beforeAll(async () => {
  stack = await startStack();
  party = await oidcParty(stack, { level: 1 });
});
afterAll(() => stack.stop());

/** A resident with a card, a sign-in approved on the phone, and the browser back at the party. */
async function approvedSignIn(scope = 'openid name_masked_id age_over_18') {
  const holder = await holderWithCard(stack);
  const rp = oidcClient(stack, party);
  const begun = await rp.begin({ scope });
  const { approve } = await approveSignIn(stack, holder, begun.requestCode!);
  expect(approve.status).toBe(200);
  expect((await rp.status()).body.state).toBe('approved');
  return { holder, rp, begun };
}

describe('OpenID provider: a whole sign-in', () => {
  it('when the resident approves, then the party gets a code and an ID token with the pairwise sub, acr, amr, nonce and the claims of its scopes', async () => {
    const { holder, rp, begun } = await approvedSignIn();
    const back = await rp.finish();
    expect(back.left).toMatchObject({ state: begun.state, iss: `${stack.url}/oidc` });
    expect(back.left!.error).toBeUndefined();
    expect(back.left!.url.startsWith(`${rp.redirectUri}?`)).toBe(true);
    const code = back.left!.code!;
    expect(code).toBeTruthy();

    const tokens = await rp.token(code, begun.verifier);
    expect(tokens.status).toBe(200);
    expect(tokens.headers.get('cache-control')).toBe('no-store');
    expect(tokens.body).toMatchObject({ token_type: 'Bearer', scope: 'openid name_masked_id age_over_18' });
    expect(tokens.body.refresh_token).toBeUndefined();
    const idToken: string = tokens.body.id_token;
    expect(decodeProtectedHeader(idToken)).toMatchObject({
      alg: 'EdDSA',
      kid: stack.deps.keys.oidcSigningJwks()[0]!.kid,
    });

    const discovery = (await rp.discovery()).body;
    const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
      issuer: discovery.issuer,
      audience: party.party.id,
    });
    const residentId = residentIdOf(holder.token);
    // The same subject the party's other APIs give it for this resident, and not the resident's own id.
    expect(payload.sub).toBe(stack.deps.keys.pairwiseSubject(party.party.id, residentId));
    expect(payload.sub).not.toBe(residentId);
    expect(payload).toMatchObject({
      nonce: begun.nonce,
      acr: 'urn:cn:eid:loa:1',
      amr: ['swk'],
      auth_time: Math.floor(stack.clock.now() / 1000),
      name: holder.person.name,
      age_over_18: true,
    });
    expect(payload.id_number_masked).toBe(maskIdNumber(holder.person.idNumber));
    expect(payload.residence_province).toBeUndefined();

    // The access token reads the same claims at /oidc/me.
    const me = await rp.userinfo(tokens.body.access_token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ sub: payload.sub, name: holder.person.name });

    // Single use: the second exchange of the same code is refused, and what the first one gave is revoked.
    const again = await rp.token(code, begun.verifier);
    expect([again.status, again.body.error]).toEqual([400, 'invalid_grant']);
    const revoked = await rp.userinfo(tokens.body.access_token);
    expect([revoked.status, revoked.body.error]).toEqual([401, 'invalid_token']);
    // Nothing personal reached the log.
    const logs = stack.logs.join('\n');
    expect(logs).not.toContain(holder.person.idNumber);
    expect(logs).not.toContain(holder.person.name);
    expect(logs).not.toContain(code);
    expect(stack.logs.filter((line) => JSON.parse(line).level === 'error')).toEqual([]);
  });

  it('when the code is exchanged with the wrong verifier, without one, or for another redirect URI, then invalid_grant', async () => {
    for (const spoil of [
      (rp: ReturnType<typeof oidcClient>, code: string) => rp.token(code, 'x'.repeat(43)),
      (rp: ReturnType<typeof oidcClient>, code: string) => rp.token(code, undefined),
      (rp: ReturnType<typeof oidcClient>, code: string, verifier: string) =>
        rp.token(code, verifier, {}, { redirect_uri: 'https://hotel.example.com/other' }),
    ]) {
      const { rp, begun } = await approvedSignIn('openid result');
      const code = (await rp.finish()).left!.code!;
      const res = await spoil(rp, code, begun.verifier);
      expect([res.status, res.body.error]).toEqual([400, 'invalid_grant']);
    }
  });

  it('when the code is older than its lifetime, then invalid_grant', async () => {
    const { rp, begun } = await approvedSignIn('openid result');
    const code = (await rp.finish()).left!.code!;
    stack.clock.advance((stack.config.OIDC_CODE_TTL_S + 1) * 1000);
    const res = await rp.token(code, begun.verifier);
    expect([res.status, res.body.error]).toEqual([400, 'invalid_grant']);
  });

  it('when the card is suspended between the approval and the code exchange, then invalid_grant', async () => {
    const { holder, rp, begun } = await approvedSignIn('openid result');
    const code = (await rp.finish()).left!.code!;
    const suspended = await stack.api('POST', '/api/v1/card/suspend', { token: holder.token, body: {} });
    expect(suspended.status).toBe(200);
    const res = await rp.token(code, begun.verifier);
    expect([res.status, res.body.error]).toEqual([400, 'invalid_grant']);
  });

  it('when the party is suspended after the approval, then the page is gone, finish hands nothing over and the browser sees why', async () => {
    const hotel = await oidcParty(stack);
    const holder = await holderWithCard(stack);
    const rp = oidcClient(stack, hotel);
    const begun = await rp.begin({ scope: 'openid result' });
    expect((await approveSignIn(stack, holder, begun.requestCode!)).approve.status).toBe(200);
    const path = `/api/v1/admin/parties/${hotel.party.id}`;
    expect((await adminCall(stack, 'PATCH', path, { status: 'suspended' })).status).toBe(200);
    const status = await rp.status();
    expect([status.status, status.body.code]).toEqual([404, 'NOT_FOUND']);
    // A suspended party is no client: the provider cannot send the browser back to it, so the browser stays
    // on the provider's error page, and no code is issued.
    const back = await rp.finish();
    expect(back.left).toBeUndefined();
    expect(back.last.status).toBe(400);
    const page = String(back.last.body);
    expect(page).toContain('<code>access_denied</code>');
    expect(page).toContain('the party may not sign residents in now.');
    expect(page).not.toContain(rp.redirectUri);
    // The approval was never handed over.
    const outcome = await stack.services.signins.outcome(parseSignInCode(begun.requestCode!)!.id);
    expect(outcome.state).toBe('approved');
  });

  it('when the provider has stored its artefacts, then each model has its collection with a TTL index and every entry an expiry', async () => {
    await approvedSignIn('openid result');
    for (const name of [
      'oidc_interaction',
      'oidc_session',
      'oidc_grant',
      'oidc_pushed_authorization_request',
    ]) {
      const collection = stack.deps.db.collection(name);
      const indexes = await collection.indexes();
      expect([name, indexes.find((i) => i.key.expiresAt === 1)?.expireAfterSeconds]).toEqual([name, 0]);
      const docs = await collection.find({}).toArray();
      expect(docs.length).toBeGreaterThan(0);
      for (const doc of docs) expect([name, doc.expiresAt instanceof Date]).toEqual([name, true]);
    }
  });

  it('when the resident declines on the phone, then the page says so and finish sends the party access_denied', async () => {
    const holder = await holderWithCard(stack);
    const rp = oidcClient(stack, party);
    const begun = await rp.begin();
    const opened = await stack.api('POST', '/api/v1/signins/open', {
      token: holder.token,
      body: { code: begun.requestCode },
    });
    expect(opened.status).toBe(200);
    const declined = await stack.api('POST', `/api/v1/signins/${opened.body.id}/decline`, {
      token: holder.token,
      body: {},
    });
    expect(declined.status).toBe(200);
    expect((await rp.status()).body.state).toBe('declined');
    const back = await rp.finish();
    expect(back.left).toMatchObject({ error: 'access_denied', state: begun.state });
    expect(back.left!.code).toBeUndefined();
  });

  it('when the same browser signs in twice, then the second time needs the phone again (no single sign-on)', async () => {
    const { rp } = await approvedSignIn('openid result');
    expect((await rp.finish()).left!.code).toBeTruthy();
    const firstUid = rp.uid;
    const second = await rp.begin({ scope: 'openid result' });
    expect(second.uid).not.toBe(firstUid);
    expect((await rp.status()).body.state).toBe('pending');
  });
});
