import { bytesEqual, fromHex } from '../encoding/bytes';
import { base64DecodeStrict, base64Encode } from '../http-signatures/structured-fields';
import { TlogError } from './errors';
import { TLOG_EMPTY_ROOT_HEX, TLOG_HASH_SIZE } from './merkle';

/** The tree head a log signs (c2sp.org/tlog-checkpoint): origin, size, root, and optional extension lines. */
export interface Checkpoint {
  /** The log's identity; any non-empty line (schema-less URLs are recommended, never assumed). */
  origin: string;
  /** Number of leaves; at most Number.MAX_SAFE_INTEGER here. */
  size: number;
  /** RFC 6962 root hash, 32 bytes. */
  rootHash: Uint8Array;
  /** Opaque, non-empty lines after the root; not recommended by the spec, kept byte for byte. */
  extensions: readonly string[];
}

const EMPTY_ROOT = fromHex(TLOG_EMPTY_ROOT_HEX);
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CONTROL = /[\u0000-\u0009\u000b-\u001f]/;

function refuse(message: string): never {
  throw new TlogError('malformed_checkpoint', message);
}

function checkLines(origin: string, extensions: readonly string[]): void {
  for (const line of [origin, ...extensions]) {
    if (typeof line !== 'string' || line.length === 0) refuse('checkpoint lines are non-empty');
    if (line.includes('\n') || FORBIDDEN_CONTROL.test(line))
      refuse('a checkpoint line holds no control character');
  }
}

function checkEmptyTree(size: number, rootHash: Uint8Array): void {
  // A tree of no leaves has exactly one root (RFC 6962 section 2.1); any other would be a second "empty" tree.
  if (size === 0 && !bytesEqual(rootHash, EMPTY_ROOT))
    throw new TlogError('empty_tree_root', 'a checkpoint of size 0 carries the empty-tree root');
}

/**
 * The note text of a checkpoint: origin, decimal size and base64 root, each on its own line, then any
 * extension lines, ending in a newline. Refuses what parseCheckpoint would refuse.
 */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, rootHash, extensions } = checkpoint;
  checkLines(origin, extensions);
  if (!Number.isSafeInteger(size) || size < 0) refuse('the tree size is a non-negative safe integer');
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== TLOG_HASH_SIZE)
    refuse('the root hash is 32 bytes');
  checkEmptyTree(size, rootHash);
  return [origin, String(size), base64Encode(rootHash), ...extensions].map((l) => `${l}\n`).join('');
}

/**
 * Reads a checkpoint from a note text (after the note's signatures are verified, or to sign it): at least
 * three non-empty lines ending in a newline, a decimal size without leading zeros (at most
 * Number.MAX_SAFE_INTEGER), padded canonical base64 of exactly 32 bytes, non-empty extension lines, and
 * the empty-tree root when the size is 0. Throws TlogError (`malformed_checkpoint`, `empty_tree_root`).
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string' || !text.endsWith('\n')) refuse('a checkpoint text ends in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) refuse('a checkpoint has an origin, a size and a root hash line');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  checkLines(origin, extensions);
  if (!DECIMAL.test(sizeLine)) refuse('the tree size is decimal without leading zeros');
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) refuse('the tree size is beyond what this verifier counts');
  const rootHash = base64DecodeStrict(rootLine);
  if (!rootHash || rootHash.length !== TLOG_HASH_SIZE) refuse('the root hash is base64 of 32 bytes');
  checkEmptyTree(size, rootHash);
  return { origin, size, rootHash, extensions };
}
