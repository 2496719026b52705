/**
 * `aggregate` with every stage mingo provides, cursor replies, `$lookup`-style stages reading the same
 * database, and `$out` / `$merge` writing through the storage engine (so they are indexed, unique-checked
 * and journaled like any other write).
 */
import { ObjectId } from 'bson';
import { Aggregator, ProcessingMode } from 'mingo';
import { MingoError } from 'mingo/util';
import { batchSizeOf, DEFAULT_FIRST_BATCH } from '../cursors';
import { MongoCommandError, mongoError } from '../errors';
import { findDocs } from '../query';
import { idKeyOf } from '../storage/collection';
import { cloneDoc, idFirst, isPlainObject, keyOf, type Doc } from '../values';
import {
  docArg,
  nsOf,
  untilUnlocked,
  viewOf,
  writerOf,
  type CommandContext,
  type CommandHandler,
} from './context';

function translate(err: unknown): never {
  if (err instanceof MongoCommandError) throw err;
  const message = err instanceof Error ? err.message : String(err);
  const stage = /(?:unknown|unregistered) pipeline operator:? '?(\$\w+)/i.exec(message);
  if (stage) throw mongoError('Location40324', `Unrecognized pipeline stage name: '${stage[1]}'`);
  if (err instanceof MingoError) throw mongoError('BadValue', message);
  throw err;
}

function readAll(ctx: CommandContext, name: string): Doc[] {
  return [...viewOf(ctx, ctx.engine.collection(ctx.db, name)).all()];
}

function targetName(spec: unknown, db: string): string {
  if (typeof spec === 'string') return spec;
  if (isPlainObject(spec) && typeof spec.coll === 'string') {
    if (spec.db !== undefined && spec.db !== db)
      throw mongoError('IllegalOperation', 'writing to another database is not supported');
    return spec.coll;
  }
  throw mongoError('FailedToParse', 'the target of $out / $merge must be a collection name');
}

async function writeOut(ctx: CommandContext, name: string, docs: Doc[]): Promise<void> {
  // $out replaces the whole collection; indexes of an existing target stay, as on MongoDB.
  const coll = ctx.engine.ensureCollection(ctx.db, name);
  for (const idKey of [...coll.docs.keys()]) {
    const pending = untilUnlocked(() => ctx.engine.remove(coll, idKey));
    if (pending) await pending;
  }
  for (const raw of docs) {
    const doc = '_id' in raw ? idFirst(raw) : { _id: new ObjectId(), ...raw };
    const pending = untilUnlocked(() => ctx.engine.insert(coll, doc));
    if (pending) await pending;
  }
}

async function writeMerge(ctx: CommandContext, spec: Doc, docs: Doc[]): Promise<void> {
  const name = targetName(spec.into, ctx.db);
  const on = spec.on ?? '_id';
  if (on !== '_id') throw mongoError('IllegalOperation', "$merge is supported with on: '_id' only");
  const whenMatched = spec.whenMatched ?? 'merge';
  const whenNotMatched = spec.whenNotMatched ?? 'insert';
  const coll = ctx.engine.ensureCollection(ctx.db, name);
  const writer = writerOf(ctx);
  for (const raw of docs) {
    const doc = '_id' in raw ? idFirst(raw) : { _id: new ObjectId(), ...raw };
    const step = () => {
      const idKey = idKeyOf(doc);
      const existing = viewOf(ctx, coll).get(idKey);
      if (existing) {
        if (whenMatched === 'keepExisting') return;
        if (whenMatched === 'fail')
          throw mongoError('DuplicateKey', `$merge found a document with _id ${keyOf(doc._id)}`);
        const next = whenMatched === 'replace' ? doc : idFirst({ ...existing, ...doc });
        writer.replace(coll, idKey, next);
        return;
      }
      if (whenNotMatched === 'discard') return;
      if (whenNotMatched === 'fail')
        throw mongoError(
          'OperationFailed',
          '$merge could not find a matching document in the target collection',
        );
      writer.insert(coll, doc);
    };
    const pending = untilUnlocked(step);
    if (pending) await pending;
  }
}

const aggregate: CommandHandler = async (cmd, ctx) => {
  const source = cmd.aggregate;
  const pipeline = cmd.pipeline;
  if (!Array.isArray(pipeline) || !pipeline.every(isPlainObject)) {
    throw mongoError('TypeMismatch', "'pipeline' option must be specified as an array");
  }
  if (!isPlainObject(cmd.cursor) && cmd.explain !== true) {
    throw mongoError(
      'FailedToParse',
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }
  if (cmd.explain === true)
    throw mongoError('CommandNotSupported', 'explain is not supported by the local server');
  const collation = docArg(cmd, 'collation');
  let stages = pipeline as Doc[];
  const last = stages.at(-1);
  const out = last && ('$out' in last || '$merge' in last) ? last : undefined;
  if (out) stages = stages.slice(0, -1);

  let input: Doc[] = [];
  let ns = `${ctx.db}.$cmd.aggregate`;
  if (typeof source === 'string') {
    ns = nsOf(ctx, source);
    const view = viewOf(ctx, ctx.engine.collection(ctx.db, source));
    // A leading $match is answered from the indexes before anything is copied.
    const first = stages[0];
    if (first && isPlainObject(first.$match) && Object.keys(first).length === 1) {
      input = findDocs(view, first.$match, { collation });
      stages = stages.slice(1);
    } else {
      input = [...view.all()];
    }
  } else if (source !== 1) {
    throw mongoError(
      'InvalidNamespace',
      'aggregate must name a collection or be 1 for a collection-less aggregate',
    );
  }

  let results: Doc[];
  try {
    const aggregator = new Aggregator(stages, {
      // The input holds stored documents, which stages such as $set would otherwise edit in place.
      processingMode: ProcessingMode.CLONE_INPUT,
      scriptEnabled: false,
      collectionResolver: (name: string) => readAll(ctx, name).map((d) => cloneDoc(d)),
      ...(collation && collation.locale !== 'simple' ? { collation: collation as never } : {}),
      ...(isPlainObject(cmd.let) ? { variables: cmd.let } : {}),
    });
    results = (aggregator.run(input) as Doc[]).map(idFirst);
  } catch (err) {
    translate(err);
  }

  if (out) {
    if (ctx.txn && '$out' in out)
      throw mongoError('OperationNotSupportedInTransaction', '$out cannot be used in a transaction');
    if ('$out' in out) await writeOut(ctx, targetName(out.$out, ctx.db), results);
    else if (isPlainObject(out.$merge) || typeof out.$merge === 'string') {
      await writeMerge(ctx, isPlainObject(out.$merge) ? out.$merge : { into: out.$merge }, results);
    }
    await ctx.engine.durable();
    results = [];
  }
  const cursor = isPlainObject(cmd.cursor) ? cmd.cursor : {};
  return ctx.cursors.firstBatch(ns, results, batchSizeOf(cursor.batchSize, DEFAULT_FIRST_BATCH));
};

/** Handlers by command name. */
export const aggregateCommands: Record<string, CommandHandler> = { aggregate };
