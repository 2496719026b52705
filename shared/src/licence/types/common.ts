import type { DocFieldSpec } from '../registry';

/**
 * The fields every type has, in its first slots, in this order. `validUntil` absent means long-term (长期).
 * `holderIdType` is the ID-document type code of GA/T 2000.156 as national e-licences write it (111 =
 * 居民身份证, 414 = 普通护照, ...).
 */
export const COMMON_FIELDS: readonly DocFieldSpec[] = Object.freeze([
  { key: 'holderName', zh: '持证人姓名', en: 'Holder name', kind: 'text', maxBytes: 102 },
  {
    key: 'holderIdNumber',
    zh: '持证人证件号码',
    en: 'Holder ID number',
    kind: 'text',
    maxBytes: 32,
    pattern: '[0-9A-Z]{6,32}',
  },
  { key: 'holderIdType', zh: '证件类型代码', en: 'Holder ID type code', kind: 'text', pattern: '[0-9]{3}' },
  {
    key: 'documentNumber',
    zh: '证照编号',
    en: 'Document number',
    kind: 'text',
    maxBytes: 40,
    pattern: '[0-9A-Za-z\\-]{1,40}',
  },
  { key: 'issuerName', zh: '发证机关', en: 'Issuing authority', kind: 'text', maxBytes: 128 },
  { key: 'issueDate', zh: '发证日期', en: 'Issue date', kind: 'date' },
  { key: 'validFrom', zh: '有效期起始', en: 'Valid from', kind: 'date' },
  { key: 'validUntil', zh: '有效期至', en: 'Valid until', kind: 'date', optional: true },
  { key: 'areaCode', zh: '行政区划代码', en: 'Area code', kind: 'text', pattern: '[1-9][0-9]{5}' },
] satisfies DocFieldSpec[]);

export const COMMON_FIELD_KEYS: readonly string[] = Object.freeze(COMMON_FIELDS.map((f) => f.key));

/** What a type may change of a common field: how it is labelled and, for text, its pattern or bound. */
export type CommonFieldLabel = Partial<Pick<DocFieldSpec, 'zh' | 'en' | 'pattern' | 'maxBytes'>>;

/**
 * The common fields (registry's COMMON_FIELDS, slots 0..8) with this type's own labels: a driving licence
 * calls its document number 证号, a passport 护照号码. Keys, kinds and optionality never change.
 *
 * @example fields: [...commonFields({ documentNumber: { zh: '护照号码', en: 'Passport number' } }), ...own]
 */
export function commonFields(labels: Partial<Record<string, CommonFieldLabel>> = {}): DocFieldSpec[] {
  return COMMON_FIELDS.map((f) => ({ ...f, ...labels[f.key] }));
}

/** GA/T 2000.156 ID-document type code of the resident identity card, the holder ID of every seeded document. */
export const ID_TYPE_RESIDENT_CARD = '111';

/** The 18-character resident ID number, as `holderIdNumber` usually carries it. */
export const RESIDENT_ID_PATTERN = '[1-9][0-9]{16}[0-9X]';

/** Sex as printed on the document. */
export const SEX_FIELD = (key = 'sex', zh = '性别', en = 'Sex'): DocFieldSpec => ({
  key,
  zh,
  en,
  kind: 'text',
  pattern: '男|女',
});

/** A 16-byte SHA-256 prefix of the portrait printed on the document (the picture itself never travels here). */
export const PORTRAIT_FIELD: DocFieldSpec = {
  key: 'portraitDigest',
  zh: '照片摘要',
  en: 'Portrait digest',
  kind: 'bytes',
  minBytes: 16,
  maxBytes: 16,
};

/** Latin (pinyin) name as printed in travel documents: `ZHANG, SANFENG`. */
export const NAME_LATIN_FIELD: DocFieldSpec = {
  key: 'nameLatin',
  zh: '姓名拼音',
  en: 'Name (Latin)',
  kind: 'text',
  maxBytes: 64,
  pattern: "[A-Z]+(?:[ '-][A-Z]+)*, [A-Z]+(?:[ '-][A-Z]+)*",
};

/** Province (or abroad) of issue or birth as travel documents print it: `山东`. */
export const PLACE_FIELD = (key: string, zh: string, en: string): DocFieldSpec => ({
  key,
  zh,
  en,
  kind: 'text',
  maxBytes: 48,
});

/**
 * Defining bodies of the seeded types (the USCC in a type code). Structurally valid codes (both check
 * characters) standing for the real bodies; the stand-in licence system is synthetic.
 */
export const DEFINING_BODIES = {
  /** 中华人民共和国公安部: identity, residence, household and traffic documents. */
  publicSecurity: '11100000000013127D',
  /** 中华人民共和国民政部: marriage registration. */
  civilAffairs: '11100000000014306T',
  /** 国家移民管理局: passports and travel permits. */
  immigration: '11100000MB1A883063',
  /** 山东省公安厅: the province's temporary residence permit (a provincial document, not a national one). */
  shandongPublicSecurity: '11370000004182307B',
} as const;
