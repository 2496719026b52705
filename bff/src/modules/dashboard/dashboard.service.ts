import type { DashboardService } from './dashboard.types';
import type { DashboardDeps } from './deps';
import { dashboardSummary } from './summary';

export type { DashboardDeps } from './deps';

/** The admin dashboard's counts (issue 19 §2; docs/admin.md "Dashboard"). */
export function createDashboardService(deps: DashboardDeps): DashboardService {
  return {
    summary: (hours) => dashboardSummary(deps, hours),
  };
}
