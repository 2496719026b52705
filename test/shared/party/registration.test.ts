import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  base64urlDecode,
  base64urlEncode,
  canonicalJson,
  ED25519_SMALL_ORDER_ENCODINGS,
  fromHex,
  openRegistryKeys,
  REGISTRATION_AAD,
  registrationMessage,
  signRegistration,
  signRegistryKeys,
  toHex,
  tweetnaclEd25519,
  utf8Encode,
  verifyRegistration,
  type PartyRegistryKeys,
  type SignedPartyRegistration,
} from '@eid/shared';
import { createNodeEd25519 } from '@eid/bff/infra/ed25519';
import { partyRegistrationVectors } from '../../../scripts/vectors/party-registration';

const FILE = path.join(__dirname, '../../../docs/formats/vectors/party-registration.json');
const vectors: ReturnType<typeof partyRegistrationVectors> = JSON.parse(readFileSync(FILE, 'utf8'));
const implementations = [
  ['tweetnacl', tweetnaclEd25519],
  ['node:crypto', createNodeEd25519()],
] as const;

// node:crypto where a test verifies many times: tweetnacl takes a few hundred ms per signature on a busy machine.
const nodeEd = implementations[1][1];
const registryKeys = [{ kid: vectors.registryKey.kid, publicKey: fromHex(vectors.registryKey.publicKey) }];
const rootKey = fromHex(vectors.trustRoot.publicKey);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('party-registration.json', () => {
  it('when the vectors are computed again from their seeds, then they equal the published file', () => {
    expect(partyRegistrationVectors()).toEqual(vectors);
  });

  it('when the message is rebuilt by hand from the document, then it is the prefix and the canonical JSON', () => {
    expect(new TextDecoder().decode(REGISTRATION_AAD)).toBe('EID party registration v1\n');
    const byHand = toHex(utf8Encode(`EID party registration v1\n${vectors.registration.canonicalJson}`));
    expect(vectors.registration.message).toBe(byHand);
    expect(toHex(registrationMessage(vectors.registration.payload as never))).toBe(byHand);
  });

  it('when the page docs/formats/party-registration.md is read, then it prints every published value exactly', () => {
    const page = readFileSync(path.join(__dirname, '../../../docs/formats/party-registration.md'), 'utf8');
    const valid = vectors.consentCodes.find((c) => c.parsed)!;
    for (const value of [
      vectors.registryKey.seed,
      vectors.registryKey.publicKey,
      vectors.trustRoot.publicKey,
      vectors.registration.canonicalJson,
      vectors.registration.message,
      vectors.registration.signed.signature,
      vectors.registryKeys.canonicalJson,
      vectors.registryKeys.message,
      vectors.registryKeys.doc.signature,
      valid.text,
      valid.parsed!.id,
      valid.parsed!.secret,
    ])
      expect(page).toContain(value);
  });

  it.each(implementations)('when %s checks the vector registration, then it verifies', (_, ed) => {
    expect(
      verifyRegistration(clone(vectors.registration.signed) as SignedPartyRegistration, registryKeys, ed),
    ).toBe(true);
  });

  it.each(implementations)('when %s checks each refused variant, then each is refused', (_, ed) => {
    for (const v of vectors.refusedRegistrations) {
      expect({
        note: v.note,
        valid: verifyRegistration(v.signed as SignedPartyRegistration, registryKeys, ed),
      }).toEqual({ note: v.note, valid: false });
    }
  });
});

describe('canonicalJson', () => {
  it('when keys come in any order, then they are sorted by UTF-16 code units (RFC 8785 section 3.2.3)', () => {
    const value = { '\u20ac': 1, '\r': 2, '\ufb33': 3, '1': 4, '\ud83d\ude00': 5, '\u0080': 6, '\u00f6': 7 };
    expect(canonicalJson(value)).toBe(
      '{"\\r":2,"1":4,"\u0080":6,"\u00f6":7,"\u20ac":1,"\ud83d\ude00":5,"\ufb33":3}',
    );
  });

  it('when values are nested, then there is no whitespace and numbers take the ECMAScript form', () => {
    expect(canonicalJson({ b: [1, 2.5, -0, 1e21, 1e-7, true, null], a: { d: 'x"\n\u0001', c: false } })).toBe(
      '{"a":{"c":false,"d":"x\\"\\n\\u0001"},"b":[1,2.5,0,1e+21,1e-7,true,null]}',
    );
  });

  it('when a property is undefined, then it is left out as JSON.stringify does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it.each([
    ['NaN', NaN],
    ['Infinity', { a: Infinity }],
    ['undefined at the top', undefined],
    ['undefined in an array', [1, undefined]],
    ['a bigint', { a: BigInt(1) }],
    ['a Date', { at: new Date(0) }],
    ['a Map', new Map()],
    ['a Uint8Array', { key: new Uint8Array(2) }],
    ['a function', { f: () => 1 }],
  ])('when the value holds %s, then it throws TypeError', (_, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it('when a value refers to itself, then it throws instead of overflowing the stack', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(TypeError);
  });

  it('when any JSON value is written, parsed and written again, then the bytes are the same', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const once = canonicalJson(value);
        expect(canonicalJson(JSON.parse(once))).toBe(once);
        expect(JSON.parse(once)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('when an object is rebuilt with its keys in reverse order, then the output does not change', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
      }),
    );
  });
});

describe('verifyRegistration', () => {
  const signed = () => clone(vectors.registration.signed) as SignedPartyRegistration;
  const ed = tweetnaclEd25519;

  it('when the JSON arrives with other key order and whitespace, then it still verifies', () => {
    const s = signed();
    const reordered = JSON.parse(
      JSON.stringify(
        {
          signature: s.signature,
          payload: Object.fromEntries(Object.entries(s.payload).reverse()),
          kid: s.kid,
        },
        null,
        2,
      ),
    );
    expect(verifyRegistration(reordered, registryKeys, ed)).toBe(true);
  });

  it('when a field is added to the payload, then it no longer verifies', () => {
    const s = signed();
    expect(
      verifyRegistration({ ...s, payload: { ...s.payload, extra: 'x' } as never }, registryKeys, ed),
    ).toBe(false);
  });

  it('when the kid is known but maps to another key, then it is refused', () => {
    const other = tweetnaclEd25519.keyPairFromSeed(new Uint8Array(32).fill(9)).publicKey;
    expect(verifyRegistration(signed(), [{ kid: vectors.registryKey.kid, publicKey: other }], ed)).toBe(
      false,
    );
  });

  it('when the registry key listed is of small order, then nothing verifies under it', () => {
    const weak = fromHex(ED25519_SMALL_ORDER_ENCODINGS[1]!);
    const s = { ...signed(), signature: base64urlEncode(new Uint8Array(64)) };
    expect(verifyRegistration(s, [{ kid: s.kid, publicKey: weak }], ed)).toBe(false);
  });

  it('when any part has the wrong type or the signature is not base64url, then it answers false without throwing', () => {
    const s = signed();
    const bad: unknown[] = [
      null,
      'x',
      { ...s, kid: 1 },
      { ...s, signature: 42 },
      { ...s, signature: s.signature + '=' },
      { ...s, signature: s.signature.replace(/.$/, '+') },
      { ...s, payload: null },
      { ...s, payload: [] },
      { ...s, payload: { ...s.payload, signedAt: NaN } },
    ];
    for (const b of bad)
      expect(verifyRegistration(b as SignedPartyRegistration, registryKeys, ed)).toBe(false);
  });

  it('when any one byte of the signature is changed, then it is refused', () => {
    const s = signed();
    const sig = base64urlDecode(s.signature);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const changed = sig.slice();
        changed[i] = changed[i]! ^ x;
        expect(verifyRegistration({ ...s, signature: base64urlEncode(changed) }, registryKeys, ed)).toBe(
          false,
        );
      }),
      { numRuns: 50 },
    );
  });

  it('when signRegistration signs a payload, then both implementations verify it', () => {
    const pair = tweetnaclEd25519.keyPairFromSeed(new Uint8Array(32).fill(4));
    const payload = { ...signed().payload, version: 4, name: '新名字' };
    const s = signRegistration(payload, 'preg-x', (m) => tweetnaclEd25519.sign(pair.secretKey, m));
    for (const [, impl] of implementations)
      expect(verifyRegistration(clone(s), [{ kid: 'preg-x', publicKey: pair.publicKey }], impl)).toBe(true);
  });
});

describe('openRegistryKeys', () => {
  const doc = () => clone(vectors.registryKeys.doc) as PartyRegistryKeys;
  const root = tweetnaclEd25519.keyPairFromSeed(new Uint8Array(32).fill(5));
  const signedByRoot = (keys: { kid: string; publicKey: string }[]) =>
    signRegistryKeys({ v: 1, keys, issuedAt: 1 }, (m) => tweetnaclEd25519.sign(root.secretKey, m));

  it.each(implementations)('when %s opens the vector document, then it gives the registry key', (_, ed) => {
    expect(openRegistryKeys(doc(), rootKey, ed)).toEqual(registryKeys);
  });

  it.each(implementations)('when %s opens each refused variant, then each is refused', (_, ed) => {
    for (const v of vectors.refusedRegistryKeys)
      expect({ note: v.note, opens: openRegistryKeys(v.doc as PartyRegistryKeys, rootKey, ed) }).toEqual({
        note: v.note,
        opens: undefined,
      });
  });

  it('when issuedAt is changed after signing, then it is refused', () => {
    const d = doc();
    expect(
      openRegistryKeys(
        { ...d, payload: { ...d.payload, issuedAt: d.payload.issuedAt + 1 } },
        rootKey,
        tweetnaclEd25519,
      ),
    ).toBeUndefined();
  });

  it('when the root signs a non-canonical key (y >= p), a duplicate kid or an empty kid, then it is refused', () => {
    const good = vectors.registryKeys.doc.payload.keys[0]!;
    const nonCanonical = base64urlEncode(fromHex('ed' + 'ff'.repeat(30) + '7f'));
    for (const keys of [
      [{ kid: 'k', publicKey: nonCanonical }],
      [good, good],
      [{ kid: '', publicKey: good.publicKey }],
      [{ kid: 'k', publicKey: good.publicKey.slice(0, 42) }],
    ])
      expect(openRegistryKeys(signedByRoot(keys), root.publicKey, nodeEd)).toBeUndefined();
    expect(openRegistryKeys(signedByRoot([good]), root.publicKey, nodeEd)).toEqual(registryKeys);
  });

  it('when the trust root key given is of small order, then nothing opens', () => {
    for (const hex of ED25519_SMALL_ORDER_ENCODINGS)
      expect(openRegistryKeys(doc(), fromHex(hex), tweetnaclEd25519)).toBeUndefined();
  });

  it('when the document is not an object of the right shape, then it answers undefined without throwing', () => {
    for (const bad of [
      null,
      1,
      {},
      { payload: { v: 1, keys: 'x', issuedAt: 1 }, signature: '' },
      { ...doc(), signature: null },
    ])
      expect(
        openRegistryKeys(bad as unknown as PartyRegistryKeys, rootKey, tweetnaclEd25519),
      ).toBeUndefined();
  });
});
