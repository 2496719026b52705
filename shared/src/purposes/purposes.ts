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
] as const;
export type CardField = (typeof CARD_FIELDS)[number];

export interface Purpose {
  code: string;
  zh: string;
  en: string;
  /** Where the duty to show ID comes from, short, in Chinese. */
  basis: string;
  fields: readonly CardField[];
}

const IDENTITY_FULL: readonly CardField[] = ['name', 'sex', 'ethnicity', 'birthDate', 'address', 'idNumber'];

export const PURPOSES: readonly Purpose[] = Object.freeze([
  {
    code: 'household_registration',
    zh: '常住户口登记项目变更',
    en: 'Change of permanent household registration',
    basis: '《居民身份证法》第十四条第一项',
    fields: [...IDENTITY_FULL, 'issuingAuthority', 'validFrom', 'validUntil'],
  },
  {
    code: 'military_service',
    zh: '兵役登记',
    en: 'Military service registration',
    basis: '《居民身份证法》第十四条第二项',
    fields: IDENTITY_FULL,
  },
  {
    code: 'marriage_adoption',
    zh: '婚姻登记、收养登记',
    en: 'Marriage or adoption registration',
    basis: '《居民身份证法》第十四条第三项',
    fields: IDENTITY_FULL,
  },
  {
    code: 'exit_formalities',
    zh: '申请办理出境手续',
    en: 'Exit formalities',
    basis: '《居民身份证法》第十四条第四项',
    fields: [...IDENTITY_FULL, 'validUntil'],
  },
  {
    code: 'finance',
    zh: '金融业务',
    en: 'Financial services (customer identification)',
    basis: '《反洗钱法》客户身份识别',
    fields: ['name', 'sex', 'birthDate', 'address', 'idNumber', 'validUntil'],
  },
  {
    code: 'hotel_check_in',
    zh: '旅馆住宿登记',
    en: 'Hotel check-in',
    basis: '《旅馆业治安管理办法》第六条',
    fields: ['name', 'sex', 'ethnicity', 'birthDate', 'idNumberMasked'],
  },
  {
    code: 'medical_care',
    zh: '就医',
    en: 'Medical care',
    basis: '医疗机构实名就诊',
    fields: ['name', 'sex', 'birthDate', 'idNumberMasked'],
  },
  {
    code: 'social_security',
    zh: '社会保障',
    en: 'Social security',
    basis: '《社会保险法》参保登记',
    fields: ['name', 'sex', 'birthDate', 'idNumber'],
  },
  {
    code: 'taxation',
    zh: '纳税',
    en: 'Taxation',
    basis: '《税收征收管理法》纳税人识别',
    fields: ['name', 'idNumber'],
  },
  {
    code: 'education',
    zh: '教育考试与学籍',
    en: 'Education and examinations',
    basis: '考试报名与学籍管理实名制',
    fields: ['name', 'sex', 'birthDate', 'idNumberMasked'],
  },
  {
    code: 'government_services',
    zh: '政务服务',
    en: 'Government services',
    basis: '政务服务实名办理',
    fields: ['name', 'sex', 'ethnicity', 'birthDate', 'address', 'idNumberMasked'],
  },
] satisfies Purpose[]);

const BY_CODE = new Map(PURPOSES.map((p) => [p.code, p]));

/** The purpose with this code, or undefined. */
export function findPurpose(code: unknown): Purpose | undefined {
  return typeof code === 'string' ? BY_CODE.get(code) : undefined;
}

/**
 * Keeps only the fields the purpose allows.
 *
 * @example discloseFields(face, findPurpose('hotel_check_in')!) // { name, sex, ethnicity, birthDate, idNumberMasked }
 */
export function discloseFields<T extends Partial<Record<CardField, unknown>>>(
  face: T,
  purpose: Purpose,
): Partial<Record<CardField, T[CardField]>> {
  const out: Partial<Record<CardField, T[CardField]>> = {};
  for (const field of purpose.fields) if (face[field] !== undefined) out[field] = face[field];
  return out;
}
