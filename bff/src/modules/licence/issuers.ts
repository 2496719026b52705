import {
  AppError,
  isStrictEd25519PublicKey,
  isValidUscc,
  licenceIssuerListOf,
  signLicenceIssuerList,
  type LicenceIssuer,
  type LicenceIssuerList,
} from '@eid/shared';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import { etagOf, type SignedDocument } from '../../middleware/conditional-get';
import { TRUST_ROOT_KID } from '../trust/trust.types';
import type { LicenceSystemClient } from './licence-client';

const HOUR = 3_600_000;
/** How long the issuing bodies fetched from the licence system are used before asking again. */
export const ISSUERS_FRESH_MS = HOUR;
/** How long a signed licence-issuer list vouches for its bodies (docs/formats/licence-codes.md). */
export const ISSUER_LIST_LIFETIME_MS = 7 * 24 * HOUR;
/** A document naming a key id we do not know asks the licence system again, at most this often. */
const MISS_REFETCH_MS = 60_000;

/** The signed licence-issuer list with what its HTTP answer needs. */
export interface SignedIssuerList extends SignedDocument {
  expiresAt: number;
  sequence: number;
}

export interface IssuerDirectory {
  /** The issuing bodies as a verifier's list (in memory, unsigned); fetched when stale. */
  list(): Promise<LicenceIssuerList>;
  /** The body of `kid`, asking the licence system again (rate-limited) when it is not known. */
  byKid(kid: string): Promise<LicenceIssuer | undefined>;
  /** The list signed by the trust root: the same bytes at every process within the hour. */
  signed(): Promise<SignedIssuerList>;
}

interface Held {
  issuers: LicenceIssuer[];
  /** Epoch ms of the fetch. */
  fetchedAt: number;
  /** The hour the signed list is issued for, and the list. */
  signed?: SignedIssuerList;
}

/**
 * The issuing bodies of the licence system (its unsigned, self-describing `GET /issuers`), kept in memory
 * and asked again every hour; while the system is down the bodies held are used until a list signed of them
 * would have expired. The signed list is issued at the start of the hour, with the hour as its sequence, so
 * every process signs the same bytes for the same bodies (Ed25519 is deterministic) and a verifier never sees
 * the sequence go back.
 */
export function createIssuerDirectory(deps: {
  client: Pick<LicenceSystemClient, 'issuers'>;
  keys: Pick<KeyStore, 'signAsTrustRoot'>;
  clock: Clock;
  logger: Logger;
}): IssuerDirectory {
  let held: Held | undefined;
  let fetching: Promise<Held> | undefined;
  let lastMiss = -Infinity;

  async function fetchBodies(): Promise<Held> {
    const now = deps.clock.now();
    const bodies = await deps.client.issuers();
    // One body the list would refuse must not take every other one down with it.
    const issuers = bodies.filter((b) => isValidUscc(b.uscc) && isStrictEd25519PublicKey(b.publicKey));
    if (issuers.length < bodies.length) {
      deps.logger.warn(
        { refused: bodies.length - issuers.length },
        'licence system lists issuing bodies we refuse',
      );
    }
    const unique = [...new Map(issuers.map((i) => [i.kid, i])).values()].sort((a, b) =>
      a.kid < b.kid ? -1 : 1,
    );
    return {
      issuers: unique.map(({ kid, uscc, name, publicKey }) => ({ kid, uscc, name, publicKey })),
      fetchedAt: now,
    };
  }

  /** The bodies, fetched once when stale (concurrent callers share the fetch); stale ones while it fails. */
  async function current(force = false): Promise<Held> {
    const now = deps.clock.now();
    if (held && !force && now - held.fetchedAt < ISSUERS_FRESH_MS) return held;
    fetching ??= fetchBodies().finally(() => {
      fetching = undefined;
    });
    try {
      const fetched = await fetching;
      const same = held && sameBodies(held.issuers, fetched.issuers);
      held = same ? { ...fetched, ...(held!.signed && { signed: held!.signed }) } : fetched;
      return held;
    } catch (err) {
      if (held && now - held.fetchedAt < ISSUER_LIST_LIFETIME_MS) return held;
      throw err;
    }
  }

  return {
    async list() {
      const { issuers, fetchedAt } = await current();
      return licenceIssuerListOf(issuers, fetchedAt, fetchedAt + ISSUER_LIST_LIFETIME_MS);
    },

    async byKid(kid) {
      const found = (await current()).issuers.find((i) => i.kid === kid);
      if (found) return found;
      const now = deps.clock.now();
      if (now - lastMiss < MISS_REFETCH_MS) return undefined;
      lastMiss = now;
      return (await current(true)).issuers.find((i) => i.kid === kid);
    },

    async signed() {
      const state = await current();
      const issuedAt = Math.floor(deps.clock.now() / HOUR) * HOUR;
      if (state.signed?.issuedAt === issuedAt) return state.signed;
      if (state.issuers.length === 0) {
        throw new AppError(
          'LICENCE_SYSTEM_UNAVAILABLE',
          'The electronic licence system lists no issuing body',
          {
            retryable: false,
          },
        );
      }
      const sequence = issuedAt / HOUR;
      const expiresAt = issuedAt + ISSUER_LIST_LIFETIME_MS;
      const bytes = signLicenceIssuerList(
        { sequence, issuedAt, expiresAt, issuers: state.issuers },
        TRUST_ROOT_KID,
        (tbs) => deps.keys.signAsTrustRoot(tbs),
      );
      state.signed = { bytes, issuedAt, expiresAt, sequence, etag: etagOf(bytes) };
      return state.signed;
    },
  };
}

function sameBodies(a: readonly LicenceIssuer[], b: readonly LicenceIssuer[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (x, i) =>
        x.kid === b[i]!.kid &&
        x.uscc === b[i]!.uscc &&
        x.name === b[i]!.name &&
        Buffer.from(x.publicKey).equals(Buffer.from(b[i]!.publicKey)),
    )
  );
}
