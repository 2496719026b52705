import type { UsageActor } from '../usage/usage.types';
import type { RevocationReason, RevokeTarget } from './card.types';
import type { CardDeps } from './deps';

/**
 * The one revocation step: revokes the card if it is still live, tells every process its status list
 * changed, and records the revocation in the holder's usage trace. False when there was nothing to revoke.
 */
export async function revokeCard(
  {
    repo,
    statusLists,
    usage,
    clock,
    logger,
  }: Pick<CardDeps, 'repo' | 'statusLists' | 'usage' | 'clock' | 'logger'>,
  target: RevokeTarget,
  reason: RevocationReason,
  actor: UsageActor,
  requestId?: string,
  /** More for the trace: a supervisor's stated reason and case number. */
  detail: Record<string, string> = {},
): Promise<boolean> {
  const revoked =
    'cardId' in target
      ? await repo.revoke(target.cardId, reason, clock.now())
      : await repo.revokeLiveOf(target.residentId, reason, clock.now());
  if (!revoked) return false;
  await statusLists.changed(revoked.kid);
  await usage
    .disclosure({ residentId: revoked.residentId, actor, purpose: 'card', requestId })
    .record({ action: 'card.revoke', detail: { ...detail, reason } });
  logger.info({ cardId: revoked.cardId, reason }, 'card revoked');
  return true;
}
