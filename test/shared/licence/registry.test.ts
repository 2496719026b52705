import {
  BUILT_IN_DOCUMENT_TYPES,
  COMMON_FIELD_KEYS,
  MAX_SD_DEPTH,
  documentField,
  documentSlots,
  documentType,
  documentTypeProblems,
  documentTypes,
  makeUscc,
  registerDocumentType,
  type DocumentType,
} from '@eid/shared';

const TEN = [
  'id_card',
  'residence_permit',
  'temporary_residence_permit',
  'driving_licence',
  'vehicle_registration',
  'household_register',
  'marriage_certificate',
  'passport',
  'travel_permit_hk_macao',
  'travel_permit_taiwan',
];

const DEFINER = makeUscc({
  registrationAuthority: '1',
  category: '1',
  regionCode: '100000',
  organisationBody: 'EXAMPLE5',
});

/** A small valid type that is not registered: the common fields, one of its own, a face and a visibility. */
function candidate(name = 'fishing_licence', typeNumber = '001'): DocumentType {
  const driving = documentType('driving_licence')!;
  return {
    name,
    typeCode: DEFINER + typeNumber,
    zh: '捕捞许可证',
    en: 'Fishing licence',
    depth: 4,
    fields: [
      ...driving.fields.slice(0, COMMON_FIELD_KEYS.length).map((f) => ({ ...f })),
      { key: 'waters', zh: '作业水域', en: 'Waters', kind: 'text' },
    ],
    face: {
      title: { zh: '捕捞许可证', en: 'Fishing Licence' },
      color: '#123456',
      headline: 'waters',
      rows: [['holderName'], ['waters', 'validUntil']],
    },
    visibility: { government_services: ['holderName', 'waters'] },
  };
}

type Mutation = [string, (t: DocumentType) => DocumentType, RegExp];

const MUTATIONS: Mutation[] = [
  ['a name already registered', (t) => ({ ...t, name: 'driving_licence' }), /already registered/],
  ['a name in camel case', (t) => ({ ...t, name: 'fishingLicence' }), /snake case/],
  [
    'the type code of another type',
    (t) => ({ ...t, typeCode: documentType('passport')!.typeCode }),
    /already the code of passport/,
  ],
  [
    'a type code whose USCC fails its check character',
    (t) => ({ ...t, typeCode: `${DEFINER.slice(0, 17)}${DEFINER[17] === '0' ? '1' : '0'}001` }),
    /typeCode/,
  ],
  ['a type code of 2 trailing digits', (t) => ({ ...t, typeCode: `${DEFINER}01` }), /typeCode/],
  ['a type code with a letter tail', (t) => ({ ...t, typeCode: `${DEFINER}00A` }), /typeCode/],
  ['depth 0', (t) => ({ ...t, depth: 0 }), /depth must be 1\.\.6/],
  ['depth 7', (t) => ({ ...t, depth: MAX_SD_DEPTH + 1 }), /depth must be 1\.\.6/],
  ['a fractional depth', (t) => ({ ...t, depth: 3.5 }), /depth must be/],
  ['more fields than 2^depth', (t) => ({ ...t, depth: 3 }), /10 fields do not fit 2\^3 slots/],
  ['no zh name', (t) => ({ ...t, zh: '' }), /zh and en/],
  [
    'the common fields out of order',
    (t) => ({ ...t, fields: [t.fields[1]!, t.fields[0]!, ...t.fields.slice(2)] }),
    /slot 0 must be the common field holderName/,
  ],
  [
    'a common field missing',
    (t) => ({ ...t, fields: t.fields.filter((f) => f.key !== 'areaCode') }),
    /slot 8 must be the common field areaCode/,
  ],
  [
    'validUntil made required',
    (t) => ({ ...t, fields: t.fields.map((f) => (f.key === 'validUntil' ? { ...f, optional: false } : f)) }),
    /slot 7 must be the common field validUntil/,
  ],
  [
    'a field twice',
    (t) => ({ ...t, fields: [...t.fields, { key: 'waters', zh: '水域', en: 'Waters', kind: 'text' }] }),
    /field waters appears twice/,
  ],
  ['a field key with a dash', (t) => withOwn(t, { key: 'fish-kind' }), /lower camel case/],
  ['an unknown kind', (t) => withOwn(t, { kind: 'float' as 'text' }), /kind float is unknown/],
  ['maxBytes on a date', (t) => withOwn(t, { kind: 'date', maxBytes: 8 }), /maxBytes only applies/],
  [
    'minBytes above maxBytes',
    (t) => withOwn(t, { kind: 'bytes', minBytes: 9, maxBytes: 8 }),
    /minBytes exceeds/,
  ],
  ['a pattern that does not compile', (t) => withOwn(t, { pattern: '[a-' }), /pattern does not compile/],
  [
    'a pattern on a uint',
    (t) => withOwn(t, { kind: 'uint', pattern: '[0-9]+' }),
    /pattern only applies to text/,
  ],
  [
    'a headline that is no field',
    (t) => ({ ...t, face: { ...t.face, headline: 'plate' } }),
    /headline plate/,
  ],
  [
    'a face row naming no field',
    (t) => ({ ...t, face: { ...t.face, rows: [['holderName', 'boat']] } }),
    /names boat, not a field/,
  ],
  [
    'a face row naming a field twice',
    (t) => ({ ...t, face: { ...t.face, rows: [['waters'], ['waters']] } }),
    /names waters twice/,
  ],
  ['an empty face row', (t) => ({ ...t, face: { ...t.face, rows: [[]] } }), /empty row/],
  ['a face colour by name', (t) => ({ ...t, face: { ...t.face, color: 'blue' } }), /#rrggbb/],
  [
    'visibility for an unknown code',
    (t) => ({ ...t, visibility: { fishing_permit: ['waters'] } }),
    /neither a card purpose nor a service/,
  ],
  [
    'visibility naming no field',
    (t) => ({ ...t, visibility: { government_services: ['boat'] } }),
    /names boat, not a field/,
  ],
  ['visibility listing nothing', (t) => ({ ...t, visibility: { vehicle_transfer: [] } }), /lists no field/],
];

function withOwn(t: DocumentType, change: Partial<DocumentType['fields'][number]>): DocumentType {
  const fields = [...t.fields];
  fields[fields.length - 1] = { ...fields[fields.length - 1]!, ...change };
  const key = fields[fields.length - 1]!.key;
  return {
    ...t,
    fields,
    face: { ...t.face, headline: key, rows: [['holderName'], [key]] },
    visibility: { government_services: ['holderName', key] },
  };
}

describe('document type registry', () => {
  it('when the package loads, then the ten built-in types are registered by name, in wallet order', () => {
    expect(documentTypes().map((t) => t.name)).toEqual(TEN);
    expect(BUILT_IN_DOCUMENT_TYPES.map((t) => t.name)).toEqual(TEN);
    for (const name of TEN) expect(documentType(name)?.name).toBe(name);
    expect(documentType('fishing_licence')).toBeUndefined();
    expect(documentType(42)).toBeUndefined();
  });

  it('when a registered type is changed afterwards, then it cannot be: registered types are frozen', () => {
    const t = documentType('driving_licence')!;
    expect(Object.isFrozen(t)).toBe(true);
    expect(Object.isFrozen(t.fields)).toBe(true);
    expect(Object.isFrozen(t.fields[0])).toBe(true);
    expect(Object.isFrozen(t.visibility.government_services)).toBe(true);
    expect(() => (t.fields as DocumentType['fields'][number][]).push(t.fields[0]!)).toThrow(TypeError);
  });

  it.each(MUTATIONS)(
    'when a candidate has %s, then registering it is refused with the reason',
    (_, mutate, reason) => {
      const bad = mutate(candidate());
      expect(documentTypeProblems(bad).join('; ')).toMatch(reason);
      expect(() => registerDocumentType(bad)).toThrow(reason);
      if (bad.name !== 'driving_licence') expect(documentType(bad.name)).toBeUndefined();
    },
  );

  it('when a valid new type is registered, then it is found by name and listed after the built-ins', () => {
    const t = candidate('fishing_licence', '002');
    expect(documentTypeProblems(t)).toEqual([]);
    registerDocumentType(t);
    expect(documentType('fishing_licence')).toBe(t);
    expect(documentTypes().map((x) => x.name)).toEqual([...TEN, 'fishing_licence']);
    expect(() => registerDocumentType(candidate('fishing_licence', '003'))).toThrow(/already registered/);
  });

  it('when fields are looked up by key, then their slots come back ascending and unknown keys throw', () => {
    const t = documentType('driving_licence')!;
    expect(documentField(t, 'vehicleClass')).toEqual({ slot: 14, spec: t.fields[14] });
    expect(documentField(t, 'plateNumber')).toBeUndefined();
    expect(documentSlots(t, ['vehicleClass', 'holderName', 'validUntil', 'holderName'])).toEqual([0, 7, 14]);
    expect(() => documentSlots(t, ['plateNumber'])).toThrow(/no field plateNumber/);
  });
});
