import { AppError, type RevealedIdNumber } from '@eid/shared';
import type { PortraitImage } from '../../infra/upstream';
import type { VerifiedIdentity } from '../enrollment/enrollment.types';
import type { CardView } from './card.types';
import { cardView, liveOrThrow, residentTrace, type CardDeps } from './deps';

const FACE_FIELDS = [
  'name',
  'sex',
  'ethnicity',
  'birthDate',
  'address',
  'idNumberMasked',
  'issuingAuthority',
  'validFrom',
  'validUntil',
];

/** The resident's live card, or the last revoked one so the page can say why; CARD_NOT_FOUND if none. */
export async function getCard(
  { repo, identity, usage }: CardDeps,
  residentId: string,
  requestId?: string,
): Promise<CardView> {
  const card = (await repo.liveOf(residentId)) ?? (await repo.latestOf(residentId));
  if (!card) throw new AppError('CARD_NOT_FOUND', 'You have no bright card yet');
  let id: VerifiedIdentity;
  try {
    id = await identity.getVerifiedIdentity(residentId);
  } catch (err) {
    if (err instanceof AppError && err.code === 'CARD_NOT_ELIGIBLE' && card.status === 'revoked') {
      throw new AppError('CARD_NOT_FOUND', 'You have no bright card', { lastStatus: 'revoked' });
    }
    throw err;
  }
  await residentTrace(usage, residentId, requestId).record({ action: 'card.read', fields: FACE_FIELDS });
  return cardView(card, id.face);
}

/** The registry portrait of the resident with a live card; fetched each time, never stored. */
export async function getPortrait(
  { repo, identity, registry, usage }: CardDeps,
  residentId: string,
  requestId?: string,
): Promise<PortraitImage> {
  await liveOrThrow(repo, residentId);
  const id = await identity.getVerifiedIdentity(residentId);
  const image = await registry.portrait(id.portraitRef);
  await residentTrace(usage, residentId, requestId).record({ action: 'portrait.read', fields: ['portrait'] });
  return image;
}

/** The full ID number, after a fresh face check. */
export async function revealIdNumber(
  { repo, identity, usage }: CardDeps,
  residentId: string,
  reauthToken: string,
  requestId?: string,
): Promise<RevealedIdNumber> {
  await liveOrThrow(repo, residentId);
  await identity.verifyReauthToken(residentId, reauthToken);
  const id = await identity.getVerifiedIdentity(residentId);
  await residentTrace(usage, residentId, requestId).record({ action: 'card.reveal', fields: ['idNumber'] });
  return { idNumber: id.face.idNumber };
}
