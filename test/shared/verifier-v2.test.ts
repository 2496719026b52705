import {
  CODE_TTL_MS,
  V1_CODE_CLAIMS,
  agePredicates,
  base45Encode,
  buildCode,
  buildCodeV2,
  createCredentialCache,
  createMemoryReplayGuard,
  findPurpose,
  fromHex,
  inspectCode,
  issueCredentialV2,
  parseCodeV2,
  sha256,
  signCodeV2,
  trustListOf,
  tweetnaclEd25519,
  utf8Encode,
  verifyCode,
  type CachedCredential,
  type CardClaimName,
  type CredentialV2Claims,
  type Ed25519,
  type HolderSecrets,
  type SdValue,
  type Sha256,
  type Verdict,
  type VerifyOptions,
} from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '@eid/bff/infra/ed25519';
import { VECTORS, vectorClaims, vectorLists } from './vectors';

/**
 * The shared verifier on v2 codes (selective disclosure, docs/formats/bright-code.md): the vectors' keys,
 * trust list and status list, v2 credentials of the vectors holder signed here, codes made as the phone
 * makes them, and codes a lying device makes (its own signature holds, the issuer's root does not).
 */
const { keys, brightCode } = VECTORS;
const T0 = brightCode.now;
const DAY = 86_400_000;
const lists = vectorLists();
const node = createNodeEd25519();
const tweet = tweetnaclEd25519;
const pair = (seed: string) => tweet.keyPairFromSeed(fromHex(seed));
const issuer = pair(keys.issuer.seed);
const rogue = pair(keys.rogueIssuer.seed);
const device = pair(keys.device.seed);
const otherDevice = pair(keys.otherDevice.seed);
const KID = keys.issuer.kid;

const secretsFor = (birthDate: string, at: number, label = 'holder'): HolderSecrets => {
  const { nextChangeAt: _next, ...ages } = agePredicates(birthDate, at);
  return {
    seed: sha256(utf8Encode(`test seed ${label}`)).subarray(0, 16),
    values: {
      ...vectorClaims().holder,
      birthDate,
      ethnicity: '维吾尔',
      residenceProvince: '37',
      ...ages,
    },
  };
};
const { holder } = vectorClaims();
const SECRETS = secretsFor(holder.birthDate, T0 - DAY);

const claimsAt = (statusIndex: number, change: Partial<CredentialV2Claims> = {}) => {
  const { holder: _holder, ...rest } = vectorClaims();
  return { ...rest, statusIndex, ...change };
};
const credentialV2 = (
  statusIndex = 5,
  change: Partial<CredentialV2Claims> = {},
  secrets = SECRETS,
  kid = KID,
  signer = issuer,
) =>
  issueCredentialV2(kid, claimsAt(statusIndex, change), secrets, (tbs) => tweet.sign(signer.secretKey, tbs));
const CREDENTIAL = credentialV2();

interface CodeOptions {
  credential?: Uint8Array;
  secrets?: HolderSecrets;
  purpose?: string;
  disclose?: readonly CardClaimName[];
  purposeId?: number;
  now?: number;
  key?: Uint8Array;
}
/** A v2 code as the phone makes it: for a published purpose (its claims), or disclosing `disclose`. */
const codeV2 = (o: CodeOptions = {}) => {
  const purpose = o.purpose === undefined ? undefined : findPurpose(o.purpose)!;
  return buildCodeV2({
    credential: o.credential ?? CREDENTIAL,
    secrets: o.secrets ?? SECRETS,
    disclose: o.disclose ?? purpose?.claims ?? [],
    purposeId: o.purposeId ?? purpose?.id ?? 0,
    deviceSecretKey: o.key ?? device.secretKey,
    now: o.now ?? T0,
    ed25519: tweet,
  });
};

interface Disclosure {
  values: Map<number, SdValue>;
  salts: Uint8Array;
  proof: Uint8Array;
  purposeId: number;
}
/** The code as a lying device makes it: the disclosure edited, then signed again with the device key. */
const resigned = (text: string, edit: (d: Disclosure) => void, key = device.secretKey) => {
  const c = parseCodeV2(text);
  const d: Disclosure = { ...c.disclosure, values: new Map(c.disclosure.values), purposeId: c.purposeId };
  edit(d);
  const { purposeId, ...disclosure } = d;
  return signCodeV2({ ...c, purposeId, disclosure }, key, tweet);
};
const flip = (text: string, offset: (bytes: Uint8Array) => number) => {
  const bytes = parseCodeV2(text).bytes.slice();
  const at = offset(bytes);
  bytes[at] = bytes[at]! ^ 0x01;
  return `EID2:${base45Encode(bytes)}`;
};
const slotOf = (name: CardClaimName) =>
  [...parseCodeV2(codeV2({ disclose: [name] })).disclosure.values.keys()][0]!;

const options = (
  now: number,
  ed25519: Ed25519 = node,
  extra: Partial<VerifyOptions> = {},
): VerifyOptions => ({
  trustList: lists.trust,
  statusLists: new Map([[KID, lists.fresh]]),
  clock: { now: () => now },
  ed25519,
  maxStatusAgeMs: 3_600_000,
  ...extra,
});
const AT = T0 + 5_000;

const HOTEL = codeV2({ purpose: 'hotel_check_in' });
const OVER_18 = codeV2({ purpose: 'age_over_18' });
const HOLDER_ONLY = codeV2({ purpose: 'holder_only' });

describe.each([
  ['tweetnacl', tweet, undefined],
  ['node:crypto', node, nodeSha256],
])('verifyCode on v2 codes with %s', (_name, ed25519, sha: Sha256 | undefined) => {
  const check = (text: string, now = AT, extra: Partial<VerifyOptions> = {}) =>
    verifyCode(text, options(now, ed25519, { ...(sha && { sha256: sha }), ...extra }));

  it('when the hotel check-in code is checked, then it proves exactly the five claims it disclosed, for its purpose', () => {
    const result = check(HOTEL);
    expect(result).toMatchObject({
      verdict: 'valid',
      format: 2,
      kid: KID,
      province: '37',
      statusIndex: 5,
      purpose: 'hotel_check_in',
      codeTimestamp: T0,
      codeExpiresAt: T0 + CODE_TTL_MS,
      disclosed: ['name', 'sex', 'birthDate', 'idNumberMasked', 'ethnicity'],
    });
    const { values } = SECRETS;
    expect(result.claims).toEqual({
      name: values.name,
      sex: values.sex,
      birthDate: values.birthDate,
      idNumberMasked: values.idNumberMasked,
      ethnicity: values.ethnicity,
      issuedAt: T0 - DAY,
      expiresAt: vectorClaims().expiresAt,
    });
  });

  it('when the "over 18 only" code is checked, then it proves ageOver18 and nothing about the holder', () => {
    const result = check(OVER_18);
    expect(result.verdict).toBe('valid');
    expect(result.purpose).toBe('age_over_18');
    expect(result.disclosed).toEqual(['ageOver18']);
    expect(result.claims).toEqual({
      ageOver18: true,
      issuedAt: T0 - DAY,
      expiresAt: vectorClaims().expiresAt,
    });
  });

  it('when a code with no claims is checked, then it proves only a valid card held by this device', () => {
    const result = check(HOLDER_ONLY);
    expect(result).toMatchObject({ verdict: 'valid', purpose: 'holder_only', disclosed: [] });
    expect(result.claims).toEqual({ issuedAt: T0 - DAY, expiresAt: vectorClaims().expiresAt });
  });

  it('when a code names no purpose, or one this build does not know, then it is valid with no purpose', () => {
    for (const purposeId of [0, 200]) {
      const result = check(codeV2({ disclose: ['residenceProvince'], purposeId }));
      expect(result.verdict).toBe('valid');
      expect(result.purpose).toBeUndefined();
      expect(result.claims?.residenceProvince).toBe('37');
    }
  });

  it.each(
    (
      [
        ['the code exactly 60 s old', () => OVER_18, T0 + CODE_TTL_MS, 'expired'],
        ['the code 59 s old', () => OVER_18, T0 + CODE_TTL_MS - 1000, 'valid'],
        [
          'the credential expired (code fresh)',
          () => codeV2({ now: T0 + 30 * DAY }),
          T0 + 30 * DAY + 1000,
          'expired',
        ],
        ['the code from 11 s in the future', () => OVER_18, T0 - 11_000, 'not_yet_valid'],
        [
          'the credential not yet issued',
          () => codeV2({ credential: credentialV2(5, { issuedAt: T0 + DAY, expiresAt: T0 + 2 * DAY }) }),
          AT,
          'not_yet_valid',
        ],
        [
          'a flipped bit of the issuer signature',
          () => flip(HOTEL, () => 1 + 2 + CREDENTIAL.length - 1),
          AT,
          'bad_signature',
        ],
        [
          'a flipped bit of the device signature',
          () => flip(HOTEL, (b) => b.length - 1),
          AT,
          'bad_signature',
        ],
        ['a flipped bit of the proof', () => flip(OVER_18, (b) => b.length - 66 - 3), AT, 'bad_signature'],
        [
          'the credential copied to another device',
          () => codeV2({ key: otherDevice.secretKey }),
          AT,
          'bad_signature',
        ],
        [
          'a credential of a key outside the trust list',
          () => codeV2({ credential: credentialV2(5, {}, SECRETS, keys.rogueIssuer.kid, rogue) }),
          AT,
          'unknown_issuer',
        ],
        ['a revoked card', () => codeV2({ credential: credentialV2(6) }), AT, 'revoked'],
        ['a suspended card', () => codeV2({ credential: credentialV2(7) }), AT, 'suspended'],
        ['a truncated code', () => OVER_18.slice(0, -3), AT, 'malformed'],
        ['the v1 code array under the v2 prefix', () => `EID2:${brightCode.text.slice(5)}`, AT, 'malformed'],
        [
          'a v2 credential in a v1 code',
          () => buildCode({ credential: CREDENTIAL, deviceSecretKey: device.secretKey, now: T0 }),
          AT,
          'malformed',
        ],
      ] as [string, () => string, number, Verdict][]
    ).map(([what, text, now, verdict]) => [what, verdict, text, now] as const),
  )('when it is %s, then the verdict is %s', (_what, verdict, text, now) => {
    const result = check(text(), now);
    expect(result.verdict).toBe(verdict);
    if (verdict !== 'valid') expect(result.claims).toBeUndefined();
  });

  it('when the status list is too old or missing, then a revoked v2 card is status_unknown, never revoked', () => {
    const revoked = codeV2({ credential: credentialV2(6) });
    expect(check(revoked, AT, { maxStatusAgeMs: AT - lists.fresh.issuedAt - 1 }).verdict).toBe(
      'status_unknown',
    );
    expect(check(revoked, AT, { statusLists: new Map() }).verdict).toBe('status_unknown');
  });

  it('when the same v2 code is shown twice to one terminal, then the second time it is replayed', () => {
    const replayGuard = createMemoryReplayGuard({ now: () => AT });
    expect(check(OVER_18, AT, { replayGuard }).verdict).toBe('valid');
    const again = check(OVER_18, AT, { replayGuard });
    expect(again.verdict).toBe('replayed');
    expect(again.claims).toBeUndefined();
  });

  describe('a lying device (its own signature holds)', () => {
    const name = slotOf('name');
    const over18 = slotOf('ageOver18');
    const ethnicity = slotOf('ethnicity');
    const minor = secretsFor('2010-05-05', T0 - DAY, 'minor');
    const minorCredential = credentialV2(5, {}, minor);
    const minorOver18 = codeV2({ credential: minorCredential, secrets: minor, purpose: 'age_over_18' });

    it.each<[string, () => string]>([
      ['a minor turns ageOver18 to true', () => resigned(minorOver18, (d) => d.values.set(over18, true))],
      ['the name is changed', () => resigned(HOTEL, (d) => d.values.set(name, '李文博'))],
      [
        'a claim it did not disclose is added (the name, to an over-18 code)',
        () => resigned(OVER_18, (d) => d.values.set(name, holder.name)),
      ],
      [
        'a claim it disclosed is removed (the ethnicity of the hotel set)',
        () => resigned(HOTEL, (d) => d.values.delete(ethnicity)),
      ],
      [
        'two disclosed values swap slots',
        () =>
          resigned(HOTEL, (d) => {
            const a = d.values.get(0)!;
            d.values.set(0, d.values.get(3)!);
            d.values.set(3, a);
          }),
      ],
      ['a value of the wrong type (a name as number)', () => resigned(HOTEL, (d) => d.values.set(name, 7))],
      ['an empty slot is disclosed', () => resigned(OVER_18, (d) => d.values.set(15, true))],
      ['a slot beyond the card is disclosed', () => resigned(OVER_18, (d) => d.values.set(40, true))],
      ['the proof is cut short', () => resigned(OVER_18, (d) => (d.proof = d.proof.subarray(16)))],
      [
        'a proof node is appended',
        () => resigned(OVER_18, (d) => (d.proof = new Uint8Array([...d.proof, ...new Uint8Array(16)]))),
      ],
      [
        'a salt is appended to a code with no claims',
        () => resigned(HOLDER_ONLY, (d) => (d.salts = new Uint8Array(16))),
      ],
      [
        'the salt of another credential is used',
        () => resigned(OVER_18, (d) => (d.salts = parseCodeV2(minorOver18).disclosure.salts)),
      ],
    ])('when %s, then the code is tampered and proves nothing', (_what, text) => {
      const result = check(text());
      expect(result.verdict).toBe('tampered');
      expect(result.claims).toBeUndefined();
      expect(result.disclosed).toBeUndefined();
      // The issuer and device signatures held: the code names a genuine card (its check belongs in the trace).
      expect(result.cardId).toBeDefined();
    });

    it('when the purpose a code names is changed, then the code is still valid for what it proves, with the new purpose', () => {
      // The purpose is the device's statement, signed by it; claims are what the issuer signed.
      const result = check(resigned(OVER_18, (d) => (d.purposeId = findPurpose('hotel_check_in')!.id)));
      expect(result.verdict).toBe('valid');
      expect(result.purpose).toBe('hotel_check_in');
      expect(result.disclosed).toEqual(['ageOver18']);
    });

    it('when a tampered code is also expired, then tampered; when its device signature fails too, then bad_signature', () => {
      const lie = resigned(HOTEL, (d) => d.values.set(name, '李文博'));
      expect(check(lie, T0 + 10 * CODE_TTL_MS).verdict).toBe('tampered');
      expect(check(resigned(HOTEL, (d) => d.values.set(name, '李文博'), otherDevice.secretKey)).verdict).toBe(
        'bad_signature',
      );
    });
  });
});

describe('a predicate that stopped being true: the 18th birthday', () => {
  // Born so that the 18th birthday begins (Beijing midnight) 8 hours after T0.
  const birthDate = '2008-11-24';
  const birthday = agePredicates(birthDate, T0).nextChangeAt!;
  const before = secretsFor(birthDate, T0 - DAY, 'minor');
  const after = secretsFor(birthDate, birthday, 'minor again');
  const cardId = sha256(utf8Encode('card minor')).subarray(0, 16);
  const statusAt = (now: number) => new Map([[KID, { ...lists.fresh, issuedAt: now - 60_000 }]]);
  const check = (text: string, now: number) =>
    verifyCode(text, options(now, node, { statusLists: statusAt(now) }));

  it('when the credential was issued before the birthday, then it says false and ends at the birthday; afterwards it is expired', () => {
    expect(birthday - T0).toBe(8 * 3_600_000);
    const credential = credentialV2(5, { cardId, expiresAt: birthday }, before);
    const early = check(
      codeV2({ credential, secrets: before, purpose: 'age_over_18', now: birthday - 30_000 }),
      birthday - 29_000,
    );
    expect(early.verdict).toBe('valid');
    expect(early.claims?.ageOver18).toBe(false);
    const late = codeV2({ credential, secrets: before, purpose: 'age_over_18', now: birthday + 1000 });
    expect(check(late, birthday + 2000).verdict).toBe('expired');
    // No issuer can sign the false predicate past the day it stops being true.
    expect(() => credentialV2(5, { cardId, expiresAt: birthday + 1000 }, before)).toThrow();
  });

  it('when the credential is re-issued on the birthday, then its codes say true', () => {
    const credential = credentialV2(5, { cardId, issuedAt: birthday, expiresAt: birthday + 29 * DAY }, after);
    const result = check(
      codeV2({ credential, secrets: after, purpose: 'age_over_18', now: birthday + 1000 }),
      birthday + 2000,
    );
    expect(result.verdict).toBe('valid');
    expect(result.claims).toMatchObject({ ageOver18: true });
  });
});

describe('the credential cache across v1 and v2', () => {
  const counting = (inner: Ed25519) => {
    const keysSeen: Uint8Array[] = [];
    const ed: Ed25519 = { ...inner, verify: (pk, m, s) => (keysSeen.push(pk), inner.verify(pk, m, s)) };
    return {
      ed,
      issuerCalls: () => keysSeen.filter((pk) => Buffer.from(pk).equals(issuer.publicKey)).length,
    };
  };
  const recording = () => {
    const inner = createCredentialCache();
    const formats: number[] = [];
    return {
      cache: {
        get: inner.get,
        set: (k: string, v: CachedCredential) => (formats.push(v.format), inner.set(k, v)),
      },
      formats,
    };
  };

  it('when codes of a v1 and a v2 credential are verified in turn, then each issuer signature is verified once and both stay valid', () => {
    const { ed, issuerCalls } = counting(node);
    const { cache, formats } = recording();
    const v1 = (i: number) =>
      buildCode({
        credential: fromHex(VECTORS.credential.credential),
        deviceSecretKey: device.secretKey,
        now: T0 + i * 1000,
      });
    for (let i = 0; i < 3; i++) {
      const a = verifyCode(v1(i), options(AT, ed, { cache }));
      expect(a).toMatchObject({ verdict: 'valid', format: 1, disclosed: [...V1_CODE_CLAIMS] });
      expect(a.claims?.name).toBe(holder.name);
      const b = verifyCode(
        codeV2({ purpose: 'age_over_18', now: T0 + i * 1000 }),
        options(AT, ed, { cache }),
      );
      expect(b).toMatchObject({ verdict: 'valid', format: 2, disclosed: ['ageOver18'] });
    }
    expect(issuerCalls()).toBe(2);
    expect(formats).toEqual([1, 2]);
  });

  it('when the cached v2 credential comes inside a v1 code, then it is malformed, as it is uncached', () => {
    const cache = createCredentialCache();
    expect(verifyCode(OVER_18, options(AT, node, { cache })).verdict).toBe('valid');
    const inV1 = buildCode({ credential: CREDENTIAL, deviceSecretKey: device.secretKey, now: T0 });
    expect(verifyCode(inV1, options(AT, node, { cache })).verdict).toBe('malformed');
    expect(verifyCode(inV1, options(AT, node)).verdict).toBe('malformed');
    expect(verifyCode(OVER_18, options(AT, node, { cache })).verdict).toBe('valid');
  });

  it('when the trust list changes the key of a cached v2 credential, then it is checked again and refused', () => {
    const cache = createCredentialCache();
    expect(verifyCode(HOTEL, options(AT, node, { cache })).verdict).toBe('valid');
    const rotated = trustListOf([{ ...lists.trust.issuers.get(KID)!, publicKey: rogue.publicKey }]);
    expect(verifyCode(HOTEL, options(AT, node, { cache, trustList: rotated })).verdict).toBe('bad_signature');
  });

  it('when a v2 code is verified with a cached credential, then the injected SHA-256 does the hashing, the code hashed once', () => {
    let calls = 0;
    const counted: Sha256 = (data) => (calls++, nodeSha256(data));
    const run = (codeDigest: boolean, cache = createCredentialCache()) => {
      calls = 0;
      const r = inspectCode(HOTEL, { ...options(AT, node, { cache }), sha256: counted }, codeDigest);
      expect(r.verdict).toBe('valid');
      return calls;
    };
    const first = run(true);
    expect(first).toBeGreaterThan(2);
    expect(run(true)).toBe(first);
    // The verifier's own hash: the code's digest when asked, once (the cache is keyed by the credential's bytes,
    // not a digest of them); a disclosure the cached credential opened before is not hashed again
    // (verifier-v2-cache.test.ts).
    expect(run(false)).toBe(first - 1);
    const cache = createCredentialCache();
    run(false, cache);
    expect(run(true, cache)).toBe(1);
    expect(run(false, cache)).toBe(0);
  });
});
