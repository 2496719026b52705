import { AppError, CardStatusValue, emptyStatusBits, setStatusAt, signStatusList } from '@eid/shared';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import { etagOf, type SignedDocument } from '../../middleware/conditional-get';
import type { CardRepository } from './card.repository';
import { STATUS_BLOCK, statusIndexOf } from './status-index';

/**
 * Lists grow in blocks of this many entries and never publish fewer; inside a block indexes are a keyed
 * permutation of issue order (status-index.ts), so an index says nothing about when a card was issued.
 */
export const STATUS_LIST_BLOCK = STATUS_BLOCK;
/** A list is re-issued at least this often even without changes, so fetched copies are always fresh. */
export const STATUS_LIST_REFRESH_MS = 5 * 60_000;
/** How long HTTP caches may keep a list before asking again (revalidation is cheap: ETag). */
export const STATUS_LIST_CACHE_SECONDS = 60;
/**
 * Builds, signs and caches the status list of each issuer key. The issue time is a pure function of
 * the last change and the refresh period, and Ed25519 is deterministic, so every BFF process serves
 * byte-identical lists with the same ETag without coordinating.
 */
export function createStatusListService(deps: { repo: CardRepository; keys: KeyStore; clock: Clock }) {
  const { repo, keys, clock } = deps;
  const cache = new Map<string, { key: string; doc: SignedDocument }>();
  const ourKids = () => new Set(keys.issuerKeys().map((k) => k.kid));

  return {
    /** A free index in `kid`'s list: the counter's next slot, placed by the list's keyed permutation. */
    async allocate(kid: string): Promise<number> {
      const sequence = await repo.allocateSequence(kid, clock.now());
      // The key store's keyed hash is the round function; the key id and round keep every list and round apart.
      return statusIndexOf(sequence, (round, half) =>
        Buffer.from(
          keys.blindIndex(`status-index\u0000${kid}\u0000${round}`, String(half)),
          'base64url',
        ).readUInt16BE(0),
      );
    },

    /** Tells every process that `kid`'s list changed. */
    changed: (kid: string) => repo.markChanged(kid, clock.now()),

    /** The current signed list of `kid`; ISSUER_UNKNOWN for a key this node does not hold. */
    async signed(kid: string): Promise<SignedDocument & { ttlSeconds: number }> {
      if (!ourKids().has(kid)) throw new AppError('ISSUER_UNKNOWN', 'No status list for this key id');
      const now = clock.now();
      const counter = await repo.counter(kid);
      const next = counter?.next ?? 0;
      const issuedAt = Math.max(
        counter?.changedAt ?? 0,
        Math.floor(now / STATUS_LIST_REFRESH_MS) * STATUS_LIST_REFRESH_MS,
      );
      const cacheKey = `${issuedAt}:${next}:${counter?.version ?? 0}`;
      const cached = cache.get(kid);
      const ttlSeconds = STATUS_LIST_REFRESH_MS / 1000;
      if (cached?.key === cacheKey) return { ...cached.doc, ttlSeconds };

      const size = Math.max(STATUS_LIST_BLOCK, Math.ceil(next / STATUS_LIST_BLOCK) * STATUS_LIST_BLOCK);
      const bits = emptyStatusBits(size);
      for (const entry of await repo.flaggedEntries(kid)) {
        if (entry.statusIndex >= size) continue;
        setStatusAt(
          bits,
          entry.statusIndex,
          entry.status === 'revoked' ? CardStatusValue.revoked : CardStatusValue.suspended,
        );
      }
      const bytes = signStatusList({ kid, issuedAt, ttlSeconds, size, bits }, (tbs) =>
        keys.signAsIssuer(kid, tbs),
      );
      const doc = { bytes, issuedAt: Math.floor(issuedAt / 1000) * 1000, etag: etagOf(bytes) };
      cache.set(kid, { key: cacheKey, doc });
      return { ...doc, ttlSeconds };
    },
  };
}

export type StatusListService = ReturnType<typeof createStatusListService>;
