/**
 * Reading documents: matching with mingo's query language, MongoDB's sort order (arrays sort by their
 * smallest element ascending and largest descending, missing as null), skip/limit, and find projection.
 */
import { Query } from 'mingo';
import { compare } from 'mingo/util';
import { collatedEqualValues, collatedCompare, collationOf, compileCollated, hasString } from './collation';
import { mongoError } from './errors';
import type { ReadView } from './storage/view';
import { cloneDoc, idFirst, isPlainObject, keyOf, valuesAtPath, type Doc } from './values';

/** Something that says whether a document matches a filter. */
export interface Matcher {
  test(doc: Doc): boolean;
}

const MATCH_ALL: Matcher = { test: () => true };

// Scalars whose equality MongoDB decides by value alone (no null/missing, array or regex subtleties).
function isSimpleScalar(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return !Number.isNaN(v);
    case 'object': {
      if (v instanceof Date) return true;
      const type = v === null ? undefined : (v as { _bsontype?: unknown })._bsontype;
      return type === 'ObjectId' || type === 'Binary';
    }
    default:
      return false;
  }
}

function wantedKeys(cond: unknown): Set<string> | null {
  if (isSimpleScalar(cond)) return new Set([keyOf(cond)]);
  if (!isPlainObject(cond)) return null;
  const ops = Object.keys(cond);
  if (ops.length !== 1) return null;
  if (ops[0] === '$eq' && isSimpleScalar(cond.$eq)) return new Set([keyOf(cond.$eq)]);
  if (ops[0] === '$in' && Array.isArray(cond.$in) && cond.$in.every(isSimpleScalar))
    return new Set(cond.$in.map(keyOf));
  return null;
}

const RANGE_OPS = new Set(['$lt', '$lte', '$gt', '$gte']);

/**
 * A range condition on a top-level field (`{ $lt: 5 }`, `{ $gte: date, $lt: date }`) whose bounds are all
 * numbers or all dates, as a test of that field's value; null for any other condition. `undecided` is
 * answered for values MongoDB would compare in ways this test does not model (arrays, NaN, BSON number
 * objects): the caller asks mingo about those.
 */
function rangeTest(field: string, cond: unknown): ((v: unknown) => boolean | 'undecided') | null {
  if (field.includes('.') || !isPlainObject(cond)) return null;
  const ops = Object.entries(cond);
  if (ops.length === 0 || !ops.every(([op]) => RANGE_OPS.has(op))) return null;
  const numbers = ops.every(([, b]) => typeof b === 'number' && !Number.isNaN(b));
  const dates = ops.every(([, b]) => b instanceof Date && !Number.isNaN(b.getTime()));
  if (!numbers && !dates) return null;
  const bounds = ops.map(([op, b]) => [op, numbers ? (b as number) : (b as Date).getTime()] as const);
  return (v) => {
    let x: number;
    if (numbers && typeof v === 'number') {
      if (Number.isNaN(v)) return 'undecided';
      x = v;
    } else if (dates && v instanceof Date) {
      x = v.getTime();
    } else if (Array.isArray(v) || (typeof v === 'object' && v !== null && !(v instanceof Date))) {
      return 'undecided';
    } else {
      // Comparisons only match within one type bracket: null, missing, strings, booleans never match here.
      return false;
    }
    return bounds.every(([op, b]) =>
      op === '$lt' ? x < b : op === '$lte' ? x <= b : op === '$gt' ? x > b : x >= b,
    );
  };
}

/**
 * Filters of plain equality (`{ field: scalar }`, `$eq`, `$in`), the most common kind, matched by value
 * keys without building a mingo query: a field matches when it, or an element of the array it is, has
 * a wanted key. Also exact for binary data, which mingo would compare as decoded text. Number and date
 * ranges on top-level fields join them (a conditional update's `{ _id, seq: { $lt: n } }`); a document
 * whose value such a range cannot decide is matched by mingo, compiled only then.
 */
function equalityMatcher(filter: Doc): Matcher | null {
  const entries = Object.entries(filter);
  if (entries.length > 4) return null;
  const wanted: [field: string, keys: Set<string>, topLevel: boolean][] = [];
  const ranges: [string, (v: unknown) => boolean | 'undecided'][] = [];
  for (const [field, cond] of entries) {
    if (field.startsWith('$')) return null;
    const keys = wantedKeys(cond);
    if (keys) {
      wanted.push([field, keys, !field.includes('.') && field !== '__proto__']);
      continue;
    }
    const range = rangeTest(field, cond);
    if (!range) return null;
    ranges.push([field, range]);
  }
  let full: Matcher | undefined;
  return {
    test: (doc) => {
      for (const [field, keys, topLevel] of wanted) {
        if (topLevel) {
          // A top-level field that is not an array has one value: no path walk, no array of values.
          const v = doc[field];
          if (!Array.isArray(v)) {
            if (!keys.has(keyOf(v))) return false;
            continue;
          }
        }
        if (!valuesAtPath(doc, field).some((v) => keys.has(keyOf(v)))) return false;
      }
      for (const [field, range] of ranges) {
        const decided = range(doc[field]);
        if (decided === 'undecided') return (full ??= new Query(filter, { scriptEnabled: false })).test(doc);
        if (!decided) return false;
      }
      return true;
    },
  };
}

/**
 * Compiles a filter once for many documents. Under a non-simple collation, filters that compare strings
 * are matched by collation.ts; `variables` are the command's `let` values, for `$expr`.
 */
export function compileFilter(filter: unknown, collation?: Doc, variables?: Doc): Matcher {
  if (filter === undefined || filter === null) return MATCH_ALL;
  if (!isPlainObject(filter)) throw mongoError('TypeMismatch', 'filter must be an object');
  const collated = collationOf(collation);
  if (Object.keys(filter).length === 0) return MATCH_ALL;
  if (collated && hasString(filter)) {
    try {
      return { test: compileCollated(collated, filter, variables) };
    } catch (err) {
      throw unknownOperator(err);
    }
  }
  const fast = variables ? null : equalityMatcher(filter);
  if (fast) return fast;
  try {
    return new Query(filter, { scriptEnabled: false, ...(variables ? { variables } : {}) });
  } catch (err) {
    throw unknownOperator(err);
  }
}

function unknownOperator(err: unknown): unknown {
  const unknown = /unknown query operator:? ?'?(\$\w+)/i.exec(err instanceof Error ? err.message : '');
  return unknown ? mongoError('BadValue', `unknown operator: ${unknown[1]}`) : err;
}

/** How `find`-like reads order, page and shape their results. */
export interface ReadOptions {
  sort?: Doc;
  skip?: number;
  limit?: number;
  collation?: Doc;
  /** The command's `let` values. */
  variables?: Doc;
  /** `compileFilter(filter, collation, variables)` when the caller has compiled it already. */
  matcher?: Matcher;
}

/** Matching stored documents (not copies) in result order. */
export function findDocs(view: ReadView, filter: Doc | undefined, options: ReadOptions = {}): Doc[] {
  const matcher = options.matcher ?? compileFilter(filter, options.collation, options.variables);
  const skip = options.skip ?? 0;
  const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
  const sort = options.sort && Object.keys(options.sort).length > 0 ? options.sort : undefined;
  const out: Doc[] = [];
  // Index entries hold binary keys: a collated match on strings may be any document.
  const collatedStrings =
    filter !== undefined && collationOf(options.collation) !== null && hasString(filter);
  const candidates = filter && !collatedStrings ? view.candidates(filter) : view.all();
  if (!sort || isNaturalAscending(sort)) {
    let skipped = 0;
    for (const doc of candidates) {
      if (!matcher.test(doc)) continue;
      if (skipped < skip) {
        skipped += 1;
        continue;
      }
      out.push(doc);
      if (out.length >= limit) break;
    }
    return out;
  }
  for (const doc of candidates) if (matcher.test(doc)) out.push(doc);
  if (sort.$natural === -1) out.reverse();
  else sortDocs(out, sort, options.collation);
  return out.slice(skip, limit === Infinity ? undefined : skip + limit);
}

function isNaturalAscending(sort: Doc): boolean {
  const keys = Object.keys(sort);
  return keys.length === 1 && keys[0] === '$natural' && sort.$natural !== -1;
}

/** Sorts in place in MongoDB's order for a sort specification such as `{ seq: -1, _id: 1 }`. */
export function sortDocs(docs: Doc[], sort: Doc, collation?: Doc): void {
  const collated = collationOf(collation);
  const cmp = (a: unknown, b: unknown): number => {
    if (collated) return collatedCompare(collated, a, b);
    return compare(a === undefined ? null : a, b === undefined ? null : b);
  };
  const fields = Object.entries(sort)
    .filter(([, dir]) => typeof dir === 'number' || dir === 'asc' || dir === 'desc')
    .map(([path, dir]) => ({ path, dir: dir === -1 || dir === 'desc' ? -1 : 1 }));
  for (const { dir } of fields)
    if (dir !== 1 && dir !== -1) throw mongoError('BadValue', 'bad sort specification');
  const keyed = docs.map((doc) => ({
    doc,
    keys: fields.map(({ path, dir }) => {
      const values = valuesAtPath(doc, path);
      if (values.length === 1) return values[0];
      // Arrays sort by their smallest element ascending and their largest descending.
      return values.reduce((best, v) => (cmp(v, best) * dir < 0 ? v : best));
    }),
  }));
  keyed.sort((a, b) => {
    for (let i = 0; i < fields.length; i++) {
      const c = cmp(a.keys[i], b.keys[i]);
      if (c !== 0) return c * fields[i]!.dir;
    }
    return 0;
  });
  keyed.forEach((k, i) => (docs[i] = k.doc));
}

/** True when a projection would change documents (an empty one returns them whole). */
export function hasProjection(projection: unknown): projection is Doc {
  return isPlainObject(projection) && Object.keys(projection).length > 0;
}

/**
 * A projection that only includes or only excludes top-level fields (`{ a: 1, b: 1 }`, `{ a: 1, _id: 0 }`,
 * `{ a: 0 }`, `{ _id: 0 }`), as a function building the projected document; null for anything else
 * (dotted paths, operators, other values, or an `_id: 1` beside exclusions), which mingo handles.
 */
function simpleProjection(projection: Doc): ((doc: Doc) => Doc | null) | null {
  let inclusion: boolean | undefined;
  let withId = true;
  const fields = new Set<string>();
  for (const field of Object.keys(projection)) {
    const v = projection[field];
    const on = v === 1 || v === true;
    if (!on && v !== 0 && v !== false) return null;
    if (field === '_id') {
      withId = on;
      continue;
    }
    if (field === '' || field === '__proto__' || field.includes('.') || field.startsWith('$')) return null;
    if (inclusion === undefined) inclusion = on;
    else if (inclusion !== on) return null;
    fields.add(field);
  }
  // Only `_id` named: `{ _id: 1 }` keeps just `_id`, `{ _id: 0 }` drops it and keeps the rest.
  if (inclusion === undefined) inclusion = withId;
  // `{ a: 0, _id: 1 }` is left to mingo (which refuses it).
  else if (!inclusion && projection._id !== undefined && withId) return null;
  if (inclusion) {
    // MongoDB returns included fields in the stored document's order, `_id` first.
    return (doc) => {
      const out: Doc = {};
      if (withId && '_id' in doc) out._id = doc._id;
      for (const k of Object.keys(doc)) if (fields.has(k)) out[k] = doc[k];
      return out;
    };
  }
  if (!withId) fields.add('_id');
  return (doc) => {
    const out: Doc = {};
    if ('_id' in doc && !fields.has('_id')) out._id = doc._id;
    for (const k of Object.keys(doc)) {
      if (k === '_id' || fields.has(k)) continue;
      // A stored field literally named __proto__ cannot be copied by assignment: mingo's path then.
      if (k === '__proto__') return null;
      out[k] = doc[k];
    }
    return out;
  };
}

/**
 * Applies a find projection to the documents; `filter` serves positional (`a.$`) projection. The results
 * are new documents; field values of simple projections are shared with the stored documents, which are
 * never mutated (unprojected finds hand out the stored documents themselves), other projections run on
 * copies.
 */
export function projectDocs(docs: Doc[], projection: Doc, filter?: Doc): Doc[] {
  const simple = simpleProjection(projection);
  if (simple) {
    const out: Doc[] = [];
    for (const doc of docs) {
      const projected = simple(doc);
      if (!projected) return mingoProject(docs, projection, filter);
      out.push(projected);
    }
    return out;
  }
  return mingoProject(docs, projection, filter);
}

function mingoProject(docs: Doc[], projection: Doc, filter?: Doc): Doc[] {
  const copies = docs.map((d) => cloneDoc(d));
  const query = new Query(filter ?? {}, { scriptEnabled: false });
  return query
    .find<Doc>(copies, projection as never)
    .all()
    .map(idFirst);
}

/**
 * The distinct values of a field among matching documents, arrays contributing their elements; under a
 * non-simple collation, values equal under it count once (the first met is returned).
 */
export function distinctValues(docs: Iterable<Doc>, key: string, collation?: Doc): unknown[] {
  const collated = collationOf(collation);
  const seen = new Map<string, unknown>();
  const kept: unknown[] = [];
  for (const doc of docs) {
    for (const v of valuesAtPath(doc, key)) {
      if (v === undefined) continue;
      const k = keyOf(v);
      if (seen.has(k)) continue;
      if (collated && hasString(v) && kept.some((x) => collatedEqualValues(collated, x, v))) continue;
      seen.set(k, v);
      kept.push(v);
    }
  }
  return kept;
}
