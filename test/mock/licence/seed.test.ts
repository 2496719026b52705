import { createHash, createPublicKey, verify } from 'node:crypto';
import { manualClock } from '@eid/bff/infra/clock';
import {
  FIXTURES,
  RESIDENTS,
  SEED_REFERENCE_DATE,
  createLicenceTestClient,
  isValidVin,
  licenceSeed,
  startLicence,
  type LicenceIssuerView,
  type LicenceServer,
  type Resident,
} from '@eid/mock';
import {
  DOCUMENT_AAD,
  base64urlDecode,
  bytesEqual,
  decodeDocumentCredential,
  decodeDocumentSecrets,
  documentSdTree,
  documentTypes,
  isValidLicenceIdentifier,
  isValidUscc,
  sdRoot,
  sign1ToBeSigned,
  tweetnaclEd25519,
  verifyDocumentSignature,
  type DocumentCredential,
  type DocumentSecrets,
} from '@eid/shared';

interface Served {
  id: string;
  type: string;
  identifier: string;
  status: 'valid' | 'revoked' | 'suspended';
  credential: string;
  secrets: string;
  etag: string;
  updatedAt: number;
}

const ALL_TYPES = documentTypes().map((t) => t.name);
const nodeSha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const ONE_YEAR_ON = `${Number(SEED_REFERENCE_DATE.slice(0, 4)) + 1}${SEED_REFERENCE_DATE.slice(4)}`;

/** node:crypto's verify, independent of the stand-in's own verifier, for all 2,651 credentials. */
function verifies(doc: DocumentCredential, publicKey: Uint8Array): boolean {
  const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
  const { protectedBytes, payload, signature } = doc.sign1;
  return verify(null, sign1ToBeSigned(protectedBytes, DOCUMENT_AAD, payload), key, signature);
}

describe('licence stand-in: seeded documents', () => {
  const clock = manualClock();
  let licence: LicenceServer;
  let client: ReturnType<typeof createLicenceTestClient>;
  let issuers: Map<string, LicenceIssuerView>;
  const served = new Map<string, Served[]>();

  const pull = async (who: Pick<Resident, 'idNumber'>) => {
    const grant = client.grant({ holderIdNumber: who.idNumber, types: ALL_TYPES });
    const res = await client.documents<Served[]>(who.idNumber, ALL_TYPES, 'wallet', { grant });
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    licence = await startLicence({ clock });
    client = createLicenceTestClient({ baseUrl: licence.url, clock });
    const list = (await (await fetch(`${licence.url}/issuers`)).json()) as LicenceIssuerView[];
    issuers = new Map(list.map((i) => [i.kid, i]));
    for (const r of RESIDENTS) served.set(r.idNumber, await pull(r));
  }, 60_000);
  afterAll(() => licence.stop());

  it('when the issuing bodies are listed, then each has a valid USCC, a dev key id and a 32-byte key', () => {
    expect(issuers.size).toBe(68);
    for (const i of issuers.values()) {
      expect(isValidUscc(i.uscc)).toBe(true);
      expect(i.uscc).toContain('EXAMPLE');
      expect(i.kid).toMatch(/^dev-[0-9]{2}-(hz|jg|crj|mz)-1$/);
      expect(base64urlDecode(i.publicKey)).toHaveLength(32);
    }
    expect(new Set([...issuers.values()].map((i) => i.uscc)).size).toBe(68);
    expect(issuers.get('dev-37-jg-1')!.name).toBe('山东省公安厅交通管理局');
  });

  it('when every resident’s documents are pulled, then each credential decodes, verifies under its issuer and matches its secrets', () => {
    let count = 0;
    const positions = new Set<string>();
    for (const r of RESIDENTS) {
      for (const d of served.get(r.idNumber)!) {
        count += 1;
        const doc = decodeDocumentCredential(base64urlDecode(d.credential));
        const issuer = issuers.get(doc.kid)!;
        expect(issuer).toBeDefined();
        expect(verifies(doc, base64urlDecode(issuer.publicKey))).toBe(true);
        expect(doc.claims.issuer).toBe(issuer.uscc);
        expect(doc.claims.identifier).toBe(d.identifier);
        expect(isValidLicenceIdentifier(d.identifier)).toBe(true);
        expect(doc.claims.docType).toBe(d.type);
        expect(doc.claims.issuedAt).toBeLessThanOrEqual(Date.parse(`${SEED_REFERENCE_DATE}T02:00:00Z`));
        const key = `${doc.kid}/${doc.claims.statusIndex}`;
        expect(positions.has(key)).toBe(false);
        positions.add(key);
        const secrets: DocumentSecrets = decodeDocumentSecrets(doc.type, base64urlDecode(d.secrets));
        expect(bytesEqual(sdRoot(documentSdTree(doc.type, secrets), nodeSha256), doc.claims.sdRoot)).toBe(
          true,
        );
        expect(secrets.values.holderIdNumber).toBe(r.idNumber);
        expect(secrets.values.holderName).toBe(r.name);
        expect(secrets.values.validFrom).toBe(doc.claims.validFrom);
        if (d.type === 'vehicle_registration') expect(isValidVin(secrets.values.vin as string)).toBe(true);
      }
    }
    expect(count).toBe(licenceSeed().documents.length);
  });

  it('when a sample is verified with the portable Ed25519 too, then both implementations agree', () => {
    const sample = served.get(FIXTURES.pass.idNumber)!;
    for (const d of sample) {
      const doc = decodeDocumentCredential(base64urlDecode(d.credential));
      const key = base64urlDecode(issuers.get(doc.kid)!.publicKey);
      expect(verifyDocumentSignature(doc, key, tweetnaclEd25519)).toBe(true);
    }
  });

  it('when the seed is counted, then all ten types occur with valid, revoked, suspended and expired ones', () => {
    const all = [...served.values()].flat();
    for (const t of ALL_TYPES) expect(all.some((d) => d.type === t)).toBe(true);
    const byStatus = (s: string) => all.filter((d) => d.status === s).length;
    expect(byStatus('revoked')).toBeGreaterThan(300);
    expect(byStatus('suspended')).toBeGreaterThan(10);
    const expired = licenceSeed().documents.filter(
      (d) => typeof d.values.validUntil === 'string' && d.values.validUntil < SEED_REFERENCE_DATE,
    );
    expect(new Set(expired.map((d) => d.type))).toEqual(
      new Set(['id_card', 'driving_licence', 'passport', 'temporary_residence_permit']),
    );
    const several = RESIDENTS.filter(
      (r) => served.get(r.idNumber)!.filter((d) => d.type === 'vehicle_registration').length > 1,
    );
    expect(several.length).toBeGreaterThan(50);
  });

  it('when FIXTURES.pass is pulled, then the wallet has the documents the tests rely on', () => {
    const docs = licence.documentsOf(FIXTURES.pass.idNumber);
    const of = (type: string) => docs.filter((d) => d.type === type);
    expect(docs.map((d) => d.type)).toEqual([
      'id_card',
      'residence_permit',
      'driving_licence',
      'vehicle_registration',
      'vehicle_registration',
      'household_register',
      'marriage_certificate',
      'passport',
      'travel_permit_hk_macao',
      'travel_permit_taiwan',
    ]);
    expect(of('driving_licence')[0]).toMatchObject({ status: 'valid' });
    expect(of('vehicle_registration').every((d) => d.status === 'valid')).toBe(true);
    expect(of('residence_permit')[0]!.validUntil! > ONE_YEAR_ON).toBe(true);
    expect(of('passport')[0]).toMatchObject({ status: 'valid' });
    expect(of('passport')[0]!.validUntil! < SEED_REFERENCE_DATE).toBe(true);
    expect(of('travel_permit_hk_macao')[0]).toMatchObject({ status: 'revoked' });
    expect(of('travel_permit_taiwan')[0]).toMatchObject({ status: 'suspended' });
    // Pinned: the seed is deterministic, so identifiers are stable across runs and machines.
    expect(of('driving_licence')[0]!.identifier).toBe(
      '1.2.156.3005.2.11100000000013127D005.11370000EXAMPLEJ9C.3701002026DL00000004.001.T',
    );
  });

  it('when any adult is pulled, then the core wallet is there: valid licence, vehicle and permit, expired passport, revoked HK permit', () => {
    for (const r of RESIDENTS) {
      const docs = licence.documentsOf(r.idNumber);
      const one = (type: string) => docs.find((d) => d.type === type);
      expect(one('id_card')).toBeDefined();
      expect(one('household_register')).toMatchObject({ status: 'valid' });
      expect(one('residence_permit')).toMatchObject({ status: 'valid' });
      expect(one('passport')!.validUntil! < SEED_REFERENCE_DATE).toBe(true);
      expect(one('travel_permit_hk_macao')).toMatchObject({ status: 'revoked' });
      const adult = `${Number(r.birthDate.slice(0, 4)) + 18}${r.birthDate.slice(4)}` <= SEED_REFERENCE_DATE;
      expect(one('driving_licence') !== undefined).toBe(adult);
      if (!adult || r === FIXTURES.xCheckDigit || r === FIXTURES.expired) continue;
      expect(one('driving_licence')).toMatchObject({ status: 'valid' });
      const until = one('driving_licence')!.validUntil;
      expect(until === undefined || until > ONE_YEAR_ON).toBe(true);
      expect(one('vehicle_registration')).toMatchObject({ status: 'valid' });
    }
  });

  it('when the named fixtures are pulled, then each shows its situation', () => {
    const of = (r: Resident, type: string) => licence.documentsOf(r.idNumber).find((d) => d.type === type)!;
    expect(of(FIXTURES.xCheckDigit, 'driving_licence').status).toBe('suspended');
    expect(of(FIXTURES.xCheckDigit, 'temporary_residence_permit').validUntil! > ONE_YEAR_ON).toBe(true);
    expect(of(FIXTURES.expired, 'id_card').validUntil! < SEED_REFERENCE_DATE).toBe(true);
    expect(of(FIXTURES.expired, 'driving_licence').validUntil! < SEED_REFERENCE_DATE).toBe(true);
    expect(of(FIXTURES.expired, 'temporary_residence_permit').validUntil! < SEED_REFERENCE_DATE).toBe(true);
    expect(of(FIXTURES.cancelled, 'id_card').status).toBe('revoked');
    expect(of(FIXTURES.deceased, 'id_card').status).toBe('revoked');
  });

  it('when a Latin name is printed, then it is the pinyin of the Chinese one', () => {
    const secretsOf = (r: Resident, type: string) => {
      const d = served.get(r.idNumber)!.find((x) => x.type === type)!;
      const doc = decodeDocumentCredential(base64urlDecode(d.credential));
      return decodeDocumentSecrets(doc.type, base64urlDecode(d.secrets)).values;
    };
    expect(secretsOf(FIXTURES.pass, 'passport').nameLatin).toBe('LI, WENBO');
    expect(secretsOf(FIXTURES.longestName, 'passport').nameLatin).toBe(
      'MAIMAITIMING ABUDUKEREMU, ABUDUREHEMAN',
    );
  });
});
