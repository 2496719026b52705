import type { Middleware } from 'koa';
import { base64urlDecode, nodeKeysOfList, type NationalTrustList } from '@eid/shared';
import { createNodeEd25519 } from '../infra/ed25519';
import { verifyNodeRequest } from '../modules/federation/node-signature-profile';
import type { NationalContext } from './context';
import { buildList } from './registry';

interface ProvinceKey {
  province: string;
  publicKey: Uint8Array;
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

    await verifyNodeRequest(koa, {
      keys,
      now,
      publicUrl: deps.config.PUBLIC_URL,
      ed25519,
      replays: ctx.replays,
      replayScope: 'national-node-nonce',
      logger: deps.logger,
      refusedLine: 'province request refused',
    });
    await next();
  };
}
