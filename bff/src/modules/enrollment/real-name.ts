import { AppError, beijingDate, parseIdNumber, type ErrorCode } from '@eid/shared';
import type { RegistryAnswer } from '../../infra/upstream/types';
import { systemActor, type Disclosure } from '../usage/usage.types';
import { failedTry, reserveTry } from './attempts';
import type { EnrollmentDeps } from './deps';
import type { EnrollmentView } from './enrollment.types';
import { failureDetail, load, outOfOrder, recordQuietly, sealIdentity, view } from './record';

/** Who the check's disclosure went to, as the resident sees it in the usage trace. */
const REGISTRY_ACTOR = systemActor('population-registry', '人口信息核验');

type Refusal = Exclude<RegistryAnswer['result'], 'match'> | 'expired';

// An unknown number answers as a wrong name does: otherwise anyone could learn which numbers exist by
// trying any name (docs/identity.md, "Tries"). REAL_NAME_NOT_FOUND stays in the codes but is not sent here.
const NO_MATCH: [ErrorCode, string] = ['REAL_NAME_MISMATCH', 'The name and ID number do not match'];
const REGISTRY_CODES: Record<Refusal, [ErrorCode, string]> = {
  mismatch: NO_MATCH,
  not_found: NO_MATCH,
  cancelled: ['REAL_NAME_CARD_CANCELLED', 'This ID card has been cancelled'],
  deceased: ['REAL_NAME_DECEASED', 'This ID number belongs to a deceased person'],
  expired: ['REAL_NAME_CARD_EXPIRED', 'This ID card has expired; renew it first'],
};

function classifyRegistry(answer: RegistryAnswer, now: number): Refusal | 'match' {
  if (answer.result !== 'match') return answer.result;
  const { validUntil } = answer.card;
  return validUntil !== '长期' && validUntil < beijingDate(now) ? 'expired' : 'match';
}

/** The registry's answer, with the try given back when the registry could not be asked. */
async function askRegistry(
  deps: EnrollmentDeps,
  trace: Disclosure,
  residentId: string,
  input: { name: string; idNumber: string },
  counters: string[],
): Promise<RegistryAnswer> {
  try {
    return await deps.registry.verify(input.name, input.idNumber);
  } catch (err) {
    await deps.repo.refundAttempt(counters);
    await recordQuietly(deps, trace, residentId, {
      action: 'identity.real_name',
      fields: ['name', 'idNumber'],
      result: 'failed',
      detail: failureDetail(err),
    });
    throw err;
  }
}

/** consented -> real_name_verified after the registry confirms the name and ID number. */
export async function realName(
  deps: EnrollmentDeps,
  residentId: string,
  input: { name: string; idNumber: string },
  requestId?: string,
): Promise<EnrollmentView> {
  const { repo, clock } = deps;
  const now = clock.now();
  const parsed = parseIdNumber(input.idNumber, { now });
  if (!parsed.ok) throw new AppError(parsed.code, parsed.message);
  const idNumber = parsed.value.idNumber;
  const name = input.name.normalize('NFC').trim();
  const idIndex = deps.keys.blindIndex('id-number', idNumber);

  const record = await load(deps, residentId);
  if (record.state === 'real_name_verified' || record.state === 'eligible') {
    if (record.idIndex === idIndex) return view(deps, record);
    throw outOfOrder(record.state);
  }
  if (record.state !== 'consented') throw outOfOrder(record.state);

  const counters = await reserveTry(deps, 'real_name', residentId, idIndex);
  const trace = deps.usage.disclosure({
    residentId,
    actor: REGISTRY_ACTOR,
    purpose: 'enrollment',
    requestId,
  });
  const event = { action: 'identity.real_name', fields: ['name', 'idNumber'] };
  const answer = await askRegistry(deps, trace, residentId, { name, idNumber }, counters);
  const outcome = classifyRegistry(answer, now);
  deps.logger.info({ residentId, step: 'real_name', outcome }, 'registry answered');
  if (outcome !== 'match' || answer.result !== 'match') {
    // The caller reads their own trace: it says what the answer said, so it cannot tell the two apart either.
    const told = outcome === 'not_found' ? 'mismatch' : outcome;
    await trace.record({ ...event, result: 'failed', detail: { answer: told } });
    throw await failedTry(deps, 'real_name', residentId, REGISTRY_CODES[outcome as Refusal]);
  }
  await repo.refundAttempt(counters);
  await trace.record(event);
  const sealed = sealIdentity(deps, residentId, {
    face: answer.card,
    portraitRef: answer.portraitRef,
    ...(answer.flags?.length && { registryFlags: answer.flags }),
  });
  if (!(await repo.setRealNameVerified(residentId, sealed, idIndex, clock.now()))) {
    const current = await load(deps, residentId);
    if (current.idIndex === idIndex) return view(deps, current);
    throw outOfOrder(current.state);
  }
  return view(deps, await load(deps, residentId));
}
