import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { STAFF_BADGE_PATTERN, STAFF_ROLES } from '@eid/shared';
import { validate } from '../../middleware/validate';
import type { StaffService } from './staff.service';

const shortText = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[^\p{C}]*$/u, 'must hold no control characters');
const Window = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/), name: shortText });
const Role = z.enum(STAFF_ROLES);

const CreateBody = z.strictObject({
  username: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  // SP 800-63B §5.1.1.2 asks for at least 8; staff hold a second factor too, but an initial password handed
  // over by an administrator should not be the short kind.
  password: z.string().min(12).max(256),
  role: Role,
  displayName: shortText,
  org: z
    .string()
    .trim()
    .min(1)
    .max(128)
    .regex(/^[^\p{C}]*$/u, 'must hold no control characters'),
  badge: z.string().regex(STAFF_BADGE_PATTERN, 'must be the six digits of the badge number'),
  window: Window.optional(),
});
const RoleBody = z.strictObject({ role: Role });
const WindowBody = z.strictObject({ window: Window.nullable() });
const EmptyBody = z.strictObject({});
const Params = z.object({ id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/) });

export interface StaffAdminRoutesDeps {
  staff: StaffService;
  /** An administrator's token (CAPABILITIES.accounts). */
  accountsAuth: Middleware;
}

/**
 * `/api/v1/admin/staff`: the administrator's account management (accounts.ts). Bodies are validated before
 * the path, so a refused body never depends on whether the account exists.
 */
export function staffAdminRoutes({ staff, accountsAuth }: StaffAdminRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1/admin/staff' });
  const admin = staff.accounts;
  // Accounts are not cached anywhere on the way: a list seen by an administrator is not kept.
  const guard: Middleware[] = [
    accountsAuth,
    async function noStore(ctx, next) {
      ctx.set('Cache-Control', 'no-store');
      await next();
    },
  ];

  router.post('/', ...guard, async function createAccount(ctx) {
    const body = validate(CreateBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = await admin.create(ctx.state.auth.sub, body);
  });

  router.get('/', ...guard, async function listAccounts(ctx) {
    ctx.body = { accounts: await admin.list() };
  });

  router.get('/:id', ...guard, async function viewAccount(ctx) {
    const { id } = validate(Params, ctx.params);
    ctx.body = await admin.view(id);
  });

  router.post('/:id/role', ...guard, async function changeRole(ctx) {
    const { role } = validate(RoleBody, ctx.request.body);
    const { id } = validate(Params, ctx.params);
    ctx.body = await admin.changeRole(ctx.state.auth.sub, id, role);
  });

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    router.post(`/:id/${action}`, ...guard, async function setDisabled(ctx) {
      validate(EmptyBody, ctx.request.body);
      const { id } = validate(Params, ctx.params);
      ctx.body = await admin.setDisabled(ctx.state.auth.sub, id, disabled);
    });
  }

  router.post('/:id/window', ...guard, async function setWindow(ctx) {
    const { window } = validate(WindowBody, ctx.request.body);
    const { id } = validate(Params, ctx.params);
    ctx.body = await admin.setWindow(ctx.state.auth.sub, id, window);
  });

  router.post('/:id/totp/reset', ...guard, async function resetTotp(ctx) {
    validate(EmptyBody, ctx.request.body);
    const { id } = validate(Params, ctx.params);
    ctx.body = await admin.resetTotp(ctx.state.auth.sub, id);
  });

  router.post('/:id/sessions/revoke', ...guard, async function revokeSessions(ctx) {
    validate(EmptyBody, ctx.request.body);
    const { id } = validate(Params, ctx.params);
    ctx.body = await admin.revokeSessions(ctx.state.auth.sub, id);
  });

  router.post('/:id/unlock', ...guard, async function unlock(ctx) {
    validate(EmptyBody, ctx.request.body);
    const { id } = validate(Params, ctx.params);
    ctx.body = await admin.unlock(ctx.state.auth.sub, id);
  });

  return router;
}
