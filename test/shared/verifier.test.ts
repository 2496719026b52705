import {
  CLOCK_TOLERANCE_MS,
  CODE_TTL_MS,
  CREDENTIAL_AAD,
  VERDICTS,
  base45Encode,
  buildCode,
  cborHead,
  concatBytes,
  createCredentialCache,
  createMemoryReplayGuard,
  fromHex,
  issueCredential,
  parseCode,
  sign1Protected,
  trustListOf,
  tweetnaclEd25519,
  utf8Encode,
  verifyCode,
  type Ed25519,
  type Verdict,
  type VerifyOptions,
} from '@eid/shared';
import { createNodeEd25519 } from '@eid/bff/infra/ed25519';
import { VECTORS, vectorClaims, vectorLists, vectorStatusLists } from './vectors';

const { keys, credential: credentialVector, brightCode, verify: verifyVectors } = VECTORS;
const lists = vectorLists();
const T0 = brightCode.now;
const frozen = (now: number) => ({ now: () => now });
const statusListsFor = vectorStatusLists;

const options = (now: number, ed25519: Ed25519, extra: Partial<VerifyOptions> = {}): VerifyOptions => ({
  trustList: lists.trust,
  statusLists: statusListsFor('fresh'),
  clock: frozen(now),
  ed25519,
  maxStatusAgeMs: verifyVectors.maxStatusAgeMs,
  ...extra,
});

const node = createNodeEd25519();
const device = tweetnaclEd25519.keyPairFromSeed(fromHex(keys.device.seed));
const credential = fromHex(credentialVector.credential);
const code = brightCode.text;

describe('verifyCode on the published cases (verify.json)', () => {
  it('when the cases are listed, then together they cover every verdict but replayed', () => {
    const covered = new Set(verifyVectors.cases.map((c) => c.verdict));
    expect([...covered].sort()).toEqual(VERDICTS.filter((v) => v !== 'replayed').sort());
    // Both formats: every verdict but replayed for v2 codes too (tampered only exists there).
    const v2 = new Set(verifyVectors.cases.filter((c) => c.text.startsWith('EID2:')).map((c) => c.verdict));
    expect([...v2].sort()).toEqual([...covered].sort());
  });

  describe.each([
    ['tweetnacl', tweetnaclEd25519],
    ['node:crypto', node],
  ])('with %s', (_name, ed25519) => {
    it.each(verifyVectors.cases.map((c) => [c.name, c] as const))(
      'when the case is "%s", then the verdict is the published one',
      (_case, c) => {
        const result = verifyCode(
          c.text,
          options(c.now, ed25519, { statusLists: statusListsFor(c.statusList) }),
        );
        expect(result.verdict).toBe(c.verdict);
        expect(result.checkedAt).toBe(c.now);
        if (c.verdict === 'valid') {
          expect(result.kid).toBe(keys.issuer.kid);
          expect(result.province).toBe('37');
          if ('disclosed' in c) {
            // A v2 code proves exactly the claims it disclosed, nothing of the others.
            expect(result.disclosed).toEqual(c.disclosed);
            expect(Object.keys(result.claims!).sort()).toEqual(
              [...(c.disclosed as string[]), 'issuedAt', 'expiresAt'].sort(),
            );
          } else {
            expect(result.format).toBe(1);
            expect(result.claims?.name).toBe(credentialVector.claims.holder.name);
          }
        } else {
          expect(result.claims).toBeUndefined();
        }
      },
    );
  });
});

describe('verifyCode with a frozen clock', () => {
  it('when a valid code is checked, then it discloses exactly the credential claims', () => {
    const result = verifyCode(code, options(T0 + 1000, node));
    const claims = vectorClaims();
    expect(result).toMatchObject({
      verdict: 'valid',
      checkedAt: T0 + 1000,
      kid: keys.issuer.kid,
      province: '37',
      cardId: Buffer.from(claims.cardId).toString('base64url'),
      statusIndex: 5,
      codeTimestamp: T0,
      codeExpiresAt: T0 + CODE_TTL_MS,
    });
    expect(result.claims).toEqual({
      ...claims.holder,
      issuedAt: claims.issuedAt,
      expiresAt: claims.expiresAt,
    });
  });

  it.each<[string, Verdict, number]>([
    ['just inside the tolerance ahead', 'valid', T0 - CLOCK_TOLERANCE_MS],
    ['just beyond the tolerance ahead', 'not_yet_valid', T0 - CLOCK_TOLERANCE_MS - 1],
    ['at its timestamp', 'valid', T0],
    ['one ms before it expires', 'valid', T0 + CODE_TTL_MS - 1],
    ['the ms it expires', 'expired', T0 + CODE_TTL_MS],
  ])('when the verifier clock is %s, then the code is %s', (_when, verdict, now) => {
    expect(verifyCode(code, options(now, node)).verdict).toBe(verdict);
  });

  it('when the same code is shown twice to one terminal, then the second time it is replayed; to another, valid', () => {
    const clock = frozen(T0 + 1000);
    const terminalA = createMemoryReplayGuard(clock);
    const terminalB = createMemoryReplayGuard(clock);
    expect(verifyCode(code, options(T0 + 1000, node, { replayGuard: terminalA })).verdict).toBe('valid');
    const again = verifyCode(code, options(T0 + 1000, node, { replayGuard: terminalA }));
    expect(again.verdict).toBe('replayed');
    expect(again.claims).toBeUndefined();
    expect(verifyCode(code, options(T0 + 1000, node, { replayGuard: terminalB })).verdict).toBe('valid');
  });

  it('when a credential is shown with a code signed by another device key, then the signature is bad', () => {
    const other = tweetnaclEd25519.keyPairFromSeed(fromHex(keys.otherDevice.seed));
    const copied = buildCode({ credential, deviceSecretKey: other.secretKey, now: T0 });
    const result = verifyCode(copied, options(T0 + 1000, node));
    expect(result.verdict).toBe('bad_signature');
    expect(result.claims).toBeUndefined();
  });

  it('when the status list is older than its allowed age, then a revoked card is status_unknown, never revoked', () => {
    const revokedCase = verifyVectors.cases.find((c) => c.verdict === 'revoked')!;
    const age = revokedCase.now - lists.fresh.issuedAt;
    expect(
      verifyCode(revokedCase.text, options(revokedCase.now, node, { maxStatusAgeMs: age })).verdict,
    ).toBe('revoked');
    const tooOld = options(revokedCase.now, node, { maxStatusAgeMs: age - 1 });
    expect(verifyCode(revokedCase.text, tooOld).verdict).toBe('status_unknown');
  });

  it('when the status list was issued beyond the tolerance in the future, then the status is unknown', () => {
    const future = { ...lists.fresh, issuedAt: T0 + CLOCK_TOLERANCE_MS + 1 };
    const result = verifyCode(code, options(T0, node, { statusLists: new Map([[keys.issuer.kid, future]]) }));
    expect(result.verdict).toBe('status_unknown');
  });

  it('when the status list does not cover the card index, then the status is unknown', () => {
    const short = { ...lists.fresh, size: 5 };
    const result = verifyCode(code, options(T0, node, { statusLists: new Map([[keys.issuer.kid, short]]) }));
    expect(result.verdict).toBe('status_unknown');
  });

  it('when the issuer key names another province, or the credential predates the key, then the issuer is unknown', () => {
    const issuer = lists.trust.issuers.get(keys.issuer.kid)!;
    const otherProvince = trustListOf([{ ...issuer, province: '11' }]);
    expect(verifyCode(code, options(T0, node, { trustList: otherProvince })).verdict).toBe('unknown_issuer');
    const laterKey = trustListOf([{ ...issuer, notBefore: vectorClaims().issuedAt + 1000 }]);
    expect(verifyCode(code, options(T0, node, { trustList: laterKey })).verdict).toBe('unknown_issuer');
    const retired = trustListOf([{ ...issuer, notAfter: vectorClaims().issuedAt - 1000 }]);
    expect(verifyCode(code, options(T0, node, { trustList: retired })).verdict).toBe('unknown_issuer');
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['empty', ''],
    ['the prefix alone', 'EID1:'],
    ['not base45', 'EID1:%%%'],
    ['5000 characters long', `EID1:${'0'.repeat(5000)}`],
  ])('when the input is %s, then it is malformed', (_what, input) => {
    expect(verifyCode(input, options(T0, node)).verdict).toBe('malformed');
  });
});

describe('issuer-signature cache', () => {
  const counting = (inner: Ed25519) => {
    const calls: Uint8Array[] = [];
    const ed: Ed25519 = {
      ...inner,
      verify: (pk, msg, sig) => {
        calls.push(pk);
        return inner.verify(pk, msg, sig);
      },
    };
    return { ed, calls };
  };
  const issuerKey = fromHex(keys.issuer.publicKey);
  const issuerCalls = (calls: Uint8Array[]) => calls.filter((pk) => Buffer.from(pk).equals(issuerKey)).length;

  it('when many codes of one credential are verified, then the issuer signature is verified once', () => {
    const { ed, calls } = counting(node);
    const cache = createCredentialCache();
    for (let i = 0; i < 5; i++) {
      const text = buildCode({ credential, deviceSecretKey: device.secretKey, now: T0 + i * 1000 });
      expect(verifyCode(text, options(T0 + 5000, ed, { cache })).verdict).toBe('valid');
    }
    expect(issuerCalls(calls)).toBe(1);
    expect(calls).toHaveLength(6);
  });

  it('when the trust list changes the key of a cached kid, then the cached credential is checked again and refused', () => {
    const { ed, calls } = counting(node);
    const cache = createCredentialCache();
    expect(verifyCode(code, options(T0, ed, { cache })).verdict).toBe('valid');
    const rotated = trustListOf([
      { ...lists.trust.issuers.get(keys.issuer.kid)!, publicKey: fromHex(keys.rogueIssuer.publicKey) },
    ]);
    expect(verifyCode(code, options(T0, ed, { cache, trustList: rotated })).verdict).toBe('bad_signature');
    expect(calls.length).toBe(3);
  });

  it('when a credential has a bad issuer signature, then it is not cached', () => {
    const bad = verifyVectors.cases.find((c) => c.name === 'issuer signature tampered')!;
    const cache = createCredentialCache();
    expect(verifyCode(bad.text, options(T0, node, { cache })).verdict).toBe('bad_signature');
    expect(verifyCode(bad.text, options(T0, node, { cache })).verdict).toBe('bad_signature');
  });

  it("when another credential ends in the cached one's issuer signature, then the cached entry is not used for it", () => {
    const cache = createCredentialCache();
    expect(verifyCode(code, options(T0, node, { cache })).verdict).toBe('valid');
    // The same signature bytes (so the same cache key) under other claims: a forgery the cache must not vouch for.
    const signature = credential.subarray(credential.length - 64);
    const claims = vectorClaims();
    const forged = issueCredential(keys.issuer.kid, { ...claims, statusIndex: claims.statusIndex + 1 }, () =>
      signature.slice(),
    );
    expect(forged.subarray(forged.length - 64)).toEqual(signature);
    const text = buildCode({ credential: forged, deviceSecretKey: device.secretKey, now: T0 });
    expect(verifyCode(text, options(T0, node, { cache })).verdict).toBe('bad_signature');
    expect(verifyCode(code, options(T0, node, { cache })).verdict).toBe('valid');
  });

  it('when the cache is full, then the oldest entry leaves first', () => {
    const cache = createCredentialCache(2);
    const entry = { format: 1 as const, credential: {} as never, issuerPublicKey: new Uint8Array(32) };
    cache.set('a', entry);
    cache.set('b', entry);
    cache.set('c', entry);
    expect([cache.get('a'), cache.get('b'), cache.get('c')].map(Boolean)).toEqual([false, true, true]);
  });
});

describe('tampering', () => {
  const bytes = parseCode(code).bytes;
  const retext = (b: Uint8Array) => `EID1:${base45Encode(b)}`;
  const check = (b: Uint8Array) => verifyCode(retext(b), options(T0 + 1000, node)).verdict;
  const flipAt = (offset: number, mask = 0x01) => {
    const copy = bytes.slice();
    copy[offset] = copy[offset]! ^ mask;
    return copy;
  };
  const indexOf = (needle: Uint8Array, from = 0) => {
    for (let i = from; i + needle.length <= bytes.length; i++) {
      if (needle.every((b, j) => bytes[i + j] === b)) return i;
    }
    throw new Error('needle not found');
  };
  /** Offset of the last byte of a claim's value: the claim's key and value are unique within the code. */
  const claimEnd = (key: number, value: Uint8Array) =>
    indexOf(concatBytes(cborHead(key < 0 ? 1 : 0, key < 0 ? -1 - key : key), value)) + value.length;

  const claims = vectorClaims();
  const protectedBytes = sign1Protected(keys.issuer.kid);
  const credStart = 1 + cborHead(2, credential.length).length;
  const text = (s: string) => concatBytes(cborHead(3, utf8Encode(s).length), utf8Encode(s));
  const uint = (n: number) => cborHead(0, n);
  const bstr = (b: Uint8Array) => concatBytes(cborHead(2, b.length), b);
  const birth = Number(claims.holder.birthDate.replace(/-/g, ''));
  const visible = claims.holder.idNumberMasked.replace(/\*+/, '');

  it('when any single bit of any byte of the code is flipped, then the code is never valid', () => {
    expect(CREDENTIAL_AAD.length).toBeGreaterThan(0);
    const seen = new Set<Verdict>();
    for (let offset = 0; offset < bytes.length; offset++) {
      for (const mask of [0x01, 0x80]) {
        const verdict = check(flipAt(offset, mask));
        expect([offset, mask, verdict]).not.toEqual([offset, mask, 'valid']);
        seen.add(verdict);
      }
    }
    expect([...seen].sort()).toEqual(['bad_signature', 'malformed', 'unknown_issuer']);
  });

  it.each<[string, Verdict, () => number]>([
    ['the array head', 'malformed', () => 0],
    ['the algorithm in the protected header', 'malformed', () => indexOf(protectedBytes) + 2],
    ['the key id', 'unknown_issuer', () => indexOf(protectedBytes) + protectedBytes.length - 1],
    ['the province (iss)', 'unknown_issuer', () => claimEnd(1, text(claims.province))],
    ['the expiry (exp)', 'bad_signature', () => claimEnd(4, uint(claims.expiresAt / 1000))],
    ['the issue time (iat)', 'bad_signature', () => claimEnd(6, uint(claims.issuedAt / 1000))],
    ['the card id (cti)', 'bad_signature', () => claimEnd(7, bstr(claims.cardId))],
    ['the device key', 'bad_signature', () => claimEnd(-1, bstr(claims.devicePublicKey))],
    ['the status index', 'bad_signature', () => claimEnd(-2, uint(claims.statusIndex))],
    ['the name', 'bad_signature', () => claimEnd(-3, text(claims.holder.name))],
    ['the sex', 'bad_signature', () => claimEnd(-4, uint(claims.holder.sex))],
    ['the birth date', 'bad_signature', () => claimEnd(-5, uint(birth))],
    ['the masked ID number', 'bad_signature', () => claimEnd(-6, text(visible))],
    ['the portrait digest', 'bad_signature', () => claimEnd(-7, bstr(claims.holder.portraitDigest))],
    ['the issuer signature', 'bad_signature', () => credStart + credential.length - 1],
    ['the timestamp', 'bad_signature', () => credStart + credential.length + 4],
    ['the nonce', 'bad_signature', () => credStart + credential.length + 5 + 8],
    ['the device signature', 'bad_signature', () => bytes.length - 1],
  ])('when a byte of %s is changed, then the verdict is %s', (_field, verdict, offsetOf) => {
    expect(check(flipAt(offsetOf()))).toBe(verdict);
  });

  it('when the version prefix is changed, then the code is malformed', () => {
    expect(verifyCode(`EID2:${code.slice(5)}`, options(T0, node)).verdict).toBe('malformed');
    expect(verifyCode(` ${code}`, options(T0, node)).verdict).toBe('malformed');
  });

  it('when a valid credential is re-signed by a key outside the trust list, then the issuer is unknown', () => {
    const rogue = tweetnaclEd25519.keyPairFromSeed(fromHex(keys.rogueIssuer.seed));
    const forged = issueCredential(keys.rogueIssuer.kid, claims, (tbs) =>
      tweetnaclEd25519.sign(rogue.secretKey, tbs),
    );
    const forgedCode = buildCode({ credential: forged, deviceSecretKey: device.secretKey, now: T0 });
    expect(verifyCode(forgedCode, options(T0, node)).verdict).toBe('unknown_issuer');
  });
});
