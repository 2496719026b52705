import { createServer, type Server } from 'node:http';
import { makeIdNumber, type ErrorCode } from '@eid/shared';
import { FIXTURES } from '@eid/mock';
import { startStack, type Stack } from '../../helpers/stack';
import { consented, expectError, listen, nextBeijingMidnight } from '../../helpers/enrollment';
import { freshPerson, realName } from '../../helpers/identity';

describe('enrollment: real-name check against the registry', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when the name and ID number match, then the state is real_name_verified and a retry answers the same', async () => {
    const who = freshPerson();
    const session = await consented(stack);
    const res = await realName(stack, session.accessToken, who);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'real_name_verified', attempts: { realName: { remaining: 5 } } });
    const again = await realName(stack, session.accessToken, who);
    expect(again.body).toEqual(res.body);
    const someoneElse = await realName(stack, session.accessToken, freshPerson());
    expectError(someoneElse, 409, 'ENROLLMENT_OUT_OF_ORDER');
  });

  it('when the ID number ends in a lower-case x, then it is normalised and matches', async () => {
    const session = await consented(stack);
    const res = await realName(stack, session.accessToken, {
      name: FIXTURES.xCheckDigit.name,
      idNumber: FIXTURES.xCheckDigit.idNumber.toLowerCase(),
    });
    expect(res.body).toMatchObject({ state: 'real_name_verified' });
  });

  it('when the registry answers each kind of no, then each has its code and the remaining tries go down to zero', async () => {
    const session = await consented(stack);
    const unknownNumber = makeIdNumber('370102', '1990-01-01', 997);
    const tries: [{ name: string; idNumber: string }, ErrorCode][] = [
      [{ name: '张三', idNumber: FIXTURES.pass.idNumber }, 'REAL_NAME_MISMATCH'],
      // An unknown number answers as a wrong name does (docs/identity.md): REAL_NAME_NOT_FOUND is not sent.
      [{ name: '张三', idNumber: unknownNumber }, 'REAL_NAME_MISMATCH'],
      [FIXTURES.cancelled, 'REAL_NAME_CARD_CANCELLED'],
      [FIXTURES.deceased, 'REAL_NAME_DECEASED'],
      [FIXTURES.expired, 'REAL_NAME_CARD_EXPIRED'],
    ];
    for (const [i, [who, code]] of tries.entries()) {
      const res = await realName(stack, session.accessToken, who);
      expectError(res, 422, code);
      expect(res.body.details).toMatchObject({ attempt: 'real_name', remaining: 4 - i });
    }
    const blocked = await realName(stack, session.accessToken, freshPerson());
    expectError(blocked, 429, 'ATTEMPTS_EXHAUSTED');
    expect(blocked.body.details).toMatchObject({
      remaining: 0,
      unlockAt: nextBeijingMidnight(stack.clock.now()),
    });
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const state = await stack.api('GET', '/api/v1/enrollment', { token: session.accessToken });
    expect(state.body).toMatchObject({
      state: 'consented',
      attempts: { realName: { limit: 5, remaining: 0, unlockAt: nextBeijingMidnight(stack.clock.now()) } },
    });
  });

  it('when the ID number breaks the format rules, then its own 400 code and no try is used', async () => {
    const session = await consented(stack);
    const bad = FIXTURES.pass.idNumber.slice(0, 17) + (FIXTURES.pass.idNumber[17] === '0' ? '1' : '0');
    const cases: [string, ErrorCode][] = [
      [bad, 'ID_NUMBER_BAD_CHECK_DIGIT'],
      ['370102880314101', 'ID_NUMBER_LEGACY_15'],
      ['37010219881314101X', 'ID_NUMBER_BAD_BIRTH_DATE'],
      ['abc', 'ID_NUMBER_INVALID_FORMAT'],
    ];
    for (const [idNumber, code] of cases) {
      const res = await realName(stack, session.accessToken, { name: FIXTURES.pass.name, idNumber });
      expectError(res, 400, code);
    }
    const state = await stack.api('GET', '/api/v1/enrollment', { token: session.accessToken });
    expect(state.body.attempts.realName.remaining).toBe(5);
  });

  it('when several accounts try one ID number with wrong names, then the holder is not locked out of it', async () => {
    const target = freshPerson();
    for (let i = 0; i < 5; i += 1) {
      const session = await consented(stack);
      const res = await realName(stack, session.accessToken, { name: `冒名${i}`, idNumber: target.idNumber });
      expectError(res, 422, 'REAL_NAME_MISMATCH');
    }
    // The number is at its cap, but each account keeps a try of its own on it (test/bff/real-name-lockout).
    const honest = await consented(stack);
    const res = await realName(stack, honest.accessToken, target);
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('real_name_verified');
  });
});

describe('enrollment: a registry that does not answer', () => {
  let stack: Stack;
  let hanging: Server;

  beforeAll(async () => {
    // A registry that accepts the connection and never answers.
    hanging = createServer(() => undefined);
    stack = await startStack({ env: { REGISTRY_URL: await listen(hanging) } });
  });
  afterAll(async () => {
    await stack.stop();
    hanging.closeAllConnections();
    await new Promise((r) => hanging.close(r));
  });

  it('when the registry does not answer in time, then 504 UPSTREAM_TIMEOUT (retryable), no try used, state unchanged', async () => {
    const session = await consented(stack);
    const res = await realName(stack, session.accessToken, FIXTURES.pass);
    expectError(res, 504, 'UPSTREAM_TIMEOUT');
    expect(res.body.details).toMatchObject({ retryable: true });
    const state = await stack.api('GET', '/api/v1/enrollment', { token: session.accessToken });
    expect(state.body).toMatchObject({ state: 'consented', attempts: { realName: { remaining: 5 } } });
  });
});
