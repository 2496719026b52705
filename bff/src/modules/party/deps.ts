import { AppError, isGovernmentCategory, type Ed25519, type PartyView } from '@eid/shared';
import type { Config } from '../../config';
import type { AllowList } from '../../infra/safe-http';
import type { Clock } from '../../infra/clock';
import type { Counters } from '../../infra/counter';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { ReplayStore } from '../../infra/replay-store';
import type { PartyKeyRecord, PartyRecord, PartyRepository } from './party.repository';
import type { Party } from './party.types';

/** What the party use cases work with; party.service.ts builds it once. */
export interface PartyDeps {
  repo: PartyRepository;
  keys: Pick<
    KeyStore,
    | 'seal'
    | 'open'
    | 'partyRegistryKid'
    | 'partyRegistryPublicKey'
    | 'signAsPartyRegistry'
    | 'signAsTrustRoot'
    | 'pairwiseSubject'
  >;
  clock: Clock;
  config: Pick<Config, 'CALLBACK_ALLOW_HOSTS' | 'PARTY_RATE_PER_MINUTE' | 'PARTY_QUOTA_PER_DAY'>;
  logger: Logger;
  replays: ReplayStore;
  counters: Pick<Counters, 'hit'>;
  ed25519: Ed25519;
  cache: PartyCache;
  /** CALLBACK_ALLOW_HOSTS, parsed: plain-http or internal callback hosts that may still be registered. */
  allow: AllowList;
}

/** The one answer for a party that does not exist. */
export function notFound(): AppError {
  return new AppError('NOT_FOUND', 'No such party');
}

/** A key is retired from its stated time on (`retiresAt <= now`). */
export const isRetired = (key: Pick<PartyKeyRecord, 'retiresAt'>, now: number): boolean =>
  key.retiresAt !== undefined && key.retiresAt <= now;

/** The party as other modules see it: never a secret. */
export function partyOf(p: PartyRecord): Party {
  return {
    id: p.id,
    name: p.name,
    uscc: p.uscc,
    category: p.category,
    government: isGovernmentCategory(p.category),
    grants: p.grants,
    retentionDays: p.retentionDays,
    callbackUrl: p.callbackUrl,
    ...(p.callbackDisabledAt !== undefined && { callbackDisabledAt: p.callbackDisabledAt }),
    status: p.status,
    limits: p.limits,
    ...(p.signIn && { signIn: p.signIn }),
    registration: p.registration,
  };
}

/** What admin staff see of a party: its keys and the ids of its live webhook secrets, newest first. */
export function partyView(p: PartyRecord, keys: PartyKeyRecord[], now: number): PartyView {
  return {
    id: p.id,
    name: p.name,
    uscc: p.uscc,
    category: p.category,
    grants: p.grants,
    retentionDays: p.retentionDays,
    callbackUrl: p.callbackUrl,
    ...(p.callbackDisabledAt !== undefined && { callbackDisabledAt: p.callbackDisabledAt }),
    keys: keys.map((k) => ({
      kid: k.kid,
      publicKey: k.publicKey,
      addedAt: k.addedAt,
      ...(k.retiresAt !== undefined && { retiresAt: k.retiresAt }),
    })),
    webhookSecrets: liveSecrets(p, now).map((s) => ({
      id: s.id,
      createdAt: s.createdAt,
      ...(s.retiresAt !== undefined && { retiresAt: s.retiresAt }),
    })),
    limits: p.limits,
    status: p.status,
    ...(p.signIn && { signIn: p.signIn }),
    registration: p.registration,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

/** The webhook secrets that still sign at `now`, newest first. */
export function liveSecrets(
  p: Pick<PartyRecord, 'webhookSecrets'>,
  now: number,
): PartyRecord['webhookSecrets'] {
  return p.webhookSecrets
    .filter((s) => s.retiresAt === undefined || s.retiresAt > now)
    .sort((a, b) => b.createdAt - a.createdAt);
}

/** The party or NOT_FOUND. */
export async function partyOrNotFound(deps: Pick<PartyDeps, 'repo'>, id: string): Promise<PartyRecord> {
  const p = await deps.repo.byId(id);
  if (!p) throw notFound();
  return p;
}

/** The admin view of a party as it stands in the database. */
export async function viewOf(deps: Pick<PartyDeps, 'repo' | 'clock'>, id: string): Promise<PartyView> {
  const [p, keys] = await Promise.all([partyOrNotFound(deps, id), deps.repo.keysOf(id)]);
  return partyView(p, keys, deps.clock.now());
}

/**
 * Applies `change` to the party as it stands and writes it by compare-and-set, reading again when another
 * request or process wrote in between. `change` returns the fields to set, or undefined for no write. Drops
 * this process's cached copies of the party. The record as written (or as it stood, without a write).
 */
export async function changeParty(
  deps: Pick<PartyDeps, 'repo' | 'clock' | 'cache'>,
  partyId: string,
  staffId: string | undefined,
  change: (
    p: PartyRecord,
    now: number,
  ) => Partial<PartyRecord> | undefined | Promise<Partial<PartyRecord> | undefined>,
): Promise<PartyRecord> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const p = await partyOrNotFound(deps, partyId);
    const now = deps.clock.now();
    const set = await change(p, now);
    if (!set) return p;
    const full = { ...set, updatedAt: now, ...(staffId !== undefined && { updatedBy: staffId }) };
    const written = await deps.repo.replace(partyId, p.rev, full);
    deps.cache.forget(partyId);
    if (written) return { ...p, ...full, rev: p.rev + 1 };
  }
  throw new AppError('CONFLICT', 'The party is being changed by someone else; try again');
}

/** How long a looked-up party or key is reused by the signed-request guard before it is read again. */
export const LOOKUP_TTL_MS = 3_000;

interface Cached<T> {
  value: T;
  until: number;
}

/**
 * Short-lived copies of parties and keys for the signed-request guard, which would otherwise read both on
 * every request. A change made by this process drops its copies at once; one made by another process is
 * seen within LOOKUP_TTL_MS. What must hold exactly (a key's retirement time, a secret's) is compared with
 * the clock on every use, never cached as a verdict. Expiry runs on the real monotonic clock: a test's manual
 * clock jumping hours ahead must not keep a stale party.
 */
export function createPartyCache(repo: PartyRepository, ttlMs = LOOKUP_TTL_MS) {
  const parties = new Map<string, Cached<PartyRecord | null>>();
  const keys = new Map<string, Cached<PartyKeyRecord | null>>();
  const MAX = 10_000;
  const now = () => performance.now();

  async function through<T>(map: Map<string, Cached<T>>, id: string, load: () => Promise<T>): Promise<T> {
    const hit = map.get(id);
    if (hit && hit.until > now()) return hit.value;
    const value = await load();
    if (map.size >= MAX) map.delete(map.keys().next().value!);
    map.set(id, { value, until: now() + ttlMs });
    return value;
  }

  return {
    party: (id: string) => through(parties, id, () => repo.byId(id)),
    key: (kid: string) => through(keys, kid, () => repo.keyById(kid)),
    /** Forgets a party and every key of it this process holds (after a write). */
    forget(partyId: string): void {
      parties.delete(partyId);
      for (const [kid, entry] of keys)
        if (entry.value === null || entry.value.partyId === partyId) keys.delete(kid);
    },
  };
}

export type PartyCache = ReturnType<typeof createPartyCache>;
