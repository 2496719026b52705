import { passcodeHashMetrics } from '@eid/bff/modules/passcode/hash';
import { holderWithCard } from '../../helpers/card-flow';
import { expectError } from '../../helpers/enrollment';
import { startStack, type Stack } from '../../helpers/stack';

const PASSCODE = '482913';
const WRONG = '591736';
const MINUTE = 60_000;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.stop();
});

/** A resident with a card who set PASSCODE; their token and resident id. */
async function withPasscode(on = stack) {
  const holder = await holderWithCard(on);
  const res = await on.api('PUT', '/api/v1/passcode', { token: holder.token, body: { passcode: PASSCODE } });
  expect(res.status).toBe(200);
  return { token: holder.token, residentId: on.deps.keys.verifyToken(holder.token, 'resident').sub };
}

/** What check() throws (its code and details), or 'ok'. */
async function tryPasscode(residentId: string, passcode: string, on = stack) {
  try {
    await on.services.passcodes.check(residentId, passcode);
    return 'ok';
  } catch (err) {
    const { code, details } = err as { code: string; details?: unknown };
    return { code, details };
  }
}

/** Five wrong ones in a row; the details of the last (the one that starts the pause). */
async function fiveWrong(residentId: string) {
  let last;
  for (let i = 0; i < 5; i++) last = await tryPasscode(residentId, WRONG);
  return last as { code: string; details: { triesLeft: number; pausedUntil: number } };
}

describe('passcode: tries and pauses', () => {
  it('when wrong passcodes come in a row, then each says the tries left, the fifth starts a 1-minute pause, and every try in it is refused', async () => {
    const { token, residentId } = await withPasscode();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await tryPasscode(residentId, WRONG));
    expect(answers).toEqual(
      [4, 3, 2, 1].map((triesLeft) => ({ code: 'PASSCODE_WRONG', details: { triesLeft } })),
    );
    const start = stack.clock.now();
    expect(await tryPasscode(residentId, WRONG)).toEqual({
      code: 'PASSCODE_WRONG',
      details: { triesLeft: 0, pausedUntil: start + MINUTE },
    });
    // Even the right passcode is refused during the pause, and costs no hashing.
    const before = passcodeHashMetrics.derivations;
    expect(await tryPasscode(residentId, PASSCODE)).toEqual({
      code: 'PASSCODE_PAUSED',
      details: { pausedUntil: start + MINUTE, retryAfterS: 60 },
    });
    expect(passcodeHashMetrics.derivations).toBe(before);
    expect((await stack.api('GET', '/api/v1/passcode', { token })).body).toEqual({
      set: true,
      triesLeft: 0,
      pausedUntil: start + MINUTE,
      updatedAt: expect.any(Number),
    });

    stack.clock.advance(MINUTE - 1);
    expect(await tryPasscode(residentId, PASSCODE)).toMatchObject({ code: 'PASSCODE_PAUSED' });
    stack.clock.advance(1);
    expect((await stack.api('GET', '/api/v1/passcode', { token })).body).toMatchObject({ triesLeft: 5 });
    expect(await tryPasscode(residentId, WRONG)).toEqual({
      code: 'PASSCODE_WRONG',
      details: { triesLeft: 4 },
    });
    expect(await tryPasscode(residentId, PASSCODE)).toBe('ok');
  });

  it('when a change is tried during a pause, then it is 429 PASSCODE_PAUSED with pausedUntil and a Retry-After that counts down', async () => {
    const { token, residentId } = await withPasscode();
    const { details } = await fiveWrong(residentId);
    const change = () =>
      stack.api('PUT', '/api/v1/passcode', {
        token,
        body: { passcode: '730561', currentPasscode: PASSCODE },
      });
    const res = await change();
    expectError(res, 429, 'PASSCODE_PAUSED');
    expect(res.body.details).toMatchObject({ pausedUntil: details.pausedUntil });
    expect(res.headers.get('retry-after')).toBe('60');
    stack.clock.advance(45_000);
    expect((await change()).headers.get('retry-after')).toBe('15');
    stack.clock.advance(15_000);
    expect((await change()).status).toBe(200);
  });

  it('when the pauses keep coming, then they grow 1 min, 5 min, 15 min, 1 h, 4 h and stay at 24 h, never for good', async () => {
    const { residentId } = await withPasscode();
    const lengths = [];
    for (let i = 0; i < 8; i++) {
      const start = stack.clock.now();
      const last = await fiveWrong(residentId);
      expect(last.code).toBe('PASSCODE_WRONG');
      lengths.push((last.details.pausedUntil - start) / MINUTE);
      stack.clock.set(last.details.pausedUntil);
    }
    expect(lengths).toEqual([1, 5, 15, 60, 240, 1440, 1440, 1440]);
    expect(await tryPasscode(residentId, PASSCODE)).toBe('ok');
  });

  it('when the right passcode comes, then the count and the pauses start again', async () => {
    const { residentId } = await withPasscode();
    stack.clock.set((await fiveWrong(residentId)).details.pausedUntil);
    for (let i = 0; i < 4; i++) await tryPasscode(residentId, WRONG);
    expect(await tryPasscode(residentId, PASSCODE)).toBe('ok');
    // Four more wrong ones do not pause (the count started again), and the next pause is 1 minute again.
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await tryPasscode(residentId, WRONG));
    expect(answers.map((a) => (a as { details: { triesLeft: number } }).details.triesLeft)).toEqual([
      4, 3, 2, 1, 0,
    ]);
    expect((answers[4] as { details: { pausedUntil: number } }).details.pausedUntil).toBe(
      stack.clock.now() + MINUTE,
    );
  });

  it('when 20 wrong guesses arrive at once, then at most PASSCODE_MAX_TRIES are compared and the rest are paused', async () => {
    const { token, residentId } = await withPasscode();
    const before = passcodeHashMetrics.derivations;
    const guesses = Array.from({ length: 20 }, (_, i) =>
      stack.api('PUT', '/api/v1/passcode', {
        token,
        body: { passcode: '730561', currentPasscode: String(600000 + i * 7919) },
      }),
    );
    const answers = await Promise.all(guesses);
    const codes = answers.map((a) => a.body.code as string);
    const wrong = codes.filter((c) => c === 'PASSCODE_WRONG').length;
    expect(wrong).toBeLessThanOrEqual(5);
    expect(wrong).toBeGreaterThan(0);
    expect(codes.filter((c) => c === 'PASSCODE_PAUSED')).toHaveLength(20 - wrong);
    // Only the counted tries were hashed (one derivation each), and the passcode is unchanged.
    expect(passcodeHashMetrics.derivations - before).toBe(wrong);
    stack.clock.advance(MINUTE);
    expect(await tryPasscode(residentId, PASSCODE)).toBe('ok');
  });

  it('when parallel guesses include the right passcode, then it still passes if its try was counted in time', async () => {
    const { residentId } = await withPasscode();
    const answers = await Promise.all([
      tryPasscode(residentId, WRONG),
      tryPasscode(residentId, WRONG),
      tryPasscode(residentId, PASSCODE),
    ]);
    expect(answers.filter((a) => a === 'ok')).toHaveLength(1);
    expect((await stack.services.passcodes.status(residentId)).triesLeft).toBeGreaterThanOrEqual(3);
  });

  it('when no passcode is set, then check() is PASSCODE_NOT_SET and hashes nothing', async () => {
    const holder = await holderWithCard(stack);
    const residentId = stack.deps.keys.verifyToken(holder.token, 'resident').sub;
    const before = passcodeHashMetrics.derivations;
    expect(await tryPasscode(residentId, PASSCODE)).toEqual({ code: 'PASSCODE_NOT_SET', details: undefined });
    expect(passcodeHashMetrics.derivations).toBe(before);
    expect(await stack.services.passcodes.isSet(residentId)).toBe(false);
  });
});

describe('passcode: PASSCODE_MAX_TRIES', () => {
  it('when it is 3, then the third wrong one starts the pause', async () => {
    const three = await startStack({ env: { PASSCODE_MAX_TRIES: '3' } });
    try {
      const { residentId } = await withPasscode(three);
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await tryPasscode(residentId, WRONG, three));
      expect(answers.map((a) => (a as { code: string }).code)).toEqual([
        'PASSCODE_WRONG',
        'PASSCODE_WRONG',
        'PASSCODE_WRONG',
        'PASSCODE_PAUSED',
      ]);
      expect((answers[0] as { details: { triesLeft: number } }).details.triesLeft).toBe(2);
    } finally {
      await three.stop();
    }
  });
});
