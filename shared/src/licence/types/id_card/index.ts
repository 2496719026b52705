import type { DocumentType } from '../../registry';
import { commonFields, DEFINING_BODIES, PORTRAIT_FIELD, RESIDENT_ID_PATTERN, SEX_FIELD } from '../common';

/**
 * 居民身份证, the resident identity card as the licence system holds it (《居民身份证法》第三条: name, sex,
 * ethnicity, date of birth, address, ID number, portrait, issuing authority, validity). Listed in the wallet
 * only: a window proves the holder's identity with the bright card and its purposes, never by a document call,
 * so no service or purpose sees it here.
 */
export const ID_CARD: DocumentType = {
  name: 'id_card',
  typeCode: `${DEFINING_BODIES.publicSecurity}001`,
  zh: '居民身份证',
  en: 'Resident identity card',
  depth: 4,
  fields: [
    ...commonFields({
      documentNumber: { zh: '公民身份号码', en: 'Citizen ID number', pattern: RESIDENT_ID_PATTERN },
      issuerName: { zh: '签发机关', en: 'Issuing authority' },
      issueDate: { zh: '签发日期', en: 'Issue date' },
    }),
    SEX_FIELD(),
    { key: 'ethnicity', zh: '民族', en: 'Ethnicity', kind: 'text', maxBytes: 32 },
    { key: 'birthDate', zh: '出生', en: 'Date of birth', kind: 'date' },
    { key: 'address', zh: '住址', en: 'Address', kind: 'text', maxBytes: 210 },
    PORTRAIT_FIELD,
  ],
  face: {
    title: { zh: '居民身份证', en: 'Resident Identity Card' },
    color: '#dce9f5',
    headline: 'holderName',
    rows: [
      ['holderName'],
      ['sex', 'ethnicity'],
      ['birthDate'],
      ['address'],
      ['documentNumber'],
      ['issuerName'],
      ['validFrom', 'validUntil'],
    ],
  },
  visibility: {},
};
