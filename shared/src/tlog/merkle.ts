import { sha256 as portableSha256, type Sha256 } from '../crypto/sha256';
import { bytesEqual } from '../encoding/bytes';
import { TlogError } from './errors';

/** Bytes of every tree hash: SHA-256, as RFC 6962 and c2sp.org/tlog-checkpoint use. */
export const TLOG_HASH_SIZE = 32;

/** Root of the empty tree: SHA-256 of the empty string (RFC 6962 section 2.1), hex. */
export const TLOG_EMPTY_ROOT_HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

// Sizes and indexes are JavaScript numbers, so every step below uses arithmetic, never the 32-bit bitwise
// operators: a log past 2^32 leaves must not wrap. Number.MAX_SAFE_INTEGER (2^53 - 1) bounds them all.
const odd = (x: number) => x % 2 === 1;
const half = (x: number) => Math.floor(x / 2);

function isPowerOfTwo(x: number): boolean {
  if (x < 1) return false;
  while (x % 2 === 0) x /= 2;
  return x === 1;
}

/** The largest power of two strictly below n (n ≥ 2): the split point k of RFC 9162 section 2.1.1. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isSize = (x: number) => Number.isSafeInteger(x) && x >= 0;

function checkHash(hash: Uint8Array, what: string): void {
  if (!(hash instanceof Uint8Array) || hash.length !== TLOG_HASH_SIZE)
    throw new TlogError('malformed_hash', `${what} is not a ${TLOG_HASH_SIZE}-byte hash`);
}

/** The leaf hash of RFC 6962 section 2.1: SHA-256(0x00 || data). */
export function merkleLeafHash(data: Uint8Array, sha256: Sha256 = portableSha256): Uint8Array {
  const input = new Uint8Array(1 + data.length);
  input[0] = 0x00;
  input.set(data, 1);
  return sha256(input);
}

/** The interior node hash of RFC 6962 section 2.1: SHA-256(0x01 || left || right). */
export function merkleNodeHash(
  left: Uint8Array,
  right: Uint8Array,
  sha256: Sha256 = portableSha256,
): Uint8Array {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}

function subtreeRoot(leaves: readonly Uint8Array[], start: number, end: number, sha256: Sha256): Uint8Array {
  if (end - start === 1) return leaves[start]!;
  const k = splitPoint(end - start);
  return merkleNodeHash(
    subtreeRoot(leaves, start, start + k, sha256),
    subtreeRoot(leaves, start + k, end, sha256),
    sha256,
  );
}

function checkLeaves(leafHashes: readonly Uint8Array[], size: number): void {
  if (!isSize(size) || size > leafHashes.length)
    throw new TlogError(
      'size_out_of_range',
      `tree size ${size} is not within the ${leafHashes.length} leaves`,
    );
  for (let i = 0; i < size; i++) checkHash(leafHashes[i]!, `leaf hash ${i}`);
}

/**
 * MTH of RFC 9162 section 2.1.1 over the first `size` leaf hashes (all of them by default); the empty tree's
 * root is SHA-256 of the empty string.
 *
 * @example merkleRoot(entries.map((e) => merkleLeafHash(e)))
 */
export function merkleRoot(
  leafHashes: readonly Uint8Array[],
  size: number = leafHashes.length,
  sha256: Sha256 = portableSha256,
): Uint8Array {
  checkLeaves(leafHashes, size);
  return size === 0 ? sha256(new Uint8Array(0)) : subtreeRoot(leafHashes, 0, size, sha256);
}

function path(
  leaves: readonly Uint8Array[],
  m: number,
  start: number,
  end: number,
  sha256: Sha256,
): Uint8Array[] {
  if (end - start === 1) return [];
  const k = splitPoint(end - start);
  if (m < start + k) {
    const proof = path(leaves, m, start, start + k, sha256);
    proof.push(subtreeRoot(leaves, start + k, end, sha256));
    return proof;
  }
  const proof = path(leaves, m, start + k, end, sha256);
  proof.push(subtreeRoot(leaves, start, start + k, sha256));
  return proof;
}

/**
 * The inclusion proof PATH(index, D[size]) of RFC 9162 section 2.1.3.1, over the first `size` leaf hashes,
 * nearest sibling first. Refuses an index outside the tree (so never a proof for the empty tree).
 */
export function merkleInclusionProof(
  leafHashes: readonly Uint8Array[],
  index: number,
  size: number = leafHashes.length,
  sha256: Sha256 = portableSha256,
): Uint8Array[] {
  checkLeaves(leafHashes, size);
  if (!isSize(index) || index >= size)
    throw new TlogError('size_out_of_range', `leaf index ${index} is not below tree size ${size}`);
  return path(leafHashes, index, 0, size, sha256);
}

function subproof(
  leaves: readonly Uint8Array[],
  m: number,
  start: number,
  end: number,
  complete: boolean,
  sha256: Sha256,
): Uint8Array[] {
  if (m === end - start) return complete ? [] : [subtreeRoot(leaves, start, end, sha256)];
  const k = splitPoint(end - start);
  if (m <= k) {
    const proof = subproof(leaves, m, start, start + k, complete, sha256);
    proof.push(subtreeRoot(leaves, start + k, end, sha256));
    return proof;
  }
  const proof = subproof(leaves, m - k, start + k, end, false, sha256);
  proof.push(subtreeRoot(leaves, start, start + k, sha256));
  return proof;
}

/**
 * The consistency proof PROOF(oldSize, D[newSize]) of RFC 9162 section 2.1.4.1 over the first `newSize`
 * leaf hashes. Requires 0 < oldSize ≤ newSize: the empty tree needs no proof (c2sp.org/tlog-witness sends
 * none), so none is made for it; equal sizes give the empty proof.
 */
export function merkleConsistencyProof(
  leafHashes: readonly Uint8Array[],
  oldSize: number,
  newSize: number = leafHashes.length,
  sha256: Sha256 = portableSha256,
): Uint8Array[] {
  checkLeaves(leafHashes, newSize);
  if (!isSize(oldSize) || oldSize > newSize)
    throw new TlogError('size_out_of_range', `old size ${oldSize} is not within new size ${newSize}`);
  if (oldSize === 0) throw new TlogError('empty_tree', 'no consistency proof is made from the empty tree');
  return subproof(leafHashes, oldSize, 0, newSize, true, sha256);
}

/**
 * How many hashes an inclusion proof for `index` in a tree of `size` has: the number of rounds the
 * verification of RFC 9162 section 2.1.3.2 runs before `sn` reaches 0 (step 4 without the hashing).
 */
export function merkleInclusionProofLength(index: number, size: number): number {
  if (!isSize(size) || !isSize(index) || index >= size)
    throw new TlogError('size_out_of_range', `leaf index ${index} is not below tree size ${size}`);
  let fn = index;
  let sn = size - 1;
  let rounds = 0;
  while (sn !== 0) {
    if (!odd(fn) && fn === sn) {
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    }
    fn = half(fn);
    sn = half(sn);
    rounds++;
  }
  return rounds;
}

/**
 * How many hashes a consistency proof from `oldSize` to `newSize` has (0 < oldSize ≤ newSize): the rounds
 * of RFC 9162 section 2.1.4.2 step 6, plus one for the first entry unless step 2 supplies it (old size a
 * power of two); zero for equal sizes.
 */
export function merkleConsistencyProofLength(oldSize: number, newSize: number): number {
  if (!isSize(oldSize) || !isSize(newSize) || oldSize > newSize)
    throw new TlogError('size_out_of_range', `old size ${oldSize} is not within new size ${newSize}`);
  if (oldSize === 0) throw new TlogError('empty_tree', 'there is no consistency proof from the empty tree');
  if (oldSize === newSize) return 0;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let rounds = 0;
  while (sn !== 0) {
    if (!odd(fn) && fn === sn) {
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    }
    fn = half(fn);
    sn = half(sn);
    rounds++;
  }
  return isPowerOfTwo(oldSize) ? rounds : rounds + 1;
}

export interface InclusionProofInput {
  /** The leaf hash (merkleLeafHash of the entry), not the entry. */
  leafHash: Uint8Array;
  index: number;
  treeSize: number;
  proof: readonly Uint8Array[];
  rootHash: Uint8Array;
}

/**
 * Verifies an inclusion proof by RFC 9162 section 2.1.3.2; throws TlogError (`size_out_of_range`,
 * `malformed_hash`, `wrong_proof_length`, `root_mismatch`). The proof must have exactly the length the sizes
 * call for: a hash more or less is refused before any hashing.
 *
 * @example verifyInclusionProof({ leafHash, index: 5, treeSize: 8, proof, rootHash: checkpoint.rootHash })
 */
export function verifyInclusionProof(input: InclusionProofInput, sha256: Sha256 = portableSha256): void {
  const { leafHash, index, treeSize, proof, rootHash } = input;
  const expected = merkleInclusionProofLength(index, treeSize);
  checkHash(leafHash, 'leaf hash');
  checkHash(rootHash, 'root hash');
  if (proof.length !== expected)
    throw new TlogError(
      'wrong_proof_length',
      `inclusion proof of leaf ${index} in tree ${treeSize} has ${proof.length} hashes, not ${expected}`,
    );
  proof.forEach((p, i) => checkHash(p, `proof hash ${i}`));
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (odd(fn) || fn === sn) {
      r = merkleNodeHash(p, r, sha256);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = merkleNodeHash(r, p, sha256);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0 || !bytesEqual(r, rootHash))
    throw new TlogError(
      'root_mismatch',
      `inclusion proof of leaf ${index} does not lead to the tree ${treeSize} root`,
    );
}

export interface ConsistencyProofInput {
  oldSize: number;
  oldRoot: Uint8Array;
  newSize: number;
  newRoot: Uint8Array;
  proof: readonly Uint8Array[];
}

/**
 * Verifies that the tree (newSize, newRoot) extends (oldSize, oldRoot), by RFC 9162 section 2.1.4.2; throws
 * TlogError otherwise. Equal sizes need the empty proof and the same root. An old size of 0 is refused as
 * `empty_tree` (every tree extends the empty one, so a "proof" from it proves nothing; a witness with no
 * record handles that case itself). The proof length must be exact.
 */
export function verifyConsistencyProof(input: ConsistencyProofInput, sha256: Sha256 = portableSha256): void {
  const { oldSize, oldRoot, newSize, newRoot, proof } = input;
  const expected = merkleConsistencyProofLength(oldSize, newSize);
  checkHash(oldRoot, 'old root');
  checkHash(newRoot, 'new root');
  if (proof.length !== expected)
    throw new TlogError(
      'wrong_proof_length',
      `consistency proof from ${oldSize} to ${newSize} has ${proof.length} hashes, not ${expected}`,
    );
  proof.forEach((p, i) => checkHash(p, `proof hash ${i}`));
  if (oldSize === newSize) {
    if (!bytesEqual(oldRoot, newRoot))
      throw new TlogError('root_mismatch', `two different roots for tree size ${oldSize}`);
    return;
  }
  const hashes = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = hashes[0]!;
  let sr = hashes[0]!;
  for (let i = 1; i < hashes.length; i++) {
    const c = hashes[i]!;
    if (sn === 0) throw new TlogError('wrong_proof_length', 'consistency proof runs past the new tree');
    if (odd(fn) || fn === sn) {
      fr = merkleNodeHash(c, fr, sha256);
      sr = merkleNodeHash(c, sr, sha256);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = merkleNodeHash(sr, c, sha256);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0 || !bytesEqual(fr, oldRoot) || !bytesEqual(sr, newRoot))
    throw new TlogError('root_mismatch', `tree ${newSize} is not proven to extend tree ${oldSize}`);
}
