import { AppError } from '@eid/shared';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Leases } from '../../infra/lease';
import type { Logger } from '../../infra/logger';
import type { RegistryClient } from '../../infra/upstream';
import type { IdentityFace, IdentityService } from '../enrollment/enrollment.types';
import { residentActor, type Disclosure, type UsageRecorder } from '../usage/usage.types';
import type { CardRecord, CardRepository } from './card.repository';
import { faceView, type CardView } from './card.types';
import type { StatusListService } from './status-list.service';

/** What the card use cases work with; card.service.ts builds it once. */
export interface CardDeps {
  repo: CardRepository;
  statusLists: StatusListService;
  keys: KeyStore;
  clock: Clock;
  logger: Logger;
  usage: UsageRecorder;
  identity: IdentityService;
  registry: Pick<RegistryClient, 'portrait' | 'status'>;
  /** Named leases (infra/lease.ts): one process at a time runs the revocation check. */
  leases: Leases;
  /** Who a staff member is, for the trace of their card actions (the staff service's profile). */
  staffDesk?: (staffId: string) => Promise<{ id: string; displayName: string; org: string }>;
  /** How long a credential lives (never past the physical card); CREDENTIAL_TTL_MS unless a test says. */
  credentialTtlMs?: number;
}

/** docs/api.md `Card`: the stored card with the registry's face, the ID number masked. */
export const cardView = (card: CardRecord, face: IdentityFace): CardView => ({
  cardId: card.cardId,
  status: card.status,
  issuedAt: card.credentialIssuedAt,
  expiresAt: card.credentialExpiresAt,
  kid: card.kid,
  face: faceView(face),
  ...(card.status === 'suspended' && card.suspendedBy === 'staff' && { suspendedBy: 'staff' as const }),
});

/** The resident's active or suspended card; CARD_NOT_FOUND when there is none. */
export async function liveOrThrow(repo: CardRepository, residentId: string): Promise<CardRecord> {
  const card = await repo.liveOf(residentId);
  if (!card) throw new AppError('CARD_NOT_FOUND', 'You have no bright card yet');
  return card;
}

/** The resident's own use of their card, as their usage trace records it (purpose `card`). */
export const residentTrace = (usage: UsageRecorder, residentId: string, requestId?: string): Disclosure =>
  usage.disclosure({ residentId, actor: residentActor(residentId), purpose: 'card', requestId });
