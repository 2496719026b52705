import {
  AppError,
  LICENCE_WALLET_PURPOSE,
  documentTypeOfScope,
  type ConsentDocument,
  type ResidentConsentView,
} from '@eid/shared';
import type { Party } from '../party/party.types';
import {
  claimsOf,
  consentTrace,
  expired,
  partyActor,
  partyOf,
  seal,
  transition,
  wireValue,
  wrongState,
  type ConsentDeps,
} from './deps';
import type { ConsentRecord } from './consent.repository';
import { settle } from './expire';
import { residentConsent } from './open';
import { residentView } from './view';

/**
 * The resident approves the request they opened. Their identity must be verified (CARD_NOT_ELIGIBLE
 * otherwise); the BFF takes exactly the fields of the requested scopes from it, and for `document:<type>`
 * scopes pulls those documents fresh from the licence system (recorded as `licence.pull` with the party as
 * actor), then seals what the party will read in the same conditional write as the state change. The
 * change of state and the `consent.approved` callback are one transaction (deps.ts transition); the
 * winner then records `consent.approve` (the party as actor, the handed-over field names). Approving twice
 * answers the same, and completes the trace entry if the first answer failed after the write.
 */
export async function approveConsent(
  deps: ConsentDeps,
  residentId: string,
  id: string,
  requestId?: string,
): Promise<ResidentConsentView> {
  const c = await settle(deps, await residentConsent(deps, id, residentId), requestId);
  const party = await partyOf(deps, c.partyId);
  if (c.state === 'approved') return approvedView(deps, c, party, requestId);
  if (c.state === 'expired') throw expired();
  if (c.state !== 'pending') throw wrongState(c.state, 'This request was already answered');
  // A suspended party receives nothing new; the request stays pending until it expires or is reinstated.
  if (party.status === 'suspended') {
    throw new AppError(
      'PARTY_SUSPENDED',
      'This party is suspended by the registry; nothing can be approved for it',
    );
  }

  const { face } = await deps.identity.getVerifiedIdentity(residentId);
  const claims = claimsOf(deps, face, c.scopes, deps.clock.now());
  const types = c.scopes.map(documentTypeOfScope).filter((t): t is string => t !== undefined);
  // The wallet purpose may pull every registered type; the party's own purpose is in the consent and the
  // trace below. LICENCE_SYSTEM_UNAVAILABLE here leaves the request pending and approvable.
  const pulled =
    types.length > 0
      ? await deps.documents.documentsFor(residentId, types, LICENCE_WALLET_PURPOSE, {
          requestId,
          actor: partyActor(party),
        })
      : [];
  const documents: ConsentDocument[] = pulled
    .filter((d) => types.includes(d.type))
    .map((d) => ({
      type: d.type,
      documentNumber: d.documentNumber,
      status: d.status,
      validUntil: d.validUntil,
      values: Object.fromEntries(Object.entries(d.values).map(([k, v]) => [k, wireValue(v)])),
    }));
  const fields = [
    ...Object.keys(claims),
    ...documents.flatMap((d) => Object.keys(d.values).map((k) => `${d.type}.${k}`)),
  ];

  const now = deps.clock.now();
  const sealed = seal(deps, c.id, { claims, documents });
  const approved = await transition(
    deps,
    (session) => deps.repo.approve(c.id, residentId, { sealed, fields }, now, session),
    [{ type: 'consent.approved' }],
  );
  if (!approved) {
    // Another approval won the race (its answer stands), or the time ran out during the pull.
    const current = await settle(deps, (await deps.repo.byId(c.id)) ?? c, requestId);
    if (current.state === 'approved') return approvedView(deps, current, party, requestId);
    if (current.state === 'expired') throw expired();
    throw wrongState(current.state, 'This request was already answered');
  }
  deps.logger.info({ consentId: c.id, partyId: c.partyId, fields: fields.length }, 'consent approved');
  return approvedView(deps, approved, party, requestId);
}

/**
 * The resident's view of an approved consent, after recording `consent.approve` once per consent (the
 * winner records it; a repeat after a failed trace write fills it in, any other repeat writes nothing).
 */
async function approvedView(
  deps: ConsentDeps,
  c: ConsentRecord,
  party: Party,
  requestId?: string,
): Promise<ResidentConsentView> {
  if (c.residentId !== undefined) {
    await consentTrace(deps, { ...c, residentId: c.residentId }, partyActor(party), requestId).once(
      { action: 'consent.approve', fields: c.fields ?? [], detail: { scopes: c.scopes.join(',') } },
      'approved',
    );
  }
  return residentView(c, party, deps.clock.now());
}
