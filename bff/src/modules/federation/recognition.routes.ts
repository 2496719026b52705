import Router from '@koa/router';
import { z } from 'zod';
import { AppError, type VerifyAnswer } from '@eid/shared';
import { validate } from '../../middleware/validate';
import type { FederationService } from './federation.types';
import { RECOGNITION_PATH, type RecognitionWindow } from './recognition';

const RecognitionBody = z.strictObject({
  code: z.string().min(1).max(4096),
  purpose: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  window: z.strictObject({
    province: z.string().regex(/^\d{2}$/),
    id: z.string().min(1).max(64),
    org: z.string().min(1).max(128),
    displayName: z.string().min(1).max(128),
  }),
});

/** The verify module's check on behalf of a window of another province (verify.service.ts verifyForWindow). */
export interface WindowVerifier {
  verifyForWindow(
    window: RecognitionWindow & { provinceName: string },
    code: string,
    purpose: string,
    requestId?: string,
  ): Promise<VerifyAnswer>;
}

/**
 * `POST /api/v1/federation/node/verify`, the home side of online recognition (docs/federation.md
 * "Recognition"): behind the node guard (a request signed by a node key of the list, the answer signed with
 * this node's). The window's province is the signer's: a node cannot speak for another province's window,
 * and the trace names it by the national list's name of that province.
 */
export function recognitionRoutes(deps: {
  federation: Pick<FederationService, 'requireNodeSignature' | 'provinceName'>;
  verify: WindowVerifier;
}): Router {
  const router = new Router();
  router.post(RECOGNITION_PATH, deps.federation.requireNodeSignature(), async function recognise(ctx) {
    const { code, purpose, window } = validate(RecognitionBody, ctx.request.body);
    const caller: string = ctx.state.node.province;
    if (window.province !== caller)
      throw new AppError('FORBIDDEN', 'A node checks codes for its own windows only', { reason: 'province' });
    const name = deps.federation.provinceName(caller);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await deps.verify.verifyForWindow(
      { ...window, provinceName: name },
      code,
      purpose,
      ctx.state.requestId,
    );
  });
  return router;
}
