import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { DASHBOARD_MAX_HOURS } from '@eid/shared';
import { validate } from '../../middleware/validate';
import type { DashboardService } from './dashboard.types';

const DashboardQuery = z.strictObject({
  hours: z
    .string()
    .regex(/^\d{1,3}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(DASHBOARD_MAX_HOURS))
    .optional(),
});

export interface DashboardRoutesDeps {
  dashboard: DashboardService;
  /** The staff guard of CAPABILITIES.dashboard. */
  dashboardAuth: Middleware;
}

/** `GET /api/v1/admin/dashboard`: counts for the admin pages, no personal data. */
export function dashboardRoutes({ dashboard, dashboardAuth }: DashboardRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1/admin' });

  router.get('/dashboard', dashboardAuth, async function respondDashboard(ctx) {
    const { hours } = validate(DashboardQuery, ctx.query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await dashboard.summary(hours ?? 24);
  });

  return router;
}
