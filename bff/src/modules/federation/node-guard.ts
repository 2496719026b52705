import type { Context, Middleware } from 'koa';
import { AppError, type ErrorBody, type ErrorCode } from '@eid/shared';
import { liveList, type FederationDeps } from './deps';
import { nodeKeysOf, type ListedNodeKey } from './node-client';
import { nodeTargetUriOf, signNodeResponse, verifyNodeRequest } from './node-signature-profile';

const EMPTY = Buffer.alloc(0);

/** The answer's bytes as the client will read them: JSON of the body (our routes answer objects). */
function bodyBytes(ctx: Context): Buffer {
  if (ctx.body === undefined || ctx.body === null) return EMPTY;
  if (Buffer.isBuffer(ctx.body)) return ctx.body;
  return Buffer.from(JSON.stringify(ctx.body), 'utf8');
}

/**
 * The guard of `/api/v1/federation/node/*` (docs/federation.md, "Node-to-node signatures"): the request's
 * RFC 9421 signature under a node key of the accepted national list (any province's, usable now), the
 * profile's tag and components, `created` within 5 minutes; then its nonce once in the shared replay store
 * (after the signature, so nobody can burn a node's nonces). Then the handler runs, and whatever it answers,
 * an error of ours included, goes out signed with this node's key and bound to the request's nonce. A
 * request refused by the guard itself is answered unsigned: there is no verified request to bind it to.
 */
export function requireNodeSignature(deps: FederationDeps): Middleware {
  return async function verifyNodeSignature(ctx, next) {
    const list = liveList(deps);
    if (!list) throw new AppError('FEDERATION_NOT_CONFIGURED', 'This node holds no national trust list');
    const now = deps.clock.now();
    const url = nodeTargetUriOf(ctx, deps.config.PUBLIC_URL);
    const keys = new Map<string, ListedNodeKey>();
    for (const p of list.provinces)
      for (const [kid, key] of nodeKeysOf(list, p.province, now)) keys.set(kid, key);

    await verifyNodeRequest(ctx, {
      keys,
      now,
      publicUrl: deps.config.PUBLIC_URL,
      ed25519: deps.ed25519,
      replays: deps.replays,
      replayScope: 'node-nonce',
      logger: deps.logger,
      refusedLine: 'node request refused',
    });
    const nonce = ctx.state.node!.nonce;

    try {
      await next();
    } catch (caught) {
      if (!(caught instanceof AppError) || !caught.expose) throw caught;
      const body: ErrorBody = {
        code: caught.code as ErrorCode,
        message: caught.message,
        requestId: String(ctx.state.requestId ?? ''),
      };
      if (caught.details) body.details = caught.details;
      ctx.status = caught.status;
      ctx.body = body;
    }
    const bytes = bodyBytes(ctx);
    const status = ctx.status;
    const headers = signNodeResponse({
      keys: deps.keys,
      method: ctx.method,
      url,
      status,
      requestNonce: nonce,
      body: bytes,
      now: deps.clock.now(),
    });
    ctx.body = bytes;
    ctx.status = status;
    ctx.type = 'application/json';
    ctx.set(headers);
  };
}
