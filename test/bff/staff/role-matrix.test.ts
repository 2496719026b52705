import type Router from '@koa/router';
import { STAFF_ROLES, type StaffRole } from '@eid/shared';
import { createApp } from '@eid/bff/app';
import { STAFF_GUARD_ROLES } from '@eid/bff/modules/staff/staff.service';
import { CAPABILITIES } from '@eid/bff/modules/staff/roles';
import { staffToken } from '../../helpers/party';
import { startStack, type Stack } from '../../helpers/stack';

/**
 * Issue 19's role matrix, through HTTP: every route behind a staff guard (read from the running app's
 * router, so a new route is in the matrix the day it is added) is called by every role. The roles its guard
 * names get past it; every other role is refused with 403 FORBIDDEN, never a 401, a 500 or an answer.
 * Separation of duties is then checked on the matrix itself.
 */
interface GuardedRoute {
  method: string;
  path: string;
  roles: readonly StaffRole[];
}

let stack: Stack;
let routes: GuardedRoute[];
const tokens = new Map<StaffRole, string>();

beforeAll(async () => {
  stack = await startStack();
  const app = createApp(stack.deps, stack.services);
  const router = app.middleware
    .map((m) => (m as { router?: Router }).router)
    .find((r): r is Router => r !== undefined)!;
  routes = router.stack.flatMap((layer) => {
    const guard = layer.stack.find(
      (mw) => (mw as unknown as Record<symbol, unknown>)[STAFF_GUARD_ROLES] !== undefined,
    ) as unknown as Record<symbol, readonly StaffRole[]> | undefined;
    if (!guard) return [];
    return layer.methods
      .filter((m) => m !== 'HEAD')
      .map((method) => ({ method, path: String(layer.path), roles: guard[STAFF_GUARD_ROLES]! }));
  });
  for (const role of STAFF_ROLES) tokens.set(role, await staffToken(stack, role));
}, 60_000);
afterAll(() => stack?.stop());

/** A concrete path for a route template: every parameter a value of the right look, naming nothing real. */
const concrete = (path: string) =>
  path
    .replace(/:cardId\b/g, 'c'.repeat(22))
    .replace(/:kid\b/g, 'no-such-kid')
    .replace(/:docId\b/g, 'd'.repeat(12))
    .replace(/:[A-Za-z]+/g, '0'.repeat(32));

const call = (route: GuardedRoute, token: string) =>
  stack.api(route.method, concrete(route.path), {
    token,
    ...(route.method !== 'GET' && { body: {} }),
  });

it('finds the staff routes of every kind of work in the router', () => {
  const paths = routes.map((r) => r.path);
  for (const p of [
    '/api/v1/verify',
    '/api/v1/document-calls',
    '/api/v1/admin/lookups',
    '/api/v1/admin/reviews',
    '/api/v1/admin/staff',
    '/api/v1/admin/parties',
    '/api/v1/admin/audit/events',
    '/api/v1/admin/dashboard',
    '/api/v1/admin/keys',
    '/api/v1/federation/split-view/clear',
    '/api/v1/staff/me',
  ])
    expect(paths).toContain(p);
  expect(routes.length).toBeGreaterThan(40);
});

it('when every role calls every staff route, then exactly the roles its guard names get past it and every other role is refused 403 FORBIDDEN', async () => {
  const wrong: string[] = [];
  for (const route of routes) {
    for (const role of STAFF_ROLES) {
      const allowed = route.roles.includes(role);
      // A role that passes may act (sign out, revoke its sessions): it gets an account of its own each time.
      const token = allowed ? await staffToken(stack, role) : tokens.get(role)!;
      const res = await call(route, token);
      const ok = allowed
        ? res.status !== 401 && res.status !== 403 && res.status < 500
        : res.status === 403 && res.body.code === 'FORBIDDEN';
      if (!ok) wrong.push(`${route.method} ${route.path} as ${role}: ${res.status} ${res.body?.code ?? ''}`);
    }
  }
  expect(wrong).toEqual([]);
}, 300_000);

it('keeps the duties apart: the administrator reaches no resident data, the auditor reveals nothing and decides nothing, and nobody but a supervisor decides on a resident', () => {
  const residentData = routes.filter((r) =>
    /^\/api\/v1\/(verify|document-calls|admin\/(lookups|reviews|cards))/.test(r.path),
  );
  expect(residentData.length).toBeGreaterThan(5);
  for (const r of residentData)
    expect([r.path, r.roles]).not.toEqual([r.path, expect.arrayContaining(['administrator'])]);
  for (const r of routes.filter((x) => /reveal|\/admin\/cards\/|\/admin\/reviews\//.test(x.path)))
    expect([r.path, r.roles.includes('auditor')]).toEqual([r.path, false]);
  for (const r of routes.filter((x) => /\/admin\/(cards|reviews)\/|deferral/.test(x.path)))
    expect([r.path, [...r.roles]]).toEqual([r.path, [...CAPABILITIES.decide]]);
  for (const r of routes.filter((x) => x.path.startsWith('/api/v1/admin/staff')))
    expect([r.path, [...r.roles]]).toEqual([r.path, [...CAPABILITIES.accounts]]);
  for (const r of routes.filter((x) => x.path.startsWith('/api/v1/admin/audit')))
    expect([r.path, [...r.roles]]).toEqual([r.path, [...CAPABILITIES.audit]]);
});
