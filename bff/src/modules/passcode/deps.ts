import type { Connection } from 'mongoose';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { IdentityService } from '../enrollment/enrollment.types';
import type { UsageRecorder } from '../usage/usage.types';

/** What the passcode module is built over (app.ts). */
export interface PasscodeDeps {
  db: Connection;
  identity: IdentityService;
  usage: UsageRecorder;
  keys: KeyStore;
  clock: Clock;
  logger: Logger;
  config: Config;
}
