import { base64urlEncode, formatSignInCode, parseSignInCode } from '@eid/shared';
import { holderWithCard } from '../../helpers/card-flow';
import { expectError } from '../../helpers/enrollment';
import { registerParty, type RegisteredParty } from '../../helpers/party';
import { controlCodeOfRequest, openSignIn, signInParty, startSignIn } from '../../helpers/signin';
import { startStack, type Stack } from '../../helpers/stack';

let stack: Stack;
let party: RegisteredParty;
beforeAll(async () => {
  stack = await startStack();
  party = await signInParty(stack, 2);
});
afterAll(() => stack.stop());

const getSignIn = (token: string, id: string) => stack.api('GET', `/api/v1/signins/${id}`, { token });

it('when the resident opens a request code, then they see who asks (the signed registration), where the browser returns, the fields, the level and three control-code choices, one of them the right one', async () => {
  const holder = await holderWithCard(stack);
  const started = await startSignIn(stack, party, { scopes: ['name_masked_id', 'age_over_18'] });
  const res = await openSignIn(stack, holder, started.requestCode);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  const registration = party.party.registration;
  expect(res.body).toEqual({
    id: started.id,
    state: 'opened',
    party: {
      id: party.party.id,
      name: registration.payload.name,
      uscc: registration.payload.uscc,
      category: 'hotel',
      registration,
    },
    returnOrigin: 'https://hotel.example.com',
    purpose: 'hotel_check_in',
    scopes: ['name_masked_id', 'age_over_18'],
    fields: ['name', 'idNumberMasked', 'ageOver18'],
    level: 2,
    controlCodeChoices: expect.any(Array),
    passcodeSet: false,
    createdAt: stack.clock.now(),
    expiresAt: started.expiresAt,
  });
  const choices: string[] = res.body.controlCodeChoices!;
  expect(choices).toHaveLength(3);
  expect(new Set(choices).size).toBe(3);
  for (const c of choices) expect(c).toMatch(/^[0-9]{4}$/);
  expect(choices).toContain(controlCodeOfRequest(started.requestCode));
  expect(choices).toContain(started.controlCode);
  // The signed registration states the origin the phone compares returnOrigin with.
  expect(registration.payload.signIn).toEqual({ origin: 'https://hotel.example.com', level: 2 });

  // Every read shows the same choices in the same order: opening again and reading it.
  const again = await openSignIn(stack, holder, started.requestCode);
  expect(again.status).toBe(200);
  expect(again.body.controlCodeChoices).toEqual(choices);
  const read = await getSignIn(holder.token, started.id);
  expect(read.status).toBe(200);
  expect(read.body).toEqual(res.body);
});

it('when a second resident opens a code another opened first, then SIGNIN_WRONG_STATE, and they cannot read it', async () => {
  const first = await holderWithCard(stack);
  const second = await holderWithCard(stack);
  const started = await startSignIn(stack, party);
  expect((await openSignIn(stack, first, started.requestCode)).status).toBe(200);
  const res = await openSignIn(stack, second, started.requestCode);
  expectError(res, 409, 'SIGNIN_WRONG_STATE');
  expect(res.body.details).toEqual({ state: 'opened' });
  expectError(await getSignIn(second.token, started.id), 404, 'NOT_FOUND');
  // The first resident still holds it.
  expect((await getSignIn(first.token, started.id)).body.state).toBe('opened');
});

it('when racing residents open one code, then exactly one binds it', async () => {
  const holders = await Promise.all([holderWithCard(stack), holderWithCard(stack), holderWithCard(stack)]);
  const started = await startSignIn(stack, party);
  const results = await Promise.all(holders.map((h) => openSignIn(stack, h, started.requestCode)));
  expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
});

it('when the text is not a sign-in code, or its secret is wrong, or it names no sign-in, then SIGNIN_CODE_INVALID', async () => {
  const holder = await holderWithCard(stack);
  const started = await startSignIn(stack, party);
  const { id, secret } = parseSignInCode(started.requestCode)!;
  const otherSecret = base64urlEncode(globalThis.crypto.getRandomValues(new Uint8Array(16)));
  const unknownId = base64urlEncode(globalThis.crypto.getRandomValues(new Uint8Array(16)));
  const cases: [string, string][] = [
    ['malformed', 'not a code'],
    ['malformed', started.requestCode.replace('EIDS1:', 'EIDC1:')],
    ['malformed', ` ${started.requestCode}`],
    ['unknown_request', formatSignInCode(id, otherSecret)],
    ['unknown_request', formatSignInCode(unknownId, secret)],
  ];
  for (const [reason, code] of cases) {
    const res = await openSignIn(stack, holder, code);
    expectError(res, 400, 'SIGNIN_CODE_INVALID');
    expect(res.body.details).toEqual({ reason });
  }
  // A forged secret binds nothing: the right code still opens it for anyone.
  expect((await openSignIn(stack, holder, started.requestCode)).status).toBe(200);
});

it('when the body or id is not what the routes take, then VALIDATION_FAILED; without a session, 401', async () => {
  const holder = await holderWithCard(stack);
  const started = await startSignIn(stack, party);
  const withExtra = await stack.api('POST', '/api/v1/signins/open', {
    token: holder.token,
    body: { code: started.requestCode, extra: 1 },
  });
  expectError(withExtra, 400, 'VALIDATION_FAILED');
  expectError(
    await stack.api('POST', '/api/v1/signins/open', { token: holder.token, body: { code: 42 } }),
    400,
    'VALIDATION_FAILED',
  );
  expectError(await getSignIn(holder.token, 'short'), 400, 'VALIDATION_FAILED');
  const anonymous = await stack.api('POST', '/api/v1/signins/open', { body: { code: started.requestCode } });
  expect(anonymous.status).toBe(401);
});

it('when the resident opens a code after its time, then SIGNIN_EXPIRED; an opened one reads expired and shows no choices', async () => {
  const holder = await holderWithCard(stack);
  const late = await startSignIn(stack, party);
  const opened = await startSignIn(stack, party);
  expect((await openSignIn(stack, holder, opened.requestCode)).status).toBe(200);
  stack.clock.advance(stack.config.SIGNIN_TTL_S * 1000);
  expectError(await openSignIn(stack, holder, late.requestCode), 410, 'SIGNIN_EXPIRED');
  const read = await getSignIn(holder.token, opened.id);
  expect(read.status).toBe(200);
  expect(read.body.state).toBe('expired');
  expect(read.body.controlCodeChoices).toBeUndefined();
  expect((await stack.services.signins.outcome(opened.id)).state).toBe('expired');
});

it('when a party not registered for sign-in is started, then PARTY_SIGNIN_INVALID', async () => {
  const plain = await registerParty(stack);
  const held = await stack.services.parties.get(plain.party.id);
  await expect(
    stack.services.signins.start({
      interactionUid: 'plain-party',
      party: held!,
      scopes: ['name_masked_id'],
      level: 1,
      returnUri: 'https://hotel.example.com/signin/callback',
    }),
  ).rejects.toMatchObject({ code: 'PARTY_SIGNIN_INVALID' });
});
