/** Wire shapes of the card module (`/api/v1/card`, purposes, trust and status lists; docs/api.md "Card"). */
import type { DeviceProof } from '../card/device';

export type CardStatus = 'active' | 'suspended' | 'revoked';

/** The card face the resident sees: the registry's data with the ID number masked. */
export interface CardFace {
  name: string;
  sex: string;
  ethnicity: string;
  /** YYYY-MM-DD */
  birthDate: string;
  address: string;
  idNumberMasked: string;
  issuingAuthority: string;
  /** YYYY-MM-DD */
  validFrom: string;
  /** YYYY-MM-DD, or '长期' for a card valid for life. */
  validUntil: string;
}

/** docs/api.md `Card`. */
export interface Card {
  cardId: string;
  status: CardStatus;
  /** Epoch ms. */
  issuedAt: number;
  /** Epoch ms. */
  expiresAt: number;
  kid: string;
  face: CardFace;
  /** On a card the police suspended: only staff restore it (docs/admin.md "Card actions"). */
  suspendedBy?: 'staff';
}

/** Body of `POST /api/v1/card/issue` (docs/formats/credential.md for the key and the proof). */
export interface IssueCardRequest {
  /** base64url of the 32-byte Ed25519 public key. */
  devicePublicKey: string;
  deviceProof: DeviceProof;
  /** Needed when an active card exists on another device. */
  reauthToken?: string;
}

/** Answer of `POST /api/v1/card/issue`. */
export interface IssuedCard {
  card: Card;
  /** The signed credential (v2), base64url without padding. */
  credential: string;
  /**
   * What the device keeps beside the credential to make codes that disclose chosen claims only: base64url
   * of `encodeHolderSecrets` (the salt seed and every claim value; docs/formats/credential.md). Answered
   * here once and never stored by the BFF: keep it with the device key, never send it anywhere.
   */
  holderSecrets: string;
}

/** Body of `POST /api/v1/card/reveal` and `POST /api/v1/card/resume`. */
export interface ReauthRequest {
  reauthToken: string;
}

/** Answer of `POST /api/v1/card/reveal`. */
export interface RevealedIdNumber {
  idNumber: string;
}

/**
 * One entry of `GET /api/v1/purposes` (docs/formats/purposes.md). Looser than `Purpose` on purpose:
 * a BFF newer than the mini-program's build may publish purposes and fields this build does not know.
 */
export interface PublishedPurpose {
  /** Stable number a v2 code names the purpose by; never reused. */
  id: number;
  code: string;
  zh: string;
  en: string;
  /** Where the duty to show ID comes from, short, in Chinese. */
  basis: string;
  fields: readonly string[];
  /** The fields a device's code discloses for this purpose (a subset of `fields`). */
  claims: readonly string[];
}

/** Answer of `GET /api/v1/trust-list` (docs/formats/trust-list.md). */
export interface TrustListAnswer {
  /** Epoch ms. */
  issuedAt: number;
  maxStatusAgeMs: number;
  /** base64url of the signed trust list. */
  trustList: string;
}

/** Answer of `GET /api/v1/status-lists/:kid` (docs/formats/status-list.md). */
export interface StatusListAnswer {
  kid: string;
  /** Epoch ms. */
  issuedAt: number;
  ttlSeconds: number;
  /** base64url of the signed status list. */
  statusList: string;
}

/** Body of `POST /api/v1/admin/cards/:cardId/suspend|revoke|restore` (a supervisor's card action). */
export interface CardActionRequest {
  /** Why, 4 to 200 characters; shown in the resident's usage trace. */
  reason: string;
  /** The case the action belongs to, when there is one. */
  caseNumber?: string;
}

/** Answer of a supervisor's card action: the card's standing after it. */
export interface CardActionResult {
  card: {
    id: string;
    status: CardStatus;
    /** Who suspended a suspended card: a staff suspension is lifted by staff only. */
    suspendedBy?: 'resident' | 'staff';
  };
}
