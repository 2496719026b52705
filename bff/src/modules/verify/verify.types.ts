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
