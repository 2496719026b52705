import { holderWithCard, reauthToken } from '../../helpers/card-flow';
import { expectError } from '../../helpers/enrollment';
import { login } from '../../helpers/identity';
import { startStack, type Stack } from '../../helpers/stack';

const PASSCODE = '482913';
const FORGOTTEN_FOR = '730561';
const WRONG = '591736';
const MINUTE = 60_000;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.stop();
});

async function withPasscode() {
  const holder = await holderWithCard(stack);
  const res = await stack.api('PUT', '/api/v1/passcode', {
    token: holder.token,
    body: { passcode: PASSCODE },
  });
  expect(res.status).toBe(200);
  return { token: holder.token, residentId: stack.deps.keys.verifyToken(holder.token, 'resident').sub };
}

const reset = (token: string, body: unknown) => stack.api('POST', '/api/v1/passcode/reset', { token, body });
const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (err: { code: string }) => err.code,
  );

describe('passcode: reset with a face check', () => {
  it('when tries are paused and the resident passes a face check, then the reset ends the pause at once and the new passcode works', async () => {
    const { token, residentId } = await withPasscode();
    for (let i = 0; i < 5; i++) await codeOf(stack.services.passcodes.check(residentId, WRONG));
    expect(await codeOf(stack.services.passcodes.check(residentId, PASSCODE))).toBe('PASSCODE_PAUSED');

    const res = await reset(token, { passcode: FORGOTTEN_FOR, reauthToken: await reauthToken(stack, token) });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({ set: true, triesLeft: 5, updatedAt: stack.clock.now() });
    expect(await codeOf(stack.services.passcodes.check(residentId, FORGOTTEN_FOR))).toBe('ok');
    expect(await codeOf(stack.services.passcodes.check(residentId, PASSCODE))).toBe('PASSCODE_WRONG');

    // The pauses start again too: the next run of wrong ones pauses for 1 minute, not 5.
    let last: { details: { pausedUntil: number } } | undefined;
    for (let i = 0; i < 5; i++) {
      await stack.services.passcodes.check(residentId, WRONG).catch((err) => (last = err));
    }
    expect(last!.details.pausedUntil).toBe(stack.clock.now() + MINUTE);
  });

  it('when the same reauth token is used twice, then the second reset is REAUTH_REQUIRED (used)', async () => {
    const { token, residentId } = await withPasscode();
    const once = await reauthToken(stack, token);
    expect((await reset(token, { passcode: FORGOTTEN_FOR, reauthToken: once })).status).toBe(200);
    const again = await reset(token, { passcode: '604918', reauthToken: once });
    expectError(again, 403, 'REAUTH_REQUIRED');
    expect(again.body.details).toEqual({ reason: 'used' });
    expect(await codeOf(stack.services.passcodes.check(residentId, FORGOTTEN_FOR))).toBe('ok');
  });

  it('when the token is missing, not a token, or another resident’s, then it is REAUTH_REQUIRED and the passcode stays', async () => {
    const { token, residentId } = await withPasscode();
    const other = await holderWithCard(stack);
    const missing = await reset(token, { passcode: FORGOTTEN_FOR });
    expectError(missing, 403, 'REAUTH_REQUIRED');
    expect(missing.body.details).toEqual({ reason: 'missing' });
    expectError(
      await reset(token, { passcode: FORGOTTEN_FOR, reauthToken: 'x.y.z' }),
      403,
      'REAUTH_REQUIRED',
    );
    const theirs = await reauthToken(stack, other.token);
    expectError(await reset(token, { passcode: FORGOTTEN_FOR, reauthToken: theirs }), 403, 'REAUTH_REQUIRED');
    expect(await codeOf(stack.services.passcodes.check(residentId, PASSCODE))).toBe('ok');
  });

  it('when the new passcode is weak, then it is PASSCODE_WEAK and the token is not spent', async () => {
    const { token } = await withPasscode();
    const grant = await reauthToken(stack, token);
    const weak = await reset(token, { passcode: '123456', reauthToken: grant });
    expectError(weak, 400, 'PASSCODE_WEAK');
    expect(weak.body.details).toEqual({ reason: 'sequence' });
    expect((await reset(token, { passcode: FORGOTTEN_FOR, reauthToken: grant })).status).toBe(200);
  });

  it('when a passcode is reset, then the trace records passcode.reset as the resident and no log line holds the passcode', async () => {
    const { token, residentId } = await withPasscode();
    await reset(token, { passcode: FORGOTTEN_FOR, reauthToken: await reauthToken(stack, token) });
    const items = (await stack.api('GET', '/api/v1/usage?limit=50', { token })).body.items as Record<
      string,
      unknown
    >[];
    const resets = items.filter((e) => e.action === 'passcode.reset');
    expect(resets).toEqual([
      expect.objectContaining({
        actor: { type: 'resident', id: residentId, displayName: '本人' },
        purpose: 'account',
        fields: [],
        result: 'ok',
      }),
    ]);
    expect(stack.logs.join('\n')).toContain('passcode reset with a face check');
    expect(stack.logs.join('\n')).not.toMatch(/482913|730561/);
  });
});

describe('passcode: the end of the identity', () => {
  it('when the resident withdraws consent to the notice, then the passcode is erased and cannot be set again until verified', async () => {
    const { token, residentId } = await withPasscode();
    expect((await stack.api('DELETE', '/api/v1/enrollment/consent', { token })).status).toBe(200);
    expect(await stack.deps.db.collection('passcodes').countDocuments({ _id: residentId } as never)).toBe(0);
    expect((await stack.api('GET', '/api/v1/passcode', { token })).body).toEqual({
      set: false,
      triesLeft: 5,
    });
    expect(await codeOf(stack.services.passcodes.check(residentId, PASSCODE))).toBe('PASSCODE_NOT_SET');
    expectError(
      await stack.api('PUT', '/api/v1/passcode', { token, body: { passcode: PASSCODE } }),
      409,
      'CARD_NOT_ELIGIBLE',
    );
    // The hook is idempotent: a repeated delivery finds nothing and fails nothing.
    await expect(
      stack.services.passcodes.onIdentityWithdrawn(residentId, 'consent_withdrawn'),
    ).resolves.toBeUndefined();
  });

  it('when a resident without a verified identity asks for a reset, then it is CARD_NOT_ELIGIBLE and nothing is stored', async () => {
    const session = await login(stack);
    const res = await reset(session.accessToken, { passcode: FORGOTTEN_FOR, reauthToken: 'x.y.z' });
    expectError(res, 409, 'CARD_NOT_ELIGIBLE');
    expect(await stack.services.passcodes.isSet(session.resident.id)).toBe(false);
  });

  it('when the account is closed, then the passcode is erased with it', async () => {
    const { token, residentId } = await withPasscode();
    expect((await stack.api('DELETE', '/api/v1/account', { token })).status).toBe(200);
    expect(await stack.deps.db.collection('passcodes').countDocuments({ _id: residentId } as never)).toBe(0);
  });
});
