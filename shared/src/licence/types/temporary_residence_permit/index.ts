import type { DocumentType } from '../../registry';
import { commonFields, DEFINING_BODIES, SEX_FIELD } from '../common';

/**
 * 临时居住证: the short permit (usually six months) some provinces issue to people registered at an address
 * who do not yet meet the residence permit's conditions; a provincial document, so its type is defined by
 * the province's public security department. Carries the reason for the stay (务工, 经商, 就学, ...) and the
 * date of registration at the address; no portrait.
 */
export const TEMPORARY_RESIDENCE_PERMIT: DocumentType = {
  name: 'temporary_residence_permit',
  typeCode: `${DEFINING_BODIES.shandongPublicSecurity}001`,
  zh: '临时居住证',
  en: 'Temporary residence permit',
  depth: 4,
  fields: [
    ...commonFields({ documentNumber: { zh: '临时居住证编号', en: 'Permit number' } }),
    SEX_FIELD(),
    { key: 'birthDate', zh: '出生日期', en: 'Date of birth', kind: 'date' },
    {
      key: 'householdAddress',
      zh: '户籍地址',
      en: 'Address of household registration',
      kind: 'text',
      maxBytes: 210,
    },
    { key: 'residenceAddress', zh: '居住地址', en: 'Address of residence', kind: 'text', maxBytes: 210 },
    { key: 'stayReason', zh: '居住事由', en: 'Reason for stay', kind: 'text', maxBytes: 24 },
    { key: 'registeredOn', zh: '登记日期', en: 'Registered on', kind: 'date' },
  ],
  face: {
    title: { zh: '临时居住证', en: 'Temporary Residence Permit' },
    color: '#f3eedc',
    headline: 'holderName',
    rows: [
      ['holderName'],
      ['sex', 'birthDate'],
      ['holderIdNumber'],
      ['householdAddress'],
      ['residenceAddress'],
      ['stayReason', 'registeredOn'],
      ['documentNumber'],
      ['issuerName', 'issueDate'],
      ['validFrom', 'validUntil'],
    ],
  },
  visibility: {
    business_licence: ['holderName', 'holderIdNumber', 'validUntil', 'areaCode', 'residenceAddress'],
    government_services: [
      'holderName',
      'documentNumber',
      'validFrom',
      'validUntil',
      'areaCode',
      'residenceAddress',
    ],
  },
};
