import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  base64urlDecode,
  base64urlEncode,
  canonicalJson,
  createCheckpointVerifier,
  decodeTerminalBundle,
  FEDERATION_FAILURE_REASONS,
  encodeTerminalBundle,
  fromHex,
  issuersOfList,
  openSignedTrustList,
  openStatusList,
  openTrustBundle,
  parseVerifierKey,
  sha256,
  statusAt,
  terminalBundleSize,
  toHex,
  trustListLeafHash,
  trustListOf,
  tweetnaclEd25519,
  utf8Decode,
  utf8Encode,
  verifyConsistencyProof,
  type BundleTrust,
} from '@eid/shared';
import { nationalTrustListVectors } from '../../../scripts/vectors/national-trust-list';
import { ED25519_IMPLEMENTATIONS, NTL_VECTORS, nodeSha256, reasonOf } from './vectors';

const { keys, trust: pinned, list, log, bundle, accepted, refused, terminal } = NTL_VECTORS;
const trust: BundleTrust = {
  rootPublicKey: fromHex(pinned.rootPublicKey),
  logVerifierKey: pinned.logVerifierKey,
  witnessVerifierKeys: pinned.witnessVerifierKeys,
  quorum: pinned.quorum,
  skewMs: pinned.skewMs,
};

describe('national-trust-list.json', () => {
  it('when the vectors are computed again from their seeds through node:crypto, then they equal the file tweetnacl wrote', () => {
    expect(nationalTrustListVectors(ED25519_IMPLEMENTATIONS[1][1])).toEqual(NTL_VECTORS);
  });

  it('when each key is derived from its seed label, then seed, public key and vkey are the published ones', () => {
    for (const k of [keys.root, keys.log, keys.rogueWitness, ...keys.witnesses]) {
      const seed = sha256(utf8Encode(`eid test vector seed: ${k.seedLabel}`));
      expect(toHex(seed)).toBe(k.seed);
      expect(toHex(tweetnaclEd25519.keyPairFromSeed(seed).publicKey)).toBe(k.publicKey);
    }
    for (const k of [keys.log, keys.rogueWitness, ...keys.witnesses]) {
      const parsed = parseVerifierKey(k.vkey);
      expect([parsed.name, toHex(parsed.publicKey)]).toEqual([k.name, k.publicKey]);
    }
    expect(pinned.rootPublicKey).toBe(keys.root.publicKey);
    expect(pinned.origin).toBe(keys.log.name);
  });

  it('when the published list is written as canonical JSON again, then the signed text and the signed message are the published ones', () => {
    expect(canonicalJson(list.value)).toBe(list.canonicalJson);
    expect(list.signed.list).toBe(list.canonicalJson);
    expect(toHex(trustListLeafHash(list.signed))).toBe(list.leafHash);
    expect(list.message).toBe(toHex(utf8Encode(`EID national trust list v2\n${list.canonicalJson}`)));
    expect(list.value.provinces.map((p) => p.province)).toEqual(['37', '42', '11']);
    expect(new Set(list.value.keys.map((k) => k.province))).toEqual(new Set(['37', '42', '11']));
  });

  it("when the consistency proof between publications 2 and 3 is checked on its own, then it holds and the roots are the checkpoints'", () => {
    const b64 = (s: string) => Uint8Array.from(Buffer.from(s, 'base64'));
    const c = log.consistency;
    expect(() =>
      verifyConsistencyProof({
        oldSize: c.fromSize,
        oldRoot: b64(c.oldRoot),
        newSize: c.toSize,
        newRoot: b64(c.newRoot),
        proof: c.hashes.map(b64),
      }),
    ).not.toThrow();
    expect(log.publications[1]!.checkpoint.split('\n')[2]).toBe(c.oldRoot);
    expect(log.publications[2]!.checkpoint.split('\n')[2]).toBe(c.newRoot);
    expect(bundle.value.consistency).toEqual({ fromSize: 2, hashes: c.hashes });
  });

  describe.each(ED25519_IMPLEMENTATIONS)('through %s', (_, ed25519) => {
    it('when the published list is opened, then it is the published value and its issuers the published ones', () => {
      const opened = openSignedTrustList(list.signed, trust.rootPublicKey, ed25519);
      expect(opened).toEqual(list.value);
      expect(
        issuersOfList(opened, pinned.now).map((i) => ({ ...i, publicKey: base64urlEncode(i.publicKey) })),
      ).toEqual(list.issuers);
    });

    it('when the 2-of-3 bundle is opened after publication 2, then the state is the published one', () => {
      const opened = openTrustBundle(bundle.value, trust, pinned.now, bundle.last, ed25519, nodeSha256);
      expect(opened.state).toEqual(bundle.state);
      expect(opened.cosignatures.map((c) => c.name)).toEqual(['witness-37', 'witness-42']);
    });

    it.each(accepted.map((a) => [a.name, a] as const))('when given "%s", then it accepts', (_n, a) => {
      const opened = openTrustBundle(a.bundle, trust, a.now, a.last ?? undefined, ed25519);
      expect(opened.state).toEqual(a.state);
    });

    it.each(refused.map((r) => [r.name, r] as const))(
      'when given "%s", then it refuses for its reason',
      (_n, r) => {
        expect(reasonOf(() => openTrustBundle(r.bundle, trust, r.now, r.last ?? undefined, ed25519))).toBe(
          r.reason,
        );
      },
    );

    it("when the terminal bundle is decoded, then its trust opens and every status list verifies under the list's issuers", () => {
      const decoded = decodeTerminalBundle(utf8Encode(terminal.encoded));
      expect(decoded).toEqual(terminal.bundle);
      const opened = openTrustBundle(decoded.trust, trust, pinned.now, undefined, ed25519);
      const issuers = trustListOf(issuersOfList(opened.list, pinned.now));
      for (const s of decoded.statusLists) {
        const status = openStatusList(base64urlDecode(s.list), issuers, ed25519);
        expect([status.kid, status.size, statusAt(status, 3), statusAt(status, 4)]).toEqual([
          s.kid,
          16,
          1,
          0,
        ]);
        expect(issuers.issuers.get(s.kid)?.province).toBe(s.province);
      }
    });
  });

  it('when the terminal bundle is encoded again, then the bytes and the size are the published ones', () => {
    expect(utf8Decode(encodeTerminalBundle(terminal.bundle))).toBe(terminal.encoded);
    expect(terminalBundleSize(terminal.bundle)).toBe(terminal.size);
    expect(terminal.size).toBe(utf8Encode(terminal.encoded).length);
  });

  it('when the bundle checkpoint is given to the plain tlog verifier, then it agrees: log signed, 2 witnesses', () => {
    const v = createCheckpointVerifier({
      origin: pinned.origin,
      logKeys: [pinned.logVerifierKey],
      witnesses: pinned.witnessVerifierKeys,
      quorum: 2,
    }).verify(bundle.value.checkpoint, pinned.now);
    expect(v.text).toBe(log.publications[2]!.checkpoint);
  });

  it("when the document lists the refusal reasons, then they are exactly the code's, and every refused vector uses one", () => {
    const doc = readFileSync(path.join(__dirname, '../../../docs/formats/national-trust-list.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Refusal reasons'), doc.indexOf('## Helpers'));
    const listed = [...section.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
    expect(listed.filter((r) => r !== 'FEDERATION_BUNDLE_INVALID')).toEqual([...FEDERATION_FAILURE_REASONS]);
    for (const r of refused) expect(FEDERATION_FAILURE_REASONS).toContain(r.reason);
  });
});
