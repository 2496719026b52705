import { AppError } from '@eid/shared';
import type { CardView } from './card.types';
import { cardView, liveOrThrow, residentTrace, type CardDeps } from './deps';

export const staffHeld = () =>
  new AppError('CARD_SUSPENDED_BY_STAFF', 'The card was suspended by the police; only they can restore it');

/** Suspends the live card (a lost phone); idempotent. No face check: a thief must not be able to block it. */
export async function suspendCard(
  { repo, identity, statusLists, usage, clock }: CardDeps,
  residentId: string,
  requestId?: string,
): Promise<CardView> {
  const card = await liveOrThrow(repo, residentId);
  const id = await identity.getVerifiedIdentity(residentId);
  if (card.status === 'suspended') return cardView(card, id.face);
  const suspended = await repo.transition(card.cardId, 'active', 'suspended', clock.now());
  if (!suspended)
    throw new AppError('CONFLICT', 'The card changed meanwhile; try again', { retryable: true });
  await statusLists.changed(card.kid);
  await residentTrace(usage, residentId, requestId).record({ action: 'card.suspend' });
  return cardView(suspended, id.face);
}

/** Resumes a suspended card after a fresh face check. */
export async function resumeCard(
  { repo, identity, statusLists, usage, clock }: CardDeps,
  residentId: string,
  reauthToken: string,
  requestId?: string,
): Promise<CardView> {
  const card = await liveOrThrow(repo, residentId);
  if (card.status !== 'suspended') throw new AppError('CARD_NOT_SUSPENDED', 'The card is not suspended');
  // A supervisor's suspension (a police hold) is not the holder's to lift, face check or not.
  if (card.suspendedBy === 'staff') throw staffHeld();
  await identity.verifyReauthToken(residentId, reauthToken);
  const id = await identity.getVerifiedIdentity(residentId);
  const resumed = await repo.transition(card.cardId, 'suspended', 'active', clock.now());
  if (!resumed) throw new AppError('CONFLICT', 'The card changed meanwhile; try again', { retryable: true });
  await statusLists.changed(card.kid);
  await residentTrace(usage, residentId, requestId).record({ action: 'card.resume' });
  return cardView(resumed, id.face);
}
