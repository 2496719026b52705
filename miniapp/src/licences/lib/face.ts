import {
  documentField,
  documentType,
  type DocFace,
  type LicenceFaceValue,
  type LicenceStatus,
  type LicenceTypeInfo,
  type WalletDocument,
} from '@eid/shared';
import type { Lang } from '../../i18n';
import { formatCardDate } from '../../lib/format';

export interface FaceCell {
  key: string;
  label: string;
  value: string;
}

/** What the face component draws: the type's declarative face filled with this document's values. */
export interface FaceModel {
  type: string;
  /** As printed on the document (Chinese). */
  title: string;
  /** The English title, shown under the printed one when the interface is in English. */
  titleEn: string;
  name: string;
  /** Background, `#rrggbb`, from the type's face. */
  color: string;
  /** Dark backgrounds (passport, marriage certificate, travel permits) are drawn as booklet covers. */
  tone: 'light' | 'dark';
  headline?: FaceCell;
  rows: FaceCell[][];
  status: LicenceStatus;
  /** The document prints a photo (the type has a portrait field): the face keeps its place. */
  portrait: boolean;
}

export interface FaceWords {
  longTerm: string;
  yes: string;
  no: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Relative luminance of `#rrggbb` (WCAG), 0 for black to 1 for white. */
export function luminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return 1;
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => {
    const c = parseInt(h!, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/**
 * A field's value as the document prints it: dates as 2030年5月1日 / 2030.05.01, yes and no in words, an
 * absent `validUntil` as 长期 (long-term). Undefined for a value the face cannot show (bytes).
 *
 * @example faceValueText('validUntil', undefined, 'zh', words) // '长期'
 */
export function faceValueText(
  key: string,
  value: LicenceFaceValue | Uint8Array | undefined,
  lang: Lang,
  words: FaceWords,
): string | undefined {
  if (value === undefined || value === null || value === '') {
    return key === 'validUntil' ? words.longTerm : undefined;
  }
  if (value instanceof Uint8Array) return undefined;
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  if (typeof value === 'number') return String(value);
  return ISO_DATE.test(value) ? formatCardDate(value, lang) : value;
}

interface FaceSource {
  face: DocFace;
  portrait: boolean;
  label(key: string): string;
  name: { zh: string; en: string };
}

/**
 * The face and field labels of a type: from the registry this build carries, else from the BFF's list of
 * types (a type published after this build), else a plain face of the values themselves.
 */
function sourceOf(
  doc: Pick<WalletDocument, 'type' | 'face'>,
  lang: Lang,
  info?: LicenceTypeInfo,
): FaceSource {
  const t = documentType(doc.type);
  if (t) {
    return {
      face: t.face,
      portrait: documentField(t, 'portraitDigest') !== undefined,
      label: (key) => documentField(t, key)?.spec[lang] ?? key,
      name: { zh: t.zh, en: t.en },
    };
  }
  if (info) {
    return {
      face: info.face,
      portrait: info.fields.some((f) => f.key === 'portraitDigest'),
      label: (key) => info.fields.find((f) => f.key === key)?.[lang] ?? key,
      name: { zh: info.zh, en: info.en },
    };
  }
  const keys = Object.keys(doc.face);
  return {
    face: {
      title: { zh: doc.type, en: doc.type },
      color: '#eef1f5',
      headline: keys[0] ?? 'documentNumber',
      rows: keys.map((k) => [k]),
    },
    portrait: false,
    label: (key) => key,
    name: { zh: doc.type, en: doc.type },
  };
}

/**
 * The face of one document, from its type's declarative face (title, colour, headline, rows) and the
 * values the BFF gave: rows keep the type's order; a field the document lacks leaves its row.
 */
export function faceModel(
  doc: Pick<WalletDocument, 'type' | 'face' | 'status'>,
  lang: Lang,
  words: FaceWords,
  info?: LicenceTypeInfo,
): FaceModel {
  const { face, label, name, portrait } = sourceOf(doc, lang, info);
  const cell = (key: string): FaceCell | undefined => {
    const value = faceValueText(key, doc.face[key], lang, words);
    return value === undefined ? undefined : { key, label: label(key), value };
  };
  const headline = cell(face.headline);
  // The headline is drawn large once, not again in its row.
  const rows = face.rows
    .map((row) =>
      row
        .filter((key) => !(headline && key === face.headline))
        .map(cell)
        .filter((c): c is FaceCell => c !== undefined),
    )
    .filter((row) => row.length > 0);
  return {
    type: doc.type,
    title: face.title.zh,
    titleEn: face.title.en,
    name: name[lang],
    color: face.color,
    tone: luminance(face.color) < 0.18 ? 'dark' : 'light',
    headline,
    rows,
    status: doc.status,
    portrait,
  };
}

/** The type's name in the current language (the registry's, else the BFF's, else the registry name). */
export function typeName(type: string, lang: Lang, info?: Pick<LicenceTypeInfo, 'zh' | 'en'>): string {
  const t = documentType(type);
  if (t) return t[lang];
  return info ? info[lang] : type;
}
