import type { Connection, mongo } from 'mongoose';
import { driverCollection } from '../../infra/collection';
import { callbackModels, type CallbackAttemptDoc } from './callbacks.model';
import type { CallbackAttemptView } from './callbacks.types';

const toView = (doc: CallbackAttemptDoc): CallbackAttemptView => ({
  webhookId: doc.webhookId,
  partyId: doc.partyId,
  attempt: doc.attempt,
  at: doc.at.getTime(),
  ...(doc.status !== undefined && { status: doc.status }),
  ...(doc.error !== undefined && { error: doc.error }),
  durationMs: doc.durationMs,
});

/**
 * Group commit: while one insert is in flight, the records that arrive wait and go together in the next
 * one. Each caller still resolves only once its own record is written; with eight deliveries side by side
 * this is one write for several attempts instead of one each.
 */
function groupInserts<T extends mongo.Document>(collection: mongo.Collection<T>) {
  let queue: { doc: mongo.OptionalUnlessRequiredId<T>; done: (err?: unknown) => void }[] = [];
  let writing = false;
  async function pump() {
    writing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await collection.insertMany(
          batch.map((b) => b.doc),
          { ordered: false },
        );
        for (const b of batch) b.done();
      } catch (err) {
        for (const b of batch) b.done(err);
      }
    }
    writing = false;
  }
  return (doc: mongo.OptionalUnlessRequiredId<T>) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ doc, done: (err) => (err === undefined ? resolve() : reject(err)) });
      if (!writing) void pump();
    });
}

/** The callbacks module's own persistence: the attempt log (the events themselves live in the outbox). */
export function createCallbackRepository(db: Connection) {
  const { attempts } = callbackModels(db);
  // Written on every attempt, the hot path of delivery: plain inserts grouped, no mongoose casting.
  const insert = groupInserts(driverCollection<CallbackAttemptDoc>(attempts));

  return {
    async recordAttempt(key: string, a: CallbackAttemptView): Promise<void> {
      await insert({
        webhookId: a.webhookId,
        key,
        partyId: a.partyId,
        attempt: a.attempt,
        at: new Date(a.at),
        ...(a.status !== undefined && { status: a.status }),
        ...(a.error !== undefined && { error: a.error }),
        durationMs: a.durationMs,
      });
    },

    /** The outbox key of the event with this webhook-id, when it was ever attempted. */
    async keyOf(webhookId: string): Promise<string | undefined> {
      const doc = await attempts.findOne({ webhookId }, { key: 1 }).lean<Pick<CallbackAttemptDoc, 'key'>>();
      return doc?.key;
    },

    /** The attempts of one event, oldest first. */
    async attemptsOf(webhookId: string, limit = 100): Promise<CallbackAttemptView[]> {
      const docs = await attempts
        .find({ webhookId })
        .sort({ at: 1, _id: 1 })
        .limit(limit)
        .lean<CallbackAttemptDoc[]>();
      return docs.map(toView);
    },
  };
}

export type CallbackRepository = ReturnType<typeof createCallbackRepository>;
