import type { Connection } from 'mongoose';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { PartyDirectory } from '../party/party.types';
import type { SignInBroker } from '../signin/signin.types';

/** What the OpenID provider is built over (app.ts). */
export interface OidcDeps {
  db: Connection;
  parties: PartyDirectory;
  signins: SignInBroker;
  keys: KeyStore;
  clock: Clock;
  logger: Logger;
  config: Config;
}
