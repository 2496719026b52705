import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import type { CardService } from '../card/card.types';
import type { IdentityService } from '../enrollment/enrollment.types';
import type { UsageRecorder, UsageVisibility } from '../usage/usage.types';
import type { UsageEvent } from '@eid/shared';
import type { OversightRepository } from './oversight.repository';
import type { StaffDesk } from './oversight.types';

export interface OversightDeps {
  repo: OversightRepository;
  clock: Clock;
  logger: Logger;
  config: Pick<Config, 'OVERSIGHT_MAX_DEFER_S' | 'OVERSIGHT_DEFER_HOLD_S' | 'OVERSIGHT_REVEAL_WINDOW_S'>;
  identity: Pick<IdentityService, 'findByIdNumber' | 'findByResident'>;
  card: Pick<CardService, 'liveDevice'>;
  usage: UsageRecorder & UsageVisibility;
  /** One event of the resident's own (visible) trace; NOT_FOUND otherwise (usage service `get`). */
  usageEvent(residentId: string, eventId: string): Promise<UsageEvent>;
  /** The staff member's profile (staff service); throws for an account no longer active. */
  staffDesk(staffId: string): Promise<StaffDesk>;
}
