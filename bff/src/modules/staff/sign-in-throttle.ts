import { AppError } from '@eid/shared';
import type { StaffServiceDeps } from './deps';
import type { SignInFailureRecord } from './sign-in-failure.repository';

/**
 * Failed staff sign-ins are slowed down as NIST SP 800-63B §5.2.2 asks, in two counts kept by username:
 *
 * - per username and client address: the first PAIR_FREE_FAILURES failures cost nothing, then each further
 *   try waits 2^(n - PAIR_FREE_FAILURES) s after failure n, at most MAX_DELAY_S;
 * - per username, from every address: the same growth from ACCOUNT_FREE_FAILURES on, a higher bound, so a
 *   stranger guessing from elsewhere delays the real officer at their own desk by MAX_DELAY_S at most, and
 *   only once the stranger alone has failed ACCOUNT_FREE_FAILURES times;
 * - LOCK_AFTER_FAILURES consecutive failures of a username lock it until an administrator unlocks it (the
 *   limit §5.2.2 sets); reaching it takes hours at the capped delay, during which one successful sign-in of
 *   the holder resets the count.
 *
 * A wrong password, an unknown username and a wrong second factor are failures; a right password asking for
 * the second factor (TOTP_REQUIRED) is neither a failure nor a success. A success forgets the username's
 * count and its count at this address (a stranger's count at their own address stays).
 */
export const PAIR_FREE_FAILURES = 5;
export const ACCOUNT_FREE_FAILURES = 20;
export const MAX_DELAY_S = 300;
export const LOCK_AFTER_FAILURES = 100;
/** Failures with no other failure for this long are forgotten (locks never are). */
const FORGET_AFTER_MS = 24 * 3600 * 1000;

/**
 * Milliseconds to wait after failure number `failures` when the first `free` ones cost nothing.
 * @example delayAfterMs(5, 5) // 1000; delayAfterMs(6, 5) // 2000; delayAfterMs(40, 5) // 300000
 */
export function delayAfterMs(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(MAX_DELAY_S, 2 ** (failures - free)) * 1000;
}

const accountKey = (username: string) => `a:${username}`;
const pairKey = (username: string, address: string) => `p:${username}:${address}`;

/** The try a sign-in was let through for: what its outcome is reported against. */
export interface SignInTry {
  username: string;
  ids: string[];
  /** The try slots it took (allowedAt moved from `from` to `to`), given back when it was no failure. */
  taken: { id: string; from: number; to: number }[];
}

function delayed(retryAfterMs: number, scope: 'address' | 'account'): AppError {
  return new AppError('STAFF_SIGN_IN_DELAYED', 'Too many failed sign-ins; wait before trying again', {
    retryAfterS: Math.max(1, Math.ceil(retryAfterMs / 1000)),
    scope,
  });
}

/**
 * Lets one sign-in try of `username` from `address` through, or refuses it: 429 STAFF_ACCOUNT_LOCKED when
 * the username is locked, 429 STAFF_SIGN_IN_DELAYED (`details.retryAfterS`, sent as Retry-After, and
 * `details.scope`) while a delay runs. Decided before the password is looked at, so a locked account's
 * right password is never confirmed. Past the free failures a try takes its slot by a conditional write:
 * of parallel tries one goes through.
 */
export async function admitSignIn(
  deps: StaffServiceDeps,
  username: string,
  address: string,
): Promise<SignInTry> {
  const now = deps.clock.now();
  const ids = [accountKey(username), pairKey(username, address)];
  const found = await deps.repo.failures.byIds(ids);
  const account = found.find((f) => f.id === ids[0]);
  const pair = found.find((f) => f.id === ids[1]);
  if (account?.lockedAt !== undefined || (account?.count ?? 0) >= LOCK_AFTER_FAILURES) {
    throw new AppError(
      'STAFF_ACCOUNT_LOCKED',
      'This account is locked after too many failed sign-ins; an administrator must unlock it',
    );
  }
  const gates: [SignInFailureRecord | undefined, number, 'account' | 'address'][] = [
    [account, ACCOUNT_FREE_FAILURES, 'account'],
    [pair, PAIR_FREE_FAILURES, 'address'],
  ];
  // The longer of the two delays is the one to wait out; its scope says whose failures it is for.
  const [longest] = gates
    .filter(([record]) => record !== undefined && record.allowedAt > now)
    .sort(([a], [b]) => b!.allowedAt - a!.allowedAt);
  if (longest) throw delayed(longest[0]!.allowedAt - now, longest[2]);
  const taken: SignInTry['taken'] = [];
  for (const [record, free, scope] of gates) {
    if (!record || record.count < free) continue;
    const to = now + delayAfterMs(record.count + 1, free);
    if (!(await deps.repo.failures.take(record.id, record.allowedAt, to))) throw delayed(1000, scope);
    taken.push({ id: record.id, from: record.allowedAt, to });
  }
  return { username, ids, taken };
}

/** Counts a failed try (both counts) and sets the delay it earns; locks the username at the limit. */
export async function signInFailed(deps: StaffServiceDeps, t: SignInTry): Promise<void> {
  const now = deps.clock.now();
  const [accountId, pairId] = t.ids as [string, string];
  const [accountCount, pairCount] = await Promise.all(
    t.ids.map((id) => deps.repo.failures.add(id, t.username, now, now + FORGET_AFTER_MS)),
  );
  const locked = accountCount! >= LOCK_AFTER_FAILURES;
  await Promise.all([
    deps.repo.failures.delay(
      accountId,
      accountCount!,
      now + delayAfterMs(accountCount!, ACCOUNT_FREE_FAILURES),
      locked ? now : undefined,
    ),
    deps.repo.failures.delay(pairId, pairCount!, now + delayAfterMs(pairCount!, PAIR_FREE_FAILURES)),
  ]);
  if (locked && accountCount === LOCK_AFTER_FAILURES) {
    deps.logger.warn({ failures: accountCount }, 'staff account locked after consecutive failed sign-ins');
  }
}

/** A success: the username's count and its count at this address are forgotten. */
export async function signInSucceeded(deps: StaffServiceDeps, t: SignInTry): Promise<void> {
  await deps.repo.failures.remove(t.ids);
}

/** Neither failure nor success (the second factor is asked for): the slots taken are given back. */
export async function signInUndecided(deps: StaffServiceDeps, t: SignInTry): Promise<void> {
  await Promise.all(t.taken.map(({ id, from, to }) => deps.repo.failures.take(id, to, from)));
}

/** The consecutive failures of a username, and whether it is locked (the administrator's view). */
export async function signInState(
  deps: StaffServiceDeps,
  username: string,
): Promise<{ failures: number; locked: boolean }> {
  const [account] = await deps.repo.failures.byIds([accountKey(username)]);
  const failures = account?.count ?? 0;
  return { failures, locked: account?.lockedAt !== undefined || failures >= LOCK_AFTER_FAILURES };
}

/** The administrator's unlock: every failure of the username is forgotten, at every address. */
export async function unlockSignIn(deps: StaffServiceDeps, username: string): Promise<void> {
  await deps.repo.failures.removeAllOf(username);
}
