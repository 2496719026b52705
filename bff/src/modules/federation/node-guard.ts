import type { Context, Middleware } from 'koa';
import { AppError, MAX_SIGNATURE_SKEW_MS, verifyRequest, type ErrorBody, type ErrorCode } from '@eid/shared';
import { nodeSha256 } from '../../infra/ed25519';
import { parseJsonObject } from '../../middleware/body';
import { liveList, type FederationDeps } from './deps';
import { nodeKeysOf, type ListedNodeKey } from './node-client';
import { NODE_REQUEST_COMPONENTS, NODE_REQUEST_TAG, signNodeResponse } from './node-signature-profile';

const EMPTY = Buffer.alloc(0);

/** The URL a node signed: this node's public origin when configured (behind a proxy), else as addressed. */
function targetUriOf(ctx: Context, publicUrl: string | undefined): string {
  const origin = publicUrl ? new URL(publicUrl).origin : `${ctx.protocol}://${ctx.host}`;
  return origin + ctx.originalUrl;
}

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
    const url = targetUriOf(ctx, deps.config.PUBLIC_URL);
    const raw = ctx.request.rawBytes ?? EMPTY;
    const keys = new Map<string, ListedNodeKey>();
    for (const p of list.provinces)
      for (const [kid, key] of nodeKeysOf(list, p.province, now)) keys.set(kid, key);

    const result = verifyRequest(
      { method: ctx.method, url, headers: ctx.headers, body: raw },
      {
        resolveKey: (kid) => keys.get(kid),
        now,
        requiredComponents: NODE_REQUEST_COMPONENTS,
        tag: NODE_REQUEST_TAG,
        verify: deps.ed25519,
        sha256: nodeSha256,
      },
    );
    if (!result.ok) {
      deps.logger.info({ reason: result.reason, requestId: ctx.state.requestId }, 'node request refused');
      if (result.reason === 'unknown_key' || result.reason === 'retired_key')
        throw new AppError(
          'NODE_KEY_UNKNOWN',
          'The signing key is not a usable node key of the national list',
        );
      throw new AppError('NODE_SIGNATURE_INVALID', `The node signature is not accepted: ${result.detail}`, {
        reason: result.reason,
      });
    }
    const nonce = result.nonce!;
    const first = await deps.replays.unique(
      'node-nonce',
      `${result.keyId}:${nonce}`,
      result.created * 1000 + MAX_SIGNATURE_SKEW_MS,
    );
    if (!first)
      throw new AppError('NODE_SIGNATURE_INVALID', 'This nonce was used before', { reason: 'replayed' });
    ctx.state.node = { province: result.key.province, kid: result.keyId, nonce };
    // jsonBody parsed it already; parsed again from the verified bytes, so what the handler reads is what was signed.
    ctx.request.body = raw.length > 0 ? parseJsonObject(raw.toString('utf8')) : undefined;

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
