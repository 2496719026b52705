/**
 * The database the conformance suites run against: a real MongoDB when MONGODB_URI points at one (so
 * the stand-in cannot drift from it), otherwise a local server started in this process on port 0.
 * A MONGODB_URI that points at the stand-in itself (the run's shared one) is treated as "no real
 * MongoDB": each suite then starts its own, so suites never share state.
 */
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import mongoose, { type Connection } from 'mongoose';
import {
  LOCAL_SERVER_MARKER,
  startLocalMongo,
  type LocalMongo,
  type LocalMongoOptions,
} from '@eid/mock/mongo/index';

export interface MongoTarget {
  uri: string;
  /** True when the target is the local stand-in (started by this suite). */
  local: boolean;
  stop(): Promise<void>;
}

/** True when the server behind `uri` is the local stand-in rather than a real MongoDB. */
export async function isLocalServer(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    return info.localServer === LOCAL_SERVER_MARKER;
  } finally {
    await client.close();
  }
}

/** Starts a stand-in of our own (for behaviour only the stand-in offers, such as an injected clock). */
export async function ownLocalServer(options: LocalMongoOptions = {}): Promise<LocalMongo & MongoTarget> {
  const mongo = await startLocalMongo({ port: 0, ...options });
  return { ...mongo, local: true };
}

/** The target for target-independent conformance tests. */
export async function mongoTarget(): Promise<MongoTarget> {
  const external = process.env.MONGODB_URI;
  if (external && !(await isLocalServer(external))) {
    return { uri: external, local: false, stop: async () => undefined };
  }
  return ownLocalServer();
}

/** A database name of its own for one suite, so suites can share a real server. */
export function uniqueDbName(suite: string): string {
  return `t_mongo_${suite}_${randomUUID().slice(0, 8)}`;
}

/** A mongoose connection to one database of the target. */
export async function connect(target: MongoTarget, dbName: string): Promise<Connection> {
  return mongoose
    .createConnection(target.uri, { dbName, serverSelectionTimeoutMS: 5000, autoIndex: true })
    .asPromise();
}

/** A raw driver client to the target. */
export async function rawClient(
  target: MongoTarget,
  options: ConstructorParameters<typeof MongoClient>[1] = {},
) {
  return new MongoClient(target.uri, { serverSelectionTimeoutMS: 5000, ...options }).connect();
}

/** What a suite that talks to the target through one raw driver client needs. */
export interface RawClientSuite {
  readonly target: MongoTarget;
  readonly client: MongoClient;
  readonly dbName: string;
  /** The suite's own database, dropped after the suite. */
  readonly db: ReturnType<MongoClient['db']>;
}

/**
 * Registers the hooks of a suite that needs the target and one raw client: started before the suite, its
 * database dropped and everything closed after. Call it at the top level of a test file.
 */
export function rawClientSuite(name: string): RawClientSuite {
  return targetSuite(name, {}, false);
}

/** What a suite that uses both mongoose and a raw driver client on one database needs. */
export interface MongooseSuite extends RawClientSuite {
  /** A mongoose connection to the suite's database. */
  readonly conn: Connection;
}

/**
 * Like rawClientSuite, with a mongoose connection to the same database as well (`clientOptions` go to
 * the raw client, e.g. `monitorCommands`). The suite's own beforeAll hooks run after these.
 */
export function mongooseSuite(
  name: string,
  clientOptions: ConstructorParameters<typeof MongoClient>[1] = {},
): MongooseSuite {
  return targetSuite(name, clientOptions, true);
}

function targetSuite(
  name: string,
  clientOptions: ConstructorParameters<typeof MongoClient>[1],
  withMongoose: boolean,
): MongooseSuite {
  let target: MongoTarget | undefined;
  let conn: Connection | undefined;
  let client: MongoClient | undefined;
  const dbName = uniqueDbName(name);
  beforeAll(async () => {
    target = await mongoTarget();
    if (withMongoose) conn = await connect(target, dbName);
    client = await rawClient(target, clientOptions);
  });
  afterAll(async () => {
    if (conn) {
      await conn.dropDatabase();
      await conn.close();
    } else await client?.db(dbName).dropDatabase();
    await client?.close();
    await target?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the suite has not started: use it inside tests and hooks');
    return value;
  };
  return {
    get target() {
      return started(target);
    },
    get conn() {
      return started(conn);
    },
    get client() {
      return started(client);
    },
    dbName,
    get db() {
      return started(client).db(dbName);
    },
  };
}
