import Router from '@koa/router';
import { base64urlEncode, type TrustListAnswer } from '@eid/shared';
import { conditional } from '../../middleware/conditional-get';
import type { TrustService } from './trust.types';

export interface TrustRoutesDeps {
  trust: TrustService;
  /** Allowed age of a status list at offline verifiers, published with the trust list. */
  maxStatusAgeMs: number;
}

/** `GET /api/v1/trust-list`: the signed list of issuer keys offline verifiers trust. */
export function trustRoutes({ trust, maxStatusAgeMs }: TrustRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1' });

  router.get('/trust-list', function getTrustList(ctx) {
    const doc = trust.signed();
    if (conditional(ctx, doc, 3600)) return;
    const answer: TrustListAnswer = {
      issuedAt: doc.issuedAt,
      maxStatusAgeMs,
      trustList: base64urlEncode(doc.bytes),
    };
    ctx.body = answer;
  });

  return router;
}
