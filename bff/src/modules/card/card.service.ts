import { systemActor } from '../usage/usage.types';
import { actOnCard } from './admin-actions';
import type { CardService } from './card.types';
import type { CardDeps } from './deps';
import { issueCard } from './issue';
import { createRevocationCheck } from './revocation-check';
import { revokeCard } from './revoke';
import { resumeCard, suspendCard } from './suspend-resume';
import { getCard, getPortrait, revealIdNumber } from './view';

const CARD_SERVICE_ACTOR = systemActor('card', '电子身份证服务');

/**
 * The bright card: issuing credentials bound to a device key, the resident's own view of the card,
 * suspension and resumption, and revocation (by replacement, identity withdrawal or the registry).
 * Each use case is its own file; this composes them over one set of deps and starts nothing.
 */
export function createCardService(deps: CardDeps): CardService {
  const { revocationCheck, startRevocationChecks } = createRevocationCheck(deps);
  return {
    onIdentityWithdrawn: async (residentId, reason) => {
      await revokeCard(deps, { residentId }, reason, CARD_SERVICE_ACTOR);
    },
    issue: (residentId, body, requestId) => issueCard(deps, residentId, body, requestId),
    get: (residentId, requestId) => getCard(deps, residentId, requestId),
    portrait: (residentId, requestId) => getPortrait(deps, residentId, requestId),
    reveal: (residentId, reauthToken, requestId) => revealIdNumber(deps, residentId, reauthToken, requestId),
    async liveDevice(residentId) {
      const card = await deps.repo.liveOf(residentId);
      if (!card || card.status === 'revoked') return undefined;
      return { cardId: card.cardId, status: card.status, devicePublicKey: card.devicePublicKey };
    },
    suspend: (residentId, requestId) => suspendCard(deps, residentId, requestId),
    resume: (residentId, reauthToken, requestId) => resumeCard(deps, residentId, reauthToken, requestId),
    revokeCard: (target, reason, actor, requestId) => revokeCard(deps, target, reason, actor, requestId),
    act: (action, cardId, staffId, input, requestId) =>
      actOnCard(deps, action, cardId, staffId, input, requestId),
    async standings(cardIds) {
      const found = await deps.repo.standingsOf(cardIds);
      return cardIds.map((id) => found.get(id) ?? null);
    },
    revocationCheck,
    startRevocationChecks,
    countCards: (from) => deps.repo.countCards(from),
  };
}
