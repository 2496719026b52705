import { AppError, type FederationKey, type FederationKeyStatus } from '@eid/shared';
import type { NationalContext } from './context';
import type { PublishOutcome, PushOutcome, RegistryKey } from './national.types';
import { publish } from './publish';
import { pushToEveryNode } from './push';
import { listedKey } from './registry';

/** How long a retired key's overlap may run: long enough for every credential it signed to be re-signed. */
const MAX_OVERLAP_MS = 400 * 86_400_000;

/** How far ahead of the clock a compromise may be dated (the skew verifiers allow). */
const AT_SKEW_MS = 5 * 60_000;

async function keyOrThrow(ctx: NationalContext, kid: string): Promise<RegistryKey> {
  const key = await ctx.repo.key(kid);
  if (!key) throw new AppError('NATIONAL_KEY_UNKNOWN', 'No key with that id in the national registry');
  return key;
}

/** A body field the schema accepts but the key's state does not, as validate() reports its issues. */
const invalid = (path: string, message: string, issue: string) =>
  new AppError('VALIDATION_FAILED', message, { issues: [{ path, message: issue }] });

const wrongStatus = (status: FederationKeyStatus): never => {
  throw new AppError('CONFLICT', `The key is ${status}`, { status });
};

/**
 * Retires an active key with an overlap: it stays in every list as `retired` with `notAfter`, and verifiers
 * accept what it signed until then (credentials, node requests); after that, never. Listed from the next
 * publication (the timer sees the registry changed).
 */
export async function retireKey(ctx: NationalContext, kid: string, notAfter: number): Promise<FederationKey> {
  const now = ctx.deps.clock.now();
  const key = await keyOrThrow(ctx, kid);
  if (notAfter < Math.max(now, key.notBefore))
    throw invalid(
      'notAfter',
      'The overlap would end before it begins',
      'must lie ahead, and after notBefore',
    );
  if (notAfter > now + MAX_OVERLAP_MS)
    throw invalid('notAfter', 'The overlap is too long', 'at most 400 days ahead');
  const changed = await ctx.repo.changeStatus(
    kid,
    ['active'],
    'retired',
    { at: now, status: 'retired', reason: `retired; accepted until ${new Date(notAfter).toISOString()}` },
    { notAfter },
  );
  if (!changed) return wrongStatus((await keyOrThrow(ctx, kid)).status);
  ctx.deps.logger.info({ kid, province: key.province, notAfter }, 'national key retired');
  return listedKey(changed);
}

/** What a compromise did: the key as listed now, the publication it triggered, the pushes when urgent. */
export interface CompromiseOutcome {
  key: FederationKey;
  publication: PublishOutcome;
  pushes?: PushOutcome[];
}

/**
 * Marks a key compromised, with when and why (its history is kept: it is never deleted), and publishes at
 * once, so it stops verifying at every node's next refresh. `emergency` pushes the new bundle to every node
 * right after, instead of waiting for the refresh. A publication short of the quorum leaves the mark in place
 * and the timer publishing again; nothing is pushed then (there is no new bundle to push).
 */
export async function compromiseKey(
  ctx: NationalContext,
  kid: string,
  input: { reason: string; at?: number; emergency?: boolean },
): Promise<CompromiseOutcome> {
  const now = ctx.deps.clock.now();
  const at = input.at ?? now;
  if (at > now + AT_SKEW_MS)
    throw invalid('at', 'The compromise is dated in the future', 'must not lie ahead');
  const key = await keyOrThrow(ctx, kid);
  // A key's history is ordered by time (docs/formats/national-trust-list.md): a compromise is dated no
  // earlier than what was last recorded of the key.
  if (at < key.history.at(-1)!.at)
    throw invalid(
      'at',
      "The compromise is dated before the key's last recorded event",
      'must not be before the last event',
    );
  const changed = await ctx.repo.changeStatus(kid, ['active', 'retired'], 'compromised', {
    at,
    status: 'compromised',
    reason: input.reason,
  });
  if (!changed) return wrongStatus((await keyOrThrow(ctx, kid)).status);
  ctx.deps.logger.warn(
    { kid, province: changed.province, emergency: input.emergency === true },
    'national key marked compromised',
  );
  const publication = (await publish(ctx, `compromise of ${kid}`))!;
  const outcome: CompromiseOutcome = { key: listedKey(changed), publication };
  if (input.emergency) outcome.pushes = publication.published ? await pushToEveryNode(ctx) : [];
  return outcome;
}
