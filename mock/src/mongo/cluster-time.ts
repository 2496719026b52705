/**
 * The cluster time of this single-member replica set. Every reply carries it as `operationTime` and
 * `$clusterTime`; drivers gossip `$clusterTime` back and, in a causally consistent session, send the last
 * operationTime as `readConcern.afterClusterTime` (the Node driver does so on the first command of a
 * transaction that follows a write).
 *
 * The time is a Timestamp: the second of the server's injected clock and a counter. It advances once for
 * each batch of committed changes (the engine's sequence number moved) and never goes back, even when
 * the injected clock does; a time a client gossips moves it forward, as on MongoDB without keys.
 */
import { Binary, Long, Timestamp } from 'bson';
import type { Clock } from './commands/context';
import { mongoError } from './errors';
import { isPlainObject, type Doc } from './values';

// A deployment without keys signs nothing: key id 0 and 20 zero bytes.
const SIGNATURE = { hash: new Binary(Buffer.alloc(20), 0), keyId: Long.fromNumber(0) };

function isTimestamp(v: unknown): v is Timestamp {
  return (v as { _bsontype?: unknown } | null)?._bsontype === 'Timestamp';
}

function show(t: Timestamp): string {
  return `{ ts: Timestamp(${t.t}, ${t.i}) }`;
}

/** One server's cluster time. */
export class ClusterTime {
  private time: Timestamp;
  private seenSeq: number;

  /** `seq` reads the engine's sequence number of the last committed change. */
  constructor(
    private readonly clock: Clock,
    private readonly seq: () => number,
  ) {
    this.time = new Timestamp({ t: this.second(), i: 1 });
    this.seenSeq = seq();
  }

  private second(): number {
    return Math.max(0, Math.floor(this.clock.now() / 1000));
  }

  /** The current time, first advanced past any change committed since the last call. */
  now(): Timestamp {
    const seq = this.seq();
    if (seq !== this.seenSeq) {
      this.seenSeq = seq;
      const t = this.second();
      this.time =
        t > this.time.t ? new Timestamp({ t, i: 1 }) : new Timestamp({ t: this.time.t, i: this.time.i + 1 });
    }
    return this.time;
  }

  /**
   * Takes in the `$clusterTime` a command carries. MongoDB without keys advances its clock to it; here that
   * also keeps a client that talked to an earlier server on the same port from being refused below.
   */
  gossip(clusterTime: unknown): void {
    if (!isPlainObject(clusterTime)) return;
    const t = clusterTime.clusterTime;
    if (isTimestamp(t) && t.greaterThan(this.now())) this.time = t;
  }

  /**
   * Checks `readConcern.afterClusterTime`. A single node's reads are at its latest time, so any time it has
   * reached is met at once; a later one is refused with MongoDB's error.
   */
  checkAfter(readConcern: unknown): void {
    if (!isPlainObject(readConcern) || readConcern.afterClusterTime === undefined) return;
    const after = readConcern.afterClusterTime;
    if (!isTimestamp(after))
      throw mongoError(
        'TypeMismatch',
        "BSON field 'readConcern.afterClusterTime' is the wrong type, expected type 'timestamp'",
      );
    const current = this.now();
    if (after.greaterThan(current))
      throw mongoError(
        'InvalidOptions',
        `readConcern afterClusterTime value must not be greater than the current clusterTime. Requested clusterTime: ${show(after)}; current clusterTime: ${show(current)}`,
      );
  }

  /** The fields every reply carries. */
  fields(): Doc {
    const time = this.now();
    return { $clusterTime: { clusterTime: time, signature: SIGNATURE }, operationTime: time };
  }
}
