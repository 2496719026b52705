import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { maskIdNumber } from '@eid/shared';
import { codeOf, holderWithCard, residentIdOf, type Holder } from '../../helpers/card-flow';
import { expectError } from '../../helpers/enrollment';
import { oidcClient, oidcParty, type OidcClient } from '../../helpers/oidc';
import type { RegisteredParty } from '../../helpers/party';
import { approveSignIn, openSignIn } from '../../helpers/signin';
import { startStack, type Stack } from '../../helpers/stack';

// Acceptance of issue 17 over HTTP, the resident's side of a sign-in as the party sees it: the pairwise
// `sub` (one per party, stable, the same rp/verify gives), claims limited to the scopes asked (never the full
// ID number), the control-code mismatch ending at the party as access_denied, and a suspended card stopping
// every sign-in of the resident at once, wherever each one stands.
let stack: Stack;
let jwks: ReturnType<typeof createLocalJWKSet>;
let hotel: RegisteredParty;
let inn: RegisteredParty;
beforeAll(async () => {
  stack = await startStack();
  hotel = await oidcParty(stack);
  inn = await oidcParty(stack);
  jwks = createLocalJWKSet((await (await fetch(`${stack.url}/oidc/jwks`)).json()) as JSONWebKeySet);
});
afterAll(() => stack.stop());

/** The party's browser is on the sign-in page of a request for `scope`. */
async function begin(party: RegisteredParty, scope = 'openid result') {
  const rp = oidcClient(stack, party);
  return { rp, begun: await rp.begin({ scope }) };
}

/** Approved on `holder`'s phone (level 1). */
async function approved(party: RegisteredParty, holder: Holder, scope?: string) {
  const started = await begin(party, scope);
  const { approve } = await approveSignIn(stack, holder, started.begun.requestCode!);
  expect(approve.status).toBe(200);
  return started;
}

/** Finished on the page: the code the party received. */
async function codeOfFinish(rp: OidcClient): Promise<string> {
  const back = await rp.finish();
  expect(back.left?.error).toBeUndefined();
  return back.left!.code!;
}

/** A whole sign-in: the verified ID token's claims and the tokens. */
async function signIn(party: RegisteredParty, holder: Holder, scope?: string) {
  const { rp, begun } = await approved(party, holder, scope);
  const tokens = await rp.token(await codeOfFinish(rp), begun.verifier);
  expect(tokens.status).toBe(200);
  const { payload } = await jwtVerify(tokens.body.id_token, jwks, {
    issuer: rp.issuer,
    audience: party.party.id,
  });
  return { payload, tokens: tokens.body, rp };
}

describe('pairwise sub', () => {
  it('when one resident signs in at two parties, then each gets its own sub; the same party twice gets the same one; another resident another', async () => {
    const holder = await holderWithCard(stack);
    const other = await holderWithCard(stack);
    const atHotel = (await signIn(hotel, holder)).payload.sub;
    const atHotelAgain = (await signIn(hotel, holder)).payload.sub;
    const atInn = (await signIn(inn, holder)).payload.sub;
    const otherAtHotel = (await signIn(hotel, other)).payload.sub;
    expect(atHotel).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(atHotelAgain).toBe(atHotel);
    expect(atInn).not.toBe(atHotel);
    expect(otherAtHotel).not.toBe(atHotel);
    // Never the resident's own id, which would link the parties.
    const residentId = residentIdOf(holder.token);
    expect([atHotel, atInn]).not.toContain(residentId);
  });

  it('when the party also checks the resident’s bright code with POST /api/v1/rp/verify, then the subject there is the sub of its ID token', async () => {
    const holder = await holderWithCard(stack);
    for (const party of [hotel, inn]) {
      const { payload, tokens, rp } = await signIn(party, holder);
      const verified = await party.signed('POST', '/api/v1/rp/verify', {
        code: codeOf(stack, holder),
        purpose: 'hotel_check_in',
      });
      expect(verified.status).toBe(200);
      expect(verified.body.subject).toBe(payload.sub);
      // And userinfo names the same subject.
      expect((await rp.userinfo(tokens.access_token)).body.sub).toBe(payload.sub);
      stack.clock.advance(1000);
    }
  });
});

describe('claims limited to the scopes', () => {
  /** What an ID token carries besides who, when and how: the personal claims. */
  const PROTOCOL = new Set([
    'iss',
    'sub',
    'aud',
    'exp',
    'iat',
    'nonce',
    'acr',
    'amr',
    'auth_time',
    'at_hash',
    'sid',
  ]);
  const personal = (claims: JWTPayload | Record<string, unknown>) =>
    Object.keys(claims)
      .filter((k) => !PROTOCOL.has(k))
      .sort();

  it('when a party asks some of its scopes, then the ID token and userinfo carry exactly those scopes’ claims, and never the full ID number', async () => {
    // Scopes are granted per purpose, by the fields it needs: the province comes under a purpose of its own.
    const province = await oidcParty(stack, { purpose: 'residence_province' }, [
      { purpose: 'residence_province', scopes: ['result', 'residence_province'] },
    ]);
    const holder = await holderWithCard(stack);
    const cases: [RegisteredParty, string, string[]][] = [
      [hotel, 'openid result', []],
      [hotel, 'openid age_over_18', ['age_over_18']],
      [hotel, 'openid name_masked_id', ['id_number_masked', 'name']],
      [hotel, 'openid result age_over_18 name_masked_id', ['age_over_18', 'id_number_masked', 'name']],
      [province, 'openid residence_province', ['residence_province']],
      [province, 'openid result', []],
    ];
    for (const [party, scope, expected] of cases) {
      const { payload, tokens, rp } = await signIn(party, holder, scope);
      expect([scope, personal(payload)]).toEqual([scope, expected]);
      expect(tokens.scope).toBe(scope);
      const me = await rp.userinfo(tokens.access_token);
      expect(me.status).toBe(200);
      expect([scope, personal(me.body)]).toEqual([scope, expected]);
      // The full number, the birth date and the address are in no scope of sign-in.
      for (const text of [JSON.stringify(payload), JSON.stringify(me.body)]) {
        expect(text).not.toContain(holder.person.idNumber);
        expect(text).not.toContain(holder.person.idNumber.slice(6, 14));
      }
      if (expected.includes('name')) {
        expect(payload).toMatchObject({
          name: holder.person.name,
          id_number_masked: maskIdNumber(holder.person.idNumber),
        });
      }
      if (expected.includes('age_over_18')) expect(typeof payload.age_over_18).toBe('boolean');
      if (expected.includes('residence_province')) expect(typeof payload.residence_province).toBe('string');
    }
  });

  it('when a party asks a sign-in scope outside its grant, then invalid_scope at PAR and no sign-in starts', async () => {
    // (provider-par.test.ts goes through every kind of refused scope; this is the grant's edge, end to end.)
    const rp = oidcClient(stack, hotel);
    await expect(rp.begin({ scope: 'openid residence_province' })).rejects.toThrow(/invalid_scope/);
    expect(rp.uid).toBeUndefined();
  });
});

describe('the control code', () => {
  it('when the resident taps a code the desktop does not show, then the sign-in ends and the party receives access_denied, no code', async () => {
    const holder = await holderWithCard(stack);
    const { rp, begun } = await begin(hotel);
    const { approve } = await approveSignIn(stack, holder, begun.requestCode!, { wrongControlCode: true });
    expectError(approve, 409, 'SIGNIN_CONTROL_CODE_MISMATCH');
    expect((await rp.status()).body.state).toBe('cancelled');
    const back = await rp.finish();
    expect(back.left).toMatchObject({ error: 'access_denied', state: begun.state, iss: rp.issuer });
    expect(back.left!.code).toBeUndefined();
    // Not even the right code revives it.
    const retry = await approveSignIn(stack, holder, begun.requestCode!);
    expectError(retry.approve, 409, 'SIGNIN_WRONG_STATE');
  });
});

describe('a suspended card', () => {
  it('when the resident suspends the card, then every sign-in stops at once: the pending ones cannot be approved, the approved one cannot finish, the redeemed code and the tokens are refused', async () => {
    const holder = await holderWithCard(stack);
    // One already redeemed (its access token in the party's hands), one with a code not exchanged yet, one
    // approved but not finished, one opened on the phone, one not yet scanned.
    const redeemed = await signIn(hotel, holder, 'openid name_masked_id');
    const withCode = await approved(inn, holder);
    const code = await codeOfFinish(withCode.rp);
    const unfinished = await approved(hotel, holder);
    const opened = await begin(inn);
    expect((await openSignIn(stack, holder, opened.begun.requestCode!)).status).toBe(200);
    const unscanned = await begin(hotel);

    const suspended = await stack.api('POST', '/api/v1/card/suspend', { token: holder.token, body: {} });
    expect(suspended.status).toBe(200);

    const exchange = await withCode.rp.token(code, withCode.begun.verifier);
    expect([exchange.status, exchange.body.error]).toEqual([400, 'invalid_grant']);
    const finished = await unfinished.rp.finish();
    expect(finished.left).toMatchObject({ error: 'access_denied', state: unfinished.begun.state });
    expect(finished.left!.code).toBeUndefined();
    for (const pending of [opened, unscanned]) {
      const { approve } = await approveSignIn(stack, holder, pending.begun.requestCode!);
      expectError(approve, 409, 'CARD_SUSPENDED');
      expect((await pending.rp.status()).body.state).not.toBe('approved');
    }
    // What was issued before is no longer answered either.
    const me = await redeemed.rp.userinfo(redeemed.tokens.access_token);
    expect([me.status, me.body.error]).toEqual([401, 'invalid_token']);
    // And a new sign-in cannot be approved.
    const fresh = await begin(hotel);
    expectError(
      (await approveSignIn(stack, holder, fresh.begun.requestCode!)).approve,
      409,
      'CARD_SUSPENDED',
    );
  });
});
