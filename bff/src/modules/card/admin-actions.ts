import { AppError, type CardActionResult } from '@eid/shared';
import type { UsageActor } from '../usage/usage.types';
import type { CardRecord } from './card.repository';
import type { CardAction, CardActionInput } from './card.types';
import type { CardDeps } from './deps';
import { revokeCard } from './revoke';

/** The staff member as the resident's trace names them: their desk and unit, as the verifier's trace does. */
async function staffActorOf(deps: CardDeps, staffId: string): Promise<UsageActor> {
  if (!deps.staffDesk) throw new AppError('INTERNAL', 'Card actions need the staff profiles');
  const staff = await deps.staffDesk(staffId);
  return { type: 'staff', id: staff.id, displayName: staff.displayName, org: staff.org };
}

const resultOf = (card: CardRecord): CardActionResult => ({
  card: {
    id: card.cardId,
    status: card.status,
    ...(card.status === 'suspended' && { suspendedBy: card.suspendedBy ?? 'resident' }),
  },
});

/** Why an action found nothing to do to the card: not ours, already revoked, or already in that state. */
async function refusal(deps: CardDeps, cardId: string, action: CardAction): Promise<AppError> {
  const card = await deps.repo.byId(cardId);
  if (!card) return new AppError('CARD_NOT_FOUND', 'No card with this id');
  if (card.status === 'revoked') {
    return new AppError('CARD_REVOKED', 'The card is revoked; a revocation is final', {
      revokedReason: card.revokedReason ?? 'unknown',
    });
  }
  if (action === 'restore') return new AppError('CARD_NOT_SUSPENDED', 'The card is not suspended');
  if (action === 'suspend' && card.suspendedBy === 'staff') {
    return new AppError('CARD_SUSPENDED', 'The card is already suspended by staff');
  }
  return new AppError('CONFLICT', 'The card changed meanwhile; try again', { retryable: true });
}

/**
 * A supervisor suspends, revokes or restores a card with a stated reason (docs/admin.md "Card actions").
 * Each change is one conditional update, published in the status list at once and recorded in the
 * holder's usage trace with the supervisor as actor. A staff suspension is marked so that the holder's own
 * resume (or a new device) cannot lift it; restore lifts any suspension; a revocation is final.
 */
export async function actOnCard(
  deps: CardDeps,
  action: CardAction,
  cardId: string,
  staffId: string,
  input: CardActionInput,
  requestId?: string,
): Promise<CardActionResult> {
  const { repo, statusLists, usage, clock, logger } = deps;
  const actor = await staffActorOf(deps, staffId);
  // `statedReason`, not `reason`: a revocation's trace event keeps `reason` for its RevocationReason.
  const detail = {
    by: 'staff',
    statedReason: input.reason,
    ...(input.caseNumber && { caseNumber: input.caseNumber }),
  };
  if (action === 'revoke') {
    if (!(await revokeCard(deps, { cardId }, 'staff_revoked', actor, requestId, detail)))
      throw await refusal(deps, cardId, action);
    const revoked = await repo.byId(cardId);
    return resultOf(revoked!);
  }
  const now = clock.now();
  const changed =
    action === 'suspend'
      ? await repo.staffSuspend(
          cardId,
          { staffId, reason: input.reason, ...(input.caseNumber && { caseNumber: input.caseNumber }) },
          now,
        )
      : await repo.restore(cardId, now);
  if (!changed) throw await refusal(deps, cardId, action);
  await statusLists.changed(changed.kid);
  await usage
    .disclosure({ residentId: changed.residentId, actor, purpose: 'card', requestId })
    .record({ action: action === 'suspend' ? 'card.suspend' : 'card.restore', detail });
  logger.info({ cardId, action, staffId }, 'card action by staff');
  return resultOf(changed);
}
