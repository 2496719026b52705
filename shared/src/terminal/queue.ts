import { AppError } from '../errors';
import type { OfflineCheck } from '../api/verify';
import type { Clock } from '../verifier/verifier';
import { serial, type TerminalStore } from './store';

/** Most checks a terminal keeps waiting for upload: a busy window's week offline, well under a device's quota. */
export const OFFLINE_QUEUE_LIMIT = 5000;

const INDEX_KEY = 'queue.index';
const itemKey = (id: string) => `queue.item.${id}`;

interface Entry {
  check: OfflineCheck;
  /** Epoch ms the terminal queued it. */
  queuedAt: number;
}

/** The checks a terminal made offline, kept on the device until the BFF has recorded them. */
export interface OfflineQueue {
  /** Most checks it holds; `add` refuses more with OFFLINE_QUEUE_FULL. */
  readonly limit: number;
  /** Appends one check, durably: resolved once the store has it. Adding a queued id again changes nothing. */
  add(check: OfflineCheck): Promise<void>;
  /** Every check still waiting, oldest first. */
  pending(): Promise<OfflineCheck[]>;
  /** Forgets the checks with these ids (the BFF recorded them); other ids stay, unknown ids are ignored. */
  markUploaded(ids: string[]): Promise<void>;
  size(): Promise<number>;
  /** How long the oldest waiting check has waited, in ms; null when none waits. */
  oldestAgeMs(): Promise<number | null>;
}

/** OFFLINE_QUEUE_FULL: the terminal refuses the check rather than drop one silently. */
export function queueFull(limit: number): AppError {
  return new AppError(
    'OFFLINE_QUEUE_FULL',
    '离线核验待上传记录已满，请联网上传后再核验 (The offline queue is full: go online to upload it first)',
    { limit },
  );
}

function parse<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/**
 * A durable FIFO over the device's store: each check under its own key (no value grows with the queue,
 * so weapp's 1 MB per key is never reached) and one index of ids in order. A check is written before the
 * index names it and leaves the index before it is deleted, so a reload between two writes finds every
 * check the index names.
 *
 * @example
 * const queue = createOfflineQueue(store, clock);
 * await queue.add(check);                      // OFFLINE_QUEUE_FULL past queue.limit
 * const { results } = await upload(await queue.pending());
 * await queue.markUploaded(results.filter((r) => r.status !== 'refused').map((r) => r.id));
 */
export function createOfflineQueue(
  store: TerminalStore,
  clock: Clock,
  { limit = OFFLINE_QUEUE_LIMIT }: { limit?: number } = {},
): OfflineQueue {
  const one = serial();

  // Read each time, not cached: another page of the same terminal (a second tab) may have changed it.
  async function ids(): Promise<string[]> {
    const stored = parse<unknown>(await store.get(INDEX_KEY), []);
    return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : [];
  }

  async function entries(): Promise<Entry[]> {
    const out: Entry[] = [];
    for (const id of await ids()) {
      const entry = parse<Entry | null>(await store.get(itemKey(id)), null);
      if (entry?.check?.id === id) out.push(entry);
    }
    return out;
  }

  return {
    limit,
    add: (check) =>
      one(async () => {
        const known = await ids();
        if (known.includes(check.id)) return;
        if (known.length >= limit) throw queueFull(limit);
        const entry: Entry = { check: { ...check }, queuedAt: clock.now() };
        await store.set(itemKey(check.id), JSON.stringify(entry));
        const next = [...known, check.id];
        await store.set(INDEX_KEY, JSON.stringify(next));
      }),
    pending: () => one(async () => (await entries()).map((e) => e.check)),
    markUploaded: (uploaded) =>
      one(async () => {
        const gone = new Set(uploaded);
        const known = await ids();
        const next = known.filter((id) => !gone.has(id));
        if (next.length === known.length) return;
        await store.set(INDEX_KEY, JSON.stringify(next));
        for (const id of known) if (gone.has(id)) await store.delete(itemKey(id));
      }),
    size: () => one(async () => (await ids()).length),
    oldestAgeMs: () =>
      one(async () => {
        const first = (await ids())[0];
        if (first === undefined) return null;
        const entry = parse<Entry | null>(await store.get(itemKey(first)), null);
        return entry ? Math.max(0, clock.now() - entry.queuedAt) : null;
      }),
  };
}
