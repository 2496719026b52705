import fc from 'fast-check';
import QRCode from 'qrcode';
import { FIXTURES, RESIDENTS } from '@eid/mock/registry/seed';
import {
  CARD_CLAIM_NAMES,
  CODE_V2_PREFIX,
  CREDENTIAL_AAD,
  CREDENTIAL_V2_AAD,
  CborShapeError,
  ID_CARD_CLAIMS,
  agePredicates,
  base45Encode,
  buildCode,
  buildCodeV2,
  cardClaimSlot,
  cardSdTree,
  cborEncode,
  codeV2SigningInput,
  concatBytes,
  decodeAnyCredential,
  decodeCredential,
  decodeCredentialV2,
  decodeHolderSecrets,
  disclosedClaimNames,
  encodeCredentialV2Payload,
  encodeHolderSecrets,
  fromHex,
  isCredentialV2,
  isParsedCodeV2,
  issueCredentialV2,
  maskIdNumber,
  openDisclosure,
  parseAnyCode,
  parseCodeV2,
  sdRoot,
  sexCodeOf,
  sha256,
  sign1Protected,
  sign1ToBeSigned,
  toHex,
  tweetnaclEd25519 as ed,
  utf8Encode,
  verifyCodeV2Signature,
  verifyCredentialV2Signature,
  type CardClaimName,
  type CardClaimValues,
  type CredentialV2Claims,
  type Ed25519,
  type HolderSecrets,
  type ParsedCodeV2,
} from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '@eid/bff/infra/ed25519';
import { docTable } from '../helpers/doc-table';
import keys from '../../docs/formats/vectors/keys.json';
import credentialV1Vector from '../../docs/formats/vectors/credential.json';
import credentialVector from '../../docs/formats/vectors/credential-v2.json';
import codeVector from '../../docs/formats/vectors/bright-code-v2.json';

const node = createNodeEd25519();
const issuerKeys = ed.keyPairFromSeed(fromHex(keys.issuer.seed));
const deviceKeys = ed.keyPairFromSeed(fromHex(keys.device.seed));
const otherDevice = ed.keyPairFromSeed(fromHex(keys.otherDevice.seed));
const signAsIssuer = (tbs: Uint8Array) => ed.sign(issuerKeys.secretKey, tbs);
const qrVersion = (text: string) => QRCode.create(text, { errorCorrectionLevel: 'M' }).version;
const h16 = (...parts: Uint8Array[]) => sha256(concatBytes(...parts)).slice(0, 16);

/** Claim values of the vectors' JSON with hex turned back into bytes. */
function valuesFromJson(v: Record<string, unknown>): Partial<CardClaimValues> {
  return { ...v, ...(typeof v.portraitDigest === 'string' && { portraitDigest: fromHex(v.portraitDigest) }) };
}

const vectorSecrets = (): HolderSecrets => ({
  seed: fromHex(credentialVector.holder.seed),
  values: valuesFromJson(credentialVector.holder.values) as CardClaimValues,
});

const vectorClaims = (c = credentialVector.claims): Omit<CredentialV2Claims, 'sdRoot'> => ({
  province: c.province,
  cardId: fromHex(c.cardId),
  issuedAt: c.issuedAt,
  expiresAt: c.expiresAt,
  devicePublicKey: fromHex(c.devicePublicKey),
  statusIndex: c.statusIndex,
});

const credential = fromHex(credentialVector.credential);
const root = fromHex(credentialVector.claims.sdRoot);

/** `bytes` (a code's CBOR with its disclosure edited) signed again by the device: a lying device's code. */
function resigned(code: ParsedCodeV2, bytes: Uint8Array): string {
  const signature = node.sign(deviceKeys.secretKey, codeV2SigningInput({ ...code, bytes }));
  return CODE_V2_PREFIX + base45Encode(concatBytes(bytes.subarray(0, bytes.length - 64), signature));
}

/**
 * What an independent verifier concludes about the disclosure of a code whose credential is the vector's
 * (node:crypto here for speed; the vector tests show both paths agree).
 */
function outcome(text: string, devicePublicKey = deviceKeys.publicKey) {
  let code: ParsedCodeV2;
  try {
    code = parseCodeV2(text);
  } catch (e) {
    if (e instanceof CborShapeError) return 'malformed';
    throw e;
  }
  if (!verifyCodeV2Signature(code, devicePublicKey, node)) return 'bad_signature';
  return openDisclosure(code, decodeCredentialV2(code.credential).claims.sdRoot, nodeSha256);
}

describe('credential v2 (credential-v2.json)', () => {
  it('when the vector holder is encoded, then slots, salt tree, hash tree and root follow the documented rules', () => {
    const secrets = vectorSecrets();
    expect(toHex(encodeHolderSecrets(secrets))).toBe(credentialVector.holderSecrets);
    expect(decodeHolderSecrets(fromHex(credentialVector.holderSecrets))).toEqual(secrets);
    // The salt tree by hand: the seed at the top, child = H16("EID sd salt" || node || bit).
    const salt = credentialVector.saltTree.map((row) => row.map(fromHex));
    expect(salt[0]).toEqual([secrets.seed]);
    for (let d = 1; d < salt.length; d++) {
      salt[d]!.forEach((n, j) =>
        expect(n).toEqual(h16(utf8Encode('EID sd salt'), salt[d - 1]![j >> 1]!, Uint8Array.of(j & 1))),
      );
    }
    // Leaves H16(0x00 || salt || slot || cbor(value)), empty slots 16 zero bytes; nodes H16(0x01 || l || r).
    const tree = cardSdTree(secrets);
    for (const s of credentialVector.slots) {
      expect(s.claim).toBe(ID_CARD_CLAIMS[s.slot]);
      const v = tree.values[s.slot]!;
      expect(s.value).toBe(v === null ? null : toHex(cborEncode(v)));
      const leaf =
        v === null
          ? new Uint8Array(16)
          : h16(Uint8Array.of(0), salt[4]![s.slot]!, Uint8Array.of(s.slot), cborEncode(v));
      expect(s.leaf).toBe(toHex(leaf));
      expect(s.salt).toBe(v === null ? null : toHex(salt[4]![s.slot]!));
    }
    const hash = credentialVector.hashTree.map((row) => row.map(fromHex));
    for (let l = 1; l < hash.length; l++) {
      hash[l]!.forEach((n, k) =>
        expect(n).toEqual(h16(Uint8Array.of(1), hash[l - 1]![2 * k]!, hash[l - 1]![2 * k + 1]!)),
      );
    }
    expect(hash[4]).toEqual([root]);
    expect(sdRoot(tree)).toEqual(root);
    expect(sdRoot(tree, nodeSha256)).toEqual(root);
  });

  it('when the vector claims are signed, then payload, Sig_structure and credential match, with either crypto path', () => {
    const claims = { ...vectorClaims(), sdRoot: root };
    const payload = encodeCredentialV2Payload(claims);
    expect(toHex(payload)).toBe(credentialVector.payload);
    expect(toHex(sign1Protected(credentialVector.kid))).toBe(credentialVector.protected);
    expect(toHex(CREDENTIAL_V2_AAD)).toBe(credentialVector.externalAad);
    expect(toHex(sign1ToBeSigned(fromHex(credentialVector.protected), CREDENTIAL_V2_AAD, payload))).toBe(
      credentialVector.toBeSigned,
    );
    const nodeSign = (tbs: Uint8Array) => node.sign(issuerKeys.secretKey, tbs);
    expect(
      toHex(issueCredentialV2(credentialVector.kid, vectorClaims(), vectorSecrets(), signAsIssuer)),
    ).toBe(credentialVector.credential);
    expect(
      toHex(issueCredentialV2(credentialVector.kid, vectorClaims(), vectorSecrets(), nodeSign, nodeSha256)),
    ).toBe(credentialVector.credential);
    const decoded = decodeCredentialV2(credential);
    expect(decoded).toMatchObject({ version: 2, kid: credentialVector.kid, claims });
    expect(verifyCredentialV2Signature(decoded, issuerKeys.publicKey, ed)).toBe(true);
    expect(verifyCredentialV2Signature(decoded, issuerKeys.publicKey, node)).toBe(true);
    expect(verifyCredentialV2Signature(decoded, deviceKeys.publicKey, ed)).toBe(false);
    // The v1 label does not verify a v2 signature: one document type can never pass for the other.
    expect(
      ed.verify(
        issuerKeys.publicKey,
        sign1ToBeSigned(decoded.sign1.protectedBytes, CREDENTIAL_AAD, payload),
        decoded.sign1.signature,
      ),
    ).toBe(false);
  });

  it('when a v1 or v2 credential is decoded by decodeAnyCredential, then each comes back in its own version, and neither passes as the other', () => {
    const v1 = fromHex(credentialV1Vector.credential);
    const any1 = decodeAnyCredential(v1);
    const any2 = decodeAnyCredential(credential);
    expect(isCredentialV2(any1)).toBe(false);
    expect(any1).toEqual(decodeCredential(v1));
    expect(isCredentialV2(any2)).toBe(true);
    expect(any2).toEqual(decodeCredentialV2(credential));
    expect(() => decodeCredentialV2(v1)).toThrow(CborShapeError);
    expect(() => decodeCredential(credential)).toThrow(CborShapeError);
  });

  it('when the vector birth dates are judged at the vector instants, then the predicates and their next change match', () => {
    for (const c of credentialVector.agePredicates) {
      const { birthDate, at, ...expected } = c;
      expect(agePredicates(birthDate, at)).toEqual(expected);
    }
  });

  it("when a minor's credential is issued, then it says ageOver18 false and may not outlive the 18th birthday (re-issued then)", () => {
    const { minor } = credentialVector;
    const secrets = decodeHolderSecrets(fromHex(minor.holderSecrets));
    const claims = vectorClaims(minor.claims as typeof credentialVector.claims);
    expect(secrets.values.ageOver18).toBe(false);
    expect(toHex(issueCredentialV2(credentialVector.kid, claims, secrets, signAsIssuer))).toBe(
      minor.credential,
    );
    const birthday = agePredicates(secrets.values.birthDate, claims.issuedAt).nextChangeAt!;
    expect(claims.expiresAt).toBe(birthday);
    // A day longer would carry a predicate past the moment it stops being true.
    expect(() =>
      issueCredentialV2(
        credentialVector.kid,
        { ...claims, expiresAt: birthday + 1000 },
        secrets,
        signAsIssuer,
      ),
    ).toThrow(CborShapeError);
    // Saying true before the birthday is refused; on the birthday the re-issued credential says true.
    const early = { ...secrets, values: { ...secrets.values, ageOver18: true } };
    expect(() => issueCredentialV2(credentialVector.kid, claims, early, signAsIssuer)).toThrow(
      CborShapeError,
    );
    const reissued = { ...claims, issuedAt: birthday, expiresAt: birthday + 30 * 86_400_000 };
    expect(() => issueCredentialV2(credentialVector.kid, reissued, secrets, signAsIssuer)).toThrow(
      CborShapeError,
    );
    const bytes = issueCredentialV2(credentialVector.kid, reissued, early, signAsIssuer);
    const code = buildCodeV2({
      credential: bytes,
      secrets: early,
      disclose: ['ageOver18'],
      deviceSecretKey: deviceKeys.secretKey,
      now: birthday,
    });
    expect(openDisclosure(parseCodeV2(code), decodeCredentialV2(bytes).claims.sdRoot)).toEqual({
      ageOver18: true,
    });
  });

  it('when holder secrets are not exactly the format, then decoding refuses them', () => {
    const good = fromHex(credentialVector.holderSecrets);
    const secrets = vectorSecrets();
    const slots = cardSdTree(secrets).values;
    const withSlots = (edit: (m: Map<number, unknown>) => void, seed: Uint8Array = secrets.seed) => {
      const m = new Map<number, unknown>(slots.flatMap((v, i) => (v === null ? [] : [[i, v]])));
      edit(m);
      return cborEncode(
        new Map<number, never>([
          [1, seed as never],
          [2, m as never],
        ]),
      );
    };
    expect(decodeHolderSecrets(withSlots(() => undefined))).toEqual(secrets);
    const bad = [
      withSlots((m) => m.delete(cardClaimSlot('ethnicity'))),
      withSlots((m) => m.set(7, 'x')),
      withSlots((m) => m.set(cardClaimSlot('ageOver18'), 1)),
      withSlots((m) => m.set(cardClaimSlot('residenceProvince'), '99')),
      withSlots((m) => m.set(cardClaimSlot('birthDate'), 19931329)),
      withSlots(() => undefined, new Uint8Array(15)),
      concatBytes(good, Uint8Array.of(0)),
      cborEncode(new Map([[1, secrets.seed]])),
    ];
    for (const b of bad) expect(() => decodeHolderSecrets(b)).toThrow(CborShapeError);
    expect(() => encodeHolderSecrets({ ...secrets, values: { ...secrets.values, name: ' 张三' } })).toThrow(
      CborShapeError,
    );
    expect(() => encodeHolderSecrets({ ...secrets, values: { ...secrets.values, ethnicity: '' } })).toThrow(
      CborShapeError,
    );
  });
});

describe('bright code v2 (bright-code-v2.json)', () => {
  const paths: [string, Ed25519, typeof sha256][] = [
    ['tweetnacl', ed, sha256],
    ['node:crypto', node, nodeSha256],
  ];

  it.each(codeVector.codes.map((c) => [c.name, c] as const))(
    'when device A builds the %s code at the vector time and nonce, then both crypto paths give the vector bytes',
    (_name, v) => {
      for (const [, ed25519, sha] of paths) {
        const text = buildCodeV2({
          credential,
          secrets: vectorSecrets(),
          disclose: v.disclose as CardClaimName[],
          purposeId: v.purposeId,
          deviceSecretKey: deviceKeys.secretKey,
          now: codeVector.now,
          nonce: fromHex(v.nonce),
          ed25519,
          sha256: sha,
        });
        expect(text).toBe(v.text);
      }
      const code = parseCodeV2(v.text);
      expect(toHex(code.bytes)).toBe(v.cbor);
      expect(toHex(codeV2SigningInput(code))).toBe(v.signingInput);
      expect(toHex(cborEncode(code.disclosure.values as Map<number, never>))).toBe(v.values);
      expect([toHex(code.disclosure.salts), toHex(code.disclosure.proof)]).toEqual([v.salts, v.proof]);
      expect([...code.disclosure.values.keys()]).toEqual(v.slots);
      expect(code).toMatchObject({ version: 2, timestamp: codeVector.now, purposeId: v.purposeId });
      expect(verifyCodeV2Signature(code, deviceKeys.publicKey, ed)).toBe(true);
      expect(verifyCodeV2Signature(code, deviceKeys.publicKey, node)).toBe(true);
      expect(verifyCodeV2Signature(code, otherDevice.publicKey, node)).toBe(false);
      expect(disclosedClaimNames(code)).toEqual(v.disclose);
      expect(openDisclosure(code, root)).toEqual(valuesFromJson(v.claims));
      expect(openDisclosure(code, root, nodeSha256)).toEqual(valuesFromJson(v.claims));
      expect(v.size).toEqual({
        bytes: code.bytes.length,
        characters: v.text.length,
        qrVersionM: qrVersion(v.text),
      });
    },
  );

  it.each(codeVector.negative.map((c) => [c.name, c] as const))(
    'when the edited code "%s" is checked, then the outcome is the vector\'s',
    (_name, v) => {
      expect(outcome(v.text)).toBe(v.outcome);
    },
  );

  it("when the minor's over-18 code is opened, then it says false", () => {
    expect(outcome(codeVector.minorOver18.text)).toEqual(codeVector.minorOver18.claims);
  });

  it('when any subset of the claims is disclosed, then the code opens to exactly those claims', () => {
    const secrets = vectorSecrets();
    const nodeDevice = { ed25519: node, sha256: nodeSha256 };
    for (let mask = 0; mask < 1 << CARD_CLAIM_NAMES.length; mask++) {
      const disclose = CARD_CLAIM_NAMES.filter((_, i) => mask & (1 << i));
      const text = buildCodeV2({
        credential,
        secrets,
        disclose,
        deviceSecretKey: deviceKeys.secretKey,
        now: codeVector.now,
        ...nodeDevice,
      });
      const code = parseCodeV2(text);
      const opened = openDisclosure(code, root, nodeSha256);
      expect(opened).toEqual(Object.fromEntries(disclose.map((c) => [c, secrets.values[c]])));
      expect(Object.keys(opened)).toEqual(disclose);
    }
  });

  it('when any byte of the disclosure is flipped and the device signs again, then the code is tampered or malformed, never opened', () => {
    const hotel = parseCodeV2(codeVector.codes.find((c) => c.purpose === 'hotel_check_in')!.text);
    const over18 = parseCodeV2(codeVector.codes.find((c) => c.purpose === 'age_over_18')!.text);
    for (const code of [hotel, over18]) {
      // The disclosure (values, salts, proof) starts after credential, timestamp, nonce and purpose id.
      const start =
        1 +
        cborEncode(code.credential).length +
        cborEncode(code.timestamp / 1000).length +
        cborEncode(code.nonce).length +
        cborEncode(code.purposeId).length;
      const end = code.bytes.length - 66;
      fc.assert(
        fc.property(
          fc.integer({ min: start, max: end - 1 }),
          fc.integer({ min: 1, max: 255 }),
          (at, mask) => {
            const bytes = code.bytes.slice();
            bytes[at] = bytes[at]! ^ mask;
            const result = outcome(resigned(code, bytes));
            expect(['tampered', 'malformed']).toContain(result);
          },
        ),
        { numRuns: 200 },
      );
    }
  });

  it('when any byte after the credential is flipped and nobody signs again, then the device signature fails or the code is malformed', () => {
    const code = parseCodeV2(codeVector.codes.find((c) => c.purpose === 'hotel_check_in')!.text);
    const start = 1 + cborEncode(code.credential).length;
    fc.assert(
      fc.property(
        fc.integer({ min: start, max: code.bytes.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, mask) => {
          const bytes = code.bytes.slice();
          bytes[at] = bytes[at]! ^ mask;
          expect(['bad_signature', 'malformed']).toContain(outcome(CODE_V2_PREFIX + base45Encode(bytes)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('when a code is shown, then its bytes hold no salt of an undisclosed claim nor any salt-tree ancestor of one', () => {
    const { saltTree } = credentialVector;
    const pathOf = (slot: number) => saltTree.map((row, d) => row[slot >> (saltTree.length - 1 - d)]!);
    for (const v of codeVector.codes) {
      for (const claim of CARD_CLAIM_NAMES) {
        if ((v.disclose as string[]).includes(claim)) continue;
        for (const n of pathOf(cardClaimSlot(claim))) expect(v.cbor).not.toContain(n);
      }
    }
  });

  it('when v1 and v2 codes are parsed by parseAnyCode, then each is recognised by its prefix', () => {
    const v1 = buildCode({
      credential: fromHex(credentialV1Vector.credential),
      deviceSecretKey: deviceKeys.secretKey,
      now: codeVector.now,
    });
    expect(isParsedCodeV2(parseAnyCode(v1))).toBe(false);
    expect(isParsedCodeV2(parseAnyCode(codeVector.codes[0]!.text))).toBe(true);
    expect(() => parseAnyCode(`HC1:${v1.slice(5)}`)).toThrow(CborShapeError);
    expect(() => parseCodeV2(`EID2:${v1.slice(5)}`)).toThrow(CborShapeError);
  });

  it("when a wallet builds with secrets that are not its credential's, or a v1 credential, then it refuses", () => {
    const secrets = vectorSecrets();
    const input = {
      credential,
      secrets,
      disclose: ['name'] as CardClaimName[],
      deviceSecretKey: deviceKeys.secretKey,
      now: codeVector.now,
    };
    expect(() => buildCodeV2({ ...input, secrets: { ...secrets, seed: new Uint8Array(16) } })).toThrow(
      TypeError,
    );
    expect(() => buildCodeV2({ ...input, credential: fromHex(credentialV1Vector.credential) })).toThrow(
      CborShapeError,
    );
    expect(() => buildCodeV2({ ...input, disclose: ['address' as CardClaimName] })).toThrow(TypeError);
    expect(() => buildCodeV2({ ...input, purposeId: -1 })).toThrow(TypeError);
  });
});

/** The hotel check-in set (purpose 6) as its purpose discloses it. */
const HOTEL: CardClaimName[] = ['name', 'sex', 'birthDate', 'idNumberMasked', 'ethnicity'];

describe('QR size of v2 codes (version 15 at level M)', () => {
  // Signatures are 64 bytes whatever they sign, so a stand-in signer gives the real sizes quickly.
  const stubSignature = () => new Uint8Array(64).fill(0xa5);
  const sizeOnly: Ed25519 = { ...node, sign: stubSignature };
  const secretsFor = (
    name: string,
    ethnicity: string,
    birthDate = '1993-01-29',
    idNumberMasked = '6531**********0016',
  ): HolderSecrets => {
    const { nextChangeAt: _n, ...ages } = agePredicates(birthDate, codeVector.now);
    return {
      seed: new Uint8Array(16).fill(9),
      values: { ...vectorSecrets().values, name, ethnicity, birthDate, idNumberMasked, ...ages },
    };
  };
  const codeFor = (
    secrets: HolderSecrets,
    disclose: readonly CardClaimName[],
    kid = 'dev-37-1',
    statusIndex = 0xffffffff,
  ) => {
    const claims = {
      ...vectorClaims(),
      issuedAt: codeVector.now,
      expiresAt: codeVector.now + 86_400_000,
      statusIndex,
    };
    const bytes = issueCredentialV2(kid, claims, secrets, stubSignature, nodeSha256);
    return buildCodeV2({
      credential: bytes,
      secrets,
      disclose,
      purposeId: 6,
      deviceSecretKey: deviceKeys.secretKey,
      now: Date.UTC(2099, 0, 1),
      ed25519: sizeOnly,
      sha256: nodeSha256,
    });
  };

  it('when the seeded longest name shows the hotel check-in set, then its code needs QR version 15 or lower', () => {
    const r = FIXTURES.longestName;
    const text = codeFor(secretsFor(r.name, r.ethnicity, r.birthDate, maskIdNumber(r.idNumber)), HOTEL);
    expect(qrVersion(text)).toBeLessThanOrEqual(15);
  });

  it('when every seeded resident shows the hotel check-in set, then every code needs QR version 15 or lower', () => {
    expect(RESIDENTS.length).toBeGreaterThan(100);
    for (const r of RESIDENTS) {
      expect(sexCodeOf(r.sex)).toBeGreaterThan(0);
      const text = codeFor(secretsFor(r.name, r.ethnicity, r.birthDate, maskIdNumber(r.idNumber)), HOTEL);
      expect(qrVersion(text)).toBeLessThanOrEqual(15);
    }
  });

  it('when the sizes are measured per disclosure set and name length, then bright-code.md states them', () => {
    const rows = docTable('formats/bright-code.md', 'v2 sizes');
    const sets: Record<string, readonly CardClaimName[]> = {
      'no claims': [],
      ageOver18: ['ageOver18'],
      residenceProvince: ['residenceProvince'],
      name: ['name'],
      'name, sex, birthDate': ['name', 'sex', 'birthDate'],
      'name, sex, birthDate, ethnicity': ['name', 'sex', 'birthDate', 'ethnicity'],
      'medical (0-3)': ['name', 'sex', 'birthDate', 'idNumberMasked'],
      'hotel (0-4)': HOTEL,
      'all claims': CARD_CLAIM_NAMES,
    };
    const names = ['张'.repeat(3), '张'.repeat(10), FIXTURES.longestName.name, '龘'.repeat(34)];
    expect(rows.map((r) => r[0])).toEqual(Object.keys(sets));
    for (const [set, , ...cells] of rows) {
      names.forEach((name, i) => {
        const text = codeFor(secretsFor(name, '维吾尔'), sets[set!]!);
        expect(cells[i]).toBe(`${parseCodeV2(text).bytes.length} / ${text.length} / ${qrVersion(text)}`);
      });
    }
  });
});

describe('undisclosed claims stay hidden', () => {
  it('when two holders differ only in an undisclosed one-bit claim, then their over-18 codes differ only in the proof (salted digests)', () => {
    const a = vectorSecrets();
    const b = { ...a, values: { ...a.values, sex: 2 as const } };
    const code = (secrets: HolderSecrets) => {
      const bytes = issueCredentialV2('k', vectorClaims(), secrets, signAsIssuer);
      const text = buildCodeV2({
        credential: bytes,
        secrets,
        disclose: ['ageOver18'],
        deviceSecretKey: deviceKeys.secretKey,
        now: codeVector.now,
        nonce: new Uint8Array(8),
      });
      return parseCodeV2(text).disclosure;
    };
    const [x, y] = [code(a), code(b)];
    expect(x.values).toEqual(y.values);
    expect(x.salts).toEqual(y.salts);
    // Telling 1 from 2 would need the salt of slot 1 (sex), which no code without sex carries (tested above).
    expect(x.proof).not.toEqual(y.proof);
  });
});
