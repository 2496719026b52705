/**
 * The TTL monitor: deletes documents whose indexed date is older than the index's
 * `expireAfterSeconds`, as MongoDB's background thread does (every 60 s there; configurable here, and
 * measured against an injectable clock).
 */
import type { Engine } from './storage/engine';
import { LockedError } from './storage/transactions';
import { valuesAtPath } from './values';

/**
 * Deletes every expired document now; returns how many. Documents a transaction has locked are left for
 * the next pass.
 */
export function sweepExpired(engine: Engine, nowMs: number): number {
  let removed = 0;
  for (const db of engine.databases()) {
    for (const coll of engine.collections(db)) {
      for (const index of coll.indexes.values()) {
        // MongoDB only expires through single-field TTL indexes.
        if (index.ttlSeconds === undefined || index.fields.length !== 1) continue;
        const cutoff = nowMs - index.ttlSeconds * 1000;
        const expired: string[] = [];
        for (const [idKey, doc] of coll.docs) {
          if (!index.covers(doc)) continue;
          // An array of dates expires with its earliest date.
          const dates = valuesAtPath(doc, index.fields[0]!).filter((v): v is Date => v instanceof Date);
          if (dates.length > 0 && Math.min(...dates.map((d) => d.getTime())) <= cutoff) expired.push(idKey);
        }
        for (const idKey of expired) {
          try {
            engine.remove(coll, idKey);
            removed += 1;
          } catch (err) {
            if (!(err instanceof LockedError)) throw err;
          }
        }
      }
    }
  }
  return removed;
}
