import type Router from '@koa/router';
import { createApp } from '@eid/bff/app';
import { DEV_STAFF, startStack, type Stack } from '../helpers/stack';
import { databaseSnapshot } from '../helpers/snapshot';
import { giveConsent, login } from '../helpers/identity';
import { registerParty, staffToken, type RegisteredParty } from '../helpers/party';

/**
 * Bodies as weapons (issue 21 §4): query operators where a string belongs, bodies over the limit, bodies nested
 * deeper than any parser's stack. The schema refuses an operator object before any query is built; the reader
 * refuses a large body before reading it all; nesting is refused without a stack overflow.
 */
let stack: Stack;
let party: RegisteredParty;
const tokens: Record<string, string> = {};
const OPERATORS: unknown[] = [
  { $ne: null },
  { $gt: '' },
  { $regex: '.*' },
  { $exists: true },
  { $in: [] },
  [{ $ne: null }],
];

beforeAll(async () => {
  stack = await startStack();
  tokens.resident = (await login(stack)).accessToken;
  expect((await giveConsent(stack, tokens.resident)).status).toBe(200);
  tokens.staff = (await stack.api('POST', '/api/v1/staff/login', { body: DEV_STAFF })).body.accessToken;
  tokens.supervisor = await staffToken(stack, 'supervisor');
  tokens.administrator = await staffToken(stack, 'administrator');
  tokens.auditor = await staffToken(stack, 'auditor');
  party = await registerParty(stack);
});
afterAll(() => stack.stop());

const isNodeRoute = (path: string) =>
  path === '/api/v1/federation/trust-push' || path.startsWith('/api/v1/federation/node/');

/** A staff token of a role that may use `path` (roles.ts), else the resident's. */
function tokenFor(path: string): string {
  if (path.startsWith('/api/v1/admin/questions/') || path.startsWith('/api/v1/admin/audit/'))
    return tokens.auditor!;
  if (
    /^\/api\/v1\/admin\/(parties|accounts|trust|keys|federation)/.test(path) ||
    path.startsWith('/api/v1/federation/')
  )
    return tokens.administrator!;
  if (path.startsWith('/api/v1/admin/')) return tokens.supervisor!;
  if (
    path.startsWith('/api/v1/verify') ||
    path === '/api/v1/document-calls' ||
    path.startsWith('/api/v1/staff/')
  )
    return tokens.staff!;
  return tokens.resident!;
}

function routes(methods: string[]): { method: string; path: string }[] {
  const router = createApp(stack.deps, stack.services)
    .middleware.map((m) => (m as { router?: Router }).router)
    .find((r): r is Router => r !== undefined)!;
  return router.stack.flatMap((layer) =>
    layer.methods.filter((m) => methods.includes(m)).map((method) => ({ method, path: String(layer.path) })),
  );
}

const send = (method: string, path: string, body: unknown) =>
  path.startsWith('/api/v1/rp/')
    ? party.signed(method, path, body)
    : stack.api(method, path, { token: tokenFor(path), body });

describe('query-operator injection', () => {
  it('when the staff sign-in gets {"$ne": null} or {"$gt": ""} as username and password, then 400 VALIDATION_FAILED and no session', async () => {
    for (const op of OPERATORS) {
      const res = await stack.api('POST', '/api/v1/staff/login', { body: { username: op, password: op } });
      expect([JSON.stringify(op), res.status, res.body.code]).toEqual([
        JSON.stringify(op),
        400,
        'VALIDATION_FAILED',
      ]);
      expect(res.body.accessToken).toBeUndefined();
      const half = await stack.api('POST', '/api/v1/staff/login', {
        body: { username: DEV_STAFF.username, password: op },
      });
      expect([half.status, half.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
  });

  it('when any field a route requires gets an operator object instead of its value, then 400 and nothing changes', async () => {
    // Signed routes last: their nonces are remembered (a write) even when the body is refused.
    const all = routes(['POST', 'PUT', 'PATCH', 'DELETE']).filter((r) => !isNodeRoute(r.path));
    const signed = (p: string) => p.startsWith('/api/v1/rp/');
    const body = [...all.filter((r) => !signed(r.path)), ...all.filter((r) => signed(r.path))];
    expect(body.length).toBeGreaterThan(40);
    const tried: string[] = [];
    const wrong: string[] = [];
    const before = await databaseSnapshot(stack);
    let afterUnsigned: string | undefined;
    for (const { method, path } of body) {
      if (signed(path)) afterUnsigned ??= await databaseSnapshot(stack);
      const concrete = path.replace(/:[A-Za-z]+/g, 'x');
      // An unknown key makes the probe a refusal everywhere, and the schema still lists what is missing.
      const probe = await send(method, concrete, { probe: 1 });
      const fields = [
        ...new Set(
          ((probe.body?.details?.issues ?? []) as { path: string }[]).map((i) => i.path.split('.')[0]!),
        ),
      ].filter(Boolean);
      for (const field of fields) {
        for (const op of OPERATORS) {
          const res = await send(method, concrete, { [field]: op });
          tried.push(`${method} ${path} ${field}`);
          if (res.status !== 400)
            wrong.push(`${method} ${path} ${field}=${JSON.stringify(op)} -> ${res.status} ${res.body?.code}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // The probe found fields on most routes: the operators reached the schemas.
    expect(new Set(tried.map((t) => t.split(' ').slice(0, 2).join(' '))).size).toBeGreaterThan(25);
    expect(afterUnsigned).toBe(before);
  });

  it('when a GET route gets operator-looking query parameters and path segments, then it answers below 500', async () => {
    const gets = routes(['GET']).filter(
      (r) => r.path.startsWith('/api/v1/') && !r.path.startsWith('/api/v1/rp/'),
    );
    for (const { path } of gets) {
      for (const segment of ['%7B%22%24ne%22%3Anull%7D', '$ne', '[object Object]']) {
        const target = `${path.replace(/:[A-Za-z]+/g, segment)}?id[$ne]=x&q[$regex]=.*&$where=1&limit[$gt]=0`;
        const res = await stack.api('GET', target, { token: tokenFor(path) });
        expect([target, res.status < 500]).toEqual([target, true]);
      }
    }
  });
});

describe('large and deep bodies', () => {
  const raw = (path: string, text: string, headers: Record<string, string> = {}) =>
    fetch(stack.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(path)}`, ...headers },
      body: text,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { code: string } }));

  it('when a body is over the limit, declared or streamed without a length, then 413 BODY_TOO_LARGE', async () => {
    const big = JSON.stringify({ code: 'x'.repeat(stack.config.BODY_LIMIT_BYTES) });
    expect(await raw('/api/v1/verify', big)).toMatchObject({ status: 413, body: { code: 'BODY_TOO_LARGE' } });
    // Chunked: no Content-Length, the reader stops at the limit.
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 100; i++)
          c.enqueue(new TextEncoder().encode(i === 0 ? '{"code":"' : 'x'.repeat(4096)));
        c.close();
      },
    });
    const chunked = await fetch(`${stack.url}/api/v1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.staff}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect([chunked.status, ((await chunked.json()) as { code: string }).code]).toEqual([
      413,
      'BODY_TOO_LARGE',
    ]);
    // The public verification's own bound (256 KiB), and past it.
    const pdf = (n: number) => JSON.stringify({ pdf: 'A'.repeat(n) });
    expect((await raw('/api/v1/licences/verify', pdf(200 * 1024))).status).toBeLessThan(500);
    expect(await raw('/api/v1/licences/verify', pdf(300 * 1024))).toMatchObject({
      status: 413,
      body: { code: 'BODY_TOO_LARGE' },
    });
  });

  it('when a body nests arrays or objects as deep as the limit allows, then 400 without a stack overflow, on ordinary, signed and the large route', async () => {
    const limit = stack.config.BODY_LIMIT_BYTES;
    const arrays = (depth: number) =>
      `{"code":${'['.repeat(depth)}${']'.repeat(depth)},"purpose":"hotel_check_in"}`;
    const objects = (depth: number) => `{"code":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    for (const text of [arrays(Math.floor(limit / 2) - 40), objects(Math.floor(limit / 6) - 20)]) {
      expect(text.length).toBeLessThanOrEqual(limit);
      const res = await raw('/api/v1/verify', text);
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    const wide = 256 * 1024;
    const deep = await raw(
      '/api/v1/licences/verify',
      `{"pdf":${'['.repeat(wide / 2 - 20)}${']'.repeat(wide / 2 - 20)}}`,
    );
    expect([deep.status, deep.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const signed = await party.signed(
      'POST',
      '/api/v1/rp/verify',
      `{"code":${'['.repeat(limit / 2 - 40)}${']'.repeat(limit / 2 - 40)}}`,
    );
    expect(signed.status).toBe(400);
    expect((await stack.api('GET', '/healthz')).status).toBe(200);
  });
});
