import type { DocumentType } from '../../registry';
import {
  commonFields,
  DEFINING_BODIES,
  NAME_LATIN_FIELD,
  PLACE_FIELD,
  PORTRAIT_FIELD,
  SEX_FIELD,
} from '../common';

const endorsement = (key: string, zh: string, en: string) => [
  { key, zh: `${zh}签注`, en: `${en} endorsement`, kind: 'text', maxBytes: 48, optional: true } as const,
  {
    key: `${key}ValidUntil`,
    zh: `${zh}签注有效期至`,
    en: `${en} endorsement valid until`,
    kind: 'date',
    optional: true,
  } as const,
];

/**
 * 往来港澳通行证 (the electronic card of 2014; 《中国公民因私事往来香港地区或者澳门地区的暂行管理办法》):
 * number (`C` and 8 characters), name and pinyin, sex, date of birth, place of issue, validity (10 years for
 * adults, 5 for minors), and one endorsement (签注) each for Hong Kong and Macao, e.g. `个人旅游 一年多次`,
 * with its expiry; a permit without an endorsement has none.
 */
export const TRAVEL_PERMIT_HK_MACAO: DocumentType = {
  name: 'travel_permit_hk_macao',
  typeCode: `${DEFINING_BODIES.immigration}002`,
  zh: '往来港澳通行证',
  en: 'Travel permit to Hong Kong and Macao',
  depth: 5,
  fields: [
    ...commonFields({
      documentNumber: { zh: '证件号码', en: 'Permit number', pattern: 'C[0-9]{8}|C[A-HJ-NP-Z][0-9]{7}' },
      issuerName: { zh: '签发机关', en: 'Authority' },
    }),
    NAME_LATIN_FIELD,
    SEX_FIELD(),
    { key: 'birthDate', zh: '出生日期', en: 'Date of birth', kind: 'date' },
    PLACE_FIELD('placeOfIssue', '签发地点', 'Place of issue'),
    ...endorsement('hkEndorsement', '香港', 'Hong Kong'),
    ...endorsement('macaoEndorsement', '澳门', 'Macao'),
    PORTRAIT_FIELD,
  ],
  face: {
    title: { zh: '往来港澳通行证', en: 'Exit-Entry Permit for Travelling to and from Hong Kong and Macao' },
    color: '#1f5f6b',
    headline: 'documentNumber',
    rows: [
      ['holderName', 'nameLatin'],
      ['birthDate', 'sex'],
      ['validFrom', 'validUntil'],
      ['issuerName', 'placeOfIssue'],
      ['documentNumber'],
      ['hkEndorsement', 'hkEndorsementValidUntil'],
      ['macaoEndorsement', 'macaoEndorsementValidUntil'],
    ],
  },
  visibility: {
    travel_permit_application: [
      'holderName',
      'holderIdNumber',
      'documentNumber',
      'validUntil',
      'hkEndorsement',
      'hkEndorsementValidUntil',
      'macaoEndorsement',
      'macaoEndorsementValidUntil',
    ],
    exit_formalities: ['holderName', 'documentNumber', 'validUntil', 'nameLatin'],
  },
};
