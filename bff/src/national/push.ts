import { parseCheckpoint, parseNote } from '@eid/shared';
import { currentBundle } from './bundle';
import type { NationalContext } from './context';
import type { EnrolledProvince, PushOutcome } from './national.types';
import { callNode } from './node-http';

/** The province side's routes the push uses (bff/src/modules/federation). */
export const TRUST_PUSH_PATH = '/api/v1/federation/trust-push';
export const NODE_CHECKPOINT_PATH = '/api/v1/federation/checkpoint';

/** The tree size of the checkpoint a node says it holds; undefined when it holds none or says nonsense. */
async function heldSize(ctx: NationalContext, province: EnrolledProvince): Promise<number | undefined> {
  const reply = await callNode(
    ctx.fetch,
    province.url + NODE_CHECKPOINT_PATH,
    { method: 'GET', accept: 'text/plain' },
    ctx.deps.config.FEDERATION_TIMEOUT_MS,
  );
  if (reply?.status !== 200) return undefined;
  try {
    // Only to choose the proof: the node itself judges the bundle against what it really holds.
    return parseCheckpoint(parseNote(reply.text).text).size;
  } catch {
    return undefined;
  }
}

/**
 * The emergency push: the current bundle to every province node at once, each with the consistency proof
 * from the tree that node says it holds (its gossip checkpoint), so it can accept at once instead of at its
 * next refresh. Best effort: a node that is down or refuses is logged, and catches up on its refresh.
 */
export async function pushToEveryNode(ctx: NationalContext): Promise<PushOutcome[]> {
  const { logger } = ctx.deps;
  return Promise.all(
    ctx.provinces.map(async (p): Promise<PushOutcome> => {
      const served = await currentBundle(ctx, await heldSize(ctx, p));
      if (!served) return { province: p.province, delivered: false };
      const reply = await callNode(
        ctx.fetch,
        p.url + TRUST_PUSH_PATH,
        { method: 'POST', body: served.bundle },
        ctx.deps.config.FEDERATION_TIMEOUT_MS,
      );
      const code = (reply?.body as { code?: unknown } | undefined)?.code;
      const outcome: PushOutcome = {
        province: p.province,
        delivered: reply?.status === 200,
        ...(reply && { status: reply.status }),
        ...(typeof code === 'string' && { code }),
      };
      if (outcome.delivered)
        logger.info(
          { province: p.province, sequence: served.publication.sequence },
          'national bundle pushed',
        );
      else
        logger.warn(
          { province: p.province, status: outcome.status, code: outcome.code },
          'national bundle push not delivered; the node catches up on its refresh',
        );
      return outcome;
    }),
  );
}
