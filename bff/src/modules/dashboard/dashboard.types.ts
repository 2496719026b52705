/**
 * What other modules may use of the dashboard module (issue 19 §2): the counts the admin dashboard draws.
 * Counts only; the module never reads a resident's data.
 */
import type { DashboardView } from '@eid/shared';

export interface DashboardService {
  /** Counts over the last `hours` hours (1..DASHBOARD_MAX_HOURS) up to the clock's now. */
  summary(hours: number): Promise<DashboardView>;
}
