import type { NationalContext } from './context';
import type { PublishOutcome } from './national.types';
import { publish } from './publish';

/** After a publication short of the quorum, the timer waits this long, doubling up to the maximum. */
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 5 * 60_000;

/** Why the timer publishes now, or undefined when the served list is fresh and the registry unchanged. */
export async function publicationDue(ctx: NationalContext): Promise<string | undefined> {
  const [current, revision] = await Promise.all([ctx.repo.currentPublication(), ctx.repo.revision()]);
  if (!current) return 'first publication';
  if (ctx.deps.clock.now() >= current.issuedAt + ctx.deps.config.NATIONAL_REPUBLISH_S * 1000)
    return 'republish before expiry';
  if (revision > current.revision) return 'registry changed';
  return undefined;
}

/**
 * One tick of the republish timer: publishes when due (none yet, NATIONAL_REPUBLISH_S since the served one,
 * or the registry changed since), unless a recent attempt fell short of the quorum and its backoff runs, or
 * another process holds the publication lease (it is publishing). Backoff is judged by the injected clock.
 */
export function createRepublisher(ctx: NationalContext) {
  let failures = 0;
  let retryAt = 0;
  return async function republishIfDue(): Promise<PublishOutcome | undefined> {
    const now = ctx.deps.clock.now();
    if (now < retryAt) return undefined;
    const cause = await publicationDue(ctx);
    if (!cause) return undefined;
    const outcome = await publish(ctx, cause, { wait: false });
    if (!outcome) return undefined;
    if (outcome.published) {
      failures = 0;
      retryAt = 0;
    } else {
      retryAt = now + Math.min(RETRY_BASE_MS * 2 ** failures, RETRY_MAX_MS);
      failures += 1;
    }
    return outcome;
  };
}
