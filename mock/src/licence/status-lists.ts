import { createHash } from 'node:crypto';
import { signStatusList } from '@eid/shared';
import { issuerByKid } from './issuers';
import type { LicenceStore } from './store';

/** Seconds the stand-in suggests caching a list, as the BFF's own lists do. */
export const LICENCE_STATUS_TTL_SECONDS = 300;
const PERIOD_MS = LICENCE_STATUS_TTL_SECONDS * 1000;

export interface SignedLicenceStatusList {
  kid: string;
  issuedAt: number;
  ttlSeconds: number;
  bytes: Uint8Array;
  /** First 27 characters of the base64url SHA-256 of the bytes, in double quotes (the BFF's convention). */
  etag: string;
}

/**
 * Signed status lists of the issuing bodies (shared/src/status format, kid = the body's key id), built on
 * demand and cached until something changes or a new 5-minute period begins. The issue time is the later of
 * the last change and the start of the current period, so the bytes (and the ETag) stay the same within a
 * period, as the BFF's lists do.
 */
export function createStatusLists(store: LicenceStore) {
  const cache = new Map<string, { generation: number; issuedAt: number; list: SignedLicenceStatusList }>();
  return {
    signed(kid: string, now: number): SignedLicenceStatusList | undefined {
      const body = issuerByKid(kid);
      const bits = store.statusBits(kid);
      if (!body || !bits) return undefined;
      const issuedAt = Math.max(bits.lastChange, Math.floor(now / PERIOD_MS) * PERIOD_MS);
      const hit = cache.get(kid);
      if (hit && hit.generation === bits.generation && hit.issuedAt === issuedAt) return hit.list;
      const bytes = signStatusList(
        { kid, issuedAt, ttlSeconds: LICENCE_STATUS_TTL_SECONDS, size: bits.size, bits: bits.bits },
        body.sign,
      );
      const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
      const list = {
        kid,
        issuedAt: Math.floor(issuedAt / 1000) * 1000,
        ttlSeconds: LICENCE_STATUS_TTL_SECONDS,
        bytes,
        etag,
      };
      cache.set(kid, { generation: bits.generation, issuedAt, list });
      return list;
    },
    /** Forgets every cached list (after a reset of the store). */
    clear(): void {
      cache.clear();
    },
  };
}
