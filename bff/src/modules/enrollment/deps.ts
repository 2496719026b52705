import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { Outbox } from '../../infra/outbox';
import type { FaceClient, RegistryClient } from '../../infra/upstream/types';
import type { UsageRecorder } from '../usage/usage.types';
import type { EnrollmentRepository } from './enrollment.repository';
import type { AccountEraser, IdentityWithdrawnHook, SealedStore } from './enrollment.types';
import type { PrivacyNotice } from './privacy-notice';

export interface EnrollmentServiceDeps {
  repo: EnrollmentRepository;
  keys: KeyStore;
  clock: Clock;
  config: Pick<
    Config,
    | 'REAL_NAME_ATTEMPTS_PER_DAY'
    | 'FACE_ATTEMPTS_PER_DAY'
    | 'FACE_MIN_SIMILARITY'
    | 'FACE_REVIEW_MIN_SIMILARITY'
    | 'REAUTH_TOKEN_TTL_S'
    | 'RETENTION_USAGE_DAYS'
    | 'RETENTION_CONSENT_DAYS'
    | 'RETENTION_DOCUMENT_CALL_DAYS'
    | 'RETENTION_REVIEW_DAYS'
    | 'RETENTION_CARD_DAYS'
  >;
  logger: Logger;
  usage: UsageRecorder;
  registry: Pick<RegistryClient, 'verify'>;
  face: FaceClient;
  /** Called when an identity is erased or moved; the card module's revoke goes here. */
  hooks: IdentityWithdrawnHook[];
  /** Where the hooks' events wait until they ran (hooks.ts); its worker is started by startBackgroundWork. */
  outbox: Outbox;
  accounts: AccountEraser;
  /** Other modules' values sealed under the master keys, re-wrapped with the identities (rewrap.ts). */
  sealedStores?: SealedStore[];
  notice?: PrivacyNotice;
  /** Who a staff member is, for the trace of their review decisions (the staff service's profile). */
  staffDesk?: (staffId: string) => Promise<{ id: string; displayName: string; org: string }>;
}

/** What every use-case function takes: the service's deps with the defaults filled in. */
export interface EnrollmentDeps extends EnrollmentServiceDeps {
  notice: PrivacyNotice;
}
