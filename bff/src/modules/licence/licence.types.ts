/**
 * What other modules may use of the licence module (the wallet, the licence system client, the issuing
 * bodies' trust and the public verification): above all `documentsFor`, the fresh pull a document call
 * makes. Implemented by licence.service.ts; other modules import this file only.
 */
import type {
  DeviceProof,
  DocValue,
  LicenceBinding,
  LicenceIssuerList,
  LicenceLinkRequest,
  LicenceRefreshAnswer,
  LicenceStatus,
  LicenceTypesAnswer,
  LicenceVerifyAnswer,
  LicenceWallet,
} from '@eid/shared';
import type { IdentityWithdrawnHook, SealedStore } from '../enrollment/enrollment.types';
import type { UsageActor } from '../usage/usage.types';
import type { ChangeFeedResult } from './change-feed';
import type { SignedIssuerList } from './issuers';
import type { HeldStatusList } from './status-lists';

// The wallet's wire shapes live in shared/src/api/licence.ts.
export type { LicenceStatus, LicenceWallet, WalletDocument } from '@eid/shared';
export type { ChangeFeedResult } from './change-feed';
export type { SignedIssuerList } from './issuers';
export type { HeldStatusList } from './status-lists';

/** A document as a fresh pull from the licence system gives it: checked, its status judged at the pull. */
export interface PulledDocument {
  /** The licence system's stable id of the document. */
  docId: string;
  type: string;
  identifier: string;
  /** Key id of the issuing body that signed it (its status list's kid). */
  issuerKid: string;
  documentNumber: string;
  /** `revoked`/`suspended` from the issuing body, else `expired` by `validUntil`, else `valid`. */
  status: LicenceStatus;
  /** The issuing body's own word, before expiry is judged. */
  issuerStatus: 'valid' | 'revoked' | 'suspended';
  /** YYYY-MM-DD; null for long-term. */
  validUntil: string | null;
  /** The document credential, base64url. */
  credential: string;
  /** `encodeDocumentSecrets`, base64url: what a party the holder authorises reads the fields from. */
  secrets: string;
  /** Every field value, decoded (absent optional fields left out). */
  values: Readonly<Record<string, DocValue>>;
  updatedAt: number;
}

/** Reads the verification payload out of an annotated-copy PDF; undefined when it carries none. */
export type PdfPayloadReader = (pdf: Uint8Array) => Promise<string | undefined>;

export interface LicenceService {
  /**
   * A fresh pull of the resident's documents of `types` for `purpose` (a document-call service code), never
   * from storage; recorded in the resident's trace as `licence.pull` (so the caller need not record the pull
   * again). Throws LICENCE_SYSTEM_UNAVAILABLE (503, `details.retryable`, `retryAfterS`) when the licence
   * system is down or slow, LICENCE_TYPE_UNKNOWN for a type the purpose may not pull, PURPOSE_UNKNOWN,
   * CARD_NOT_ELIGIBLE without a verified identity.
   */
  documentsFor(
    residentId: string,
    types: readonly string[],
    purpose: string,
    options?: { requestId?: string; actor?: UsageActor },
  ): Promise<PulledDocument[]>;
  /** The issuing bodies as a verifier's list (what document signatures are checked against). */
  licenceIssuers(): Promise<LicenceIssuerList>;

  types(): LicenceTypesAnswer;
  wallet(residentId: string): Promise<LicenceWallet>;
  link(residentId: string, body: LicenceLinkRequest, requestId?: string): Promise<LicenceWallet>;
  refresh(residentId: string, requestId?: string): Promise<LicenceRefreshAnswer>;
  unlink(residentId: string, type: string, requestId?: string): Promise<LicenceWallet>;
  binding(
    residentId: string,
    walletId: string,
    body: { devicePublicKey: string; deviceProof: DeviceProof },
    requestId?: string,
  ): Promise<LicenceBinding>;
  /** The licence-issuer list signed by the trust root. */
  signedIssuerList(): Promise<SignedIssuerList>;
  /** An issuing body's status list, proxied (signed by the body). */
  statusList(kid: string): Promise<HeldStatusList>;
  /** The public check of a document code or annotated-copy payload text. */
  verifyText(text: string): Promise<LicenceVerifyAnswer>;
  /** The public check of an annotated-copy PDF (its payload read by the PdfPayloadReader). */
  verifyPdf(pdf: Uint8Array): Promise<LicenceVerifyAnswer>;
  /** Erases the wallet when the resident's identity stops being valid (an enrollment hook). */
  onIdentityWithdrawn: IdentityWithdrawnHook;
  /** The stored documents' sealed values, for the master-key re-wrap (app.ts registers it with enrollment). */
  sealedStore: SealedStore;
  /** One run of the change-feed refresh (the background loop's step; tests call it). */
  refreshFromChanges(maxPages?: number): Promise<ChangeFeedResult>;
  /** Reads the change feed every `intervalMs`; the returned function stops it. */
  startChangeFeed(intervalMs: number): () => Promise<void>;
}
