/**
 * The CRUD commands: insert, update, delete (with ordered/unordered bulk semantics and MongoDB's
 * `writeErrors`), find / getMore / killCursors, findAndModify, count and distinct.
 */
import { Long, ObjectId } from 'bson';
import { batchSizeOf, DEFAULT_FIRST_BATCH } from '../cursors';
import { MAX_WRITE_BATCH } from '../wire';
import { MongoCommandError, mongoError, toMongoError } from '../errors';
import { compileFilter, distinctValues, findDocs, hasProjection, projectDocs } from '../query';
import { idKeyOf, type Collection } from '../storage/collection';
import { applyUpdate, buildUpsert, isReplacement, validateUpdate, type UpdateSpec } from '../update';
import { collationOf } from '../collation';
import { idFirst, isPlainObject, type Doc } from '../values';
import { letVariables, refuseViewWrite, runPipeline, viewDefinition } from './aggregate';
import {
  collectionName,
  docArg,
  intArg,
  nsOf,
  untilUnlocked,
  viewOf,
  writerOf,
  type CommandContext,
  type CommandHandler,
} from './context';

/** One entry of a write command's `writeErrors`. */
function writeError(index: number, err: unknown): Doc {
  const e = toMongoError(err);
  return { index, code: e.code, errmsg: e.message, ...e.extra };
}

/** Errors that end a whole write command rather than one statement: transient transaction errors. */
function isCommandLevel(err: unknown): boolean {
  return err instanceof MongoCommandError && err.errorLabels.includes('TransientTransactionError');
}

function statementsOf(cmd: Doc, field: string): Doc[] {
  const list = cmd[field];
  const count = Array.isArray(list) ? list.length : 0;
  if (count === 0 || count > MAX_WRITE_BATCH) {
    throw mongoError(
      'InvalidLength',
      `Write batch sizes must be between 1 and ${MAX_WRITE_BATCH}. Got ${count} operations.`,
    );
  }
  if (!(list as unknown[]).every(isPlainObject))
    throw mongoError('TypeMismatch', `${field} must be an array of objects`);
  return list as Doc[];
}

/**
 * The collation a statement runs under: its own, else the collection's default (`create` with
 * `collation`); checked, so a bad one fails even when the collection does not exist.
 */
function collationFor(spec: Doc | undefined, coll: Collection | undefined): Doc | undefined {
  const collation =
    spec ?? (coll && isPlainObject(coll.options.collation) ? coll.options.collation : undefined);
  collationOf(collation);
  return collation;
}

function writeReply(n: number, errors: Doc[], extra: Doc = {}): Doc {
  const reply: Doc = { n, ...extra };
  if (errors.length > 0) reply.writeErrors = errors;
  reply.ok = 1;
  return reply;
}

const insert: CommandHandler = async (cmd, ctx) => {
  const name = collectionName(cmd, 'insert');
  const docs = statementsOf(cmd, 'documents');
  const ordered = cmd.ordered !== false;
  const coll = ctx.engine.ensureCollection(ctx.db, name);
  refuseViewWrite(ctx, coll);
  const writer = writerOf(ctx);
  const errors: Doc[] = [];
  let n = 0;
  for (let i = 0; i < docs.length; i++) {
    const raw = docs[i]!;
    const doc = '_id' in raw ? idFirst(raw) : { _id: new ObjectId(), ...raw };
    try {
      const pending = untilUnlocked(() => writer.insert(coll, doc));
      if (pending) await pending;
      n += 1;
    } catch (err) {
      if (isCommandLevel(err)) throw err;
      errors.push(writeError(i, err));
      if (ordered) break;
    }
  }
  await ctx.engine.durable();
  return writeReply(n, errors);
};

interface UpdateOutcome {
  n: number;
  nModified: number;
  upserted?: unknown;
}

/** Runs one update statement (`{ q, u, upsert, multi, arrayFilters, collation }`). */
async function updateStatement(
  ctx: CommandContext,
  name: string,
  stmt: Doc,
  variables?: Doc,
): Promise<UpdateOutcome> {
  const filter = docArg(stmt, 'q') ?? {};
  const u = stmt.u as UpdateSpec;
  validateUpdate(u);
  const multi = stmt.multi === true;
  if (multi && isReplacement(u))
    throw mongoError('FailedToParse', 'multi update is not supported for replacement-style update');
  const arrayFilters = Array.isArray(stmt.arrayFilters) ? (stmt.arrayFilters as Doc[]) : undefined;
  const coll = ctx.engine.collection(ctx.db, name);
  const collation = collationFor(docArg(stmt, 'collation'), coll);
  const matcher = compileFilter(filter, collation, variables);
  const writer = writerOf(ctx);
  const outcome: UpdateOutcome = { n: 0, nModified: 0 };
  if (coll) {
    const view = viewOf(ctx, coll);
    const targets = findDocs(view, filter, { limit: multi ? undefined : 1, collation, matcher }).map(idKeyOf);
    for (const idKey of targets) {
      // Re-read and re-test each target: an earlier statement or a waited-on transaction may have moved it.
      const step = (): 'gone' | 'same' | 'changed' => {
        const doc = view.get(idKey);
        if (!doc || !matcher.test(doc)) return 'gone';
        const next = applyUpdate(doc, u, { filter, arrayFilters, variables });
        if (!next) return 'same';
        writer.replace(coll, idKey, next);
        return 'changed';
      };
      let result = untilUnlocked(step);
      if (result instanceof Promise) result = await result;
      if (result !== 'gone') outcome.n += 1;
      if (result === 'changed') outcome.nModified += 1;
    }
  }
  if (outcome.n === 0 && stmt.upsert === true) {
    const doc = buildUpsert(filter, u, arrayFilters, variables);
    const target = ctx.engine.ensureCollection(ctx.db, name);
    const pending = untilUnlocked(() => writer.insert(target, doc));
    if (pending) await pending;
    return { n: 1, nModified: 0, upserted: doc._id };
  }
  return outcome;
}

const update: CommandHandler = async (cmd, ctx) => {
  const name = collectionName(cmd, 'update');
  const statements = statementsOf(cmd, 'updates');
  refuseViewWrite(ctx, ctx.engine.collection(ctx.db, name));
  const variables = letVariables(cmd);
  const ordered = cmd.ordered !== false;
  const errors: Doc[] = [];
  const upserted: Doc[] = [];
  let n = 0;
  let nModified = 0;
  for (let i = 0; i < statements.length; i++) {
    try {
      const outcome = await updateStatement(ctx, name, statements[i]!, variables);
      n += outcome.n;
      nModified += outcome.nModified;
      if (outcome.upserted !== undefined) upserted.push({ index: i, _id: outcome.upserted });
    } catch (err) {
      if (isCommandLevel(err)) throw err;
      errors.push(writeError(i, err));
      if (ordered) break;
    }
  }
  await ctx.engine.durable();
  const extra: Doc = { nModified };
  if (upserted.length > 0) extra.upserted = upserted;
  return writeReply(n, errors, extra);
};

const deleteCommand: CommandHandler = async (cmd, ctx) => {
  const name = collectionName(cmd, 'delete');
  const statements = statementsOf(cmd, 'deletes');
  const ordered = cmd.ordered !== false;
  const errors: Doc[] = [];
  const writer = writerOf(ctx);
  const coll = ctx.engine.collection(ctx.db, name);
  refuseViewWrite(ctx, coll);
  const variables = letVariables(cmd);
  let n = 0;
  for (let i = 0; i < statements.length; i++) {
    const stmt = statements[i]!;
    try {
      const filter = docArg(stmt, 'q') ?? {};
      const limit = intArg(stmt, 'limit') ?? 0;
      if (limit !== 0 && limit !== 1)
        throw mongoError('FailedToParse', 'The limit field in delete objects must be 0 or 1');
      const collation = collationFor(docArg(stmt, 'collation'), coll);
      if (!coll) continue;
      const view = viewOf(ctx, coll);
      const matcher = compileFilter(filter, collation, variables);
      const found = findDocs(view, filter, { limit: limit === 1 ? 1 : undefined, collation, matcher });
      const targets = found.map(idKeyOf);
      for (const idKey of targets) {
        const step = () => {
          const doc = view.get(idKey);
          if (!doc || !matcher.test(doc)) return false;
          writer.remove(coll, idKey);
          return true;
        };
        let removed = untilUnlocked(step);
        if (removed instanceof Promise) removed = await removed;
        if (removed) n += 1;
      }
    } catch (err) {
      if (isCommandLevel(err)) throw err;
      errors.push(writeError(i, err));
      if (ordered) break;
    }
  }
  await ctx.engine.durable();
  return writeReply(n, errors);
};

const find: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'find');
  const filter = docArg(cmd, 'filter');
  const limitArg = intArg(cmd, 'limit') ?? 0;
  const skip = intArg(cmd, 'skip') ?? 0;
  if (skip < 0) throw mongoError('BadValue', 'skip value must be non-negative');
  const projection = docArg(cmd, 'projection');
  const sort = docArg(cmd, 'sort');
  const variables = letVariables(cmd);
  const coll = ctx.engine.collection(ctx.db, name);
  let docs: Doc[];
  if (viewDefinition(ctx, name)) {
    // A find on a view is an aggregation of the view's pipeline and the find's own stages.
    const stages: Doc[] = [];
    if (filter && Object.keys(filter).length > 0) stages.push({ $match: filter });
    if (sort && Object.keys(sort).length > 0) stages.push({ $sort: sort });
    if (skip > 0) stages.push({ $skip: skip });
    if (limitArg !== 0) stages.push({ $limit: Math.abs(limitArg) });
    docs = runPipeline(ctx, name, stages, { collation: docArg(cmd, 'collation'), variables });
  } else {
    docs = findDocs(viewOf(ctx, coll), filter, {
      sort,
      skip,
      limit: Math.abs(limitArg),
      collation: collationFor(docArg(cmd, 'collation'), coll),
      variables,
    });
  }
  if (hasProjection(projection)) docs = projectDocs(docs, projection, filter);
  const batchSize = batchSizeOf(cmd.batchSize, DEFAULT_FIRST_BATCH);
  return ctx.cursors.firstBatch(nsOf(ctx, name), docs, batchSize, cmd.singleBatch === true || limitArg < 0);
};

function cursorIdOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof Long) return v.toNumber();
  if (v && typeof v === 'object' && typeof (v as { toNumber?: unknown }).toNumber === 'function') {
    return (v as { toNumber(): number }).toNumber();
  }
  throw mongoError('TypeMismatch', "Field 'getMore' must be of type long");
}

const getMore: CommandHandler = (cmd, ctx) => {
  const id = cursorIdOf(cmd.getMore);
  const name = collectionName(cmd, 'collection');
  return ctx.cursors.getMore(id, nsOf(ctx, name), batchSizeOf(cmd.batchSize, 0));
};

const killCursors: CommandHandler = (cmd, ctx) => {
  collectionName(cmd, 'killCursors');
  const ids = Array.isArray(cmd.cursors) ? cmd.cursors.map(cursorIdOf) : [];
  const { killed, notFound } = ctx.cursors.kill(ids);
  return {
    cursorsKilled: killed.map((id) => Long.fromNumber(id)),
    cursorsNotFound: notFound.map((id) => Long.fromNumber(id)),
    cursorsAlive: [],
    cursorsUnknown: [],
    ok: 1,
  };
};

const findAndModify: CommandHandler = async (cmd, ctx) => {
  const name =
    typeof cmd.findAndModify === 'string'
      ? collectionName(cmd, 'findAndModify')
      : collectionName(cmd, 'findandmodify');
  const query = docArg(cmd, 'query') ?? {};
  const sort = docArg(cmd, 'sort');
  const fields = docArg(cmd, 'fields');
  const remove = cmd.remove === true;
  const returnNew = cmd.new === true;
  const upsert = cmd.upsert === true;
  const u = cmd.update as UpdateSpec | undefined;
  if (remove && u !== undefined)
    throw mongoError('FailedToParse', 'Cannot specify both an update and remove=true');
  if (remove && upsert) throw mongoError('FailedToParse', 'Cannot specify both upsert=true and remove=true');
  if (!remove && u === undefined)
    throw mongoError('FailedToParse', 'Either an update or remove=true must be specified');
  if (u !== undefined) validateUpdate(u);
  const arrayFilters = Array.isArray(cmd.arrayFilters) ? (cmd.arrayFilters as Doc[]) : undefined;
  const writer = writerOf(ctx);
  refuseViewWrite(ctx, ctx.engine.collection(ctx.db, name));
  const variables = letVariables(cmd);
  const collation = collationFor(docArg(cmd, 'collation'), ctx.engine.collection(ctx.db, name));

  const step = (): { value: Doc | null; lastErrorObject: Doc } => {
    const coll: Collection | undefined = ctx.engine.collection(ctx.db, name);
    const [doc] = findDocs(viewOf(ctx, coll), query, { sort, limit: 1, collation, variables });
    if (remove) {
      if (!doc || !coll) return { value: null, lastErrorObject: { n: 0 } };
      writer.remove(coll, idKeyOf(doc));
      return { value: doc, lastErrorObject: { n: 1 } };
    }
    if (doc && coll) {
      const next = applyUpdate(doc, u!, { filter: query, arrayFilters, variables });
      if (next) writer.replace(coll, idKeyOf(doc), next);
      return { value: returnNew ? (next ?? doc) : doc, lastErrorObject: { n: 1, updatedExisting: true } };
    }
    if (upsert) {
      const inserted = buildUpsert(query, u!, arrayFilters, variables);
      writer.insert(ctx.engine.ensureCollection(ctx.db, name), inserted);
      return {
        value: returnNew ? inserted : null,
        lastErrorObject: { n: 1, updatedExisting: false, upserted: inserted._id },
      };
    }
    return { value: null, lastErrorObject: { n: 0, updatedExisting: false } };
  };

  let result = untilUnlocked(step);
  if (result instanceof Promise) result = await result;
  await ctx.engine.durable();
  let value = result.value;
  if (value && hasProjection(fields)) value = projectDocs([value], fields, query)[0] ?? null;
  return { lastErrorObject: result.lastErrorObject, value, ok: 1 };
};

const count: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'count');
  const query = docArg(cmd, 'query');
  const skip = intArg(cmd, 'skip') ?? 0;
  const limit = Math.abs(intArg(cmd, 'limit') ?? 0);
  const coll = ctx.engine.collection(ctx.db, name);
  let n: number;
  if (viewDefinition(ctx, name)) {
    const stages = query && Object.keys(query).length > 0 ? [{ $match: query }] : [];
    n = runPipeline(ctx, name, stages, { collation: docArg(cmd, 'collation') }).length;
  } else if (!ctx.txn && coll && (!query || Object.keys(query).length === 0)) {
    collationFor(docArg(cmd, 'collation'), coll);
    n = coll.docs.size;
  } else {
    n = findDocs(viewOf(ctx, coll), query, {
      collation: collationFor(docArg(cmd, 'collation'), coll),
    }).length;
  }
  n = Math.max(0, n - skip);
  if (limit > 0) n = Math.min(n, limit);
  return { n, ok: 1 };
};

const distinct: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'distinct');
  const key = cmd.key;
  if (typeof key !== 'string')
    throw mongoError('TypeMismatch', "BSON field 'distinct.key' is missing but a required field");
  const coll = ctx.engine.collection(ctx.db, name);
  const query = docArg(cmd, 'query');
  const definition = viewDefinition(ctx, name);
  if (definition) {
    const collation = docArg(cmd, 'collation') ?? definition.collation;
    const stages = query && Object.keys(query).length > 0 ? [{ $match: query }] : [];
    const docs = runPipeline(ctx, name, stages, { collation });
    return { values: distinctValues(docs, key, collation), ok: 1 };
  }
  const collation = collationFor(docArg(cmd, 'collation'), coll);
  const docs = findDocs(viewOf(ctx, coll), query, { collation });
  return { values: distinctValues(docs, key, collation), ok: 1 };
};

/** Handlers by command name. */
export const crudCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: deleteCommand,
  find,
  getMore,
  killCursors,
  findAndModify,
  findandmodify: findAndModify,
  count,
  distinct,
};
