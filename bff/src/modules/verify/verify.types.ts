/**
 * What other modules may use of the verify module: the online check of a bright code, with the verifier
 * (its trace actor, its single-use scope and what it may see) as a parameter. The relying-party verify
 * (rp-verify) builds on `VerifyService.check`.
 */
import type { CardField, Purpose, VerifyAnswer, VerifyResult } from '@eid/shared';
import type { IdentityFace } from '../enrollment/enrollment.types';
import type { UsageActor } from '../usage/usage.types';

export type { VerifyService } from './verify.service';

/** Card fields as an answer carries them. */
export type CardAnswer = NonNullable<VerifyAnswer['card']>;

/** Extra detail a verifier adds to the trace record of an accepted code (`consentId`, `basis`...). */
export type DisclosureDetail = Record<string, string | number | boolean>;

/** What `disclose` is given: a valid code of a card known here whose holder's identity is live. */
export interface DisclosureInput {
  result: VerifyResult;
  purpose: Purpose;
  residentId: string;
  face: IdentityFace;
  /** The BFF's record of the holder, only these fields (those it has); see disclose.ts recordFields. */
  fromRecord(fields: readonly CardField[]): CardAnswer;
}

/** Who checks a code: the verify service's one parameter that differs between staff and relying parties. */
export interface CodeVerifier {
  /** Who the resident's trace names. */
  actor(): UsageActor | Promise<UsageActor>;
  /**
   * The single-use scope: an accepted code is recorded under `<prefix>:<codeDigest>`, so a second use with
   * the same prefix is `replayed` and another prefix is not affected. Staff: their id; a party: `party:<id>`.
   */
  replayKeyPrefix: string;
  /** What this verifier is shown of a valid code; the trace names exactly `card`'s keys. */
  disclose(input: DisclosureInput): Shown | Promise<Shown>;
}

/** What a verifier is shown of a valid code, and what its trace record adds. */
export interface Shown {
  card: CardAnswer;
  detail?: DisclosureDetail;
}

/** The outcome of `VerifyService.check`. */
export interface CheckedCode {
  answer: VerifyAnswer;
  /** The holder, when the card is known here (also for refused verdicts). */
  residentId?: string;
  /** The fields disclosed and recorded (none unless the verdict is `valid`). */
  fields: string[];
}

// Online recognition (docs/federation.md "Recognition"): what the verify module needs of the federation,
// implemented by federation/recognition.ts; app.ts passes it in.

/** The window of the visiting province that checks a code, as the home node's trace will name it. */
export interface RecognitionWindow {
  /** The visiting node's province code; the home node takes it from the request's node key, not from here. */
  province: string;
  /** The staff account at the visiting node (its own opaque id). */
  id: string;
  org: string;
  displayName: string;
}

/** Body of `POST /api/v1/federation/node/verify`. */
export interface RecognitionRequest {
  /** The bright code as scanned: the home node checks it itself (signatures, time, replay, live status). */
  code: string;
  purpose: string;
  window: RecognitionWindow;
}

/** What asking the home node gave: its live answer, or why there is none. */
export type HomeAnswer =
  | { ok: true; answer: VerifyAnswer }
  | {
      ok: false;
      reason: 'timeout' | 'unreachable' | 'server_error' | 'circuit_open' | 'bad_answer' | 'refused';
    };

/** What the verify module uses of the federation for a card of another province. */
export interface Recognition {
  /** True when this node is federated and its live list names a node of `province` other than itself. */
  canAsk(province: string): boolean;
  /** Asks the card's home node (signed request, signed answer); never throws for a peer's failure. */
  askHome(province: string, request: RecognitionRequest): Promise<HomeAnswer>;
  /** This node's copy of a peer's status list of `kid`, as last fetched. */
  peerStatusList(
    kid: string,
  ): Promise<{ bytes: Uint8Array; issuedAt: number; fetchedAt: number } | undefined>;
}
