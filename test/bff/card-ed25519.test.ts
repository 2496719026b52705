import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { fromHex, sha256, toHex, tweetnaclEd25519, verifyCode } from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '@eid/bff/infra/ed25519';
import { VECTORS, vectorLists } from '../shared/vectors';

const node = createNodeEd25519();
const nacl = tweetnaclEd25519;

// RFC 8032 section 7.1, tests 1-3: secret key (seed), public key, message, signature.
const RFC8032 = [
  {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    seed: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature:
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
];

describe('node:crypto Ed25519 agrees with tweetnacl', () => {
  it.each(RFC8032.map((v, i) => [i + 1, v] as const))(
    'when RFC 8032 test %i is run through both, then keys and signatures are the published bytes',
    (_n, v) => {
      for (const ed of [node, nacl]) {
        const pair = ed.keyPairFromSeed(fromHex(v.seed));
        expect(toHex(pair.publicKey)).toBe(v.publicKey);
        expect(toHex(ed.sign(pair.secretKey, fromHex(v.message)))).toBe(v.signature);
        expect(ed.verify(pair.publicKey, fromHex(v.message), fromHex(v.signature))).toBe(true);
      }
    },
  );

  it('when random seeds sign random messages, then both give the same key pair and signature byte for byte', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 600 }),
        (seed, msg) => {
          const a = node.keyPairFromSeed(seed);
          const b = nacl.keyPairFromSeed(seed);
          expect(a).toEqual(b);
          const sigA = node.sign(a.secretKey, msg);
          expect(sigA).toEqual(nacl.sign(b.secretKey, msg));
          expect(node.verify(a.publicKey, msg, sigA)).toBe(true);
          expect(nacl.verify(a.publicKey, msg, sigA)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('when a signature or message is altered, then both refuse it', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.nat(),
        (seed, msg, at) => {
          const pair = node.keyPairFromSeed(seed);
          const sig = node.sign(pair.secretKey, msg);
          const badSig = sig.slice();
          badSig[at % 64] = badSig[at % 64]! ^ 1;
          const badMsg = msg.slice();
          badMsg[at % msg.length] = badMsg[at % msg.length]! ^ 1;
          for (const ed of [node, nacl]) {
            expect(ed.verify(pair.publicKey, msg, badSig)).toBe(false);
            expect(ed.verify(pair.publicKey, badMsg, sig)).toBe(false);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('when keys or signatures have the wrong length or are not points, then verify says false without throwing', () => {
    const pair = node.keyPairFromSeed(new Uint8Array(32).fill(7));
    const sig = node.sign(pair.secretKey, new Uint8Array(1));
    for (const ed of [node, nacl]) {
      expect(ed.verify(pair.publicKey.subarray(1), new Uint8Array(1), sig)).toBe(false);
      expect(ed.verify(pair.publicKey, new Uint8Array(1), sig.subarray(1))).toBe(false);
      expect(ed.verify(new Uint8Array(32).fill(0xff), new Uint8Array(1), sig)).toBe(false);
    }
  });

  it('when the same public key arrives as a different array, then the cached key object still verifies correctly', () => {
    const pair = node.keyPairFromSeed(new Uint8Array(32).fill(9));
    const msg = new Uint8Array([1, 2, 3]);
    const sig = node.sign(pair.secretKey, msg);
    expect(node.verify(pair.publicKey, msg, sig)).toBe(true);
    expect(node.verify(pair.publicKey.slice(), msg, sig)).toBe(true);
    const other = node.keyPairFromSeed(new Uint8Array(32).fill(10));
    expect(node.verify(other.publicKey, msg, sig)).toBe(false);
  });

  it('when SHA-256 is computed by node:crypto and by the portable code, then the digests are equal', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1000 }), (data) => {
        expect(nodeSha256(data)).toEqual(sha256(data));
        expect(toHex(sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
      }),
    );
  });

  it('when the published verification cases run with node:crypto, then the verdicts equal tweetnacl ones', () => {
    const lists = vectorLists();
    const statusLists = new Map([[VECTORS.keys.issuer.kid, lists.fresh]]);
    for (const c of VECTORS.verify.cases) {
      const base = {
        trustList: lists.trust,
        statusLists,
        clock: { now: () => c.now },
        maxStatusAgeMs: 3_600_000,
      };
      const a = verifyCode(c.text, { ...base, ed25519: node, sha256: nodeSha256 });
      const b = verifyCode(c.text, { ...base, ed25519: nacl });
      expect(a).toEqual(b);
    }
  });
});
