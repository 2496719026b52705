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
const SALT_INPUT = SALT_LABEL.length + SD_NODE_LENGTH + 1;
const LEAF = 0x00;
const NODE = 0x01;

// Each hash input is built in one array of its exact size (no concatenation of parts), and the 16-byte
// result is a view of the digest: the verifier's cost is its SHA-256 calls, and these keep it at that.
function saltChild(sha: Sha256, node: Uint8Array, bit: number): Uint8Array {
  const input = new Uint8Array(SALT_INPUT);
  input.set(SALT_LABEL);
  input.set(node, SALT_LABEL.length);
  input[SALT_INPUT - 1] = bit;
  return sha(input).subarray(0, SD_NODE_LENGTH);
}

function leafDigest(sha: Sha256, salt: Uint8Array, position: number, value: CborValue): Uint8Array {
  const encoded = cborEncode(value);
  const input = new Uint8Array(2 + SD_NODE_LENGTH + encoded.length);
  input[0] = LEAF;
  input.set(salt, 1);
  input[1 + SD_NODE_LENGTH] = position;
  input.set(encoded, 2 + SD_NODE_LENGTH);
  return sha(input).subarray(0, SD_NODE_LENGTH);
}

function nodeDigest(sha: Sha256, left: Uint8Array, right: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + 2 * SD_NODE_LENGTH);
  input[0] = NODE;
  input.set(left, 1);
  input.set(right, 1 + SD_NODE_LENGTH);
  return sha(input).subarray(0, SD_NODE_LENGTH);
}

// FREE[l]: the digest of an all-empty subtree of height l, the same in every tree; computed once, with the
// portable SHA-256 (so an injected one is called for the tree's own nodes only, the same number each time).
const FREE: Uint8Array[] = [SD_EMPTY_LEAF];
function freeDigest(level: number): Uint8Array {
  while (FREE.length <= level)
    FREE.push(nodeDigest(portableSha256, FREE[FREE.length - 1]!, FREE[FREE.length - 1]!));
  return FREE[level]!;
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

/** free[l][k]: the node at height l, index k has only empty slots under it (its digest is FREE[l]). */
function freeFlags(depth: number, empty: boolean[]): boolean[][] {
  const free = [empty];
  for (let l = 1; l <= depth; l++) {
    const below = free[l - 1]!;
    free.push(Array.from({ length: below.length >> 1 }, (_, k) => below[2 * k]! && below[2 * k + 1]!));
  }
  return free;
}

/** Both trees of a holder's document, built once: its root and any disclosure from it. */
export interface SdBuiltTree {
  root: Uint8Array;
  layout: SdLayout;
  disclose(positions: readonly number[]): SdDisclosure;
}

/**
 * Builds the salt tree and the hash tree of `tree`: one hash per salt-tree node above a claim, per claim's leaf
 * and per hash-tree node above a claim (all-empty subtrees have no salts and a constant digest).
 */
export function sdBuild(tree: SdTree, sha256: Sha256 = portableSha256): SdBuiltTree {
  const layout = sdLayoutOf(tree);
  const { depth } = tree;
  const free = freeFlags(depth, flags(1 << depth, layout.empty));
  // saltLevels[d] holds the 2^d salt-tree nodes at distance d from the seed, none under an all-empty subtree.
  const saltLevels: (Uint8Array | undefined)[][] = [[tree.seed]];
  for (let d = 1; d <= depth; d++) {
    const above = saltLevels[d - 1]!;
    const row = new Array<Uint8Array | undefined>(1 << d);
    for (let k = 0; k < row.length; k++) {
      const parent = above[k >> 1];
      if (parent && !free[depth - d]![k]) row[k] = saltChild(sha256, parent, k & 1);
    }
    saltLevels.push(row);
  }
  // levels[l] holds the hash-tree nodes at height l (0 = leaves).
  const leaves = tree.values.map((v, i) =>
    v === null ? SD_EMPTY_LEAF : leafDigest(sha256, saltLevels[depth]![i]!, i, v),
  );
  const levels: Uint8Array[][] = [leaves];
  for (let l = 1; l <= depth; l++) {
    const below = levels[l - 1]!;
    const row: Uint8Array[] = [];
    for (let k = 0; k < below.length >> 1; k++) {
      row.push(free[l]![k] ? freeDigest(l) : nodeDigest(sha256, below[2 * k]!, below[2 * k + 1]!));
    }
    levels.push(row);
  }
  return {
    root: levels[depth]![0]!.slice(),
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

/** How a verifier opens a disclosure of one set S under one layout: worked out once per (layout, S). */
interface OpenPlan {
  cover: SdNodeRef[];
  /** has[l][k]: the node at height l, index k has a position of S under it, so its digest is computed. */
  has: boolean[][];
  /** parents[l]: the indices at height l + 1 whose digest is computed from two at height l, ascending. */
  parents: number[][];
  proofNodes: number;
}

interface LayoutInfo {
  layout: SdLayout;
  width: number;
  empty: boolean[];
  free: boolean[][];
  /** By S (its positions as char codes); bounded, since S comes from the code. */
  plans: Map<string, OpenPlan>;
}

const MAX_PLANS_PER_LAYOUT = 256;
// Verifiers pass the same layout object for every code of a document type, so what it implies is kept with it.
const LAYOUTS = new WeakMap<SdLayout, LayoutInfo>();

function layoutInfo(layout: SdLayout): LayoutInfo {
  let info = LAYOUTS.get(layout);
  if (!info) {
    const width = checkDepth(layout.depth);
    const empty = flags(width, layout.empty);
    info = { layout, width, empty, free: freeFlags(layout.depth, empty), plans: new Map() };
    LAYOUTS.set(layout, info);
  }
  return info;
}

/** The plan for the positions of `values`, or undefined when there are none or one is not a claim slot. */
function openPlan(info: LayoutInfo, values: Map<number, SdValue>): OpenPlan | undefined {
  const positions: number[] = [];
  for (const p of values.keys()) {
    if (!Number.isInteger(p) || p < 0 || p >= info.width || info.empty[p]) return undefined;
    positions.push(p);
  }
  if (positions.length === 0) return undefined;
  positions.sort((a, b) => a - b);
  const key = String.fromCharCode(...positions);
  let plan = info.plans.get(key);
  if (!plan) {
    const has = [flags(info.width, positions)];
    const parents: number[][] = [];
    for (let l = 0; l < info.layout.depth; l++) {
      const below = has[l]!;
      const row = Array.from({ length: below.length >> 1 }, (_, k) => below[2 * k]! || below[2 * k + 1]!);
      has.push(row);
      parents.push(row.flatMap((known, k) => (known ? [k] : [])));
    }
    plan = {
      cover: sdCover(info.layout, positions),
      has,
      parents,
      proofNodes: sdProofNodes(info.layout, positions).length,
    };
    if (info.plans.size >= MAX_PLANS_PER_LAYOUT) info.plans.delete(info.plans.keys().next().value!);
    info.plans.set(key, plan);
  }
  return plan;
}

/**
 * Puts the leaf digests of the disclosed slots under a cover node into `leaves`, each salt-tree node derived
 * once on the way down; false when a disclosed value is null (a claim the tree cannot hold).
 */
function openCover(
  sha: Sha256,
  plan: OpenPlan,
  values: Map<number, SdValue>,
  salt: Uint8Array,
  level: number,
  index: number,
  leaves: Uint8Array[],
): boolean {
  if (level === 0) {
    const value = values.get(index);
    if (value === null || value === undefined) return false;
    leaves[index] = leafDigest(sha, salt, index, value);
    return true;
  }
  const below = plan.has[level - 1]!;
  for (let bit = 0; bit < 2; bit++) {
    const child = 2 * index + bit;
    if (below[child] && !openCover(sha, plan, values, saltChild(sha, salt, bit), level - 1, child, leaves))
      return false;
  }
  return true;
}

/** Node `k` at height `l` as an input of its parent: computed below, free (a constant), or the next proof node. */
function climbInput(
  plan: OpenPlan,
  info: LayoutInfo,
  row: Uint8Array[],
  l: number,
  k: number,
  proof: Uint8Array,
  cursor: { offset: number },
): Uint8Array {
  if (plan.has[l]![k]) return row[k]!;
  if (info.free[l]![k]) return freeDigest(l);
  cursor.offset += SD_NODE_LENGTH;
  return proof.subarray(cursor.offset - SD_NODE_LENGTH, cursor.offset);
}

/** The implied root as a view of the last digest (sdImpliedRoot copies it). */
function impliedRoot(layout: SdLayout, d: SdDisclosure, sha: Sha256): Uint8Array | undefined {
  const info = layoutInfo(layout);
  const plan = openPlan(info, d.values);
  if (!plan) return undefined;
  if (d.salts.length !== plan.cover.length * SD_NODE_LENGTH) return undefined;
  if (d.proof.length !== plan.proofNodes * SD_NODE_LENGTH) return undefined;
  let row = new Array<Uint8Array>(info.width);
  for (let c = 0; c < plan.cover.length; c++) {
    const { level, index } = plan.cover[c]!;
    const salt = d.salts.subarray(c * SD_NODE_LENGTH, (c + 1) * SD_NODE_LENGTH);
    if (!openCover(sha, plan, d.values, salt, level, index, row)) return undefined;
  }
  const cursor = { offset: 0 };
  for (let l = 0; l < layout.depth; l++) {
    const next = new Array<Uint8Array>(row.length >> 1);
    for (const k of plan.parents[l]!) {
      const left = climbInput(plan, info, row, l, 2 * k, d.proof, cursor);
      next[k] = nodeDigest(sha, left, climbInput(plan, info, row, l, 2 * k + 1, d.proof, cursor));
    }
    row = next;
  }
  return row[0];
}

/**
 * The root a non-empty disclosure implies under `layout`; undefined when S is empty, names a position outside
 * the tree or an empty slot, or when its salts or proof are not exactly the canonical length for S.
 * A verifier keeps what it works out from a layout object with that object: never change one after use.
 */
export function sdImpliedRoot(
  layout: SdLayout,
  d: SdDisclosure,
  sha256: Sha256 = portableSha256,
): Uint8Array | undefined {
  return impliedRoot(layout, d, sha256)?.slice();
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
  const implied = impliedRoot(layout, d, sha256);
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
