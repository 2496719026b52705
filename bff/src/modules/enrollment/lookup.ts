import type { EnrollmentDeps } from './deps';
import type { EnrollmentRecord } from './enrollment.repository';
import type { ResidentOfIdNumber } from './enrollment.types';
import { openIdentity } from './record';

/**
 * The resident whose verified identity carries this ID number, found through its blind index only (the
 * number itself is stored nowhere in clear); null when no record holds it. For staff lookups (oversight
 * module), which record the disclosure themselves. `idNumber` must be normalised (parseIdNumber).
 */
export async function findByIdNumber(
  deps: EnrollmentDeps,
  idNumber: string,
): Promise<ResidentOfIdNumber | null> {
  return found(deps, await deps.repo.byIdIndex(deps.keys.blindIndex('id-number', idNumber)));
}

/** The same for a resident found before (a reveal after a lookup): null once the identity is gone. */
export async function findByResident(
  deps: EnrollmentDeps,
  residentId: string,
): Promise<ResidentOfIdNumber | null> {
  return found(deps, await deps.repo.get(residentId));
}

function found(deps: EnrollmentDeps, record: EnrollmentRecord | null): ResidentOfIdNumber | null {
  const verified = ['real_name_verified', 'in_review', 'eligible'].includes(record?.state ?? 'new');
  if (!record?.identity || !verified) return null;
  const { face } = openIdentity(deps, record);
  return { residentId: record.residentId, state: record.state, face };
}
