import type { DocumentType } from '../../registry';
import {
  commonFields,
  DEFINING_BODIES,
  NAME_LATIN_FIELD,
  PLACE_FIELD,
  PORTRAIT_FIELD,
  SEX_FIELD,
} from '../common';

/**
 * 中华人民共和国普通护照 (ICAO Doc 9303 data page; 《护照法》): type `P`, issuing state `CHN`, passport number
 * (`E` and 8 characters), name in Chinese and in pinyin, sex, nationality, date and place of birth (province),
 * date and place of issue, date of expiry (`validUntil`, 10 years for adults, 5 for minors), authority
 * 国家移民管理局. The machine-readable zone is derived from these and not kept.
 */
export const PASSPORT: DocumentType = {
  name: 'passport',
  typeCode: `${DEFINING_BODIES.immigration}001`,
  zh: '普通护照',
  en: 'Passport',
  depth: 5,
  fields: [
    ...commonFields({
      documentNumber: {
        zh: '护照号码',
        en: 'Passport number',
        pattern: '[EG][0-9]{8}|E[A-HJ-NP-Z][0-9]{7}',
      },
      issuerName: { zh: '签发机关', en: 'Authority' },
      validUntil: { zh: '有效期至', en: 'Date of expiry' },
    }),
    { key: 'passportType', zh: '类型', en: 'Type', kind: 'text', pattern: 'P' },
    { key: 'countryCode', zh: '国家码', en: 'Country code', kind: 'text', pattern: 'CHN' },
    NAME_LATIN_FIELD,
    SEX_FIELD(),
    { key: 'nationality', zh: '国籍', en: 'Nationality', kind: 'text', maxBytes: 48 },
    { key: 'birthDate', zh: '出生日期', en: 'Date of birth', kind: 'date' },
    PLACE_FIELD('placeOfBirth', '出生地点', 'Place of birth'),
    PLACE_FIELD('placeOfIssue', '签发地点', 'Place of issue'),
    PORTRAIT_FIELD,
  ],
  face: {
    title: { zh: '中华人民共和国护照', en: 'Passport of the People\u2019s Republic of China' },
    color: '#6d1f2a',
    headline: 'documentNumber',
    rows: [
      ['passportType', 'countryCode', 'documentNumber'],
      ['holderName'],
      ['nameLatin'],
      ['sex', 'nationality'],
      ['birthDate', 'placeOfBirth'],
      ['issueDate', 'placeOfIssue'],
      ['validUntil'],
      ['issuerName'],
    ],
  },
  visibility: {
    passport_application: [
      'holderName',
      'holderIdNumber',
      'documentNumber',
      'issuerName',
      'issueDate',
      'validUntil',
      'placeOfIssue',
    ],
    exit_formalities: ['holderName', 'documentNumber', 'validUntil', 'nameLatin'],
  },
};
