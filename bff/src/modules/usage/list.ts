import { AppError, type UsageEvent } from '@eid/shared';
import type { UsageEventDoc } from './usage.model';
import type { UsageQuery, UsageRepository } from './usage.repository';

/** What a resident sees of one event: the wire `UsageEvent`, no hashes, no request ids. */
export type UsageEventView = UsageEvent;

/** One page of a resident's trace, newest first; `nextBefore` continues it. */
export async function listUsage(
  repo: UsageRepository,
  q: UsageQuery,
): Promise<{ items: UsageEventView[]; nextBefore: number | null }> {
  const docs = await repo.list({ ...q, limit: q.limit + 1 });
  const items = docs.slice(0, q.limit).map(toView);
  return { items, nextBefore: docs.length > q.limit ? items[items.length - 1]!.seq : null };
}

/** One event of the resident's own trace; NOT_FOUND for anyone else's. */
export async function getUsage(
  repo: UsageRepository,
  residentId: string,
  id: string,
  visibleAt?: number,
): Promise<UsageEventView> {
  const doc = await repo.get(residentId, id, visibleAt);
  if (!doc) throw new AppError('NOT_FOUND', 'No such usage record');
  return toView(doc);
}

function toView(doc: UsageEventDoc): UsageEventView {
  return {
    id: doc._id,
    seq: doc.seq,
    at: doc.at,
    actor: {
      type: doc.actor.type,
      id: doc.actor.id,
      displayName: doc.actor.displayName,
      ...(doc.actor.org !== undefined && { org: doc.actor.org }),
    },
    action: doc.action,
    fields: doc.fields ?? [],
    purpose: doc.purpose,
    result: doc.result,
    ...(doc.detail !== undefined && { detail: doc.detail }),
  };
}
