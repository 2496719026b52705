import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { SignInLevel } from '@eid/shared';
import { holderWithCard, reauthToken, type Holder } from '../../helpers/card-flow';
import { traceOf } from '../../helpers/document-call';
import { expectError } from '../../helpers/enrollment';
import { oidcClient, oidcParty, type OidcClient } from '../../helpers/oidc';
import type { RegisteredParty } from '../../helpers/party';
import {
  TEST_PASSCODE,
  approvalBody,
  approveSignIn,
  openSignIn,
  setPasscode,
  signInPost,
  type ApprovalOptions,
} from '../../helpers/signin';
import { startStack, type Stack } from '../../helpers/stack';

// Acceptance of issue 17 over HTTP, assurance levels end to end: the level a sign-in needs is the party's
// registered level or the higher one acr_values asks for, never lower; without the face step a level-3
// sign-in never reaches the party; the achieved level is in the ID token (acr, amr) and in the resident's
// usage record; passcode throttling inside a sign-in pauses but never locks the resident out of it.
let stack: Stack;
let jwks: ReturnType<typeof createLocalJWKSet>;
const parties = {} as Record<SignInLevel, RegisteredParty>;
beforeAll(async () => {
  stack = await startStack();
  for (const level of [1, 2, 3] as const) parties[level] = await oidcParty(stack, { level });
  jwks = createLocalJWKSet((await (await fetch(`${stack.url}/oidc/jwks`)).json()) as JSONWebKeySet);
});
afterAll(() => stack.stop());

const AMR: Record<SignInLevel, string[]> = {
  1: ['swk'],
  2: ['swk', 'pin', 'mfa'],
  3: ['swk', 'pin', 'face', 'mfa'],
};

/** A resident with a card and TEST_PASSCODE set. */
async function resident(): Promise<Holder> {
  const holder = await holderWithCard(stack);
  await setPasscode(stack, holder);
  return holder;
}

/** The party's browser started a sign-in (PAR with `params`) and is on the sign-in page. */
async function begin(party: RegisteredParty, params: Record<string, string> = {}) {
  const rp = oidcClient(stack, party);
  const begun = await rp.begin({ scope: 'openid result', ...params });
  return { rp, begun };
}

/** The page finishes, the party exchanges the code and verifies the ID token with jose. */
async function redeem(rp: OidcClient, begun: { verifier: string; nonce: string }, party: RegisteredParty) {
  const back = await rp.finish();
  expect(back.left?.error).toBeUndefined();
  const tokens = await rp.token(back.left!.code!, begun.verifier);
  expect(tokens.status).toBe(200);
  const { payload } = await jwtVerify(tokens.body.id_token, jwks, {
    issuer: rp.issuer,
    audience: party.party.id,
  });
  expect(payload.nonce).toBe(begun.nonce);
  return payload;
}

/** A whole sign-in at `party` approved by `holder` as `approval` says: the verified ID token's claims. */
async function signIn(
  party: RegisteredParty,
  holder: Holder,
  approval: ApprovalOptions,
  params: Record<string, string> = {},
): Promise<JWTPayload> {
  const { rp, begun } = await begin(party, params);
  const { approve } = await approveSignIn(stack, holder, begun.requestCode!, approval);
  expect(approve.status).toBe(200);
  return redeem(rp, begun, party);
}

const pageLevel = (page: string) => /data-level="(\d)"/.exec(page)?.[1];

describe('levels: what the party gets', () => {
  it('when a party is registered at level 1, 2 or 3, then the ID token says that level in acr and its methods in amr', async () => {
    const holder = await resident();
    const approvals: Record<SignInLevel, ApprovalOptions> = {
      1: {},
      2: { passcode: TEST_PASSCODE },
      3: { passcode: TEST_PASSCODE, reauthToken: true },
    };
    for (const level of [1, 2, 3] as const) {
      const payload = await signIn(parties[level], holder, approvals[level]);
      expect([level, payload.acr, payload.amr]).toEqual([level, `urn:cn:eid:loa:${level}`, AMR[level]]);
      expect(payload.auth_time).toBe(Math.floor(stack.clock.now() / 1000));
    }
  });

  it('when a level-1 party asks acr_values level 3, then the resident must give passcode and face, and the token says level 3', async () => {
    const holder = await resident();
    const { rp, begun } = await begin(parties[1], { acr_values: 'urn:cn:eid:loa:3' });
    expect(pageLevel(begun.page)).toBe('3');
    // What the party registered (level 1) is not enough any more.
    const low = await approveSignIn(stack, holder, begun.requestCode!);
    expect(low.view.level).toBe(3);
    expectError(low.approve, 403, 'SIGNIN_LEVEL_NOT_MET');
    const { approve } = await approveSignIn(stack, holder, begun.requestCode!, {
      passcode: TEST_PASSCODE,
      reauthToken: true,
    });
    expect(approve.status).toBe(200);
    const payload = await redeem(rp, begun, parties[1]);
    expect([payload.acr, payload.amr]).toEqual(['urn:cn:eid:loa:3', AMR[3]]);
  });
});

describe('levels: a level-3 party cannot be answered at level 2', () => {
  it('when it asks acr_values level 2, then the sign-in still needs the face step; approving without it is SIGNIN_LEVEL_NOT_MET and the party never gets a code', async () => {
    const holder = await resident();
    const { rp, begun } = await begin(parties[3], { acr_values: 'urn:cn:eid:loa:2' });
    expect(pageLevel(begun.page)).toBe('3');

    const opened = await openSignIn(stack, holder, begun.requestCode!);
    expect(opened.body.level).toBe(3);
    const tryApprove = async (options: ApprovalOptions) =>
      signInPost(
        stack,
        holder,
        opened.body.id,
        'approve',
        await approvalBody(stack, holder, opened.body, begun.requestCode!, options),
      );
    // The passcode alone (what level 2 would need): the face is missing.
    const noFace = await tryApprove({ passcode: TEST_PASSCODE });
    expectError(noFace, 403, 'SIGNIN_LEVEL_NOT_MET');
    expect(noFace.body.details).toEqual({ level: 3, missing: 'face' });
    // A phone that signs the approval as a level-2 one, with everything level 2 needs: not this sign-in.
    const downgraded = await tryApprove({ passcode: TEST_PASSCODE, signed: { level: 2 } });
    expectError(downgraded, 403, 'DEVICE_SIGNATURE_INVALID');
    expect((await rp.status()).body.state).toBe('opened');

    // The party's page cannot finish it, and when the time is up the party hears access_denied, no code.
    const early = await rp.finish();
    expect(early.left).toBeUndefined();
    expectError(early.last, 409, 'SIGNIN_WRONG_STATE');
    stack.clock.advance(stack.config.SIGNIN_TTL_S * 1000 + 1000);
    expect((await rp.status()).body.state).toBe('expired');
    const late = await rp.finish();
    expect(late.left).toMatchObject({ error: 'access_denied', state: begun.state });
    expect(late.left!.code).toBeUndefined();
    // No approval was recorded for it.
    const trace = await traceOf(stack, holder);
    expect(trace.filter((e) => e.action === 'signin.approve')).toEqual([]);
  });

  it('when the resident adds the face step to the same sign-in, then it completes at level 3', async () => {
    const holder = await resident();
    const { rp, begun } = await begin(parties[3], { acr_values: 'urn:cn:eid:loa:2' });
    const noFace = await approveSignIn(stack, holder, begun.requestCode!, { passcode: TEST_PASSCODE });
    expectError(noFace.approve, 403, 'SIGNIN_LEVEL_NOT_MET');
    const { approve } = await approveSignIn(stack, holder, begun.requestCode!, {
      passcode: TEST_PASSCODE,
      reauthToken: true,
    });
    expect(approve.status).toBe(200);
    const payload = await redeem(rp, begun, parties[3]);
    expect([payload.acr, payload.amr]).toEqual(['urn:cn:eid:loa:3', AMR[3]]);
  });
});

describe('levels: the usage trace', () => {
  it('when a resident signs in at three parties, then GET /api/v1/usage lists each with the party, purpose, achieved level and fields', async () => {
    const holder = await resident();
    const bank = await oidcParty(stack, { level: 2, purpose: 'finance' }, [
      { purpose: 'finance', scopes: ['result', 'name_masked_id', 'age_over_18'] },
    ]);
    await signIn(parties[1], holder, {}, { scope: 'openid name_masked_id' });
    await signIn(bank, holder, { passcode: TEST_PASSCODE }, { scope: 'openid age_over_18' });
    // Asked above the registration: the record says the level achieved, 3.
    await signIn(
      parties[1],
      holder,
      { passcode: TEST_PASSCODE, reauthToken: true },
      { scope: 'openid result', acr_values: 'urn:cn:eid:loa:3' },
    );
    const res = await stack.api('GET', '/api/v1/usage?limit=100', { token: holder.token });
    expect(res.status).toBe(200);
    const signins = (res.body.items as Record<string, any>[])
      .filter((e) => e.action === 'signin.approve')
      .sort((a, b) => Number(a.detail.level) - Number(b.detail.level));
    expect(signins).toHaveLength(3);
    expect(signins).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({
          type: 'third_party',
          id: parties[1].party.id,
          displayName: parties[1].party.name,
        }),
        purpose: 'hotel_check_in',
        fields: ['name', 'idNumberMasked'],
        result: 'ok',
        detail: expect.objectContaining({ level: 1, acr: 'urn:cn:eid:loa:1' }),
      }),
      expect.objectContaining({
        actor: expect.objectContaining({
          type: 'third_party',
          id: bank.party.id,
          displayName: bank.party.name,
        }),
        purpose: 'finance',
        fields: ['ageOver18'],
        result: 'ok',
        detail: expect.objectContaining({ level: 2, acr: 'urn:cn:eid:loa:2' }),
      }),
      expect.objectContaining({
        actor: expect.objectContaining({ type: 'third_party', id: parties[1].party.id }),
        purpose: 'hotel_check_in',
        fields: [],
        result: 'ok',
        detail: expect.objectContaining({ level: 3, acr: 'urn:cn:eid:loa:3' }),
      }),
    ]);
  });
});

describe('levels: passcode throttling inside a sign-in', () => {
  const WRONG = '591736';

  /** A level-2 sign-in the resident opened on the phone, and a way to answer it. */
  async function openedLevel2(holder: Holder) {
    const { rp, begun } = await begin(parties[2]);
    const opened = await openSignIn(stack, holder, begun.requestCode!);
    expect(opened.status).toBe(200);
    const answer = async (passcode: string) =>
      signInPost(
        stack,
        holder,
        opened.body.id,
        'approve',
        await approvalBody(stack, holder, opened.body, begun.requestCode!, { passcode }),
      );
    return { rp, begun, answer };
  }

  /** Wrong passcodes until the pause: each answer's code and tries left. */
  async function wrongUntilPaused(answer: (p: string) => Promise<{ status: number; body: any }>) {
    const answers = [];
    for (let i = 0; i < stack.config.PASSCODE_MAX_TRIES; i++) {
      const res = await answer(WRONG);
      answers.push([res.status, res.body.code, res.body.details?.triesLeft]);
    }
    return answers;
  }

  it('when wrong passcodes come, then PASSCODE_WRONG with the tries left, then PASSCODE_PAUSED even for the right one; after the pause the right one approves and the party signs the resident in', async () => {
    const holder = await resident();
    const { rp, begun, answer } = await openedLevel2(holder);
    const max = stack.config.PASSCODE_MAX_TRIES;
    expect(await wrongUntilPaused(answer)).toEqual(
      Array.from({ length: max }, (_, i) => [403, 'PASSCODE_WRONG', max - 1 - i]),
    );
    const paused = await answer(TEST_PASSCODE);
    expectError(paused, 429, 'PASSCODE_PAUSED');
    expect(paused.body.details.pausedUntil).toBeGreaterThan(stack.clock.now());
    expect((await rp.status()).body.state).toBe('opened');

    stack.clock.set(paused.body.details.pausedUntil);
    const right = await answer(TEST_PASSCODE);
    expect(right.status).toBe(200);
    expect(right.body).toMatchObject({ state: 'approved', level: 2 });
    const payload = await redeem(rp, begun, parties[2]);
    expect(payload.acr).toBe('urn:cn:eid:loa:2');
  });

  it('when the resident resets the passcode with a face check during the pause, then the same sign-in is approved with the new passcode at once', async () => {
    const holder = await resident();
    const { rp, begun, answer } = await openedLevel2(holder);
    await wrongUntilPaused(answer);
    expectError(await answer(TEST_PASSCODE), 429, 'PASSCODE_PAUSED');

    const fresh = '730561';
    const reset = await stack.api('POST', '/api/v1/passcode/reset', {
      token: holder.token,
      body: { passcode: fresh, reauthToken: await reauthToken(stack, holder.token) },
    });
    expect(reset.status).toBe(200);
    // The old passcode is no longer it, and is simply wrong (no pause left).
    const old = await answer(TEST_PASSCODE);
    expectError(old, 403, 'PASSCODE_WRONG');
    const right = await answer(fresh);
    expect(right.status).toBe(200);
    expect((await redeem(rp, begun, parties[2])).acr).toBe('urn:cn:eid:loa:2');
  });
});
