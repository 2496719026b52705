/**
 * The local MongoDB-compatible server through mongoose: inserts and indexed findOne per second, in memory
 * and with a data directory (journal fsynced before each acknowledgement, group-committed), beside the
 * same operations on an in-process Map. 16 operations are kept in flight, like a BFF under load. The
 * in-process rows share one CPU between mongoose, the driver and the server; the "own process" row runs
 * the server as the test run does (its CLI), so the two sides get a core each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose, { Schema } from 'mongoose';
import { startLocalMongo } from '../mock/src/mongo/index';
import { spawnLocalMongo } from '../scripts/lib/local-mongo-process';
import { concurrently } from './loops';
import { scaled } from './options';
import type { BenchResult } from './types';

const INSERTS = scaled(1500, 1000);
const FINDS = scaled(1500, 1000);
const IN_FLIGHT = 16;

interface Item {
  key: string;
  n: number;
  payload: string;
}

const itemSchema = new Schema<Item>({
  key: { type: String, required: true, unique: true },
  n: { type: Number, required: true },
  payload: { type: String, required: true },
});

/** Operations per second of `op(0..total-1)`, IN_FLIGHT at a time. */
async function timed(total: number, op: (i: number) => Promise<unknown>): Promise<number> {
  return (await concurrently(total, IN_FLIGHT, op)).rate;
}

function itemOf(i: number): Item {
  return { key: `item-${i}`, n: i, payload: 'x'.repeat(200) };
}

async function mapReference(): Promise<{ insert: number; find: number }> {
  const byId = new Map<number, Item>();
  const byKey = new Map<string, number>();
  const insert = await timed(INSERTS, async (i) => {
    const item = itemOf(i);
    if (byKey.has(item.key)) throw new Error('duplicate');
    byId.set(i, item);
    byKey.set(item.key, i);
  });
  const find = await timed(FINDS, async (i) => byId.get(byKey.get(`item-${i % INSERTS}`)!));
  return { insert, find };
}

async function measure(mongo: {
  uri: string;
  stop(): Promise<void>;
}): Promise<{ insert: number; find: number }> {
  const conn = await mongoose
    .createConnection(mongo.uri, { dbName: 'bench', maxPoolSize: IN_FLIGHT })
    .asPromise();
  try {
    const Items = conn.model<Item>('Item', itemSchema);
    await Items.init();
    // Warm-up: connections of the pool, JIT of both sides.
    await timed(200, (i) => Items.create(itemOf(-1 - i)));
    const insert = await timed(INSERTS, (i) => Items.create(itemOf(i)));
    const find = await timed(FINDS, (i) => Items.findOne({ key: `item-${i % INSERTS}` }).lean());
    return { insert, find };
  } finally {
    await conn.close();
    await mongo.stop();
  }
}

/** Runs the measurements; bounded to a few thousand operations each. */
export async function run(): Promise<BenchResult[]> {
  const reference = await mapReference();
  const memory = await measure(await startLocalMongo({ port: 0 }));
  const dir = mkdtempSync(path.join(tmpdir(), 'eid-mongo-bench-'));
  let durable: { insert: number; find: number };
  try {
    durable = await measure(await startLocalMongo({ port: 0, dataDir: dir }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const own = await measure(await spawnLocalMongo());
  const row = (name: string, ops: number, ref: number, refName: string): BenchResult => ({
    name,
    opsPerSec: ops,
    reference: refName,
    referenceOpsPerSec: ref,
    ratio: ops / ref,
  });
  return [
    row('insert via mongoose (memory)', memory.insert, reference.insert, 'Map insert'),
    row('insert via mongoose (data dir, fsync)', durable.insert, reference.insert, 'Map insert'),
    row('indexed findOne via mongoose (memory)', memory.find, reference.find, 'Map get'),
    row('indexed findOne via mongoose (data dir)', durable.find, reference.find, 'Map get'),
    row('insert via mongoose (own process, memory)', own.insert, reference.insert, 'Map insert'),
    row('indexed findOne via mongoose (own process)', own.find, reference.find, 'Map get'),
  ];
}
