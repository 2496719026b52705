import fc from 'fast-check';
import { startStack, type Stack } from '../helpers/stack';

/**
 * The OpenID provider's endpoints (node-oidc-provider under /oidc, and the sign-in page) are mounted beside the
 * router, so the route enumeration of bodies.test.ts does not reach them: fast-check form and JSON bodies and
 * query strings here, 200 a POST endpoint. Every answer is below 500 (the provider's own error format).
 */
const PER_ENDPOINT = 200;
const FORM_KEYS = [
  'grant_type',
  'client_id',
  'code',
  'redirect_uri',
  'code_verifier',
  'client_assertion',
  'client_assertion_type',
  'request',
  'request_uri',
  'scope',
  'response_type',
  'token',
  'nonce',
  '__proto__',
  'constructor',
  'client_id[$ne]',
];
const value = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom(
    '',
    '\u0000',
    'authorization_code',
    'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    'a.b.c',
  ),
  fc.nat({ max: 70_000 }).map((n) => 'a'.repeat(n)),
);
const body = fc.oneof(
  fc
    .dictionary(fc.constantFrom(...FORM_KEYS), value)
    .map((d) => new URLSearchParams(d as Record<string, string>).toString()),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

it('when the provider endpoints get fuzzed form and JSON bodies and query strings, then every answer is below 500 and the BFF stays up', async () => {
  const failures: string[] = [];
  const statuses = new Set<number>();
  const post = [
    '/oidc/token',
    '/oidc/request',
    '/oidc/token/introspection',
    '/oidc/token/revocation',
    '/oidc/me',
  ];
  for (const [e, path] of post.entries()) {
    const cases = fc.sample(fc.tuple(body, fc.boolean()), { numRuns: PER_ENDPOINT, seed: 2117 + e });
    for (const [text, asJson] of cases) {
      const res = await fetch(stack.url + path, {
        method: 'POST',
        headers: { 'content-type': asJson ? 'application/json' : 'application/x-www-form-urlencoded' },
        body: text,
      });
      statuses.add(res.status);
      if (res.status >= 500) failures.push(`${path} ${text.slice(0, 80)} -> ${res.status}`);
    }
  }
  const queries = fc.sample(fc.dictionary(fc.constantFrom(...FORM_KEYS), value), {
    numRuns: PER_ENDPOINT,
    seed: 2121,
  });
  for (const q of queries) {
    for (const path of ['/oidc/auth', '/oidc/session/end']) {
      const res = await fetch(
        `${stack.url}${path}?${new URLSearchParams(q as Record<string, string>).toString().slice(0, 8000)}`,
        {
          redirect: 'manual',
        },
      );
      statuses.add(res.status);
      if (res.status >= 500) failures.push(`GET ${path} ${JSON.stringify(q).slice(0, 80)} -> ${res.status}`);
    }
  }
  for (const p of [
    '/signin/%00/finish',
    '/signin/..%2f..%2fx',
    `/signin/${'a'.repeat(3000)}`,
    '/signin/x/status',
  ]) {
    const res = await fetch(stack.url + p, { redirect: 'manual' });
    if (res.status >= 500) failures.push(`GET ${p.slice(0, 40)} -> ${res.status}`);
  }
  expect(failures.slice(0, 10)).toEqual([]);
  // The provider refused with its own 4xx answers (the bodies reached it).
  expect([...statuses].some((s) => s === 400 || s === 401)).toBe(true);
  expect((await stack.api('GET', '/healthz')).status).toBe(200);
}, 120_000);
