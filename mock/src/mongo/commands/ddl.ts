/**
 * Catalogue commands: collections (create, drop, list, rename), databases (drop) and indexes (create,
 * list, drop).
 */
import { Query } from 'mingo';
import { batchSizeOf, DEFAULT_FIRST_BATCH } from '../cursors';
import { mongoError } from '../errors';
import { isPlainObject, keyOf, type Doc } from '../values';
import { validateViewOptions } from './aggregate';
import { collectionName, docArg, nsOf, type CommandHandler } from './context';

// Fields every command may carry that are not options of the command itself.
const GENERIC_FIELDS = new Set([
  '$db',
  'lsid',
  'txnNumber',
  'autocommit',
  'startTransaction',
  '$clusterTime',
  '$readPreference',
  'readConcern',
  'writeConcern',
  'comment',
  'maxTimeMS',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
]);

function optionsOf(cmd: Doc, commandField: string): Doc {
  const opts: Doc = {};
  for (const [k, v] of Object.entries(cmd)) if (k !== commandField && !GENERIC_FIELDS.has(k)) opts[k] = v;
  return opts;
}

const create: CommandHandler = async (cmd, ctx) => {
  const name = collectionName(cmd, 'create');
  if (cmd.viewOn !== undefined) validateViewOptions(cmd);
  ctx.engine.createCollection(ctx.db, name, optionsOf(cmd, 'create'));
  await ctx.engine.durable();
  return { ok: 1 };
};

const drop: CommandHandler = async (cmd, ctx) => {
  const name = collectionName(cmd, 'drop');
  const dropped = ctx.engine.dropCollection(ctx.db, name);
  await ctx.engine.durable();
  // Since MongoDB 7.0 dropping a collection that does not exist succeeds.
  return dropped ? { nIndexesWas: dropped.indexes.size, ns: dropped.ns, ok: 1 } : { ok: 1 };
};

const dropDatabase: CommandHandler = async (_cmd, ctx) => {
  ctx.engine.dropDatabase(ctx.db);
  await ctx.engine.durable();
  return { dropped: ctx.db, ok: 1 };
};

const listCollections: CommandHandler = (cmd, ctx) => {
  const filter = docArg(cmd, 'filter');
  const nameOnly = cmd.nameOnly === true;
  let entries: Doc[] = ctx.engine.collections(ctx.db).map((c) =>
    nameOnly
      ? { name: c.name, type: typeof c.options.viewOn === 'string' ? 'view' : 'collection' }
      : {
          name: c.name,
          type: typeof c.options.viewOn === 'string' ? 'view' : 'collection',
          options: c.options,
          info: { readOnly: typeof c.options.viewOn === 'string', uuid: c.uuid },
          idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
        },
  );
  if (filter && Object.keys(filter).length > 0) {
    const query = new Query(filter, { scriptEnabled: false });
    entries = entries.filter((e) => query.test(e));
  }
  const cursor = isPlainObject(cmd.cursor) ? cmd.cursor : {};
  return ctx.cursors.firstBatch(
    `${ctx.db}.$cmd.listCollections`,
    entries,
    batchSizeOf(cursor.batchSize, DEFAULT_FIRST_BATCH),
  );
};

const renameCollection: CommandHandler = async (cmd, ctx) => {
  const from = cmd.renameCollection;
  const to = cmd.to;
  if (typeof from !== 'string' || typeof to !== 'string' || !from.includes('.') || !to.includes('.')) {
    throw mongoError('InvalidNamespace', 'renameCollection and to must be full namespaces (db.collection)');
  }
  const split = (ns: string) => [ns.slice(0, ns.indexOf('.')), ns.slice(ns.indexOf('.') + 1)] as const;
  const [fromDb, fromName] = split(from);
  const [toDb, toName] = split(to);
  const coll = ctx.engine.collection(fromDb, fromName);
  if (!coll) throw mongoError('NamespaceNotFound', 'source namespace does not exist');
  if (from === to) throw mongoError('IllegalOperation', "Can't rename a collection to itself");
  ctx.engine.renameCollection(coll, toDb, toName, cmd.dropTarget === true);
  await ctx.engine.durable();
  return { ok: 1 };
};

const createIndexes: CommandHandler = async (cmd, ctx) => {
  const name = collectionName(cmd, 'createIndexes');
  const specs = cmd.indexes;
  if (!Array.isArray(specs) || specs.length === 0 || !specs.every(isPlainObject)) {
    throw mongoError('BadValue', 'Must specify at least one index to create');
  }
  const existed = ctx.engine.collection(ctx.db, name);
  const coll = existed ?? ctx.engine.ensureCollection(ctx.db, name);
  const before = coll.indexes.size;
  const created = ctx.engine.createIndexes(coll, specs as Doc[]);
  await ctx.engine.durable();
  const reply: Doc = {
    numIndexesBefore: before,
    numIndexesAfter: coll.indexes.size,
    createdCollectionAutomatically: !existed,
  };
  if (created === 0) reply.note = 'all indexes already exist';
  reply.ok = 1;
  return reply;
};

const listIndexes: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'listIndexes');
  const coll = ctx.engine.collection(ctx.db, name);
  if (!coll) throw mongoError('NamespaceNotFound', `ns does not exist: ${nsOf(ctx, name)}`);
  const specs = [...coll.indexes.values()].map((i) => i.spec);
  const cursor = isPlainObject(cmd.cursor) ? cmd.cursor : {};
  return ctx.cursors.firstBatch(
    `${ctx.db}.$cmd.listIndexes.${name}`,
    specs,
    batchSizeOf(cursor.batchSize, DEFAULT_FIRST_BATCH),
  );
};

const dropIndexes: CommandHandler = async (cmd, ctx) => {
  const name = collectionName(cmd, 'dropIndexes');
  const coll = ctx.engine.collection(ctx.db, name);
  if (!coll) throw mongoError('NamespaceNotFound', `ns not found ${nsOf(ctx, name)}`);
  const was = coll.indexes.size;
  const target = cmd.index;
  let names: string[];
  if (target === '*') {
    names = [...coll.indexes.keys()].filter((n) => n !== '_id_');
  } else if (typeof target === 'string') {
    names = [target];
  } else if (Array.isArray(target) && target.every((t) => typeof t === 'string')) {
    names = target as string[];
  } else if (isPlainObject(target)) {
    const match = [...coll.indexes.values()].find((i) => keyOf(i.spec.key) === keyOf(target));
    if (!match) throw mongoError('IndexNotFound', `can't find index with key: ${JSON.stringify(target)}`);
    names = [match.name];
  } else {
    throw mongoError(
      'TypeMismatch',
      "BSON field 'dropIndexes.index' must be a string, array of strings or object",
    );
  }
  for (const n of names) {
    if (n === '_id_') throw mongoError('InvalidOptions', 'cannot drop _id index');
    if (!coll.indexes.has(n)) throw mongoError('IndexNotFound', `index not found with name [${n}]`);
  }
  for (const n of names) ctx.engine.dropIndex(coll, n);
  await ctx.engine.durable();
  return { nIndexesWas: was, ok: 1 };
};

/** Handlers by command name. */
export const ddlCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropDatabase,
  listCollections,
  renameCollection,
  createIndexes,
  listIndexes,
  dropIndexes,
};
