import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import { bindDisclosure } from './disclosure';
import { createHeadsMover } from './heads';
import { getUsage, listUsage, type UsageEventView } from './list';
import { createAppender } from './record';
import type { UsageQuery, UsageRepository } from './usage.repository';
import type {
  UsageCounter,
  UsageEventInput,
  UsageKeyLookup,
  UsageRecorder,
  UsageVisibility,
} from './usage.types';

export { HEADS_LAG_MS } from './heads';
export type { UsageEventView } from './list';
export { verifyAllChains, type ChainReport } from './verify-all';
export { createUsageAuditReader } from './search';

export interface UsageService extends UsageRecorder, UsageKeyLookup, UsageVisibility, UsageCounter {
  /** Moves the heads of the chains appended so far now instead of at the next tick; for shutdown and tests. */
  flushHeads(): Promise<void>;
  /** The resident's own view: events deferred past the clock's now are left out. */
  list(q: UsageQuery): Promise<{ items: UsageEventView[]; nextBefore: number | null }>;
  /** One event of the resident's own view; NOT_FOUND while it is deferred. */
  get(residentId: string, id: string): Promise<UsageEventView>;
}

export interface UsageServiceDeps {
  repo: UsageRepository;
  keys: KeyStore;
  clock: Clock;
  logger: Logger;
}

/**
 * Appends to and reads the hash-chained usage traces: record.ts holds the append queue, heads.ts moves
 * the chains' heads behind it, list.ts reads a resident's own trace.
 */
export function createUsageService({ repo, keys, clock, logger }: UsageServiceDeps): UsageService {
  const heads = createHeadsMover({ repo, logger });
  const append = createAppender({ repo, keys, clock, logger, heads });

  async function record(event: UsageEventInput): Promise<void> {
    await append(event);
  }

  function recordOnce(event: UsageEventInput, key: string): Promise<boolean> {
    return append(event, key);
  }

  return {
    flushHeads: heads.flush,
    record,
    recordOnce,
    disclosure: (bound) => bindDisclosure({ record, recordOnce }, bound),
    list: (q) => listUsage(repo, { ...q, visibleAt: clock.now() }),
    get: (residentId, id) => getUsage(repo, residentId, id, clock.now()),
    setVisibleFrom: (residentId, match, visibleFrom) => repo.setVisibleFrom(residentId, match, visibleFrom),
    keyedEndingWith: (residentId, suffix) => repo.onceEndingWith(residentId, suffix),
    countEvents: (q) => repo.countEvents(q),
  };
}
