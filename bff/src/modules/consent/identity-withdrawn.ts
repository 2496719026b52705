import type { IdentityWithdrawnHook } from '../enrollment/enrollment.types';
import { CONSENT_ACTOR, type ConsentDeps } from './deps';
import { endConsent } from './withdraw';

type Reason = Parameters<IdentityWithdrawnHook>[1];

/** How many live consents one read takes; the next read takes the rest. */
const PAGE = 100;

/**
 * The enrollment hook (consent to the notice withdrawn, account closed, identity moved): every live consent
 * of the resident ends now, as if they had withdrawn each: the claims erased, each party asked to delete
 * what it received (`consent.withdrawn`, `deletion.requested`), the kept trace recording
 * `consent.withdraw` once per consent with the reason. Pending requests hold nothing and are left to
 * expire. Idempotent: a repeated delivery finds nothing left to end.
 */
export async function endConsentsOf(deps: ConsentDeps, residentId: string, reason: Reason): Promise<void> {
  const tried = new Set<string>();
  let ended = 0;
  for (;;) {
    const page = (await deps.repo.ofResident(residentId, ['approved'], PAGE)).filter((c) => !tried.has(c.id));
    if (page.length === 0) break;
    for (const c of page) {
      tried.add(c.id);
      if (await endConsent(deps, { ...c, residentId }, CONSENT_ACTOR, { reason })) ended++;
    }
  }
  if (ended > 0) deps.logger.info({ residentId, reason, ended }, 'consents withdrawn with the identity');
}
