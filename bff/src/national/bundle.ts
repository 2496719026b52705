import { buildTrustBundle, type TrustBundle } from '@eid/shared';
import { nodeSha256 } from '../infra/ed25519';
import type { NationalContext } from './context';
import { decodeLeaves } from './log';
import type { PublicationRecord } from './national.repository';

/**
 * The first `count` leaves of the log. Leaves never change once written, so what this process has read
 * stays true: the log is read again only when it has grown past what is cached.
 */
export async function leavesUpTo(ctx: NationalContext, count: number): Promise<Uint8Array[]> {
  const cache = ctx.leafCache;
  if (cache.length < count) {
    // Read before touching the cache: concurrent readers each replace it whole, never splice into it.
    const read = decodeLeaves(await ctx.repo.leaves());
    if (read.length > cache.length) cache.splice(0, cache.length, ...read);
  }
  if (cache.length < count) throw new Error(`the national log has ${cache.length} leaves, not ${count}`);
  return cache.slice(0, count);
}

/** The served bundle and the publication it is of. */
export interface ServedBundle {
  bundle: TrustBundle;
  publication: PublicationRecord;
}

/**
 * The bundle of the latest published list (shared buildTrustBundle, docs/formats/national-trust-list.md):
 * the signed list, the cosigned checkpoint of the tree it is the newest leaf of, its inclusion proof and,
 * when the fetcher says which tree it holds (`from`, smaller than this one), the consistency proof from it.
 */
export async function currentBundle(ctx: NationalContext, from?: number): Promise<ServedBundle | undefined> {
  const publication = await ctx.repo.currentPublication();
  if (!publication?.checkpoint) return undefined;
  const bundle = buildTrustBundle({
    signed: { list: publication.list, kid: publication.kid, signature: publication.signature },
    checkpoint: publication.checkpoint,
    leafHashes: await leavesUpTo(ctx, publication.leafIndex + 1),
    ...(from !== undefined && { fromSize: from }),
    sha256: nodeSha256,
  });
  return { bundle, publication };
}
