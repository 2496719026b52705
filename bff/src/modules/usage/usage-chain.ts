import type { KeyStore } from '../../infra/keystore';
import type { UsageEventDoc } from './usage.model';

/** `prevHash` of the first link of every chain. */
export const GENESIS_HASH = 'genesis';
const CHAIN_VERSION = 1;

/**
 * JSON with object keys sorted at every depth and `undefined` members left out, so the same event
 * always gives the same bytes whatever order the database returns its fields in. Written with string
 * appends, no intermediate arrays: every usage record's link hash runs it (bench/card/online.ts profile).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError('non-finite number in chain');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i] ?? null);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

export type ChainLink = Omit<UsageEventDoc, 'hash'>;

/** `"name":value` for a member that is not undefined, with a leading comma unless it is the first. */
function member(out: string, name: string, value: unknown): string {
  if (value === undefined) return out;
  return `${out}${out.length === 1 ? '' : ','}"${name}":${canonicalJson(value)}`;
}

/**
 * The canonical JSON of a link's hashed fields, `canonicalJson` of them exactly: the members written in
 * their sorted order (UTF-16 code units, as `sort()` orders them) instead of sorted per link.
 */
export function linkText(link: ChainLink): string {
  const { actor } = link;
  let a = '{';
  a = member(a, 'displayName', actor.displayName);
  a = member(a, 'id', actor.id);
  a = member(a, 'org', actor.org);
  a = member(a, 'type', actor.type);
  let out = '{';
  out = member(out, 'action', link.action);
  out = `${out}${out.length === 1 ? '' : ','}"actor":${a}}`;
  out = member(out, 'at', link.at);
  out = member(out, 'detail', link.detail);
  out = member(out, 'fields', link.fields);
  out = member(out, 'id', link._id);
  out = member(out, 'prevHash', link.prevHash);
  out = member(out, 'purpose', link.purpose);
  out = member(out, 'requestId', link.requestId);
  out = member(out, 'residentId', link.residentId);
  out = member(out, 'result', link.result);
  out = member(out, 'seq', link.seq);
  out = member(out, 'v', CHAIN_VERSION);
  return `${out}}`;
}

/** The hash of one link: an HMAC (key held by the key store) over the canonical event and the previous hash. */
export function linkHash(keys: KeyStore, link: ChainLink): string {
  return keys.blindIndex('usage-chain', linkText(link));
}

export type ChainProblem = 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'truncated';

export interface BrokenLink {
  residentId: string;
  /** Sequence number of the first link that does not hold. */
  seq: number;
  problem: ChainProblem;
  /** What differs, in words, without any event content. */
  detail: string;
}

/**
 * Walks one chain in sequence order and returns the first link that does not hold, or null.
 * `headSeq` is the separately stored tail: a chain shorter than it lost its last links.
 */
export async function verifyChain(
  keys: KeyStore,
  residentId: string,
  links: AsyncIterable<UsageEventDoc>,
  headSeq?: number,
): Promise<{ broken: BrokenLink | null; length: number }> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for await (const link of links) {
    if (link.seq !== expectedSeq) {
      return {
        broken: {
          residentId,
          seq: expectedSeq,
          problem: 'seq_gap',
          detail: `expected seq ${expectedSeq}, found ${link.seq}: links are missing`,
        },
        length: expectedSeq - 1,
      };
    }
    if (link.prevHash !== prevHash) {
      return {
        broken: {
          residentId,
          seq: link.seq,
          problem: 'prev_hash_mismatch',
          detail: 'prevHash does not equal the hash of the previous link',
        },
        length: expectedSeq - 1,
      };
    }
    const { hash, ...rest } = link;
    if (linkHash(keys, rest) !== hash) {
      return {
        broken: {
          residentId,
          seq: link.seq,
          problem: 'hash_mismatch',
          detail: 'the stored content does not match its hash: the record was altered',
        },
        length: expectedSeq - 1,
      };
    }
    prevHash = hash;
    expectedSeq += 1;
  }
  const length = expectedSeq - 1;
  if (headSeq !== undefined && headSeq > length) {
    return {
      broken: {
        residentId,
        seq: length + 1,
        problem: 'truncated',
        detail: `the chain ends at seq ${length} but its head says ${headSeq}: the last links were removed`,
      },
      length,
    };
  }
  return { broken: null, length };
}
