/**
 * Collations: MongoDB's collation documents checked and turned into Intl.Collator (Node's ICU, the
 * library MongoDB itself collates with), and collation-aware matching. mingo applies a collation only in
 * `$sort`, so filters under a non-simple collation are matched here: string comparisons in `$eq`, `$ne`,
 * `$in`, `$nin`, `$gt`, `$gte`, `$lt`, `$lte`, `$all`, `$elemMatch`, `$not` and implicit equality, inside
 * arrays and embedded documents too. What cannot be made collation-aware is refused, naming it, rather
 * than silently compared byte by byte.
 */
import { Query } from 'mingo';
import { compare } from 'mingo/util';
import { mongoError } from './errors';
import { isPlainObject, keyOf, renderValue, type Doc } from './values';

/** A checked, non-simple collation. */
export interface Collation {
  /** The spec as mingo's `$sort` wants it (locale in BCP 47 spelling). */
  readonly mingo: Doc;
  /** Compares two strings under the collation. */
  compareStrings(a: string, b: string): number;
}

// MongoDB's documented locales (docs: "Collation Locales and Default Parameters"), plus zh_Hans, which
// ICU holds collation data for under that name and MongoDB therefore accepts. MongoDB accepts a locale
// only when ICU's collation data is for exactly that name: `fi_FI` is refused (the data is `fi`'s).
const LOCALES = new Set(
  (
    'af sq am ar hy as az bn be bs bs_Cyrl bg my ca chr zh zh_Hans zh_Hant hr cs da nl dz en en_US ' +
    'en_US_POSIX eo et ee fo fil fi fr fr_CA gl ka de de_AT el gu ha haw he hi hu is ig smn id ga it ja ' +
    'kl kn kk km kok ko ky lkt lo ln lt dsb lb mk ms ml mt mr mn ne se nb nn or om ps fa fa_AF pl pt pa ' +
    'ro ru sr sr_Latn si sk sl es sw sv ta te th bo to tr uk hsb ur ug vi wae cy yi yo zu'
  ).split(' '),
);

// ICU turns French-Canadian's backwards secondary ordering on by default; Intl.Collator cannot change it.
const BACKWARDS_BY_DEFAULT = new Set(['fr_CA']);

const FIELDS = new Set([
  'locale',
  'caseLevel',
  'caseFirst',
  'strength',
  'numericOrdering',
  'alternate',
  'maxVariable',
  'normalization',
  'backwards',
  'version',
]);

function notHonoured(option: string, why: string): never {
  throw mongoError('BadValue', `collation option ${option} is not supported by the local server: ${why}`);
}

/**
 * The collation a command asked for, checked: null for none or `{ locale: 'simple' }` (binary comparison).
 * Throws MongoDB's BadValue for an unknown locale or bad option values, and BadValue naming the option for
 * settings Intl.Collator cannot honour exactly.
 */
export function parseCollation(spec: Doc | undefined): Collation | null {
  if (spec === undefined) return null;
  for (const key of Object.keys(spec)) {
    if (!FIELDS.has(key))
      throw mongoError('Location40415', `BSON field 'collation.${key}' is an unknown field.`);
  }
  const locale = spec.locale;
  if (typeof locale !== 'string') {
    throw mongoError('BadValue', `Required collation field 'locale' is missing in: ${renderValue(spec)}`);
  }
  if (locale === 'simple') return null;
  if (!LOCALES.has(locale) || Intl.Collator.supportedLocalesOf(locale.replace(/_/g, '-')).length === 0) {
    throw mongoError('BadValue', `Field 'locale' is invalid in: ${renderValue(spec)}`);
  }
  const strength = spec.strength ?? 3;
  if (typeof strength !== 'number' || ![1, 2, 3, 4, 5].includes(strength)) {
    throw mongoError(
      'BadValue',
      `Field 'strength' must be an integer 1 through 5. Got: ${renderValue(strength)}`,
    );
  }
  const caseFirst = spec.caseFirst ?? 'off';
  if (caseFirst !== 'off' && caseFirst !== 'upper' && caseFirst !== 'lower') {
    throw mongoError('BadValue', `Field 'caseFirst' must be 'upper', 'lower', or 'off'. Got: ${caseFirst}`);
  }
  const alternate = spec.alternate ?? 'non-ignorable';
  if (alternate !== 'non-ignorable' && alternate !== 'shifted') {
    throw mongoError(
      'BadValue',
      `Field 'alternate' must be 'non-ignorable' or 'shifted'. Got: ${String(alternate)}`,
    );
  }
  for (const flag of ['caseLevel', 'numericOrdering', 'normalization', 'backwards'] as const) {
    if (spec[flag] !== undefined && typeof spec[flag] !== 'boolean')
      throw mongoError('TypeMismatch', `Field '${flag}' must be of type bool`);
  }
  const caseLevel = spec.caseLevel === true;
  const shifted = alternate === 'shifted';
  if (strength === 5) notHonoured('strength 5', 'Intl.Collator has no identical level');
  if (strength === 4 && shifted) notHonoured('strength 4', 'Intl.Collator has no quaternary level');
  if (strength === 4 && locale === 'ja') notHonoured('strength 4', "Japanese's quaternary level differs");
  if (caseLevel && strength !== 1)
    notHonoured('caseLevel', 'Intl.Collator offers a case level with strength 1 only');
  if (spec.maxVariable !== undefined) {
    if (spec.maxVariable !== 'punct' && spec.maxVariable !== 'space')
      throw mongoError('BadValue', `Field 'maxVariable' must be 'punct' or 'space'.`);
    if (spec.maxVariable === 'space' && shifted)
      notHonoured('maxVariable', "Intl.Collator ignores punctuation too (maxVariable 'punct')");
  }
  if (spec.backwards !== undefined && spec.backwards !== BACKWARDS_BY_DEFAULT.has(locale) && strength > 1)
    notHonoured('backwards', `Intl.Collator keeps the locale's own secondary order`);
  const collator = new Intl.Collator(locale.replace(/_/g, '-'), {
    usage: 'sort',
    sensitivity: strength === 1 ? (caseLevel ? 'case' : 'base') : strength === 2 ? 'accent' : 'variant',
    caseFirst: caseFirst === 'off' ? 'false' : caseFirst,
    numeric: spec.numericOrdering === true,
    ignorePunctuation: shifted,
  });
  return {
    mingo: {
      locale: locale.replace(/_/g, '-'),
      strength: Math.min(strength, 3),
      caseLevel,
      caseFirst,
      numericOrdering: spec.numericOrdering === true,
      alternate,
    },
    compareStrings: (a, b) => collator.compare(a, b),
  };
}

const cache = new Map<string, Collation | null>();

/** parseCollation, remembered for the few collation documents an application uses. */
export function collationOf(spec: Doc | undefined): Collation | null {
  if (spec === undefined) return null;
  const key = keyOf(spec);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const parsed = parseCollation(spec);
  if (cache.size >= 100) cache.delete(cache.keys().next().value!);
  cache.set(key, parsed);
  return parsed;
}

/** True when `v` holds a string value anywhere (keys of embedded documents do not count). */
export function hasString(v: unknown): boolean {
  if (typeof v === 'string') return true;
  if (Array.isArray(v)) return v.some(hasString);
  if (isPlainObject(v)) return Object.values(v).some(hasString);
  return false;
}

// MongoDB's comparison groups: values compare (and range operators match) only within one group.
function group(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  if (isPlainObject(v)) return 'object';
  return 'other';
}

/** MongoDB's order of two values with strings compared under the collation. */
export function collatedCompare(c: Collation, a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return c.compareStrings(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const d = collatedCompare(c, a[i], b[i]);
      if (d !== 0) return d;
    }
    return a.length - b.length;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ea = Object.entries(a);
    const eb = Object.entries(b);
    for (let i = 0; i < Math.min(ea.length, eb.length); i++) {
      const [ka, va] = ea[i]!;
      const [kb, vb] = eb[i]!;
      if (ka !== kb) return ka < kb ? -1 : 1;
      const d = collatedCompare(c, va, vb);
      if (d !== 0) return d;
    }
    return ea.length - eb.length;
  }
  return compare(a === undefined ? null : a, b === undefined ? null : b);
}

function collatedEqual(c: Collation, value: unknown, wanted: unknown): boolean {
  if (wanted === null) return value === null || value === undefined;
  if (wanted instanceof RegExp) return typeof value === 'string' && wanted.test(value);
  if (group(value) !== group(wanted)) return false;
  return collatedCompare(c, value, wanted) === 0;
}

/** True when two values are equal under the collation (for distinct). */
export function collatedEqualValues(c: Collation, a: unknown, b: unknown): boolean {
  return group(a) === group(b) && collatedCompare(c, a, b) === 0;
}

/** The values at a path without unwinding a final array (null/missing as undefined). */
function leaves(value: unknown, parts: readonly string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    out.push(value);
    return;
  }
  if (Array.isArray(value)) {
    const part = parts[i]!;
    if (/^\d+$/.test(part) && Number(part) < value.length) leaves(value[Number(part)], parts, i + 1, out);
    for (const el of value) if (isPlainObject(el)) leaves(el, parts, i, out);
    return;
  }
  if (isPlainObject(value) && parts[i]! in value) leaves(value[parts[i]!], parts, i + 1, out);
  else out.push(undefined);
}

// What a condition on a path compares against: each value there, and each element of an array there.
function candidates(doc: unknown, parts: readonly string[]): unknown[] {
  const out: unknown[] = [];
  leaves(doc, parts, 0, out);
  return out.flatMap((v) => (Array.isArray(v) ? [v, ...v] : [v]));
}

type Pred = (doc: Doc) => boolean;

const RANGE: Record<string, (d: number) => boolean> = {
  $gt: (d) => d > 0,
  $gte: (d) => d >= 0,
  $lt: (d) => d < 0,
  $lte: (d) => d <= 0,
};

// Top-level operators that carry no values to compare, handed to mingo as they are.
const PASS_THROUGH_TOP = new Set(['$comment']);

// Field operators whose string operands are not compared under a collation on MongoDB either.
const NOT_COLLATED = new Set(['$regex', '$options', '$type', '$exists', '$size', '$mod']);

function mingoPred(filter: Doc, variables?: Doc): Pred {
  const q = new Query(filter, { scriptEnabled: false, ...(variables ? { variables } : {}) });
  return (doc) => q.test(doc);
}

function fieldPred(c: Collation, path: string, cond: unknown, variables?: Doc): Pred {
  if (!hasString(cond)) return mingoPred({ [path]: cond }, variables);
  const parts = path.split('.');
  const eq = (wanted: unknown): Pred => {
    if (isPlainObject(wanted) && Object.keys(wanted).some((k) => k.startsWith('$')))
      throw mongoError('BadValue', `unknown operator: ${Object.keys(wanted).find((k) => k.startsWith('$'))}`);
    return (doc) => candidates(doc, parts).some((v) => collatedEqual(c, v, wanted));
  };
  const isOperators = isPlainObject(cond) && Object.keys(cond).length > 0;
  const opKeys = isOperators ? Object.keys(cond) : [];
  if (!isOperators || !opKeys.every((k) => k.startsWith('$'))) return eq(cond);
  const ops = cond as Doc;
  const preds: Pred[] = [];
  const rest: Doc = {};
  for (const [op, v] of Object.entries(ops)) {
    if (!hasString(v) || NOT_COLLATED.has(op)) {
      rest[op] = v;
      continue;
    }
    switch (op) {
      case '$eq':
        preds.push(eq(v));
        break;
      case '$ne': {
        const p = eq(v);
        preds.push((doc) => !p(doc));
        break;
      }
      case '$in':
      case '$nin': {
        if (!Array.isArray(v)) throw mongoError('BadValue', `${op} needs an array`);
        const ps = v.map(eq);
        preds.push(op === '$in' ? (doc) => ps.some((p) => p(doc)) : (doc) => !ps.some((p) => p(doc)));
        break;
      }
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte': {
        const test = RANGE[op]!;
        preds.push((doc) =>
          candidates(doc, parts).some((x) => group(x) === group(v) && test(collatedCompare(c, x, v))),
        );
        break;
      }
      case '$not': {
        const p = fieldPred(c, path, v, variables);
        preds.push((doc) => !p(doc));
        break;
      }
      case '$all': {
        if (!Array.isArray(v)) throw mongoError('BadValue', '$all needs an array');
        const ps = v.map((item) =>
          isPlainObject(item) && '$elemMatch' in item ? fieldPred(c, path, item, variables) : eq(item),
        );
        preds.push((doc) => ps.every((p) => p(doc)));
        break;
      }
      case '$elemMatch': {
        if (!isPlainObject(v)) throw mongoError('BadValue', '$elemMatch needs an Object');
        const keys = Object.keys(v);
        const onValues =
          keys.length > 0 && keys.every((k) => k.startsWith('$') && !['$and', '$or', '$nor'].includes(k));
        const inner = onValues ? fieldPred(c, 'v', v, variables) : compileCollated(c, v, variables);
        const test = onValues
          ? (el: unknown) => inner({ v: el })
          : (el: unknown) => isPlainObject(el) && inner(el);
        preds.push((doc) => {
          const out: unknown[] = [];
          leaves(doc, parts, 0, out);
          return out.some((l) => Array.isArray(l) && l.some(test));
        });
        break;
      }
      default:
        throw mongoError(
          'BadValue',
          `${op} with a string operand under a non-simple collation is not supported by the local server`,
        );
    }
  }
  if (Object.keys(rest).length > 0) preds.push(mingoPred({ [path]: rest }, variables));
  return (doc) => preds.every((p) => p(doc));
}

/** A predicate for `filter` with string comparisons under collation `c`. */
export function compileCollated(c: Collation, filter: Doc, variables?: Doc): Pred {
  const preds: Pred[] = [];
  for (const [key, cond] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(cond) || cond.length === 0 || !cond.every(isPlainObject))
        throw mongoError('BadValue', `${key} argument must be a non-empty array`);
      const ps = (cond as Doc[]).map((part) => compileCollated(c, part, variables));
      if (key === '$and') preds.push((doc) => ps.every((p) => p(doc)));
      else if (key === '$or') preds.push((doc) => ps.some((p) => p(doc)));
      else preds.push((doc) => !ps.some((p) => p(doc)));
    } else if (key.startsWith('$')) {
      if (!PASS_THROUGH_TOP.has(key))
        throw mongoError(
          'BadValue',
          `${key} under a non-simple collation is not supported by the local server (it would compare strings without the collation)`,
        );
    } else {
      preds.push(fieldPred(c, key, cond, variables));
    }
  }
  return (doc) => preds.every((p) => p(doc));
}

// Stages that compare or group values by key, which mingo would do without the collation.
const KEYED_STAGES = new Set([
  '$group',
  '$bucket',
  '$bucketAuto',
  '$sortByCount',
  '$lookup',
  '$graphLookup',
  '$unionWith',
  '$facet',
  '$setWindowFields',
  '$densify',
  '$fill',
  '$redact',
  '$geoNear',
]);

// Expression operators that compare values, which mingo evaluates without the collation.
const COMPARING_EXPRESSIONS = new Set([
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$cmp',
  '$in',
  '$indexOfArray',
  '$setEquals',
  '$setIntersection',
  '$setUnion',
  '$setDifference',
  '$setIsSubset',
  '$max',
  '$min',
  '$sortArray',
  '$maxN',
  '$minN',
  '$topN',
  '$bottomN',
]);

function comparingExpression(v: unknown): string | undefined {
  if (Array.isArray(v)) {
    for (const x of v) {
      const found = comparingExpression(x);
      if (found) return found;
    }
  } else if (isPlainObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (COMPARING_EXPRESSIONS.has(k)) return k;
      const found = comparingExpression(x);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Refuses pipeline stages whose string comparisons a non-simple collation would change but mingo would
 * make byte by byte. `$match` is matched here (see compileCollated) and `$sort` by mingo with the
 * collation; other stages pass when they hold no comparing expression.
 */
export function checkPipelineUnderCollation(stages: readonly Doc[]): void {
  for (const stage of stages) {
    const name = Object.keys(stage)[0] ?? '';
    if (name === '$match' || name === '$sort') continue;
    // A group of everything (countDocuments' `{ _id: 1, n: { $sum: 1 } }`) compares no strings.
    const spec = stage[name];
    const constantGroup =
      name === '$group' &&
      isPlainObject(spec) &&
      !hasString(spec._id) &&
      !JSON.stringify(spec).includes('$addToSet');
    if (KEYED_STAGES.has(name) && !constantGroup)
      throw mongoError(
        'BadValue',
        `${name} under a non-simple collation is not supported by the local server (it would compare strings without the collation)`,
      );
    const op = comparingExpression(spec);
    if (op)
      throw mongoError(
        'BadValue',
        `the expression ${op} in ${name} under a non-simple collation is not supported by the local server (it would compare strings without the collation)`,
      );
  }
}
