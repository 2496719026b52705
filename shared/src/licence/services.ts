import type { DocumentType } from './registry';

/**
 * The published catalogue of document-call services (docs/formats/licence-document.md): for each service
 * window, the documents it requires, those it may ask for, and for each document the fields it may read.
 * A window asking for a document or field not listed here is refused when it creates the request. The
 * holder's identity itself comes from the bright card (a card purpose), so the ID card is not listed.
 *
 * Each type's `visibility[service.code]` must be exactly the fields listed here (checked by
 * `serviceCatalogueProblems` and its test), so the device discloses no more than a window may read.
 */

export interface ServiceDocument {
  /** Registry name of the document type. */
  type: string;
  /** Field keys the window may read, in the type's slot order. */
  fields: readonly string[];
}

export interface DocumentService {
  /**
   * Stable number a document code names the service by; 101 and up, so it never collides with a card
   * purpose id (1..99, shared/src/purposes). Never reused.
   */
  id: number;
  code: string;
  zh: string;
  en: string;
  /** Where the window's duty or power to see the documents comes from, short, in Chinese. */
  basis: string;
  required: readonly ServiceDocument[];
  optional: readonly ServiceDocument[];
  /** Upper bound on how long after approval the window may read the documents. */
  maxAccessMs: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Default read access after approval: one working day, taken as 24 hours from approval, so a request
 * approved at the window during the afternoon can still be finished the next morning.
 */
export const DEFAULT_ACCESS_MS = DAY;
/** No service may keep access longer than this. */
export const MAX_ACCESS_MS = 7 * DAY;
/** The smallest service id; purposes use 1..99. */
export const FIRST_SERVICE_ID = 101;

const HOLDER = ['holderName', 'holderIdNumber'] as const;

const ENTRIES: readonly DocumentService[] = [
  {
    id: 101,
    code: 'marriage_registration',
    zh: '婚姻登记',
    en: 'Marriage registration',
    basis: '《婚姻登记条例》第五条、第十一条',
    required: [
      {
        type: 'household_register',
        fields: [
          ...HOLDER,
          'documentNumber',
          'issuerName',
          'areaCode',
          'householdNumber',
          'relationToHead',
          'address',
          'sex',
          'ethnicity',
          'birthDate',
          'maritalStatus',
        ],
      },
    ],
    optional: [
      {
        type: 'residence_permit',
        fields: [
          ...HOLDER,
          'documentNumber',
          'issuerName',
          'validFrom',
          'validUntil',
          'areaCode',
          'residenceAddress',
        ],
      },
      {
        type: 'marriage_certificate',
        fields: [
          ...HOLDER,
          'documentNumber',
          'issuerName',
          'spouseName',
          'spouseIdNumberMasked',
          'registrationDate',
          'registryOffice',
        ],
      },
    ],
    maxAccessMs: DAY,
  },
  {
    id: 102,
    code: 'business_licence',
    zh: '营业执照申请',
    en: 'Business licence application',
    basis: '《市场主体登记管理条例》第十六条（住所或者主要经营场所）',
    required: [],
    optional: [
      { type: 'household_register', fields: [...HOLDER, 'areaCode', 'address'] },
      { type: 'residence_permit', fields: [...HOLDER, 'validUntil', 'areaCode', 'residenceAddress'] },
      {
        type: 'temporary_residence_permit',
        fields: [...HOLDER, 'validUntil', 'areaCode', 'residenceAddress'],
      },
    ],
    maxAccessMs: 3 * DAY,
  },
  {
    id: 103,
    code: 'passport_application',
    zh: '护照申领',
    en: 'Passport application',
    basis: '《中华人民共和国护照法》第五条、第十一条',
    required: [],
    optional: [
      {
        type: 'passport',
        fields: [...HOLDER, 'documentNumber', 'issuerName', 'issueDate', 'validUntil', 'placeOfIssue'],
      },
      {
        type: 'household_register',
        fields: [...HOLDER, 'householdNumber', 'headName', 'relationToHead', 'address', 'birthDate'],
      },
    ],
    maxAccessMs: 7 * DAY,
  },
  {
    id: 104,
    code: 'travel_permit_application',
    zh: '往来港澳台通行证申领',
    en: 'Travel permit for Hong Kong, Macao or Taiwan',
    basis: '《中国公民因私事往来香港地区或者澳门地区的暂行管理办法》《中国公民往来台湾地区管理办法》',
    required: [],
    optional: [
      {
        type: 'travel_permit_hk_macao',
        fields: [
          ...HOLDER,
          'documentNumber',
          'validUntil',
          'hkEndorsement',
          'hkEndorsementValidUntil',
          'macaoEndorsement',
          'macaoEndorsementValidUntil',
        ],
      },
      {
        type: 'travel_permit_taiwan',
        fields: [
          ...HOLDER,
          'documentNumber',
          'validUntil',
          'taiwanEndorsement',
          'taiwanEndorsementValidUntil',
        ],
      },
      {
        type: 'household_register',
        fields: [...HOLDER, 'householdNumber', 'headName', 'relationToHead', 'address', 'birthDate'],
      },
    ],
    maxAccessMs: 7 * DAY,
  },
  {
    id: 105,
    code: 'household_change',
    zh: '户口迁移/变更登记',
    en: 'Household registration transfer or change',
    basis: '《中华人民共和国户口登记条例》第十条、第十七条',
    required: [
      {
        type: 'household_register',
        fields: [
          ...HOLDER,
          'holderIdType',
          'documentNumber',
          'issuerName',
          'areaCode',
          'householdNumber',
          'householdType',
          'headName',
          'relationToHead',
          'address',
          'sex',
          'ethnicity',
          'birthDate',
          'birthplace',
          'nativePlace',
          'formerName',
          'maritalStatus',
          'education',
          'militaryService',
          'occupation',
          'movedInFrom',
          'registeredOn',
        ],
      },
    ],
    optional: [
      {
        type: 'marriage_certificate',
        fields: [
          ...HOLDER,
          'documentNumber',
          'issuerName',
          'spouseName',
          'spouseIdNumberMasked',
          'registrationDate',
        ],
      },
      {
        type: 'residence_permit',
        fields: [
          ...HOLDER,
          'documentNumber',
          'validFrom',
          'validUntil',
          'areaCode',
          'residenceAddress',
          'signUpDate',
        ],
      },
    ],
    maxAccessMs: 3 * DAY,
  },
  {
    id: 106,
    code: 'vehicle_transfer',
    zh: '机动车转移登记',
    en: 'Motor vehicle transfer registration',
    basis: '《机动车登记规定》第二十五条',
    required: [
      {
        type: 'vehicle_registration',
        fields: [
          ...HOLDER,
          'documentNumber',
          'issuerName',
          'plateNumber',
          'vehicleType',
          'owner',
          'useCharacter',
          'brandModel',
          'vin',
          'engineNumber',
          'registrationDate',
          'registrationCertificateNumber',
          'inspectionValidUntil',
        ],
      },
    ],
    optional: [
      { type: 'residence_permit', fields: [...HOLDER, 'validUntil', 'areaCode', 'residenceAddress'] },
    ],
    maxAccessMs: DAY,
  },
];

function freezeService(s: DocumentService): DocumentService {
  const doc = (d: ServiceDocument) => Object.freeze({ type: d.type, fields: Object.freeze([...d.fields]) });
  return Object.freeze({
    ...s,
    required: Object.freeze(s.required.map(doc)),
    optional: Object.freeze(s.optional.map(doc)),
  });
}

export const DOCUMENT_SERVICES: readonly DocumentService[] = Object.freeze(ENTRIES.map(freezeService));

const BY_CODE = new Map(DOCUMENT_SERVICES.map((s) => [s.code, s]));
const BY_ID = new Map(DOCUMENT_SERVICES.map((s) => [s.id, s]));

/** The service with this code, or undefined. */
export function findService(code: unknown): DocumentService | undefined {
  return typeof code === 'string' ? BY_CODE.get(code) : undefined;
}

/** The service a document code names by number, or undefined. */
export function findServiceById(id: unknown): DocumentService | undefined {
  return typeof id === 'number' ? BY_ID.get(id) : undefined;
}

/** What a service allows of one document type: its fields and whether it is required, or undefined. */
export function serviceDocument(
  service: DocumentService,
  type: string,
): { fields: readonly string[]; required: boolean } | undefined {
  const required = service.required.find((d) => d.type === type);
  if (required) return { fields: required.fields, required: true };
  const optional = service.optional.find((d) => d.type === type);
  return optional ? { fields: optional.fields, required: false } : undefined;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && new Set(a).size === a.length && a.every((x) => b.includes(x));

/**
 * Everything wrong with the catalogue against a set of document types (empty when sound): unique codes and
 * ids, access bounds, each listed type known with each listed field one of its fields, in slot order, each
 * type listed once per service, and each type's visibility for a service exactly the listed fields (and no
 * visibility for a service that does not list the type).
 *
 * @example serviceCatalogueProblems(documentType, documentTypes()) // [] (test/shared/licence/services.test.ts)
 */
export function serviceCatalogueProblems(
  lookup: (name: string) => DocumentType | undefined,
  types: readonly DocumentType[],
  services: readonly DocumentService[] = DOCUMENT_SERVICES,
): string[] {
  const out: string[] = [];
  const codes = new Set<string>();
  const ids = new Set<number>();
  for (const s of services) {
    if (codes.has(s.code)) out.push(`service code ${s.code} appears twice`);
    if (ids.has(s.id)) out.push(`service id ${s.id} appears twice`);
    codes.add(s.code);
    ids.add(s.id);
    if (!Number.isInteger(s.id) || s.id < FIRST_SERVICE_ID || s.id > 0xffff)
      out.push(`${s.code}: id out of range`);
    if (!(s.maxAccessMs >= DEFAULT_ACCESS_MS && s.maxAccessMs <= MAX_ACCESS_MS)) {
      out.push(`${s.code}: maxAccessMs must be between one working day and ${MAX_ACCESS_MS} ms`);
    }
    const docs = [...s.required, ...s.optional];
    if (docs.length === 0) out.push(`${s.code}: names no document`);
    const listed = new Set<string>();
    for (const d of docs) {
      if (listed.has(d.type)) out.push(`${s.code}: lists ${d.type} twice`);
      listed.add(d.type);
      const t = lookup(d.type);
      if (!t) {
        out.push(`${s.code}: ${d.type} is not a registered document type`);
        continue;
      }
      const slots = d.fields.map((key) => t.fields.findIndex((f) => f.key === key));
      d.fields.forEach((key, i) => {
        if (slots[i]! < 0) out.push(`${s.code}: ${d.type} has no field ${key}`);
      });
      if (d.fields.length === 0) out.push(`${s.code}: ${d.type} lists no field`);
      if (slots.some((slot, i) => i > 0 && slot <= slots[i - 1]!)) {
        out.push(`${s.code}: ${d.type} fields are not in slot order (or repeat)`);
      }
      const visible = t.visibility[s.code];
      if (!visible || !sameSet(visible, d.fields)) {
        out.push(`${s.code}: ${d.type}.visibility.${s.code} is not exactly the catalogue's fields`);
      }
    }
    for (const t of types) {
      if (t.visibility[s.code] && !listed.has(t.name)) {
        out.push(`${t.name}.visibility names ${s.code}, which does not list the type`);
      }
    }
  }
  return out;
}
