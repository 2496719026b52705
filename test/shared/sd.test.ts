import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  SD_EMPTY_LEAF,
  SD_NODE_LENGTH,
  cborEncode,
  concatBytes,
  sdBuild,
  sdCheck,
  sdCover,
  sdDisclose,
  sdImpliedRoot,
  sdLayoutOf,
  sdProofNodes,
  sdRoot,
  sha256,
  toHex,
  utf8Encode,
  type SdDisclosure,
  type SdTree,
  type SdValue,
} from '@eid/shared';

const h16 = (...parts: Uint8Array[]) => sha256(concatBytes(...parts)).slice(0, SD_NODE_LENGTH);
const saltChild = (node: Uint8Array, bit: number) => h16(utf8Encode('EID sd salt'), node, Uint8Array.of(bit));

/** Every salt-tree node on the path from the seed to leaf `i`, the seed first and the leaf's salt last. */
function saltPath(tree: SdTree, i: number): Uint8Array[] {
  const path = [tree.seed];
  for (let b = tree.depth - 1; b >= 0; b--) path.push(saltChild(path[path.length - 1]!, (i >> b) & 1));
  return path;
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return toHex(haystack).match(/../g)!.join(',').includes(toHex(needle).match(/../g)!.join(','));
}

const value: fc.Arbitrary<SdValue> = fc.oneof(
  fc.boolean(),
  fc.integer({ min: 0, max: 99_999_999 }),
  fc.string({ maxLength: 12 }),
  fc.uint8Array({ minLength: 16, maxLength: 16 }),
);

/** A tree of random depth whose slots are random values or empty, and a subset of its non-empty slots. */
const treeAndSubset = fc
  .integer({ min: 1, max: 6 })
  .chain((depth) =>
    fc.tuple(
      fc.constant(depth),
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.array(fc.option(value, { freq: 3, nil: null }), { minLength: 1 << depth, maxLength: 1 << depth }),
      fc.array(fc.boolean(), { minLength: 1 << depth, maxLength: 1 << depth }),
    ),
  )
  .map(([depth, seed, values, pick]) => {
    const tree: SdTree = { depth, seed, values };
    const positions = values.flatMap((v, i) => (v !== null && pick[i] ? [i] : []));
    return { tree, positions };
  });

const flip = (bytes: Uint8Array, at: number, mask: number) => {
  const out = bytes.slice();
  out[at % out.length] = out[at % out.length]! ^ mask;
  return out;
};

describe('salted hash tree (sd.ts)', () => {
  it('when any subset of the slots is disclosed, then the disclosure implies the root, with exactly the canonical lengths', () => {
    fc.assert(
      fc.property(treeAndSubset, ({ tree, positions }) => {
        const built = sdBuild(tree);
        const layout = sdLayoutOf(tree);
        const d = built.disclose(positions);
        expect([...d.values.keys()]).toEqual(positions);
        expect(d.salts.length).toBe(sdCover(layout, positions).length * SD_NODE_LENGTH);
        expect(d.proof.length).toBe(sdProofNodes(layout, positions).length * SD_NODE_LENGTH);
        expect(sdCheck(layout, d, built.root)).toBe(true);
        if (positions.length > 0) expect(sdImpliedRoot(layout, d)).toEqual(built.root);
        else expect(d.salts.length + d.proof.length).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('when a byte of the salts or the proof is flipped, or one is cut or extended, then the disclosure no longer fits the root', () => {
    fc.assert(
      fc.property(
        treeAndSubset.filter(({ positions }) => positions.length > 0),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        ({ tree, positions }, at, mask) => {
          const built = sdBuild(tree);
          const layout = sdLayoutOf(tree);
          const d = built.disclose(positions);
          const variants: SdDisclosure[] = [
            { ...d, salts: concatBytes(d.salts, new Uint8Array(16)) },
            { ...d, proof: concatBytes(d.proof, new Uint8Array(16)) },
            { ...d, salts: d.salts.subarray(16) },
          ];
          variants.push({ ...d, salts: flip(d.salts, at, mask) });
          if (d.proof.length > 0) {
            variants.push({ ...d, proof: flip(d.proof, at, mask) });
            variants.push({ ...d, proof: d.proof.subarray(0, d.proof.length - 1) });
          }
          for (const v of variants) expect(sdCheck(layout, v, built.root)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('when a disclosed value is changed, moved to another slot, added or removed, then the disclosure no longer fits the root', () => {
    fc.assert(
      fc.property(
        treeAndSubset.filter(({ positions }) => positions.length > 0),
        fc.nat(),
        value.filter((v) => v !== null),
        ({ tree, positions }, pick, other) => {
          const built = sdBuild(tree);
          const layout = sdLayoutOf(tree);
          const d = built.disclose(positions);
          const p = positions[pick % positions.length]!;
          const changed = new Map(d.values);
          changed.set(p, other);
          if (toHex(cborEncode(other!)) !== toHex(cborEncode(d.values.get(p)!))) {
            expect(sdCheck(layout, { ...d, values: changed }, built.root)).toBe(false);
          }
          const removed = new Map(d.values);
          removed.delete(p);
          expect(sdCheck(layout, { ...d, values: removed }, built.root)).toBe(false);
          const outside = tree.values.findIndex((v, i) => v !== null && !d.values.has(i));
          if (outside >= 0) {
            const added = new Map(d.values);
            added.set(outside, tree.values[outside]!);
            expect(sdCheck(layout, { ...d, values: added }, built.root)).toBe(false);
          }
          const empty = tree.values.indexOf(null);
          if (empty >= 0) {
            const reserved = new Map(d.values);
            reserved.set(empty, other);
            expect(sdImpliedRoot(layout, { ...d, values: reserved })).toBeUndefined();
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('when a disclosure is made, then its bytes hold no salt of an undisclosed claim nor any salt-tree ancestor of one', () => {
    fc.assert(
      fc.property(treeAndSubset, ({ tree, positions }) => {
        const d = sdDisclose(tree, positions);
        const shown = concatBytes(cborEncode(d.values as Map<number, never>), d.salts, d.proof);
        for (let i = 0; i < tree.values.length; i++) {
          if (tree.values[i] === null || positions.includes(i)) continue;
          for (const node of saltPath(tree, i)) expect(contains(shown, node)).toBe(false);
        }
        // And each disclosed salt node covers only disclosed or empty slots.
        for (const node of sdCover(sdLayoutOf(tree), positions)) {
          for (let i = node.index << node.level; i < (node.index + 1) << node.level; i++) {
            expect(tree.values[i] === null || positions.includes(i)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('when the tree is built by hand from the documented rules, then sdRoot agrees (RFC 6962 domain bytes, seed-derived salts)', () => {
    const tree: SdTree = { depth: 2, seed: new Uint8Array(16).fill(7), values: ['a', true, null, 19930129] };
    const leaf = (i: number) => {
      const v = tree.values[i]!;
      if (v === null) return SD_EMPTY_LEAF;
      return h16(Uint8Array.of(0), saltPath(tree, i)[2]!, Uint8Array.of(i), cborEncode(v));
    };
    const node = (l: Uint8Array, r: Uint8Array) => h16(Uint8Array.of(1), l, r);
    expect(sdRoot(tree)).toEqual(node(node(leaf(0), leaf(1)), node(leaf(2), leaf(3))));
    // Slot 3 alone: its sibling 2 is empty, so the cover is their parent's salt node; leaf 2 is free (public),
    // the left half comes from the proof.
    const d = sdDisclose(tree, [3]);
    expect(d.salts).toEqual(saltPath(tree, 3)[1]);
    expect(d.proof).toEqual(node(leaf(0), leaf(1)));
    // Slots 0 and 1: one salt (the left child of the seed), the right half from the proof.
    const left = sdDisclose(tree, [1, 0]);
    expect(left.salts).toEqual(saltPath(tree, 0)[1]);
    expect(left.proof).toEqual(node(leaf(2), leaf(3)));
  });

  it('when a platform SHA-256 is injected, then roots and disclosures are byte-identical to the portable ones', () => {
    const nodeSha = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());
    fc.assert(
      fc.property(treeAndSubset, ({ tree, positions }) => {
        expect(sdRoot(tree, nodeSha)).toEqual(sdRoot(tree));
        const a = sdDisclose(tree, positions, nodeSha);
        const b = sdDisclose(tree, positions);
        expect([a.salts, a.proof]).toEqual([b.salts, b.proof]);
      }),
      { numRuns: 50 },
    );
  });

  it('when nothing is disclosed, then the disclosure is empty and fits any root, but not with salts or proof', () => {
    const tree: SdTree = { depth: 3, seed: new Uint8Array(16), values: [1, 2, 3, 4, 5, 6, 7, 8] };
    const layout = sdLayoutOf(tree);
    const d = sdDisclose(tree, []);
    expect(d.values.size + d.salts.length + d.proof.length).toBe(0);
    expect(sdImpliedRoot(layout, d)).toBeUndefined();
    expect(sdCheck(layout, d, new Uint8Array(16).fill(1))).toBe(true);
    expect(sdCheck(layout, { ...d, salts: new Uint8Array(16) }, sdRoot(tree))).toBe(false);
    expect(sdCheck(layout, { ...d, proof: new Uint8Array(16) }, sdRoot(tree))).toBe(false);
  });

  it('when every slot is disclosed, then the salts are the seed alone and there is no proof', () => {
    const tree: SdTree = { depth: 3, seed: new Uint8Array(16).fill(3), values: [1, 2, 3, 4, 5, 6, 7, 8] };
    const d = sdDisclose(tree, [0, 1, 2, 3, 4, 5, 6, 7]);
    expect(d.salts).toEqual(tree.seed);
    expect(d.proof.length).toBe(0);
  });

  it('when a tree or a disclosure request is out of shape, then it throws', () => {
    const ok: SdTree = { depth: 1, seed: new Uint8Array(16), values: [1, null] };
    expect(() => sdRoot({ ...ok, depth: 0, values: [1] })).toThrow(TypeError);
    expect(() => sdRoot({ ...ok, depth: 7 })).toThrow(TypeError);
    expect(() => sdRoot({ ...ok, seed: new Uint8Array(15) })).toThrow(TypeError);
    expect(() => sdRoot({ ...ok, values: [1] })).toThrow(TypeError);
    expect(() => sdDisclose(ok, [1])).toThrow(TypeError);
    expect(() => sdDisclose(ok, [2])).toThrow(TypeError);
    expect(() => sdDisclose(ok, [0, 0])).toThrow(TypeError);
    expect(
      sdImpliedRoot(sdLayoutOf(ok), {
        values: new Map([[5, 1]]),
        salts: new Uint8Array(16),
        proof: new Uint8Array(0),
      }),
    ).toBeUndefined();
  });
});
