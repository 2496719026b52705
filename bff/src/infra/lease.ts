import type { Connection } from 'mongoose';
import type { Clock } from './clock';
import { isDuplicateKey } from './mongo-errors';

/** One named lease: who holds it and until when. The card module's revocation check wrote these first. */
export interface LeaseDoc {
  _id: string;
  holder: string;
  until: Date;
}

export interface Leases {
  /**
   * Takes the lease `name` for `ttlMs`, or renews it when `holder` already has it. False while another
   * holder's lease has not expired. A holder that crashes simply stops renewing; after `ttlMs` anyone may
   * take over, so the work it guards must tolerate running again.
   */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Ends `holder`'s lease now so the next process need not wait for it to expire; no-op for anyone else. */
  release(name: string, holder: string): Promise<void>;
}

/**
 * Named leases in the `leases` collection, so that one BFF process at a time does a piece of background
 * work, whatever the number of processes. Expiry is judged by the injected clock, never the database's.
 *
 * @example
 * const leases = createLeases(db, clock);
 * if (await leases.acquire('revocation-check', processId, 10 * 60_000)) {
 *   try { await sweep(); } finally { await leases.release('revocation-check', processId); }
 * }
 */
export function createLeases(db: Connection, clock: Clock): Leases {
  const leases = db.collection<LeaseDoc>('leases');
  return {
    async acquire(name, holder, ttlMs) {
      const now = clock.now();
      try {
        // Matches a free or own lease; otherwise the upsert collides with the held one on _id.
        await leases.updateOne(
          { _id: name, $or: [{ until: { $lte: new Date(now) } }, { holder }] },
          { $set: { holder, until: new Date(now + ttlMs) } },
          { upsert: true },
        );
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    async release(name, holder) {
      await leases.updateOne({ _id: name, holder }, { $set: { until: new Date(clock.now()) } });
    },
  };
}
