import type { Connection } from 'mongoose';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { CardService } from '../card/card.types';
import type { IdentityService } from '../enrollment/enrollment.types';
import type { PartyDirectory } from '../party/party.types';
import type { PasscodeChecker } from '../passcode/passcode.types';
import type { UsageRecorder } from '../usage/usage.types';

/** What the sign-in module is built over (app.ts). */
export interface SignInDeps {
  db: Connection;
  parties: PartyDirectory;
  card: CardService;
  identity: IdentityService;
  passcodes: PasscodeChecker;
  usage: UsageRecorder;
  keys: KeyStore;
  clock: Clock;
  logger: Logger;
  config: Config;
}
