import { randomUUID } from 'node:crypto';
import { AppError } from '@eid/shared';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { UsageEventDoc } from './usage.model';
import type { UsageQuery, UsageRepository } from './usage.repository';
import { GENESIS_HASH, linkHash, verifyChain, type BrokenLink } from './usage-chain';
import type { UsageEventInput, UsageRecorder } from './usage.types';
import { bindDisclosure } from './disclosure';

/** What a resident sees of one event: no hashes, no request ids. */
export interface UsageEventView {
  id: string;
  seq: number;
  at: number;
  actor: UsageEventDoc['actor'];
  action: string;
  fields: string[];
  purpose: string;
  result: UsageEventDoc['result'];
  detail?: UsageEventDoc['detail'];
}

export interface UsageService extends UsageRecorder {
  /** Moves the heads of the chains appended so far now instead of at the next tick; for shutdown and tests. */
  flushHeads(): Promise<void>;
  list(q: UsageQuery): Promise<{ items: UsageEventView[]; nextBefore: number | null }>;
  get(residentId: string, id: string): Promise<UsageEventView>;
}

export interface UsageServiceDeps {
  repo: UsageRepository;
  keys: KeyStore;
  clock: Clock;
  logger: Logger;
}

const MAX_APPEND_TRIES = 20;
const MAX_BATCH = 500;
const TAIL_CACHE_SIZE = 10000;
/** How long a chain's head may lag behind its last link in the database. */
export const HEADS_LAG_MS = 200;
const MAX_HEAD_RETRIES = 5;

interface Pending {
  residentId: string;
  link: Omit<UsageEventDoc, 'residentId' | 'seq' | 'prevHash' | 'hash'>;
  /** true once appended, false when its `once` key was taken. */
  resolve(appended: boolean): void;
  reject(err: unknown): void;
}

/** Appends to and reads the hash-chained usage traces. */
export function createUsageService({ repo, keys, clock, logger }: UsageServiceDeps): UsageService {
  // Appends wait in one queue of this process; whatever queued up while a write was in flight goes out
  // as the next single ordered insert, across residents, so a busy node costs one round trip per batch,
  // not per event. The unique (residentId, seq) index still decides between processes. One batch at a
  // time: a chain's next links are built on its last ones, which must have landed first.
  const queue: Pending[] = [];
  let writing = false;
  // The last link written by this process per resident saves a read per batch; a lost race clears it.
  const tails = new Map<string, { seq: number; hash: string }>();
  // Heads move in the background, once per HEADS_LAG_MS at most, for every chain appended meanwhile: one
  // write per tick instead of one per batch. A head that lags is safe (verification only reports a head
  // ahead of its chain); what it costs is that cutting the last HEADS_LAG_MS of a chain goes unnoticed.
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
  async function appendBatch(batch: Pending[]): Promise<void> {
    let rest = byResident(batch);
    try {
      await appendRest();
    } catch (err) {
      // Events whose links landed are settled already; only the rest fail.
      rest.forEach((p) => p.reject(err));
    }

    async function appendRest(): Promise<void> {
      for (let attempt = 1; attempt <= MAX_APPEND_TRIES;) {
        const missing = [...new Set(rest.map((p) => p.residentId))].filter((id) => !tails.has(id));
        const read = new Map<string, { seq: number; hash: string } | null>();
        const unreadable = new Map<string, unknown>();
        const reads = await Promise.allSettled(missing.map((id) => repo.tail(id)));
        reads.forEach((r, i) => {
          if (r.status === 'fulfilled') read.set(missing[i]!, r.value);
          else unreadable.set(missing[i]!, r.reason);
        });
        // A chain whose tail cannot be read fails its own events, not the rest of the batch.
        if (unreadable.size > 0) {
          for (const p of rest) if (unreadable.has(p.residentId)) p.reject(unreadable.get(p.residentId));
          rest = rest.filter((p) => !unreadable.has(p.residentId));
          if (rest.length === 0) return;
        }
        const next = new Map<string, { seq: number; hash: string } | null>();
        const docs = rest.map(({ residentId, link }) => {
          const tail = next.has(residentId)
            ? next.get(residentId)
            : (tails.get(residentId) ?? read.get(residentId));
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
        const written = await repo.insertLinks(docs);
        if (tails.size >= TAIL_CACHE_SIZE) tails.clear();
        for (const doc of docs.slice(0, written)) tails.set(doc.residentId, { seq: doc.seq, hash: doc.hash });
        // An event is recorded once its link is acknowledged; its chain's head follows within HEADS_LAG_MS.
        rest.slice(0, written).forEach((p) => p.resolve(true));
        headsDue(docs.slice(0, written));
        if (written === docs.length) return;
        const stopped = rest[written]!;
        rest = rest.slice(written);
        if (stopped.link.once !== undefined && (await repo.onceTaken(stopped.link.once))) {
          // Its key was taken (a replayed code): it is settled without a link, and the links after it are
          // rebuilt on the tails that did land, which `tails` holds or the next round re-reads.
          stopped.resolve(false);
          rest = rest.slice(1);
          if (rest.length === 0) return;
          continue;
        }
        attempt += 1;
        // Another process appended to a chain between our read and write. Whatever it did to one chain it
        // may have done to the others of this batch, so every chain not yet written is re-read.
        for (const p of rest) tails.delete(p.residentId);
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5 * attempt)));
      }
      logger.error(
        { residents: new Set(rest.map((p) => p.residentId)).size, pending: rest.length },
        'usage append kept losing races',
      );
      throw new AppError('CONFLICT', 'The usage trace is busy; try again', { retryable: true });
    }
  }

  async function drain(): Promise<void> {
    writing = true;
    while (queue.length > 0) {
      await appendBatch(queue.splice(0, MAX_BATCH));
    }
    writing = false;
  }

  function append(event: UsageEventInput, once?: string): Promise<boolean> {
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
      };
      queue.push({ residentId: event.residentId, link, resolve, reject });
      // Deferred a turn so that events recorded in the same I/O phase share the first write too.
      if (!writing) {
        writing = true;
        setImmediate(() => void drain());
      }
    });
  }

  async function record(event: UsageEventInput): Promise<void> {
    await append(event);
  }

  function recordOnce(event: UsageEventInput, key: string): Promise<boolean> {
    return append(event, key);
  }

  return {
    flushHeads,
    record,
    recordOnce,
    disclosure: (bound) => bindDisclosure({ record, recordOnce }, bound),

    async list(q) {
      const docs = await repo.list({ ...q, limit: q.limit + 1 });
      const items = docs.slice(0, q.limit).map(toView);
      return { items, nextBefore: docs.length > q.limit ? items[items.length - 1]!.seq : null };
    },

    async get(residentId, id) {
      const doc = await repo.get(residentId, id);
      if (!doc) throw new AppError('NOT_FOUND', 'No such usage record');
      return toView(doc);
    },
  };
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

export interface ChainReport {
  chains: number;
  events: number;
  broken: BrokenLink[];
}

/** Verifies every resident's chain and returns the first broken link of each broken one. */
export async function verifyAllChains(repo: UsageRepository, keys: KeyStore): Promise<ChainReport> {
  const report: ChainReport = { chains: 0, events: 0, broken: [] };
  for (const residentId of (await repo.residents()).sort()) {
    const { broken, length } = await verifyChain(
      keys,
      residentId,
      repo.chain(residentId),
      await repo.headSeq(residentId),
    );
    report.chains += 1;
    report.events += length;
    if (broken) report.broken.push(broken);
  }
  return report;
}
