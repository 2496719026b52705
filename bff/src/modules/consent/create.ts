import { AppError, newConsentCode, type CreateConsentRequest, type PartyConsentView } from '@eid/shared';
import type { Party } from '../party/party.types';
import { secretHashOf, seal, type ConsentDeps } from './deps';
import { partyView } from './view';

/** Seconds a resident has to answer when the party names no time (the issue's 10 minutes). */
export const DEFAULT_EXPIRES_IN_S = 600;

/**
 * A party asks a resident for data: only for a purpose it is registered for (else
 * PARTY_PURPOSE_NOT_REGISTERED) and only scopes its registration holds for that purpose. Asking for more is
 * refused here, at creation (PARTY_SCOPE_NOT_REGISTERED with the scopes in `details.scopes`), not merely
 * shown to the resident. The answer carries the request code the resident opens (`EIDC1:<id>.<secret>`);
 * the BFF keeps the secret's SHA-256 and, until the request is answered, the secret sealed.
 */
export async function createConsent(
  deps: ConsentDeps,
  party: Party,
  input: CreateConsentRequest,
): Promise<PartyConsentView> {
  const grant = deps.parties.grantOf(party, input.purpose);
  if (!grant) {
    throw new AppError('PARTY_PURPOSE_NOT_REGISTERED', 'The party is not registered for this purpose', {
      purpose: input.purpose,
    });
  }
  // `result` is every registration's floor: implied, whether or not the grant lists it.
  const registered = new Set(['result', ...grant.scopes]);
  const overreach = input.scopes.filter((s) => !registered.has(s));
  if (overreach.length > 0) {
    throw new AppError(
      'PARTY_SCOPE_NOT_REGISTERED',
      'The request names scopes the party is not registered for under this purpose',
      { scopes: overreach },
    );
  }
  const retentionDays = input.retentionDays ?? party.retentionDays;
  if (retentionDays > party.retentionDays) {
    throw new AppError('VALIDATION_FAILED', 'The retention is longer than the registered one', {
      issues: [
        { path: ['retentionDays'], message: `must be at most the registered ${party.retentionDays} days` },
      ],
    });
  }

  const now = deps.clock.now();
  const { id, secret } = newConsentCode();
  const consent = {
    id,
    partyId: party.id,
    purpose: input.purpose,
    scopes: [...input.scopes],
    reason: input.reason,
    retentionDays,
    ...(input.reference !== undefined && { reference: input.reference }),
    secretHash: secretHashOf(secret),
    createdAt: now,
    expiresAt: now + (input.expiresInS ?? DEFAULT_EXPIRES_IN_S) * 1000,
    sealed: seal(deps, id, { secret }),
  };
  await deps.repo.insert(consent, now);
  deps.logger.info({ consentId: id, partyId: party.id, purpose: input.purpose }, 'consent request created');
  return partyView(deps, { ...consent, state: 'pending', updatedAt: now }, now);
}
