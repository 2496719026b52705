import {
  AppError,
  CborShapeError,
  licenceIssuerListOf,
  openLicenceStatusList,
  type Ed25519,
  type StatusList,
} from '@eid/shared';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import { etagOf } from '../../middleware/conditional-get';
import type { IssuerDirectory } from './issuers';
import { licenceUnavailable, type FetchedStatusList, type LicenceSystemClient } from './licence-client';

/** Longest a fetched status list is served before the licence system is asked again (If-None-Match). */
export const LICENCE_STATUS_FRESH_MS = 60_000;

/** A status list of an issuing body, verified, as the proxy serves it. */
export interface HeldStatusList {
  kid: string;
  issuedAt: number;
  ttlSeconds: number;
  bytes: Uint8Array;
  etag: string;
  list: StatusList;
}

export interface LicenceStatusLists {
  /** The body's signed list; ISSUER_UNKNOWN for a key id that is no issuing body of the licence system. */
  get(kid: string): Promise<HeldStatusList>;
  /** Verified lists of `kids` for the verifier; a list that cannot be had now is left out (status_unknown). */
  opened(kids: readonly string[]): Promise<Map<string, StatusList>>;
}

/**
 * The issuing bodies' status lists, fetched from the licence system and kept in memory for at most a minute
 * (or the list's own ttl), re-validated with If-None-Match. Each list is verified with its body's key before
 * it is served or used; while the licence system is down the last verified list is served, its age visible
 * in `issuedAt`. Key ids that are no issuing body are refused without asking the system.
 */
export function createLicenceStatusLists(deps: {
  client: Pick<LicenceSystemClient, 'statusList'>;
  issuers: IssuerDirectory;
  clock: Clock;
  logger: Logger;
  ed25519: Ed25519;
}): LicenceStatusLists {
  const held = new Map<string, { list: HeldStatusList; checkedAt: number; upstreamEtag: string | null }>();
  const inFlight = new Map<string, Promise<HeldStatusList>>();

  async function fetchList(kid: string): Promise<HeldStatusList> {
    const issuer = await deps.issuers.byKid(kid);
    if (!issuer) throw new AppError('ISSUER_UNKNOWN', 'No issuing body with this key id');
    const now = deps.clock.now();
    const before = held.get(kid);
    try {
      const answer = await deps.client.statusList(kid, before?.upstreamEtag ?? undefined);
      if (!answer) throw new AppError('ISSUER_UNKNOWN', 'No issuing body with this key id');
      if (answer.notModified) {
        if (!before) throw licenceUnavailable('answered 304 to a request without a validator', false);
        before.checkedAt = now;
        return before.list;
      }
      const list = verified(answer, kid);
      held.set(kid, { list, checkedAt: now, upstreamEtag: answer.etag });
      return list;
    } catch (err) {
      if (before && !(err instanceof AppError && err.code === 'ISSUER_UNKNOWN')) {
        deps.logger.warn({ kid }, 'licence status list could not be refreshed; serving the one held');
        return before.list;
      }
      throw err;
    }

    function verified(answer: FetchedStatusList, expected: string): HeldStatusList {
      let list: StatusList | undefined;
      try {
        list = openLicenceStatusList(answer.bytes, licenceIssuerListOf([issuer!]), deps.ed25519);
      } catch (err) {
        if (!(err instanceof CborShapeError)) throw err;
      }
      if (!list || list.kid !== expected) {
        deps.logger.error({ kid: expected }, 'licence system sent a status list that does not verify');
        throw licenceUnavailable('sent a status list that does not verify', false);
      }
      return {
        kid: expected,
        issuedAt: list.issuedAt,
        ttlSeconds: answer.ttlSeconds,
        bytes: answer.bytes,
        etag: etagOf(answer.bytes),
        list,
      };
    }
  }

  async function get(kid: string): Promise<HeldStatusList> {
    const h = held.get(kid);
    const now = deps.clock.now();
    const freshFor = Math.min(LICENCE_STATUS_FRESH_MS, (h?.list.ttlSeconds ?? 0) * 1000);
    if (h && now - h.checkedAt < freshFor) return h.list;
    let pending = inFlight.get(kid);
    if (!pending) {
      pending = fetchList(kid).finally(() => inFlight.delete(kid));
      inFlight.set(kid, pending);
    }
    return pending;
  }

  return {
    get,
    async opened(kids) {
      const out = new Map<string, StatusList>();
      const lists = await Promise.allSettled([...new Set(kids)].map((kid) => get(kid)));
      for (const l of lists) if (l.status === 'fulfilled') out.set(l.value.kid, l.value.list);
      return out;
    },
  };
}
