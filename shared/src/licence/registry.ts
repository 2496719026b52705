import { findPurpose } from '../purposes';
import { isValidUscc } from './uscc';
import { findService } from './services';
import { COMMON_FIELDS } from './types/common';
import { BUILT_IN_DOCUMENT_TYPES } from './types';

/**
 * Document types of the licence wallet, registered by name (docs/formats/licence-document.md). Each type is
 * one module under `types/<name>/` exporting a `DocumentType`; `types/index.ts` lists them all and this
 * module registers that list when it loads, so a new type is a new folder and its line in the list. (The
 * registry imports the list, rather than the list registering itself, because the package is marked free of
 * side effects: a bundler would drop a module that only registers.)
 */

/** How a field's value is written in the salted hash tree (CBOR) and in `DocumentSecrets`. */
export type DocFieldKind = 'text' | 'date' | 'uint' | 'bool' | 'bytes';

export interface DocFieldSpec {
  /** Stable key (lower camel case): the name services and faces use; the slot is its position. */
  key: string;
  zh: string;
  en: string;
  /**
   * `text`: UTF-8, trimmed, 1..maxBytes bytes. `date`: `YYYY-MM-DD` (CBOR uint YYYYMMDD). `uint`: safe
   * integer >= 0. `bool`. `bytes`: minBytes..maxBytes.
   */
  kind: DocFieldKind;
  /** Upper bound in bytes for `text` and `bytes` (defaults: 128 and 64). */
  maxBytes?: number;
  /** Lower bound in bytes for `bytes` (default 1). */
  minBytes?: number;
  /** For `text`: a regular expression (source, anchored by the checker) the value must match. */
  pattern?: string;
  /** An optional field may be absent; its slot then holds CBOR null. */
  optional?: boolean;
}

/** The declarative face the wallet and the annotated-copy PDF draw. */
export interface DocFace {
  title: { zh: string; en: string };
  /** Background colour of the card face, `#rrggbb`. */
  color: string;
  /** The field shown large at the top (e.g. the plate number of a vehicle registration). */
  headline: string;
  /** Rows of field keys in display order. */
  rows: readonly (readonly string[])[];
}

export interface DocumentType {
  /** Registry name, e.g. `driving_licence`: stable, written in every credential. */
  name: string;
  /** National type code: the defining body's USCC + 3 digits (21 characters). */
  typeCode: string;
  zh: string;
  en: string;
  /** Depth of the salted hash tree (1..6); slots = 2^depth >= fields. */
  depth: number;
  /** Slot i holds fields[i]; the remaining slots hold null. The common fields come first. */
  fields: readonly DocFieldSpec[];
  face: DocFace;
  /**
   * What each published card purpose (shared/src/purposes) or document-call service (services.ts) may read:
   * purpose or service code -> field keys.
   */
  visibility: Readonly<Record<string, readonly string[]>>;
}

export const MIN_SD_DEPTH = 1;
export const MAX_SD_DEPTH = 6;
export const DEFAULT_TEXT_MAX_BYTES = 128;
export const DEFAULT_BYTES_MAX = 64;

const NAME = /^[a-z][a-z0-9_]{1,39}$/;
const FIELD_KEY = /^[a-z][A-Za-z0-9]{0,31}$/;
const TYPE_CODE_TAIL = /^[0-9]{3}$/;
const COLOR = /^#[0-9a-fA-F]{6}$/;
const KINDS: readonly DocFieldKind[] = ['text', 'date', 'uint', 'bool', 'bytes'];

const registry = new Map<string, DocumentType>();

function fieldProblems(f: DocFieldSpec, at: string): string[] {
  const out: string[] = [];
  if (!FIELD_KEY.test(f.key)) out.push(`${at}: key is not lower camel case of 1-32 characters`);
  if (!f.zh || !f.en) out.push(`${at}: zh and en names are required`);
  if (!KINDS.includes(f.kind)) out.push(`${at}: kind ${String(f.kind)} is unknown`);
  for (const bound of ['maxBytes', 'minBytes'] as const) {
    const v = f[bound];
    if (v === undefined) continue;
    if (f.kind !== 'text' && f.kind !== 'bytes') out.push(`${at}: ${bound} only applies to text and bytes`);
    if (!Number.isSafeInteger(v) || v < 1 || v > 4096) out.push(`${at}: ${bound} must be 1..4096`);
  }
  if (f.minBytes !== undefined && f.kind !== 'bytes') out.push(`${at}: minBytes only applies to bytes`);
  if ((f.minBytes ?? 1) > (f.maxBytes ?? DEFAULT_BYTES_MAX)) out.push(`${at}: minBytes exceeds maxBytes`);
  if (f.pattern !== undefined) {
    if (f.kind !== 'text') out.push(`${at}: pattern only applies to text`);
    try {
      new RegExp(f.pattern);
    } catch {
      out.push(`${at}: pattern does not compile`);
    }
  }
  return out;
}

function faceProblems(t: DocumentType, keys: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const { face } = t;
  if (!face || typeof face !== 'object') return ['face is missing'];
  if (!face.title?.zh || !face.title?.en) out.push('face.title needs zh and en');
  if (!COLOR.test(face.color ?? '')) out.push('face.color is not #rrggbb');
  if (!keys.has(face.headline)) out.push(`face.headline ${face.headline} is not a field`);
  const seen = new Set<string>();
  if (!Array.isArray(face.rows) || face.rows.length === 0) out.push('face.rows is empty');
  for (const row of face.rows ?? []) {
    if (!Array.isArray(row) || row.length === 0) out.push('face.rows has an empty row');
    for (const key of row ?? []) {
      if (!keys.has(key)) out.push(`face.rows names ${key}, not a field`);
      if (seen.has(key)) out.push(`face.rows names ${key} twice`);
      seen.add(key);
    }
  }
  return out;
}

function visibilityProblems(t: DocumentType, keys: ReadonlySet<string>): string[] {
  const out: string[] = [];
  if (!t.visibility || typeof t.visibility !== 'object') return ['visibility is missing'];
  for (const [code, fields] of Object.entries(t.visibility)) {
    if (!findPurpose(code) && !findService(code)) {
      out.push(`visibility names ${code}, neither a card purpose nor a service`);
    }
    if (!Array.isArray(fields) || fields.length === 0) out.push(`visibility.${code} lists no field`);
    const seen = new Set<string>();
    for (const key of fields ?? []) {
      if (!keys.has(key)) out.push(`visibility.${code} names ${key}, not a field`);
      if (seen.has(key)) out.push(`visibility.${code} names ${key} twice`);
      seen.add(key);
    }
  }
  return out;
}

/**
 * Everything wrong with a type as a candidate for the registry (empty when it can be registered): name and
 * type code (valid USCC + 3 digits) unique, depth 1..6 with the fields fitting 2^depth slots, the common
 * fields first, every field well formed and unique, and face and visibility naming only its fields and only
 * published purposes or services.
 */
export function documentTypeProblems(t: DocumentType): string[] {
  const out: string[] = [];
  if (typeof t.name !== 'string' || !NAME.test(t.name)) out.push('name is not snake case of 2-40 characters');
  else if (registry.has(t.name)) out.push(`name ${t.name} is already registered`);
  const code = typeof t.typeCode === 'string' ? t.typeCode : '';
  if (code.length !== 21 || !isValidUscc(code.slice(0, 18)) || !TYPE_CODE_TAIL.test(code.slice(18))) {
    out.push('typeCode is not a valid USCC followed by 3 digits');
  } else {
    const twin = [...registry.values()].find((r) => r.typeCode === code);
    if (twin) out.push(`typeCode ${code} is already the code of ${twin.name}`);
  }
  if (!t.zh || !t.en) out.push('zh and en names are required');
  if (!Number.isInteger(t.depth) || t.depth < MIN_SD_DEPTH || t.depth > MAX_SD_DEPTH) {
    out.push(`depth must be ${MIN_SD_DEPTH}..${MAX_SD_DEPTH}`);
  }
  const fields = Array.isArray(t.fields) ? t.fields : [];
  if (Number.isInteger(t.depth) && fields.length > 2 ** t.depth) {
    out.push(`${fields.length} fields do not fit 2^${t.depth} slots`);
  }
  const keys = new Set<string>();
  fields.forEach((f, i) => {
    out.push(...fieldProblems(f, `fields[${i}] (${f.key})`));
    if (keys.has(f.key)) out.push(`field ${f.key} appears twice`);
    keys.add(f.key);
  });
  COMMON_FIELDS.forEach((common, i) => {
    const f = fields[i];
    if (!f || f.key !== common.key || f.kind !== common.kind || !!f.optional !== !!common.optional) {
      out.push(`slot ${i} must be the common field ${common.key}`);
    }
  });
  out.push(...faceProblems(t, keys));
  out.push(...visibilityProblems(t, keys));
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Adds a type to the registry (frozen); throws an Error listing every problem when it is not valid.
 *
 * @example registerDocumentType(DRIVING_LICENCE) // types/index.ts does this for every type
 */
export function registerDocumentType(t: DocumentType): void {
  const problems = documentTypeProblems(t);
  if (problems.length > 0) {
    throw new Error(`document type ${String(t.name)} refused: ${problems.join('; ')}`);
  }
  registry.set(t.name, deepFreeze(t));
}

/** The registered type of this name, or undefined. */
export function documentType(name: unknown): DocumentType | undefined {
  return typeof name === 'string' ? registry.get(name) : undefined;
}

/** Every registered type, in registration order. */
export function documentTypes(): readonly DocumentType[] {
  return [...registry.values()];
}

/** The spec of a field of `t` and its slot, or undefined. */
export function documentField(
  t: DocumentType,
  key: string,
): { slot: number; spec: DocFieldSpec } | undefined {
  const slot = t.fields.findIndex((f) => f.key === key);
  return slot < 0 ? undefined : { slot, spec: t.fields[slot]! };
}

/**
 * The slots of `keys` in `t`, ascending (the order a disclosure lists them); throws on an unknown key.
 *
 * @example documentSlots(DRIVING_LICENCE, ['vehicleClass', 'holderName']) // [0, 10]
 */
export function documentSlots(t: DocumentType, keys: readonly string[]): number[] {
  const slots = keys.map((key) => {
    const found = documentField(t, key);
    if (!found) throw new Error(`document type ${t.name} has no field ${key}`);
    return found.slot;
  });
  return [...new Set(slots)].sort((a, b) => a - b);
}

for (const t of BUILT_IN_DOCUMENT_TYPES) registerDocumentType(t);
