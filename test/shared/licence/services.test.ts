import {
  DEFAULT_ACCESS_MS,
  DOCUMENT_SERVICES,
  FIRST_SERVICE_ID,
  MAX_ACCESS_MS,
  PURPOSES,
  discloseDocumentFields,
  documentSlots,
  documentType,
  documentTypes,
  findService,
  findServiceById,
  openDocumentDisclosure,
  sdRoot,
  documentSdTree,
  serviceCatalogueProblems,
  serviceDocument,
  type DocumentService,
} from '@eid/shared';
import { SAMPLE_DOCUMENTS } from '../../../scripts/vectors/licence-samples';

const SEED = Uint8Array.from({ length: 16 }, (_, i) => 255 - i);
const entries = DOCUMENT_SERVICES.flatMap((s) =>
  [...s.required, ...s.optional].map((d) => [s.code, d.type, d.fields] as const),
);

/** The catalogue with one service changed. */
const withService = (code: string, change: Partial<DocumentService>) =>
  DOCUMENT_SERVICES.map((s) => (s.code === code ? { ...s, ...change } : s));

describe('service catalogue', () => {
  it('when the catalogue is checked against the registered types, then it has no problem', () => {
    expect(serviceCatalogueProblems(documentType, documentTypes())).toEqual([]);
  });

  it('when the services are listed, then they are the six of issue 15 with stable ids past the purpose ids', () => {
    expect(DOCUMENT_SERVICES.map((s) => [s.id, s.code])).toEqual([
      [101, 'marriage_registration'],
      [102, 'business_licence'],
      [103, 'passport_application'],
      [104, 'travel_permit_application'],
      [105, 'household_change'],
      [106, 'vehicle_transfer'],
    ]);
    const purposeIds = new Set(PURPOSES.map((p) => p.id));
    for (const s of DOCUMENT_SERVICES) {
      expect(purposeIds.has(s.id)).toBe(false);
      expect(s.id).toBeGreaterThanOrEqual(FIRST_SERVICE_ID);
      expect(s.zh && s.en && s.basis).toBeTruthy();
    }
    expect(Math.max(...purposeIds)).toBeLessThan(FIRST_SERVICE_ID);
  });

  it('when access bounds are read, then each service allows one working day at least and a week at most', () => {
    expect(DEFAULT_ACCESS_MS).toBe(24 * 3_600_000);
    for (const s of DOCUMENT_SERVICES) {
      expect(s.maxAccessMs).toBeGreaterThanOrEqual(DEFAULT_ACCESS_MS);
      expect(s.maxAccessMs).toBeLessThanOrEqual(MAX_ACCESS_MS);
    }
  });

  it('when services are looked up, then by code and by id, with required and optional documents told apart', () => {
    const s = findService('vehicle_transfer')!;
    expect(findServiceById(106)).toBe(s);
    expect(findService('toString')).toBeUndefined();
    expect(findService(106)).toBeUndefined();
    expect(findServiceById(1)).toBeUndefined();
    expect(serviceDocument(s, 'vehicle_registration')).toEqual({
      fields: s.required[0]!.fields,
      required: true,
    });
    expect(serviceDocument(s, 'residence_permit')?.required).toBe(false);
    expect(serviceDocument(s, 'passport')).toBeUndefined();
    expect(Object.isFrozen(s.required[0]!.fields)).toBe(true);
  });

  it('when the ID card is looked for, then no service lists it: identity comes from the bright card', () => {
    for (const s of DOCUMENT_SERVICES) expect(serviceDocument(s, 'id_card')).toBeUndefined();
  });

  it.each(entries)(
    'when %s reads %s, then the fields exist, are what the type lets the service see, and disclose to exactly them',
    (service, type, fields) => {
      const t = documentType(type)!;
      expect(t.visibility[service]).toEqual(fields);
      const secrets = { seed: SEED, values: SAMPLE_DOCUMENTS[type]! };
      const root = sdRoot(documentSdTree(t, secrets));
      const opened = openDocumentDisclosure(t, discloseDocumentFields(t, secrets, fields), root);
      expect(opened).not.toBe('tampered');
      expect(Object.keys(opened).sort()).toEqual([...fields].sort());
      expect(documentSlots(t, fields)).toHaveLength(fields.length);
    },
  );

  it.each<[string, DocumentService[], RegExp]>([
    [
      'an unknown document type',
      withService('vehicle_transfer', { optional: [{ type: 'boat_licence', fields: ['holderName'] }] }),
      /boat_licence is not a registered document type/,
    ],
    [
      'a field the type does not have',
      withService('vehicle_transfer', {
        required: [{ type: 'vehicle_registration', fields: ['holderName', 'colour'] }],
      }),
      /vehicle_registration has no field colour/,
    ],
    [
      'fields out of slot order',
      withService('business_licence', {
        optional: [
          { type: 'household_register', fields: ['holderIdNumber', 'holderName', 'areaCode', 'address'] },
          ...findService('business_licence')!.optional.slice(1),
        ],
      }),
      /not in slot order/,
    ],
    [
      'more fields than the type lets it see',
      withService('business_licence', {
        optional: [
          {
            type: 'household_register',
            fields: ['holderName', 'holderIdNumber', 'areaCode', 'address', 'sex'],
          },
          ...findService('business_licence')!.optional.slice(1),
        ],
      }),
      /household_register\.visibility\.business_licence is not exactly/,
    ],
    [
      'a type dropped that still has visibility for it',
      withService('vehicle_transfer', { optional: [] }),
      /residence_permit\.visibility names vehicle_transfer/,
    ],
    [
      'the same type twice',
      withService('vehicle_transfer', {
        optional: [
          ...findService('vehicle_transfer')!.optional,
          ...findService('vehicle_transfer')!.optional,
        ],
      }),
      /lists residence_permit twice/,
    ],
    [
      'access over a week',
      withService('vehicle_transfer', { maxAccessMs: MAX_ACCESS_MS + 1 }),
      /maxAccessMs/,
    ],
    [
      'access under a working day',
      withService('vehicle_transfer', { maxAccessMs: 3_600_000 }),
      /maxAccessMs/,
    ],
    ['an id among the purposes', withService('vehicle_transfer', { id: 18 }), /id out of range/],
    [
      'a code twice',
      [...DOCUMENT_SERVICES, DOCUMENT_SERVICES[0]!],
      /service code marriage_registration appears twice/,
    ],
    ['no document', withService('business_licence', { optional: [] }), /business_licence: names no document/],
  ])('when the catalogue has %s, then the check names the problem', (_, services, problem) => {
    expect(serviceCatalogueProblems(documentType, documentTypes(), services).join('\n')).toMatch(problem);
  });
});
