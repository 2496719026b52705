import { startStack, DEV_STAFF, type Stack } from '../../helpers/stack';
import { databaseSnapshot } from '../../helpers/snapshot';
import { freshPerson, giveConsent, login, realName } from '../../helpers/identity';

/** Values that are not plain strings: query operators first, then wrong types. */
const HOSTILE: unknown[] = [{ $gt: '' }, { $ne: null }, { $regex: '.*' }, ['x'], 123, true, null, {}];

interface Endpoint {
  method: string;
  path: string;
  /** A body that passes validation; each string field is replaced in turn. */
  body: Record<string, unknown>;
  auth: boolean;
}

describe('bad input: every endpoint refuses what its schema does not allow, and writes nothing', () => {
  let stack: Stack;
  let token: string;
  let refreshToken: string;

  const snapshot = () => databaseSnapshot(stack);

  beforeAll(async () => {
    stack = await startStack();
    const session = await login(stack);
    token = session.accessToken;
    refreshToken = session.refreshToken;
    await giveConsent(stack, token);
    expect((await realName(stack, token, freshPerson())).status).toBe(200);
    // The dev staff account is created at boot; wait for it so it is not mistaken for a write.
    await stack.api('POST', '/api/v1/staff/login', { body: DEV_STAFF });
  });
  afterAll(async () => {
    await stack.stop();
  });

  const endpoints = (): Endpoint[] => [
    { method: 'POST', path: '/api/v1/auth/login', body: { code: 'some-login-code-001' }, auth: false },
    { method: 'POST', path: '/api/v1/auth/refresh', body: { refreshToken }, auth: false },
    { method: 'POST', path: '/api/v1/auth/logout', body: { refreshToken }, auth: true },
    { method: 'POST', path: '/api/v1/staff/login', body: { ...DEV_STAFF }, auth: false },
    { method: 'POST', path: '/api/v1/enrollment/consent', body: { noticeVersion: '2026-11-01' }, auth: true },
    {
      method: 'POST',
      path: '/api/v1/enrollment/real-name',
      body: { name: '李文博', idNumber: '370102198803141015' },
      auth: true,
    },
    {
      method: 'POST',
      path: '/api/v1/enrollment/real-person/complete',
      body: { verifyId: 'fv_abc' },
      auth: true,
    },
    { method: 'POST', path: '/api/v1/reauth/complete', body: { verifyId: 'fv_abc' }, auth: true },
  ];

  it('when any string field carries a query operator or a value of the wrong type, then 400 VALIDATION_FAILED naming the field', async () => {
    const before = await snapshot();
    for (const endpoint of endpoints()) {
      for (const field of Object.keys(endpoint.body)) {
        for (const value of HOSTILE) {
          const res = await stack.api(endpoint.method, endpoint.path, {
            token: endpoint.auth ? token : undefined,
            body: { ...endpoint.body, [field]: value },
          });
          expect({ endpoint: endpoint.path, field, value, status: res.status, code: res.body.code }).toEqual({
            endpoint: endpoint.path,
            field,
            value,
            status: 400,
            code: 'VALIDATION_FAILED',
          });
          expect(res.body.details.issues).toEqual(
            expect.arrayContaining([expect.objectContaining({ path: field })]),
          );
          // Input is never echoed back.
          expect(JSON.stringify(res.body)).not.toContain('$gt');
        }
      }
    }
    expect(await snapshot()).toBe(before);
  });

  it('when a body has extra fields or is missing fields, then 400 VALIDATION_FAILED; when it is not an object, 400 BAD_REQUEST', async () => {
    const before = await snapshot();
    for (const endpoint of endpoints()) {
      const token_ = endpoint.auth ? token : undefined;
      const variants: unknown[] = [
        { ...endpoint.body, $where: 'sleep(1000)' },
        { ...endpoint.body, extra: 1 },
        {},
      ];
      for (const body of variants) {
        const res = await stack.api(endpoint.method, endpoint.path, { token: token_, body });
        expect([endpoint.path, res.status, res.body.code]).toEqual([endpoint.path, 400, 'VALIDATION_FAILED']);
      }
      // A bare JSON scalar or an array is not a body at all: the parser refuses it before any schema.
      for (const body of ['text', 42, [endpoint.body]]) {
        const res = await stack.api(endpoint.method, endpoint.path, { token: token_, body });
        expect([endpoint.path, res.status, res.body.code]).toEqual([endpoint.path, 400, 'BAD_REQUEST']);
      }
    }
    for (const path of ['/api/v1/enrollment/real-person/start', '/api/v1/reauth/start']) {
      const res = await stack.api('POST', path, { token, body: { verifyId: 'x' } });
      expect([path, res.status, res.body.code]).toEqual([path, 400, 'VALIDATION_FAILED']);
    }
    expect(await snapshot()).toBe(before);
  });

  it('when a body is too large, not JSON, or malformed JSON, then 413, 415 or 400 with the stable code', async () => {
    const before = await snapshot();
    const big = await stack.api('POST', '/api/v1/enrollment/real-name', {
      token,
      body: { name: 'x'.repeat(stack.config.BODY_LIMIT_BYTES + 10), idNumber: '1' },
    });
    expect([big.status, big.body.code]).toEqual([413, 'BODY_TOO_LARGE']);
    const text = await stack.api('POST', '/api/v1/auth/login', {
      raw: 'code=abc',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect([text.status, text.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const broken = await stack.api('POST', '/api/v1/enrollment/consent', {
      token,
      raw: '{"noticeVersion": ',
      headers: { 'content-type': 'application/json' },
    });
    expect([broken.status, broken.body.code]).toEqual([400, 'BAD_REQUEST']);
    expect(await snapshot()).toBe(before);
  });

  it('when the usage query or path carries operators, repeats, unknown or out-of-range values, then 400 VALIDATION_FAILED', async () => {
    const bad = [
      '?limit=abc',
      '?limit=0',
      '?limit=101',
      '?limit=1&limit=2',
      '?actorType=admin',
      '?actorType[$ne]=staff',
      '?purpose=%24where',
      '?purpose[$gt]=',
      '?before=-1',
      '?from=yesterday',
      '?unknown=1',
      '/%7B%22%24gt%22%3A%22%22%7D',
      '/not-a-uuid',
    ];
    for (const suffix of bad) {
      const res = await stack.api('GET', `/api/v1/usage${suffix}`, { token });
      expect([suffix, res.status, res.body.code]).toEqual([suffix, 400, 'VALIDATION_FAILED']);
    }
  });

  it('when the Authorization header is malformed or carries garbage, then 401 and no lookup succeeds', async () => {
    for (const header of [
      'Bearer',
      'Bearer {"$gt":""}',
      `Bearer ${'a'.repeat(5000)}`,
      'Bearer a.b.c.d.e.f.g.h.i',
    ]) {
      const res = await stack.api('GET', '/api/v1/enrollment', { headers: { authorization: header } });
      expect(res.status).toBe(401);
      expect(['UNAUTHENTICATED', 'TOKEN_INVALID']).toContain(res.body.code);
    }
  });
});
