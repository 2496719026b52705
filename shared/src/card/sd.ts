import { CborShapeError, cborEncode, concatBytes, utf8Encode, type CborValue } from '../encoding';
import { sha256 as portableSha256, type Sha256 } from '../crypto';

/**
 * Selective disclosure by a salted hash tree (docs/formats/credential.md, "Credential v2"). The issuer signs
 * one 16-byte root; a code carries the claims it discloses, the salt-tree nodes that give exactly their salts,
 * and the hash-tree nodes that complete the path to the root. Generic in the document type: the type fixes
 * the depth (1..6, so up to 64 slots) and which claim lives in which slot.
 */

/** Every node (salt, leaf, internal) is SHA-256 truncated to 16 bytes: 128-bit second-preimage resistance. */
export const SD_NODE_LENGTH = 16;
export const SD_MAX_DEPTH = 6;

/** A slot's value; `null` marks a slot that holds no claim (its leaf is the constant EMPTY_LEAF). */
export type SdValue = CborValue | null;

/** What the holder keeps: the per-credential seed and one value per slot (`2^depth` of them). */
export interface SdTree {
  depth: number;
  /** 16 random bytes from the issuer; the root of the salt tree, never in a code. */
  seed: Uint8Array;
  values: readonly SdValue[];
}

/** What a verifier knows of a document type without any code: its depth and its empty slots. */
export interface SdLayout {
  depth: number;
  /** Slots that hold no claim: their leaf is public, so they are never disclosed and never need a proof. */
  empty: readonly number[];
}

/** A disclosure of the positions S: exactly what a code carries besides the credential. */
export interface SdDisclosure {
  /** Position -> value, exactly S (a CBOR map, ascending keys). */
  values: Map<number, SdValue>;
  /** Salt-tree nodes of the canonical cover of S, left to right, 16 bytes each. */
  salts: Uint8Array;
  /** Hash-tree nodes, level by level from the leaves, 16 bytes each. */
  proof: Uint8Array;
}

/** The leaf of an empty slot: no preimage is known, so no value can ever be shown to be in it. */
export const SD_EMPTY_LEAF = new Uint8Array(SD_NODE_LENGTH);

const SALT_LABEL = utf8Encode('EID sd salt');
const LEAF = Uint8Array.of(0x00);
const NODE = Uint8Array.of(0x01);

function h16(sha: Sha256, ...parts: Uint8Array[]): Uint8Array {
  return sha(concatBytes(...parts)).slice(0, SD_NODE_LENGTH);
}

function saltChild(sha: Sha256, node: Uint8Array, bit: number): Uint8Array {
  return h16(sha, SALT_LABEL, node, Uint8Array.of(bit));
}

function leafDigest(sha: Sha256, salt: Uint8Array, position: number, value: CborValue): Uint8Array {
  return h16(sha, LEAF, salt, Uint8Array.of(position), cborEncode(value));
}

function nodeDigest(sha: Sha256, left: Uint8Array, right: Uint8Array): Uint8Array {
  return h16(sha, NODE, left, right);
}

function checkDepth(depth: number): number {
  if (!Number.isInteger(depth) || depth < 1 || depth > SD_MAX_DEPTH) {
    throw new TypeError(`sd tree depth must be 1..${SD_MAX_DEPTH}`);
  }
  return 1 << depth;
}

function checkTree(tree: SdTree): void {
  const width = checkDepth(tree.depth);
  if (tree.seed.length !== SD_NODE_LENGTH) throw new TypeError(`sd seed must be ${SD_NODE_LENGTH} bytes`);
  if (tree.values.length !== width) throw new TypeError(`sd tree of depth ${tree.depth} has ${width} values`);
}

/** The layout of a tree: its depth and the slots whose value is null. */
export function sdLayoutOf(tree: SdTree): SdLayout {
  checkTree(tree);
  const empty: number[] = [];
  tree.values.forEach((v, i) => v === null && empty.push(i));
  return { depth: tree.depth, empty };
}

/** A node of either tree: `level` 0 = leaves, `depth` = the root; `index` counts from the left at that level. */
export interface SdNodeRef {
  level: number;
  index: number;
}

function flags(width: number, positions: Iterable<number>): boolean[] {
  const out = new Array<boolean>(width).fill(false);
  for (const p of positions) out[p] = true;
  return out;
}

function checkPositions(width: number, positions: readonly number[], empty: boolean[]): number[] {
  const sorted = [...new Set(positions)].sort((a, b) => a - b);
  if (sorted.length !== positions.length) throw new TypeError('sd positions repeat');
  for (const p of sorted) {
    if (!Number.isInteger(p) || p < 0 || p >= width) throw new TypeError(`sd position ${p} out of range`);
    if (empty[p]) throw new TypeError(`sd position ${p} is an empty slot`);
  }
  return sorted;
}

/**
 * The canonical cover of S: the maximal aligned subtrees that hold at least one position of S and only
 * positions of S or empty slots, left to right. Their salt-tree nodes give the salts of S and of no other claim.
 */
export function sdCover(layout: SdLayout, positions: readonly number[]): SdNodeRef[] {
  const width = checkDepth(layout.depth);
  const inS = flags(width, positions);
  const empty = flags(width, layout.empty);
  const out: SdNodeRef[] = [];
  const visit = (level: number, index: number): void => {
    const first = index << level;
    const last = first + (1 << level);
    let any = false;
    let all = true;
    for (let i = first; i < last; i++) {
      if (inS[i]) any = true;
      else if (!empty[i]) all = false;
    }
    if (!any) return;
    if (all) out.push({ level, index });
    else {
      visit(level - 1, 2 * index);
      visit(level - 1, 2 * index + 1);
    }
  };
  visit(layout.depth, 0);
  return out;
}

/** True when every leaf under the node is an empty slot: anyone computes it, so no proof carries it. */
function isFree(empty: boolean[], level: number, index: number): boolean {
  for (let i = index << level; i < (index + 1) << level; i++) if (!empty[i]) return false;
  return true;
}

/**
 * The hash-tree nodes a disclosure of S carries, in order: level by level from the leaves, for every known
 * node whose sibling is neither known nor free (all-empty), that sibling, ascending. Empty S needs none.
 */
export function sdProofNodes(layout: SdLayout, positions: readonly number[]): SdNodeRef[] {
  const width = checkDepth(layout.depth);
  const empty = flags(width, layout.empty);
  const out: SdNodeRef[] = [];
  let known = flags(width, positions);
  if (!known.includes(true)) return out;
  for (let level = 0; level < layout.depth; level++) {
    const next = new Array<boolean>(known.length >> 1).fill(false);
    for (let k = 0; k < known.length; k++) {
      if (!known[k]) continue;
      const sibling = k ^ 1;
      if (!known[sibling] && !isFree(empty, level, sibling)) out.push({ level, index: sibling });
      next[k >> 1] = true;
    }
    known = next;
  }
  return out;
}

/** The digest of an all-empty subtree of height `level`. */
function freeDigest(sha: Sha256, level: number, cache: Uint8Array[]): Uint8Array {
  if (cache.length === 0) cache.push(SD_EMPTY_LEAF);
  while (cache.length <= level)
    cache.push(nodeDigest(sha, cache[cache.length - 1]!, cache[cache.length - 1]!));
  return cache[level]!;
}

/** Both trees of a holder's document, built once: its root and any disclosure from it. */
export interface SdBuiltTree {
  root: Uint8Array;
  layout: SdLayout;
  disclose(positions: readonly number[]): SdDisclosure;
}

/** Builds the salt tree and the hash tree of `tree` (2·2^depth − 2 + 2^depth + 2^depth − 1 hashes at most). */
export function sdBuild(tree: SdTree, sha256: Sha256 = portableSha256): SdBuiltTree {
  const layout = sdLayoutOf(tree);
  const { depth } = tree;
  // saltLevels[d] holds the 2^d salt-tree nodes at distance d from the seed.
  const saltLevels: Uint8Array[][] = [[tree.seed]];
  for (let d = 1; d <= depth; d++) {
    saltLevels.push(
      saltLevels[d - 1]!.flatMap((node) => [saltChild(sha256, node, 0), saltChild(sha256, node, 1)]),
    );
  }
  // levels[l] holds the hash-tree nodes at height l (0 = leaves).
  const leaves = tree.values.map((v, i) =>
    v === null ? SD_EMPTY_LEAF : leafDigest(sha256, saltLevels[depth]![i]!, i, v),
  );
  const levels: Uint8Array[][] = [leaves];
  for (let l = 1; l <= depth; l++) {
    const below = levels[l - 1]!;
    const row: Uint8Array[] = [];
    for (let k = 0; k < below.length; k += 2) row.push(nodeDigest(sha256, below[k]!, below[k + 1]!));
    levels.push(row);
  }
  return {
    root: levels[depth]![0]!,
    layout,
    disclose(positions) {
      const sorted = checkPositions(1 << depth, positions, flags(1 << depth, layout.empty));
      const values = new Map<number, SdValue>(sorted.map((p) => [p, tree.values[p]!]));
      const salts = sdCover(layout, sorted).map((n) => saltLevels[depth - n.level]![n.index]!);
      const proof = sdProofNodes(layout, sorted).map((n) => levels[n.level]![n.index]!);
      return { values, salts: concatBytes(...salts), proof: concatBytes(...proof) };
    },
  };
}

/** The root the issuer signs. */
export function sdRoot(tree: SdTree, sha256: Sha256 = portableSha256): Uint8Array {
  return sdBuild(tree, sha256).root;
}

/**
 * Discloses the slots `positions` (any order; none empty): their values, salts and proof.
 *
 * @example const d = sdDisclose(tree, [0, 1, 2, 3]) // name, sex, birth date, masked number of an ID card
 */
export function sdDisclose(
  tree: SdTree,
  positions: readonly number[],
  sha256: Sha256 = portableSha256,
): SdDisclosure {
  return sdBuild(tree, sha256).disclose(positions);
}

/**
 * The root a non-empty disclosure implies under `layout`; undefined when S is empty, names a position outside
 * the tree or an empty slot, or when its salts or proof are not exactly the canonical length for S.
 */
export function sdImpliedRoot(
  layout: SdLayout,
  d: SdDisclosure,
  sha256: Sha256 = portableSha256,
): Uint8Array | undefined {
  const width = checkDepth(layout.depth);
  const empty = flags(width, layout.empty);
  const positions = [...d.values.keys()].sort((a, b) => a - b);
  if (positions.length === 0) return undefined;
  for (const p of positions) if (!Number.isInteger(p) || p < 0 || p >= width || empty[p]) return undefined;
  const cover = sdCover(layout, positions);
  if (d.salts.length !== cover.length * SD_NODE_LENGTH) return undefined;
  const known = new Map<number, Uint8Array>();
  cover.forEach((node, n) => {
    const top = d.salts.subarray(n * SD_NODE_LENGTH, (n + 1) * SD_NODE_LENGTH);
    const first = node.index << node.level;
    for (let i = first; i < first + (1 << node.level); i++) {
      if (!d.values.has(i)) continue;
      let salt = top;
      for (let b = node.level - 1; b >= 0; b--) salt = saltChild(sha256, salt, (i >> b) & 1);
      const value = d.values.get(i)!;
      if (value === null) return;
      known.set(i, leafDigest(sha256, salt, i, value));
    }
  });
  // A disclosed null is a claim the tree cannot hold: no leaf digest, so nothing to fit.
  if (known.size !== positions.length) return undefined;
  const free: Uint8Array[] = [];
  let level = known;
  let offset = 0;
  for (let l = 0; l < layout.depth; l++) {
    const next = new Map<number, Uint8Array>();
    for (const k of [...level.keys()].sort((a, b) => a - b)) {
      if (next.has(k >> 1)) continue;
      const self = level.get(k)!;
      const sibling = k ^ 1;
      let other = level.get(sibling);
      if (!other && isFree(empty, l, sibling)) other = freeDigest(sha256, l, free);
      if (!other) {
        if (offset + SD_NODE_LENGTH > d.proof.length) return undefined;
        other = d.proof.subarray(offset, offset + SD_NODE_LENGTH);
        offset += SD_NODE_LENGTH;
      }
      next.set(k >> 1, k & 1 ? nodeDigest(sha256, other, self) : nodeDigest(sha256, self, other));
    }
    level = next;
  }
  if (offset !== d.proof.length) return undefined;
  return level.get(0);
}

/**
 * True when the disclosure fits `root`: a non-empty S must imply it exactly; an empty S must carry no salts
 * and no proof (it proves nothing about the claims, only what the credential itself signs).
 */
export function sdCheck(
  layout: SdLayout,
  d: SdDisclosure,
  root: Uint8Array,
  sha256: Sha256 = portableSha256,
): boolean {
  if (d.values.size === 0) return d.salts.length === 0 && d.proof.length === 0;
  const implied = sdImpliedRoot(layout, d, sha256);
  if (!implied || implied.length !== root.length) return false;
  let diff = 0;
  for (let i = 0; i < root.length; i++) diff |= implied[i]! ^ root[i]!;
  return diff === 0;
}

/** Throws CborShapeError unless `value` is a disclosure values map: unsigned integer keys below 64. */
export function sdValuesFrom(value: unknown): Map<number, SdValue> {
  if (!(value instanceof Map)) throw new CborShapeError('disclosed values are not a map');
  for (const k of value.keys()) {
    if (typeof k !== 'number' || k < 0 || k >= 1 << SD_MAX_DEPTH) {
      throw new CborShapeError('disclosed values key is not a slot');
    }
  }
  return value as Map<number, SdValue>;
}
