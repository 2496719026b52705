import type { DocumentType } from '../../registry';
import { commonFields, DEFINING_BODIES } from '../common';

/**
 * 机动车行驶证 with the number of its 机动车登记证书 (GA 37; 《机动车登记规定》): plate number, vehicle type,
 * owner and address, use (营运/非营运), brand and model, VIN, engine number, registration and issue dates;
 * the counterpart page adds the approved seats and the inspection record (检验有效期至, a month). The holder
 * is the owner when the owner is a person; `owner` is the name as printed. Address and seats come last, so the
 * fields a transfer reads are one run of slots (9-18): fewer salts and proof nodes in a code.
 */
export const VEHICLE_REGISTRATION: DocumentType = {
  name: 'vehicle_registration',
  typeCode: `${DEFINING_BODIES.publicSecurity}006`,
  zh: '机动车行驶证',
  en: 'Vehicle registration',
  depth: 5,
  fields: [
    ...commonFields({ documentNumber: { zh: '行驶证证芯编号', en: 'Certificate number' } }),
    {
      key: 'plateNumber',
      zh: '号牌号码',
      en: 'Plate number',
      kind: 'text',
      maxBytes: 16,
      pattern: '[\\u4e00-\\u9fa5][A-HJ-NP-Z][A-HJ-NP-Z0-9]{5,6}',
    },
    { key: 'vehicleType', zh: '车辆类型', en: 'Vehicle type', kind: 'text', maxBytes: 48 },
    { key: 'owner', zh: '所有人', en: 'Owner', kind: 'text', maxBytes: 128 },
    { key: 'useCharacter', zh: '使用性质', en: 'Use', kind: 'text', maxBytes: 24 },
    { key: 'brandModel', zh: '品牌型号', en: 'Brand and model', kind: 'text', maxBytes: 96 },
    {
      key: 'vin',
      zh: '车辆识别代号',
      en: 'Vehicle identification number',
      kind: 'text',
      pattern: '[A-HJ-NPR-Z0-9]{17}',
    },
    {
      key: 'engineNumber',
      zh: '发动机号码',
      en: 'Engine number',
      kind: 'text',
      maxBytes: 32,
      pattern: '[0-9A-Z]{1,32}',
    },
    { key: 'registrationDate', zh: '注册日期', en: 'Registered on', kind: 'date' },
    {
      key: 'registrationCertificateNumber',
      zh: '机动车登记证书编号',
      en: 'Registration certificate number',
      kind: 'text',
      pattern: '[0-9]{12}',
    },
    {
      key: 'inspectionValidUntil',
      zh: '检验有效期至',
      en: 'Inspection valid until',
      kind: 'text',
      pattern: '[0-9]{4}-(?:0[1-9]|1[0-2])',
    },
    { key: 'address', zh: '住址', en: 'Address', kind: 'text', maxBytes: 210 },
    { key: 'seats', zh: '核定载人数', en: 'Approved seats', kind: 'uint' },
  ],
  face: {
    title: { zh: '中华人民共和国机动车行驶证', en: 'Vehicle Licence of the People\u2019s Republic of China' },
    color: '#e8f0e2',
    headline: 'plateNumber',
    rows: [
      ['plateNumber', 'vehicleType'],
      ['owner'],
      ['address'],
      ['useCharacter', 'brandModel'],
      ['vin'],
      ['engineNumber'],
      ['registrationDate', 'issueDate'],
      ['seats', 'inspectionValidUntil'],
      ['registrationCertificateNumber'],
      ['issuerName'],
    ],
  },
  visibility: {
    vehicle_transfer: [
      'holderName',
      'holderIdNumber',
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
    government_services: [
      'holderName',
      'plateNumber',
      'vehicleType',
      'owner',
      'useCharacter',
      'brandModel',
      'inspectionValidUntil',
    ],
  },
};
