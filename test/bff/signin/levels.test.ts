import { holderWithCard, reauthToken, residentIdOf } from '../../helpers/card-flow';
import { traceOf } from '../../helpers/document-call';
import { expectError } from '../../helpers/enrollment';
import type { RegisteredParty } from '../../helpers/party';
import {
  TEST_PASSCODE,
  approvalBody,
  approveSignIn,
  openSignIn,
  setPasscode,
  signInParty,
  signInPost,
  startSignIn,
} from '../../helpers/signin';
import { startStack, type Stack } from '../../helpers/stack';

let stack: Stack;
let level1: RegisteredParty;
let level2: RegisteredParty;
let level3: RegisteredParty;
beforeAll(async () => {
  stack = await startStack();
  [level1, level2, level3] = [
    await signInParty(stack, 1),
    await signInParty(stack, 2),
    await signInParty(stack, 3),
  ];
});
afterAll(() => stack.stop());

const outcome = (id: string) => stack.services.signins.outcome(id);

it('when a level 2 sign-in is approved without the passcode, then SIGNIN_LEVEL_NOT_MET naming the passcode, and it stays open', async () => {
  const holder = await holderWithCard(stack);
  await setPasscode(stack, holder);
  const started = await startSignIn(stack, level2);
  const { approve, view } = await approveSignIn(stack, holder, started.requestCode);
  expect(view).toMatchObject({ level: 2, passcodeSet: true });
  expectError(approve, 403, 'SIGNIN_LEVEL_NOT_MET');
  expect(approve.body.details).toEqual({ level: 2, missing: 'passcode' });
  expect((await outcome(started.id)).state).toBe('opened');
});

it('when a level 2 sign-in is approved with the passcode, then it is approved at level 2 with pin and mfa, and the trace says so', async () => {
  const holder = await holderWithCard(stack);
  await setPasscode(stack, holder);
  const started = await startSignIn(stack, level2, { scopes: ['age_over_18'] });
  const { approve } = await approveSignIn(stack, holder, started.requestCode, { passcode: TEST_PASSCODE });
  expect(approve.status).toBe(200);
  expect(approve.body).toMatchObject({ state: 'approved', level: 2 });
  expect(await outcome(started.id)).toMatchObject({
    state: 'approved',
    level: 2,
    acr: 'urn:cn:eid:loa:2',
    amr: ['swk', 'pin', 'mfa'],
  });
  const entry = (await traceOf(stack, holder)).find((e) => e.action === 'signin.approve');
  expect(entry).toMatchObject({
    actor: { type: 'third_party', id: level2.party.id },
    purpose: 'hotel_check_in',
    fields: ['ageOver18'],
    detail: { signin: started.id, level: 2, acr: 'urn:cn:eid:loa:2' },
  });
  // The passcode itself is nowhere in the trace or the logs.
  expect(JSON.stringify(entry)).not.toContain(TEST_PASSCODE);
  expect(stack.logs.join('\n')).not.toContain(TEST_PASSCODE);
});

it('when a level 2 sign-in gets a wrong passcode, then PASSCODE_WRONG with the tries left and it stays open; without a passcode set, PASSCODE_NOT_SET', async () => {
  const holder = await holderWithCard(stack);
  await setPasscode(stack, holder);
  const started = await startSignIn(stack, level2);
  const { approve } = await approveSignIn(stack, holder, started.requestCode, { passcode: '730519' });
  expectError(approve, 403, 'PASSCODE_WRONG');
  expect(approve.body.details.triesLeft).toBe(stack.config.PASSCODE_MAX_TRIES - 1);
  expect((await outcome(started.id)).state).toBe('opened');

  const fresh = await holderWithCard(stack);
  const second = await startSignIn(stack, level2);
  const res = await approveSignIn(stack, fresh, second.requestCode, { passcode: TEST_PASSCODE });
  expect(res.view.passcodeSet).toBe(false);
  expectError(res.approve, 409, 'PASSCODE_NOT_SET');
});

it('when the device signature is wrong, then no passcode try is spent (the signature is checked first)', async () => {
  const holder = await holderWithCard(stack);
  await setPasscode(stack, holder);
  const started = await startSignIn(stack, level2);
  const opened = await openSignIn(stack, holder, started.requestCode);
  const body = await approvalBody(stack, holder, opened.body, started.requestCode, {
    passcode: '730519',
    signed: { level: 1 },
  });
  expectError(await signInPost(stack, holder, started.id, 'approve', body), 403, 'DEVICE_SIGNATURE_INVALID');
  const status = await stack.api('GET', '/api/v1/passcode', { token: holder.token });
  expect(status.body.triesLeft).toBe(stack.config.PASSCODE_MAX_TRIES);
});

it('when a level 3 sign-in has the passcode but no face check, then SIGNIN_LEVEL_NOT_MET naming the face; without either, the passcode is named first', async () => {
  const holder = await holderWithCard(stack);
  await setPasscode(stack, holder);
  const started = await startSignIn(stack, level3);
  const { approve, view } = await approveSignIn(stack, holder, started.requestCode, {
    passcode: TEST_PASSCODE,
  });
  expect(view.level).toBe(3);
  expectError(approve, 403, 'SIGNIN_LEVEL_NOT_MET');
  expect(approve.body.details).toEqual({ level: 3, missing: 'face' });
  const bare = await signInPost(
    stack,
    holder,
    started.id,
    'approve',
    await approvalBody(stack, holder, view, started.requestCode),
  );
  expectError(bare, 403, 'SIGNIN_LEVEL_NOT_MET');
  expect(bare.body.details).toEqual({ level: 3, missing: 'passcode' });
  expect((await outcome(started.id)).state).toBe('opened');
});

it('when a level 3 sign-in has the passcode and a fresh face token, then it is approved at level 3; the token cannot be used again', async () => {
  const holder = await holderWithCard(stack);
  await setPasscode(stack, holder);
  const token = await reauthToken(stack, holder.token);
  const started = await startSignIn(stack, level3);
  const { approve } = await approveSignIn(stack, holder, started.requestCode, {
    passcode: TEST_PASSCODE,
    reauthToken: token,
  });
  expect(approve.status).toBe(200);
  expect(await outcome(started.id)).toMatchObject({
    state: 'approved',
    residentId: residentIdOf(holder.token),
    level: 3,
    acr: 'urn:cn:eid:loa:3',
    amr: ['swk', 'pin', 'face', 'mfa'],
  });

  const next = await startSignIn(stack, level3);
  const again = await approveSignIn(stack, holder, next.requestCode, {
    passcode: TEST_PASSCODE,
    reauthToken: token,
  });
  expectError(again.approve, 403, 'REAUTH_REQUIRED');
  expect(again.approve.body.details).toEqual({ reason: 'used' });
  expect((await outcome(next.id)).state).toBe('opened');
});

it("when the face token is another resident's or the passcode is wrong at level 3, then it is refused, and a wrong passcode leaves the face token usable", async () => {
  const holder = await holderWithCard(stack);
  const other = await holderWithCard(stack);
  await setPasscode(stack, holder);
  const started = await startSignIn(stack, level3);
  const foreign = await approveSignIn(stack, holder, started.requestCode, {
    passcode: TEST_PASSCODE,
    reauthToken: await reauthToken(stack, other.token),
  });
  expectError(foreign.approve, 403, 'REAUTH_REQUIRED');

  const token = await reauthToken(stack, holder.token);
  const wrong = await signInPost(
    stack,
    holder,
    started.id,
    'approve',
    await approvalBody(stack, holder, foreign.view, started.requestCode, {
      passcode: '730519',
      reauthToken: token,
    }),
  );
  expectError(wrong, 403, 'PASSCODE_WRONG');
  const right = await signInPost(
    stack,
    holder,
    started.id,
    'approve',
    await approvalBody(stack, holder, foreign.view, started.requestCode, {
      passcode: TEST_PASSCODE,
      reauthToken: token,
    }),
  );
  expect(right.status).toBe(200);
});

it('when the provider asked a higher level than the party registered, then that level is what approve must meet', async () => {
  const holder = await holderWithCard(stack);
  await setPasscode(stack, holder);
  const started = await startSignIn(stack, level1, { level: 2 });
  const { approve, view } = await approveSignIn(stack, holder, started.requestCode);
  expect(view.level).toBe(2);
  expectError(approve, 403, 'SIGNIN_LEVEL_NOT_MET');
  // At level 1 an extra passcode is not needed and not checked.
  const low = await startSignIn(stack, level1);
  const res = await approveSignIn(stack, holder, low.requestCode, { passcode: '730519' });
  expect(res.approve.status).toBe(200);
  expect((await outcome(low.id)).level).toBe(1);
});
