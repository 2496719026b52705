import { randomBytes } from 'node:crypto';
import type { Connection, mongo } from 'mongoose';
import type { Clock } from './clock';
import { runEvery } from './interval';
import type { Logger } from './logger';
import { isDuplicateKey } from './mongo-errors';

/** What a topic's handler receives. */
export interface OutboxEvent {
  topic: string;
  key: string;
  payload: Record<string, unknown>;
  /** Epoch ms the event became (or becomes) due. */
  dueAt: number;
  /** Runs begun so far, this one included: 1 on the first run. */
  attempts: number;
}

export type OutboxHandler = (event: OutboxEvent) => Promise<void>;

/** One event waiting to be delivered. Deleted once its handler succeeds. */
export interface OutboxDoc {
  _id: mongo.ObjectId;
  topic: string;
  key: string;
  payload: Record<string, unknown>;
  dueAt: Date;
  attempts: number;
  createdAt: Date;
  /** The running worker's lease; the epoch (1970) when nobody runs it. */
  leaseUntil: Date;
  leaseHolder?: string;
}

export interface OutboxOptions {
  db: Connection;
  clock: Clock;
  logger: Logger;
  /** How long a worker may run one attempt before another may take it over. */
  leaseMs?: number;
  /** Delay before the second attempt; doubled for each later one. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export interface Outbox {
  /**
   * Stores an event for delivery at `dueAt` (default now). Idempotent by (`topic`, `key`): while an event
   * with that key is waiting or running, enqueueing it again changes nothing. With `session`, the event
   * is written in that transaction, so it exists exactly when the change that needs it does.
   */
  enqueue(
    event: { topic: string; key: string; payload: Record<string, unknown>; dueAt?: number },
    opts?: { session?: mongo.ClientSession },
  ): Promise<void>;
  /** Registers the handler of a topic. A process only claims events of topics it handles. */
  handle(topic: string, handler: OutboxHandler): void;
  /** Runs up to `limit` due events one after another; returns how many were delivered (handler succeeded). */
  runDue(limit?: number): Promise<number>;
  /**
   * Runs one event now, due or not, unless another worker holds it: for a request that must see its
   * side effects done. True when delivered, false when there is no such event or it is held elsewhere;
   * a failing handler's error is rethrown after the event is rescheduled as by `runDue`.
   */
  deliver(topic: string, key: string): Promise<boolean>;
  /** Calls `runDue` every `intervalMs` (never two at once); the returned function stops it and waits for a run in flight. */
  start(intervalMs: number): () => Promise<void>;
}

const UNLEASED = new Date(0);

/**
 * One outbox for everything delivered later (identity hooks, callbacks), in the `outbox` collection.
 * Delivery is at least once: a worker claims an event with a lease (`leaseUntil`/`leaseHolder`, set in
 * one findOneAndUpdate, so two processes never run the same attempt at once), deletes it when its handler
 * succeeds and reschedules it with exponential backoff when the handler fails. A worker that crashes
 * mid-run loses nothing: its lease expires and another worker runs the event again, so handlers must be
 * idempotent. All times come from the injected clock.
 *
 * @example
 * const outbox = createOutbox({ db, clock, logger });
 * outbox.handle('identity.withdrawn', async ({ payload }) => revokeCards(String(payload.residentId)));
 * await outbox.enqueue({ topic: 'identity.withdrawn', key: residentId, payload: { residentId } }, { session });
 * const stop = outbox.start(30_000);
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const { db, clock, logger } = options;
  const leaseMs = options.leaseMs ?? 60_000;
  const backoffMs = options.backoffMs ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? 15 * 60_000;
  // Names this worker's leases; random per outbox, so two instances in one process are two workers.
  const holder = randomBytes(8).toString('hex');
  const events = db.collection<OutboxDoc>('outbox');
  const handlers = new Map<string, OutboxHandler>();
  let ready: Promise<unknown> | undefined;
  // The unique index is what makes enqueue idempotent across processes; build it before the first write.
  const indexes = () =>
    (ready ??= Promise.all([
      events.createIndex({ topic: 1, key: 1 }, { unique: true }),
      events.createIndex({ dueAt: 1 }),
    ]));

  /** Takes the lease on one event matching `filter` that nobody runs; null when there is none. */
  async function claim(filter: mongo.Filter<OutboxDoc>): Promise<OutboxDoc | null> {
    const now = clock.now();
    return events.findOneAndUpdate(
      { ...filter, leaseUntil: { $lte: new Date(now) } },
      { $set: { leaseUntil: new Date(now + leaseMs), leaseHolder: holder }, $inc: { attempts: 1 } },
      { sort: { dueAt: 1 }, returnDocument: 'after' },
    );
  }

  /** Runs a claimed event; only the holder of this very attempt may delete or reschedule it. */
  async function run(doc: OutboxDoc): Promise<void> {
    const mine = { _id: doc._id, leaseHolder: holder, attempts: doc.attempts };
    const handler = handlers.get(doc.topic)!;
    try {
      await handler({
        topic: doc.topic,
        key: doc.key,
        payload: doc.payload,
        dueAt: doc.dueAt.getTime(),
        attempts: doc.attempts,
      });
    } catch (err) {
      const delay = Math.min(maxBackoffMs, backoffMs * 2 ** (doc.attempts - 1));
      await events.updateOne(mine, {
        $set: { dueAt: new Date(clock.now() + delay), leaseUntil: UNLEASED },
        $unset: { leaseHolder: '' },
      });
      logger.warn(
        { topic: doc.topic, key: doc.key, attempts: doc.attempts, err },
        'outbox event failed; will retry',
      );
      throw err;
    }
    const { deletedCount } = await events.deleteOne(mine);
    // The lease ran out mid-run and another worker took the event: it runs again there (at least once).
    if (deletedCount === 0) logger.warn({ topic: doc.topic, key: doc.key }, 'outbox lease lost during run');
  }

  const outbox: Outbox = {
    async enqueue(event, opts = {}) {
      await indexes();
      const now = clock.now();
      try {
        await events.updateOne(
          { topic: event.topic, key: event.key },
          {
            $setOnInsert: {
              topic: event.topic,
              key: event.key,
              payload: event.payload,
              dueAt: new Date(event.dueAt ?? now),
              attempts: 0,
              createdAt: new Date(now),
              leaseUntil: UNLEASED,
            },
          },
          { upsert: true, ...(opts.session && { session: opts.session }) },
        );
      } catch (err) {
        // Two enqueues of one key raced and the other one's upsert won: the event is there, as wanted.
        // Inside a transaction the server has aborted it, so the caller must see the error and retry.
        if (!isDuplicateKey(err) || opts.session?.inTransaction()) throw err;
      }
    },

    handle(topic, handler) {
      handlers.set(topic, handler);
    },

    async runDue(limit = 100) {
      if (handlers.size === 0) return 0;
      await indexes();
      let delivered = 0;
      for (let i = 0; i < limit; i++) {
        const doc = await claim({
          topic: { $in: [...handlers.keys()] },
          dueAt: { $lte: new Date(clock.now()) },
        });
        if (!doc) break;
        try {
          await run(doc);
          delivered += 1;
        } catch {
          // Logged and rescheduled by run; the other due events still go.
        }
      }
      return delivered;
    },

    async deliver(topic, key) {
      if (!handlers.has(topic)) throw new Error(`outbox: no handler for topic ${topic}`);
      await indexes();
      const doc = await claim({ topic, key });
      if (!doc) return false;
      await run(doc);
      return true;
    },

    start(intervalMs) {
      // Never what keeps the process alive: server.ts stops it on shutdown.
      return runEvery(
        intervalMs,
        () => outbox.runDue(),
        (err) => logger.error({ err }, 'outbox run failed'),
      );
    },
  };
  return outbox;
}
