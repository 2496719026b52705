import type { KeyStore } from '../../infra/keystore';
import type { UsageEventDoc } from './usage.model';

/** `prevHash` of the first link of every chain. */
export const GENESIS_HASH = 'genesis';
const CHAIN_VERSION = 1;

/**
 * JSON with object keys sorted at every depth and `undefined` members left out, so the same event
 * always gives the same bytes whatever order the database returns its fields in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError('non-finite number in chain');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

export type ChainLink = Omit<UsageEventDoc, 'hash'>;

/** The hash of one link: an HMAC (key held by the key store) over the canonical event and the previous hash. */
export function linkHash(keys: KeyStore, link: ChainLink): string {
  const { actor } = link;
  return keys.blindIndex(
    'usage-chain',
    canonicalJson({
      v: CHAIN_VERSION,
      id: link._id,
      residentId: link.residentId,
      seq: link.seq,
      at: link.at,
      actor: { type: actor.type, id: actor.id, displayName: actor.displayName, org: actor.org },
      action: link.action,
      fields: link.fields,
      purpose: link.purpose,
      result: link.result,
      detail: link.detail,
      requestId: link.requestId,
      prevHash: link.prevHash,
    }),
  );
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
