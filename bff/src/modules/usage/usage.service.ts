import { randomUUID } from 'node:crypto';
import { AppError } from '@eid/shared';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { UsageEventDoc } from './usage.model';
import type { UsageQuery, UsageRepository } from './usage.repository';
import { GENESIS_HASH, linkHash, verifyChain, type BrokenLink } from './usage-chain';
import type { UsageEventInput, UsageRecorder } from './usage.types';

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
const TAIL_CACHE_SIZE = 10000;

/** Appends to and reads the hash-chained usage traces. */
export function createUsageService({ repo, keys, clock, logger }: UsageServiceDeps): UsageService {
  // Appends for one resident are queued in this process so they do not race each other; the unique
  // (residentId, seq) index still decides between processes.
  const queues = new Map<string, Promise<unknown>>();
  // The last link written by this process per resident saves a read per append; a lost race clears it.
  const tails = new Map<string, { seq: number; hash: string }>();

  function serialise<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = queues.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return run;
  }

  async function append(event: UsageEventInput): Promise<void> {
    const id = randomUUID();
    for (let attempt = 1; attempt <= MAX_APPEND_TRIES; attempt += 1) {
      const tail = tails.get(event.residentId) ?? (await repo.tail(event.residentId));
      const link: Omit<UsageEventDoc, 'hash'> = {
        _id: id,
        residentId: event.residentId,
        seq: (tail?.seq ?? 0) + 1,
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
        prevHash: tail?.hash ?? GENESIS_HASH,
      };
      const hash = linkHash(keys, link);
      if (await repo.append({ ...link, hash })) {
        if (tails.size >= TAIL_CACHE_SIZE) tails.clear();
        tails.set(event.residentId, { seq: link.seq, hash });
        return;
      }
      tails.delete(event.residentId);
      // Another process appended between our read and write: back off a little, then re-read.
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5 * attempt)));
    }
    logger.error({ residentId: event.residentId, action: event.action }, 'usage append kept losing races');
    throw new AppError('CONFLICT', 'The usage trace is busy; try again', { retryable: true });
  }

  return {
    record(event) {
      return serialise(event.residentId, () => append(event));
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
