import { AppError, beijingDayOf, type ErrorCode } from '@eid/shared';
import type { EnrollmentDeps } from './deps';
import type { AttemptsView } from './enrollment.types';

export type AttemptKind = 'real_name' | 'face';

// Limits are "per day" as residents read it: the day turns at midnight Beijing time (shared's Beijing day).
const DAY_MS = 24 * 3600 * 1000;

/**
 * Tries each account still has on one ID number once every account's failed tries on it today have
 * reached the cap (the per-account limit: one stranger's day of guesses reaches it). One, so that the
 * holder always has a try of their own, and a crowd of accounts gets one guess each, not five.
 */
export const HELD_TRIES_PER_ACCOUNT = 1;

/** Why a try was refused: the caller's own tries are spent, or its one try on a capped number is. */
export type ExhaustedScope = 'account' | 'id_number';

/** The id of an account's own counter for one kind of try today: the only thing `remaining` reports. */
export function ownCounter(kind: AttemptKind, windowStart: number, residentId: string): string {
  return `${kind}:resident:${residentId}:${windowStart}`;
}

/**
 * Counter ids for one kind of try on one ID number today. `own`: the account's tries. `number`: every
 * account's failed tries on that number (by its blind index, never the number), capped. `held`: the
 * account's tries on that number once `number` is at its cap.
 */
export function counterKeys(kind: AttemptKind, windowStart: number, residentId: string, idIndex: string) {
  return {
    own: ownCounter(kind, windowStart, residentId),
    number: `${kind}:id:${idIndex}:${windowStart}`,
    held: `${kind}:held:${residentId}:${idIndex}:${windowStart}`,
  };
}

/** The account's own tries today, from its own counter only (others' tries never show). */
export function attemptsView(limit: number, ownCount: number, windowEnd: number): AttemptsView {
  const remaining = Math.max(0, limit - ownCount);
  return { limit, remaining, unlockAt: remaining === 0 ? windowEnd : null };
}

/** Which counter would refuse the next try, or null when it may go ahead. */
export function refusal(
  limit: number,
  counts: { own: number; number: number; held: number },
): ExhaustedScope | null {
  if (counts.own >= limit) return 'account';
  if (counts.number >= limit && counts.held >= HELD_TRIES_PER_ACCOUNT) return 'id_number';
  return null;
}

const limitOf = (deps: EnrollmentDeps, kind: AttemptKind): number =>
  kind === 'real_name' ? deps.config.REAL_NAME_ATTEMPTS_PER_DAY : deps.config.FACE_ATTEMPTS_PER_DAY;

/** The account's own tries of one kind today; other accounts' tries never show here. */
export async function ownAttempts(
  deps: EnrollmentDeps,
  kind: AttemptKind,
  residentId: string,
): Promise<AttemptsView> {
  const window = beijingDayOf(deps.clock.now());
  const key = ownCounter(kind, window.start, residentId);
  const counts = await deps.repo.attemptCounts([key]);
  return attemptsView(limitOf(deps, kind), counts.get(key) ?? 0, window.end);
}

function exhausted(deps: EnrollmentDeps, kind: AttemptKind, unlockAt: number, scope: ExhaustedScope) {
  return new AppError('ATTEMPTS_EXHAUSTED', 'No tries left today; try again after the unlock time', {
    attempt: kind,
    scope,
    remaining: 0,
    unlockAt,
    retryAfterS: Math.max(1, Math.ceil((unlockAt - deps.clock.now()) / 1000)),
  });
}

/** Throws ATTEMPTS_EXHAUSTED when a try on this ID number would be refused now (before asking anyone). */
export async function assertTryLeft(
  deps: EnrollmentDeps,
  kind: AttemptKind,
  residentId: string,
  idIndex: string,
): Promise<void> {
  const window = beijingDayOf(deps.clock.now());
  const keys = counterKeys(kind, window.start, residentId, idIndex);
  const counts = await deps.repo.attemptCounts([keys.own, keys.number, keys.held]);
  const scope = refusal(limitOf(deps, kind), {
    own: counts.get(keys.own) ?? 0,
    number: counts.get(keys.number) ?? 0,
    held: counts.get(keys.held) ?? 0,
  });
  if (scope) throw exhausted(deps, kind, window.end, scope);
}

/**
 * Takes one of the account's own tries and one from the ID number's cap, or, once the number is at its
 * cap, the account's one held try on it; throws ATTEMPTS_EXHAUSTED when neither is left. Each take is
 * a conditional write in the database, so every BFF process sees the same counts. Returns the counters
 * taken, for `repo.refundAttempt` when the try does not count.
 */
export async function reserveTry(
  deps: EnrollmentDeps,
  kind: AttemptKind,
  residentId: string,
  idIndex: string,
): Promise<string[]> {
  const { repo } = deps;
  const window = beijingDayOf(deps.clock.now());
  const keys = counterKeys(kind, window.start, residentId, idIndex);
  // The counter key names its day, so its document may outlive the day: it is purged two days later.
  const purgeAt = window.end + 2 * DAY_MS;
  const limit = limitOf(deps, kind);
  if (!(await repo.takeAttempt(keys.own, limit, purgeAt))) throw exhausted(deps, kind, window.end, 'account');
  if (await repo.takeAttempt(keys.number, limit, purgeAt)) return [keys.own, keys.number];
  if (await repo.takeAttempt(keys.held, HELD_TRIES_PER_ACCOUNT, purgeAt)) return [keys.own, keys.held];
  await repo.refundAttempt([keys.own]);
  throw exhausted(deps, kind, window.end, 'id_number');
}

/** The error for a failed try, carrying what is left. */
export async function failedTry(
  deps: EnrollmentDeps,
  kind: AttemptKind,
  residentId: string,
  [code, message]: [ErrorCode, string],
): Promise<AppError> {
  const own = await ownAttempts(deps, kind, residentId);
  return new AppError(code, message, { attempt: kind, remaining: own.remaining, unlockAt: own.unlockAt });
}
