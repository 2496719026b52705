import {
  base64urlDecode,
  base64urlEncode,
  canonicalJson,
  ED25519_SMALL_ORDER_ENCODINGS,
  FEDERATION_FAILURE_REASONS,
  FederationError,
  fromHex,
  issuersOfList,
  nationalTrustListMessage,
  nodeKeysOfList,
  openSignedTrustList,
  provinceNodeOf,
  signNationalTrustList,
  tweetnaclEd25519 as ed,
  witnessKeysOfList,
  type NationalTrustList,
  type SignedTrustList,
} from '@eid/shared';
import {
  ISSUED,
  NTL_KEYS,
  NTL_NOW,
  publication,
  signList,
} from '../../../scripts/vectors/national-trust-list';
import { reasonOf } from './vectors';

const root = NTL_KEYS.root.pair;
const DAY = 86_400_000;
const latest = () => publication(3, ISSUED[2]);
const resign = (text: string): SignedTrustList => ({
  list: text,
  kid: 'root',
  signature: base64urlEncode(ed.sign(root.secretKey, nationalTrustListMessage(text))),
});
const open = (s: SignedTrustList) => openSignedTrustList(s, root.publicKey, ed);
/** The reason a list edited by `edit` is refused, signed properly by the root (so only the edit is wrong). */
const refusedFor = (edit: (l: NationalTrustList & Record<string, unknown>) => void) => {
  const l = JSON.parse(canonicalJson(latest())) as NationalTrustList & Record<string, unknown>;
  edit(l);
  return reasonOf(() => open(resign(canonicalJson(l))));
};

describe('signNationalTrustList and openSignedTrustList', () => {
  it('when a list is signed and opened, then it reads back equal, from canonical text, under the v2 context', () => {
    const signed = signList(latest());
    expect(signed.list).toBe(canonicalJson(latest()));
    expect(signed.kid).toBe('root');
    const signature = base64urlDecode(signed.signature);
    expect(ed.verify(root.publicKey, utf8(`EID national trust list v2\n${signed.list}`), signature)).toBe(
      true,
    );
    expect(open(signed)).toEqual(latest());
  });

  it('when the root signs the bare list text (no context line), then the signature is refused', () => {
    const text = canonicalJson(latest());
    const bare = { list: text, kid: 'root', signature: base64urlEncode(ed.sign(root.secretKey, utf8(text))) };
    expect(reasonOf(() => open(bare))).toBe('bad_root_signature');
  });

  it("when the signature is another key's, altered, truncated or not base64url, then bad_root_signature", () => {
    const signed = signList(latest());
    const sig = base64urlDecode(signed.signature);
    sig[0] ^= 1;
    for (const signature of [
      signList(latest(), NTL_KEYS.rogueRoot.pair).signature,
      base64urlEncode(sig),
      signed.signature.slice(0, 80),
      `${signed.signature.slice(0, -1)}+`,
    ])
      expect(reasonOf(() => open({ ...signed, signature }))).toBe('bad_root_signature');
  });

  it('when the national would sign a list no verifier accepts, then signing refuses it first', () => {
    const l = latest();
    l.keys[1]!.kid = l.keys[0]!.kid;
    expect(() => signNationalTrustList(l, 'root', (m) => ed.sign(root.secretKey, m))).toThrow(
      FederationError,
    );
    expect(() => signNationalTrustList(latest(), 'a kid', (m) => ed.sign(root.secretKey, m))).toThrow(
      TypeError,
    );
  });

  it.each([
    ['indented', (t: string) => JSON.stringify(JSON.parse(t), null, 2)],
    ['a trailing newline', (t: string) => `${t}\n`],
    ['a number written 3.0', (t: string) => t.replace('"sequence":3', '"sequence":3.0')],
    ['a character escaped (\\u5c71 for 山)', (t: string) => t.replace('山', '\\u5c71')],
    [
      'a member given twice (JSON.parse keeps the last)',
      (t: string) => t.replace('{"expiresAt":', '{"expiresAt":1,"expiresAt":'),
    ],
    ['members out of order', (t: string) => `{"v":2,${t.slice(1).replace(',"v":2', '')}`],
    ['not JSON at all', (t: string) => t.slice(0, -1)],
  ])('when the root signs the list text with %s, then non_canonical_list', (_n, spell) => {
    const text = spell(canonicalJson(latest()));
    expect(text).not.toBe(canonicalJson(latest()));
    expect(reasonOf(() => open(resign(text)))).toBe('non_canonical_list');
  });

  it.each(ED25519_SMALL_ORDER_ENCODINGS.map((hex) => [hex]))(
    'when a listed key is the small-order point %s, then the whole list is refused (weak_key)',
    (hex) => {
      expect(refusedFor((l) => (l.keys[4]!.publicKey = base64urlEncode(fromHex(hex))))).toBe('weak_key');
    },
  );

  it('when a listed key is non-canonical (y ≥ p), then weak_key', () => {
    const y = 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f';
    expect(refusedFor((l) => (l.keys[0]!.publicKey = base64urlEncode(fromHex(y))))).toBe('weak_key');
  });

  it.each<[string, (l: NationalTrustList & Record<string, unknown>) => void, string]>([
    ['version 1', (l) => ((l as Record<string, unknown>).v = 1), 'malformed_list'],
    ['an unknown top member', (l) => (l.note = 'x'), 'malformed_list'],
    ['no keys member', (l) => delete (l as Partial<NationalTrustList>).keys, 'malformed_list'],
    ['a fractional sequence', (l) => (l.sequence = 2.5), 'malformed_list'],
    ['a negative sequence', (l) => (l.sequence = -1), 'malformed_list'],
    ['a sequence as a string', (l) => ((l as Record<string, unknown>).sequence = '3'), 'malformed_list'],
    ['expiresAt = issuedAt', (l) => (l.expiresAt = l.issuedAt), 'malformed_list'],
    ['32 days of validity', (l) => (l.expiresAt = l.issuedAt + 32 * DAY), 'malformed_list'],
    ['a province code 99', (l) => (l.provinces[0]!.province = '99'), 'malformed_list'],
    ['a province code 3', (l) => (l.keys[0]!.province = '3'), 'malformed_list'],
    ['an ftp node URL', (l) => (l.provinces[0]!.url = 'ftp://eid.example'), 'malformed_list'],
    ['a node URL with a query', (l) => (l.provinces[0]!.url = 'https://eid.example/?a=1'), 'malformed_list'],
    ['an empty province name', (l) => (l.provinces[0]!.name = ''), 'malformed_list'],
    [
      'an unknown province member',
      (l) => ((l.provinces[0] as unknown as Record<string, unknown>).x = 1),
      'malformed_list',
    ],
    ['two nodes of one province', (l) => (l.provinces[1]!.province = '37'), 'duplicate_province'],
    ['a key of a province with no node', (l) => (l.keys[0]!.province = '44'), 'unknown_province'],
    ['two keys of one kid', (l) => (l.keys[5]!.kid = l.keys[2]!.kid), 'duplicate_kid'],
    ['a kid with a space', (l) => (l.keys[0]!.kid = 'vec 37'), 'malformed_list'],
    [
      'a 31-byte key',
      (l) => (l.keys[0]!.publicKey = base64urlEncode(new Uint8Array(31).fill(9))),
      'malformed_list',
    ],
    ['a key in padded base64', (l) => (l.keys[0]!.publicKey = `${l.keys[0]!.publicKey}=`), 'malformed_list'],
    [
      'a use "signer"',
      (l) => ((l.keys[0] as unknown as Record<string, unknown>).use = 'signer'),
      'malformed_list',
    ],
    [
      'a status "revoked"',
      (l) => ((l.keys[0] as unknown as Record<string, unknown>).status = 'revoked'),
      'malformed_list',
    ],
    [
      'retired without notAfter',
      (l) => delete l.keys.find((k) => k.status === 'retired')!.notAfter,
      'malformed_list',
    ],
    ['notAfter before notBefore', (l) => (l.keys[0]!.notAfter = l.keys[0]!.notBefore - 1), 'malformed_list'],
    ['an empty history', (l) => (l.keys[0]!.history = []), 'bad_history'],
    [
      'a history out of time order',
      (l) => l.keys.find((k) => k.status === 'compromised')!.history.reverse(),
      'bad_history',
    ],
    [
      'a compromised key made active again',
      (l) => {
        const k = l.keys.find((x) => x.status === 'compromised')!;
        k.status = 'active';
        k.history.push({ at: NTL_NOW, status: 'active' });
      },
      'bad_history',
    ],
    ['a status the history does not end in', (l) => (l.keys[0]!.status = 'compromised'), 'bad_history'],
    ['an empty history reason', (l) => (l.keys[0]!.history[0]!.reason = ''), 'malformed_list'],
  ])('when the list has %s, then %s', (_n, edit, reason) => {
    expect(refusedFor(edit)).toBe(reason);
  });

  it('every reason a test expects is a published one', () => {
    for (const r of ['malformed_list', 'weak_key', 'duplicate_kid', 'bad_history', 'non_canonical_list'])
      expect(FEDERATION_FAILURE_REASONS).toContain(r);
  });
});

describe('issuersOfList, nodeKeysOfList, provinceNodeOf', () => {
  const list = latest();

  it('when the issuers are taken, then active and retired issuer keys are in with their windows, the rest out', () => {
    const issuers = issuersOfList(list, NTL_NOW);
    expect(issuers.map((i) => i.kid).sort()).toEqual(['vec-11-1', 'vec-37-0', 'vec-37-1', 'vec-42-1']);
    const retired = issuers.find((i) => i.kid === 'vec-37-0')!;
    const listed = list.keys.find((k) => k.kid === 'vec-37-0')!;
    expect([retired.province, retired.notBefore, retired.notAfter]).toEqual([
      '37',
      listed.notBefore,
      listed.notAfter,
    ]);
    expect(retired.publicKey).toEqual(NTL_KEYS.retiredIssuer37.pair.publicKey);
    expect(issuers.find((i) => i.kid === 'vec-37-1')!.notAfter).toBeUndefined();
  });

  it('when an issuer key is compromised, then it is never an issuer, whatever the date asked about', () => {
    const l = latest();
    const k = l.keys.find((x) => x.kid === 'vec-42-1')!;
    k.status = 'compromised';
    k.history.push({ at: NTL_NOW, status: 'compromised', reason: 'test' });
    for (const at of [k.notBefore, NTL_NOW - DAY, NTL_NOW, NTL_NOW + DAY])
      expect(issuersOfList(l, at).map((i) => i.kid)).not.toContain('vec-42-1');
    expect(issuersOfList(l, NTL_NOW)).toHaveLength(3);
  });

  it('when node keys are asked for, then only usable node keys of that province at that time', () => {
    expect(nodeKeysOfList(list, '37', NTL_NOW)).toEqual([
      { kid: 'node-37-1', publicKey: NTL_KEYS.nodes['37']!.pair.publicKey },
    ]);
    // node-42-0 is compromised: never.
    expect(nodeKeysOfList(list, '42', NTL_NOW).map((k) => k.kid)).toEqual(['node-42-1']);
    expect(nodeKeysOfList(list, '44', NTL_NOW)).toEqual([]);
    expect(nodeKeysOfList(list, '37', list.keys[1]!.notBefore - 1)).toEqual([]);
  });

  it('when a node key is retired, then it signs until its notAfter inclusive and not after', () => {
    const l = latest();
    const k = l.keys.find((x) => x.kid === 'node-11-1')!;
    k.status = 'retired';
    k.notAfter = NTL_NOW + DAY;
    k.history.push({ at: NTL_NOW, status: 'retired' });
    expect(nodeKeysOfList(l, '11', NTL_NOW + DAY).map((x) => x.kid)).toEqual(['node-11-1']);
    expect(nodeKeysOfList(l, '11', NTL_NOW + DAY + 1)).toEqual([]);
  });

  it("when witness keys are asked for, then the province's witness key", () => {
    expect(witnessKeysOfList(list, '42', NTL_NOW)).toEqual([
      { kid: 'witness-42', publicKey: NTL_KEYS.witnesses[1]!.k.pair.publicKey },
    ]);
  });

  it('when a province node is asked for, then its entry, or undefined', () => {
    expect(provinceNodeOf(list, '42')).toEqual({
      province: '42',
      name: '湖北省',
      url: 'https://eid.hubei.example',
    });
    expect(provinceNodeOf(list, '44')).toBeUndefined();
  });
});

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
