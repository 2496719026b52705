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
import { checkPipelineUnderCollation, collationOf } from '../collation';
import { compileFilter, findDocs } from '../query';
import { duplicateKeyError, idKeyOf, type Collection } from '../storage/collection';
import { cloneDoc, idFirst, isPlainObject, type Doc } from '../values';
import {
  docArg,
  nsOf,
  untilUnlocked,
  viewOf,
  writerOf,
  type CommandContext,
  type CommandHandler,
} from './context';
import { serverStateSource } from './admin';

function translate(err: unknown): never {
  if (err instanceof MongoCommandError) throw err;
  const message = err instanceof Error ? err.message : String(err);
  const stage = /(?:unknown|unregistered) pipeline operator:? '?(\$\w+)/i.exec(message);
  if (stage) throw mongoError('Location40324', `Unrecognized pipeline stage name: '${stage[1]}'`);
  if (err instanceof MingoError) throw mongoError('BadValue', message);
  throw err;
}

function readAll(ctx: CommandContext, name: string, variables?: Doc): Doc[] {
  if (viewDefinition(ctx, name)) return runPipeline(ctx, name, [], { variables });
  return [...viewOf(ctx, ctx.engine.collection(ctx.db, name)).all()];
}

/** A view's source collection and the pipeline that makes it (views on views flattened). */
export interface ViewDefinition {
  source: string;
  pipeline: Doc[];
  collation?: Doc;
}

/** The definition of `name` when it is a view (created with `viewOn`), else null. */
export function viewDefinition(ctx: CommandContext, name: string): ViewDefinition | null {
  let coll = ctx.engine.collection(ctx.db, name);
  if (!coll || typeof coll.options.viewOn !== 'string') return null;
  const collation = isPlainObject(coll.options.collation) ? coll.options.collation : undefined;
  const pipeline: Doc[] = [];
  let source = name;
  for (let depth = 0; coll && typeof coll.options.viewOn === 'string'; depth++) {
    if (depth >= 20) throw mongoError('BadValue', `View depth too deep or view cycle detected at ${source}`);
    const stages = Array.isArray(coll.options.pipeline) ? (coll.options.pipeline as Doc[]) : [];
    pipeline.unshift(...stages);
    source = coll.options.viewOn;
    coll = ctx.engine.collection(ctx.db, source);
  }
  return { source, pipeline, ...(collation ? { collation } : {}) };
}

/** Refuses a write to a view, as MongoDB does. */
export function refuseViewWrite(ctx: CommandContext, coll: Collection | undefined): void {
  if (coll && typeof coll.options.viewOn === 'string')
    throw mongoError('CommandNotSupportedOnView', `Namespace ${coll.ns} is a view, not a collection`);
}

/** Checks a `create` command's view options (`viewOn`, `pipeline`) before the view is stored. */
export function validateViewOptions(cmd: Doc): void {
  if (typeof cmd.viewOn !== 'string' || cmd.viewOn === '')
    throw mongoError('TypeMismatch', "BSON field 'create.viewOn' is the wrong type, expected type 'string'");
  const pipeline = cmd.pipeline ?? [];
  if (!Array.isArray(pipeline) || !pipeline.every(isPlainObject))
    throw mongoError('TypeMismatch', "BSON field 'create.pipeline' is the wrong type, expected type 'array'");
  for (const stage of pipeline as Doc[]) {
    const name = Object.keys(stage)[0];
    if (name === '$out' || name === '$merge')
      throw mongoError('BadValue', `${name} cannot be used in a view definition`);
  }
}

/** How one pipeline run compares strings and which `let` variables it sees. */
export interface PipelineOptions {
  collation?: Doc;
  variables?: Doc;
}

/**
 * Runs `stages` over a collection or view (`1`: no input), without `$out` / `$merge`. A view's pipeline
 * runs first. Under a non-simple collation `$match` stages are matched by collation.ts, `$sort` by mingo
 * with the collation, and stages that would compare strings without it are refused.
 */
export function runPipeline(
  ctx: CommandContext,
  source: string | 1,
  pipeline: Doc[],
  options: PipelineOptions = {},
): Doc[] {
  let stages = pipeline;
  let collation = options.collation;
  const { variables } = options;
  let input: Doc[] = [];
  if (typeof source === 'string') {
    const definition = viewDefinition(ctx, source);
    if (definition) {
      source = definition.source;
      stages = [...definition.pipeline, ...stages];
      collation ??= definition.collation;
    }
  }
  const collated = collationOf(collation);
  if (collated) checkPipelineUnderCollation(stages);
  if (typeof source === 'string') {
    const coll = ctx.engine.collection(ctx.db, source);
    if (!collation && coll && isPlainObject(coll.options.collation)) {
      collation = coll.options.collation;
      if (collationOf(collation)) checkPipelineUnderCollation(stages);
    }
    const view = viewOf(ctx, coll);
    // A leading $match is answered from the indexes before anything is copied.
    const first = stages[0];
    if (first && isPlainObject(first.$match) && Object.keys(first).length === 1) {
      input = findDocs(view, first.$match, { collation, variables });
      stages = stages.slice(1);
    } else {
      input = [...view.all()];
    }
  }
  ({ input, stages } = serverStateSource(ctx, source, input, stages));
  const mingoCollation = collationOf(collation)?.mingo;
  // Under a collation, $match stages are matched here, the stages between them by mingo.
  const segments: Doc[][] = [[]];
  for (const stage of stages) {
    if (mingoCollation && '$match' in stage) segments.push([stage], []);
    else segments.at(-1)!.push(stage);
  }
  let docs = input;
  let copied = false;
  try {
    for (const segment of segments) {
      if (segment.length === 0) continue;
      const match = mingoCollation && segment.length === 1 ? segment[0]!.$match : undefined;
      if (match !== undefined) {
        if (!isPlainObject(match)) throw mongoError('BadValue', '$match argument must be an object');
        const matcher = compileFilter(match, collation, variables);
        docs = docs.filter((d) => matcher.test(d));
        continue;
      }
      const aggregator = new Aggregator(segment, {
        // The input holds stored documents, which stages such as $set would otherwise edit in place.
        processingMode: copied ? ProcessingMode.CLONE_OFF : ProcessingMode.CLONE_INPUT,
        scriptEnabled: false,
        collectionResolver: (name: string) => readAll(ctx, name, variables).map((d) => cloneDoc(d)),
        ...(mingoCollation ? { collation: mingoCollation as never } : {}),
        ...(variables ? { variables } : {}),
      });
      docs = aggregator.run(docs) as Doc[];
      copied = true;
    }
  } catch (err) {
    translate(err);
  }
  // Stored documents that passed untouched (a pipeline of $match only) are handed out as they are.
  return docs.map(idFirst);
}

/**
 * A command's `let` option evaluated once into the values of its `$$` variables (MongoDB evaluates each
 * expression before the command runs); undefined without one.
 */
export function letVariables(cmd: Doc): Doc | undefined {
  const spec = cmd.let;
  if (spec === undefined || spec === null) return undefined;
  if (!isPlainObject(spec))
    throw mongoError('TypeMismatch', "BSON field 'let' is the wrong type, expected type 'object'");
  if (Object.keys(spec).length === 0) return undefined;
  for (const name of Object.keys(spec)) {
    if (!/^[a-z\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*$/.test(name))
      throw mongoError(
        'FailedToParse',
        `'${name}' starts with an invalid character for a user variable name`,
      );
  }
  try {
    const [values] = new Aggregator([{ $replaceWith: { $literal: {} } }, { $replaceWith: spec }], {
      scriptEnabled: false,
    }).run([{}]) as Doc[];
    return values ?? {};
  } catch (err) {
    translate(err);
  }
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
  refuseViewWrite(ctx, coll);
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
  refuseViewWrite(ctx, coll);
  const writer = writerOf(ctx);
  for (const raw of docs) {
    const doc = '_id' in raw ? idFirst(raw) : { _id: new ObjectId(), ...raw };
    const step = () => {
      const idKey = idKeyOf(doc);
      const existing = viewOf(ctx, coll).get(idKey);
      if (existing) {
        if (whenMatched === 'keepExisting') return;
        if (whenMatched === 'fail') throw duplicateKeyError(coll.ns, coll.indexes.get('_id_')!, [doc._id]);
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
  collationOf(collation);
  const variables = letVariables(cmd);
  let stages = pipeline as Doc[];
  const last = stages.at(-1);
  const out = last && ('$out' in last || '$merge' in last) ? last : undefined;
  if (out) stages = stages.slice(0, -1);

  let ns = `${ctx.db}.$cmd.aggregate`;
  if (typeof source === 'string') ns = nsOf(ctx, source);
  else if (source !== 1) {
    throw mongoError(
      'InvalidNamespace',
      'aggregate must name a collection or be 1 for a collection-less aggregate',
    );
  }
  let results = runPipeline(ctx, source, stages, { collation, variables });

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
