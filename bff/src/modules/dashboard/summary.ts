import type { DashboardView } from '@eid/shared';
import { ACTIONS, type DashboardDeps } from './deps';

const HOUR_MS = 3600_000;

/** Sums `count` of `rows` by `keyOf`, largest first (ties by key, so the order is stable). */
function tally<T>(rows: T[], keyOf: (row: T) => string, countOf: (row: T) => number) {
  const sums = new Map<string, number>();
  for (const row of rows) sums.set(keyOf(row), (sums.get(keyOf(row)) ?? 0) + countOf(row));
  return [...sums.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/**
 * The dashboard's numbers for the last `hours` hours: verifications by purpose, province and hour and the
 * enrolment tries from the usage traces' counts, cards by status, document calls by state, the callback
 * outbox. Every hour of the window has an entry in `byHour`, so a chart's gaps are real zeros.
 */
export async function dashboardSummary(deps: DashboardDeps, hours: number): Promise<DashboardView> {
  const now = deps.clock.now();
  const from = now - hours * HOUR_MS;
  const [rows, cards, calls, callbacks] = await Promise.all([
    deps.usage.countEvents({ actions: Object.values(ACTIONS), from, to: now + 1 }),
    deps.cards.countCards(from),
    deps.documentCalls.countByState(from),
    deps.callbacks.counts(),
  ]);

  const verifications = rows.filter((r) => r.action === ACTIONS.verify);
  const firstHour = from - (from % HOUR_MS);
  const perHour = new Map<number, number>();
  for (let h = firstHour; h <= now; h += HOUR_MS) perHour.set(h, 0);
  for (const r of verifications) perHour.set(r.hour, (perHour.get(r.hour) ?? 0) + r.count);

  const tries = (action: string, failed: boolean) =>
    rows
      .filter((r) => r.action === action && (!failed || r.result === 'failed'))
      .reduce((sum, r) => sum + r.count, 0);

  return {
    generatedAt: now,
    hours,
    cards,
    verifications: {
      total: verifications.reduce((sum, r) => sum + r.count, 0),
      byPurpose: tally(
        verifications,
        (r) => r.purpose,
        (r) => r.count,
      ).map(([purpose, count]) => ({
        purpose,
        count,
      })),
      byProvince: tally(
        verifications,
        (r) => r.province ?? deps.province,
        (r) => r.count,
      ).map(([province, count]) => ({ province, count })),
      byHour: [...perHour.entries()].sort((a, b) => a[0] - b[0]).map(([hour, count]) => ({ hour, count })),
    },
    enrolment: {
      realNameAttempts: tries(ACTIONS.realName, false),
      realNameFailures: tries(ACTIONS.realName, true),
      faceAttempts: tries(ACTIONS.face, false),
      faceFailures: tries(ACTIONS.face, true),
    },
    documentCalls: {
      created: Object.values(calls).reduce((sum, n) => sum + n, 0),
      // Delivered once, whatever came after: the access ran out, or the resident withdrew it.
      delivered: (calls.delivered ?? 0) + (calls.access_expired ?? 0) + (calls.withdrawn ?? 0),
      declined: calls.declined ?? 0,
      expired: calls.expired ?? 0,
    },
    callbacks,
  };
}
