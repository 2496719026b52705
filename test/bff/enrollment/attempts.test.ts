import { beijingDayOf, makeIdNumber } from '@eid/shared';
import { FIXTURES, syntheticCapture } from '@eid/mock';
import { startStack, type Stack } from '../../helpers/stack';
import { consented, expectError, nextBeijingMidnight } from '../../helpers/enrollment';
import { freshPerson, login, realName, realPerson } from '../../helpers/identity';

// Noon in Beijing today: every try of a test falls in one Beijing day, whenever the suite runs.
const START_AT = beijingDayOf(Date.now()).start + 12 * 3600 * 1000;
const LIMIT = 5;

/** A new resident who consented; their access token. */
async function consentedToken(stack: Stack) {
  return (await consented(stack)).accessToken;
}

/** `count` wrong names on `idNumber` from one account, each answered as a mismatch. */
async function wrongTries(stack: Stack, token: string, idNumber: string, count: number) {
  const answers = [];
  for (let i = 0; i < count; i += 1) {
    const res = await realName(stack, token, { name: `冒名${i}`, idNumber });
    expectError(res, 422, 'REAL_NAME_MISMATCH');
    answers.push(res.body.details.remaining as number);
  }
  return answers;
}

/** The registry checks recorded in an account's own usage trace (what its holder can read). */
async function registryChecks(stack: Stack, token: string) {
  const res = await stack.api('GET', '/api/v1/usage?limit=100', { token });
  expect(res.status).toBe(200);
  return (res.body.items as { action: string; result: string; detail?: Record<string, unknown> }[]).filter(
    (e) => e.action === 'identity.real_name',
  );
}

describe('real-name: another account cannot lock the holder out', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ startAt: START_AT });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when a stranger makes five and more wrong tries on a number, then the holder still verifies and enrolls', async () => {
    const holder = freshPerson();
    const stranger = await consentedToken(stack);
    expect(await wrongTries(stack, stranger, holder.idNumber, LIMIT)).toEqual([4, 3, 2, 1, 0]);
    expectError(
      await realName(stack, stranger, { name: '冒名', idNumber: holder.idNumber }),
      429,
      'ATTEMPTS_EXHAUSTED',
    );
    // A second stranger spends the one try a capped number still allows each account.
    const another = await consentedToken(stack);
    await wrongTries(stack, another, holder.idNumber, 1);

    const own = await consentedToken(stack);
    const res = await realName(stack, own, holder);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      state: 'real_name_verified',
      attempts: { realName: { remaining: LIMIT } },
    });
    expect((await realPerson(stack, own)).body).toMatchObject({ state: 'eligible' });
  });

  it('when a stranger who knows the name spends five face tries on the number, then the holder still passes the face step', async () => {
    const holder = freshPerson();
    // A frame the face service has seen once: every later upload of it is a replay, so liveness fails.
    const replayed = syntheticCapture('seen-before');
    const warmUp = await consentedToken(stack);
    expect((await realName(stack, warmUp, freshPerson())).status).toBe(200);
    expect((await realPerson(stack, warmUp, { image: replayed })).body.state).toBe('eligible');

    const stranger = await consentedToken(stack);
    expect((await realName(stack, stranger, holder)).status).toBe(200);
    for (let i = 0; i < LIMIT; i += 1) {
      const res = await realPerson(stack, stranger, { image: replayed });
      expectError(res, 422, 'FACE_LIVENESS_FAILED');
      expect(res.body.details.remaining).toBe(LIMIT - 1 - i);
    }
    const own = await consentedToken(stack);
    expect((await realName(stack, own, holder)).status).toBe(200);
    const face = await realPerson(stack, own);
    expect(face.status).toBe(200);
    expect(face.body).toMatchObject({ state: 'eligible', attempts: { face: { remaining: LIMIT } } });
  });

  it('when others tried a number today, then a new account still sees and spends only its own tries', async () => {
    const target = freshPerson();
    await wrongTries(stack, await consentedToken(stack), target.idNumber, 3);
    const newcomer = await consentedToken(stack);
    const before = await stack.api('GET', '/api/v1/enrollment', { token: newcomer });
    expect(before.body.attempts.realName).toEqual({ limit: LIMIT, remaining: LIMIT, unlockAt: null });
    expect(await wrongTries(stack, newcomer, target.idNumber, 2)).toEqual([4, 3]);
  });
});

describe('real-name: a stranger learns nothing about whether a number exists', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ startAt: START_AT });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when a number is not in the registry, then the answer and the trace are those of a wrong name', async () => {
    const token = await consentedToken(stack);
    const known = await realName(stack, token, { name: '张三', idNumber: freshPerson().idNumber });
    const unknown = await realName(stack, token, {
      name: '张三',
      idNumber: makeIdNumber('370102', '1990-01-01', 997),
    });
    expectError(known, 422, 'REAL_NAME_MISMATCH');
    expectError(unknown, 422, 'REAL_NAME_MISMATCH');
    expect(unknown.body.message).toBe(known.body.message);
    expect(unknown.body.details).toEqual({ ...known.body.details, remaining: 3 });
    const trace = await registryChecks(stack, token);
    expect(trace).toHaveLength(2);
    expect(trace[0]!.detail).toEqual(trace[1]!.detail);
  });

  it('when the ID number is empty, then it is refused like any malformed number, and no try is used', async () => {
    const token = await consentedToken(stack);
    for (const idNumber of ['', 'abc']) {
      expectError(await realName(stack, token, { name: '张三', idNumber }), 400, 'ID_NUMBER_INVALID_FORMAT');
    }
    const state = await stack.api('GET', '/api/v1/enrollment', { token });
    expect(state.body.attempts.realName.remaining).toBe(LIMIT);
  });
});

describe('real-name: the cap per ID number stops a brute force across accounts', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ startAt: START_AT });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when a number has had its day of wrong tries, then each further account gets one guess and then no answer, even for the right name', async () => {
    const target = freshPerson();
    await wrongTries(stack, await consentedToken(stack), target.idNumber, LIMIT);
    for (let i = 0; i < 2; i += 1) {
      const stranger = await consentedToken(stack);
      expect(await wrongTries(stack, stranger, target.idNumber, 1)).toEqual([4]);
      const right = await realName(stack, stranger, target);
      expectError(right, 429, 'ATTEMPTS_EXHAUSTED');
      expect(right.body.details).toMatchObject({ attempt: 'real_name', scope: 'id_number', remaining: 0 });
      // The right name never reached the registry: the account's trace holds only its one wrong guess.
      expect(await registryChecks(stack, stranger)).toHaveLength(1);
      const state = await stack.api('GET', '/api/v1/enrollment', { token: stranger });
      expect(state.body).toMatchObject({ state: 'consented', attempts: { realName: { remaining: 4 } } });
      // The refusal is about that number only: the account's own tries still verify its own number.
      expect((await realName(stack, stranger, freshPerson())).body.state).toBe('real_name_verified');
    }
  });
});

describe('real-name: two BFF instances on one database count the same tries', () => {
  let first: Stack;
  let second: Stack;
  beforeAll(async () => {
    first = await startStack({ startAt: START_AT });
    second = await startStack({
      startAt: START_AT,
      mocks: first.mocks,
      dbName: first.config.MONGODB_DB,
      keepDatabase: true,
    });
  });
  afterAll(async () => {
    await second.stop();
    await first.stop();
  });

  it('when tries are spread over both instances, then the account limit and the number cap hold across them', async () => {
    const target = freshPerson();
    const stranger = await consentedToken(first);
    expect(await wrongTries(first, stranger, target.idNumber, 3)).toEqual([4, 3, 2]);
    expect(await wrongTries(second, stranger, target.idNumber, 2)).toEqual([1, 0]);
    expectError(await realName(first, stranger, target), 429, 'ATTEMPTS_EXHAUSTED');

    const another = await consentedToken(second);
    expect(await wrongTries(second, another, target.idNumber, 1)).toEqual([4]);
    const capped = await realName(first, another, target);
    expectError(capped, 429, 'ATTEMPTS_EXHAUSTED');
    expect(capped.body.details).toMatchObject({ scope: 'id_number' });

    const holder = await consentedToken(first);
    expect((await realName(second, holder, target)).body.state).toBe('real_name_verified');
  });
});

describe('enrollment: tries unlock at midnight in Beijing', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when the day of the lock is over, then the resident may try again', async () => {
    const session = await consented(stack, 'midnight-person');
    for (let i = 0; i < 5; i += 1) {
      await realName(stack, session.accessToken, { name: '错误姓名', idNumber: FIXTURES.pass.idNumber });
    }
    expectError(await realName(stack, session.accessToken, FIXTURES.pass), 429, 'ATTEMPTS_EXHAUSTED');
    stack.clock.set(nextBeijingMidnight(stack.clock.now()));
    const fresh = await login(stack, 'midnight-person');
    const res = await realName(stack, fresh.accessToken, FIXTURES.pass);
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('real_name_verified');
  });
});
