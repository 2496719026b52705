import type { DocumentType } from '../../registry';
import { commonFields, DEFINING_BODIES, PORTRAIT_FIELD, SEX_FIELD } from '../common';

/**
 * 机动车驾驶证 (GA 482; 《机动车驾驶证申领和使用规定》): the face prints the licence number (证号, the ID
 * number for residents), name, sex, nationality, address, date of birth, date first issued, the vehicle
 * classes it permits (准驾车型, e.g. `C1`, `A2D`), validity (6 years, 10 years or long-term) and the
 * traffic police detachment that issued it; the counterpart page carries the file number (档案编号).
 */
export const DRIVING_LICENCE: DocumentType = {
  name: 'driving_licence',
  typeCode: `${DEFINING_BODIES.publicSecurity}005`,
  zh: '机动车驾驶证',
  en: 'Driving licence',
  depth: 5,
  fields: [
    ...commonFields({ documentNumber: { zh: '证号', en: 'Licence number' } }),
    SEX_FIELD(),
    { key: 'nationality', zh: '国籍', en: 'Nationality', kind: 'text', maxBytes: 48 },
    { key: 'address', zh: '住址', en: 'Address', kind: 'text', maxBytes: 210 },
    { key: 'birthDate', zh: '出生日期', en: 'Date of birth', kind: 'date' },
    { key: 'firstIssueDate', zh: '初次领证日期', en: 'First issued on', kind: 'date' },
    {
      key: 'vehicleClass',
      zh: '准驾车型',
      en: 'Permitted vehicle classes',
      kind: 'text',
      maxBytes: 16,
      pattern: '(?:A[1-3]|B[12]|C[1-6]|[DEFMNP])+',
    },
    { key: 'fileNumber', zh: '档案编号', en: 'File number', kind: 'text', pattern: '[0-9]{12}' },
    PORTRAIT_FIELD,
  ],
  face: {
    title: { zh: '中华人民共和国机动车驾驶证', en: 'Driving Licence of the People\u2019s Republic of China' },
    color: '#eef2f8',
    headline: 'vehicleClass',
    rows: [
      ['documentNumber'],
      ['holderName', 'sex', 'nationality'],
      ['address'],
      ['birthDate'],
      ['firstIssueDate'],
      ['vehicleClass'],
      ['validFrom', 'validUntil'],
      ['issuerName'],
      ['fileNumber'],
    ],
  },
  visibility: {
    government_services: [
      'holderName',
      'documentNumber',
      'issuerName',
      'validFrom',
      'validUntil',
      'vehicleClass',
    ],
  },
};
