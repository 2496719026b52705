import { AppError, parseSfDictionary, type DeletionAckRequest, type PartyConsentView } from '@eid/shared';
import type { VerifiedPartyRequest } from '../party/party.types';
import { consentTrace, partyActor, wrongState, type ConsentDeps } from './deps';
import { partyConsent } from './read';
import { partyView } from './view';

/**
 * The party acknowledges that it deleted what a withdrawn consent gave it, in a request signed by its own
 * key (only the consent's party: any other gets NOT_FOUND). The BFF keeps the acknowledgement as received
 * (raw body, signature headers, target URI, key id and public key), so anyone can check it later without
 * the party's help; the resident then sees "deleted on …, confirmed by <kid>". The first acknowledgement is
 * the one kept; a repeated one answers the same.
 */
/**
 * The header fields the signature covers besides Content-Digest (lower-case names), with their values as
 * received: what the proof needs to rebuild the signature base. Derived components (`@method`, ...) come
 * from the kept method and target URI.
 */
function coveredHeaders(
  signatureInput: string,
  header: (name: string) => string,
): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const member of parseSfDictionary(signatureInput).values()) {
    if (member.kind !== 'inner-list') continue;
    for (const item of member.items) {
      const name = item.value.type === 'string' ? item.value.value : undefined;
      if (name && !name.startsWith('@') && name !== 'content-digest') out.push({ name, value: header(name) });
    }
  }
  return out;
}

/** How far the party's `deletedAt` may be ahead of the BFF's clock (the signature's own window). */
const ACK_SKEW_MS = 5 * 60_000;

export async function acknowledgeDeletion(
  deps: ConsentDeps,
  signed: VerifiedPartyRequest,
  id: string,
  input: DeletionAckRequest,
  header: (name: string) => string,
  requestId?: string,
): Promise<PartyConsentView> {
  const c = await partyConsent(deps, signed.party, id);
  if (c.state !== 'withdrawn')
    throw wrongState(c.state, 'Only a withdrawn consent has a deletion to acknowledge');
  if (c.deletion?.confirmedAt !== undefined) return partyView(deps, c, deps.clock.now());
  const now = deps.clock.now();
  if (input.deletedAt > now + ACK_SKEW_MS) {
    throw new AppError('VALIDATION_FAILED', 'The deletion cannot have happened in the future', {
      issues: [{ path: ['deletedAt'], message: 'must not be later than the request' }],
    });
  }
  const headers = coveredHeaders(signed.signatureInput, header);
  const proof = {
    kid: signed.kid,
    publicKey: signed.publicKey,
    method: signed.method,
    targetUri: signed.targetUri,
    signatureInput: signed.signatureInput,
    signature: signed.signature,
    contentDigest: signed.contentDigest,
    ...(headers.length > 0 && { headers }),
    body: signed.rawBody,
    receivedAt: now,
  };
  const confirmed =
    (await deps.repo.confirmDeletion(
      c.id,
      signed.party.id,
      { deletedAt: input.deletedAt, ...(input.note !== undefined && { note: input.note }), proof },
      now,
    )) ?? (await deps.repo.byId(c.id));
  if (!confirmed) throw wrongState('unknown');
  if (confirmed.residentId !== undefined && confirmed.deletion?.proof?.signature === proof.signature) {
    await consentTrace(
      deps,
      { ...confirmed, residentId: confirmed.residentId },
      partyActor(signed.party),
      requestId,
    )
      .once({ action: 'consent.deletion_confirmed', detail: { kid: signed.kid } }, 'deletion_confirmed')
      .catch((err: unknown) => deps.logger.error({ err, consentId: c.id }, 'usage record failed'));
  }
  deps.logger.info({ consentId: c.id, partyId: c.partyId, kid: signed.kid }, 'deletion acknowledged');
  return partyView(deps, confirmed, now);
}
