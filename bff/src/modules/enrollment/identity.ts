import { AppError } from '@eid/shared';
import type { EnrollmentDeps } from './deps';
import type { EnrollmentRecord } from './enrollment.repository';
import type { IdentityService, VerifiedIdentity } from './enrollment.types';
import { hasPendingHooks } from './hooks';
import { findByIdNumber, findByResident } from './lookup';
import { verifyReauthToken } from './reauth';
import { load, newRecord, openIdentity } from './record';

function verifiedIdentityOf(deps: EnrollmentDeps, record: EnrollmentRecord): VerifiedIdentity {
  if (record.state !== 'eligible') {
    throw new AppError('CARD_NOT_ELIGIBLE', 'Finish the real-name and real-person checks first', {
      state: record.state,
    });
  }
  const { face, portraitRef } = openIdentity(deps, record);
  return { residentId: record.residentId, state: record.state, face, portraitRef };
}

/** The decrypted identity of an `eligible` resident; throws CARD_NOT_ELIGIBLE otherwise. */
export async function getVerifiedIdentity(
  deps: EnrollmentDeps,
  residentId: string,
): Promise<VerifiedIdentity> {
  return verifiedIdentityOf(deps, await load(deps, residentId));
}

/** `getVerifiedIdentity` for several residents in one read; each entry is the identity or its error. */
export async function getVerifiedIdentities(
  deps: EnrollmentDeps,
  residentIds: string[],
): Promise<(VerifiedIdentity | Error)[]> {
  const records = await deps.repo.getMany(residentIds);
  return Promise.all(
    residentIds.map(async (residentId) => {
      try {
        const record = records.get(residentId);
        // A record with a hook left pending takes the one-by-one path, which finishes the hook first.
        if (record && hasPendingHooks(record)) return await getVerifiedIdentity(deps, residentId);
        return verifiedIdentityOf(deps, record ?? newRecord(residentId));
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err));
      }
    }),
  );
}

/** What other modules (card, verify) may ask of a resident's verified identity. */
export function createIdentityService(deps: EnrollmentDeps): IdentityService {
  return {
    getVerifiedIdentity: (residentId) => getVerifiedIdentity(deps, residentId),
    getVerifiedIdentities: (residentIds) => getVerifiedIdentities(deps, residentIds),
    verifyReauthToken: (residentId, token) => verifyReauthToken(deps, residentId, token),
    findByIdNumber: (idNumber) => findByIdNumber(deps, idNumber),
    findByResident: (residentId) => findByResident(deps, residentId),
  };
}
