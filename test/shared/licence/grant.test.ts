import { createHmac } from 'node:crypto';
import {
  CborShapeError,
  LICENCE_GRANT_AAD,
  MAX_LICENCE_GRANT_TTL_MS,
  base64urlDecode,
  base64urlEncode,
  cborDecode,
  cborEncode,
  decodeLicenceGrant,
  licenceGrantProblem,
  licenceHolderKey,
  licencePurposeTypes,
  sha256,
  sign1Decode,
  sign1Create,
  signLicenceGrant,
  tweetnaclEd25519 as ed,
  utf8Encode,
  verifyLicenceGrantSignature,
  type LicenceGrant,
} from '@eid/shared';

const key = ed.keyPairFromSeed(sha256(utf8Encode('grant test key')));
const other = ed.keyPairFromSeed(sha256(utf8Encode('another key')));
const sign = (tbs: Uint8Array) => ed.sign(key.secretKey, tbs);
const T = Date.UTC(2026, 11, 1, 8, 0, 0);
const HOLDER = '370102198803141017';

const grant: LicenceGrant = {
  grantId: 'grant-0123456789abcdef',
  holderIdNumber: HOLDER,
  types: ['household_register', 'residence_permit'],
  purpose: 'marriage_registration',
  issuedAt: T,
  expiresAt: T + 60_000,
};
const request = {
  holderKey: licenceHolderKey(HOLDER),
  types: ['household_register'],
  purpose: 'marriage_registration',
  now: T + 1000,
};

describe('licence grant format', () => {
  it('when a grant is signed and decoded, then it comes back whole and verifies under the key only', () => {
    const text = signLicenceGrant('bff-1', grant, sign);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    const decoded = decodeLicenceGrant(text);
    expect(decoded.kid).toBe('bff-1');
    expect(decoded.grant).toEqual(grant);
    expect(verifyLicenceGrantSignature(decoded, key.publicKey, ed)).toBe(true);
    expect(verifyLicenceGrantSignature(decoded, other.publicKey, ed)).toBe(false);
  });

  it('when the payload is read, then it is the documented deterministic map with times in seconds', () => {
    const sign1 = sign1Decode(base64urlDecode(signLicenceGrant('bff-1', grant, sign)));
    const map = cborDecode(sign1.payload) as Map<number, unknown>;
    expect([...map.keys()]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(map.get(5)).toBe((T + 60_000) / 1000);
    expect(map.get(6)).toBe(T / 1000);
  });

  it('when the same payload is signed under another AAD, then it does not verify as a grant', () => {
    const sign1 = sign1Decode(base64urlDecode(signLicenceGrant('bff-1', grant, sign)));
    const forged = sign1Create('bff-1', utf8Encode('EID something else v1'), sign1.payload, sign);
    const decoded = decodeLicenceGrant(base64urlEncode(forged));
    expect(verifyLicenceGrantSignature(decoded, key.publicKey, ed)).toBe(false);
    expect(LICENCE_GRANT_AAD).toEqual(utf8Encode('EID licence grant v1'));
  });

  it.each([
    ['a short grant id', { grantId: 'short' }],
    ['no types', { types: [] }],
    ['a duplicate type', { types: ['passport', 'passport'] }],
    ['an unregistered type', { types: ['fishing_licence'] }],
    ['a lower-case id number', { holderIdNumber: '37010219880314101x' }],
    ['an expiry not after issue', { expiresAt: T }],
    ['a purpose with capitals', { purpose: 'Wallet' }],
  ])('when a grant has %s, then signing refuses it', (_label, change) => {
    expect(() => signLicenceGrant('bff-1', { ...grant, ...change }, sign)).toThrow(CborShapeError);
  });

  it('when a header is not base64url of a grant, then decoding throws CborShapeError', () => {
    expect(() => decodeLicenceGrant('not base64!')).toThrow(CborShapeError);
    expect(() => decodeLicenceGrant('')).toThrow(CborShapeError);
    const extraKey = sign1Create('bff-1', LICENCE_GRANT_AAD, cborEncode(new Map([[9, 'x']])), sign);
    expect(() => decodeLicenceGrant(base64urlEncode(extraKey))).toThrow(CborShapeError);
  });
});

describe('licence grant checks', () => {
  it('when the grant covers the request, then there is no problem', () => {
    expect(licenceGrantProblem(grant, request)).toBeUndefined();
  });

  it.each([
    ['expired', { now: T + 60_000 }, {}],
    ['not_yet_valid', { now: T - 61_000 }, {}],
    ['lifetime_too_long', {}, { expiresAt: T + MAX_LICENCE_GRANT_TTL_MS + 1000 }],
    ['holder_mismatch', { holderKey: licenceHolderKey('11010519750902158X') }, {}],
    ['purpose_mismatch', { purpose: 'passport_application' }, {}],
    ['purpose_unknown', { purpose: 'curiosity' }, { purpose: 'curiosity' }],
    ['type_not_for_purpose', { types: ['passport'] }, { types: ['passport'] }],
    ['type_not_granted', { types: ['residence_permit', 'marriage_certificate'] }, {}],
  ])('when the request differs (%s), then that is the problem', (problem, req, g) => {
    expect(licenceGrantProblem({ ...grant, ...g }, { ...request, ...req })).toBe(problem);
  });

  it('when the purpose is the wallet, then every registered type may be pulled', () => {
    expect(licencePurposeTypes('wallet')).toContain('travel_permit_taiwan');
    expect(licencePurposeTypes('vehicle_transfer')).toContain('vehicle_registration');
    expect(licencePurposeTypes('nothing')).toBeUndefined();
  });

  it('when a holder key is computed, then it is the labelled SHA-256 hex, the same for x and X', () => {
    const expected = Array.from(sha256(utf8Encode(`EID licence holder v1:${HOLDER}`)))
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
    expect(licenceHolderKey(HOLDER)).toBe(expected);
    expect(licenceHolderKey('11010519750902158x')).toBe(licenceHolderKey('11010519750902158X'));
  });
});

describe('licence grant vector (docs/mock-systems.md)', () => {
  it('when the documented grant is made with the BFF development key, then it is the documented header value', () => {
    const seed = new Uint8Array(
      createHmac('sha256', 'eid-DEVELOPMENT-ONLY-keys').update('licence-client').digest(),
    );
    const dev = ed.keyPairFromSeed(seed);
    const t = Date.UTC(2026, 11, 1, 2, 0, 0);
    const text = signLicenceGrant(
      'bff-licence-dev-1',
      {
        grantId: 'grant-vector-000000001',
        holderIdNumber: HOLDER,
        types: ['household_register', 'residence_permit'],
        purpose: 'marriage_registration',
        issuedAt: t,
        expiresAt: t + 300_000,
      },
      (m) => ed.sign(dev.secretKey, m),
    );
    expect(text).toBe(
      'hFaiAScEUWJmZi1saWNlbmNlLWRldi0xoFh2pgF2Z3JhbnQtdmVjdG9yLTAwMDAwMDAwMQJyMzcwMTAyMTk4ODAzMTQxMDE3A4JyaG91c2Vob2xkX3JlZ2lzdGVycHJlc2lkZW5jZV9wZXJtaXQEdW1hcnJpYWdlX3JlZ2lzdHJhdGlvbgUaaw4rTAYaaw4qIFhAPWKGAYaeKO_FZkvfwLd8oVJkuRV0JtKTlSydwORb2CyyOWs_agvrNevqQt-xXMfVnfeGWT7yoDK2Z1CfqMcAAQ',
    );
    expect(licenceHolderKey(HOLDER)).toBe('99043e08fd80c1ccd410bf9a690d6f57d9e697412c63b05f16e03f53ffb37c8b');
  });
});
