import { findPurpose, type CardField, type Purpose } from '../purposes';

/**
 * What a relying party may ask for (issue 16). A party is registered, per purpose, for some of these; a
 * consent request may name only scopes its registration holds for that purpose (refused at creation
 * otherwise), and the answer carries only the fields of the scopes the resident approved.
 * `result` (the verdict and a pairwise subject identifier) is every registration's floor and needs no consent.
 */
export interface PartyScope {
  code: string;
  zh: string;
  en: string;
  /** Card fields the scope discloses. */
  fields: readonly CardField[];
}

export const CARD_SCOPES: readonly PartyScope[] = Object.freeze([
  { code: 'result', zh: '仅核验结果', en: 'Result only', fields: [] },
  { code: 'age_over_18', zh: '是否年满18周岁', en: 'Age at least 18', fields: ['ageOver18'] },
  { code: 'residence_province', zh: '居住省份', en: 'Province of residence', fields: ['residenceProvince'] },
  {
    code: 'name_masked_id',
    zh: '姓名和部分隐藏的身份证号',
    en: 'Name with masked ID number',
    fields: ['name', 'idNumberMasked'],
  },
  {
    code: 'card_face',
    zh: '身份证全部信息',
    en: 'Full card face data',
    fields: [
      'name',
      'sex',
      'ethnicity',
      'birthDate',
      'address',
      'idNumber',
      'issuingAuthority',
      'validFrom',
      'validUntil',
    ],
  },
] satisfies PartyScope[]);

/** A scope naming documents of one licence-wallet type: `document:<type>` (shared/src/licence/registry.ts). */
export const DOCUMENT_SCOPE_PREFIX = 'document:';

const BY_CODE = new Map(CARD_SCOPES.map((s) => [s.code, s]));

/** The card scope with this code, or undefined (document scopes are not card scopes). */
export function findCardScope(code: unknown): PartyScope | undefined {
  return typeof code === 'string' ? BY_CODE.get(code) : undefined;
}

/** The document type a `document:<type>` scope names, or undefined for any other string. */
export function documentTypeOfScope(scope: string): string | undefined {
  if (!scope.startsWith(DOCUMENT_SCOPE_PREFIX)) return undefined;
  const type = scope.slice(DOCUMENT_SCOPE_PREFIX.length);
  return /^[a-z][a-z0-9_]{0,63}$/.test(type) ? type : undefined;
}

/** The card fields a set of scopes discloses, in CARD_FIELDS order of first appearance, no repeats. */
export function fieldsOfScopes(scopes: readonly string[]): CardField[] {
  const out = new Set<CardField>();
  for (const s of scopes) for (const f of findCardScope(s)?.fields ?? []) out.add(f);
  return [...out];
}

/**
 * The kinds of relying party. Government bodies (`government`, `social_security`, `tax`) registered for a
 * purpose where the Resident Identity Card Law obliges the citizen to show the card (purposes 1-4,
 * `LEGAL_DUTY_PURPOSES`) read the fields of their registered scopes without a consent request.
 */
export const PARTY_CATEGORIES = [
  { code: 'bank', zh: '银行', en: 'Bank', government: false },
  { code: 'hotel', zh: '旅馆', en: 'Hotel', government: false },
  { code: 'hospital', zh: '医院', en: 'Hospital', government: false },
  { code: 'school', zh: '学校', en: 'School', government: false },
  { code: 'telecom', zh: '电信运营商', en: 'Telecom operator', government: false },
  { code: 'social_security', zh: '社会保障机构', en: 'Social security office', government: true },
  { code: 'tax', zh: '税务机关', en: 'Tax office', government: true },
  { code: 'government', zh: '政务服务窗口', en: 'Government service window', government: true },
  { code: 'other', zh: '其他', en: 'Other', government: false },
] as const;
export type PartyCategory = (typeof PARTY_CATEGORIES)[number]['code'];
export const PARTY_CATEGORY_CODES: readonly PartyCategory[] = PARTY_CATEGORIES.map((c) => c.code);

/** The purposes of the Resident Identity Card Law art. 14 (ids 1-4): the citizen must show the card. */
export const LEGAL_DUTY_PURPOSES: readonly string[] = [
  'household_registration',
  'military_service',
  'marriage_adoption',
  'exit_formalities',
];

export function isGovernmentCategory(category: string): boolean {
  return PARTY_CATEGORIES.some((c) => c.code === category && c.government);
}

/** Fields that say less than another field: an age threshold less than the birth date, and so on. */
const LESS_THAN: Partial<Record<CardField, readonly CardField[]>> = {
  ageOver14: ['birthDate', 'idNumber'],
  ageOver16: ['birthDate', 'idNumber'],
  ageOver18: ['birthDate', 'idNumber'],
  ageOver60: ['birthDate', 'idNumber'],
  residenceProvince: ['address'],
  idNumberMasked: ['idNumber'],
};

/** True when the purpose sees `field`, or a field that tells at least as much. */
export function coveredBy(field: CardField, purpose: Purpose): boolean {
  return purpose.fields.includes(field) || (LESS_THAN[field] ?? []).some((f) => purpose.fields.includes(f));
}

/**
 * Why a (purpose, scopes) grant cannot be registered, empty when it can: an unknown purpose or scope, or a
 * card scope with a field the purpose does not need (minimum necessary, docs/formats/purposes.md). Document
 * scopes must name a document type `knownDocumentType` accepts.
 */
export function grantProblems(
  purposeCode: string,
  scopes: readonly string[],
  knownDocumentType: (type: string) => boolean,
): string[] {
  const purpose: Purpose | undefined = findPurpose(purposeCode);
  if (!purpose) return [`unknown purpose ${purposeCode}`];
  const problems: string[] = [];
  if (new Set(scopes).size !== scopes.length) problems.push('a scope is listed twice');
  for (const scope of scopes) {
    const card = findCardScope(scope);
    if (card) {
      const extra = card.fields.filter((f) => !coveredBy(f, purpose));
      if (extra.length > 0)
        problems.push(`scope ${scope} discloses ${extra.join(', ')}, which ${purpose.code} does not need`);
      continue;
    }
    const type = documentTypeOfScope(scope);
    if (type === undefined) problems.push(`unknown scope ${scope}`);
    else if (!knownDocumentType(type)) problems.push(`unknown document type ${type}`);
  }
  return problems;
}
