/**
 * What other modules may use of the party module (issue 16): the directory of registered relying parties,
 * the signed-request guard their `/api/v1/rp` routes sit behind, and pairwise subject identifiers. Wire
 * shapes are in shared/src/api/party.ts; docs/relying-party.md is the integrator's guide.
 */
import type { Middleware } from 'koa';
import type {
  AddPartyKeyRequest,
  PartyCreated,
  PartyGrant,
  PartyLimits,
  PartyRegistryKeys,
  PartySignIn,
  PartyKey,
  PartyView,
  RegisterPartyRequest,
  RetirePartyKeyRequest,
  RotateWebhookSecretRequest,
  SignedPartyRegistration,
  UpdatePartyRequest,
} from '@eid/shared';

/** A registered party as other modules see it: never a secret. */
export interface Party {
  id: string;
  name: string;
  uscc: string;
  category: string;
  /** True for the government categories (isGovernmentCategory). */
  government: boolean;
  grants: PartyGrant[];
  retentionDays: number;
  callbackUrl: string;
  /** Set when a callback answered 410; nothing is delivered until an admin enables it again. */
  callbackDisabledAt?: number;
  status: 'active' | 'suspended';
  limits: PartyLimits;
  /** Remote sign-in (issue 17): absent when the party is not registered for it. */
  signIn?: PartySignIn;
  registration: SignedPartyRegistration;
}

/** The verified parts of a signed request, kept by whoever needs proof of what the party sent. */
export interface VerifiedPartyRequest {
  party: Party;
  kid: string;
  /** base64url raw public key of `kid`. */
  publicKey: string;
  method: string;
  /** The @target-uri as signed (the BFF's public origin + path and query). */
  targetUri: string;
  signatureInput: string;
  signature: string;
  /** `Content-Digest` header value ('' for a request without a body). */
  contentDigest: string;
  /** Epoch seconds, as signed. */
  created: number;
  /** The raw body, UTF-8 ('' when none). */
  rawBody: string;
}

export interface PartyDirectory {
  /** The party, or undefined. */
  get(partyId: string): Promise<Party | undefined>;
  /**
   * The party's request-signing keys that verify at `at` (epoch ms): not retired by then. What the OpenID
   * provider publishes as the client's JWKS for `private_key_jwt` (issue 17).
   */
  activeKeysOf(partyId: string, at: number): Promise<PartyKey[]>;
  /** The party's grant for a purpose; undefined when it is not registered for it. */
  grantOf(party: Party, purpose: string): PartyGrant | undefined;
  /** The resident's pairwise subject identifier at the party (KeyStore.pairwiseSubject). */
  subjectOf(partyId: string, residentId: string): string;
  /** The `whsec_` secrets that sign callbacks to the party now, newest first (two during a rotation's overlap). */
  webhookSecretsOf(partyId: string): Promise<string[]>;
  /** Stops callbacks to the party (its endpoint answered 410) from `at`, epoch ms. */
  disableCallback(partyId: string, at: number): Promise<void>;
  /**
   * The guard of every `/api/v1/rp` route that is not public: verifies the RFC 9421 signature over the raw
   * body bytes before any parsing (jsonBody leaves `/api/v1/rp/` bodies unparsed in `ctx.request.rawBytes`),
   * remembers the nonce in the replay store for the window, counts the party's per-minute limit and daily
   * quota, refuses a suspended party, then parses the JSON body into `ctx.request.body` and sets
   * `ctx.state.signed`. Each refusal has its own code (shared/src/errors.ts, SIGNATURE_*, CONTENT_DIGEST_MISMATCH, PARTY_*).
   */
  requireSignedRequest(): Middleware;
}

export interface PartyService extends PartyDirectory {
  register(staffId: string, input: RegisterPartyRequest): Promise<PartyCreated>;
  update(staffId: string, partyId: string, input: UpdatePartyRequest): Promise<PartyView>;
  list(): Promise<PartyView[]>;
  view(partyId: string): Promise<PartyView>;
  addKey(staffId: string, partyId: string, input: AddPartyKeyRequest): Promise<PartyView>;
  retireKey(staffId: string, partyId: string, kid: string, input: RetirePartyKeyRequest): Promise<PartyView>;
  rotateWebhookSecret(
    staffId: string,
    partyId: string,
    input: RotateWebhookSecretRequest,
  ): Promise<PartyCreated>;
  enableCallback(staffId: string, partyId: string): Promise<PartyView>;
  /** The keys registrations are signed with, signed by the trust root (`GET /api/v1/party-registry-keys`). */
  registryKeys(): PartyRegistryKeys;
}
