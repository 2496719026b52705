import { setTimeout as sleep } from 'node:timers/promises';
import {
  AppError,
  base64Encode,
  signNationalCheckpoint,
  signNationalTrustList,
  trustListLeafHash,
} from '@eid/shared';
import { nodeSha256 } from '../infra/ed25519';
import type { NationalContext } from './context';
import { decodeLeaves, logSigner } from './log';
import { NATIONAL_ROOT_KID, type PublishOutcome } from './national.types';
import { buildList } from './registry';
import { collectCosignatures } from './witnesses';

/** The lease that makes publications one at a time across every national process. */
export const PUBLISH_LEASE = 'national-publish';

let attempts = 0;

/** Long enough for one publication: two witness rounds at their timeout, and the database writes. */
const leaseTtlMs = (ctx: NationalContext) => 4 * ctx.deps.config.FEDERATION_TIMEOUT_MS + 30_000;

/**
 * Takes the publication lease, waiting (up to its lifetime) while another request or process holds it;
 * false when it never came free. `wait: false` tries once (the timer: whoever holds it is publishing).
 */
async function acquire(ctx: NationalContext, holder: string, wait: boolean): Promise<boolean> {
  const ttl = leaseTtlMs(ctx);
  // Real time, not the injected clock: this bounds how long a request waits, it judges no expiry.
  const deadline = Date.now() + ttl;
  for (;;) {
    if (await ctx.leases.acquire(PUBLISH_LEASE, holder, ttl)) return true;
    if (!wait || Date.now() > deadline) return false;
    await sleep(20);
  }
}

/**
 * Publishes the registry as the next list (docs/federation.md, "Publishing"): sequence + 1, issued now,
 * valid NATIONAL_LIST_TTL_H; signed by the national root; appended to the log; the checkpoint of the new
 * tree signed by the log key and sent to every province's witness. Served only once at least NATIONAL_QUORUM
 * witnesses cosigned; otherwise the leaf stays in the log unserved (a witness that cosigned it has moved on,
 * so it can never be taken back) and the previous bundle is still what everyone gets.
 *
 * One publication at a time, under a lease in the database: the sequence and the leaf index are read and
 * written inside it, and both are unique keys, so even a lease that lapsed mid-way cannot fork the log.
 */
export async function publish(
  ctx: NationalContext,
  cause: string,
  options: { wait?: boolean } = {},
): Promise<PublishOutcome | undefined> {
  // One holder per publication, not per process: two requests to one process must not share the lease.
  const holder = `${ctx.holder}:${++attempts}`;
  if (!(await acquire(ctx, holder, options.wait ?? true))) {
    if (options.wait === false) return undefined;
    throw new AppError('CONFLICT', 'Another publication is in progress; try again', { retryAfterS: 5 });
  }
  try {
    return await publishHoldingLease(ctx, cause);
  } finally {
    await ctx.leases.release(PUBLISH_LEASE, holder);
  }
}

async function publishHoldingLease(ctx: NationalContext, cause: string): Promise<PublishOutcome> {
  const { deps, repo } = ctx;
  const { config, keys, logger } = deps;
  const now = deps.clock.now();
  const [registry, revision, last, stored] = await Promise.all([
    repo.keys(),
    repo.revision(),
    repo.lastPublication(),
    repo.leaves(),
  ]);
  const sequence = (last?.sequence ?? 0) + 1;
  const index = stored.length;
  const expiresAt = now + config.NATIONAL_LIST_TTL_H * 3_600_000;
  const list = buildList({ sequence, issuedAt: now, expiresAt, provinces: ctx.provinces, keys: registry });
  const signed = signNationalTrustList(list, NATIONAL_ROOT_KID, (m) => keys.signAsTrustRoot(m));
  const leaf = trustListLeafHash(signed, nodeSha256);

  // The sequence first: a leaf is only ever appended for a list whose sequence no other list holds.
  const claimed = await repo.addPublication({
    sequence,
    list: signed.list,
    kid: signed.kid,
    signature: signed.signature,
    leafIndex: index,
    issuedAt: now,
    expiresAt,
    revision,
    published: false,
    cosignatures: 0,
    attemptedAt: now,
  });
  if (!claimed) throw new AppError('CONFLICT', 'Another publication took this sequence; try again');
  if (!(await repo.appendLeaf(index, base64Encode(leaf), sequence))) {
    await repo.dropPublication(sequence);
    throw new AppError('CONFLICT', 'Another publication took this log index; try again');
  }

  const size = index + 1;
  const leaves = [...decodeLeaves(stored), leaf];
  const note = signNationalCheckpoint(config.NATIONAL_LOG_ORIGIN, leaves, logSigner(keys), size, nodeSha256);
  const collected = await collectCosignatures(ctx, list, registry, { note, size, leaves });
  const quorum = config.NATIONAL_QUORUM;
  const outcome: PublishOutcome = {
    published: collected.cosignatures >= quorum,
    sequence,
    treeSize: size,
    issuedAt: now,
    expiresAt,
    cosignatures: collected.cosignatures,
    quorum,
    witnesses: collected.witnesses,
  };
  if (outcome.published) {
    await repo.markPublished(sequence, collected.note, collected.cosignatures);
    logger.info(
      { sequence, treeSize: size, cosignatures: collected.cosignatures, cause },
      'national trust list published',
    );
  } else {
    await repo.markNotPublished(sequence, collected.cosignatures);
    logger.warn(
      {
        sequence,
        treeSize: size,
        cosignatures: collected.cosignatures,
        quorum,
        witnesses: collected.witnesses,
        cause,
      },
      'national trust list not published: too few witness cosignatures',
    );
  }
  return outcome;
}
