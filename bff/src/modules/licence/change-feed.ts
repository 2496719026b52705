import { randomUUID } from 'node:crypto';
import { AppError, errorCodeOf } from '@eid/shared';
import { runEvery } from '../../infra/interval';
import { REFRESH_ACTOR, holderIndexOf, type LicenceDeps } from './deps';
import { linkedTypes, pullWallet } from './pull';

const FEED_LEASE = 'licence.change-feed';
const FEED_LEASE_MS = 10 * 60_000;
/** Entries asked for per page of the feed. */
export const FEED_PAGE = 100;
/** Pages read per run at most: a long backlog is worked off over several runs. */
export const FEED_MAX_PAGES = 10;
const REFRESH_CONCURRENCY = 4;

export interface ChangeFeedResult {
  /** Change entries read and handled. */
  changes: number;
  /** Wallets pulled again. */
  refreshed: number;
  /** Wallets whose pull failed; the cursor stays before their page, so the next run tries again. */
  failed: number;
  /** True when another process held the lease and this run did nothing. */
  skipped: boolean;
}

/** Pulls the wallets of `residentIds` again, a few at a time; the number that failed. */
async function refreshResidents(deps: LicenceDeps, residentIds: string[], result: ChangeFeedResult) {
  let failed = 0;
  for (let i = 0; i < residentIds.length; i += REFRESH_CONCURRENCY) {
    const outcomes = await Promise.allSettled(
      residentIds.slice(i, i + REFRESH_CONCURRENCY).map(async (residentId) => {
        const link = await deps.repo.linkOf(residentId);
        if (linkedTypes(link).length === 0) return false;
        try {
          await pullWallet(deps, residentId, link!, {
            trigger: 'change_feed',
            actor: REFRESH_ACTOR,
            useEtag: true,
          });
        } catch (err) {
          // An identity erased but not yet through its hook: the hook erases the wallet, nothing to pull.
          if (err instanceof AppError && err.code === 'CARD_NOT_ELIGIBLE') return false;
          throw err;
        }
        return true;
      }),
    );
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        failed += 1;
        deps.logger.warn({ errorCode: errorCodeOf(outcome.reason) }, 'licence refresh of a wallet failed');
      } else if (outcome.value) result.refreshed += 1;
    }
  }
  return failed;
}

/** The change-feed refresh of one process; the sweep and its timer share the process's lease holder id. */
export function createChangeFeed(deps: LicenceDeps) {
  const leaseHolder = randomUUID();

  /**
   * Reads the licence system's change feed from the stored cursor and pulls again every linked wallet an
   * entry names (found by the keyed index of the entry's holder key; the feed names no one). The cursor
   * moves past a page only when every wallet of it was pulled, so a licence system that fails half-way loses
   * nothing; a cursor the system no longer knows starts the feed again (pulls are ETag-cheap). Bounded:
   * FEED_MAX_PAGES pages per run, one process at a time (a lease).
   */
  async function refreshFromChanges(maxPages = FEED_MAX_PAGES): Promise<ChangeFeedResult> {
    const result: ChangeFeedResult = { changes: 0, refreshed: 0, failed: 0, skipped: false };
    if (!(await deps.leases.acquire(FEED_LEASE, leaseHolder, FEED_LEASE_MS)))
      return { ...result, skipped: true };
    try {
      let cursor = await deps.repo.feedCursor();
      for (let page = 0; page < maxPages; page += 1) {
        const answer = await deps.client.changes(cursor, FEED_PAGE);
        if (answer.cursorExpired) {
          deps.logger.warn('licence change feed cursor expired: reading the feed from its start');
          cursor = undefined;
          await deps.repo.setFeedCursor(undefined, deps.clock.now());
          continue;
        }
        const indexes = [...new Set(answer.changes.map((c) => c.holder))].map((h) =>
          holderIndexOf(deps.keys, h),
        );
        const residents = await deps.repo.residentsByHolder(indexes);
        const failed = await refreshResidents(deps, residents, result);
        if (failed > 0) {
          result.failed += failed;
          break;
        }
        result.changes += answer.changes.length;
        cursor = answer.next;
        await deps.repo.setFeedCursor(cursor, deps.clock.now());
        if (!answer.hasMore) break;
      }
    } finally {
      await deps.leases.release(FEED_LEASE, leaseHolder);
    }
    if (result.changes > 0 || result.failed > 0) deps.logger.info(result, 'licence change feed read');
    return result;
  }

  /** Reads the feed every `intervalMs`; the returned function stops it and waits for a run in flight. */
  function startChangeFeed(intervalMs: number): () => Promise<void> {
    return runEvery(
      intervalMs,
      () => refreshFromChanges(),
      (err) => deps.logger.warn({ errorCode: errorCodeOf(err) }, 'licence change feed run failed'),
    );
  }

  return { refreshFromChanges, startChangeFeed };
}
