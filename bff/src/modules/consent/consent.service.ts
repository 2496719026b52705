import type { Connection } from 'mongoose';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { CallbackQueue } from '../callbacks/callbacks.types';
import type { IdentityService, IdentityWithdrawnHook } from '../enrollment/enrollment.types';
import type { LicenceService } from '../licence/licence.types';
import type { PartyDirectory } from '../party/party.types';
import type { UsageRecorder } from '../usage/usage.types';
import type { ConsentLookup } from './consent.types';

export interface ConsentServiceDeps {
  db: Connection;
  parties: PartyDirectory;
  callbacks: CallbackQueue;
  usage: UsageRecorder;
  identity: IdentityService;
  documents: Pick<LicenceService, 'documentsFor'>;
  keys: KeyStore;
  clock: Clock;
  logger: Logger;
  config: Config;
}

// PLACEHOLDER (issue 16 skeleton): the consent helper replaces this file.
export function createConsentService(_deps: ConsentServiceDeps) {
  const lookup: ConsentLookup = {
    liveConsent: async () => undefined,
    touch: async () => undefined,
  };
  const onIdentityWithdrawn: IdentityWithdrawnHook = async () => undefined;
  return {
    ...lookup,
    onIdentityWithdrawn,
    /** Expires unanswered requests and marks overdue deletions; returns the stop function. */
    startSweeps(_intervalMs: number): () => Promise<void> {
      return async () => undefined;
    },
  };
}

export type ConsentService = ReturnType<typeof createConsentService>;
