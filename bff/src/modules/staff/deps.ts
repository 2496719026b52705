import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { StaffRepository } from './staff.repository';

/** What the staff module is built over (app.ts), and what each of its use cases takes. */
export interface StaffServiceDeps {
  repo: StaffRepository;
  keys: KeyStore;
  clock: Clock;
  config: Pick<
    Config,
    | 'staffDevAccount'
    | 'staffDevAdmin'
    | 'staffDevOthers'
    | 'staffTotpRequired'
    | 'ACCESS_TOKEN_TTL_S'
    | 'STAFF_IDLE_TIMEOUT_S'
    | 'STAFF_SESSION_MAX_S'
  >;
  logger: Logger;
}
