import {
  AppError,
  LICENCE_WALLET_PURPOSE,
  documentTypeOfScope,
  type ConsentDocument,
  type ResidentConsentView,
} from '@eid/shared';
import {
  claimsOf,
  consentTrace,
  expired,
  notify,
  partyActor,
  partyOf,
  seal,
  wireValue,
  wrongState,
  type ConsentDeps,
} from './deps';
import { settle } from './expire';
import { residentConsent } from './open';
import { residentView } from './view';

/**
 * The resident approves the request they opened. Their identity must be verified (CARD_NOT_ELIGIBLE
 * otherwise); the BFF takes exactly the fields of the requested scopes from it, and for `document:<type>`
 * scopes pulls those documents fresh from the licence system (recorded as `licence.pull` with the party as
 * actor), then seals what the party will read in the same conditional write as the state change. The
 * winner records `consent.approve` (the party as actor, the handed-over field names) and enqueues
 * `consent.approved`. Approving twice answers the same.
 */
export async function approveConsent(
  deps: ConsentDeps,
  residentId: string,
  id: string,
  requestId?: string,
): Promise<ResidentConsentView> {
  const c = await settle(deps, await residentConsent(deps, id, residentId), requestId);
  const party = await partyOf(deps, c.partyId);
  if (c.state === 'approved') return residentView(c, party, deps.clock.now());
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
  const approved = await deps.repo.approve(
    c.id,
    residentId,
    { sealed: seal(deps, c.id, { claims, documents }), fields },
    now,
  );
  if (!approved) {
    // Another approval won the race (its answer stands), or the time ran out during the pull.
    const current = await settle(deps, (await deps.repo.byId(c.id)) ?? c, requestId);
    if (current.state === 'approved') return residentView(current, party, deps.clock.now());
    if (current.state === 'expired') throw expired();
    throw wrongState(current.state, 'This request was already answered');
  }
  const mine = { ...approved, residentId };
  await consentTrace(deps, mine, partyActor(party), requestId).once(
    { action: 'consent.approve', fields, detail: { scopes: c.scopes.join(',') } },
    'approved',
  );
  await notify(deps, approved, 'consent.approved');
  deps.logger.info({ consentId: c.id, partyId: c.partyId, fields: fields.length }, 'consent approved');
  return residentView(approved, party, now);
}
