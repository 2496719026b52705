import fc from 'fast-check';
import { createHash } from 'node:crypto';
import rawTweetnacl from 'tweetnacl';
import {
  ED25519_SMALL_ORDER_ENCODINGS,
  fromHex,
  isCanonicalEd25519Scalar,
  isStrictEd25519PublicKey,
  isStrictEd25519Signature,
  sha256,
  toHex,
  tweetnaclEd25519,
  utf8Encode,
  verifyCode,
} from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '@eid/bff/infra/ed25519';
import { FORGED_SIGNATURE } from '../../shared/forge';
import { VECTORS, vectorLists, vectorStatusLists } from '../../shared/vectors';

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
    for (const c of VECTORS.verify.cases) {
      const base = {
        trustList: lists.trust,
        statusLists: vectorStatusLists(c.statusList),
        clock: { now: () => c.now },
        maxStatusAgeMs: 3_600_000,
      };
      const a = verifyCode(c.text, { ...base, ed25519: node, sha256: nodeSha256 });
      const b = verifyCode(c.text, { ...base, ed25519: nacl });
      expect(a).toEqual(b);
    }
  });
});

// Edwards25519 in BigInt, only to check the published small-order list against the curve itself.
const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const mod = (a: bigint) => ((a % P) + P) % P;
const pow = (b: bigint, e: bigint): bigint => {
  let r = 1n;
  for (b = mod(b); e > 0n; e >>= 1n, b = mod(b * b)) if (e & 1n) r = mod(r * b);
  return r;
};
const inv = (a: bigint) => pow(a, P - 2n);
const D = mod(-121665n * inv(121666n));
type Point = [bigint, bigint];
const littleEndian = (bytes: Uint8Array) => bytes.reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
function decodePoint(hex: string): Point | undefined {
  const n = littleEndian(fromHex(hex));
  const y = n & (2n ** 255n - 1n);
  if (y >= P) return undefined;
  const u = mod(y * y - 1n) * inv(mod(D * y * y + 1n));
  let x = pow(u, (P + 3n) / 8n);
  if (mod(x * x - u) !== 0n) x = mod(x * pow(2n, (P - 1n) / 4n));
  if (mod(x * x - u) !== 0n) return undefined;
  if ((x & 1n) !== n >> 255n) x = mod(-x);
  return [x, y];
}
const add = ([x1, y1]: Point, [x2, y2]: Point): Point => {
  const t = mod(D * x1 * x2 * y1 * y2);
  return [mod((x1 * y2 + y1 * x2) * inv(1n + t)), mod((y1 * y2 + x1 * x2) * inv(mod(1n - t)))];
};
const orderUpTo8 = (p: Point): number | undefined => {
  let q = p;
  for (let n = 1; n <= 8; n++, q = add(q, p)) if (q[0] === 0n && q[1] === 1n) return n;
  return undefined;
};
const hexOfScalar = (s: bigint) =>
  toHex(Uint8Array.from({ length: 32 }, (_, i) => Number((s >> BigInt(8 * i)) & 0xffn)));

describe('strict Ed25519 inputs, refused alike by both paths (ed25519-strict.json)', () => {
  const strict = VECTORS.ed25519Strict;
  const paths = [
    ['tweetnacl', nacl],
    ['node:crypto', node],
  ] as const;
  const message = (i: number) => utf8Encode(`any message ${i}`);

  it('when the published small-order encodings are decoded on the curve, then they are eight distinct points of order dividing 8, and the base point is not one', () => {
    const orders = ED25519_SMALL_ORDER_ENCODINGS.map((hex) => orderUpTo8(decodePoint(hex)!));
    expect(orders).toEqual([1, 2, 4, 4, 8, 8, 8, 8]);
    expect(new Set(ED25519_SMALL_ORDER_ENCODINGS).size).toBe(8);
    const base = decodePoint(VECTORS.keys.device.publicKey)!;
    expect(orderUpTo8(base)).toBeUndefined();
    // The vector lists the same eight, with the same orders, first.
    expect(strict.publicKeys.slice(0, 8).map((k) => k.publicKey)).toEqual([...ED25519_SMALL_ORDER_ENCODINGS]);
    expect(strict.publicKeys.slice(0, 8).map((k) => k.why)).toEqual(
      orders.map((o) => `small order (order ${o})`),
    );
  });

  it.each(strict.publicKeys.map((k) => [k.why, k] as const))(
    'when the public key is refused (%s), then a constant signature that plain tweetnacl accepts for it is refused on both paths',
    (_why, k) => {
      expect(k.refused).toBe(true);
      const key = fromHex(k.publicKey);
      expect(isStrictEd25519PublicKey(key)).toBe(false);
      // Without the check this key is a forgery: some message among the first 64 "verifies" with R = 1, S = 0.
      const forged = Array.from({ length: 64 }, (_, i) => message(i)).find((m) =>
        rawTweetnacl.sign.detached.verify(m, FORGED_SIGNATURE, key),
      );
      expect(forged).toBeDefined();
      for (const [, ed] of paths) {
        expect(ed.verify(key, forged!, FORGED_SIGNATURE)).toBe(false);
        expect(ed.verify(key.slice(), forged!, FORGED_SIGNATURE)).toBe(false);
      }
    },
  );

  it.each(strict.signatures.map((c) => [c.name, c] as const))(
    'when the signature case is "%s", then both paths give the published answer',
    (_name, c) => {
      const [key, msg, sig] = [fromHex(c.publicKey), fromHex(c.message), fromHex(c.signature)];
      expect(isStrictEd25519PublicKey(key) && isStrictEd25519Signature(sig)).toBe(!c.refused);
      for (const [, ed] of paths) expect(ed.verify(key, msg, sig)).toBe(!c.refused);
    },
  );

  it('when S is L or more, then the signature is refused on both paths, even though plain tweetnacl accepts S + L', () => {
    const pair = node.keyPairFromSeed(fromHex(VECTORS.keys.device.seed));
    const msg = message(1);
    const sig = node.sign(pair.secretKey, msg);
    const s = littleEndian(sig.subarray(32));
    const withS = (value: bigint) => new Uint8Array([...sig.subarray(0, 32), ...fromHex(hexOfScalar(value))]);
    expect(rawTweetnacl.sign.detached.verify(msg, withS(s + L), pair.publicKey)).toBe(true);
    for (const [, ed] of paths) {
      expect(ed.verify(pair.publicKey, msg, sig)).toBe(true);
      expect(ed.verify(pair.publicKey, msg, withS(s + L))).toBe(false);
    }
    const scalar = (value: bigint) => isCanonicalEd25519Scalar(fromHex(hexOfScalar(value)));
    expect([0n, 1n, L - 1n].map(scalar)).toEqual([true, true, true]);
    expect([L, L + 1n, 2n ** 255n, 2n ** 256n - 1n].map(scalar)).toEqual([false, false, false, false]);
  });

  it('when any of the 38 encodings with y >= p is a key or R, then both paths refuse it', () => {
    const pair = node.keyPairFromSeed(fromHex(VECTORS.keys.device.seed));
    const msg = message(2);
    const sig = node.sign(pair.secretKey, msg);
    for (let y = P; y < 2n ** 255n; y++) {
      for (const sign of [0n, 1n]) {
        const enc = fromHex(hexOfScalar(y | (sign << 255n)));
        expect(isStrictEd25519PublicKey(enc)).toBe(false);
        expect(isStrictEd25519Signature(new Uint8Array([...enc, ...sig.subarray(32)]))).toBe(false);
        for (const [, ed] of paths) {
          expect(ed.verify(enc, msg, FORGED_SIGNATURE)).toBe(false);
          expect(ed.verify(pair.publicKey, msg, new Uint8Array([...enc, ...sig.subarray(32)]))).toBe(false);
        }
      }
    }
  });

  it('when R is any small-order point, then the signature is refused on both paths', () => {
    const pair = node.keyPairFromSeed(fromHex(VECTORS.keys.device.seed));
    const sig = node.sign(pair.secretKey, message(3));
    for (const hex of ED25519_SMALL_ORDER_ENCODINGS) {
      const weak = new Uint8Array([...fromHex(hex), ...sig.subarray(32)]);
      expect(isStrictEd25519Signature(weak)).toBe(false);
      for (const [, ed] of paths) expect(ed.verify(pair.publicKey, message(3), weak)).toBe(false);
    }
  });

  it('when honest keys sign, then their keys and signatures pass the strict checks and both paths agree on every tampered S', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 0, max: 14 }),
        (seed, k) => {
          const pair = node.keyPairFromSeed(seed);
          const sig = node.sign(pair.secretKey, seed);
          expect(isStrictEd25519PublicKey(pair.publicKey)).toBe(true);
          expect(isStrictEd25519Signature(sig)).toBe(true);
          const s = littleEndian(sig.subarray(32)) + BigInt(k) * L;
          const tampered = new Uint8Array([...sig.subarray(0, 32), ...fromHex(hexOfScalar(s))]);
          const answers = paths.map(([, ed]) => ed.verify(pair.publicKey, seed, tampered));
          expect(answers).toEqual([k === 0, k === 0]);
        },
      ),
      { numRuns: 40 },
    );
  });
});
