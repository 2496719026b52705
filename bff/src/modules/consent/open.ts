import { AppError, parseConsentCode, type ResidentConsentView } from '@eid/shared';
import { safeEqual } from '../../infra/keystore';
import type { ConsentRecord } from './consent.repository';
import {
  consentTrace,
  expired,
  notFound,
  partyActor,
  partyOf,
  secretHashOf,
  wrongState,
  type ConsentDeps,
} from './deps';
import { settle } from './expire';
import { residentView } from './view';

function invalid(reason: string): AppError {
  return new AppError('CONSENT_REQUEST_INVALID', 'This is not a consent request of this service', { reason });
}

/** The resident's own consent (they opened it first), or NOT_FOUND. */
export async function residentConsent(
  deps: Pick<ConsentDeps, 'repo'>,
  id: string,
  residentId: string,
): Promise<ConsentRecord & { residentId: string }> {
  const c = await deps.repo.byId(id);
  if (!c || c.residentId !== residentId) throw notFound();
  return c as ConsentRecord & { residentId: string };
}

/**
 * The resident opens a request code (scanned, or from a link): the code must name a request of this node
 * and carry its secret (compared with the kept SHA-256 in constant time), else CONSENT_REQUEST_INVALID.
 * The first resident to open it becomes its resident; anyone else gets 409 CONSENT_WRONG_STATE. The answer
 * shows who asks (with the party's signed registration), why, exactly which fields and for how long.
 */
export async function openConsent(
  deps: ConsentDeps,
  residentId: string,
  requestCode: string,
  requestId?: string,
): Promise<ResidentConsentView> {
  const parts = parseConsentCode(requestCode);
  if (!parts) throw invalid('malformed');
  let c = await deps.repo.byId(parts.id);
  if (!c) throw invalid('unknown_request');
  if (!safeEqual(secretHashOf(parts.secret), c.secretHash)) throw invalid('unknown_request');
  if (c.residentId === undefined) c = (await deps.repo.bindResident(c.id, residentId, deps.clock.now())) ?? c;
  if (c.residentId !== residentId) throw wrongState(c.state, 'Another resident has opened this request');
  const mine = c as ConsentRecord & { residentId: string };
  const party = await partyOf(deps, mine.partyId);
  await consentTrace(deps, mine, partyActor(party), requestId).once(
    { action: 'consent.received' },
    'received',
  );
  const settled = await settle(deps, mine, requestId);
  if (settled.state === 'expired') throw expired();
  return residentView(settled, party, deps.clock.now());
}
