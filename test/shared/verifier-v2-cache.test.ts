import {
  buildCodeV2,
  cardClaimSlot,
  codeV2DisclosureBytes,
  createCredentialCache,
  decodeHolderSecrets,
  findPurpose,
  fromHex,
  inspectCode,
  parseCodeV2,
  signCodeV2,
  type Sha256,
  type VerifyOptions,
} from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '@eid/bff/infra/ed25519';
import credentialVector from '../../docs/formats/vectors/credential-v2.json';
import { VECTORS, vectorLists } from './vectors';

/**
 * A cached v2 credential remembers the last disclosure that fitted its root (verifier.ts): a wallet's codes for
 * one purpose repeat the same values, salts and proof, so a returning holder's code is not hashed again. These
 * tests pin that it changes no verdict and no claim, and never lets a lie through.
 */
const node = createNodeEd25519();
const device = node.keyPairFromSeed(fromHex(VECTORS.keys.device.seed));
const KID = VECTORS.keys.issuer.kid;
const CREDENTIAL = fromHex(credentialVector.credential);
const SECRETS = decodeHolderSecrets(fromHex(credentialVector.holderSecrets));
const T0 = VECTORS.brightCode.now;
const lists = vectorLists();

const code = (purpose: string, now = T0) => {
  const p = findPurpose(purpose)!;
  return buildCodeV2({
    credential: CREDENTIAL,
    secrets: SECRETS,
    disclose: p.claims,
    purposeId: p.id,
    deviceSecretKey: device.secretKey,
    now,
    ed25519: node,
  });
};

let calls = 0;
const counted: Sha256 = (data) => (calls++, nodeSha256(data));
const options = (cache = createCredentialCache()): VerifyOptions => ({
  trustList: lists.trust,
  statusLists: new Map([[KID, lists.fresh]]),
  clock: { now: () => T0 + 5_000 },
  ed25519: node,
  sha256: counted,
  cache,
  maxStatusAgeMs: 3_600_000,
});
const check = (text: string, o: VerifyOptions) => {
  calls = 0;
  const result = inspectCode(text, o);
  return { result, hashes: calls };
};

describe('the verifier remembers an opened v2 disclosure with its cached credential', () => {
  it('when codes of one purpose differ in time and nonce, then their disclosure bytes are the same', () => {
    const [a, b] = [code('hotel_check_in', T0), code('hotel_check_in', T0 - 3000)].map(parseCodeV2);
    expect(a!.nonce).not.toEqual(b!.nonce);
    expect(codeV2DisclosureBytes(a!)).toEqual(codeV2DisclosureBytes(b!));
    expect(codeV2DisclosureBytes(a!)).not.toEqual(codeV2DisclosureBytes(parseCodeV2(code('age_over_18'))));
  });

  it("when a returning holder's next hotel code is checked, then it gets the same claims and nothing is hashed", () => {
    const o = options();
    const first = check(code('hotel_check_in', T0), o);
    const again = check(code('hotel_check_in', T0 - 2000), o);
    expect(first.result.verdict).toBe('valid');
    expect(again.result).toMatchObject({ verdict: 'valid', disclosed: first.result.disclosed });
    expect(again.result.claims).toEqual(first.result.claims);
    // The tree: 10 salts, 5 leaves, 7 nodes (the cache is keyed by the credential's bytes, not their digest).
    expect(first.hashes).toBe(22);
    expect(again.hashes).toBe(0);
  });

  it('when the same device then presents a lie for that purpose, then it is tampered, and the honest code is still valid', () => {
    const o = options();
    const honest = code('hotel_check_in');
    expect(check(honest, o).result.verdict).toBe('valid');
    const c = parseCodeV2(code('hotel_check_in', T0 - 1000));
    const values = new Map(c.disclosure.values).set(cardClaimSlot('name'), '李文博');
    const lie = signCodeV2({ ...c, disclosure: { ...c.disclosure, values } }, device.secretKey, node);
    expect(check(lie, o).result.verdict).toBe('tampered');
    expect(check(honest, o)).toMatchObject({ result: { verdict: 'valid' }, hashes: 0 });
  });

  it('when the holder alternates purposes, then each code proves its own claims', () => {
    const o = options();
    for (let i = 0; i < 2; i++) {
      expect(check(code('age_over_18', T0 - i * 1000), o).result.claims).toMatchObject({ ageOver18: true });
      const hotel = check(code('hotel_check_in', T0 - i * 1000), o).result;
      expect(hotel.disclosed).toEqual(['name', 'sex', 'birthDate', 'idNumberMasked', 'ethnicity']);
      expect(hotel.claims?.ageOver18).toBeUndefined();
    }
  });

  it('when a caller changes the claims it was given, then the next check still answers what the code proves', () => {
    const o = options();
    const first = check(code('hotel_check_in'), o).result.claims!;
    first.name = 'changed';
    expect(check(code('hotel_check_in', T0 - 1000), o).result.claims?.name).toBe(SECRETS.values.name);
  });

  it('when there is no cache, then every code is hashed in full', () => {
    const o = { ...options(), cache: undefined };
    expect(check(code('hotel_check_in'), o).hashes).toBe(22);
    expect(check(code('hotel_check_in', T0 - 1000), o).hashes).toBe(22);
    // Over 18 only: its leaf, its sibling's digest from the proof, the free 14-15, two proof nodes: 5 hashes.
    expect(check(code('age_over_18'), o).hashes).toBe(5);
  });
});
