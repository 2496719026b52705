import type { Connection } from 'mongoose';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { CallbackQueue } from '../callbacks/callbacks.types';
import type { IdentityService } from '../enrollment/enrollment.types';
import type { LicenceService } from '../licence/licence.types';
import type { PartyDirectory } from '../party/party.types';
import type { UsageRecorder } from '../usage/usage.types';
import { approveConsent } from './approve';
import { createConsentRepository } from './consent.repository';
import type { ConsentService } from './consent.types';
import { createConsent } from './create';
import { declineConsent } from './decline';
import { acknowledgeDeletion } from './deletion-ack';
import type { ConsentDeps } from './deps';
import { startSweeps, sweepExpired } from './expire';
import { endConsentsOf } from './identity-withdrawn';
import { deletionProof, residentConsentView, residentParties } from './list';
import { openConsent } from './open';
import { readConsent } from './read';
import { withdrawConsent } from './withdraw';

export type { ConsentService } from './consent.types';

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

/**
 * Consent requests of relying parties: a party asks (only what it is registered for), the resident opens,
 * approves, declines or withdraws, the party polls and learns each outcome by callback, and acknowledges
 * deletions with signed requests kept as proof. Each use case is its own file; this composes them over one
 * set of deps and starts nothing.
 */
export function createConsentService({ db, ...rest }: ConsentServiceDeps): ConsentService {
  const deps: ConsentDeps = { repo: createConsentRepository(db), ...rest };
  return {
    async liveConsent(partyId, residentId, purpose) {
      const c = await deps.repo.live(partyId, residentId, purpose);
      return c ? { id: c.id, scopes: [...c.scopes] } : undefined;
    },
    touch: (consentId, at) => deps.repo.touch(consentId, at),
    create: (party, input) => createConsent(deps, party, input),
    forParty: (party, id, requestId) => readConsent(deps, party, id, requestId),
    acknowledgeDeletion: (signed, id, input, header, requestId) =>
      acknowledgeDeletion(deps, signed, id, input, header, requestId),
    open: (residentId, requestCode, requestId) => openConsent(deps, residentId, requestCode, requestId),
    forResident: (residentId, id, requestId) => residentConsentView(deps, residentId, id, requestId),
    approve: (residentId, id, requestId) => approveConsent(deps, residentId, id, requestId),
    decline: (residentId, id, requestId) => declineConsent(deps, residentId, id, requestId),
    withdraw: (residentId, id, requestId) => withdrawConsent(deps, residentId, id, requestId),
    parties: (residentId) => residentParties(deps, residentId),
    deletionProof: (residentId, id) => deletionProof(deps, residentId, id),
    sweepExpired: () => sweepExpired(deps),
    onIdentityWithdrawn: (residentId, reason) => endConsentsOf(deps, residentId, reason),
    sealedStore: {
      name: 'consents',
      page: (after, limit) => deps.repo.sealedPage(after, limit),
      replace: (id, from, to) => deps.repo.replaceSealed(id, from, to),
    },
    startSweeps: (intervalMs) => startSweeps(deps, intervalMs),
  };
}
