import { randomUUID } from 'node:crypto';
import {
  AppError,
  maskIdNumber,
  parseIdNumber,
  type LookupRequest,
  type LookupResult,
  type RevealRequest,
  type RevealResult,
} from '@eid/shared';
import { accountDetail, maskName, staffActor } from './actor';
import type { OversightDeps } from './deps';
import type { LookupDoc } from './oversight.repository';
import type { StaffCaller } from './oversight.types';

/** The purpose every record of a staff lookup carries in the resident's trace. */
export const LOOKUP_PURPOSE = 'staff_lookup';
const LOOKUP_FIELDS = ['name_masked', 'idNumber_masked', 'enrollment', 'card'];

/**
 * Finds the resident by the blind index of the ID number and answers masked data. The lookup is stored
 * (who, when, why) whether or not it found anyone, and the resident's trace gets its record before the
 * answer leaves. An unknown number takes the same steps (a card read, the lookup stored) and then answers
 * NOT_FOUND, so its answer time says little more than its status does.
 */
export async function lookup(
  deps: OversightDeps,
  caller: StaffCaller,
  input: LookupRequest,
): Promise<LookupResult> {
  const { clock, config, repo } = deps;
  const now = clock.now();
  const parsed = parseIdNumber(input.idNumber, { now });
  if (!parsed.ok) throw new AppError(parsed.code, parsed.message);
  const desk = await deps.staffDesk(caller.id);
  const found = await deps.identity.findByIdNumber(parsed.value.idNumber);
  const card = await deps.card.liveDevice(found?.residentId ?? `none:${randomUUID()}`);
  const doc: LookupDoc = {
    _id: randomUUID(),
    staffId: caller.id,
    at: now,
    reason: input.reason,
    legalBasis: input.legalBasis,
    residentId: found?.residentId ?? null,
    revealUntil: now + config.OVERSIGHT_REVEAL_WINDOW_S * 1000,
    reveals: [],
    ...(input.deferralRequested && { hiddenUntil: now + config.OVERSIGHT_DEFER_HOLD_S * 1000 }),
  };
  await repo.insertLookup(doc);
  if (!found) throw new AppError('NOT_FOUND', 'No resident has this ID number');

  await deps.usage
    .disclosure({
      residentId: found.residentId,
      actor: staffActor(desk),
      purpose: LOOKUP_PURPOSE,
      ...(caller.requestId && { requestId: caller.requestId }),
    })
    .record({
      action: 'staff.lookup',
      fields: LOOKUP_FIELDS,
      detail: accountDetail(desk, doc._id, {
        reason: input.reason,
        legalBasis: input.legalBasis.kind,
        caseNumber: input.legalBasis.caseNumber,
      }),
      ...(doc.hiddenUntil !== undefined && { visibleFrom: doc.hiddenUntil }),
    });
  return {
    lookupId: doc._id,
    revealUntil: doc.revealUntil,
    resident: {
      name: maskName(found.face.name),
      idNumber: maskIdNumber(found.face.idNumber),
      enrollment: found.state,
      card: card ? { id: card.cardId, status: card.status } : null,
    },
    ...(doc.hiddenUntil !== undefined && { hiddenUntil: doc.hiddenUntil }),
  };
}

/** A lookup of the caller's own that found someone; the reasons it is not, as stable codes. */
export async function ownLookup(
  deps: OversightDeps,
  caller: StaffCaller,
  lookupId: string,
): Promise<LookupDoc & { residentId: string }> {
  const doc = await deps.repo.lookup(lookupId);
  if (!doc || doc.residentId === null) throw new AppError('NOT_FOUND', 'No such lookup');
  if (doc.staffId !== caller.id)
    throw new AppError('FORBIDDEN', 'Only the staff member who made the lookup may reveal from it', {
      reason: 'not_own_lookup',
    });
  return { ...doc, residentId: doc.residentId };
}

/**
 * One field in full: a separate, reasoned action, recorded in the resident's trace (held back as the
 * lookup's other records are, while it is deferred) before the value is answered.
 */
export async function reveal(
  deps: OversightDeps,
  caller: StaffCaller,
  lookupId: string,
  input: RevealRequest,
): Promise<RevealResult> {
  const now = deps.clock.now();
  const doc = await ownLookup(deps, caller, lookupId);
  if (now > doc.revealUntil)
    throw new AppError('LOOKUP_EXPIRED', 'This lookup can no longer reveal; look the resident up again', {
      revealUntil: doc.revealUntil,
    });
  const found = await deps.identity.findByResident(doc.residentId);
  if (!found) throw new AppError('NOT_FOUND', 'The resident no longer has a verified identity');
  const desk = await deps.staffDesk(caller.id);
  const value = found.face[input.field];

  await deps.usage
    .disclosure({
      residentId: doc.residentId,
      actor: staffActor(desk),
      purpose: LOOKUP_PURPOSE,
      ...(caller.requestId && { requestId: caller.requestId }),
    })
    .record({
      action: 'staff.reveal',
      fields: [input.field],
      detail: accountDetail(desk, doc._id, {
        reason: input.reason,
        legalBasis: doc.legalBasis.kind,
        caseNumber: doc.legalBasis.caseNumber,
        field: input.field,
      }),
      ...(doc.hiddenUntil !== undefined && doc.hiddenUntil > now && { visibleFrom: doc.hiddenUntil }),
    });
  await deps.repo.addReveal(doc._id, input.field, now);
  // A deferral that landed between our read and our record must cover this record too.
  const after = await deps.repo.lookup(doc._id);
  if (after?.hiddenUntil !== undefined && after.hiddenUntil !== doc.hiddenUntil && after.hiddenUntil > now)
    await deps.usage.setVisibleFrom(doc.residentId, { key: 'lookupId', value: doc._id }, after.hiddenUntil);
  return { field: input.field, value };
}
