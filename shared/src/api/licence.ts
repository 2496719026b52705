/** Wire shapes of the licence wallet (`/api/v1/licences`; docs/api.md "Licences"). */
import type { DeviceProof } from '../card/device';
import type { DocFace } from '../licence/registry';
import type { Verdict } from '../verifier/verifier';

/**
 * How the wallet shows a document: `revoked` and `suspended` are the issuing body's word (the licence
 * system's status); `expired` is judged by the BFF from `validUntil` against Beijing's date today.
 */
export type LicenceStatus = 'valid' | 'expired' | 'revoked' | 'suspended';

/** A document type as the link page lists it (shared/src/licence/types). */
export interface LicenceTypeInfo {
  name: string;
  zh: string;
  en: string;
  face: DocFace;
  /** Labels of the type's fields, in slot order (what the face's rows name). */
  fields: { key: string; zh: string; en: string }[];
}

/** One language of the link notice. */
export interface LicenceNoticeText {
  title: string;
  summary: string;
  /** What is pulled from the licence system and why. */
  pulled: string[];
  /** What the BFF keeps and for how long. */
  kept: string[];
  /** How to stop: unlinking a type deletes its documents. */
  withdrawal: string;
}

/** The notice a resident accepts when linking document types: it names the licence system and what is pulled. */
export interface LicenceLinkNotice {
  version: string;
  /** The system the documents come from. */
  system: { zh: string; en: string };
  zh: LicenceNoticeText;
  en: LicenceNoticeText;
}

/** Answer of `GET /api/v1/licences/types`. */
export interface LicenceTypesAnswer {
  notice: LicenceLinkNotice;
  types: LicenceTypeInfo[];
}

/** Body of `POST /api/v1/licences/links`. */
export interface LicenceLinkRequest {
  /** Registry names of the types to link (1-16, no duplicates). */
  types: string[];
  /** `noticeVersion` must be the current `LicenceLinkNotice.version`. */
  consent: { accepted: true; noticeVersion: string };
}

/** A linked type and the consent it was linked with. */
export interface LicenceLink {
  type: string;
  noticeVersion: string;
  /** Epoch ms. */
  linkedAt: number;
}

/** A field value on a document's face: text, a `YYYY-MM-DD` date, a number or a boolean. */
export type LicenceFaceValue = string | number | boolean;

/** One document of the wallet: the holder's own view of it, with what the device keeps to make codes. */
export interface WalletDocument {
  /** The wallet's id of the document (stable across renewals). */
  id: string;
  type: string;
  /** The licence identifier (`1.2.156.3005.2.…`) of the current version. */
  identifier: string;
  documentNumber: string;
  status: LicenceStatus;
  /** `YYYY-MM-DD`, or null for long-term (长期). */
  validUntil: string | null;
  /** The face's fields (headline and rows) that are present, field key -> value. */
  face: Record<string, LicenceFaceValue>;
  /** The document credential, base64url (docs/formats/licence-document.md). */
  credential: string;
  /** `encodeDocumentSecrets` of the document, base64url: what the device keeps beside the credential. */
  secrets: string;
  /** Epoch ms of the issuing body's last change to the document. */
  updatedAt: number;
}

/** Answer of `GET /api/v1/licences` and `POST /api/v1/licences/links`. */
export interface LicenceWallet {
  links: LicenceLink[];
  documents: WalletDocument[];
  /** Epoch ms of the last pull from the licence system; null before the first. */
  pulledAt: number | null;
}

/** Answer of `POST /api/v1/licences/refresh`. */
export interface LicenceRefreshAnswer extends LicenceWallet {
  /** False when the licence system said nothing changed since the last pull (ETag). */
  changed: boolean;
}

/** Answer of `GET /api/v1/trust/licence-issuers` (docs/formats/licence-codes.md). */
export interface LicenceIssuersAnswer {
  issuedAt: number;
  expiresAt: number;
  sequence: number;
  /** The licence-issuer list signed by the trust root, base64url. */
  licenceIssuers: string;
}

/** Body of `POST /api/v1/licences/:id/binding` (the device proof as for card issuance, docs/formats/credential.md). */
export interface LicenceBindingRequest {
  /** base64url of the device's 32-byte Ed25519 public key. */
  devicePublicKey: string;
  deviceProof: DeviceProof;
}

/** Answer of `POST /api/v1/licences/:id/binding` (docs/formats/licence-codes.md, "Device binding"). */
export interface LicenceBinding {
  /** The binding (COSE_Sign1 by this node's province issuer key), base64url. */
  binding: string;
  kid: string;
  /** Epoch ms. */
  issuedAt: number;
  /** Epoch ms: codes made with this binding are `expired` from then on; ask for a new one before. */
  expiresAt: number;
}

/** Body of `POST /api/v1/licences/verify`: a code's or an annotated copy's text, or the copy's PDF. */
export type LicenceVerifyRequest = { code: string } | { pdf: string };

/** Answer of `POST /api/v1/licences/verify`: the verdict and only what the text itself discloses. */
export interface LicenceVerifyAnswer {
  verdict: Verdict;
  /** Epoch ms. */
  checkedAt: number;
  /** `code` (`EIDD1:`) or `annotated` (`EIDA1:`), once the prefix is known. */
  format?: 'code' | 'annotated';
  /** Set once the issuing body's signature over the document verified. */
  document?: {
    type: string;
    zh: string;
    en: string;
    identifier: string;
    issuer: { uscc: string; name: string };
    validFrom: string;
    /** null: long-term. */
    validUntil: string | null;
  };
  /** A code's card purpose or document-call service, by code. */
  purpose?: string;
  service?: string;
  /** The fields the text discloses (null: disclosed but absent; bytes base64url), once shown to be the issuer's. */
  fields?: Record<string, LicenceFaceValue | null>;
  /** An annotated copy's annotation: for whom and what it was made, until when the window could read it. */
  annotation?: {
    service: string;
    purpose: string;
    windowName: string;
    organisation: string;
    accessUntil: number;
    annotatedAt: number;
  };
  /** Age (ms) of the issuing body's status list the verdict used. */
  statusAgeMs?: number;
}
