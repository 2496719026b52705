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
 * 大陆居民往来台湾通行证 (the electronic card of 2016; 《中国公民往来台湾地区管理办法》): number (`L` and 8
 * characters), name and pinyin, sex, date of birth, place of issue, validity, and the Taiwan endorsement
 * (签注, e.g. `团队旅游 一次`) with its expiry.
 */
export const TRAVEL_PERMIT_TAIWAN: DocumentType = {
  name: 'travel_permit_taiwan',
  typeCode: `${DEFINING_BODIES.immigration}003`,
  zh: '往来台湾通行证',
  en: 'Travel permit to Taiwan',
  depth: 4,
  fields: [
    ...commonFields({
      documentNumber: { zh: '证件号码', en: 'Permit number', pattern: 'L[0-9]{8}|L[A-HJ-NP-Z][0-9]{7}' },
      issuerName: { zh: '签发机关', en: 'Authority' },
    }),
    NAME_LATIN_FIELD,
    SEX_FIELD(),
    { key: 'birthDate', zh: '出生日期', en: 'Date of birth', kind: 'date' },
    PLACE_FIELD('placeOfIssue', '签发地点', 'Place of issue'),
    {
      key: 'taiwanEndorsement',
      zh: '赴台签注',
      en: 'Taiwan endorsement',
      kind: 'text',
      maxBytes: 48,
      optional: true,
    },
    {
      key: 'taiwanEndorsementValidUntil',
      zh: '赴台签注有效期至',
      en: 'Taiwan endorsement valid until',
      kind: 'date',
      optional: true,
    },
    PORTRAIT_FIELD,
  ],
  face: {
    title: { zh: '大陆居民往来台湾通行证', en: 'Mainland Residents Travel Permit to Taiwan' },
    color: '#2e4a7a',
    headline: 'documentNumber',
    rows: [
      ['holderName', 'nameLatin'],
      ['birthDate', 'sex'],
      ['validFrom', 'validUntil'],
      ['issuerName', 'placeOfIssue'],
      ['documentNumber'],
      ['taiwanEndorsement', 'taiwanEndorsementValidUntil'],
    ],
  },
  visibility: {
    travel_permit_application: [
      'holderName',
      'holderIdNumber',
      'documentNumber',
      'validUntil',
      'taiwanEndorsement',
      'taiwanEndorsementValidUntil',
    ],
    exit_formalities: ['holderName', 'documentNumber', 'validUntil', 'nameLatin'],
  },
};
