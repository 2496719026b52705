import QRCode from 'qrcode';
import { FIXTURES, RESIDENTS } from '@eid/mock/registry/seed';
import {
  PURPOSES,
  agePredicates,
  buildCodeV2,
  issueCredentialV2,
  maskIdNumber,
  parseCodeV2,
  sexCodeOf,
  utf8Encode,
  type Ed25519,
  type HolderSecrets,
  type Purpose,
} from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '@eid/bff/infra/ed25519';
import { docTable } from '../helpers/doc-table';

/**
 * Every published purpose's v2 code against the QR budget of the issue: version 15 at level M, with the
 * seeded longest name and the numbers at their largest (status index 2^32 − 1, an 8-byte key id, a timestamp
 * in 2099). docs/formats/purposes.md ("Code sizes") states the sizes; this test fails when the page drifts.
 */
const NOW = Date.UTC(2099, 0, 1);
// Signatures are 64 bytes whatever they sign, so a stand-in signer gives the real sizes quickly.
const signature = () => new Uint8Array(64).fill(0xa5);
const node = createNodeEd25519();
const sizeOnly: Ed25519 = { ...node, sign: signature };
const device = node.keyPairFromSeed(new Uint8Array(32).fill(2));
const qrVersion = (text: string) => QRCode.create(text, { errorCorrectionLevel: 'M' }).version;
/** Alphanumeric characters QR version 15 holds at level M (ISO/IEC 18004 table 7). */
const V15_M_CHARACTERS = 600;
/** The one purpose whose code cannot fit version 15 with the longest seeded name (see purposes.md). */
const NAME_ONLY = 'pharmacy';

interface Person {
  name: string;
  sex: 'M' | 'F';
  ethnicity: string;
  birthDate: string;
  idNumber: string;
}

const secretsOf = (p: Person): HolderSecrets => {
  const { nextChangeAt: _next, ...ages } = agePredicates(p.birthDate, NOW);
  return {
    seed: new Uint8Array(16).fill(9),
    values: {
      name: p.name,
      sex: sexCodeOf(p.sex),
      birthDate: p.birthDate,
      idNumberMasked: maskIdNumber(p.idNumber),
      ethnicity: p.ethnicity,
      portraitDigest: new Uint8Array(16).fill(4),
      residenceProvince: p.idNumber.slice(0, 2),
      ...ages,
    },
  };
};

const codeFor = (p: Person, purpose: Purpose) => {
  const secrets = secretsOf(p);
  const credential = issueCredentialV2(
    'dev-37-1',
    {
      province: '37',
      cardId: new Uint8Array(16).fill(3),
      issuedAt: NOW,
      expiresAt: NOW + 86_400_000,
      devicePublicKey: device.publicKey,
      statusIndex: 0xffffffff,
    },
    secrets,
    signature,
    nodeSha256,
  );
  return buildCodeV2({
    credential,
    secrets,
    disclose: purpose.claims,
    purposeId: purpose.id,
    deviceSecretKey: device.secretKey,
    now: NOW,
    ed25519: sizeOnly,
    sha256: nodeSha256,
  });
};

const size = (text: string) => `${parseCodeV2(text).bytes.length} / ${text.length} / ${qrVersion(text)}`;
const longest = FIXTURES.longestName;
const short: Person = { ...longest, name: '张'.repeat(3) };

describe('QR size of every published purpose (version 15 at level M)', () => {
  it('when the QR budget is read, then version 15 at M holds 600 characters of a code and not 601', () => {
    const text = (n: number) => `EID2:${'A'.repeat(n - 5)}`;
    expect(qrVersion(text(V15_M_CHARACTERS))).toBe(15);
    expect(qrVersion(text(V15_M_CHARACTERS + 1))).toBe(16);
  });

  it.each(PURPOSES.filter((p) => p.code !== NAME_ONLY).map((p) => [p.code, p] as const))(
    'when the seeded longest name makes a code for %s, then it fits version 15',
    (_code, purpose) => {
      expect(utf8Encode(longest.name).length).toBe(52);
      expect(qrVersion(codeFor(longest, purpose))).toBeLessThanOrEqual(15);
    },
  );

  it('when the seeded longest name makes a pharmacy code (its name only), then it needs version 16; names up to 47 bytes fit 15', () => {
    const pharmacy = PURPOSES.find((p) => p.code === NAME_ONLY)!;
    expect(pharmacy.claims).toEqual(['name']);
    expect(qrVersion(codeFor(longest, pharmacy))).toBe(16);
    const ofBytes = (n: number) => ({
      ...longest,
      name: `${'张'.repeat(Math.floor(n / 3))}${'a'.repeat(n % 3)}`,
    });
    expect(codeFor(ofBytes(47), pharmacy).length).toBeLessThanOrEqual(V15_M_CHARACTERS);
    expect(codeFor(ofBytes(48), pharmacy).length).toBeGreaterThan(V15_M_CHARACTERS);
  });

  it('when every seeded resident makes a code for every published purpose, then each fits version 15 but a pharmacy code of a name over 47 bytes', () => {
    expect(RESIDENTS.length).toBeGreaterThan(100);
    const over: string[] = [];
    const sets = new Map(PURPOSES.map((p) => [p.claims.join(), p]));
    for (const r of RESIDENTS) {
      for (const purpose of sets.values()) {
        if (codeFor(r, purpose).length <= V15_M_CHARACTERS) continue;
        expect(purpose.code).toBe(NAME_ONLY);
        expect(utf8Encode(r.name).length).toBeGreaterThan(47);
        over.push(r.name);
      }
    }
    expect(over).toEqual([longest.name]);
  });

  it('when the sizes are measured per purpose, then purposes.md states them', () => {
    const rows = docTable('formats/purposes.md', 'purpose sizes');
    expect(rows.map((r) => Number(r[0]))).toEqual(PURPOSES.map((p) => p.id));
    for (const [id, code, claims, small, large] of rows) {
      const purpose = PURPOSES.find((p) => p.id === Number(id))!;
      expect(code).toBe(`\`${purpose.code}\``);
      expect(claims).toBe(purpose.claims.join(', ') || '(none)');
      expect([small, large]).toEqual([size(codeFor(short, purpose)), size(codeFor(longest, purpose))]);
    }
  });
});
