/**
 * Secondary indexes as hash maps from an index key (see `keyOf`) to document ids. Unique indexes map a
 * key to one id and are how duplicate keys are found; every index also answers equality lookups so
 * that queries on indexed fields do not scan the collection.
 */
import { Query } from 'mingo';
import { mongoError } from '../errors';
import { isPlainObject, keyOf, valuesAtPath, type Doc } from '../values';

/** One index entry of a document: its key string and the values that make it up, field by field. */
export interface IndexKey {
  key: string;
  values: unknown[];
}

const KEY_TYPES = new Set(['text', '2d', '2dsphere', 'hashed', 'geoHaystack', 'columnstore']);

/** Builds MongoDB's default index name: `{ a: 1, b: -1 }` becomes `a_1_b_-1`. */
export function defaultIndexName(key: Doc): string {
  return Object.entries(key)
    .map(([field, dir]) => `${field}_${String(dir)}`)
    .join('_');
}

function lengthPrefixed(s: string): string {
  return `${s.length}:${s}`;
}

/** Validates an index specification as `createIndexes` receives it and returns its normalised form. */
export function normaliseIndexSpec(raw: Doc): Doc {
  const key = raw.key;
  if (!isPlainObject(key) || Object.keys(key).length === 0) {
    throw mongoError(
      'CannotCreateIndex',
      "Error in specification { key: ... } :: the 'key' field must be a non-empty object",
    );
  }
  for (const [field, dir] of Object.entries(key)) {
    const ok =
      dir === 1 ||
      dir === -1 ||
      (typeof dir === 'number' && dir !== 0) ||
      (typeof dir === 'string' && KEY_TYPES.has(dir));
    if (!ok || field === '') {
      throw mongoError(
        'CannotCreateIndex',
        `Error in specification ${JSON.stringify(raw)} :: bad index key pattern`,
      );
    }
  }
  const name = raw.name ?? defaultIndexName(key);
  if (typeof name !== 'string' || name === '')
    throw mongoError('CannotCreateIndex', "The 'name' field must be a non-empty string");
  if (
    raw.expireAfterSeconds !== undefined &&
    (typeof raw.expireAfterSeconds !== 'number' || raw.expireAfterSeconds < 0)
  ) {
    throw mongoError(
      'InvalidIndexSpecificationOption',
      "TTL index 'expireAfterSeconds' option must be a non-negative number",
    );
  }
  if (raw.partialFilterExpression !== undefined && !isPlainObject(raw.partialFilterExpression)) {
    throw mongoError('CannotCreateIndex', 'partialFilterExpression must be an object');
  }
  const spec: Doc = { v: 2, key, name };
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'v' || k === 'key' || k === 'name' || k === 'ns' || k === 'background') continue;
    if (k === 'unique' || k === 'sparse') {
      if (v) spec[k] = true;
      continue;
    }
    spec[k] = v;
  }
  if (name === '_id_') delete spec.unique;
  return spec;
}

/** True when two specs describe the same index (name aside), as MongoDB compares them. */
export function sameIndexOptions(a: Doc, b: Doc): boolean {
  const pick = (s: Doc) =>
    keyOf({
      key: s.key,
      unique: Boolean(s.unique),
      sparse: Boolean(s.sparse),
      partial: s.partialFilterExpression ?? null,
      ttl: s.expireAfterSeconds ?? null,
      collation: s.collation ?? null,
    });
  return pick(a) === pick(b);
}

/** An index of one collection. The `_id_` index is represented here but kept by the collection's id map. */
export class Index {
  readonly name: string;
  readonly spec: Doc;
  readonly fields: string[];
  private readonly paths: string[][];
  readonly unique: boolean;
  readonly sparse: boolean;
  readonly ttlSeconds: number | undefined;
  /** Text, geo and hashed indexes are listed but hold no entries. */
  readonly special: boolean;
  private readonly partial: Query | null;
  private readonly owners = new Map<string, string>();
  private readonly entries = new Map<string, Set<string>>();
  private readonly prefix: Map<string, Set<string>> | null;

  constructor(spec: Doc) {
    this.spec = spec;
    this.name = spec.name as string;
    const key = spec.key as Doc;
    this.fields = Object.keys(key);
    this.paths = this.fields.map((f) => f.split('.'));
    this.special = Object.values(key).some((dir) => typeof dir === 'string');
    this.unique = this.name === '_id_' || spec.unique === true;
    this.sparse = spec.sparse === true;
    this.ttlSeconds = typeof spec.expireAfterSeconds === 'number' ? spec.expireAfterSeconds : undefined;
    this.partial = isPlainObject(spec.partialFilterExpression)
      ? new Query(spec.partialFilterExpression, { useStrictMode: true })
      : null;
    this.prefix = this.fields.length > 1 && !this.special ? new Map() : null;
  }

  get isIdIndex(): boolean {
    return this.name === '_id_';
  }

  /** True when equality queries may use this index: it holds every document of the collection. */
  get complete(): boolean {
    return !this.special && !this.sparse && this.partial === null && this.spec.collation === undefined;
  }

  /** Whether a document belongs in this index at all (partial filter, sparse). */
  covers(doc: Doc): boolean {
    if (this.partial && !this.partial.test(doc)) return false;
    if (this.sparse && this.fields.every((f) => valuesAtPath(doc, f).every((v) => v === undefined)))
      return false;
    return true;
  }

  /** The distinct keys a document contributes; a document with arrays contributes one per element. */
  keysOf(doc: Doc): IndexKey[] {
    if (this.special || !this.covers(doc)) return [];
    if (this.paths.length === 1) {
      const values = valuesAtPath(doc, this.paths[0]!);
      if (values.length === 1) return [{ key: keyOf(values[0]), values: [values[0] ?? null] }];
    } else {
      // One value per field (no arrays on the paths): a single key, built without the combinations.
      let key = '';
      const values: unknown[] = [];
      for (const path of this.paths) {
        const at = valuesAtPath(doc, path);
        if (at.length !== 1) break;
        key += lengthPrefixed(keyOf(at[0]));
        values.push(at[0] ?? null);
      }
      if (values.length === this.paths.length) return [{ key, values }];
    }
    let combos: IndexKey[] = [{ key: '', values: [] }];
    for (const path of this.paths) {
      const values = valuesAtPath(doc, path);
      const next: IndexKey[] = [];
      for (const combo of combos) {
        for (const v of values) {
          const k = keyOf(v);
          next.push({
            key: this.fields.length === 1 ? k : combo.key + lengthPrefixed(k),
            values: [...combo.values, v === undefined ? null : v],
          });
        }
      }
      combos = next;
    }
    if (combos.length === 1) return combos;
    const seen = new Map<string, IndexKey>();
    for (const c of combos) if (!seen.has(c.key)) seen.set(c.key, c);
    return [...seen.values()];
  }

  /** The key string for one value per field (for lookups from a query). */
  keyFor(values: unknown[]): string {
    if (values.length === 1) return keyOf(values[0]);
    return values.map((v) => lengthPrefixed(keyOf(v))).join('');
  }

  /** The id holding a unique key, if any. */
  ownerOf(key: string): string | undefined {
    return this.owners.get(key);
  }

  add(idKey: string, doc: Doc): void {
    if (this.special || this.isIdIndex) return;
    const keys = this.keysOf(doc);
    for (const { key } of keys) {
      if (this.unique) this.owners.set(key, idKey);
      else addTo(this.entries, key, idKey);
    }
    if (this.prefix && keys.length > 0) {
      for (const v of valuesAtPath(doc, this.paths[0]!)) addTo(this.prefix, keyOf(v), idKey);
    }
  }

  remove(idKey: string, doc: Doc): void {
    if (this.special || this.isIdIndex) return;
    const keys = this.keysOf(doc);
    for (const { key } of keys) {
      if (this.unique) {
        if (this.owners.get(key) === idKey) this.owners.delete(key);
      } else {
        removeFrom(this.entries, key, idKey);
      }
    }
    if (this.prefix && keys.length > 0) {
      for (const v of valuesAtPath(doc, this.paths[0]!)) removeFrom(this.prefix, keyOf(v), idKey);
    }
  }

  /** Ids whose entry equals `key` (a full key over every field). */
  lookup(key: string): Iterable<string> {
    if (this.unique) {
      const owner = this.owners.get(key);
      return owner === undefined ? [] : [owner];
    }
    return this.entries.get(key) ?? [];
  }

  /** Ids whose first field equals the key of one value (compound indexes only). */
  lookupPrefix(firstKey: string): Iterable<string> | null {
    if (!this.prefix) return null;
    return this.prefix.get(firstKey) ?? [];
  }

  clear(): void {
    this.owners.clear();
    this.entries.clear();
    this.prefix?.clear();
  }
}

function addTo(map: Map<string, Set<string>>, key: string, id: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(id);
}

function removeFrom(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) map.delete(key);
}
