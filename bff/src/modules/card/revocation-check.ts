import { randomUUID } from 'node:crypto';
import { AppError, errorCodeOf } from '@eid/shared';
import { runEvery } from '../../infra/interval';
import type { VerifiedIdentity } from '../enrollment/enrollment.types';
import { systemActor } from '../usage/usage.types';
import type { CardRecord } from './card.repository';
import type { RevocationCheckResult, RevocationReason } from './card.types';
import type { CardDeps } from './deps';
import { revokeCard } from './revoke';

const REVOCATION_LEASE = 'card.revocation-check';
const REVOCATION_LEASE_MS = 10 * 60_000;
const REVOCATION_PAGE = 100;
const REVOCATION_CONCURRENCY = 4;
const REVOCATION_ACTOR = systemActor('revocation-check', '证件状态核查');

/** Asks the registry about one card's holder; revokes the card if they are cancelled or deceased. */
async function checkOne(deps: CardDeps, card: CardRecord): Promise<'revoked' | 'kept'> {
  let id: VerifiedIdentity;
  try {
    id = await deps.identity.getVerifiedIdentity(card.residentId);
  } catch (err) {
    // Identity erased without the hook having run yet: the hook will revoke, nothing to ask the registry.
    if (err instanceof AppError && err.code === 'CARD_NOT_ELIGIBLE') return 'kept';
    throw err;
  }
  const { status } = await deps.registry.status(id.face.idNumber);
  if (status !== 'cancelled' && status !== 'deceased') return 'kept';
  const reason: RevocationReason = status === 'cancelled' ? 'registry_cancelled' : 'registry_deceased';
  const revoked = await revokeCard(deps, { cardId: card.cardId }, reason, REVOCATION_ACTOR);
  return revoked ? 'revoked' : 'kept';
}

/** Checks one page of live cards, a few at a time, adding the outcomes to `result`. */
async function checkPage(deps: CardDeps, page: CardRecord[], result: RevocationCheckResult): Promise<void> {
  for (let i = 0; i < page.length; i += REVOCATION_CONCURRENCY) {
    const outcomes = await Promise.allSettled(
      page.slice(i, i + REVOCATION_CONCURRENCY).map((card) => checkOne(deps, card)),
    );
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        result.failed += 1;
        deps.logger.warn({ errorCode: errorCodeOf(outcome.reason) }, 'revocation check of a card failed');
      } else {
        result.checked += 1;
        if (outcome.value === 'revoked') result.revoked += 1;
      }
    }
  }
}

/** The revocation check of one process: the sweep and its timer share the process's lease holder id. */
export function createRevocationCheck(deps: CardDeps) {
  const { repo, leases, logger } = deps;
  const leaseHolder = randomUUID();

  /**
   * Asks the registry about the holder of every live card and revokes those it reports cancelled or
   * deceased. One process at a time (a lease in the database); safe to call from a test or a timer.
   */
  async function revocationCheck(maxCards = 100_000): Promise<RevocationCheckResult> {
    const result: RevocationCheckResult = { checked: 0, revoked: 0, failed: 0, skipped: false };
    if (!(await leases.acquire(REVOCATION_LEASE, leaseHolder, REVOCATION_LEASE_MS))) {
      return { ...result, skipped: true };
    }
    try {
      let after = '';
      while (result.checked + result.failed < maxCards) {
        const page = await repo.livePage(after, REVOCATION_PAGE);
        if (page.length === 0) break;
        after = page[page.length - 1]!.cardId;
        await checkPage(deps, page, result);
      }
    } finally {
      await leases.release(REVOCATION_LEASE, leaseHolder);
    }
    logger.info(result, 'revocation check done');
    return result;
  }

  /** Runs the revocation check every `intervalMs`; the returned function stops it and waits for a run in flight. */
  function startRevocationChecks(intervalMs: number): () => Promise<void> {
    return runEvery(intervalMs, revocationCheck, (err) => logger.error({ err }, 'revocation check failed'));
  }

  return { revocationCheck, startRevocationChecks };
}
