import type { Context, Middleware } from 'koa';
import {
  AppError,
  MAX_SIGNATURE_SKEW_MS,
  base64urlDecode,
  nodeKeysOfList,
  verifyRequest,
  type NationalTrustList,
} from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '../infra/ed25519';
import { parseJsonObject } from '../middleware/body';
import { NODE_REQUEST_COMPONENTS, NODE_REQUEST_TAG } from '../modules/federation/node-signature-profile';
import type { NationalContext } from './context';
import { buildList } from './registry';

const EMPTY = Buffer.alloc(0);

interface ProvinceKey {
  province: string;
  publicKey: Uint8Array;
}

/** The URL a node signed: this national's public origin when configured (behind a proxy), else as addressed. */
function targetUriOf(ctx: Context, publicUrl: string | undefined): string {
  const origin = publicUrl ? new URL(publicUrl).origin : `${ctx.protocol}://${ctx.host}`;
  return origin + ctx.originalUrl;
}

/**
 * The list whose node keys may sign now: the current published one or, before the first publication, the
 * registry as it would be listed. The published list is parsed once per sequence.
 */
function createListSource(ctx: NationalContext): () => Promise<NationalTrustList> {
  let parsed: { sequence: number; list: NationalTrustList } | undefined;
  return async () => {
    const current = await ctx.repo.currentPublication();
    if (!current) {
      const now = ctx.deps.clock.now();
      return buildList({
        sequence: 0,
        issuedAt: now,
        expiresAt: now,
        provinces: ctx.provinces,
        keys: await ctx.repo.keys(),
      });
    }
    if (parsed?.sequence !== current.sequence)
      parsed = { sequence: current.sequence, list: JSON.parse(current.list) as NationalTrustList };
    return parsed.list;
  };
}

/**
 * The guard of a province's submissions: the request's RFC 9421 signature under the node-to-node profile
 * (the shared verifier with node:crypto Ed25519: `@method`, `@target-uri`, `content-digest`, `created` within
 * 5 minutes, the profile's tag) by a node key that is usable now in the current list (`nodeKeysOfList`:
 * active, or retired within its overlap; never compromised); then its nonce once in the replay store (after
 * the signature, so nobody can burn a node's nonces). The handler reads the body parsed from the verified
 * bytes, and `ctx.state.node` says which province signed.
 */
export function requireProvinceSignature(ctx: NationalContext): Middleware {
  const listNow = createListSource(ctx);
  const ed25519 = createNodeEd25519();
  return async function verifyProvinceSignature(koa, next) {
    const { deps } = ctx;
    const list = await listNow();
    const now = deps.clock.now();
    const keys = new Map<string, ProvinceKey>();
    for (const p of list.provinces)
      for (const k of nodeKeysOfList(list, p.province, now))
        keys.set(k.kid, {
          province: p.province,
          publicKey: typeof k.publicKey === 'string' ? base64urlDecode(k.publicKey) : k.publicKey,
        });

    const raw = koa.request.rawBytes ?? EMPTY;
    const result = verifyRequest(
      { method: koa.method, url: targetUriOf(koa, deps.config.PUBLIC_URL), headers: koa.headers, body: raw },
      {
        resolveKey: (kid) => keys.get(kid),
        now,
        requiredComponents: NODE_REQUEST_COMPONENTS,
        tag: NODE_REQUEST_TAG,
        verify: ed25519,
        sha256: nodeSha256,
      },
    );
    if (!result.ok) {
      deps.logger.info({ reason: result.reason, requestId: koa.state.requestId }, 'province request refused');
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
    const first = await ctx.replays.unique(
      'national-node-nonce',
      `${result.keyId}:${nonce}`,
      result.created * 1000 + MAX_SIGNATURE_SKEW_MS,
    );
    if (!first)
      throw new AppError('NODE_SIGNATURE_INVALID', 'This nonce was used before', { reason: 'replayed' });
    koa.state.node = { province: result.key.province, kid: result.keyId, nonce };
    // jsonBody parsed it already; parsed again from the verified bytes, so what the handler reads is what was signed.
    koa.request.body = raw.length > 0 ? parseJsonObject(raw.toString('utf8')) : undefined;
    await next();
  };
}
