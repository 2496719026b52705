/**
 * A local MongoDB-compatible server for development and tests: speaks the wire protocol to the official
 * driver and mongoose, presents itself as a single-member replica set (so sessions and transactions
 * work), and keeps its data in memory or, with a data directory, durably on disk.
 *
 * @example
 * const mongo = await startLocalMongo({ port: 0 });
 * await mongoose.connect(mongo.uri, { dbName: 'eid' });
 * // ...
 * await mongo.stop();
 */
import type { Clock } from './commands/context';
import { Journal, type RecoveryStats } from './journal';
import { MongoWireServer } from './server';
import { Engine } from './storage/engine';

export { LOCAL_SERVER_MARKER } from './commands/admin';
export type { Clock } from './commands/context';

/** Options of `startLocalMongo`. */
export interface LocalMongoOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Keep data durably in this directory (journal + snapshots); in memory when absent. */
  dataDir?: string;
  /** How often the TTL monitor runs (default 60 000 ms, as on MongoDB). */
  ttlIntervalMs?: number;
  /** The time TTL expiry is measured against (default: the system clock). */
  clock?: Clock;
  /** Journal size that triggers compaction into a snapshot (default 64 MiB). */
  compactBytes?: number;
  /** Replica set name reported in `hello` (default `rs0`). */
  replSetName?: string;
}

/** A running local server. */
export interface LocalMongo {
  /** A connection string that works with mongoose and the driver as given. */
  uri: string;
  port: number;
  /** What recovery found in the data directory (absent in memory). */
  recovery?: RecoveryStats;
  /** Runs the TTL monitor now instead of waiting for its interval; returns how many documents expired. */
  sweepTtl(): number;
  /** Stops accepting, closes connections, flushes and snapshots the journal. */
  stop(): Promise<void>;
}

const systemClock: Clock = { now: () => Date.now() };

/** Starts the local MongoDB-compatible server. */
export async function startLocalMongo(options: LocalMongoOptions = {}): Promise<LocalMongo> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`invalid port ${port}`);
  const ttlIntervalMs = options.ttlIntervalMs ?? 60_000;
  if (!(ttlIntervalMs > 0)) throw new RangeError(`invalid ttlIntervalMs ${ttlIntervalMs}`);

  const engine = new Engine();
  let journal: Journal | undefined;
  let recovery: RecoveryStats | undefined;
  if (options.dataDir) {
    ({ journal, stats: recovery } = Journal.open(engine, {
      dir: options.dataDir,
      compactBytes: options.compactBytes,
    }));
  }
  const server = new MongoWireServer({
    engine,
    clock: options.clock ?? systemClock,
    host,
    port,
    ttlIntervalMs,
    setName: options.replSetName,
  });
  let bound: number;
  try {
    bound = await server.listen();
  } catch (err) {
    await journal?.close();
    throw err;
  }
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const uriHost = reachable.includes(':') ? `[${reachable}]` : reachable;
  let stopped: Promise<void> | undefined;
  return {
    // directConnection: the driver talks to this one member and still sees a replica-set primary, which
    // is what sessions, retryable writes and transactions require.
    uri: `mongodb://${uriHost}:${bound}/?directConnection=true`,
    port: bound,
    recovery,
    sweepTtl: () => server.sweepTtl(),
    stop: () =>
      (stopped ??= (async () => {
        await server.stop();
        await journal?.close();
      })()),
  };
}
