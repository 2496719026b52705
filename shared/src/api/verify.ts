/** Wire shapes of the online verifier (`POST /api/v1/verify`; docs/api.md "Card"). */
import type { CardField } from '../purposes/purposes';
import type { Verdict } from '../verifier/verifier';

/** Body of `POST /api/v1/verify`. */
export interface VerifyRequest {
  /** The bright-card code as scanned. */
  code: string;
  /** A purpose code from `GET /api/v1/purposes`. */
  purpose: string;
}

/** Answer of `POST /api/v1/verify`. */
export interface VerifyAnswer {
  verdict: Verdict;
  /** Epoch ms. */
  checkedAt: number;
  /** Only when the issuer's signature verified. */
  issuer?: { kid: string; province: string };
  /**
   * Only for `valid`, and only the fields the purpose allows: for a v2 code, what the code disclosed,
   * plus the purpose's fields a code cannot carry when the code was made for this same purpose. The
   * age predicates are booleans; everything else is text.
   */
  card?: Partial<Record<CardField, string | boolean>>;
  /** The purpose code the v2 code was made for, when it names a published one. */
  codePurpose?: string;
  /** The code's format version (`EID1:` or `EID2:`); set once it parsed. */
  format?: 1 | 2;
  /**
   * Only for a card of another province checked at a federated node (docs/federation.md "Recognition"):
   * `live` when the card's home node answered, signed (`verdict` and `card` are its live answer), `unknown`
   * when it could not be asked or its answer did not verify (`verdict` is then the offline one).
   */
  status?: 'live' | 'unknown';
  /** With `status: 'unknown'`: `timeout`, `unreachable`, `server_error`, `circuit_open`, `bad_answer`, `refused`. */
  statusReason?: string;
  /**
   * With `status: 'unknown'`, when this node holds a copy of the home province's status list: its signed
   * issue time, when this node last fetched it, and its age at `checkedAt` (ms).
   */
  statusList?: { issuedAt: number; fetchedAt: number; ageMs: number };
}

/** Most checks one `POST /api/v1/verify/offline-checks` accepts. */
export const OFFLINE_CHECKS_MAX = 100;

/**
 * How many checks a terminal sends per upload: 50 codes of the largest size are about 34 KB of JSON,
 * inside the BFF's default 64 KiB body limit (`OFFLINE_CHECKS_MAX` of them would not be).
 */
export const OFFLINE_CHECKS_PER_UPLOAD = 50;

/** Oldest check the BFF still accepts, by `checkedAt` (docs/formats/offline-check.md). */
export const OFFLINE_CHECK_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** One check an offline terminal made and queued for upload (docs/formats/offline-check.md). */
export interface OfflineCheck {
  /** Random, made by the terminal: with `terminalId`, the upload's idempotency key. */
  id: string;
  /** The bright-card code as scanned. */
  code: string;
  /** A purpose code from `GET /api/v1/purposes`. */
  purpose: string;
  /** The device's own random id, the same for every check it makes. */
  terminalId: string;
  /** Epoch ms of the terminal's clock at the check. */
  checkedAt: number;
  /** What the terminal showed. */
  verdict: Verdict;
}

/** Body of `POST /api/v1/verify/offline-checks`. */
export interface OfflineChecksRequest {
  /** 1 to `OFFLINE_CHECKS_MAX`. */
  checks: OfflineCheck[];
}

/** Why the BFF refused to record one check; nothing of it is recorded. */
export type OfflineCheckRefusal =
  /** `checkedAt` is ahead of the BFF's clock by more than the clock tolerance. */
  | 'checked_at_future'
  /** `checkedAt` is older than `OFFLINE_CHECK_MAX_AGE_MS`. */
  | 'checked_at_too_old'
  /** The purpose is not on the published list. */
  | 'purpose_unknown'
  /** The code is not one a holder's device made: malformed, unknown issuer, or a signature fails. */
  | 'not_genuine'
  /** A genuine code of a card this BFF has no record of (another province's). */
  | 'card_unknown';

/** What the BFF did with one uploaded check. */
export interface OfflineCheckResult {
  id: string;
  /** `already_recorded`: an earlier upload of the same check (same terminal and id) recorded it. */
  status: 'recorded' | 'already_recorded' | 'refused';
  /** The BFF's own verdict on the code at `checkedAt`; the terminal's when refused before verifying. */
  verdict: Verdict;
  /** The same code was also accepted by another terminal, offline or online: a replay. */
  replayedElsewhere: boolean;
  /** Only when refused. */
  reason?: OfflineCheckRefusal;
}

/** Answer of `POST /api/v1/verify/offline-checks`: one result per check, in the order sent. */
export interface OfflineChecksAnswer {
  results: OfflineCheckResult[];
}
