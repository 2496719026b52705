import { createHash } from 'node:crypto';
import {
  AppError,
  agePredicates,
  base64urlEncode,
  fieldsOfScopes,
  type CallbackEvent,
  type CallbackEventType,
  type CardField,
  type ConsentDocument,
  type DocValue,
} from '@eid/shared';
import type { ClientSession } from 'mongoose';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { CallbackQueue } from '../callbacks/callbacks.types';
import { faceView, residenceProvinceOf } from '../card/card.types';
import type { IdentityFace, IdentityService } from '../enrollment/enrollment.types';
import type { LicenceService } from '../licence/licence.types';
import type { Party, PartyDirectory } from '../party/party.types';
import { systemActor, type Disclosure, type UsageActor, type UsageRecorder } from '../usage/usage.types';
import type { ConsentRecord, ConsentRepository } from './consent.repository';

/** What the consent use cases work with; consent.service.ts builds it once. */
export interface ConsentDeps {
  repo: ConsentRepository;
  parties: Pick<PartyDirectory, 'get' | 'grantOf' | 'subjectOf'>;
  callbacks: CallbackQueue;
  usage: UsageRecorder;
  identity: Pick<IdentityService, 'getVerifiedIdentity'>;
  documents: Pick<LicenceService, 'documentsFor'>;
  keys: Pick<KeyStore, 'seal' | 'open' | 'issuerKeys' | 'activeIssuerKid'>;
  clock: Clock;
  logger: Logger;
  config: Pick<Config, 'MINIAPP_URL' | 'DELETION_ACK_DAYS'>;
}

export type Claims = Partial<Record<CardField, string | boolean>>;

/** What is sealed under a consent: the code's secret while pending, the handed-over data while approved. */
export type SealedConsent = { secret: string } | { claims: Claims; documents: ConsentDocument[] };

/** The one answer for a consent that does not exist and for one that is not the caller's: no existence oracle. */
export function notFound(): AppError {
  return new AppError('NOT_FOUND', 'No such consent');
}

export function expired(): AppError {
  return new AppError(
    'CONSENT_REQUEST_EXPIRED',
    'This consent request has expired; ask the party for a new one',
  );
}

export function wrongState(
  state: string,
  message = 'This consent is not in a state that allows this',
): AppError {
  return new AppError('CONSENT_WRONG_STATE', message, { state });
}

/** base64url SHA-256 of a request code's secret: all the BFF keeps of it in clear. */
export const secretHashOf = (secret: string): string =>
  createHash('sha256').update(secret, 'utf8').digest('base64url');

const aadOf = (id: string) => `consent:${id}:sealed`;

export function seal(deps: Pick<ConsentDeps, 'keys'>, id: string, value: SealedConsent): string {
  return deps.keys.seal(JSON.stringify(value), aadOf(id));
}

export function openSealed(deps: Pick<ConsentDeps, 'keys'>, c: ConsentRecord): SealedConsent | undefined {
  return c.sealed ? (JSON.parse(deps.keys.open(c.sealed, aadOf(c.id))) as SealedConsent) : undefined;
}

/** The party as the resident's trace names it: its registered name, its credit code as the organisation. */
export function partyActor(party: Pick<Party, 'id' | 'name' | 'uscc'>): UsageActor {
  return { type: 'third_party', id: party.id, displayName: party.name, org: party.uscc };
}

/** The BFF acting on its own: expiries, withdrawals an identity's end forces. */
export const CONSENT_ACTOR = systemActor('consent', '第三方授权服务');

/** The registered party, or NOT_FOUND (a party removed since: nothing more happens with its consents). */
export async function partyOf(deps: Pick<ConsentDeps, 'parties'>, partyId: string): Promise<Party> {
  const party = await deps.parties.get(partyId);
  if (!party) throw notFound();
  return party;
}

/**
 * The resident's trace for one consent, bound to its purpose. Every event names the consent and the party;
 * a step that happens once per consent (approved, withdrawn, ...) is recorded once, whichever request or
 * process gets there first.
 */
export function consentTrace(
  deps: Pick<ConsentDeps, 'usage'>,
  c: ConsentRecord & { residentId: string },
  actor: UsageActor,
  requestId?: string,
): Disclosure & { once(e: Parameters<Disclosure['record']>[0], step: string): Promise<boolean> } {
  const trace = deps.usage.disclosure({ residentId: c.residentId, actor, purpose: c.purpose, requestId });
  const withConsent = (e: Parameters<Disclosure['record']>[0]) => ({
    ...e,
    detail: { consent: c.id, party: c.partyId, ...e.detail },
  });
  return {
    record: (e) => trace.record(withConsent(e)),
    recordOnce: (e, key) => trace.recordOnce(withConsent(e), key),
    once: (e, step) => trace.recordOnce(withConsent(e), `consent:${c.id}:${step}`),
  };
}

/** One callback a change of state sends the party; `dueBy` for `deletion.requested`. */
export interface ConsentCallback {
  type: CallbackEventType;
  dueBy?: number;
}

/** The event of `type` for consent `c`: ids and states only, the pairwise subject once a resident answered. */
function eventOf(
  deps: Pick<ConsentDeps, 'parties'>,
  c: ConsentRecord,
  { type, dueBy }: ConsentCallback,
): { type: CallbackEventType; data: CallbackEvent['data'] } {
  const subject =
    c.residentId && (type === 'consent.approved' || type === 'consent.withdrawn')
      ? deps.parties.subjectOf(c.partyId, c.residentId)
      : undefined;
  return {
    type,
    data: {
      consentId: c.id,
      state: type === 'deletion.requested' ? 'withdrawn' : c.state,
      ...(c.reference !== undefined && { reference: c.reference }),
      ...(subject !== undefined && { subject }),
      ...(dueBy !== undefined && { dueBy }),
    },
  };
}

/**
 * Writes one change of state (`write`, a conditional update with the session) and enqueues its callbacks
 * in the same transaction: the events exist exactly when the change does, so neither a crash between the
 * two nor a failing outbox can lose one (issue 16: no event is lost). A failed enqueue fails the whole
 * step, nothing written (the route answers 503 NOT_READY); the caller's retry finds the state unchanged
 * and does it again. The queue key `<type>:<consentId>` keeps one event per consent and type whatever
 * retries. Returns the record as written, or null when `write` changed nothing (another step won).
 *
 * One transaction rather than outbox first: an event enqueued before the conditional write would announce
 * a change that may never happen (the write can lose a race or find the request expired).
 */
export async function transition(
  deps: Pick<ConsentDeps, 'repo' | 'callbacks' | 'parties'>,
  write: (session: ClientSession) => Promise<ConsentRecord | null>,
  callbacks: readonly ConsentCallback[],
): Promise<ConsentRecord | null> {
  return deps.repo.transaction(async (session) => {
    const won = await write(session);
    if (!won) return null;
    // One after another: a session runs one operation at a time.
    for (const cb of callbacks) {
      await deps.callbacks.enqueue(won.partyId, eventOf(deps, won, cb), {
        session,
        key: `${cb.type}:${won.id}`,
      });
    }
    return won;
  });
}

/** The province of residence as a card states it: from the address, else this node's issuer province. */
function provinceOf(deps: Pick<ConsentDeps, 'keys'>, face: IdentityFace): string {
  const active = deps.keys.activeIssuerKid();
  const issuer = deps.keys.issuerKeys().find((k) => k.kid === active)?.province ?? face.idNumber.slice(0, 2);
  return residenceProvinceOf(face.address, issuer);
}

/**
 * The card fields of `scopes` from the verified identity at `now`: exactly those, nothing else (sex as the
 * registry's letter, the age predicates as booleans, the ID number masked unless `card_face` names it).
 */
export function claimsOf(
  deps: Pick<ConsentDeps, 'keys'>,
  face: IdentityFace,
  scopes: readonly string[],
  now: number,
): Claims {
  const { nextChangeAt: _next, ...ages } = agePredicates(face.birthDate, now);
  const record: Claims = {
    ...faceView(face),
    idNumber: face.idNumber,
    ...ages,
    residenceProvince: provinceOf(deps, face),
  };
  const claims: Claims = {};
  for (const field of fieldsOfScopes(scopes)) {
    const value = record[field];
    if (value !== undefined) claims[field] = value;
  }
  return claims;
}

/** A document field value as JSON carries it: bytes as base64url. */
export const wireValue = (v: DocValue | undefined): string | number | boolean | null =>
  v === undefined ? null : v instanceof Uint8Array ? base64urlEncode(v) : v;

/** The state a caller sees: a pending request past expiresAt is expired (settled on the next touch). */
export function stateAt(c: ConsentRecord, now: number): ConsentRecord['state'] {
  return c.state === 'pending' && now >= c.expiresAt ? 'expired' : c.state;
}
