import type { DocumentType } from '../../registry';
import { commonFields, DEFINING_BODIES, SEX_FIELD } from '../common';

/**
 * 结婚证 (《婚姻登记条例》; the civil affairs ministry's certificate): the holder, the registration date, the
 * certificate number (字号, `J370102-2020-001234`), and for both spouses name, sex, nationality, date of birth
 * and ID number; here the holder's own number is the common `holderIdNumber` and the spouse's is kept masked
 * (first four and last four), since a window checks the spouse with the spouse's own documents. Each spouse
 * holds one; a divorce or annulment revokes it at the issuer.
 */
export const MARRIAGE_CERTIFICATE: DocumentType = {
  name: 'marriage_certificate',
  typeCode: `${DEFINING_BODIES.civilAffairs}001`,
  zh: '结婚证',
  en: 'Marriage certificate',
  depth: 5,
  fields: [
    ...commonFields({
      documentNumber: {
        zh: '结婚证字号',
        en: 'Certificate number',
        pattern: '[JBL][0-9]{6}-[0-9]{4}-[0-9]{6}',
      },
      issuerName: { zh: '登记机关', en: 'Registration authority' },
    }),
    SEX_FIELD(),
    { key: 'nationality', zh: '国籍', en: 'Nationality', kind: 'text', maxBytes: 48 },
    { key: 'birthDate', zh: '出生日期', en: 'Date of birth', kind: 'date' },
    { key: 'spouseName', zh: '配偶姓名', en: 'Spouse name', kind: 'text', maxBytes: 102 },
    SEX_FIELD('spouseSex', '配偶性别', 'Spouse sex'),
    { key: 'spouseNationality', zh: '配偶国籍', en: 'Spouse nationality', kind: 'text', maxBytes: 48 },
    { key: 'spouseBirthDate', zh: '配偶出生日期', en: 'Spouse date of birth', kind: 'date' },
    {
      key: 'spouseIdNumberMasked',
      zh: '配偶身份证件号（部分）',
      en: 'Spouse ID number (masked)',
      kind: 'text',
      pattern: '[0-9A-Z]{4}\\*{2,24}[0-9A-Z]{4}',
    },
    { key: 'registrationDate', zh: '登记日期', en: 'Registered on', kind: 'date' },
    { key: 'registryOffice', zh: '婚姻登记处', en: 'Marriage registry', kind: 'text', maxBytes: 128 },
    { key: 'remarks', zh: '备注', en: 'Remarks', kind: 'text', maxBytes: 160, optional: true },
  ],
  face: {
    title: { zh: '结婚证', en: 'Marriage Certificate' },
    color: '#c9302c',
    headline: 'holderName',
    rows: [
      ['holderName'],
      ['registrationDate'],
      ['documentNumber'],
      ['remarks'],
      ['sex', 'nationality'],
      ['birthDate'],
      ['holderIdNumber'],
      ['spouseName', 'spouseSex', 'spouseNationality'],
      ['spouseBirthDate'],
      ['spouseIdNumberMasked'],
      ['issuerName', 'registryOffice'],
    ],
  },
  visibility: {
    marriage_registration: [
      'holderName',
      'holderIdNumber',
      'documentNumber',
      'issuerName',
      'spouseName',
      'spouseIdNumberMasked',
      'registrationDate',
      'registryOffice',
    ],
    household_change: [
      'holderName',
      'holderIdNumber',
      'documentNumber',
      'issuerName',
      'spouseName',
      'spouseIdNumberMasked',
      'registrationDate',
    ],
    marriage_adoption: ['holderName', 'documentNumber', 'spouseName', 'registrationDate', 'issuerName'],
  },
};
