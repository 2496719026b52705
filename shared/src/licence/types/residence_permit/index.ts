import type { DocumentType } from '../../registry';
import { commonFields, DEFINING_BODIES, PORTRAIT_FIELD, SEX_FIELD } from '../common';

/**
 * 居住证 (《居住证暂行条例》第六条: name, sex, ethnicity, date of birth, ID number, portrait, permanent household
 * address, address of residence, issuing authority and date), with the residence registration date that
 * points-based settlement counts from and the last yearly endorsement (签注).
 */
export const RESIDENCE_PERMIT: DocumentType = {
  name: 'residence_permit',
  typeCode: `${DEFINING_BODIES.publicSecurity}002`,
  zh: '居住证',
  en: 'Residence permit',
  depth: 5,
  fields: [
    ...commonFields({ documentNumber: { zh: '居住证编号', en: 'Permit number' } }),
    SEX_FIELD(),
    { key: 'ethnicity', zh: '民族', en: 'Ethnicity', kind: 'text', maxBytes: 32 },
    { key: 'birthDate', zh: '出生日期', en: 'Date of birth', kind: 'date' },
    {
      key: 'householdAddress',
      zh: '常住户口所在地住址',
      en: 'Address of permanent household registration',
      kind: 'text',
      maxBytes: 210,
    },
    { key: 'residenceAddress', zh: '居住地住址', en: 'Address of residence', kind: 'text', maxBytes: 210 },
    { key: 'signUpDate', zh: '居住登记日期', en: 'Residence registered on', kind: 'date' },
    { key: 'lastEndorsedOn', zh: '签注日期', en: 'Last endorsed on', kind: 'date', optional: true },
    PORTRAIT_FIELD,
  ],
  face: {
    title: { zh: '居住证', en: 'Residence Permit' },
    color: '#e3f1e6',
    headline: 'holderName',
    rows: [
      ['holderName'],
      ['sex', 'ethnicity', 'birthDate'],
      ['holderIdNumber'],
      ['householdAddress'],
      ['residenceAddress'],
      ['signUpDate', 'lastEndorsedOn'],
      ['documentNumber'],
      ['issuerName', 'issueDate'],
      ['validFrom', 'validUntil'],
    ],
  },
  visibility: {
    marriage_registration: [
      'holderName',
      'holderIdNumber',
      'documentNumber',
      'issuerName',
      'validFrom',
      'validUntil',
      'areaCode',
      'residenceAddress',
    ],
    business_licence: ['holderName', 'holderIdNumber', 'validUntil', 'areaCode', 'residenceAddress'],
    household_change: [
      'holderName',
      'holderIdNumber',
      'documentNumber',
      'validFrom',
      'validUntil',
      'areaCode',
      'residenceAddress',
      'signUpDate',
    ],
    vehicle_transfer: ['holderName', 'holderIdNumber', 'validUntil', 'areaCode', 'residenceAddress'],
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
