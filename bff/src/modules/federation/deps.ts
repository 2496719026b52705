import type { Connection } from 'mongoose';
import {
  base64urlDecode,
  parseVerifierKey,
  type BundleTrust,
  type Ed25519,
  type NationalTrustList,
} from '@eid/shared';
import { ConfigError, type Config } from '../../config';
import type { Clock } from '../../infra/clock';
import { devFederationKeys, devLogVerifierKey, type KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { ReplayStore } from '../../infra/replay-store';
import type { FederationRepository } from './federation.repository';
import type { AcceptedList } from './federation.types';
import type { PeerPolicies } from './resilience';

/** How far a list's times may be from this node's clock (the bound). */
export const FEDERATION_SKEW_MS = 5 * 60_000;

/** The provinces a development node pins the witnesses of when FEDERATION_WITNESSES is unset. */
export const DEV_FEDERATION_PROVINCES = ['37', '42', '11'] as const;

/** This node's own signed status lists (the card module's), for the terminal bundle. */
export interface OwnStatusLists {
  kids(): string[];
  signed(kid: string): Promise<{ bytes: Uint8Array; issuedAt: number }>;
}

export interface FederationServiceDeps {
  db: Connection;
  keys: KeyStore;
  clock: Clock;
  config: Config;
  logger: Logger;
  replays: ReplayStore;
  ownStatusLists: OwnStatusLists;
  /** fetch, for outgoing calls; a test may pass one that counts. */
  fetch?: typeof fetch;
}

/** What the pinned trust of this node is, and the log it witnesses. */
export interface PinnedTrust {
  nationalUrl: string;
  bundleTrust: BundleTrust;
  /** The national log's origin line (its verifier key's name). */
  logOrigin: string;
  logKey: string;
}

/** Everything a use case of this module works with. */
export interface FederationDeps {
  repo: FederationRepository;
  keys: KeyStore;
  clock: Clock;
  config: Config;
  logger: Logger;
  replays: ReplayStore;
  ed25519: Ed25519;
  fetch: typeof fetch;
  policies: PeerPolicies;
  ownStatusLists: OwnStatusLists;
  /** Undefined when FEDERATION_NATIONAL_URL is unset: a standalone node. */
  pinned: PinnedTrust | undefined;
  /** The list this process holds; every process reloads the stored one (another may have taken a push). */
  held: { current: AcceptedList | undefined };
}

/**
 * The trust a federated node pins from its own configuration: the national root, the log key, the witnesses
 * and the quorum. Outside production a missing one falls back to the development national's (derived from
 * the public development seed, like every development key); in production each is required.
 */
export function pinnedTrustOf(config: Config, keys: KeyStore): PinnedTrust | undefined {
  const nationalUrl = config.FEDERATION_NATIONAL_URL;
  if (!nationalUrl) return undefined;
  const production = config.NODE_ENV === 'production';
  const need = (name: string): never => {
    throw new ConfigError(name, 'is required when FEDERATION_NATIONAL_URL is set');
  };

  let rootPublicKey: Uint8Array;
  if (config.FEDERATION_ROOT_PUBLIC_KEY) rootPublicKey = base64urlDecode(config.FEDERATION_ROOT_PUBLIC_KEY);
  // Without EID_TRUST_ROOT_KEY this node's root is the development root a development national signs with.
  else if (!production && !config.EID_TRUST_ROOT_KEY) rootPublicKey = keys.trustRootPublicKey();
  else return need('FEDERATION_ROOT_PUBLIC_KEY');

  const logKey =
    config.FEDERATION_LOG_KEY ??
    (production ? need('FEDERATION_LOG_KEY') : devLogVerifierKey(config.NATIONAL_LOG_ORIGIN));
  let logOrigin: string;
  try {
    logOrigin = parseVerifierKey(logKey).name;
  } catch (err) {
    throw new ConfigError('FEDERATION_LOG_KEY', `is not a C2SP verifier key: ${(err as Error).message}`);
  }

  const listed = config.FEDERATION_WITNESSES.split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '');
  const witnessVerifierKeys =
    listed.length > 0
      ? listed
      : production
        ? need('FEDERATION_WITNESSES')
        : DEV_FEDERATION_PROVINCES.map((p) => devFederationKeys(p).witnessVerifierKey);
  for (const w of witnessVerifierKeys) {
    try {
      parseVerifierKey(w);
    } catch (err) {
      throw new ConfigError(
        'FEDERATION_WITNESSES',
        `holds a key that is not a C2SP verifier key: ${(err as Error).message}`,
      );
    }
  }
  if (config.FEDERATION_QUORUM > witnessVerifierKeys.length)
    throw new ConfigError(
      'FEDERATION_QUORUM',
      `is more than the ${witnessVerifierKeys.length} pinned witnesses`,
    );

  return {
    nationalUrl: nationalUrl.replace(/\/+$/, ''),
    bundleTrust: {
      rootPublicKey,
      logVerifierKey: logKey,
      witnessVerifierKeys,
      quorum: config.FEDERATION_QUORUM,
      skewMs: FEDERATION_SKEW_MS,
    },
    logOrigin,
    logKey,
  };
}

/** The accepted list while it is valid (its expiry plus the skew), else undefined. */
export function liveList(deps: Pick<FederationDeps, 'held' | 'clock'>): NationalTrustList | undefined {
  const held = deps.held.current;
  if (!held) return undefined;
  return deps.clock.now() <= held.list.expiresAt + FEDERATION_SKEW_MS ? held.list : undefined;
}

/** The base URL of a province's node in the list (no trailing slash), or undefined. */
export function nodeUrlOf(list: NationalTrustList, province: string): string | undefined {
  return list.provinces.find((p) => p.province === province)?.url.replace(/\/+$/, '');
}
