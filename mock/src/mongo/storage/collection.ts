/**
 * One collection's committed state: documents by id key in natural (insertion) order, plus its indexes.
 * Stored documents are never mutated; a write swaps in a new object, so cursors and snapshots may keep
 * references to old ones.
 */
import { UUID } from 'bson';
import { MongoCommandError } from '../errors';
import { isPlainObject, keyOf, renderValue, type Doc } from '../values';
import { Index, normaliseIndexSpec, type IndexKey } from './indexes';

let nextUid = 1;

/** A unique key some other document already holds. */
export interface KeyConflict {
  index: Index;
  key: IndexKey;
  ownerId: string;
}

/** MongoDB's E11000 error for a key that `index` already holds. */
export function duplicateKeyError(ns: string, index: Index, values: unknown[]): MongoCommandError {
  const keyValue: Doc = {};
  index.fields.forEach((f, i) => (keyValue[f] = values[i] ?? null));
  const rendered = index.fields.map((f, i) => `${f}: ${renderValue(values[i])}`).join(', ');
  return new MongoCommandError(
    'DuplicateKey',
    `E11000 duplicate key error collection: ${ns} index: ${index.name} dup key: { ${rendered} }`,
    { extra: { keyPattern: index.spec.key, keyValue } },
  );
}

/** The `_id` key of a document, rejecting `_id` values MongoDB rejects. */
export function idKeyOf(doc: Doc): string {
  const id = doc._id;
  if (Array.isArray(id)) throw new MongoCommandError('BadValue', "The '_id' value cannot be of type array");
  if (id instanceof RegExp)
    throw new MongoCommandError('BadValue', "The '_id' value cannot be of type regex");
  if (isPlainObject(id)) {
    const dollar = dollarKeyIn(id);
    if (dollar)
      throw new MongoCommandError(
        'DollarPrefixedFieldName',
        `_id fields may not contain '$'-prefixed fields: ${dollar} is not valid for storage.`,
      );
  }
  return keyOf(id);
}

// DBRef's fields are the `$` names MongoDB stores inside `_id`.
const DBREF_KEYS = new Set(['$ref', '$id', '$db']);

function dollarKeyIn(v: unknown): string | undefined {
  if (Array.isArray(v)) {
    for (const x of v) {
      const found = dollarKeyIn(x);
      if (found) return found;
    }
  } else if (isPlainObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (k.startsWith('$') && !DBREF_KEYS.has(k)) return k;
      const found = dollarKeyIn(x);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Refuses unique index specs with a non-simple collation (their own or the collection's default): unique
 * keys are kept binary, so two keys equal under the collation would both be accepted. Checked when an
 * index is created, not when a journal is replayed.
 */
export function refuseCollatedUnique(coll: Collection | undefined, specs: Doc[]): void {
  for (const spec of specs) {
    const collation = spec.collation ?? coll?.options.collation;
    if (spec.unique === true && isPlainObject(collation) && collation.locale !== 'simple')
      throw new MongoCommandError(
        'CannotCreateIndex',
        `the unique index ${String(spec.name ?? '')} with a non-simple collation is not supported by the local server`,
      );
  }
}

/** A committed collection. */
export class Collection {
  /** Distinguishes a re-created collection from a dropped one of the same name. */
  readonly uid = nextUid++;
  readonly uuid = new UUID();
  readonly docs = new Map<string, Doc>();
  readonly indexes = new Map<string, Index>();
  // The indexes that hold entries, kept as an array: every write walks it.
  private entryIndexes: Index[] = [];
  options: Doc;

  constructor(
    readonly db: string,
    public name: string,
    options: Doc = {},
  ) {
    this.options = options;
    this.indexes.set('_id_', new Index(normaliseIndexSpec({ key: { _id: 1 }, name: '_id_' })));
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** Indexes that hold entries and enforce uniqueness (all but `_id_`, which is `docs` itself). */
  secondary(): readonly Index[] {
    return this.entryIndexes;
  }

  private refreshIndexes(): void {
    this.entryIndexes = [...this.indexes.values()].filter((i) => !i.isIdIndex && !i.special);
  }

  /**
   * The first unique key of `doc` that a document other than `idKey` holds, skipping owners for which
   * `ignore` is true (documents a transaction is about to change).
   */
  findConflict(idKey: string, doc: Doc, ignore?: (ownerId: string) => boolean): KeyConflict | null {
    for (const index of this.secondary()) {
      if (!index.unique) continue;
      for (const key of index.keysOf(doc)) {
        const ownerId = index.ownerOf(key.key);
        if (ownerId !== undefined && ownerId !== idKey && !ignore?.(ownerId)) return { index, key, ownerId };
      }
    }
    return null;
  }

  /** Stores a new version of a document (or a new document), keeping every index in step. */
  put(idKey: string, doc: Doc): void {
    const old = this.docs.get(idKey);
    if (old) for (const index of this.secondary()) index.remove(idKey, old);
    this.docs.set(idKey, doc);
    for (const index of this.secondary()) index.add(idKey, doc);
  }

  delete(idKey: string): Doc | undefined {
    const old = this.docs.get(idKey);
    if (!old) return undefined;
    for (const index of this.secondary()) index.remove(idKey, old);
    this.docs.delete(idKey);
    return old;
  }

  /**
   * Throws E11000 if applying `changes` (a transaction's final versions by id; null deletes) would leave
   * a unique index with two holders of one key. Checked for every collection before a commit applies.
   */
  checkAll(changes: Map<string, Doc | null>): void {
    for (const index of this.secondary()) {
      if (!index.unique) continue;
      const claimed = new Map<string, string>();
      for (const [idKey, doc] of changes) {
        if (!doc) continue;
        for (const key of index.keysOf(doc)) {
          const other = claimed.get(key.key) ?? index.ownerOf(key.key);
          if (other !== undefined && other !== idKey && (claimed.has(key.key) || !changes.has(other))) {
            throw duplicateKeyError(this.ns, index, key.values);
          }
          claimed.set(key.key, idKey);
        }
      }
    }
  }

  /** Applies changes checked by `checkAll`: old entries out first so keys may move between documents. */
  applyAll(changes: Map<string, Doc | null>): void {
    for (const idKey of changes.keys()) {
      const old = this.docs.get(idKey);
      if (old) for (const index of this.secondary()) index.remove(idKey, old);
    }
    for (const [idKey, doc] of changes) {
      if (doc) {
        this.docs.set(idKey, doc);
        for (const index of this.secondary()) index.add(idKey, doc);
      } else {
        this.docs.delete(idKey);
      }
    }
  }

  /** Adds an index over the existing documents; fails with E11000 if they violate a unique one. */
  addIndex(index: Index): void {
    if (!index.special) {
      if (index.unique) {
        const seen = new Map<string, string>();
        for (const [idKey, doc] of this.docs) {
          for (const key of index.keysOf(doc)) {
            const other = seen.get(key.key);
            if (other !== undefined && other !== idKey) throw duplicateKeyError(this.ns, index, key.values);
            seen.set(key.key, idKey);
          }
        }
      }
      for (const [idKey, doc] of this.docs) index.add(idKey, doc);
    }
    this.indexes.set(index.name, index);
    this.refreshIndexes();
  }

  dropIndex(name: string): void {
    this.indexes.get(name)?.clear();
    this.indexes.delete(name);
    this.refreshIndexes();
  }

  /**
   * Ids of documents that may match `filter`, from the `_id` map or an index whose fields the filter
   * pins to equal values; null when only a scan will do. Always a superset of the matches.
   */
  plan(filter: Doc): string[] | null {
    const eq = equalityFields(filter);
    if (eq.size === 0) return null;
    const ids = eq.get('_id');
    if (ids) return ids.map(keyOf);
    let best: string[] | null = null;
    for (const index of this.secondary()) {
      if (!index.complete) continue;
      let found: string[] | null = null;
      if (index.fields.every((f) => eq.has(f))) {
        const out = new Set<string>();
        for (const combo of product(index.fields.map((f) => eq.get(f)!))) {
          for (const id of index.lookup(index.keyFor(combo))) out.add(id);
        }
        found = [...out];
      } else if (index.fields.length > 1 && eq.has(index.fields[0]!)) {
        const out = new Set<string>();
        for (const v of eq.get(index.fields[0]!)!)
          for (const id of index.lookupPrefix(keyOf(v)) ?? []) out.add(id);
        found = [...out];
      }
      if (found && (!best || found.length < best.length)) best = found;
      if (best && best.length <= 1) break;
    }
    return best;
  }
}

function product(lists: unknown[][]): unknown[][] {
  let out: unknown[][] = [[]];
  for (const list of lists) out = out.flatMap((combo) => list.map((v) => [...combo, v]));
  return out;
}

// Values that an index lookup can serve: equality to one of them means an index entry with its key.
function indexable(v: unknown): boolean {
  if (v === null || v === undefined || Array.isArray(v) || v instanceof RegExp) return false;
  if (typeof v !== 'object') return true;
  if (v instanceof Date) return true;
  if (isPlainObject(v)) return Object.keys(v).every((k) => !k.startsWith('$'));
  const type = (v as { _bsontype?: string })._bsontype;
  return type !== undefined && type !== 'BSONRegExp' && type !== 'MinKey' && type !== 'MaxKey';
}

function equalityValues(cond: unknown): unknown[] | null {
  if (indexable(cond)) return [cond];
  if (!isPlainObject(cond)) return null;
  const keys = Object.keys(cond);
  if (keys.length !== 1) return null;
  if (keys[0] === '$eq') return indexable(cond.$eq) ? [cond.$eq] : null;
  if (keys[0] === '$in' && Array.isArray(cond.$in) && cond.$in.length <= 1000 && cond.$in.every(indexable)) {
    return cond.$in;
  }
  return null;
}

/** Fields a filter pins to a small set of values, looking through top-level `$and`. */
function equalityFields(filter: Doc, out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  for (const [field, cond] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(cond)) {
      for (const part of cond) if (isPlainObject(part)) equalityFields(part, out);
      continue;
    }
    if (field.startsWith('$')) continue;
    const values = equalityValues(cond);
    if (values && !out.has(field)) out.set(field, values);
  }
  return out;
}
