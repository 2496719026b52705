import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import type { CallbackQueue } from '../callbacks/callbacks.types';
import type { ConsentLookup } from '../consent/consent.types';
import type { PartyDirectory } from '../party/party.types';
import type { VerifyService } from '../verify/verify.types';

export interface RpVerifyDeps {
  verify: VerifyService;
  parties: PartyDirectory;
  consents: ConsentLookup;
  callbacks: CallbackQueue;
  clock: Clock;
  logger: Logger;
}

// PLACEHOLDER (issue 16 skeleton): the rp-verify helper replaces this file.
export function createRpVerifyService(_deps: RpVerifyDeps) {
  return {};
}

export type RpVerifyService = ReturnType<typeof createRpVerifyService>;
