/**
 * Server-side cursors. A query's result is computed once; the cursor hands it out in batches through
 * `getMore`. Results hold references to immutable stored documents, so later writes do not disturb
 * them (MongoDB gives no stronger guarantee either).
 */
import { mongoError } from './errors';
import { cursorReply, takeBatch } from './reply';
import type { Doc } from './values';

/** MongoDB's default first batch for find and aggregate. */
export const DEFAULT_FIRST_BATCH = 101;
/** Idle cursors are closed after MongoDB's default of 10 minutes. */
export const CURSOR_IDLE_MS = 10 * 60 * 1000;

interface OpenCursor {
  ns: string;
  docs: Doc[];
  position: number;
  lastUsed: number;
}

/** Parses a `batchSize` option: a non-negative integer, or the default when absent. */
export function batchSizeOf(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw mongoError('BadValue', 'BatchSize value must be non-negative');
  }
  return value;
}

/** Every open cursor of the server. */
export class CursorRegistry {
  private readonly open = new Map<number, OpenCursor>();
  private nextId = 1;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * The reply to a query that produced `docs`: the first batch, and a cursor id for the rest unless it
   * all fits (or `singleBatch`).
   */
  firstBatch(ns: string, docs: Doc[], batchSize: number, singleBatch = false): Buffer {
    const batch = takeBatch(docs, 0, batchSize === 0 ? 0 : batchSize);
    let id = 0;
    if (!singleBatch && batch.count < docs.length) {
      id = this.nextId++;
      this.open.set(id, { ns, docs, position: batch.count, lastUsed: this.now() });
    }
    return cursorReply('firstBatch', batch.buffers, id, ns);
  }

  /** The next batch of cursor `id`, closing it once exhausted. */
  getMore(id: number, ns: string, batchSize: number): Buffer {
    const cursor = this.open.get(id);
    if (!cursor) throw mongoError('CursorNotFound', `cursor id ${id} not found`);
    if (cursor.ns !== ns) {
      throw mongoError(
        'BadValue',
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`,
      );
    }
    const batch = takeBatch(cursor.docs, cursor.position, batchSize === 0 ? Infinity : batchSize);
    cursor.position += batch.count;
    cursor.lastUsed = this.now();
    let replyId = id;
    if (cursor.position >= cursor.docs.length) {
      this.open.delete(id);
      replyId = 0;
    }
    return cursorReply('nextBatch', batch.buffers, replyId, ns);
  }

  /** Closes cursors; returns which ids existed. */
  kill(ids: number[]): { killed: number[]; notFound: number[] } {
    const killed: number[] = [];
    const notFound: number[] = [];
    for (const id of ids) (this.open.delete(id) ? killed : notFound).push(id);
    return { killed, notFound };
  }

  /** Closes cursors idle for longer than MongoDB's cursor timeout. */
  sweep(idleMs = CURSOR_IDLE_MS): void {
    const cutoff = this.now() - idleMs;
    for (const [id, cursor] of this.open) if (cursor.lastUsed < cutoff) this.open.delete(id);
  }

  get size(): number {
    return this.open.size;
  }

  clear(): void {
    this.open.clear();
  }
}
