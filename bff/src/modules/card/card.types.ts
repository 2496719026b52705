/**
 * What other modules may use of the card module: the card and face views (their wire shapes live in
 * shared/src/api/card.ts), the face masking, the live lookups the online verifier does, and the card
 * service's interface. Implemented by card.service.ts; app.ts passes the service to whoever needs it.
 */
import {
  maskIdNumber,
  type Card,
  type CardActionResult,
  type CardFace,
  type CardStatus,
  type DeviceProof,
  type IssuedCard,
  type RevealedIdNumber,
} from '@eid/shared';
import type { PortraitImage } from '../../infra/upstream';
import type { IdentityFace, IdentityWithdrawnHook } from '../enrollment/enrollment.types';
import type { UsageActor } from '../usage/usage.types';

export type { CardStatus };
export { residenceProvinceOf } from './claims';

/** Why a card was revoked; stored on the card and shown in the resident's usage trace. */
export type RevocationReason =
  | 'replaced'
  | 'consent_withdrawn'
  | 'account_closed'
  | 'identity_moved'
  | 'registry_cancelled'
  | 'registry_deceased'
  /** A supervisor revoked it (docs/admin.md "Card actions"). */
  | 'staff_revoked';

/** The card face the resident sees: the registry's data with the ID number masked. */
export type CardFaceView = CardFace;

/** docs/api.md `Card`. */
export type CardView = Card;

/** What the online verifier needs to know about a card. */
export interface CardStanding {
  residentId: string;
  status: CardStatus;
  kid: string;
  statusIndex: number;
}

/** The card lookups the online verifier does. */
/** The dashboard's card counts (issue 19 §2). */
export interface CardCounts {
  /** Cards issued since the time asked about. */
  issued: number;
  active: number;
  suspended: number;
  revoked: number;
}

export interface CardLookups {
  /**
   * What the online verifier needs about each card (null for a card this node never issued), read
   * live in one query so that concurrent checks share it; never cached, so a revocation shows at once.
   */
  standings(cardIds: string[]): Promise<(CardStanding | null)[]>;
}

export interface RevocationCheckResult {
  checked: number;
  revoked: number;
  failed: number;
  /** True when another process held the lease and this run did nothing. */
  skipped: boolean;
}

/** The live card's status and device key (CardService.liveDevice). */
export interface LiveDevice {
  cardId: string;
  status: Exclude<CardStatus, 'revoked'>;
  /** base64url of the raw 32-byte Ed25519 key. */
  devicePublicKey: string;
}

/** Body of `POST /api/v1/card/issue` after validation. */
export interface IssueInput {
  devicePublicKey: string;
  deviceProof: DeviceProof;
  reauthToken?: string;
}

/** What a supervisor may do to a card (docs/admin.md "Card actions"). */
export type CardAction = 'suspend' | 'revoke' | 'restore';

/** Body of a supervisor's card action after validation. */
export interface CardActionInput {
  reason: string;
  caseNumber?: string;
}

/** Which card `revokeCard` revokes: the resident's live one, or one card by id if it is still live. */
export type RevokeTarget = { residentId: string } | { cardId: string };

export interface CardService extends CardLookups {
  /** Cards issued since `from` (epoch ms) and cards in each status now (the dashboard). */
  countCards(from: number): Promise<CardCounts>;
  /** Revokes the resident's card when their identity stops being valid (an enrollment hook). */
  onIdentityWithdrawn: IdentityWithdrawnHook;
  /**
   * Issues (or, for the same device, renews) the resident's credential. A live card on another
   * device needs a re-authentication token and is revoked by the new one.
   */
  issue(residentId: string, body: IssueInput, requestId?: string): Promise<IssuedCard>;
  /** The resident's live card, or the last revoked one so the page can say why; CARD_NOT_FOUND if none. */
  get(residentId: string, requestId?: string): Promise<CardView>;
  /** The registry portrait of the resident with a live card; fetched each time, never stored. */
  portrait(residentId: string, requestId?: string): Promise<PortraitImage>;
  /** The full ID number, after a fresh face check. */
  reveal(residentId: string, reauthToken: string, requestId?: string): Promise<RevealedIdNumber>;
  /**
   * The resident's live card (active or suspended) with the raw device key it is bound to, or undefined:
   * what a device-signed approval is checked against (remote sign-in, issue 17). Read live, never cached.
   */
  liveDevice(residentId: string): Promise<LiveDevice | undefined>;
  /** Suspends the live card (a lost phone); idempotent. No face check: a thief must not be able to block it. */
  suspend(residentId: string, requestId?: string): Promise<CardView>;
  /** Resumes a suspended card after a fresh face check. */
  resume(residentId: string, reauthToken: string, requestId?: string): Promise<CardView>;
  /**
   * Revokes a live card, publishes the change in its status list and records it in the holder's usage
   * trace; false when there was no live card to revoke.
   */
  revokeCard(
    target: RevokeTarget,
    reason: RevocationReason,
    actor: UsageActor,
    requestId?: string,
  ): Promise<boolean>;
  /**
   * A supervisor's suspension, revocation or restore of a card, with a reason: in the status list at once
   * and in the holder's trace. CARD_NOT_FOUND, CARD_REVOKED (final), CARD_NOT_SUSPENDED, CARD_SUSPENDED.
   */
  act(
    action: CardAction,
    cardId: string,
    staffId: string,
    input: CardActionInput,
    requestId?: string,
  ): Promise<CardActionResult>;
  /**
   * Asks the registry about the holder of every live card and revokes those it reports cancelled or
   * deceased. One process at a time (a lease in the database); safe to call from a test or a timer.
   */
  revocationCheck(maxCards?: number): Promise<RevocationCheckResult>;
  /** Runs the revocation check every `intervalMs`; the returned function stops it and waits for a run in flight. */
  startRevocationChecks(intervalMs: number): () => Promise<void>;
}

/** The face with the ID number masked: what the resident's own card page shows. */
export function faceView(face: IdentityFace): CardFaceView {
  const { idNumber, ...rest } = face;
  return { ...rest, idNumberMasked: maskIdNumber(idNumber) };
}
