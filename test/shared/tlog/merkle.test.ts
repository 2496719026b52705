import { createHash } from 'node:crypto';
import {
  base64DecodeStrict,
  fromHex,
  merkleConsistencyProof,
  merkleConsistencyProofLength,
  merkleInclusionProof,
  merkleInclusionProofLength,
  merkleLeafHash,
  merkleNodeHash,
  merkleRoot,
  TLOG_EMPTY_ROOT_HEX,
  toHex,
  utf8Encode,
  verifyConsistencyProof,
  verifyInclusionProof,
  type ConsistencyProofInput,
  type InclusionProofInput,
} from '@eid/shared';
import { hashes, nodeSha256, reasonOf, TLOG_VECTORS } from './vectors';

const { merkle } = TLOG_VECTORS;
const b64 = (s: string) => {
  const bytes = base64DecodeStrict(s);
  if (!bytes) throw new Error(`not base64: ${s}`);
  return bytes;
};

// Known answers of transparency-dev/merkle (commit 417fb0c314750d94e53942e9f92e79b6d35915db), copied as
// literals: the reference tree of testonly/constants.go (LeafInputs, RootHashes) and the proofs of
// testonly/reference_test.go (TestRefInclusionProof, TestRefConsistencyProof). They are the RFC 6962 test
// tree of the certificate-transparency project.
const REFERENCE_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const REFERENCE_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const H = {
  b: '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
  a: '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  ab: 'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  cd: '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
  e: 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  ef: '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
  gh: 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
  abcd: 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  efgh: '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
};
const REFERENCE_INCLUSION = [
  { index: 0, size: 1, proof: [] },
  { index: 0, size: 2, proof: [H.b] },
  { index: 1, size: 2, proof: [H.a] },
  { index: 2, size: 3, proof: [H.ab] },
  { index: 1, size: 5, proof: [H.a, H.cd, H.e] },
  { index: 0, size: 8, proof: [H.b, H.cd, H.efgh] },
  { index: 5, size: 8, proof: [H.e, H.gh, H.abcd] },
];
const REFERENCE_CONSISTENCY = [
  { oldSize: 1, newSize: 1, proof: [] },
  { oldSize: 1, newSize: 8, proof: [H.b, H.cd, H.efgh] },
  { oldSize: 2, newSize: 5, proof: [H.cd, H.e] },
  { oldSize: 6, newSize: 8, proof: [H.ef, H.gh, H.abcd] },
];

// The happy-path probes of transparency-dev/merkle testdata/{inclusion,consistency}/{1..4}/happy-path.json
// (same commit), in their base64; the tests below apply the mutations those directories name to each.
const INCLUSION_PROBES = [
  {
    index: 5,
    treeSize: 8,
    root: 'XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=',
    leafHash: 'QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=',
    proof: [
      'vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=',
      'yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=',
      '037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=',
    ],
  },
  {
    index: 2,
    treeSize: 3,
    root: 'rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=',
    leafHash: 'ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=',
    proof: ['+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU='],
  },
  {
    index: 1,
    treeSize: 5,
    root: 'Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=',
    leafHash: 'lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=',
    proof: [
      'bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=',
      'Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=',
      'vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=',
    ],
  },
];
const CONSISTENCY_PROBES = [
  {
    size1: 1,
    size2: 8,
    root1: 'bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=',
    root2: 'XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=',
    proof: [
      'lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=',
      'Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=',
      'a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=',
    ],
  },
  {
    size1: 6,
    size2: 8,
    root1: 'duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=',
    root2: 'XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=',
    proof: [
      'DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=',
      'yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=',
      '037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=',
    ],
  },
  {
    size1: 2,
    size2: 5,
    root1: '+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=',
    root2: 'Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=',
    proof: ['Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=', 'vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms='],
  },
  {
    size1: 6,
    size2: 7,
    root1: 'duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=',
    root2: '3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=',
    proof: [
      'DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=',
      'sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=',
      '037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=',
    ],
  },
];

const referenceLeaves = REFERENCE_LEAVES.map((hex) => merkleLeafHash(fromHex(hex)));
const flipBit = (h: Uint8Array, bit = 0) => {
  const copy = Uint8Array.from(h);
  copy[bit >> 3] = copy[bit >> 3]! ^ (1 << (bit & 7));
  return copy;
};

// An independent reference: RFC 6962 section 2.1 read literally, over entries, with node:crypto's SHA-256.
const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const k = (n: number) => 2 ** Math.floor(Math.log2(n - 1));
const mth = (d: Uint8Array[]): Uint8Array =>
  d.length === 0
    ? sha()
    : d.length === 1
      ? sha(Uint8Array.of(0), d[0]!)
      : sha(Uint8Array.of(1), mth(d.slice(0, k(d.length))), mth(d.slice(k(d.length))));
const refPath = (m: number, d: Uint8Array[]): Uint8Array[] => {
  if (d.length === 1) return [];
  const s = k(d.length);
  return m < s
    ? [...refPath(m, d.slice(0, s)), mth(d.slice(s))]
    : [...refPath(m - s, d.slice(s)), mth(d.slice(0, s))];
};
const refSubproof = (m: number, d: Uint8Array[], b: boolean): Uint8Array[] => {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s
    ? [...refSubproof(m, d.slice(0, s), b), mth(d.slice(s))]
    : [...refSubproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
};

describe('RFC 6962 hashing', () => {
  it('when the transparency-dev rfc6962_test.go inputs are hashed, then the published digests come out', () => {
    // transparency-dev/merkle rfc6962/rfc6962_test.go TestRFC6962Hasher, copied.
    expect(TLOG_EMPTY_ROOT_HEX).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(merkleRoot([]))).toBe(TLOG_EMPTY_ROOT_HEX);
    expect(toHex(merkleLeafHash(new Uint8Array(0)))).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
    expect(toHex(merkleLeafHash(utf8Encode('L123456')))).toBe(
      '395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56',
    );
    expect(toHex(merkleNodeHash(utf8Encode('N123'), utf8Encode('N456')))).toBe(
      'aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb',
    );
  });

  it('when "hello world" is a record of golang.org/x/mod sumdb/tlog, then its leaf hash is the golden one', () => {
    // golang/mod sumdb/tlog/note_test.go TestFormatTree (commit fe2ec04f7c3c3aa6fad97631aafcff6e49e2d1db).
    expect(merkleLeafHash(utf8Encode('hello world'))).toEqual(
      b64('TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0='),
    );
  });

  it('when the reference tree is hashed at every size, then each root is the one transparency-dev publishes', () => {
    REFERENCE_ROOTS.forEach((root, size) => expect(toHex(merkleRoot(referenceLeaves, size))).toBe(root));
    expect(merkle.roots.map((r) => r.root)).toEqual(REFERENCE_ROOTS);
  });

  it('when a leaf and a node hash would have the same input, then the prefixes keep them apart', () => {
    const [l, r] = [merkleLeafHash(utf8Encode('Hello')), merkleLeafHash(utf8Encode('World'))];
    const node = merkleNodeHash(l, r);
    expect(node).not.toEqual(merkleLeafHash(new Uint8Array([...l, ...r])));
    expect(node).not.toEqual(merkleNodeHash(r, l));
  });
});

describe('proof generation', () => {
  it.each(REFERENCE_INCLUSION)(
    'when leaf $index of $size is proven, then the proof is the reference one',
    ({ index, size, proof }) => {
      expect(merkleInclusionProof(referenceLeaves, index, size).map(toHex)).toEqual(proof);
    },
  );

  it.each(REFERENCE_CONSISTENCY)(
    'when $oldSize is proven to extend to $newSize, then the proof is the reference one',
    ({ oldSize, newSize, proof }) => {
      expect(merkleConsistencyProof(referenceLeaves, oldSize, newSize).map(toHex)).toEqual(proof);
    },
  );

  it('when every proof up to 40 leaves is made, then it equals the literal RFC definition and has the predicted length', () => {
    const entries = Array.from({ length: 40 }, (_, i) => utf8Encode(`entry ${i}`));
    const leaves = entries.map((e) => merkleLeafHash(e));
    const hex = (hs: Uint8Array[]) => hs.map(toHex).join(' ');
    const wrong: string[] = [];
    for (let n = 1; n <= 40; n++) {
      const d = entries.slice(0, n);
      const root = toHex(mth(d));
      if (toHex(merkleRoot(leaves, n)) !== root || toHex(merkleRoot(leaves, n, nodeSha256)) !== root)
        wrong.push(`root ${n}`);
      for (let i = 0; i < n; i++) {
        const p = merkleInclusionProof(leaves, i, n);
        if (hex(p) !== hex(refPath(i, d)) || p.length !== merkleInclusionProofLength(i, n))
          wrong.push(`path ${i} ${n}`);
      }
      for (let m = 1; m <= n; m++) {
        const p = merkleConsistencyProof(leaves, m, n);
        if (hex(p) !== hex(refSubproof(m, d, true)) || p.length !== merkleConsistencyProofLength(m, n))
          wrong.push(`proof ${m} ${n}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('when a proof is asked of the empty tree or outside the tree, then none is made', () => {
    expect(reasonOf(() => merkleInclusionProof([], 0, 0))).toBe('size_out_of_range');
    expect(reasonOf(() => merkleInclusionProof(referenceLeaves, 3, 3))).toBe('size_out_of_range');
    expect(reasonOf(() => merkleInclusionProof(referenceLeaves, 0, 9))).toBe('size_out_of_range');
    expect(reasonOf(() => merkleConsistencyProof(referenceLeaves, 0, 5))).toBe('empty_tree');
    expect(reasonOf(() => merkleConsistencyProof(referenceLeaves, 6, 5))).toBe('size_out_of_range');
    expect(reasonOf(() => merkleRoot([new Uint8Array(31)]))).toBe('malformed_hash');
    expect(reasonOf(() => merkleRoot(referenceLeaves, 2.5))).toBe('size_out_of_range');
  });

  it('when sizes pass 2^32, then proof lengths follow the bit decomposition (no 32-bit wrap)', () => {
    // transparency-dev/merkle proof/verify.go decompInclProof and rootFromSubtreeConsistencyProof, in BigInt.
    const bitLen = (x: bigint) => x.toString(2).replace(/^0+/, '').length;
    const ones = (x: bigint) => [...x.toString(2)].filter((c) => c === '1').length;
    const inclusion = (i: bigint, n: bigint) => {
      const inner = bitLen(i ^ (n - 1n));
      return inner + ones(i >> BigInt(inner));
    };
    const consistency = (m: bigint, n: bigint) => {
      const shift = m.toString(2).length - 1 - m.toString(2).lastIndexOf('1');
      const fork = bitLen((m - 1n) ^ (n - 1n));
      const perfect = m === 1n << BigInt(shift);
      return (perfect ? 0 : 1) + fork - shift + ones((m - 1n) >> BigInt(fork));
    };
    const big = [2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 40 + 12345, 2 ** 52 + 3, Number.MAX_SAFE_INTEGER];
    const wrong: string[] = [];
    for (const n of big)
      for (const i of [0, 1, 2 ** 31, 2 ** 32 - 1, 2 ** 33 + 7, n - 2, n - 1].filter((x) => x < n)) {
        if (merkleInclusionProofLength(i, n) !== inclusion(BigInt(i), BigInt(n)))
          wrong.push(`inclusion ${i} ${n}`);
        if (i > 0 && merkleConsistencyProofLength(i, n) !== consistency(BigInt(i), BigInt(n)))
          wrong.push(`consistency ${i} ${n}`);
      }
    for (let n = 1; n <= 130; n++)
      for (let m = 1; m < n; m++)
        if (merkleConsistencyProofLength(m, n) !== consistency(BigInt(m), BigInt(n)))
          wrong.push(`consistency ${m} ${n}`);
    expect(wrong).toEqual([]);
    // Leaf 0 of 2^40 + 1 climbs 41 levels; the last leaf of 2^40 + 12345 needs one hash per 1-bit of its index.
    expect(merkleInclusionProofLength(0, 2 ** 40 + 1)).toBe(41);
    expect(merkleInclusionProofLength(2 ** 40 + 12344, 2 ** 40 + 12345)).toBe(6);
  });
});

describe('inclusion proof verification', () => {
  const probe = (p: (typeof INCLUSION_PROBES)[number]): InclusionProofInput => ({
    index: p.index,
    treeSize: p.treeSize,
    leafHash: b64(p.leafHash),
    rootHash: b64(p.root),
    proof: p.proof.map(b64),
  });

  it.each(INCLUSION_PROBES)(
    'when the transparency-dev probe ($index of $treeSize) is verified, then it holds',
    (p) => {
      expect(reasonOf(() => verifyInclusionProof(probe(p)))).toBeUndefined();
      expect(reasonOf(() => verifyInclusionProof(probe(p), nodeSha256))).toBeUndefined();
    },
  );

  it.each(INCLUSION_PROBES)(
    'when the probe ($index of $treeSize) is mutated as testdata/inclusion names, then each is refused',
    (p) => {
      const good = probe(p);
      const { proof } = good;
      const mutants: [string, Partial<InclusionProofInput>, string][] = [
        ['wrong leaf', { leafHash: b64('V3JvbmdMZWFm') }, 'malformed_hash'],
        ['wrong leaf (right length)', { leafHash: flipBit(good.leafHash) }, 'root_mismatch'],
        ['random root', { rootHash: new Uint8Array(32).fill(7) }, 'root_mismatch'],
        ['empty root', { rootHash: fromHex(TLOG_EMPTY_ROOT_HEX) }, 'root_mismatch'],
        [
          'leafIdx plus 1',
          { index: p.index + 1 },
          p.index + 1 >= p.treeSize ? 'size_out_of_range' : 'root_mismatch',
        ],
        ['leafIdx minus 1 wrapped', { index: -1 }, 'size_out_of_range'],
        [
          'treeSize div 2',
          { treeSize: Math.floor(p.treeSize / 2) },
          p.index >= p.treeSize / 2 ? 'size_out_of_range' : 'wrong_proof_length',
        ],
        [
          'treeSize mul 2',
          { treeSize: p.treeSize * 2 },
          merkleInclusionProofLength(p.index, p.treeSize * 2) === proof.length
            ? 'root_mismatch'
            : 'wrong_proof_length',
        ],
        ['preceding garbage', { proof: [new Uint8Array(0), ...proof] }, 'wrong_proof_length'],
        ['trailing garbage', { proof: [...proof, new Uint8Array(0)] }, 'wrong_proof_length'],
        ['trailing root', { proof: [...proof, good.rootHash] }, 'wrong_proof_length'],
        [
          'inserted component',
          { proof: [proof[0]!, b64('q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY='), ...proof.slice(1)] },
          'wrong_proof_length',
        ],
        ['removed component', { proof: proof.slice(0, -1) }, 'wrong_proof_length'],
        ['short hash in the proof', { proof: [proof[0]!.subarray(1), ...proof.slice(1)] }, 'malformed_hash'],
        ...proof.map((h, i): [string, Partial<InclusionProofInput>, string] => [
          `modified proof[${i}] bit 3`,
          { proof: proof.map((x, j) => (j === i ? flipBit(h, 3) : x)) },
          'root_mismatch',
        ]),
      ];
      for (const [, change, reason] of mutants)
        expect(reasonOf(() => verifyInclusionProof({ ...good, ...change }))).toBe(reason);
    },
  );

  it('when a leaf of the empty tree or of size 0 is claimed, then it is refused before any hashing', () => {
    const leafHash = referenceLeaves[0]!;
    const rootHash = fromHex(TLOG_EMPTY_ROOT_HEX);
    expect(
      reasonOf(() => verifyInclusionProof({ leafHash, index: 0, treeSize: 0, proof: [], rootHash })),
    ).toBe('size_out_of_range');
    // testdata/inclusion/0/empty-root.json: a one-leaf tree whose "root" is the empty-tree root.
    expect(
      reasonOf(() => verifyInclusionProof({ leafHash, index: 0, treeSize: 1, proof: [], rootHash })),
    ).toBe('root_mismatch');
    expect(
      reasonOf(() =>
        verifyInclusionProof({ leafHash, index: 0, treeSize: 1, proof: [], rootHash: leafHash }),
      ),
    ).toBeUndefined();
  });

  it('when every proof of 1..40 leaves is verified and then altered at each hash, then only the true ones hold', () => {
    const leaves = Array.from({ length: 40 }, (_, i) => merkleLeafHash(Uint8Array.of(i)));
    for (let n = 1; n <= 40; n++) {
      const rootHash = merkleRoot(leaves, n);
      for (let index = 0; index < n; index++) {
        const proof = merkleInclusionProof(leaves, index, n);
        const input = { leafHash: leaves[index]!, index, treeSize: n, proof, rootHash };
        expect(reasonOf(() => verifyInclusionProof(input))).toBeUndefined();
        if (n > 1)
          expect(reasonOf(() => verifyInclusionProof({ ...input, leafHash: leaves[(index + 1) % n]! }))).toBe(
            'root_mismatch',
          );
        proof.forEach((_, i) => {
          const altered = proof.map((h, j) => (j === i ? flipBit(h, 255) : h));
          expect(reasonOf(() => verifyInclusionProof({ ...input, proof: altered }))).toBe('root_mismatch');
        });
      }
    }
  });
});

describe('consistency proof verification', () => {
  const probe = (p: (typeof CONSISTENCY_PROBES)[number]): ConsistencyProofInput => ({
    oldSize: p.size1,
    newSize: p.size2,
    oldRoot: b64(p.root1),
    newRoot: b64(p.root2),
    proof: p.proof.map(b64),
  });

  it.each(CONSISTENCY_PROBES)(
    'when the transparency-dev probe $size1 → $size2 is verified, then it holds',
    (p) => {
      expect(reasonOf(() => verifyConsistencyProof(probe(p)))).toBeUndefined();
      expect(reasonOf(() => verifyConsistencyProof(probe(p), nodeSha256))).toBeUndefined();
    },
  );

  it.each(CONSISTENCY_PROBES)(
    'when the probe $size1 → $size2 is mutated as testdata/consistency names, then each is refused',
    (p) => {
      const good = probe(p);
      const { proof, oldRoot, newRoot } = good;
      const mutants: [string, Partial<ConsistencyProofInput>][] = [
        ['empty proof', { proof: [] }],
        ['truncated proof', { proof: proof.slice(0, -1) }],
        ['swapped roots', { oldRoot: newRoot, newRoot: oldRoot }],
        ['wrong root1', { oldRoot: flipBit(oldRoot) }],
        ['wrong root2', { newRoot: flipBit(newRoot) }],
        ['preceding garbage', { proof: [new Uint8Array(0), ...proof] }],
        ['preceding proof[0]', { proof: [proof[0]!, ...proof] }],
        ['preceding root1', { proof: [oldRoot, ...proof] }],
        ['preceding root2', { proof: [newRoot, ...proof] }],
        ['trailing garbage', { proof: [...proof, new Uint8Array(0)] }],
        ['trailing root1', { proof: [...proof, oldRoot] }],
        ['trailing root2', { proof: [...proof, newRoot] }],
        ['size1 XOR 2', { oldSize: p.size1 ^ 2 }],
        ['size1 plus 1', { oldSize: p.size1 + 1 }],
        ['size1 minus 1', { oldSize: p.size1 - 1 }],
        ['size2 div 2', { newSize: Math.floor(p.size2 / 2) }],
        ['size2 mul 2', { newSize: p.size2 * 2 }],
        ...proof.map((h, i): [string, Partial<ConsistencyProofInput>] => [
          `modified proof@${i} bit 4`,
          { proof: proof.map((x, j) => (j === i ? flipBit(h, 4) : x)) },
        ]),
      ];
      for (const [name, change] of mutants) {
        const reason = reasonOf(() => verifyConsistencyProof({ ...good, ...change }));
        expect([name, reason]).toEqual([
          name,
          expect.stringMatching(
            /^(root_mismatch|wrong_proof_length|size_out_of_range|empty_tree|malformed_hash)$/,
          ),
        ]);
      }
    },
  );

  it('when sizes are zero or equal, then only the same root with no proof holds (testdata/consistency/additional)', () => {
    const empty = fromHex(TLOG_EMPTY_ROOT_HEX);
    const root1 = fromHex(REFERENCE_ROOTS[1]!);
    const check = (
      oldSize: number,
      newSize: number,
      oldRoot: Uint8Array,
      newRoot: Uint8Array,
      proof: Uint8Array[] = [],
    ) => reasonOf(() => verifyConsistencyProof({ oldSize, newSize, oldRoot, newRoot, proof }));
    expect(check(0, 1, empty, empty, [empty])).toBe('empty_tree');
    expect(check(0, 1, empty, root1)).toBe('empty_tree');
    expect(check(0, 0, empty, empty)).toBe('empty_tree');
    expect(check(0, 0, empty, empty, [empty])).toBe('empty_tree');
    expect(check(1, 0, root1, empty)).toBe('size_out_of_range');
    expect(check(2, 1, root1, root1)).toBe('size_out_of_range');
    expect(check(1, 1, root1, root1)).toBeUndefined();
    expect(check(1, 1, root1, root1, [root1])).toBe('wrong_proof_length');
    expect(check(1, 1, empty, root1)).toBe('root_mismatch');
    expect(check(1, 2, root1, fromHex(REFERENCE_ROOTS[2]!))).toBe('wrong_proof_length');
    // sizes-are-equal-one-and-proof-is-empty.json accepts 12-byte "roots"; a root here is always 32 bytes.
    expect(check(1, 1, b64('ZG9uJ3QgY2FyZSAy'), b64('ZG9uJ3QgY2FyZSAy'))).toBe('malformed_hash');
  });

  it('when every consistency proof of 1..40 leaves is checked against a forked tree, then the fork never passes', () => {
    const leaves = Array.from({ length: 40 }, (_, i) => merkleLeafHash(Uint8Array.of(i)));
    for (let n = 1; n <= 40; n++) {
      const newRoot = merkleRoot(leaves, n);
      for (let m = 1; m <= n; m++) {
        const proof = merkleConsistencyProof(leaves, m, n);
        const oldRoot = merkleRoot(leaves, m);
        expect(
          reasonOf(() => verifyConsistencyProof({ oldSize: m, oldRoot, newSize: n, newRoot, proof })),
        ).toBeUndefined();
        // The same sizes, but the old tree had another leaf m-1: a log rewriting history.
        const forked = [...leaves.slice(0, m - 1), merkleLeafHash(utf8Encode('rewritten'))];
        const forkRoot = merkleRoot(forked, m);
        expect(
          reasonOf(() =>
            verifyConsistencyProof({ oldSize: m, oldRoot: forkRoot, newSize: n, newRoot, proof }),
          ),
        ).toBe('root_mismatch');
        proof.forEach((_, i) => {
          const altered = proof.map((h, j) => (j === i ? flipBit(h, 100) : h));
          expect(
            reasonOf(() =>
              verifyConsistencyProof({ oldSize: m, oldRoot, newSize: n, newRoot, proof: altered }),
            ),
          ).toBe('root_mismatch');
        });
      }
    }
  });
});

describe('tlog.json merkle vectors', () => {
  it('when the published proofs are checked, then each verifies against the published roots', () => {
    const leaves = hashes(merkle.leafHashes);
    const root = (n: number) => fromHex(merkle.roots[n]!.root);
    for (const { index, size, proof } of merkle.inclusion)
      verifyInclusionProof({
        leafHash: leaves[index]!,
        index,
        treeSize: size,
        proof: hashes(proof),
        rootHash: root(size),
      });
    for (const { oldSize, newSize, proof } of merkle.consistency)
      verifyConsistencyProof({
        oldSize,
        oldRoot: root(oldSize),
        newSize,
        newRoot: root(newSize),
        proof: hashes(proof),
      });
    expect(merkle.inclusion).toHaveLength(36);
    expect(merkle.consistency).toHaveLength(36);
  });
});
