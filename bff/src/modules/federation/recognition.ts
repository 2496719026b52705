import { z } from 'zod';
import { AppError, VERDICTS, type VerifyAnswer } from '@eid/shared';
import type { Logger } from '../../infra/logger';
import type { HomeAnswer, Recognition, RecognitionRequest, RecognitionWindow } from '../verify/verify.types';
import type { FederationService } from './federation.types';

export type { HomeAnswer, Recognition, RecognitionRequest, RecognitionWindow };

/** The path of the home side of online recognition (docs/federation.md "Recognition"). */
export const RECOGNITION_PATH = '/api/v1/federation/node/verify';

const CardValues = z.record(z.string().max(64), z.union([z.string().max(512), z.boolean()]));

/** The home node's answer as this node reads it: a verify answer, nothing else taken from it. */
const HomeVerifyAnswer = z.object({
  verdict: z.enum(VERDICTS),
  checkedAt: z.number().int().nonnegative(),
  card: CardValues.optional(),
});

/**
 * The visiting side of online recognition over F-node's signed client: a call is not retried (the home node
 * records a use, and a repeat would be answered `replayed`), and every way it can fail becomes a reason.
 */
export function createRecognition(deps: {
  federation: Pick<FederationService, 'enabled' | 'current' | 'nodeClient' | 'peerStatusList'>;
  province: string;
  logger: Logger;
}): Recognition {
  const { federation, province: own, logger } = deps;
  return {
    canAsk(province) {
      if (!federation.enabled || province === own) return false;
      const held = federation.current();
      return held?.list.provinces.some((p) => p.province === province) ?? false;
    },
    async askHome(province, request) {
      try {
        const res = await federation.nodeClient.call(province, 'POST', RECOGNITION_PATH, request, {
          idempotent: false,
        });
        if (res.status !== 200) {
          logger.info({ province, status: res.status }, 'recognition refused by the home node');
          return { ok: false, reason: 'refused' };
        }
        const parsed = HomeVerifyAnswer.safeParse(res.body);
        if (!parsed.success) return { ok: false, reason: 'bad_answer' };
        const answer: VerifyAnswer = { verdict: parsed.data.verdict, checkedAt: parsed.data.checkedAt };
        if (parsed.data.card) answer.card = parsed.data.card as VerifyAnswer['card'];
        return { ok: true, answer };
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        if (err.code === 'UPSTREAM_UNAVAILABLE') {
          const reason = err.details?.reason;
          if (
            reason === 'timeout' ||
            reason === 'unreachable' ||
            reason === 'server_error' ||
            reason === 'circuit_open'
          )
            return { ok: false, reason };
          return { ok: false, reason: 'unreachable' };
        }
        // A forged or unbound answer (NODE_SIGNATURE_INVALID), or no node of that province any more.
        logger.warn({ province, code: err.code }, 'recognition answer not trusted');
        return { ok: false, reason: 'bad_answer' };
      }
    },
    peerStatusList: (kid) => federation.peerStatusList(kid),
  };
}
