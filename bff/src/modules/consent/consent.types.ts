/**
 * What other modules may use of the consent module (issue 16): the live consents the relying-party verify
 * reads to decide what a party may see, and the service app.ts composes. Wire shapes are in
 * shared/src/api/party.ts.
 */
import type {
  CreateConsentRequest,
  DeletionAckRequest,
  DeletionProof,
  PartyConsentView,
  ResidentConsentView,
  ResidentPartiesAnswer,
} from '@eid/shared';
import type { IdentityWithdrawnHook, SealedStore } from '../enrollment/enrollment.types';
import type { Party, VerifiedPartyRequest } from '../party/party.types';

/** The card fields of scopes from a verified identity: remote sign-in's ID-token claims use the same. */
export { claimsOf, type Claims } from './deps';

export interface LiveConsent {
  id: string;
  /** The approved scopes. */
  scopes: string[];
}

export interface ConsentLookup {
  /** The newest approved, not withdrawn consent of the resident for the party and purpose; undefined when none. */
  liveConsent(partyId: string, residentId: string, purpose: string): Promise<LiveConsent | undefined>;
  /** Records that the party used the consent now (`lastUsedAt` on the resident's page). */
  touch(consentId: string, at: number): Promise<void>;
}

/** The consent module's service as app.ts and background.ts use it; the routes call the rest. */
export interface ConsentService extends ConsentLookup {
  /** A party asks (signed `POST /api/v1/rp/consents`). */
  create(party: Party, input: CreateConsentRequest): Promise<PartyConsentView>;
  /** The party polls its consent; the approved data while approved (each read in the resident's trace). */
  forParty(party: Party, id: string, requestId?: string): Promise<PartyConsentView>;
  /** The party's signed acknowledgement of a deletion, kept as proof. */
  acknowledgeDeletion(
    signed: VerifiedPartyRequest,
    id: string,
    input: DeletionAckRequest,
    /** A header field of the request as received: the proof keeps those the signature covers. */
    header: (name: string) => string,
    requestId?: string,
  ): Promise<PartyConsentView>;
  /** The resident opens a request code; the first to open it becomes its resident. */
  open(residentId: string, requestCode: string, requestId?: string): Promise<ResidentConsentView>;
  forResident(residentId: string, id: string, requestId?: string): Promise<ResidentConsentView>;
  approve(residentId: string, id: string, requestId?: string): Promise<ResidentConsentView>;
  decline(residentId: string, id: string, requestId?: string): Promise<ResidentConsentView>;
  withdraw(residentId: string, id: string, requestId?: string): Promise<ResidentConsentView>;
  /** Every party holding or having held a consent of the resident. */
  parties(residentId: string): Promise<ResidentPartiesAnswer>;
  /** The kept acknowledgement; NOT_FOUND until the party confirmed. */
  deletionProof(residentId: string, id: string): Promise<DeletionProof>;
  /**
   * Expires unanswered requests past their time (consent.expired); what the background timer runs.
   * `failed` counts those whose transaction failed this time (left for the next sweep).
   */
  sweepExpired(): Promise<{ expired: number; failed: number }>;
  /** Withdraws every live consent when the resident's identity stops being valid (an enrollment hook). */
  onIdentityWithdrawn: IdentityWithdrawnHook;
  /** The sealed claims and secrets, for the master-key re-wrap. */
  sealedStore: SealedStore;
  /** Runs sweepExpired every `intervalMs`; the returned function stops it and waits for a run in flight. */
  startSweeps(intervalMs: number): () => Promise<void>;
}
