import type Router from '@koa/router';
import { createApp } from '@eid/bff/app';
import { DEV_STAFF, startStack, type Stack } from '../../helpers/stack';
import { databaseSnapshot } from '../../helpers/snapshot';
import { deskOf } from '../../helpers/oversight';
import { freshPerson, giveConsent, login } from '../../helpers/identity';
import {
  registerParty,
  staffToken as tokenOfRole,
  supervisorToken,
  type RegisteredParty,
} from '../../helpers/party';

/**
 * One rule for every body, whatever the route: UTF-8 JSON whose top level is an object, with only the
 * keys the route's schema names. A route that takes no body refuses one with keys, as a POST does.
 */
describe('body rules: every route reads bodies the same way, and a refused body changes nothing', () => {
  let stack: Stack;
  let token: string;
  let staffToken: string;
  let adminToken: string;
  // Staff lookups are an officer's or supervisor's, answering residents' questions an auditor's (roles.ts).
  let lookupToken: string;
  let auditToken: string;
  // Decisions on residents (card actions, the review queue) are a supervisor's (roles.ts CAPABILITIES.decide).
  let decideToken: string;
  let party: RegisteredParty;

  const snapshot = () => databaseSnapshot(stack);

  /** Sends `bytes` as the body, as a client with its own encoder would. */
  async function sendBytes(
    method: string,
    path: string,
    bytes: Uint8Array,
    contentType: string,
    auth = token,
  ) {
    const res = await fetch(stack.url + path, {
      method,
      headers: { 'content-type': contentType, authorization: `Bearer ${auth}` },
      body: new Uint8Array(bytes),
    });
    return { status: res.status, body: (await res.json()) as { code: string; message: string } };
  }

  /** Every route of the running app that reads a body (from the router itself, so new routes are included). */
  function bodyRoutes(): { method: string; path: string }[] {
    const app = createApp(stack.deps, stack.services);
    const router = app.middleware
      .map((m) => (m as { router?: Router }).router)
      .find((r): r is Router => r !== undefined)!;
    return router.stack.flatMap((layer) =>
      layer.methods
        .filter((m) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(m))
        .map((method) => ({ method, path: String(layer.path) })),
    );
  }

  // The verify routes are the staff terminal's (online checks and offline uploads), opening a document
  // call is a window's and TOTP enrolment a staff member's; the rest are residents'.
  const tokenFor = (path: string) =>
    path.startsWith('/api/v1/admin/cards/') || path.startsWith('/api/v1/admin/reviews/')
      ? decideToken
      : path.startsWith('/api/v1/admin/') || path === '/api/v1/federation/split-view/clear'
        ? adminToken
        : path === '/api/v1/verify' ||
            path.startsWith('/api/v1/verify/') ||
            path === '/api/v1/document-calls' ||
            path.startsWith('/api/v1/staff/totp/') ||
            path === '/api/v1/staff/logout' ||
            path === '/api/v1/staff/session/refresh'
          ? staffToken
          : token;
  // The relying parties' routes take signed requests: the body is read after the signature (and its nonce
  // remembered), so they are sent signed, and apart from the routes whose refusals must write nothing.
  const isSigned = (path: string) => path.startsWith('/api/v1/rp/');
  // The trust push and the node-to-node routes first need the node to be federated (a pushed bundle is
  // checked against the pinned national keys, a node request's signature against the national list): this
  // stack holds none, so each answers FEDERATION_NOT_CONFIGURED before validating its body (their body rules
  // are tested on federated stacks in test/bff/federation). A body that is not a JSON object is still refused
  // by the body parser before them, as everywhere.
  const isNodeRoute = (path: string) =>
    path === '/api/v1/federation/trust-push' || path.startsWith('/api/v1/federation/node/');
  const refusedUnread = async (routes: { method: string; path: string }[], body: unknown) => {
    const nodeRoutes = routes.filter((r) => isNodeRoute(r.path));
    expect(nodeRoutes.length).toBeGreaterThan(0);
    for (const { method, path } of nodeRoutes) {
      const res = await stack.api(method, path, { body });
      expect([method, path, res.status, res.body.code]).toEqual([
        method,
        path,
        404,
        'FEDERATION_NOT_CONFIGURED',
      ]);
    }
  };
  const oversightToken = (path: string) =>
    path.startsWith('/api/v1/admin/lookups')
      ? lookupToken
      : path.startsWith('/api/v1/admin/questions/') || path.startsWith('/api/v1/admin/audit/')
        ? auditToken
        : undefined;
  const send = (method: string, path: string, options: { body?: unknown; raw?: string }) =>
    isSigned(path)
      ? party.signed(method, path, options.raw ?? options.body)
      : stack.api(method, path, {
          token: oversightToken(path) ?? tokenFor(path),
          ...options,
          ...(options.raw !== undefined && { headers: { 'content-type': 'application/json' } }),
        });

  beforeAll(async () => {
    stack = await startStack();
    token = (await login(stack)).accessToken;
    expect((await giveConsent(stack, token)).status).toBe(200);
    const staff = await stack.api('POST', '/api/v1/staff/login', { body: DEV_STAFF });
    staffToken = staff.body.accessToken;
    adminToken = await supervisorToken(stack);
    lookupToken = (await deskOf(stack, 'supervisor')).token;
    auditToken = (await deskOf(stack, 'auditor')).token;
    decideToken = await tokenOfRole(stack, 'supervisor');
    party = await registerParty(stack);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when a name carries bytes that are not UTF-8, then 400 BAD_REQUEST and no real-name try is counted', async () => {
    const before = await snapshot();
    const person = freshPerson();
    // A lone continuation byte (0x80) after a real name: a lenient decoder would make it U+FFFD.
    const bad = Buffer.concat([
      Buffer.from(`{"name":"${person.name}`),
      Buffer.from([0x80]),
      Buffer.from(`","idNumber":"${person.idNumber}"}`),
    ]);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bad)).toThrow();
    const res = await sendBytes('POST', '/api/v1/enrollment/real-name', bad, 'application/json');
    expect([res.status, res.body.code]).toEqual([400, 'BAD_REQUEST']);
    expect(res.body.message).toMatch(/UTF-8/);
    // An overlong encoding and a truncated sequence at the very end are refused the same way.
    for (const tail of [Buffer.from([0xc0, 0xaf]), Buffer.from([0xe4, 0xb8])]) {
      const body = Buffer.concat([Buffer.from('{"name":"'), tail, Buffer.from('","idNumber":"1"}')]);
      const again = await sendBytes('POST', '/api/v1/enrollment/real-name', body, 'application/json');
      expect([again.status, again.body.code]).toEqual([400, 'BAD_REQUEST']);
    }
    expect(await snapshot()).toBe(before);
    const enrollment = await stack.api('GET', '/api/v1/enrollment', { token });
    expect(enrollment.body.attempts.realName.remaining).toBe(stack.config.REAL_NAME_ATTEMPTS_PER_DAY);
  });

  it('when the Content-Type names a charset other than UTF-8, then 415 UNSUPPORTED_MEDIA_TYPE before anything is done', async () => {
    const before = await snapshot();
    const person = freshPerson();
    const text = JSON.stringify({ name: person.name, idNumber: person.idNumber });
    const utf16 = new Uint8Array(Buffer.from(text, 'utf16le'));
    for (const [bytes, type] of [
      [utf16, 'application/json; charset=utf-16'],
      [utf16, 'application/json; charset="UTF-16LE"'],
      // Declared wrongly but sent as UTF-8: still refused, the declaration is what a client promised.
      [new TextEncoder().encode(text), 'application/json;charset=gbk'],
      [new TextEncoder().encode(text), 'application/json; charset=utf-8; charset=latin1'],
    ] as const) {
      const res = await sendBytes('POST', '/api/v1/enrollment/real-name', bytes, type);
      expect([type, res.status, res.body.code]).toEqual([type, 415, 'UNSUPPORTED_MEDIA_TYPE']);
    }
    expect(await snapshot()).toBe(before);
  });

  it('when the charset is UTF-8 in any spelling, or a byte-order mark leads, then the body is read as usual', async () => {
    const body = new TextEncoder().encode(JSON.stringify({ code: 'not-a-code', purpose: 'hotel_check_in' }));
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...body]);
    for (const [bytes, type] of [
      [body, 'application/json; charset=utf-8'],
      [body, 'application/json; charset="UTF-8"'],
      [body, 'application/json;charset=utf8'],
      [withBom, 'application/json'],
    ] as const) {
      const res = await sendBytes('POST', '/api/v1/verify', bytes, type, staffToken);
      expect([type, res.status]).toEqual([type, 200]);
    }
  });

  it('when any route that reads a body gets one with an unknown key, then 400 VALIDATION_FAILED and nothing changes', async () => {
    const routes = bodyRoutes();
    // The router really is what is walked: both DELETE routes and the POST routes are in it.
    expect(routes).toEqual(
      expect.arrayContaining([
        { method: 'DELETE', path: '/api/v1/enrollment/consent' },
        { method: 'DELETE', path: '/api/v1/account' },
        { method: 'POST', path: '/api/v1/reauth/start' },
        { method: 'POST', path: '/api/v1/verify' },
      ]),
    );
    const refused = async ({ method, path }: { method: string; path: string }) => {
      const res = await send(method, path, { body: { unexpected: 1 } });
      expect([method, path, res.status, res.body.code]).toEqual([method, path, 400, 'VALIDATION_FAILED']);
      expect(res.body.details.issues).toEqual(
        expect.arrayContaining([{ path: '', message: expect.stringMatching(/unrecognized key/i) }]),
      );
    };
    const before = await snapshot();
    for (const route of routes.filter((r) => !isSigned(r.path) && !isNodeRoute(r.path))) await refused(route);
    await refusedUnread(routes, { unexpected: 1 });
    expect(await snapshot()).toBe(before);
    for (const route of routes.filter((r) => isSigned(r.path))) await refused(route);
    // Still consented, and the account still answers: neither DELETE acted.
    const enrollment = await stack.api('GET', '/api/v1/enrollment', { token });
    expect([enrollment.status, enrollment.body.state]).toEqual([200, 'consented']);
  });

  it('when any route that reads a body gets JSON that is not an object at the top, then 400 BAD_REQUEST', async () => {
    const refused = async ({ method, path }: { method: string; path: string }) => {
      for (const raw of ['[]', '[{"unexpected":1}]', 'null', '"text"', '42', 'true']) {
        const res = await send(method, path, { raw });
        expect([method, path, raw, res.status, res.body.code]).toEqual([
          method,
          path,
          raw,
          400,
          'BAD_REQUEST',
        ]);
      }
    };
    const routes = bodyRoutes();
    const before = await snapshot();
    for (const route of routes.filter((r) => !isSigned(r.path))) await refused(route);
    expect(await snapshot()).toBe(before);
    for (const route of routes.filter((r) => isSigned(r.path))) await refused(route);
  });

  it('when a DELETE route gets an empty object or no body, then it acts', async () => {
    const res = await stack.api('DELETE', '/api/v1/enrollment/consent', { token, body: {} });
    expect([res.status, res.body.state]).toEqual([200, 'new']);
    const closed = await stack.api('DELETE', '/api/v1/account', { token });
    expect(closed.status).toBe(200);
  });
});
