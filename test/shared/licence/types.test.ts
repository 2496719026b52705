import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  COMMON_FIELD_KEYS,
  decodeDocumentSecrets,
  documentSdTree,
  documentTypes,
  encodeDocumentSecrets,
  findPurpose,
  findService,
  isValidUscc,
  sdRoot,
  type DocumentType,
} from '@eid/shared';
import { SAMPLE_DOCUMENTS } from '../../../scripts/vectors/licence-samples';
import {
  faceLine,
  serviceTable,
  slotTable,
  typeHeading,
  visibilityList,
} from '../../../scripts/vectors/licence-tables';

const TYPES_DIR = join(__dirname, '..', '..', '..', 'shared', 'src', 'licence', 'types');
const SEED = Uint8Array.from({ length: 16 }, (_, i) => i);
const PAGE = readFileSync(
  join(__dirname, '..', '..', '..', 'docs', 'formats', 'licence-document.md'),
  'utf8',
);

const faceKeys = (t: DocumentType) => [t.face.headline, ...t.face.rows.flat()];

describe.each(documentTypes().map((t) => [t.name, t] as const))('document type %s', (name, t) => {
  it('when looked for on disk, then it is the folder of its name', () => {
    expect(existsSync(join(TYPES_DIR, name, 'index.ts'))).toBe(true);
  });

  it('when its tree is sized, then the fields fit and the depth is the smallest that fits', () => {
    expect(t.fields.length).toBeLessThanOrEqual(2 ** t.depth);
    expect(t.fields.length).toBeGreaterThan(2 ** (t.depth - 1));
  });

  it('when its type code is read, then it is a valid USCC (the defining body) and three digits', () => {
    expect(t.typeCode).toMatch(/^.{18}[0-9]{3}$/);
    expect(isValidUscc(t.typeCode.slice(0, 18))).toBe(true);
  });

  it('when its fields are listed, then the common ones come first and every key is unique', () => {
    expect(t.fields.slice(0, COMMON_FIELD_KEYS.length).map((f) => f.key)).toEqual(COMMON_FIELD_KEYS);
    expect(new Set(t.fields.map((f) => f.key)).size).toBe(t.fields.length);
    for (const f of t.fields) expect(f.zh && f.en).toBeTruthy();
  });

  it('when its face is drawn, then it names only real fields and shows each own field that can be read', () => {
    const keys = new Set(t.fields.map((f) => f.key));
    for (const key of faceKeys(t)) expect(keys.has(key)).toBe(true);
    const shown = new Set(faceKeys(t));
    const own = t.fields.slice(COMMON_FIELD_KEYS.length).filter((f) => f.kind !== 'bytes');
    expect(own.filter((f) => !shown.has(f.key)).map((f) => f.key)).toEqual([]);
    expect(t.face.title.zh && t.face.title.en).toBeTruthy();
  });

  it('when its visibility is read, then each entry names a published purpose or service and real fields', () => {
    const keys = new Set(t.fields.map((f) => f.key));
    for (const [code, fields] of Object.entries(t.visibility)) {
      expect(findPurpose(code) ?? findService(code)).toBeDefined();
      expect(fields.length).toBeGreaterThan(0);
      for (const key of fields) expect(keys.has(key)).toBe(true);
    }
  });

  it('when its sample document is kept as secrets, then every value fits its field and survives the round trip', () => {
    const values = SAMPLE_DOCUMENTS[name]!;
    expect(values).toBeDefined();
    const secrets = { seed: SEED, values };
    const decoded = decodeDocumentSecrets(t, encodeDocumentSecrets(t, secrets));
    expect(decoded).toEqual(secrets);
    expect(sdRoot(documentSdTree(t, decoded))).toEqual(sdRoot(documentSdTree(t, secrets)));
  });
});

describe('document types together', () => {
  it.each(documentTypes().map((t) => [t.name, t] as const))(
    'when docs/formats/licence-document.md is read, then it holds the generated tables of %s',
    (_, t) => {
      for (const part of [typeHeading(t), slotTable(t), faceLine(t), visibilityList(t)]) {
        expect(PAGE).toContain(part);
      }
    },
  );

  it('when docs/formats/licence-document.md is read, then it holds the generated service catalogue', () => {
    expect(PAGE).toContain(serviceTable());
  });

  it('when the ID card is looked at, then no purpose or service may read it: it is for the wallet listing only', () => {
    const idCard = documentTypes().find((t) => t.name === 'id_card')!;
    expect(idCard.visibility).toEqual({});
  });

  it('when the type codes are compared, then no two types share one', () => {
    const codes = documentTypes().map((t) => t.typeCode);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('when a card purpose may read a document, then it sees the full holder ID number only if it sees the card number', () => {
    for (const t of documentTypes()) {
      for (const [code, fields] of Object.entries(t.visibility)) {
        const purpose = findPurpose(code);
        if (purpose && fields.includes('holderIdNumber')) {
          expect([t.name, code, purpose.fields.includes('idNumber')]).toEqual([t.name, code, true]);
        }
      }
    }
  });
});
