import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import type { CallbackQueue } from '../callbacks/callbacks.types';
import type { ConsentLookup } from '../consent/consent.types';
import type { PartyDirectory } from '../party/party.types';
import type { VerifyService } from '../verify/verify.types';

/** What the relying-party verify uses of other modules (app.ts passes them). */
export interface RpVerifyDeps {
  /** The online check (format, issuer, signatures, time, live status, single use, trace). */
  verify: Pick<VerifyService, 'check'>;
  parties: Pick<PartyDirectory, 'grantOf' | 'subjectOf'>;
  consents: ConsentLookup;
  callbacks: CallbackQueue;
  clock: Clock;
  logger: Logger;
}
