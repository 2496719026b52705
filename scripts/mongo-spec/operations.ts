/**
 * Entity and test-runner operations of the unified format (§Entity Test Operations, §Special Test
 * Operations), mapped onto the official Node driver. Results are converted to the documents the tests
 * expect (§Converting Returned Model Objects to Documents); cursors are iterated to arrays.
 */
import {
  Double,
  Int32,
  Long,
  MongoBulkWriteError,
  type AnyBulkWriteOperation,
  type BulkWriteResult,
  type ClientSession,
  type Collection,
  type Db,
  type Document,
  type MongoClient,
} from 'mongodb';
import { concernOptions, readPreference, type EntityMap } from './entities';
import { match } from './matcher';
import { Unsupported } from './skip';

/** What operations need beyond the entity map: the internal client and the fail points to undo. */
export interface RunState {
  entities: EntityMap;
  internal: MongoClient;
  /** Fail points set during the test, with the client to disable them through. */
  failPoints: { client: MongoClient; name: string }[];
  /** Set once a transaction was started (the test then ends with killAllSessions). */
  startedTransaction: boolean;
  /** Runs a list of operations; with `propagate` (a withTransaction callback) their errors go on up. */
  runOperations(ops: Document[], propagate?: boolean): Promise<void>;
}

/** Top-level numeric option values as JS numbers (the driver validates `typeof x === 'number'`). */
function plainNumbers(args: Document): Document {
  const out: Document = {};
  for (const [k, v] of Object.entries(args)) {
    out[k] = v instanceof Int32 || v instanceof Double ? v.valueOf() : v instanceof Long ? v.toNumber() : v;
  }
  return out;
}

/** Splits the operation's arguments into the named positional ones and the driver options. */
function options(state: RunState, args: Document, positional: string[]): { pos: Document; opts: Document } {
  const pos: Document = {};
  const opts: Document = {};
  for (const [k, v] of Object.entries(plainNumbers(args))) {
    if (positional.includes(k)) pos[k] = v;
    else if (k === 'session') opts.session = state.entities.getAs(v as string, 'session').session;
    else if (k === 'returnDocument') opts.returnDocument = String(v).toLowerCase();
    else if (k === 'readPreference') opts.readPreference = readPreference(v as Document);
    else if (k === 'timeoutMS') throw new Unsupported('timeoutMS (client-side operation timeout)');
    else opts[k] = v;
  }
  return { pos, opts };
}

/** BulkWriteResult as the CRUD spec's document. */
export function bulkResultDocument(r: BulkWriteResult): Document {
  return {
    insertedCount: r.insertedCount,
    matchedCount: r.matchedCount,
    modifiedCount: r.modifiedCount,
    deletedCount: r.deletedCount,
    upsertedCount: r.upsertedCount,
    upsertedIds: r.upsertedIds,
    insertedIds: r.insertedIds,
  };
}

async function collectionOp(state: RunState, c: Collection, name: string, args: Document): Promise<unknown> {
  switch (name) {
    case 'insertOne': {
      const { pos, opts } = options(state, args, ['document']);
      return c.insertOne(pos.document, opts);
    }
    case 'insertMany': {
      const { pos, opts } = options(state, args, ['documents']);
      return c.insertMany(pos.documents, opts);
    }
    case 'updateOne':
    case 'updateMany': {
      const { pos, opts } = options(state, args, ['filter', 'update']);
      return name === 'updateOne'
        ? c.updateOne(pos.filter, pos.update, opts)
        : c.updateMany(pos.filter, pos.update, opts);
    }
    case 'replaceOne': {
      const { pos, opts } = options(state, args, ['filter', 'replacement']);
      return c.replaceOne(pos.filter, pos.replacement, opts);
    }
    case 'deleteOne':
    case 'deleteMany': {
      const { pos, opts } = options(state, args, ['filter']);
      return name === 'deleteOne' ? c.deleteOne(pos.filter, opts) : c.deleteMany(pos.filter, opts);
    }
    case 'bulkWrite': {
      const { pos, opts } = options(state, args, ['requests']);
      return bulkResultDocument(await c.bulkWrite(pos.requests as AnyBulkWriteOperation[], opts));
    }
    case 'find': {
      const { pos, opts } = options(state, args, ['filter']);
      return c.find(pos.filter ?? {}, opts).toArray();
    }
    case 'findOne': {
      const { pos, opts } = options(state, args, ['filter']);
      return c.findOne(pos.filter ?? {}, opts);
    }
    case 'createFindCursor': {
      const { pos, opts } = options(state, args, ['filter']);
      return { cursor: c.find(pos.filter ?? {}, opts) };
    }
    case 'aggregate': {
      const { pos, opts } = options(state, args, ['pipeline']);
      return c.aggregate(pos.pipeline, opts).toArray();
    }
    case 'countDocuments': {
      const { pos, opts } = options(state, args, ['filter']);
      return c.countDocuments(pos.filter, opts);
    }
    case 'estimatedDocumentCount':
      return c.estimatedDocumentCount(options(state, args, []).opts);
    case 'count': {
      const { pos, opts } = options(state, args, ['filter']);
      return c.count(pos.filter, opts);
    }
    case 'distinct': {
      const { pos, opts } = options(state, args, ['fieldName', 'filter']);
      return c.distinct(pos.fieldName, pos.filter ?? {}, opts);
    }
    case 'findOneAndDelete': {
      const { pos, opts } = options(state, args, ['filter']);
      return c.findOneAndDelete(pos.filter, opts);
    }
    case 'findOneAndReplace': {
      const { pos, opts } = options(state, args, ['filter', 'replacement']);
      return c.findOneAndReplace(pos.filter, pos.replacement, opts);
    }
    case 'findOneAndUpdate': {
      const { pos, opts } = options(state, args, ['filter', 'update']);
      return c.findOneAndUpdate(pos.filter, pos.update, opts);
    }
    case 'createIndex': {
      const { pos, opts } = options(state, args, ['keys']);
      return c.createIndex(pos.keys, opts);
    }
    case 'dropIndex': {
      const { pos, opts } = options(state, args, ['name']);
      return c.dropIndex(pos.name, opts);
    }
    case 'listIndexes':
      return c.listIndexes(options(state, args, []).opts).toArray();
    default:
      throw new Unsupported(`collection operation ${name}`);
  }
}

async function databaseOp(state: RunState, db: Db, name: string, args: Document): Promise<unknown> {
  switch (name) {
    case 'runCommand': {
      const { pos, opts } = options(state, args, ['command', 'commandName']);
      return db.command(pos.command, opts);
    }
    case 'aggregate': {
      const { pos, opts } = options(state, args, ['pipeline']);
      return db.aggregate(pos.pipeline, opts).toArray();
    }
    case 'createCollection': {
      const { pos, opts } = options(state, args, ['collection']);
      await db.createCollection(pos.collection, opts);
      return undefined;
    }
    case 'dropCollection': {
      const { pos, opts } = options(state, args, ['collection']);
      return db.dropCollection(pos.collection, opts);
    }
    case 'listCollections': {
      const { pos, opts } = options(state, args, ['filter']);
      return db.listCollections(pos.filter ?? {}, opts).toArray();
    }
    case 'modifyCollection': {
      const { pos, opts } = options(state, args, ['collection']);
      const { session, ...rest } = opts;
      return db.command({ collMod: pos.collection, ...rest }, { session });
    }
    default:
      throw new Unsupported(`database operation ${name}`);
  }
}

async function clientOp(
  state: RunState,
  client: MongoClient,
  name: string,
  args: Document,
): Promise<unknown> {
  switch (name) {
    case 'listDatabases': {
      const { opts } = options(state, args, []);
      return (await client.db('admin').admin().listDatabases(opts)).databases;
    }
    case 'clientBulkWrite': {
      const { pos, opts } = options(state, args, ['models']);
      // The format names each model by its only key; the driver by a `name` field.
      const models = (pos.models as Document[]).map((m) => {
        const [name, spec] = Object.entries(m)[0] as [string, Document];
        return { name, ...spec };
      });
      return client.bulkWrite(models as never, opts);
    }
    case 'close':
      await client.close();
      return undefined;
    default:
      throw new Unsupported(`client operation ${name}`);
  }
}

async function sessionOp(state: RunState, s: ClientSession, name: string, args: Document): Promise<unknown> {
  switch (name) {
    case 'startTransaction':
      state.startedTransaction = true;
      s.startTransaction(concernOptions(plainNumbers(args)));
      return undefined;
    case 'commitTransaction':
      return s.commitTransaction();
    case 'abortTransaction':
      return s.abortTransaction();
    case 'endSession':
      await s.endSession();
      return undefined;
    case 'withTransaction': {
      state.startedTransaction = true;
      const { callback, ...rest } = args;
      await s.withTransaction(
        () => state.runOperations(callback as Document[], true),
        concernOptions(plainNumbers(rest)),
      );
      return undefined;
    }
    case 'getSnapshotTime': {
      // The driver keeps the atClusterTime of a snapshot session's first read as `snapshotTime` (not typed).
      const time = (s as unknown as { snapshotTime?: unknown }).snapshotTime;
      if (time === undefined) throw new AssertionFailure('the snapshot session has no snapshot time yet');
      return time;
    }
    default:
      throw new Unsupported(`session operation ${name}`);
  }
}

async function cursorOp(
  cursor: AsyncIterator<Document> & {
    close(): Promise<void>;
    next(): Promise<Document | null>;
    tryNext(): Promise<Document | null>;
  },
  name: string,
): Promise<unknown> {
  switch (name) {
    case 'iterateUntilDocumentOrError':
      return cursor.next();
    case 'iterateOnce':
      return cursor.tryNext();
    case 'close':
      await cursor.close();
      return undefined;
    default:
      throw new Unsupported(`cursor operation ${name}`);
  }
}

const TRANSACTION_STATES: Record<string, string> = {
  NO_TRANSACTION: 'none',
  STARTING_TRANSACTION: 'starting',
  TRANSACTION_IN_PROGRESS: 'in_progress',
  TRANSACTION_COMMITTED: 'committed',
  TRANSACTION_COMMITTED_EMPTY: 'committed',
  TRANSACTION_ABORTED: 'aborted',
};

function lastTwoLsids(state: RunState, clientId: string): [unknown, unknown] {
  const started = state.entities
    .getAs(clientId, 'client')
    .events.filter((e) => e.type === 'commandStartedEvent');
  if (started.length < 2) throw new Error(`fewer than two commands observed on ${clientId}`);
  return [started[started.length - 2].command?.lsid, started[started.length - 1].command?.lsid];
}

async function collectionNames(state: RunState, args: Document): Promise<string[]> {
  const list = await state.internal.db(args.databaseName).listCollections({}, { nameOnly: true }).toArray();
  return list.map((c) => c.name);
}

async function indexNames(state: RunState, args: Document): Promise<string[]> {
  const list = await state.internal
    .db(args.databaseName)
    .collection(args.collectionName)
    .listIndexes()
    .toArray();
  return list.map((i) => i.name as string);
}

function assert(ok: boolean, message: string): void {
  if (!ok) throw new AssertionFailure(message);
}

/** A failed assertion of a special operation (as opposed to an operation's own error). */
export class AssertionFailure extends Error {
  override name = 'AssertionFailure';
}

async function testRunnerOp(state: RunState, name: string, args: Document): Promise<unknown> {
  const session = () => state.entities.getAs(args.session as string, 'session').session;
  switch (name) {
    case 'failPoint':
    case 'targetedFailPoint': {
      // One server: the session's pinned server is the primary, as for failPoint.
      const client =
        name === 'failPoint'
          ? state.entities.getAs(args.client as string, 'client').client
          : state.entities.getAs(state.entities.getAs(args.session as string, 'session').client, 'client')
              .client;
      await client.db('admin').command(args.failPoint as Document);
      state.failPoints.push({ client, name: (args.failPoint as Document).configureFailPoint as string });
      return undefined;
    }
    case 'assertSessionTransactionState': {
      // `transaction` is internal to the driver (not in its types); its state is what the spec asserts.
      const state = (session() as unknown as { transaction: { state: string } }).transaction.state;
      const got = TRANSACTION_STATES[state] ?? state;
      assert(got === args.state, `session transaction state is ${got}, expected ${String(args.state)}`);
      return undefined;
    }
    case 'assertSessionPinned':
      assert(session().isPinned, 'session is not pinned');
      return undefined;
    case 'assertSessionUnpinned':
      assert(!session().isPinned, 'session is pinned');
      return undefined;
    case 'assertSessionDirty':
      assert(session().serverSession?.isDirty === true, 'session is not dirty');
      return undefined;
    case 'assertSessionNotDirty':
      assert(session().serverSession?.isDirty !== true, 'session is dirty');
      return undefined;
    case 'assertSameLsidOnLastTwoCommands': {
      const [a, b] = lastTwoLsids(state, args.client as string);
      assert(match(a, b) === undefined, 'the last two commands used different lsids');
      return undefined;
    }
    case 'assertDifferentLsidOnLastTwoCommands': {
      const [a, b] = lastTwoLsids(state, args.client as string);
      assert(match(a, b) !== undefined, 'the last two commands used the same lsid');
      return undefined;
    }
    case 'assertCollectionExists':
      assert(
        (await collectionNames(state, args)).includes(args.collectionName),
        `collection ${args.collectionName} does not exist`,
      );
      return undefined;
    case 'assertCollectionNotExists':
      assert(
        !(await collectionNames(state, args)).includes(args.collectionName),
        `collection ${args.collectionName} exists`,
      );
      return undefined;
    case 'assertIndexExists':
      assert(
        (await indexNames(state, args)).includes(args.indexName),
        `index ${args.indexName} does not exist`,
      );
      return undefined;
    case 'assertIndexNotExists': {
      const names = await indexNames(state, args).catch(() => [] as string[]);
      assert(!names.includes(args.indexName), `index ${args.indexName} exists`);
      return undefined;
    }
    case 'createEntities':
      await state.entities.create(args.entities as Document[]);
      return undefined;
    default:
      throw new Unsupported(`test runner operation ${name}`);
  }
}

/** Runs one operation on its object and returns its result as a document, value or array. */
export async function runOperation(state: RunState, op: Document): Promise<unknown> {
  const args = (op.arguments ?? {}) as Document;
  if (op.object === 'testRunner') return testRunnerOp(state, op.name, args);
  const entity = state.entities.get(op.object);
  switch (entity.kind) {
    case 'collection':
      return collectionOp(state, entity.collection, op.name, args);
    case 'database':
      return databaseOp(state, entity.db, op.name, args);
    case 'client':
      return clientOp(state, entity.client, op.name, args);
    case 'session':
      return sessionOp(state, entity.session, op.name, args);
    case 'cursor':
      return cursorOp(entity.cursor as never, op.name);
    default:
      throw new Unsupported(`operations on ${entity.kind} entities`);
  }
}

/** The result an error carries (a BulkWriteException's partial result), as a document. */
export function errorResult(err: unknown): Document | undefined {
  if (err instanceof MongoBulkWriteError && err.result) return bulkResultDocument(err.result);
  return undefined;
}
