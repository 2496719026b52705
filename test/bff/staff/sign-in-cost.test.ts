import { passwordHashMetrics } from '@eid/bff/modules/staff/password';
import { DEV_STAFF, startStack, type Stack } from '../../helpers/stack';

/**
 * "An unknown staff username costs the same as a wrong password": equal answers are not enough, the
 * unknown name must also pay for a password hash, or the answer's speed tells which usernames exist.
 * The password module counts its key derivations and their scrypt work (N·r·p), which the BFF running
 * in this process updates as it serves each sign-in.
 */
describe('staff: sign-in cost does not depend on whether the username exists', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    // Boot hashes the development account's password; a right sign-in waits for that, so it is not counted
    // below. It does not touch the unknown-user path, whose first use is measured.
    expect((await staffLogin(DEV_STAFF.username, DEV_STAFF.password)).status).toBe(200);
  });
  afterAll(async () => {
    await stack.stop();
  });

  const staffLogin = (username: string, password: string) =>
    stack.api('POST', '/api/v1/staff/login', { body: { username, password } });

  /** The hashing one sign-in made the BFF do, and its answer. */
  async function costOf(username: string, password: string) {
    const before = { ...passwordHashMetrics };
    const res = await staffLogin(username, password);
    return {
      status: res.status,
      code: res.body.code as string | undefined,
      derivations: passwordHashMetrics.derivations - before.derivations,
      work: passwordHashMetrics.work - before.work,
    };
  }

  it('when the username is unknown, then the BFF runs the same password hash as for a wrong password', async () => {
    // The unknown name goes first: the process's very first such sign-in must not cost more either.
    const unknown = await costOf('nobody-here', 'not-the-password');
    const wrong = await costOf(DEV_STAFF.username, 'not-the-password');
    const right = await costOf(DEV_STAFF.username, DEV_STAFF.password);
    expect(wrong).toMatchObject({ status: 401, code: 'CREDENTIALS_INVALID', derivations: 1 });
    expect(unknown).toMatchObject({ status: 401, code: 'CREDENTIALS_INVALID', derivations: 1 });
    // Same scrypt parameters too: a cheaper dummy hash would answer an unknown name faster.
    expect(unknown.work).toBe(wrong.work);
    expect(wrong.work).toBeGreaterThan(0);
    expect(right).toMatchObject({ status: 200, derivations: 1, work: wrong.work });
  });

  it('when several unknown usernames are tried, then each one pays its own hash', async () => {
    const costs = [];
    for (const name of ['nobody-a', 'nobody-b', 'nobody-c']) costs.push(await costOf(name, 'pw-guess-123'));
    expect(costs.map((c) => c.derivations)).toEqual([1, 1, 1]);
    expect(new Set(costs.map((c) => c.work)).size).toBe(1);
  });
});
