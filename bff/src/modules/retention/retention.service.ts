import type { Connection } from 'mongoose';
import type { Clock } from '../../infra/clock';
import { runEvery } from '../../infra/interval';
import type { Logger } from '../../infra/logger';
import { RULES, runRule, sweepClosedAccounts } from './rules';
import type { RetentionPeriods, RetentionRuleResult, RetentionService } from './retention.types';

export type { RetentionService } from './retention.types';

export interface RetentionDeps {
  db: Connection;
  clock: Clock;
  logger: Logger;
  periods: RetentionPeriods;
}

/** The retention sweep over the rules of rules.ts; every process may run it (each step is one delete). */
export function createRetentionService(deps: RetentionDeps): RetentionService {
  const { db, clock, logger, periods } = deps;
  async function sweep(): Promise<RetentionRuleResult[]> {
    const now = clock.now();
    const results: RetentionRuleResult[] = [];
    for (const rule of RULES) results.push(await runRule(db, rule, periods, now));
    results.push(...(await sweepClosedAccounts(db, periods, now)));
    const deleted = results.filter((r) => r.deleted > 0);
    // Counts only: which rule removed how many, never whose.
    if (deleted.length > 0) logger.info({ retention: deleted }, 'retention sweep deleted records');
    return results;
  }
  return {
    sweep,
    startSweeps: (intervalMs) =>
      runEvery(intervalMs, sweep, (err) => logger.error({ err }, 'retention sweep failed')),
  };
}
