/**
 * Catalogue commands: collections (create, drop, list, rename), databases (drop) and indexes (create,
 * list, drop).
 */
import { Query } from 'mingo';
import { batchSizeOf, DEFAULT_FIRST_BATCH } from '../cursors';
import { mongoError } from '../errors';
import { isPlainObject, keyOf, type Doc } from '../values';
import { refuseCollatedUnique } from '../storage/collection';
import { refuseViewWrite, validateViewOptions } from './aggregate';
import { collectionName, docArg, nsOf, type CommandHandler } from './context';

// The `create` options stored with the collection; commands/fields.ts refuses the ones not honoured.
const CREATE_OPTIONS = new Set(['viewOn', 'pipeline', 'collation']);

function optionsOf(cmd: Doc): Doc {
  const opts: Doc = {};
  for (const [k, v] of Object.entries(cmd)) if (CREATE_OPTIONS.has(k)) opts[k] = v;
  return opts;
}

const create: CommandHandler = async (cmd, ctx) => {
  const name = collectionName(cmd, 'create');
  if (cmd.viewOn !== undefined) validateViewOptions(cmd);
  ctx.engine.createCollection(ctx.db, name, optionsOf(cmd));
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

// Index options MongoDB knows. Text, geo and wildcard options shape indexes this server lists but never
// uses for a query (their queries are refused), so they change no result; `background` is ignored since
// MongoDB 4.2 and `ns` is legacy.
const INDEX_OPTIONS = new Set([
  'key',
  'name',
  'v',
  'ns',
  'background',
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'hidden',
  'collation',
  'weights',
  'default_language',
  'language_override',
  'textIndexVersion',
  '2dsphereIndexVersion',
  'bits',
  'min',
  'max',
  'bucketSize',
  'wildcardProjection',
]);
// Known to MongoDB, not honoured here.
const INDEX_OPTIONS_UNSUPPORTED = new Set(['prepareUnique', 'storageEngine', 'clustered', 'dropDups']);

function checkIndexOptions(spec: Doc): void {
  for (const field of Object.keys(spec)) {
    if (INDEX_OPTIONS.has(field)) continue;
    if (INDEX_OPTIONS_UNSUPPORTED.has(field))
      throw mongoError(
        'NotImplemented',
        `The index option '${field}' is not supported by this local MongoDB-compatible server`,
      );
    throw mongoError(
      'InvalidIndexSpecificationOption',
      `The field '${field}' is not valid for an index specification. Specification: ${JSON.stringify(spec)}`,
    );
  }
}

const createIndexes: CommandHandler = async (cmd, ctx) => {
  const name = collectionName(cmd, 'createIndexes');
  const specs = cmd.indexes;
  if (!Array.isArray(specs) || specs.length === 0 || !specs.every(isPlainObject)) {
    throw mongoError('BadValue', 'Must specify at least one index to create');
  }
  for (const spec of specs as Doc[]) checkIndexOptions(spec);
  const existed = ctx.engine.collection(ctx.db, name);
  refuseViewWrite(ctx, existed);
  refuseCollatedUnique(existed, specs as Doc[]);
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

const COLLMOD_INDEX_FIELDS = new Set(['keyPattern', 'name', 'expireAfterSeconds', 'hidden']);

/**
 * `collMod` with `index`: changes a TTL index's `expireAfterSeconds` (or makes a single-field index a
 * TTL index) and hides or unhides an index. Every other collMod option is refused (commands/fields.ts).
 * The changed index is dropped and built again with its new spec, each step journaled as usual.
 */
const collMod: CommandHandler = async (cmd, ctx) => {
  const name = collectionName(cmd, 'collMod');
  const coll = ctx.engine.collection(ctx.db, name);
  if (!coll) throw mongoError('NamespaceNotFound', `ns does not exist: ${nsOf(ctx, name)}`);
  const change = cmd.index;
  if (change === undefined) return { ok: 1 };
  if (!isPlainObject(change))
    throw mongoError('TypeMismatch', "BSON field 'collMod.index' is the wrong type, expected type 'object'");
  for (const field of Object.keys(change)) {
    if (COLLMOD_INDEX_FIELDS.has(field)) continue;
    if (field === 'unique' || field === 'prepareUnique' || field === 'forceNonUnique')
      throw mongoError(
        'NotImplemented',
        `BSON field 'collMod.index.${field}' is not supported by this local MongoDB-compatible server`,
      );
    throw mongoError('Location40415', `BSON field 'collMod.index.${field}' is an unknown field.`);
  }
  const byKey = change.keyPattern;
  const byName = change.name;
  if ((byKey === undefined) === (byName === undefined))
    throw mongoError('InvalidOptions', 'must specify either index name or key pattern in collMod index');
  const index = [...coll.indexes.values()].find((i) =>
    byName !== undefined ? i.name === byName : isPlainObject(byKey) && keyOf(i.spec.key) === keyOf(byKey),
  );
  if (!index)
    throw mongoError(
      'IndexNotFound',
      `cannot find index ${JSON.stringify(byName ?? byKey)} for ns ${nsOf(ctx, name)}`,
    );
  const ttl = change.expireAfterSeconds;
  const hidden = change.hidden;
  if (ttl === undefined && hidden === undefined)
    throw mongoError('InvalidOptions', 'no expireAfterSeconds or hidden field');
  const spec: Doc = { ...index.spec };
  const reply: Doc = {};
  if (ttl !== undefined) {
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0)
      throw mongoError('InvalidOptions', 'expireAfterSeconds must be a non-negative integer');
    if (index.isIdIndex || Object.keys(index.spec.key as Doc).length !== 1)
      throw mongoError('InvalidOptions', 'TTL indexes are single-field indexes on a field other than _id');
    if (spec.expireAfterSeconds !== undefined) reply.expireAfterSeconds_old = spec.expireAfterSeconds;
    reply.expireAfterSeconds_new = ttl;
    spec.expireAfterSeconds = ttl;
  }
  if (hidden !== undefined) {
    if (typeof hidden !== 'boolean')
      throw mongoError(
        'TypeMismatch',
        "BSON field 'collMod.index.hidden' is the wrong type, expected type 'bool'",
      );
    if (index.isIdIndex) throw mongoError('BadValue', "can't hide _id index");
    reply.hidden_old = spec.hidden === true;
    reply.hidden_new = hidden;
    if (hidden) spec.hidden = true;
    else delete spec.hidden;
  }
  if (keyOf(spec) !== keyOf(index.spec)) {
    ctx.engine.dropIndex(coll, index.name);
    ctx.engine.createIndexes(coll, [spec]);
  }
  await ctx.engine.durable();
  reply.ok = 1;
  return reply;
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
  collMod,
};
