/**
 * The unified test format's "Evaluating Matches" rules (source/unified-test-format, §Evaluating Matches):
 * root-level documents may carry extra fields, nested ones may not, arrays match element by element,
 * numbers match by value whatever their BSON type, and `$$` operators ($$exists, $$type,
 * $$unsetOrMatches, $$matchesEntity, $$matchesHexBytes, $$sessionLsid, $$lte, $$matchAsDocument,
 * $$matchAsRoot) stand in for values a test cannot know in advance.
 */
import { BSON, Binary, Decimal128, Double, Int32, Long, ObjectId, Timestamp } from 'mongodb';

const { EJSON } = BSON;

/** What the matcher needs from the test's entity map. */
export interface MatchEntities {
  /** The value of a BSON entity saved with saveResultAsEntity ($$matchesEntity). */
  value(name: string): unknown;
  /** The logical session id of a session entity ($$sessionLsid). */
  lsid(name: string): unknown;
}

const noEntities: MatchEntities = {
  value: (name) => {
    throw new Error(`no entity ${name}`);
  },
  lsid: (name) => {
    throw new Error(`no session ${name}`);
  },
};

type Doc = Record<string, unknown>;

/** True for a plain document (not an array, not a BSON value object such as ObjectId or Binary). */
export function isDocument(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  if ('_bsontype' in v) return false;
  if (v instanceof Date || v instanceof RegExp || ArrayBuffer.isView(v)) return false;
  return true;
}

function operatorOf(v: unknown): string | undefined {
  if (!isDocument(v)) return undefined;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0].startsWith('$$') ? keys[0] : undefined;
}

/** A JS number (or bigint) for every numeric BSON type but Decimal128; undefined otherwise. */
export function numericValue(v: unknown): number | bigint | undefined {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (v instanceof Int32 || v instanceof Double) return v.valueOf();
  if (v instanceof Long) return v.toBigInt();
  return undefined;
}

function numbersEqual(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    const fa = typeof a === 'bigint' ? a : Number.isInteger(a) ? BigInt(a) : undefined;
    const fb = typeof b === 'bigint' ? b : Number.isInteger(b) ? BigInt(b) : undefined;
    return fa !== undefined && fb !== undefined && fa === fb;
  }
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** The $type names an actual value may answer to (a JS number stands for int, long or double). */
export function bsonTypeNames(v: unknown): string[] {
  if (v === undefined) return [];
  if (v === null) return ['null'];
  if (typeof v === 'string') return ['string'];
  if (typeof v === 'boolean') return ['bool'];
  if (typeof v === 'bigint') return ['long', 'number'];
  if (typeof v === 'number')
    return Number.isInteger(v) ? ['int', 'long', 'double', 'number'] : ['double', 'number'];
  if (Array.isArray(v)) return ['array'];
  if (v instanceof Date) return ['date'];
  if (v instanceof RegExp) return ['regex'];
  if (ArrayBuffer.isView(v)) return ['binData'];
  const t = (v as { _bsontype?: string })._bsontype;
  switch (t) {
    case 'Int32':
      return ['int', 'number'];
    case 'Double':
      return ['double', 'number'];
    case 'Long':
      return ['long', 'number'];
    case 'Decimal128':
      return ['decimal', 'number'];
    case 'ObjectId':
      return ['objectId'];
    case 'Binary':
      return ['binData'];
    case 'Timestamp':
      return ['timestamp'];
    case 'BSONRegExp':
      return ['regex'];
    case 'Code':
      return ['javascript'];
    case 'MinKey':
      return ['minKey'];
    case 'MaxKey':
      return ['maxKey'];
    case 'BSONSymbol':
      return ['symbol'];
    case undefined:
      return ['object'];
    default:
      return [t.toLowerCase()];
  }
}

function show(v: unknown): string {
  try {
    const s = v === undefined ? 'undefined' : EJSON.stringify(v as Doc, { relaxed: true });
    return s.length > 160 ? `${s.slice(0, 157)}...` : s;
  } catch {
    return String(v);
  }
}

function scalarsEqual(expected: unknown, actual: unknown): boolean {
  const en = numericValue(expected);
  const an = numericValue(actual);
  if (en !== undefined || an !== undefined)
    return en !== undefined && an !== undefined && numbersEqual(en, an);
  if (expected instanceof ObjectId) return actual instanceof ObjectId && expected.equals(actual);
  if (expected instanceof Date) return actual instanceof Date && expected.getTime() === actual.getTime();
  if (expected instanceof Timestamp) return actual instanceof Timestamp && expected.equals(actual);
  if (expected instanceof Decimal128)
    return actual instanceof Decimal128 && expected.toString() === actual.toString();
  if (expected instanceof Binary) {
    const bytes =
      actual instanceof Binary
        ? actual
        : ArrayBuffer.isView(actual)
          ? new Binary(actual as Uint8Array)
          : undefined;
    return (
      bytes !== undefined &&
      (actual instanceof Binary ? expected.sub_type === bytes.sub_type : expected.sub_type === 0) &&
      Buffer.from(expected.buffer).equals(Buffer.from(bytes.buffer))
    );
  }
  if (expected === null || typeof expected !== 'object') return expected === actual;
  // Other BSON values (regex, code, min/max key...): compare their canonical Extended JSON.
  return (
    actual !== null &&
    typeof actual === 'object' &&
    EJSON.stringify({ v: expected }, { relaxed: false }) ===
      EJSON.stringify({ v: actual }, { relaxed: false })
  );
}

/** Where a match failed and why; undefined when the values match. */
export type Mismatch = string | undefined;

/**
 * Matches `actual` against `expected` under the unified format's rules; returns why not, or undefined.
 * `root` says whether extra fields are allowed in `actual` (root-level documents: command, reply,
 * results of operations that return a document); `rootElements` says the same of the elements of an
 * array result (the documents of a returned cursor, but not the values `distinct` returns).
 * @example match({ x: 1, _id: { $$type: 'objectId' } }, doc, { root: true })
 */
export function match(
  expected: unknown,
  actual: unknown,
  options: { root?: boolean; rootElements?: boolean; entities?: MatchEntities } = {},
): Mismatch {
  const e = options.entities ?? noEntities;
  const op = operatorOf(expected);
  if (options.rootElements && op === '$$unsetOrMatches') {
    if (actual === undefined) return undefined;
    return match((expected as Doc)[op], actual, options);
  }
  if (options.rootElements && Array.isArray(expected) && Array.isArray(actual)) {
    if (actual.length !== expected.length)
      return `<root>: expected ${expected.length} element(s), got ${actual.length}: ${show(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const m = matchAt(expected[i], actual[i], true, e, `[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  return matchAt(expected, actual, options.root ?? true, e, '');
}

function matchOperator(
  op: string,
  arg: unknown,
  actual: unknown,
  root: boolean,
  e: MatchEntities,
  path: string,
): Mismatch {
  switch (op) {
    case '$$type': {
      const wanted = Array.isArray(arg) ? (arg as string[]) : [arg as string];
      const names = bsonTypeNames(actual);
      return wanted.some((w) => names.includes(w))
        ? undefined
        : `${path || '<root>'}: expected type ${wanted.join('|')}, got ${show(actual)}`;
    }
    case '$$unsetOrMatches':
      return actual === undefined ? undefined : matchAt(arg, actual, root, e, path);
    case '$$matchesEntity':
      return matchAt(e.value(String(arg)), actual, root, e, path);
    case '$$sessionLsid':
      return matchAt(e.lsid(String(arg)), actual, false, e, path);
    case '$$matchesHexBytes': {
      const hex = String(arg).toLowerCase();
      if (!/^([0-9a-f]{2})*$/.test(hex)) throw new Error(`malformed $$matchesHexBytes ${hex}`);
      const got =
        actual instanceof Binary
          ? Buffer.from(actual.buffer).toString('hex')
          : ArrayBuffer.isView(actual)
            ? Buffer.from(actual as Uint8Array).toString('hex')
            : undefined;
      return got === hex ? undefined : `${path}: expected bytes ${hex}, got ${show(actual)}`;
    }
    case '$$lte': {
      const a = numericValue(actual);
      const b = numericValue(arg);
      if (a === undefined || b === undefined) return `${path}: $$lte needs numbers, got ${show(actual)}`;
      return a <= b ? undefined : `${path}: expected <= ${String(b)}, got ${String(a)}`;
    }
    case '$$matchAsDocument': {
      if (typeof actual !== 'string') return `${path}: $$matchAsDocument needs a string, got ${show(actual)}`;
      return matchAt(arg, EJSON.parse(actual, { relaxed: false }), false, e, path);
    }
    case '$$matchAsRoot':
      return matchAt(arg, actual, true, e, path);
    case '$$exists':
      // Only meaningful as a field's value; handled by the document loop.
      return `${path}: $$exists outside a document`;
    default:
      throw new Error(`unknown special operator ${op}`);
  }
}

function matchAt(
  expected: unknown,
  actual: unknown,
  root: boolean,
  e: MatchEntities,
  path: string,
): Mismatch {
  // The driver sends some documents as Maps to keep their key order (a find's `sort`).
  if (actual instanceof Map) actual = Object.fromEntries(actual);
  const op = operatorOf(expected);
  if (op) return matchOperator(op, (expected as Doc)[op], actual, root, e, path);
  if (isDocument(expected)) {
    if (!isDocument(actual)) return `${path || '<root>'}: expected a document, got ${show(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      const at = path ? `${path}.${key}` : key;
      const has = Object.prototype.hasOwnProperty.call(actual, key) && actual[key] !== undefined;
      const vop = operatorOf(value);
      if (vop === '$$exists') {
        const want = (value as Doc)[vop] === true;
        if (want !== has) return `${at}: expected ${want ? 'present' : 'absent'}, got ${show(actual[key])}`;
        continue;
      }
      if (vop === '$$unsetOrMatches' && !has) continue;
      if (!has && vop !== '$$type') return `${at}: missing (expected ${show(value)})`;
      const m = matchAt(value, actual[key], false, e, at);
      if (m) return m;
    }
    if (!root) {
      const extra = Object.keys(actual).filter((k) => actual[k] !== undefined && !(k in expected));
      if (extra.length) return `${path || '<root>'}: unexpected field(s) ${extra.join(', ')}`;
    }
    return undefined;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path || '<root>'}: expected an array, got ${show(actual)}`;
    if (actual.length !== expected.length)
      return `${path || '<root>'}: expected ${expected.length} element(s), got ${actual.length}: ${show(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const m = matchAt(expected[i], actual[i], false, e, `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  return scalarsEqual(expected, actual)
    ? undefined
    : `${path || '<root>'}: expected ${show(expected)}, got ${show(actual)}`;
}

/**
 * Exact equality of stored documents (test.outcome): no special operators, no extra fields at any level,
 * key order free, numbers by value.
 */
export function matchExactly(expected: unknown, actual: unknown): Mismatch {
  return matchAt(expected, actual, false, noEntities, '');
}
