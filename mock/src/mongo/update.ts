/**
 * Applying one update specification to one document: operator updates (every operator mingo's updater
 * knows, plus `$setOnInsert`), replacement documents and aggregation-pipeline updates, with MongoDB's
 * rules about `_id` and its error codes. Works on a copy; stored documents are never mutated.
 */
import { ObjectId } from 'bson';
import { Aggregator } from 'mingo';
import { updateOne } from 'mingo/updater';
import { MingoError } from 'mingo/util';
import { MongoCommandError, mongoError } from './errors';
import { cloneDoc, idFirst, isPlainObject, keyOf, setPath, type Doc } from './values';

// The stages MongoDB allows in an update pipeline.
const PIPELINE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

const OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$addToSet',
  '$pull',
  '$pullAll',
  '$pop',
  '$bit',
  '$currentDate',
  '$setOnInsert',
]);

/** The kinds of update documents MongoDB accepts. */
export type UpdateSpec = Doc | Doc[];

/** True when `u` replaces the whole document rather than applying operators. */
export function isReplacement(u: UpdateSpec): boolean {
  return !Array.isArray(u) && Object.keys(u).every((k) => !k.startsWith('$'));
}

/** Rejects malformed update documents before any document is touched. */
export function validateUpdate(u: unknown): asserts u is UpdateSpec {
  if (Array.isArray(u)) {
    for (const stage of u) {
      const name = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
      if (!name || !PIPELINE_STAGES.has(name)) {
        throw mongoError(
          'InvalidOptions',
          `${name ?? 'A non-object stage'} is not allowed to be used within an update`,
        );
      }
    }
    return;
  }
  if (!isPlainObject(u))
    throw mongoError('FailedToParse', 'Update argument must be either an object or an array');
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length > 0 && ops.length !== keys.length) {
    throw mongoError(
      'FailedToParse',
      `Unknown modifier: ${keys.find((k) => !k.startsWith('$'))}. Expected a valid update modifier or pipeline-style update specified as an array`,
    );
  }
  for (const op of ops) {
    if (!OPERATORS.has(op)) {
      throw mongoError(
        'FailedToParse',
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (!isPlainObject(u[op]))
      throw mongoError(
        'FailedToParse',
        `Modifiers operate on fields but we found type ${typeof u[op]} instead.`,
      );
  }
}

function hasPositional(u: Doc): boolean {
  return Object.values(u).some(
    (fields) => isPlainObject(fields) && Object.keys(fields).some((p) => /(^|\.)\$(\.|$)/.test(p)),
  );
}

function translateMingoError(err: unknown): never {
  if (err instanceof MongoCommandError) throw err;
  const message = err instanceof Error ? err.message : String(err);
  if (/immutable field '_id'/.test(message)) throw immutableId();
  if (/conflict/i.test(message)) throw mongoError('ConflictingUpdateOperators', message);
  if (err instanceof MingoError) throw mongoError('BadValue', message);
  throw err;
}

/**
 * Returns the updated copy of `doc`, or null when the update changes nothing. `filter` serves the
 * positional `$` operator; `inserting` applies `$setOnInsert` (upserts).
 */
export function applyUpdate(
  doc: Doc,
  u: UpdateSpec,
  options: { filter?: Doc; arrayFilters?: Doc[]; inserting?: boolean; variables?: Doc } = {},
): Doc | null {
  if (isReplacement(u)) {
    const replacement = u as Doc;
    if ('_id' in replacement && keyOf(replacement._id) !== keyOf(doc._id)) throw immutableId();
    const next = idFirst({ _id: doc._id, ...replacement });
    return keyOf(next) === keyOf(doc) ? null : next;
  }
  if (Array.isArray(u)) return applyPipeline(doc, cloneDoc(doc), u, options.variables);
  // Also for an upsert's insert: a lone `$set` has no `$setOnInsert` to merge.
  const quick = applyTopLevelSet(doc, u);
  if (quick !== undefined) return quick;
  const { $setOnInsert, ...rest } = u;
  let modifier: Doc = rest;
  let idFromInsert = false;
  if (options.inserting && isPlainObject($setOnInsert)) {
    // An upsert may name the new document's _id in $setOnInsert (MongoDB allows it, as long as it
    // agrees with an _id the filter already fixed); mingo's updater would call that an _id change.
    const { _id: insertId, ...onInsert } = $setOnInsert;
    if (insertId !== undefined) {
      if ('_id' in doc && keyOf(doc._id) !== keyOf(insertId)) throw immutableId();
      idFromInsert = !('_id' in doc);
      doc = { ...doc, _id: cloneDoc(insertId) };
    }
    const $set = { ...(rest.$set as Doc | undefined), ...onInsert };
    modifier = Object.keys($set).length > 0 ? { ...rest, $set } : rest;
  }
  const copy = cloneDoc(doc);
  if (Object.keys(modifier).length === 0) return idFromInsert ? idFirst(copy) : null;
  const docs = [copy];
  let modified: number;
  try {
    const condition = options.filter && hasPositional(u) ? options.filter : {};
    const result = updateOne(docs, condition, modifier as never, {
      arrayFilters: options.arrayFilters,
      cloneMode: 'copy',
    });
    modified = result.modifiedCount;
    if (result.matchedCount === 0 && Object.keys(condition).length > 0) {
      throw mongoError('BadValue', 'The positional operator did not find the match needed from the query.');
    }
  } catch (err) {
    translateMingoError(err);
  }
  if (modified === 0) return idFromInsert ? idFirst(copy) : null;
  const next = docs[0]!;
  if (keyOf(next._id) !== keyOf(doc._id)) throw immutableId();
  return idFirst(next);
}

/**
 * `{ $set: { a: 1, b: 'x' } }` on top-level fields other than `_id`, the most common update, without
 * mingo's updater (which builds an operator context per call): existing fields keep their place, new
 * ones go last, and setting a field to an equal value is no change. Undefined for any other update.
 */
function applyTopLevelSet(doc: Doc, u: UpdateSpec): Doc | null | undefined {
  const keys = Object.keys(u);
  if (keys.length !== 1 || keys[0] !== '$set') return undefined;
  const set = (u as Doc).$set;
  if (!isPlainObject(set)) return undefined;
  const fields = Object.keys(set);
  if (
    fields.length === 0 ||
    fields.some((f) => f === '' || f === '_id' || f.includes('.') || f.startsWith('$'))
  )
    return undefined;
  let changed = false;
  for (const f of fields) {
    if (!(f in doc) || keyOf(doc[f]) !== keyOf(set[f]) || typeOf(doc[f]) !== typeOf(set[f])) changed = true;
  }
  if (!changed) return null;
  const next = cloneDoc(doc);
  for (const f of fields) next[f] = cloneDoc(set[f]);
  return idFirst(next);
}

// keyOf calls null and missing, and numbers of any width, equal; a change between those is a change.
function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object')
    return (v as { _bsontype?: string })._bsontype ?? (Array.isArray(v) ? 'array' : 'object');
  return typeof v;
}

// Pipeline updates run through the full aggregation context: mingo's updater only knows a few
// expression operators. `variables` are the command's `let` values.
function applyPipeline(doc: Doc, copy: Doc, stages: Doc[], variables?: Doc): Doc | null {
  let next: Doc | undefined;
  try {
    next = new Aggregator(stages, { scriptEnabled: false, ...(variables ? { variables } : {}) }).run([
      copy,
    ])[0] as Doc | undefined;
  } catch (err) {
    translateMingoError(err);
  }
  if (!next) throw mongoError('BadValue', 'the update pipeline removed the document');
  // A $replaceRoot / $replaceWith that leaves `_id` out keeps the old one, as on MongoDB.
  if (!('_id' in next) && '_id' in doc) next = { _id: doc._id, ...next };
  if (keyOf(next._id) !== keyOf(doc._id)) throw immutableId();
  const ordered = idFirst(next);
  return keyOf(ordered) === keyOf(doc) ? null : ordered;
}

function immutableId(): MongoCommandError {
  return mongoError(
    'ImmutableField',
    "Performing an update on the path '_id' would modify the immutable field '_id'",
  );
}

/**
 * The document an upsert starts from: the filter's equality conditions (`{ a: 1 }`, `{ a: { $eq: 1 } }`,
 * inside top-level `$and`), then the update applied with `$setOnInsert`.
 */
export function buildUpsert(filter: Doc, u: UpdateSpec, arrayFilters?: Doc[], variables?: Doc): Doc {
  const seed: Doc = {};
  collectEqualities(filter, seed);
  let doc: Doc;
  if (isReplacement(u)) {
    const replacement = u as Doc;
    doc = { ...replacement };
    if (!('_id' in doc) && '_id' in seed) doc._id = seed._id;
  } else {
    doc = applyUpdate(seed, u, { arrayFilters, inserting: true, variables }) ?? seed;
  }
  if (!('_id' in doc) || doc._id === undefined) doc = { _id: new ObjectId(), ...doc };
  return idFirst(doc);
}

function collectEqualities(filter: Doc, seed: Doc): void {
  for (const [field, cond] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(cond)) {
      for (const part of cond) if (isPlainObject(part)) collectEqualities(part, seed);
      continue;
    }
    if (field.startsWith('$')) continue;
    if (isPlainObject(cond)) {
      const keys = Object.keys(cond);
      if (keys.length > 0 && keys.every((k) => k.startsWith('$'))) {
        if (keys.length === 1 && keys[0] === '$eq') setPath(seed, field, cloneDoc(cond.$eq));
        continue;
      }
    }
    setPath(seed, field, cloneDoc(cond));
  }
}
