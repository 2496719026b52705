import type { Connection } from 'mongoose';
import type { Clock } from './clock';
import { isDuplicateKey } from './mongo-errors';

/** A (scope, id) pair seen once, kept until it expires. */
export interface ReplayDoc {
  scope: string;
  id: string;
  expiresAt: Date;
}

export interface ReplayStore {
  /**
   * True the first time (`scope`, `id`) is seen, in any BFF process, and false every later time until
   * `expiresAt` (epoch ms) has passed; after that the pair may be used again (its token has expired).
   */
  unique(scope: string, id: string, expiresAt: number): Promise<boolean>;
}

/**
 * A replay cache in the `replays` collection, as oidc-provider's ReplayDetection: a unique index on
 * (scope, id) decides between racing processes, a TTL index sweeps old entries. The TTL sweep runs on
 * the database's clock and late, so an entry still present is judged expired by the injected clock.
 *
 * @example
 * if (!(await replays.unique('client_assertion', jti, exp * 1000))) {
 *   throw new AppError('REPLAYED', 'This assertion was used before');
 * }
 */
export function createReplayStore(db: Connection, clock: Clock): ReplayStore {
  const replays = db.collection<ReplayDoc>('replays');
  let ready: Promise<unknown> | undefined;
  // The unique index is what makes "first" true across processes: it must exist before the first insert.
  const indexes = () =>
    (ready ??= Promise.all([
      replays.createIndex({ scope: 1, id: 1 }, { unique: true }),
      replays.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 }),
    ]));

  return {
    async unique(scope, id, expiresAt) {
      await indexes();
      try {
        await replays.insertOne({ scope, id, expiresAt: new Date(expiresAt) });
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      // Seen before: only an entry that has expired but not yet been swept may be taken over, and the
      // conditional update lets exactly one of several racing takers have it.
      const res = await replays.updateOne(
        { scope, id, expiresAt: { $lte: new Date(clock.now()) } },
        { $set: { expiresAt: new Date(expiresAt) } },
      );
      return res.matchedCount === 1;
    },
  };
}
