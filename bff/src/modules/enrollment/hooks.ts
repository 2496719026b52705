import type { PendingHook } from './enrollment.model';
import type { EnrollmentDeps } from './deps';
import type { EnrollmentRecord } from './enrollment.repository';

/** Calls every identity-withdrawn hook for `reason`, then clears the pending mark. */
export async function runHooks(deps: EnrollmentDeps, residentId: string, reason: PendingHook): Promise<void> {
  for (const hook of deps.hooks) await hook(residentId, reason);
  await deps.repo.clearPendingHook(residentId, reason);
  deps.logger.info({ residentId, reason }, 'identity hooks done');
}

/** Back to `new` with consent and identity erased, and the hooks for `reason` pending. */
export async function eraseIdentity(
  deps: EnrollmentDeps,
  residentId: string,
  reason: PendingHook,
): Promise<void> {
  await deps.repo.erase(residentId, reason, deps.clock.now());
}

export const hasPendingHooks = (record: EnrollmentRecord): boolean => record.pendingHook !== undefined;

/** Finishes the hooks a record has pending; false when it had none. */
export async function finishPendingHooks(deps: EnrollmentDeps, record: EnrollmentRecord): Promise<boolean> {
  if (!record.pendingHook) return false;
  await runHooks(deps, record.residentId, record.pendingHook);
  return true;
}

/** Finishes hooks a crash or a failing hook left pending (call at boot and on a timer). */
export async function resumePendingHooks(deps: EnrollmentDeps, limit = 100): Promise<number> {
  let done = 0;
  for (const { residentId, hook } of await deps.repo.pendingHooks(limit)) {
    try {
      await runHooks(deps, residentId, hook);
      done += 1;
    } catch (err) {
      deps.logger.error({ residentId, reason: hook, err }, 'identity hook failed; will retry');
    }
  }
  return done;
}
