import { randomUUID } from 'node:crypto';
import { AppError } from '@eid/shared';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { UsageEventDoc } from './usage.model';
import type { UsageQuery, UsageRepository } from './usage.repository';
import { GENESIS_HASH, linkHash, verifyChain, type BrokenLink } from './usage-chain';
import type { UsageRecorder } from './usage.types';

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
const MAX_BATCH = 200;
const TAIL_CACHE_SIZE = 10000;

interface Pending {
  link: Omit<UsageEventDoc, 'residentId' | 'seq' | 'prevHash' | 'hash'>;
  resolve(): void;
  reject(err: unknown): void;
}

/** Appends to and reads the hash-chained usage traces. */
export function createUsageService({ repo, keys, clock, logger }: UsageServiceDeps): UsageService {
  // Appends for one resident wait in a queue of this process; whatever queued up while one write was in
  // flight goes out as the next single ordered insert, so a busy resident costs one round trip per batch,
  // not per event. The unique (residentId, seq) index still decides between processes.
  const queues = new Map<string, Pending[]>();
  // The last link written by this process per resident saves a read per batch; a lost race clears it.
  const tails = new Map<string, { seq: number; hash: string }>();

  async function appendBatch(residentId: string, batch: Pending[]): Promise<void> {
    let rest = batch;
    for (let attempt = 1; attempt <= MAX_APPEND_TRIES; attempt += 1) {
      let tail = tails.get(residentId) ?? (await repo.tail(residentId));
      const docs = rest.map(({ link }) => {
        const chained = {
          ...link,
          residentId,
          seq: (tail?.seq ?? 0) + 1,
          prevHash: tail?.hash ?? GENESIS_HASH,
        };
        const doc: UsageEventDoc = { ...chained, hash: linkHash(keys, chained) };
        tail = { seq: doc.seq, hash: doc.hash };
        return doc;
      });
      const written = await repo.appendMany(docs);
      rest.slice(0, written).forEach((p) => p.resolve());
      if (written === docs.length) {
        if (tails.size >= TAIL_CACHE_SIZE) tails.clear();
        tails.set(residentId, tail!);
        return;
      }
      rest = rest.slice(written);
      tails.delete(residentId);
      // Another process appended between our read and write: back off a little, then re-read.
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5 * attempt)));
    }
    logger.error({ residentId, pending: rest.length }, 'usage append kept losing races');
    throw new AppError('CONFLICT', 'The usage trace is busy; try again', { retryable: true });
  }

  async function drain(residentId: string, queue: Pending[]): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      try {
        await appendBatch(residentId, batch);
      } catch (err) {
        // Events already written were resolved; only the rest fail.
        batch.forEach((p) => p.reject(err));
      }
    }
    queues.delete(residentId);
  }

  return {
    record(event) {
      return new Promise<void>((resolve, reject) => {
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
        };
        const queue = queues.get(event.residentId);
        if (queue) {
          queue.push({ link, resolve, reject });
          return;
        }
        const fresh: Pending[] = [{ link, resolve, reject }];
        queues.set(event.residentId, fresh);
        void drain(event.residentId, fresh);
      });
    },

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
