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
  /** Runs begun so far, this one included: 1 on the first run (again 1 after a redelivery). */
  attempts: number;
}

/**
 * Thrown by a handler: this attempt failed and the next one is due at `epochMs` (e.g. a receiver's
 * Retry-After) instead of the topic's schedule. It still counts as an attempt: a topic with
 * `retryDelaysMs` still dead-letters the event once they are used up.
 */
export class RetryAt extends Error {
  constructor(
    readonly epochMs: number,
    message = 'retry requested',
  ) {
    super(message);
    this.name = 'RetryAt';
  }
}

/** Thrown by a handler: retrying cannot help; the event moves to the dead letters now with `reason`. */
export class GiveUp extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'GiveUp';
  }
}

/** How one topic is retried and run. Without options a topic keeps the outbox's doubling backoff, forever. */
export interface HandleOptions {
  /**
   * Delay before each attempt, index 0 being the first attempt's (not used: that one is due when
   * enqueued). The delay before attempt n+1 is `retryDelaysMs[n]` plus `jitter`; when attempt
   * `retryDelaysMs.length` fails, the event moves to the dead letters with reason `exhausted`.
   */
  retryDelaysMs?: readonly number[];
  /** Milliseconds added to a scheduled delay; default up to a tenth of it, at random. */
  jitter?: (delayMs: number) => number;
  /** Events of this topic one `runDue` runs side by side; default 1. */
  concurrency?: number;
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
  /** The last failed attempt's error message, at most 200 characters. */
  lastError?: string;
}

/** An event that stopped being retried (collection `outbox_dead`); same `_id` as when it was live. */
export interface OutboxDeadDoc {
  _id: mongo.ObjectId;
  topic: string;
  key: string;
  payload: Record<string, unknown>;
  dueAt: Date;
  attempts: number;
  createdAt: Date;
  lastError?: string;
  /** `exhausted` (every scheduled attempt failed) or a handler's GiveUp reason. */
  reason: string;
  deadAt: Date;
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
  handle(topic: string, handler: OutboxHandler, options?: HandleOptions): void;
  /**
   * Runs up to `limit` due events: one after another, except that a topic with `concurrency` N runs up to
   * N of its events side by side. Returns how many were delivered (handler succeeded).
   */
  runDue(limit?: number): Promise<number>;
  /**
   * Runs one event now, due or not, unless another worker holds it: for a request that must see its
   * side effects done. True when delivered, false when there is no such event or it is held elsewhere;
   * a failing handler's error is rethrown after the event is rescheduled as by `runDue`.
   */
  deliver(topic: string, key: string): Promise<boolean>;
  /** How many events of the topic wait (due or not) and how many are dead: index counts. */
  counts(topic: string): Promise<{ waiting: number; dead: number }>;
  /** The topic's dead letters, newest first (default at most 100). */
  dead(topic: string, opts?: { limit?: number }): Promise<OutboxDeadDoc[]>;
  /**
   * Moves the newest dead event of (`topic`, `key`) back to the outbox, due now, attempts counted again
   * from 0. False when there is no such dead event, or a live event holds that key.
   */
  redeliver(topic: string, key: string): Promise<boolean>;
  /** Calls `runDue` every `intervalMs` (never two at once); the returned function stops it and waits for a run in flight. */
  start(intervalMs: number): () => Promise<void>;
}

const UNLEASED = new Date(0);
const LAST_ERROR_CHARS = 200;

const defaultJitter = (delayMs: number) => Math.random() * 0.1 * delayMs;

/** The error's message only (no stack, no fields that might carry a payload), cut to 200 characters. */
function lastErrorOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.slice(0, LAST_ERROR_CHARS);
}

/**
 * One outbox for everything delivered later (identity hooks, callbacks), in the `outbox` collection.
 * Delivery is at least once: a worker claims an event with a lease (`leaseUntil`/`leaseHolder`, set in
 * one findOneAndUpdate, so two processes never run the same attempt at once), deletes it when its handler
 * succeeds and reschedules it with exponential backoff when the handler fails (or by the topic's own
 * schedule, after which it moves to `outbox_dead`). A worker that crashes mid-run loses nothing: its lease
 * expires and another worker runs the event again, so handlers must be idempotent. All times come from
 * the injected clock.
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
  const deadEvents = db.collection<OutboxDeadDoc>('outbox_dead');
  const handlers = new Map<string, OutboxHandler>();
  const topicOptions = new Map<string, HandleOptions>();
  let ready: Promise<unknown> | undefined;
  // The unique index is what makes enqueue idempotent across processes; build it before the first write.
  const indexes = () =>
    (ready ??= Promise.all([
      events.createIndex({ topic: 1, key: 1 }, { unique: true }),
      events.createIndex({ dueAt: 1 }),
      deadEvents.createIndex({ topic: 1, deadAt: -1 }),
      deadEvents.createIndex({ topic: 1, key: 1 }),
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

  /** Runs a claimed event; only the holder of this very attempt may delete, reschedule or bury it. */
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
      await failed(doc, mine, err);
      throw err;
    }
    const { deletedCount } = await events.deleteOne(mine);
    // The lease ran out mid-run and another worker took the event: it runs again there (at least once).
    if (deletedCount === 0) logger.warn({ topic: doc.topic, key: doc.key }, 'outbox lease lost during run');
  }

  /** After a failed attempt: dead-letters the event (GiveUp, schedule used up) or sets its next due time. */
  async function failed(doc: OutboxDoc, mine: mongo.Filter<OutboxDoc>, err: unknown): Promise<void> {
    const opts = topicOptions.get(doc.topic) ?? {};
    const lastError = lastErrorOf(err);
    const schedule = opts.retryDelaysMs;
    if (err instanceof GiveUp) return bury(doc, mine, err.reason, lastError);
    if (schedule && doc.attempts >= schedule.length) return bury(doc, mine, 'exhausted', lastError);
    const now = clock.now();
    let dueAt: number;
    if (err instanceof RetryAt) dueAt = Math.max(now, err.epochMs);
    else if (schedule) {
      const delay = schedule[doc.attempts]!;
      dueAt = now + delay + Math.max(0, Math.floor((opts.jitter ?? defaultJitter)(delay)));
    } else dueAt = now + Math.min(maxBackoffMs, backoffMs * 2 ** (doc.attempts - 1));
    const { matchedCount } = await events.updateOne(mine, {
      $set: { dueAt: new Date(dueAt), leaseUntil: UNLEASED, lastError },
      $unset: { leaseHolder: '' },
    });
    if (matchedCount === 0) {
      // Another worker took the event after this lease ran out: its attempt decides what happens next.
      logger.warn({ topic: doc.topic, key: doc.key }, 'outbox lease lost during run');
      return;
    }
    logger.warn(
      { topic: doc.topic, key: doc.key, attempts: doc.attempts, err },
      'outbox event failed; will retry',
    );
  }

  /**
   * Moves the event to `outbox_dead` without ever losing it: the dead copy is written (same _id, so a
   * repeat after a crash overwrites it) before the live one is deleted; a crash in between leaves both,
   * and the live one runs again, at least once as always.
   */
  async function bury(doc: OutboxDoc, mine: mongo.Filter<OutboxDoc>, reason: string, lastError: string) {
    const now = clock.now();
    // Renew the lease first: if it already passed to another worker, that worker owns the event's fate.
    const { matchedCount } = await events.updateOne(mine, { $set: { leaseUntil: new Date(now + leaseMs) } });
    if (matchedCount === 0) {
      logger.warn({ topic: doc.topic, key: doc.key }, 'outbox lease lost during run');
      return;
    }
    const { _id, topic, key, payload, dueAt, attempts, createdAt } = doc;
    try {
      await deadEvents.replaceOne(
        { _id },
        { topic, key, payload, dueAt, attempts, createdAt, lastError, reason, deadAt: new Date(now) },
        { upsert: true },
      );
    } catch (err) {
      // Two upserts of one _id raced (a retry after a crash): the dead copy is there, as wanted.
      if (!isDuplicateKey(err)) throw err;
    }
    await events.deleteOne(mine);
    logger.warn({ topic, key, attempts, reason }, 'outbox event dead-lettered');
  }

  /** Claims and runs events matching `filter` until none is due or `budget` claims are used. */
  async function lane(filter: () => mongo.Filter<OutboxDoc>, budget: { left: number }): Promise<number> {
    let delivered = 0;
    while (budget.left > 0) {
      budget.left -= 1;
      const doc = await claim(filter());
      if (!doc) break;
      try {
        await run(doc);
        delivered += 1;
      } catch {
        // Logged and rescheduled (or dead-lettered) by run; the other due events still go.
      }
    }
    return delivered;
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

    handle(topic, handler, options = {}) {
      handlers.set(topic, handler);
      topicOptions.set(topic, options);
    },

    async runDue(limit = 100) {
      if (handlers.size === 0) return 0;
      await indexes();
      // Topics without concurrency share one lane, oldest due first, as before; a topic with
      // concurrency N gets N lanes of its own. Every claim is still one findOneAndUpdate, so lanes (and
      // processes) never run the same attempt twice.
      const serial: string[] = [];
      const lanes: Promise<number>[] = [];
      const budget = { left: limit };
      const due = (topics: string[]) => () => ({
        topic: { $in: topics },
        dueAt: { $lte: new Date(clock.now()) },
      });
      for (const topic of handlers.keys()) {
        const n = Math.max(1, Math.floor(topicOptions.get(topic)?.concurrency ?? 1));
        if (n === 1) serial.push(topic);
        else for (let i = 0; i < n; i++) lanes.push(lane(due([topic]), budget));
      }
      if (serial.length > 0) lanes.push(lane(due(serial), budget));
      const delivered = await Promise.all(lanes);
      return delivered.reduce((a, b) => a + b, 0);
    },

    async deliver(topic, key) {
      if (!handlers.has(topic)) throw new Error(`outbox: no handler for topic ${topic}`);
      await indexes();
      const doc = await claim({ topic, key });
      if (!doc) return false;
      await run(doc);
      return true;
    },

    async counts(topic) {
      await indexes();
      const [waiting, dead] = await Promise.all([
        events.countDocuments({ topic }),
        deadEvents.countDocuments({ topic }),
      ]);
      return { waiting, dead };
    },

    async dead(topic, { limit = 100 } = {}) {
      await indexes();
      return deadEvents.find({ topic }).sort({ deadAt: -1 }).limit(limit).toArray();
    },

    async redeliver(topic, key) {
      await indexes();
      const [doc] = await deadEvents.find({ topic, key }).sort({ deadAt: -1 }).limit(1).toArray();
      if (!doc) return false;
      // Live copy first (same _id), dead copy deleted after: a crash in between leaves it live and dead,
      // and a repeat of this call finds the live copy already there.
      try {
        await events.insertOne({
          _id: doc._id,
          topic,
          key,
          payload: doc.payload,
          dueAt: new Date(clock.now()),
          attempts: 0,
          createdAt: doc.createdAt,
          leaseUntil: UNLEASED,
          ...(doc.lastError !== undefined && { lastError: doc.lastError }),
        });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // Another event holds the key now: leave this one dead rather than overwrite either.
        if (!(await events.findOne({ _id: doc._id }, { projection: { _id: 1 } }))) return false;
      }
      await deadEvents.deleteOne({ _id: doc._id });
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
