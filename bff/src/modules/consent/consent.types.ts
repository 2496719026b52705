/**
 * What other modules may use of the consent module (issue 16): the live consents the relying-party verify
 * reads to decide what a party may see. Wire shapes are in shared/src/api/party.ts.
 */

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
