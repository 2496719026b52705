import {
  beijingDate,
  documentTypes,
  type Ed25519,
  type LicenceFaceValue,
  type LicenceStatus,
  type UsageActor,
} from '@eid/shared';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Leases } from '../../infra/lease';
import type { Logger } from '../../infra/logger';
import type { IdentityService } from '../enrollment/enrollment.types';
import { systemActor, type Disclosure, type DisclosureEvent, type UsageRecorder } from '../usage/usage.types';
import type { IssuerDirectory } from './issuers';
import type { LicenceSystemClient } from './licence-client';
import type { DocumentRow, LicenceRepository } from './licence.repository';
import type { LicenceStatusLists } from './status-lists';

/** What the licence use cases work with; licence.service.ts builds it once. */
export interface LicenceDeps {
  repo: LicenceRepository;
  client: LicenceSystemClient;
  /** The issuing bodies of the licence system (cached) and the signed licence-issuer list. */
  issuers: IssuerDirectory;
  statusLists: LicenceStatusLists;
  keys: KeyStore;
  clock: Clock;
  logger: Logger;
  usage: UsageRecorder;
  identity: Pick<IdentityService, 'getVerifiedIdentity'>;
  /** One process at a time reads the change feed. */
  leases: Leases;
  ed25519: Ed25519;
}

/** The purpose the wallet's own pulls, links and unlinks are recorded under. */
export const WALLET_PURPOSE = 'licence_wallet';
/** Who pulls for the wallet, as the resident's trace shows it. */
export const WALLET_ACTOR: UsageActor = systemActor('licence-wallet', '电子证照夹');
/** Who refreshes wallets from the change feed. */
export const REFRESH_ACTOR: UsageActor = systemActor('licence-refresh', '电子证照自动更新');

/** A document as it is sealed at rest: what the licence system gave, and what the wallet shows of it. */
export interface StoredDocument {
  /** The licence system's id (stable across renewals). */
  docId: string;
  type: string;
  identifier: string;
  /** The issuing body's word: valid, revoked or suspended. */
  systemStatus: 'valid' | 'revoked' | 'suspended';
  issuerKid: string;
  documentNumber: string;
  /** YYYY-MM-DD; absent for long-term. */
  validUntil?: string;
  /** The face's fields that are present. */
  face: Record<string, LicenceFaceValue>;
  /** base64url */
  credential: string;
  /** base64url of the document secrets. */
  secrets: string;
  updatedAt: number;
}

const sealAad = (residentId: string, walletId: string) => `licence.document:${residentId}:${walletId}`;

/** The wallet's id of a document: a keyed digest, so the licence system's id is not an index in clear. */
export function walletIdOf(keys: Pick<KeyStore, 'blindIndex'>, residentId: string, docId: string): string {
  return `lw_${keys.blindIndex('licence.document', `${residentId}\u0000${docId}`).slice(0, 24)}`;
}

/** The keyed index a change-feed entry's holder key finds its wallet by. */
export const holderIndexOf = (keys: Pick<KeyStore, 'blindIndex'>, holderKey: string): string =>
  keys.blindIndex('licence.holder', holderKey);

export function sealDocument(
  keys: KeyStore,
  residentId: string,
  walletId: string,
  doc: StoredDocument,
): string {
  return keys.seal(JSON.stringify(doc), sealAad(residentId, walletId));
}

export function openDocument(keys: KeyStore, row: DocumentRow): StoredDocument {
  return JSON.parse(keys.open(row.sealed, sealAad(row.residentId, row.walletId))) as StoredDocument;
}

/**
 * The status the wallet shows: the issuing body's revocation or suspension first, then expiry judged from
 * `validUntil` against Beijing's date at `now` (a document is valid through its last day).
 */
export function judgeStatus(
  systemStatus: StoredDocument['systemStatus'],
  validUntil: string | undefined,
  now: number,
): LicenceStatus {
  if (systemStatus !== 'valid') return systemStatus;
  if (validUntil !== undefined && validUntil < beijingDate(now)) return 'expired';
  return 'valid';
}

/** Sorts documents in the registry's order of types, then by document number. */
export function inWalletOrder<T extends Pick<StoredDocument, 'type' | 'documentNumber'>>(docs: T[]): T[] {
  const rank = new Map(documentTypes().map((t, i) => [t.name, i]));
  const of = (t: string) => rank.get(t) ?? Number.MAX_SAFE_INTEGER;
  return docs.sort(
    (a, b) =>
      of(a.type) - of(b.type) ||
      (a.documentNumber < b.documentNumber ? -1 : a.documentNumber > b.documentNumber ? 1 : 0),
  );
}

/** Records on a path that is failing anyway: a lost record must not hide the cause. */
export async function recordQuietly(
  deps: Pick<LicenceDeps, 'logger'>,
  trace: Disclosure,
  event: DisclosureEvent,
) {
  await trace.record(event).catch((err: unknown) => {
    deps.logger.error({ action: event.action, err }, 'usage record failed');
  });
}
