import { randomUUID } from 'node:crypto';
import { AppError } from '@eid/shared';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { HeadsMover } from './heads';
import type { UsageEventDoc } from './usage.model';
import type { UsageRepository } from './usage.repository';
import { GENESIS_HASH, linkHash } from './usage-chain';
import type { UsageEventInput } from './usage.types';

const MAX_APPEND_TRIES = 20;
const MAX_BATCH = 500;
const TAIL_CACHE_SIZE = 10000;

type Tail = { seq: number; hash: string };

interface Pending {
  residentId: string;
  link: Omit<UsageEventDoc, 'residentId' | 'seq' | 'prevHash' | 'hash'>;
  /** true once appended, false when its `once` key was taken. */
  resolve(appended: boolean): void;
  reject(err: unknown): void;
}

export interface AppendDeps {
  repo: UsageRepository;
  keys: KeyStore;
  clock: Clock;
  logger: Logger;
  heads: HeadsMover;
}

/**
 * The append queue of one process: `append` resolves true once the event's link is acknowledged, false
 * when an event with its `once` key exists already.
 *
 * Appends wait in one queue; whatever queued up while a write was in flight goes out as the next single
 * ordered insert, across residents, so a busy node costs one round trip per batch, not per event. The
 * unique (residentId, seq) index still decides between processes. One batch at a time: a chain's next
 * links are built on its last ones, which must have landed first.
 */
export function createAppender(
  deps: AppendDeps,
): (event: UsageEventInput, once?: string) => Promise<boolean> {
  const { clock } = deps;
  const queue: Pending[] = [];
  let writing = false;
  // The last link written by this process per resident saves a read per batch; a lost race clears it.
  const tails = new Map<string, Tail>();

  async function drain(): Promise<void> {
    writing = true;
    while (queue.length > 0) {
      await appendBatch(deps, tails, queue.splice(0, MAX_BATCH));
    }
    writing = false;
  }

  return function append(event, once) {
    return new Promise<boolean>((resolve, reject) => {
      const link: Pending['link'] = {
        _id: randomUUID(),
        at: clock.now(),
        actor: {
          type: event.actor.type,
          id: event.actor.id,
          displayName: event.actor.displayName,
          ...(event.actor.org !== undefined && { org: event.actor.org }),
        },
        action: event.action,
        fields: [...event.fields],
        purpose: event.purpose,
        result: event.result,
        ...(event.detail !== undefined && { detail: { ...event.detail } }),
        ...(event.requestId !== undefined && { requestId: event.requestId }),
        ...(once !== undefined && { once }),
        ...(event.visibleFrom !== undefined && { visibleFrom: event.visibleFrom }),
      };
      queue.push({ residentId: event.residentId, link, resolve, reject });
      // Deferred a turn so that events recorded in the same I/O phase share the first write too.
      if (!writing) {
        writing = true;
        setImmediate(() => void drain());
      }
    });
  };
}

/** The batch's events grouped per resident, each group in arrival order. */
function byResident(batch: Pending[]): Pending[] {
  const groups = new Map<string, Pending[]>();
  for (const p of batch) {
    const group = groups.get(p.residentId);
    if (group) group.push(p);
    else groups.set(p.residentId, [p]);
  }
  return [...groups.values()].flat();
}

/** Writes a batch; settles every event of it, never throws. */
async function appendBatch(deps: AppendDeps, tails: Map<string, Tail>, batch: Pending[]): Promise<void> {
  const state = { rest: byResident(batch) };
  try {
    await appendRest(deps, tails, state);
  } catch (err) {
    // Events whose links landed are settled already; only the rest fail.
    state.rest.forEach((p) => p.reject(err));
  }
}

/** Appends `state.rest`, retrying lost races; what is left in `state.rest` when it throws is unsettled. */
async function appendRest(
  { repo, keys, logger, heads }: AppendDeps,
  tails: Map<string, Tail>,
  state: { rest: Pending[] },
): Promise<void> {
  for (let attempt = 1; attempt <= MAX_APPEND_TRIES;) {
    const read = await readTails(repo, tails, state);
    if (state.rest.length === 0) return;
    const docs = buildLinks(keys, state.rest, (id) => tails.get(id) ?? read.get(id));
    const written = await repo.insertLinks(docs);
    if (tails.size >= TAIL_CACHE_SIZE) tails.clear();
    for (const doc of docs.slice(0, written)) tails.set(doc.residentId, { seq: doc.seq, hash: doc.hash });
    // An event is recorded once its link is acknowledged; its chain's head follows within HEADS_LAG_MS.
    state.rest.slice(0, written).forEach((p) => p.resolve(true));
    heads.due(docs.slice(0, written));
    if (written === docs.length) return;
    const stopped = state.rest[written]!;
    state.rest = state.rest.slice(written);
    if (stopped.link.once !== undefined && (await repo.onceTaken(stopped.link.once))) {
      // Its key was taken (a replayed code): it is settled without a link, and the links after it are
      // rebuilt on the tails that did land, which `tails` holds or the next round re-reads.
      stopped.resolve(false);
      state.rest = state.rest.slice(1);
      if (state.rest.length === 0) return;
      continue;
    }
    attempt += 1;
    // Another process appended to a chain between our read and write. Whatever it did to one chain it
    // may have done to the others of this batch, so every chain not yet written is re-read.
    for (const p of state.rest) tails.delete(p.residentId);
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5 * attempt)));
  }
  logger.error(
    { residents: new Set(state.rest.map((p) => p.residentId)).size, pending: state.rest.length },
    'usage append kept losing races',
  );
  throw new AppError('CONFLICT', 'The usage trace is busy; try again', { retryable: true });
}

/**
 * Reads the tails this process does not hold. A chain whose tail cannot be read fails its own events
 * (taken out of `state.rest`), not the rest of the batch.
 */
async function readTails(
  repo: UsageRepository,
  tails: Map<string, Tail>,
  state: { rest: Pending[] },
): Promise<Map<string, Tail | null>> {
  const missing = [...new Set(state.rest.map((p) => p.residentId))].filter((id) => !tails.has(id));
  const read = new Map<string, Tail | null>();
  const unreadable = new Map<string, unknown>();
  const reads = await Promise.allSettled(missing.map((id) => repo.tail(id)));
  reads.forEach((r, i) => {
    if (r.status === 'fulfilled') read.set(missing[i]!, r.value);
    else unreadable.set(missing[i]!, r.reason);
  });
  if (unreadable.size > 0) {
    for (const p of state.rest) if (unreadable.has(p.residentId)) p.reject(unreadable.get(p.residentId));
    state.rest = state.rest.filter((p) => !unreadable.has(p.residentId));
  }
  return read;
}

/** The links of `rest`, each chained on the one before it in this batch or on its chain's tail. */
function buildLinks(
  keys: KeyStore,
  rest: Pending[],
  tailOf: (residentId: string) => Tail | null | undefined,
): UsageEventDoc[] {
  const next = new Map<string, Tail | null | undefined>();
  return rest.map(({ residentId, link }) => {
    const tail = next.has(residentId) ? next.get(residentId) : tailOf(residentId);
    const chained = {
      ...link,
      residentId,
      seq: (tail?.seq ?? 0) + 1,
      prevHash: tail?.hash ?? GENESIS_HASH,
    };
    const doc: UsageEventDoc = { ...chained, hash: linkHash(keys, chained) };
    next.set(residentId, { seq: doc.seq, hash: doc.hash });
    return doc;
  });
}
