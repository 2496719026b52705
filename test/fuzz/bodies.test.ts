import type Router from '@koa/router';
import fc from 'fast-check';
import { ERROR_CODES } from '@eid/shared';
import { createApp } from '@eid/bff/app';
import { DEV_STAFF, startStack, type Stack } from '../helpers/stack';
import { deskOf } from '../helpers/oversight';
import { giveConsent, login } from '../helpers/identity';
import {
  registerParty,
  staffToken as tokenOfRole,
  supervisorToken,
  type RegisteredParty,
} from '../helpers/party';

/**
 * Every route that reads a body, against a real BFF on port 0: fast-check bodies (arbitrary JSON, the
 * route's own field names with wrong types, huge and unicode strings, `__proto__`/`constructor` keys,
 * `$`-operators, deep nesting, text that is not JSON) and odd path parameters. Every answer is below 500 with
 * a code of errors.ts, and the process answers /healthz afterwards. HTTP costs about a millisecond a request
 * here, so this is PER_ROUTE bodies a route (not 10,000; the in-process parsers behind them get 10,000 each).
 */
const PER_ROUTE = 80;
const CONCURRENCY = 6;

const OPERATOR_KEYS = ['$ne', '$gt', '$regex', '$where', '$expr', '$in', '$exists', '$or'];
const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  ...OPERATOR_KEYS,
];

/** Values of every JSON type, hostile ones more often than chance would give. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud83d\ude00',
    '\u202e',
    '../../etc/passwd',
    'EID1:',
    'EID2:',
    '%00',
    '\r\nX-Injected: 1',
  ),
  fc.nat({ max: 300_000 }).map((n) => 'a'.repeat(n)),
  fc.constantFrom(-1, 0, 1e308, -1e308, 2 ** 53 + 1, 0.5, true, false, null),
  fc
    .constantFrom(...OPERATOR_KEYS)
    .map((op) => ({ [op]: op === '$regex' ? '.*' : op === '$in' ? [] : null })),
  fc.constantFrom({ $gt: '' }, { $ne: null }, [{ $ne: null }]),
  fc
    .integer({ min: 1, max: 3000 })
    .map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown),
);

/** A body for a route whose schema names `fields`: its fields with hostile values, extra hostile keys, or noise. */
const bodyFor = (fields: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc
      .record({
        own: fc.subarray(fields.length > 0 ? fields : ['x']),
        values: fc.array(hostileValue, { minLength: 8, maxLength: 8 }),
        extra: fc.subarray(HOSTILE_KEYS, { maxLength: 2 }),
      })
      .map(({ own, values, extra }) => {
        // Written as text: an object literal with `__proto__` would set the prototype instead of a key.
        const entries = [...own, ...extra].map(
          (k, i) => `${JSON.stringify(k)}:${JSON.stringify(values[i % 8]) ?? 'null'}`,
        );
        return `{${entries.join(',')}}`;
      }),
    fc.nat({ max: 20_000 }).map((depth) => `{"a":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('{', '{"a":1,}', '{"a":"\\ud800"}', '{"a":1e999999}', `{"a":"${'\\u0000'.repeat(50)}"}`),
  );

const PARAM = fc.constantFrom(
  'x',
  '%2e%2e',
  '..%2f..',
  'a'.repeat(400),
  '%00',
  '$ne',
  '000000000000000000000000',
  '%E4%B8%AD',
);

describe('every route that reads a body, under fuzzed bodies', () => {
  let stack: Stack;
  let party: RegisteredParty;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startStack({
      env: {
        LOGIN_RATE_PER_MINUTE: '100000',
        LICENCE_VERIFY_RATE_PER_MINUTE: '100000',
        PARTY_RATE_PER_MINUTE: '1000000',
      },
    });
    tokens.resident = (await login(stack)).accessToken;
    expect((await giveConsent(stack, tokens.resident)).status).toBe(200);
    tokens.staff = (await stack.api('POST', '/api/v1/staff/login', { body: DEV_STAFF })).body.accessToken;
    tokens.admin = await supervisorToken(stack);
    tokens.lookup = (await deskOf(stack, 'supervisor')).token;
    tokens.audit = (await deskOf(stack, 'auditor')).token;
    tokens.decide = await tokenOfRole(stack, 'supervisor');
    party = await registerParty(stack);
  });
  afterAll(async () => {
    await stack.stop();
  });

  // Which token a route is sent with, as in test/bff/middleware/body-rules.test.ts.
  const tokenFor = (path: string) =>
    path.startsWith('/api/v1/admin/lookups')
      ? tokens.lookup
      : path.startsWith('/api/v1/admin/questions/') || path.startsWith('/api/v1/admin/audit/')
        ? tokens.audit
        : path.startsWith('/api/v1/admin/cards/') || path.startsWith('/api/v1/admin/reviews/')
          ? tokens.decide
          : path.startsWith('/api/v1/admin/') || path === '/api/v1/federation/split-view/clear'
            ? tokens.admin
            : path === '/api/v1/verify' ||
                path.startsWith('/api/v1/verify/') ||
                path === '/api/v1/document-calls' ||
                path.startsWith('/api/v1/staff/')
              ? tokens.staff
              : tokens.resident;

  function bodyRoutes(): { method: string; path: string }[] {
    const app = createApp(stack.deps, stack.services);
    const router = app.middleware
      .map((m) => (m as { router?: Router }).router)
      .find((r): r is Router => r !== undefined)!;
    const routes = router.stack.flatMap((layer) =>
      layer.methods
        .filter((m) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(m))
        .map((method) => ({ method, path: String(layer.path) })),
    );
    // What ends a session or an account goes last, so the others are fuzzed with live tokens.
    const ending = (p: string) => /logout|\/account$|\/consent$|revoke|close/.test(p);
    return [...routes.filter((r) => !ending(r.path)), ...routes.filter((r) => ending(r.path))];
  }

  async function send(method: string, path: string, raw: string) {
    if (path.startsWith('/api/v1/rp/')) return party.signed(method, path, raw);
    return stack.api(method, path, {
      raw,
      token: tokenFor(path),
      headers: { 'content-type': 'application/json' },
    });
  }

  it('when each route gets fuzzed bodies and path parameters, then every answer is < 500 with a stable code, and the BFF stays up', async () => {
    const routes = bodyRoutes();
    expect(routes.length).toBeGreaterThan(40);
    const failures: string[] = [];
    let sent = 0;
    const seen = new Map<string, number>();
    for (const [r, { method, path }] of routes.entries()) {
      // The schema's own field names, from what it says is missing in an empty object.
      const probe = await send(method, path.replace(/:[A-Za-z]+/g, 'x'), '{}');
      const fields = [
        ...new Set(
          ((probe.body?.details?.issues ?? []) as { path: string }[])
            .map((i) => i.path.split('.')[0]!)
            .filter(Boolean),
        ),
      ];
      const cases = fc.sample(fc.tuple(bodyFor(fields), fc.array(PARAM, { minLength: 3, maxLength: 3 })), {
        numRuns: PER_ROUTE,
        seed: 21_000 + r,
      });
      for (let i = 0; i < cases.length; i += CONCURRENCY) {
        await Promise.all(
          cases.slice(i, i + CONCURRENCY).map(async ([raw, params]) => {
            let n = 0;
            const target = path.replace(/:[A-Za-z]+/g, () => params[n++ % 3]!);
            const res = await send(method, target, raw);
            sent++;
            const code = (res.body as { code?: string } | undefined)?.code;
            seen.set(`${res.status} ${code ?? ''}`, (seen.get(`${res.status} ${code ?? ''}`) ?? 0) + 1);
            const stable = res.status < 400 || (typeof code === 'string' && code in ERROR_CODES);
            if (res.status >= 500 || !stable)
              failures.push(
                `${method} ${target} ${raw.slice(0, 120)} -> ${res.status} ${code ?? String(res.body).slice(0, 80)}`,
              );
          }),
        );
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(sent).toBe(routes.length * PER_ROUTE);
    if (process.env.FUZZ_REPORT)
      console.log(
        routes.length,
        [...seen].sort((a, b) => b[1] - a[1]),
      );
    // The bodies reached the schemas (and past them): not every answer is the body parser's refusal.
    expect(seen.get('400 VALIDATION_FAILED')).toBeGreaterThan(sent / 4);
    const health = await stack.api('GET', '/healthz');
    expect(health.status).toBe(200);
  }, 300_000);
});
