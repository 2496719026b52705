import { startStack, type Stack } from '../../helpers/stack';
import { expectError } from '../../helpers/enrollment';
import { enroll, freshPerson, login } from '../../helpers/identity';

describe('enrollment: account closure', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when a resident closes the account, then sessions end, the next login is a new resident, and the usage trace stays', async () => {
    const { session, token } = await enroll(stack, freshPerson(), 'closing-person');
    const res = await stack.api('DELETE', '/api/v1/account', { token });
    expect(res.status).toBe(200);
    // The answer says what is kept and why (docs/data-inventory.md).
    expect(res.body.kept).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ record: 'usage_trace', days: stack.config.RETENTION_USAGE_DAYS }),
        expect.objectContaining({ record: 'audit', days: null }),
      ]),
    );
    expectError(await stack.api('GET', '/api/v1/enrollment', { token }), 401, 'SESSION_REVOKED');
    const refreshed = await stack.api('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expectError(refreshed, 401, 'REFRESH_TOKEN_INVALID');

    const again = await login(stack, 'closing-person');
    expect(again.resident.id).not.toBe(session.resident.id);
    expect(again.resident.enrollment.state).toBe('new');
    const db = stack.deps.db;
    expect(await db.collection('enrollments').countDocuments({ _id: session.resident.id } as never)).toBe(0);
    expect(await db.collection('residents').countDocuments({ _id: session.resident.id } as never)).toBe(0);
    expect(await db.collection('sessions').countDocuments({ residentId: session.resident.id })).toBe(0);
    const trace = await db.collection('usage_events').find({ residentId: session.resident.id }).toArray();
    expect(trace.map((e) => e.action)).toContain('account.closed');
  });
});
