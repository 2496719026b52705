import type { Ed25519 } from '@eid/shared';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Leases } from '../../infra/lease';
import type { Logger } from '../../infra/logger';
import type { FederationService } from '../federation/federation.types';
import type { UsageAuditReader } from '../usage/usage.types';
import type { AuditRepository } from './audit.repository';

/** What every use case of the audit module reads from. */
export interface AuditDeps {
  repo: AuditRepository;
  usage: UsageAuditReader;
  /** Moves this process's usage heads now, so a checkpoint holds what was recorded up to it. */
  flushHeads(): Promise<void>;
  /** The account an ID number's blind index is bound to (the enrollment's); null when none. */
  holderOf(idIndex: string): Promise<string | null>;
  keys: KeyStore;
  clock: Clock;
  logger: Logger;
  leases: Leases;
  /** This node's province code: its log's origin is `eid-usage-heads/<province>`. */
  province: string;
  federation: Pick<FederationService, 'current' | 'nodeClient'>;
  ed25519: Ed25519;
  /** This process, as holder of the checkpoint lease. */
  processId: string;
}
