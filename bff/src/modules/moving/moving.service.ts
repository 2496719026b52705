import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  AppError,
  base64urlEncode,
  inspectCode,
  trustListOf,
  type Ed25519,
  type FormerHomeUsage as FormerUsage,
  type FormerHomeView,
  type Sha256,
  type UsagePage,
} from '@eid/shared';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import { safeEqual } from '../../infra/keystore';
import type { CardService } from '../card/card.types';
import type { IdentityService, IdentityWithdrawnHook } from '../enrollment/enrollment.types';
import type { FederationService } from '../federation/federation.types';
import type { TrustService } from '../trust/trust.types';
import { residentActor, systemActor, type UsageReader, type UsageRecorder } from '../usage/usage.types';
import type { MovingRepository } from './moving.repository';

/** The home side's routes (node-to-node, behind the node guard). */
export const MOVE_OUT_PATH = '/api/v1/federation/node/moves';
export const formerUsagePath = (ref: string) => `/api/v1/federation/node/former-residents/${ref}/usage`;

const MOVING_ACTOR = systemActor('moving', '户籍迁移服务');
const PURPOSE = 'province_move';

export interface MovingDeps {
  repo: MovingRepository;
  province: string;
  clock: Clock;
  logger: Logger;
  trust: Pick<TrustService, 'issuers'>;
  card: Pick<CardService, 'standings' | 'get'>;
  identity: Pick<IdentityService, 'getVerifiedIdentity'>;
  /** Every module's identity-withdrawn hook (app.ts's list): a move ends the old home's card, deliveries, consents. */
  hooks: readonly IdentityWithdrawnHook[];
  usage: Pick<UsageRecorder, 'disclosure'> & UsageReader;
  federation: Pick<FederationService, 'enabled' | 'provinceName' | 'nodeClient'>;
  ed25519: Ed25519;
  sha256: Sha256;
}

const MoveOutAnswer = z.object({
  province: z.string().regex(/^\d{2}$/),
  ref: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  movedAt: z.number().int().nonnegative(),
});
const UsagePageAnswer = z.object({
  items: z.array(z.record(z.string(), z.unknown())).max(100),
  nextBefore: z.number().int().nullable(),
});

function proofInvalid(
  reason: string,
  message = 'This code does not prove you hold the card you are moving from',
): AppError {
  return new AppError('MOVE_PROOF_INVALID', message, { reason });
}

/**
 * Binds the old card to the person who enrolled at the new home without sending the ID number: both sides
 * compute it, the new home from the identity it verified, the old home from the card's holder.
 */
export function holderDigest(sha256: Sha256, cardId: string, idNumber: string): string {
  return base64urlEncode(sha256(new TextEncoder().encode(`eid move v1\n${cardId}\n${idNumber}`)));
}

/**
 * Moving a resident between provinces (docs/federation.md "Moving province"): the new home issues its card
 * as for anyone; then the resident shows a fresh code of the old card, which proves they hold it, and the
 * new home asks the old one to end it. The old home keeps the trace and answers it to the new home only.
 */
export function createMovingService(deps: MovingDeps) {
  const { repo, clock, federation } = deps;
  const nameOf = (province: string) => federation.provinceName(province);
  const inspect = (code: string) =>
    inspectCode(code, {
      trustList: trustListOf(deps.trust.issuers()),
      clock,
      ed25519: deps.ed25519,
      sha256: deps.sha256,
    });

  return {
    /** At the new home: the signed-in resident, holding a card here, ends their card at the old home. */
    async moveIn(residentId: string, formerCode: string, requestId?: string): Promise<FormerHomeView> {
      if (!federation.enabled)
        throw new AppError('FEDERATION_NOT_CONFIGURED', 'This node is not part of a federation');
      const identity = await deps.identity.getVerifiedIdentity(residentId);
      const card = await deps.card.get(residentId);
      if (card.status !== 'active')
        throw new AppError('CARD_NOT_ELIGIBLE', 'Your card here must be active before you move your old one');
      const result = inspect(formerCode);
      if (result.verdict !== 'valid' || !result.cardId || !result.province)
        throw proofInvalid(result.verdict === 'expired' ? 'expired' : 'invalid');
      const from = result.province;
      if (from === deps.province) throw proofInvalid('same_province', 'That card is from this province');
      let answer;
      try {
        answer = await federation.nodeClient.call<unknown>(
          from,
          'POST',
          MOVE_OUT_PATH,
          {
            code: formerCode,
            holderDigest: holderDigest(deps.sha256, result.cardId, identity.face.idNumber),
          },
          // The old home answers a repeat with the same move, so a lost answer may be asked again.
          { idempotent: true },
        );
      } catch (err) {
        if (err instanceof AppError && err.code === 'UPSTREAM_UNAVAILABLE')
          throw new AppError(
            'UPSTREAM_UNAVAILABLE',
            'The province you are moving from cannot be reached; try again',
            {
              province: from,
            },
          );
        throw err;
      }
      if (answer.status !== 200) {
        const code = (answer.body as { code?: unknown } | undefined)?.code;
        const reason = (answer.body as { details?: { reason?: unknown } } | undefined)?.details?.reason;
        if (code === 'MOVE_PROOF_INVALID')
          throw proofInvalid(typeof reason === 'string' ? reason : 'refused');
        throw new AppError('UPSTREAM_UNAVAILABLE', 'The province you are moving from refused the request', {
          province: from,
          status: answer.status,
        });
      }
      const parsed = MoveOutAnswer.safeParse(answer.body);
      if (!parsed.success || parsed.data.province !== from)
        throw new AppError('UPSTREAM_UNAVAILABLE', 'The province you are moving from answered wrongly', {
          province: from,
        });
      const { ref, movedAt } = parsed.data;
      await repo.keepFormerHome({ _id: `${residentId}:${from}`, residentId, province: from, ref, movedAt });
      await deps.usage
        .disclosure({ residentId, actor: residentActor(residentId), purpose: PURPOSE, requestId })
        .recordOnce({ action: 'move.in', detail: { from, fromName: nameOf(from) } }, `move:in:${from}`);
      deps.logger.info({ from, to: deps.province }, 'resident moved in');
      return { province: from, name: nameOf(from), movedAt };
    },

    /** At the old home: `caller`'s node asks to end one of this node's cards whose holder moved there. */
    async moveOut(caller: string, code: string, digest: string, requestId?: string) {
      const result = inspect(code);
      if (result.verdict !== 'valid' || !result.cardId)
        throw proofInvalid(result.verdict === 'expired' ? 'expired' : 'invalid');
      if (result.province !== deps.province) throw proofInvalid('not_this_province');
      const cardId = result.cardId;
      const [standing] = await deps.card.standings([cardId]);
      if (!standing || standing.kid !== result.kid || standing.statusIndex !== result.statusIndex)
        throw proofInvalid('unknown_card');
      const earlier = await repo.moveOutOf(cardId);
      if (earlier && earlier.toProvince !== caller) throw proofInvalid('moved_elsewhere');
      // A repeat of a move whose answer was lost finds the card already ended by it; anything else must be live.
      if (!earlier && standing.status !== 'active') throw proofInvalid('card_not_live');
      const identity = await deps.identity.getVerifiedIdentity(standing.residentId).catch(() => undefined);
      if (!identity || !safeEqual(digest, holderDigest(deps.sha256, cardId, identity.face.idNumber)))
        throw proofInvalid('not_holder');
      const move =
        earlier ??
        (await repo.claimMoveOut({
          _id: cardId,
          ref: base64urlEncode(new Uint8Array(randomBytes(16))),
          residentId: standing.residentId,
          toProvince: caller,
          movedAt: clock.now(),
          settled: false,
        }));
      if (move.toProvince !== caller) throw proofInvalid('moved_elsewhere');
      if (!move.settled) {
        // Every module ends what the identity carried here (the card revoked as identity_moved, open
        // deliveries, consents, the passcode); each hook is idempotent, so a retry after a crash is safe.
        for (const hook of deps.hooks) await hook(standing.residentId, 'identity_moved');
        await deps.usage
          .disclosure({ residentId: standing.residentId, actor: MOVING_ACTOR, purpose: PURPOSE, requestId })
          .recordOnce(
            { action: 'move.out', detail: { to: caller, toName: nameOf(caller) } },
            `move:out:${cardId}`,
          );
        await repo.settleMoveOut(cardId);
        deps.logger.info({ to: caller }, 'resident moved out; card revoked');
      }
      return { province: deps.province, ref: move.ref, movedAt: move.movedAt };
    },

    /** At the old home: the trace of a resident who moved to `caller`, for them, read at their new home. */
    async formerUsage(
      caller: string,
      ref: string,
      q: { limit: number; before?: number },
    ): Promise<UsagePage> {
      const move = await repo.moveOutByRef(ref);
      if (!move || move.toProvince !== caller || !move.settled)
        throw new AppError('NOT_FOUND', 'No resident moved to your province under that reference');
      return deps.usage.list({
        residentId: move.residentId,
        limit: q.limit,
        ...(q.before && { before: q.before }),
      });
    },

    /** At the new home: the resident's former homes. */
    async formerHomes(residentId: string): Promise<FormerHomeView[]> {
      const homes = await repo.formerHomes(residentId);
      return homes.map((h) => ({ province: h.province, name: nameOf(h.province), movedAt: h.movedAt }));
    },

    /** At the new home: the resident's trace at each former home, asked now; one unreachable home says so. */
    async formerUsageOf(residentId: string, q: { limit: number; before?: number }): Promise<FormerUsage[]> {
      const homes = await repo.formerHomes(residentId);
      const query = `?limit=${q.limit}${q.before ? `&before=${q.before}` : ''}`;
      return Promise.all(
        homes.map(async (h): Promise<FormerUsage> => {
          const view = { province: h.province, name: nameOf(h.province), movedAt: h.movedAt };
          try {
            const res = await federation.nodeClient.call<unknown>(
              h.province,
              'GET',
              formerUsagePath(h.ref) + query,
            );
            const page = UsagePageAnswer.safeParse(res.body);
            if (res.status !== 200 || !page.success) return { ...view, error: 'UPSTREAM_UNAVAILABLE' };
            return { ...view, page: page.data as unknown as UsagePage };
          } catch (err) {
            if (err instanceof AppError) return { ...view, error: err.code };
            throw err;
          }
        }),
      );
    },
  };
}

export type MovingService = ReturnType<typeof createMovingService>;
