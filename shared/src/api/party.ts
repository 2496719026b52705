/**
 * Wire shapes of relying parties (issue 16; docs/relying-party.md): registration by admin staff
 * (`/api/v1/admin/parties`), the party's own signed API (`/api/v1/rp/...`, RFC 9421), the resident's
 * consent pages (`/api/v1/consents`, `/api/v1/parties`) and the callbacks (Standard Webhooks).
 */
import type { CardField } from '../purposes';
import type { Verdict } from '../verifier';

/** One purpose a party is registered for, and the scopes it may ask for under it (shared/src/party/scopes.ts). */
export interface PartyGrant {
  purpose: string;
  /** Scope codes; `result` is implied and may be listed. */
  scopes: string[];
}

/** A request-signing key of a party: Ed25519, named by a key id unique across all parties. */
export interface PartyKey {
  kid: string;
  /** Raw 32-byte public key, base64url without padding. */
  publicKey: string;
  addedAt: number;
  /** Epoch ms from which signatures by this key are refused (`SIGNATURE_RETIRED_KEY`); absent while active. */
  retiresAt?: number;
}

export interface PartyLimits {
  /** Signed requests per minute (429 `PARTY_RATE_LIMITED`). */
  perMinute: number;
  /** Signed requests per Beijing calendar day (429 `PARTY_QUOTA_EXCEEDED`). */
  perDay: number;
}

/**
 * A party's remote sign-in registration (issue 17; docs/remote-signin.md): it becomes an OpenID client whose
 * `client_id` is the party id and who authenticates with `private_key_jwt` under its registered keys.
 */
export interface PartySignIn {
  /**
   * Exact redirect URIs, 1-5, all of one origin (the pairwise sector): `https://`, or `http://` only for
   * hosts in CALLBACK_ALLOW_HOSTS; no fragment, no user info.
   */
  redirectUris: string[];
  /** The lowest level it accepts; a request may ask higher (`acr_values`), never lower. */
  level: 1 | 2 | 3;
  /** The purpose sign-ins are recorded under: one of its grants, whose scopes bound what it may ask. */
  purpose: string;
}

/** Body of `POST /api/v1/admin/parties` (staff role `supervisor`). */
export interface RegisterPartyRequest {
  name: string;
  /** Unified social credit code (GB 32100-2015), checked. */
  uscc: string;
  /** A code of PARTY_CATEGORIES. */
  category: string;
  grants: PartyGrant[];
  /** How long the party declares it keeps data it receives, in days (1..3650). */
  retentionDays: number;
  /** `https://` (plain http only for hosts in CALLBACK_ALLOW_HOSTS). */
  callbackUrl: string;
  /** One or two keys. */
  keys: { kid: string; publicKey: string }[];
  limits?: Partial<PartyLimits>;
  /** Absent: the party cannot sign residents in. */
  signIn?: PartySignIn;
}

/** Body of `PATCH /api/v1/admin/parties/:id`: any subset; the registration is signed anew (version + 1). */
export interface UpdatePartyRequest {
  name?: string;
  grants?: PartyGrant[];
  retentionDays?: number;
  callbackUrl?: string;
  limits?: Partial<PartyLimits>;
  status?: 'active' | 'suspended';
  /** null removes sign-in. */
  signIn?: PartySignIn | null;
}

/**
 * What the registration says, as the BFF signs it (docs/formats/party-registration.md): what a resident is
 * shown as "registered for ...; may ask for ...". Canonical JSON (keys sorted) of this object is signed.
 */
export interface PartyRegistrationPayload {
  v: 1;
  partyId: string;
  name: string;
  uscc: string;
  category: string;
  grants: PartyGrant[];
  retentionDays: number;
  /** Key ids active when signed. */
  kids: string[];
  /**
   * Present only for a party registered for sign-in: the origin its redirect URIs share and its lowest
   * level, so the phone shows the return origin from a signed statement.
   */
  signIn?: { origin: string; level: 1 | 2 | 3 };
  version: number;
  /** Epoch ms. */
  signedAt: number;
}

/** A signed registration: `signature` is Ed25519 by the party-registry key `kid` over the canonical payload. */
export interface SignedPartyRegistration {
  payload: PartyRegistrationPayload;
  kid: string;
  /** base64url. */
  signature: string;
}

/** A party as admin staff see it (`GET /api/v1/admin/parties/:id`). Never holds a webhook secret. */
export interface PartyView {
  id: string;
  name: string;
  uscc: string;
  category: string;
  grants: PartyGrant[];
  retentionDays: number;
  callbackUrl: string;
  /** Set when a callback answered 410: nothing is sent until an admin enables it again. */
  callbackDisabledAt?: number;
  keys: PartyKey[];
  /** Ids (`whsec` fingerprints) of the webhook secrets that sign, newest first, with when each stops. */
  webhookSecrets: { id: string; createdAt: number; retiresAt?: number }[];
  limits: PartyLimits;
  status: 'active' | 'suspended';
  signIn?: PartySignIn;
  registration: SignedPartyRegistration;
  createdAt: number;
  updatedAt: number;
}

/** Answer of `POST /api/v1/admin/parties` and of a secret rotation: the secret is shown this once. */
export interface PartyCreated {
  party: PartyView;
  /** `whsec_` + base64 of 32 random bytes (Standard Webhooks). */
  webhookSecret: string;
}

/** Body of `POST /api/v1/admin/parties/:id/keys`. At most two keys without `retiresAt` at once. */
export interface AddPartyKeyRequest {
  kid: string;
  publicKey: string;
}

/** Body of `POST /api/v1/admin/parties/:id/keys/:kid/retire`: when it stops (epoch ms, default now, not in the past). */
export interface RetirePartyKeyRequest {
  at?: number;
}

/** Body of `POST /api/v1/admin/parties/:id/webhook-secrets`: how long the old secret keeps signing too (default 24 h). */
export interface RotateWebhookSecretRequest {
  overlapMs?: number;
}

// ---------------------------------------------------------------------------------------------------
// The party's signed API (`/api/v1/rp`)

/** Body of `POST /api/v1/rp/verify`: a bright code the party scanned, and why. */
export interface PartyVerifyRequest {
  code: string;
  purpose: string;
}

/**
 * Answer of `POST /api/v1/rp/verify`. By default the verdict and `subject` alone; `card` only with a live
 * consent of this resident for this party and purpose (its scopes' fields), or for a government body
 * registered for a legal-duty purpose (its registered scopes' fields).
 */
export interface PartyVerifyAnswer {
  verdict: Verdict;
  checkedAt: number;
  /** The resident's pairwise identifier at this party; present when the code is genuine and known here. */
  subject?: string;
  card?: Partial<Record<CardField, string | boolean>>;
  /** The consent that allowed `card`, when one did. */
  consentId?: string;
}

/** Body of `POST /api/v1/rp/consents`. */
export interface CreateConsentRequest {
  purpose: string;
  /** Every scope must be registered for the purpose (else 403 `PARTY_SCOPE_NOT_REGISTERED`). */
  scopes: string[];
  /** Why, in the party's words: 1-200 characters, shown to the resident. */
  reason: string;
  /** Days the party will keep the data; at most the registered retention (default it). */
  retentionDays?: number;
  /** Seconds the resident has to answer: 60..3600, default 600. */
  expiresInS?: number;
  /** The party's own reference (booking number...), 1-64 of [A-Za-z0-9._-], echoed back in callbacks. */
  reference?: string;
}

export type ConsentState = 'pending' | 'approved' | 'declined' | 'expired' | 'withdrawn';

/** Answer of `POST /api/v1/rp/consents` and `GET /api/v1/rp/consents/:id`. */
export interface PartyConsentView {
  id: string;
  state: ConsentState;
  purpose: string;
  scopes: string[];
  reason: string;
  retentionDays: number;
  reference?: string;
  createdAt: number;
  expiresAt: number;
  /** What the resident scans or opens: `EIDC1:<id>.<secret>`. Only while pending. */
  requestCode?: string;
  /** The mini-program link that opens it (MINIAPP_URL + the consent page + the code). Only while pending. */
  requestUrl?: string;
  answeredAt?: number;
  withdrawnAt?: number;
  /** After approval: the resident's pairwise identifier at this party. */
  subject?: string;
  /**
   * After approval and until withdrawal: the approved fields (each read is recorded in the resident's trace).
   * Document scopes add `documents`.
   */
  claims?: Partial<Record<CardField, string | boolean>>;
  documents?: ConsentDocument[];
  deletion?: DeletionStatus;
}

/** A licence-wallet document handed over under a `document:<type>` scope. */
export interface ConsentDocument {
  type: string;
  documentNumber: string;
  status: string;
  validUntil: string | null;
  values: Record<string, string | number | boolean | null>;
}

/** Body of `POST /api/v1/rp/consents/:id/deletion-ack`, signed by the party's key like every request. */
export interface DeletionAckRequest {
  /** Epoch ms the party erased the data. */
  deletedAt: number;
  /** Optional words for the resident (max 200), e.g. `已删除入住登记 #A1024`. */
  note?: string;
}

/** Where the deletion after a withdrawal stands, as the party and the resident see it. */
export interface DeletionStatus {
  requestedAt: number;
  /** requestedAt + DELETION_ACK_DAYS. */
  dueBy: number;
  state: 'confirmed' | 'pending' | 'overdue';
  /** When confirmed: the party's `deletedAt` and when the acknowledgement arrived. */
  deletedAt?: number;
  confirmedAt?: number;
  /** The party key that signed the acknowledgement. */
  confirmedByKid?: string;
  /** When overdue: whole days past `dueBy`. */
  daysOverdue?: number;
  note?: string;
}

/**
 * The signed acknowledgement as kept: everything needed to check it again later without the party's help
 * (`GET /api/v1/consents/:id/deletion-proof` for the resident).
 */
export interface DeletionProof {
  consentId: string;
  partyId: string;
  kid: string;
  /** base64url raw public key of `kid` at the time. */
  publicKey: string;
  method: string;
  targetUri: string;
  signatureInput: string;
  signature: string;
  contentDigest: string;
  /**
   * The other header fields the signature covers (lower-case names, e.g. `content-type`), as received: with
   * them the signature base is rebuilt from the proof alone.
   */
  headers?: Record<string, string>;
  /** The raw body, as received (UTF-8 JSON). */
  body: string;
  receivedAt: number;
}

/** `GET /api/v1/rp/callback-keys` (public): the BFF keys that sign callbacks (`v1a`), newest first. */
export interface CallbackKeysAnswer {
  keys: { kid: string; publicKey: string; notAfter?: number }[];
}

// ---------------------------------------------------------------------------------------------------
// Callbacks (Standard Webhooks: headers webhook-id, webhook-timestamp, webhook-signature)

export const CALLBACK_EVENT_TYPES = [
  'consent.approved',
  'consent.declined',
  'consent.expired',
  'consent.withdrawn',
  'verification.completed',
  'deletion.requested',
] as const;
export type CallbackEventType = (typeof CALLBACK_EVENT_TYPES)[number];

/**
 * The JSON body of a callback (Standard Webhooks payload). `data` carries ids and states, never personal
 * data: the party reads the approved fields with a signed `GET /api/v1/rp/consents/:id`.
 */
export interface CallbackEvent {
  type: CallbackEventType;
  /** ISO 8601. */
  timestamp: string;
  data: {
    consentId?: string;
    reference?: string;
    state?: ConsentState;
    subject?: string;
    verdict?: Verdict;
    purpose?: string;
    /** deletion.requested: by when the acknowledgement is due (epoch ms). */
    dueBy?: number;
  };
}

// ---------------------------------------------------------------------------------------------------
// The resident's side (`/api/v1/consents`, `/api/v1/parties`)

/** Body of `POST /api/v1/consents/open`: the request code scanned or opened from a link. */
export interface OpenConsentRequest {
  requestCode: string;
}

/** One field or document the resident is asked to hand over, with labels. */
export interface ConsentItem {
  scope: string;
  zh: string;
  en: string;
  /** Card field keys the scope discloses (empty for `result` and documents). */
  fields: { key: string; zh: string; en: string }[];
}

/** The party as the resident is shown it. */
export interface ConsentPartyInfo {
  id: string;
  name: string;
  uscc: string;
  category: string;
  categoryZh: string;
  categoryEn: string;
  /** The signed registration: the page checks it and says what the party is registered for. */
  registration: SignedPartyRegistration;
}

/** What the resident's consent page shows (`POST /api/v1/consents/open`, `GET /api/v1/consents/:id`). */
export interface ResidentConsentView {
  id: string;
  state: ConsentState;
  party: ConsentPartyInfo;
  purpose: { code: string; zh: string; en: string };
  reason: string;
  items: ConsentItem[];
  retentionDays: number;
  createdAt: number;
  expiresAt: number;
  answeredAt?: number;
  withdrawnAt?: number;
  lastUsedAt?: number;
  deletion?: DeletionStatus;
}

/** `GET /api/v1/parties`: every party holding (or having held) a consent of this resident. */
export interface ResidentPartiesAnswer {
  parties: {
    party: Omit<ConsentPartyInfo, 'registration'>;
    consents: ResidentConsentView[];
  }[];
}

/** `GET /api/v1/party-registry-keys` (public): the keys registrations are signed with, signed by the trust root. */
export interface PartyRegistryKeys {
  payload: { v: 1; keys: { kid: string; publicKey: string }[]; issuedAt: number };
  /** base64url Ed25519 by the trust root over canonical JSON of `payload`. */
  signature: string;
}
