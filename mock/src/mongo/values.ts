/**
 * Value helpers shared by storage, indexes and commands: a string key per BSON value that is equal
 * exactly when MongoDB considers two values equal (so plain Maps can serve as indexes), a cheap deep
 * clone that keeps BSON value objects, and dotted-path reading with MongoDB's array traversal.
 */

/** A stored document: what `bson` decodes to with promoted values. */
export type Doc = Record<string, unknown>;

interface BsonValue {
  _bsontype: string;
  toString(radix?: unknown): string;
}

function isBsonValue(v: object): v is BsonValue {
  return typeof (v as { _bsontype?: unknown })._bsontype === 'string';
}

/** True for `{...}` documents (not arrays, dates, regexes or BSON value objects). */
export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function lengthPrefixed(s: string): string {
  return `${s.length}:${s}`;
}

function numberKey(n: number): string {
  // -0 and 0 are the same key in MongoDB, as are 1, 1.0 and NumberLong(1).
  return Object.is(n, -0) ? 'n0' : `n${n}`;
}

function bsonKey(v: BsonValue): string {
  switch (v._bsontype) {
    case 'ObjectId':
    case 'ObjectID':
      return `o${v.toString()}`;
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128': {
      const n = Number(v.toString());
      return Number.isSafeInteger(n) || !Number.isInteger(n) ? numberKey(n) : `n${v.toString()}`;
    }
    case 'Timestamp':
      return `t${v.toString()}`;
    case 'Binary': {
      const bin = v as unknown as { sub_type: number; buffer: Uint8Array };
      return `x${bin.sub_type}:${Buffer.from(bin.buffer.buffer, bin.buffer.byteOffset, bin.buffer.byteLength).toString('base64')}`;
    }
    case 'MinKey':
      return 'm-';
    case 'MaxKey':
      return 'm+';
    case 'BSONRegExp': {
      const re = v as unknown as { pattern: string; options: string };
      return `r${re.pattern}/${re.options}`;
    }
    case 'Code':
      return `c${(v as unknown as { code: string }).code}`;
    case 'BSONSymbol':
      return `s${v.toString()}`;
    default:
      return `?${v._bsontype}:${v.toString()}`;
  }
}

/**
 * A string that is equal for two values exactly when MongoDB's equality (as used by indexes) says they
 * are equal. Missing and null share a key, as in a MongoDB index.
 */
export function keyOf(v: unknown): string {
  if (v === null || v === undefined) return 'z';
  switch (typeof v) {
    case 'string':
      return `s${v}`;
    case 'number':
      return numberKey(v);
    case 'boolean':
      return v ? 'b1' : 'b0';
    case 'bigint':
      return `n${v.toString()}`;
    case 'object':
      break;
    default:
      return `?${String(v)}`;
  }
  if (v instanceof Date) return `d${v.getTime()}`;
  if (v instanceof RegExp) return `r${v.source}/${v.flags}`;
  if (Array.isArray(v)) return `[${v.map((x) => lengthPrefixed(keyOf(x))).join('')}]`;
  if (isBsonValue(v)) return bsonKey(v);
  if (v instanceof Uint8Array)
    return `x0:${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}`;
  let out = '{';
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    out += lengthPrefixed(k) + lengthPrefixed(keyOf(x));
  }
  return `${out}}`;
}

/**
 * Deep copy of arrays and plain objects; BSON value objects and buffers are shared because this server
 * never mutates them. Stored documents are immutable, so every update works on such a copy.
 */
export function cloneDoc<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => cloneDoc(x)) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (!isPlainObject(v)) return v;
  const out: Doc = {};
  for (const k of Object.keys(v)) out[k] = cloneDoc((v as Doc)[k]);
  return out as T;
}

/**
 * Every value a dotted path reaches in a document, descending into arrays as MongoDB does for index keys
 * and equality matches (`{ 'a.b': 1 }` matches `{ a: [{ b: 1 }] }`). Array leaves contribute their
 * elements; a path that reaches nothing yields `undefined` once.
 */
export function valuesAtPath(doc: unknown, path: string | readonly string[]): unknown[] {
  const parts = typeof path === 'string' ? path.split('.') : path;
  // The common case, a top-level scalar field, without the recursive walk.
  if (parts.length === 1 && isPlainObject(doc)) {
    const v = doc[parts[0]!];
    if (!Array.isArray(v)) return [v];
  }
  const out: unknown[] = [];
  collect(doc, parts, 0, out);
  if (out.length === 0) out.push(undefined);
  return out;
}

function collect(value: unknown, parts: readonly string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (Array.isArray(value)) {
      if (value.length === 0) out.push(undefined);
      else for (const x of value) out.push(x);
    } else {
      out.push(value);
    }
    return;
  }
  if (Array.isArray(value)) {
    const part = parts[i]!;
    if (/^\d+$/.test(part) && Number(part) < value.length) {
      collect(value[Number(part)], parts, i + 1, out);
      return;
    }
    for (const el of value) if (isPlainObject(el)) collect(el, parts, i, out);
    return;
  }
  if (isPlainObject(value)) {
    collect(value[parts[i]!], parts, i + 1, out);
    return;
  }
  if (i > 0 || value === undefined) out.push(undefined);
}

/** The value at a dotted path without array traversal (for `_id` and building upserts). */
export function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Doc)[part];
  }
  return cur;
}

/** Sets a dotted path, creating intermediate documents. */
export function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Doc = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]!];
    if (!isPlainObject(next)) cur[parts[i]!] = {};
    cur = cur[parts[i]!] as Doc;
  }
  cur[parts[parts.length - 1]!] = value;
}

/** Returns the document with `_id` as its first field, as MongoDB stores and returns it. */
export function idFirst(doc: Doc): Doc {
  if (!('_id' in doc)) return doc;
  const keys = Object.keys(doc);
  if (keys[0] === '_id') return doc;
  const out: Doc = { _id: doc._id };
  for (const k of keys) if (k !== '_id') out[k] = doc[k];
  return out;
}

/** MongoDB's shell-like rendering of a value, used in E11000 messages: `"a"`, `ObjectId('...')`. */
export function renderValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v instanceof RegExp) return `/${v.source}/${v.flags}`;
  if (Array.isArray(v)) return `[ ${v.map(renderValue).join(', ')} ]`;
  if (typeof v === 'object' && isBsonValue(v)) {
    switch (v._bsontype) {
      case 'ObjectId':
        return `ObjectId('${v.toString()}')`;
      case 'Long':
        return v.toString();
      case 'Decimal128':
        return `NumberDecimal("${v.toString()}")`;
      case 'Binary': {
        const bin = v as unknown as { sub_type: number; buffer: Uint8Array };
        return `BinData(${bin.sub_type}, ${Buffer.from(bin.buffer).toString('hex').toUpperCase()})`;
      }
      default:
        return v.toString();
    }
  }
  const entries = Object.entries(v as Doc).map(([k, x]) => `${k}: ${renderValue(x)}`);
  return entries.length ? `{ ${entries.join(', ')} }` : '{}';
}
