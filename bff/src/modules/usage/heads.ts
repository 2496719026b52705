import type { Logger } from '../../infra/logger';
import type { UsageEventDoc } from './usage.model';
import type { UsageRepository } from './usage.repository';

/** How long a chain's head may lag behind its last link in the database. */
export const HEADS_LAG_MS = 200;
const MAX_HEAD_RETRIES = 5;

export interface HeadsMover {
  /** Notes links that landed; their chains' heads move within HEADS_LAG_MS. */
  due(docs: UsageEventDoc[]): void;
  /** Moves the heads due now instead of at the next tick; for shutdown and tests. */
  flush(): Promise<void>;
}

/**
 * Heads move in the background, once per HEADS_LAG_MS at most, for every chain appended meanwhile: one
 * write per tick instead of one per batch. A head that lags is safe (verification only reports a head
 * ahead of its chain); what it costs is that cutting the last HEADS_LAG_MS of a chain goes unnoticed.
 * The timer is set by an append, never by building: an idle process has none.
 */
export function createHeadsMover({ repo, logger }: { repo: UsageRepository; logger: Logger }): HeadsMover {
  const dueHeads = new Map<string, UsageEventDoc>();
  let headsTimer: ReturnType<typeof setTimeout> | undefined;
  let headsWrite: Promise<void> = Promise.resolve();
  let headFailures = 0;

  function headsDue(docs: UsageEventDoc[]): void {
    for (const doc of docs) {
      const due = dueHeads.get(doc.residentId);
      if (!due || due.seq < doc.seq) dueHeads.set(doc.residentId, doc);
    }
    if (!headsTimer && dueHeads.size > 0) {
      headsTimer = setTimeout(() => void flushHeads(), HEADS_LAG_MS);
      headsTimer.unref();
    }
  }

  function flushHeads(): Promise<void> {
    if (headsTimer) clearTimeout(headsTimer);
    headsTimer = undefined;
    headsWrite = headsWrite.then(async () => {
      if (dueHeads.size === 0) return;
      const batch = [...dueHeads.values()];
      dueHeads.clear();
      try {
        await repo.moveHeads(batch);
        headFailures = 0;
      } catch (err) {
        headFailures += 1;
        const code = (err as { code?: unknown }).code;
        // A few retries ride out a failover; past that (the database gone for good, as at shutdown) the
        // heads stay behind, which verification tolerates, rather than retrying forever.
        if (headFailures > MAX_HEAD_RETRIES) {
          logger.error({ heads: batch.length, code }, 'usage heads left behind');
          headFailures = 0;
          return;
        }
        logger.warn({ heads: batch.length, code }, 'usage heads not moved yet');
        headsDue(batch);
      }
    });
    return headsWrite;
  }

  return { due: headsDue, flush: flushHeads };
}
