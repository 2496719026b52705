/**
 * The published list of purposes for which a staff terminal may verify a card, and the card fields
 * each may see. The first four are the cases where the Resident Identity Card Law (art. 14) obliges
 * a citizen to show the card; the rest are common cases where other laws or regulations require it.
 * Each purpose gets the fewest fields its task needs (docs/formats/purposes.md explains each choice).
 */
export const CARD_FIELDS = [
  'name',
  'sex',
  'ethnicity',
  'birthDate',
  'address',
  'idNumber',
  'idNumberMasked',
  'issuingAuthority',
  'validFrom',
  'validUntil',
  'residenceProvince',
  'ageOver14',
  'ageOver16',
  'ageOver18',
  'ageOver60',
] as const;
export type CardField = (typeof CARD_FIELDS)[number];

/**
 * The card fields a v2 bright code can carry itself (its issuer-signed claims, docs/formats/credential.md);
 * the others (address, idNumber, issuingAuthority, validFrom, validUntil) come only from the BFF online.
 */
export const CODE_CLAIM_FIELDS = [
  'name',
  'sex',
  'birthDate',
  'idNumberMasked',
  'ethnicity',
  'residenceProvince',
  'ageOver14',
  'ageOver16',
  'ageOver18',
  'ageOver60',
] as const satisfies readonly CardField[];
export type CodeClaimField = (typeof CODE_CLAIM_FIELDS)[number];

export interface Purpose {
  /** Stable number a v2 code names its purpose by (one byte on the wire); never reused for another purpose. */
  id: number;
  code: string;
  zh: string;
  en: string;
  /** Where the duty to show ID comes from, short, in Chinese. */
  basis: string;
  fields: readonly CardField[];
  /**
   * What the device's code discloses for this purpose, in slot order: the fields a code can carry and, for a
   * purpose that sees the full ID number, the claims that number itself holds (`ID_NUMBER_CLAIMS`).
   */
  claims: readonly CodeClaimField[];
}

type PurposeEntry = Omit<Purpose, 'claims'>;

const IDENTITY_FULL: readonly CardField[] = ['name', 'sex', 'ethnicity', 'birthDate', 'address', 'idNumber'];

const ENTRIES: readonly PurposeEntry[] = [
  {
    id: 1,
    code: 'household_registration',
    zh: '常住户口登记项目变更',
    en: 'Change of permanent household registration',
    basis: '《居民身份证法》第十四条第一项',
    fields: [...IDENTITY_FULL, 'issuingAuthority', 'validFrom', 'validUntil'],
  },
  {
    id: 2,
    code: 'military_service',
    zh: '兵役登记',
    en: 'Military service registration',
    basis: '《居民身份证法》第十四条第二项',
    fields: IDENTITY_FULL,
  },
  {
    id: 3,
    code: 'marriage_adoption',
    zh: '婚姻登记、收养登记',
    en: 'Marriage or adoption registration',
    basis: '《居民身份证法》第十四条第三项',
    fields: IDENTITY_FULL,
  },
  {
    id: 4,
    code: 'exit_formalities',
    zh: '申请办理出境手续',
    en: 'Exit formalities',
    basis: '《居民身份证法》第十四条第四项',
    fields: [...IDENTITY_FULL, 'validUntil'],
  },
  {
    id: 5,
    code: 'finance',
    zh: '金融业务',
    en: 'Financial services (customer identification)',
    basis: '《反洗钱法》客户身份识别',
    fields: ['name', 'sex', 'birthDate', 'address', 'idNumber', 'validUntil'],
  },
  {
    id: 6,
    code: 'hotel_check_in',
    zh: '旅馆住宿登记',
    en: 'Hotel check-in',
    basis: '《旅馆业治安管理办法》第六条',
    fields: ['name', 'sex', 'ethnicity', 'birthDate', 'idNumberMasked'],
  },
  {
    id: 7,
    code: 'medical_care',
    zh: '就医',
    en: 'Medical care',
    basis: '医疗机构实名就诊',
    fields: ['name', 'sex', 'birthDate', 'idNumberMasked'],
  },
  {
    id: 8,
    code: 'social_security',
    zh: '社会保障',
    en: 'Social security',
    basis: '《社会保险法》参保登记',
    fields: ['name', 'sex', 'birthDate', 'idNumber'],
  },
  {
    id: 9,
    code: 'taxation',
    zh: '纳税',
    en: 'Taxation',
    basis: '《税收征收管理法》纳税人识别',
    fields: ['name', 'idNumber'],
  },
  {
    id: 10,
    code: 'education',
    zh: '教育考试与学籍',
    en: 'Education and examinations',
    basis: '考试报名与学籍管理实名制',
    fields: ['name', 'sex', 'birthDate', 'idNumberMasked'],
  },
  {
    id: 11,
    code: 'government_services',
    zh: '政务服务',
    en: 'Government services',
    basis: '政务服务实名办理',
    fields: ['name', 'sex', 'ethnicity', 'birthDate', 'address', 'idNumberMasked'],
  },
  {
    id: 12,
    code: 'age_over_14',
    zh: '个人信息处理年龄核验',
    en: 'Age check for processing personal information (14 or older)',
    basis: '《个人信息保护法》第三十一条',
    fields: ['ageOver14'],
  },
  {
    id: 13,
    code: 'age_over_16',
    zh: '用工年龄核验',
    en: 'Employment age check (16 or older)',
    basis: '《劳动法》第十五条',
    fields: ['ageOver16'],
  },
  {
    id: 14,
    code: 'age_over_18',
    zh: '年龄核验（满18周岁）',
    en: 'Age check (18 or older): tobacco, alcohol, internet cafés',
    basis: '《未成年人保护法》第五十九条、第五十八条',
    fields: ['ageOver18'],
  },
  {
    id: 15,
    code: 'age_over_60',
    zh: '老年人优待',
    en: 'Concessions for older people (60 or older)',
    basis: '《老年人权益保障法》社会优待',
    fields: ['ageOver60'],
  },
  {
    id: 16,
    code: 'residence_province',
    zh: '本省居民核验',
    en: 'Resident of the province',
    basis: '本省居民专属政策或服务的资格核验',
    fields: ['residenceProvince'],
  },
  {
    id: 17,
    code: 'pharmacy',
    zh: '药店实名购药',
    en: 'Real-name purchase at a pharmacy',
    basis: '药品零售实名购买登记',
    fields: ['name'],
  },
  {
    id: 18,
    code: 'holder_only',
    zh: '持证核验（不显示个人信息）',
    en: 'Holder check (no personal data shown)',
    basis: '《个人信息保护法》第六条（最小必要）',
    fields: [],
  },
];

const CODE_CLAIMS: ReadonlySet<CardField> = new Set(CODE_CLAIM_FIELDS);

/**
 * The code claims the 18-digit ID number itself holds (GB 11643-1999): the birth date (digits 7-14), the sex
 * (the parity of digit 17: odd male, even female) and the masked number (its first four and last four
 * characters). A purpose that may see the full number online learns nothing new from them, and its code
 * discloses them: with them the identity claims fill the aligned subtree 0-3 (or 0-4 with the ethnicity) of
 * the ID card's tree, so the code needs one salt and one proof node instead of three or four, and fits QR
 * version 15 with the longest seeded name (docs/formats/purposes.md, "Code sizes").
 */
export const ID_NUMBER_CLAIMS: readonly CodeClaimField[] = ['sex', 'birthDate', 'idNumberMasked'];

function claimsOf(fields: readonly CardField[]): readonly CodeClaimField[] {
  const sees = (f: CodeClaimField) =>
    fields.includes(f) || (fields.includes('idNumber') && ID_NUMBER_CLAIMS.includes(f));
  return Object.freeze(CODE_CLAIM_FIELDS.filter(sees));
}

export const PURPOSES: readonly Purpose[] = Object.freeze(
  ENTRIES.map((p) =>
    Object.freeze({ ...p, fields: Object.freeze([...p.fields]), claims: claimsOf(p.fields) }),
  ),
);

const BY_CODE = new Map(PURPOSES.map((p) => [p.code, p]));
const BY_ID = new Map(PURPOSES.map((p) => [p.id, p]));

/** The purpose with this code, or undefined. */
export function findPurpose(code: unknown): Purpose | undefined {
  return typeof code === 'string' ? BY_CODE.get(code) : undefined;
}

/** The purpose a v2 code names by number, or undefined (0, "no purpose", names none). */
export function findPurposeById(id: unknown): Purpose | undefined {
  return typeof id === 'number' ? BY_ID.get(id) : undefined;
}

/** True for the fields a bright code itself can carry. */
export function isCodeClaimField(field: CardField): field is CodeClaimField {
  return CODE_CLAIMS.has(field);
}

/**
 * Keeps only the fields the purpose allows.
 *
 * @example discloseFields(face, findPurpose('hotel_check_in')!) // { name, sex, ethnicity, birthDate, idNumberMasked }
 */
export function discloseFields<V>(
  face: Partial<Record<CardField, V>>,
  purpose: Purpose,
): Partial<Record<CardField, V>> {
  const out: Partial<Record<CardField, V>> = {};
  for (const field of purpose.fields) if (face[field] !== undefined) out[field] = face[field];
  return out;
}
