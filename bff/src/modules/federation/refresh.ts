import { AppError, errorCodeOf } from '@eid/shared';
import { acceptBundle } from './accept-bundle';
import type { FederationDeps } from './deps';
import type { RefreshOutcome } from './federation.types';
import { exchange } from './peer-http';

/** The national role's bundle route (bff/src/national). */
export const TRUST_BUNDLE_PATH = '/api/v1/national/trust-bundle';

/**
 * GETs the national trust bundle; `from` asks for a consistency proof from that tree size. The bundle
 * authenticates itself (root signature, log, witnesses), so this call is plain HTTP under the national's
 * cockatiel policies (an idempotent GET: retried with backoff).
 */
export async function fetchNationalBundle(deps: FederationDeps, from: number | undefined): Promise<unknown> {
  const pinned = deps.pinned!;
  const url = `${pinned.nationalUrl}${TRUST_BUNDLE_PATH}${from ? `?from=${from}` : ''}`;
  const answer = await deps.policies.run('national', true, (signal) =>
    exchange(deps.fetch, url, { method: 'GET', headers: { accept: 'application/json' } }, signal),
  );
  if (answer.status !== 200)
    throw new AppError('UPSTREAM_UNAVAILABLE', `The national role answered ${answer.status}`, {
      target: 'national',
      reason: 'status',
      status: answer.status,
    });
  try {
    return JSON.parse(new TextDecoder().decode(answer.bytes)) as unknown;
  } catch {
    throw new AppError('FEDERATION_BUNDLE_INVALID', 'The national role answered something that is not JSON', {
      reason: 'not_json',
    });
  }
}

/**
 * The refresh: the national bundle from the last accepted tree size, accepted as a push would be. A
 * refusal or an unreachable national leaves the held list as it is (logged, and said in the outcome).
 */
export async function refreshBundle(deps: FederationDeps): Promise<RefreshOutcome | undefined> {
  if (!deps.pinned) return undefined;
  const stored = await deps.repo.bundle();
  try {
    const body = await fetchNationalBundle(deps, stored?.treeSize);
    const accepted = await acceptBundle(deps, body, 'refresh');
    return {
      outcome: stored && stored.treeSize >= accepted.treeSize ? 'unchanged' : 'accepted',
      sequence: accepted.sequence,
    };
  } catch (err) {
    const code = errorCodeOf(err);
    if (code === undefined) throw err;
    const details = err instanceof AppError ? err.details : undefined;
    const reason = typeof details?.reason === 'string' ? details.reason : undefined;
    deps.logger.warn({ code, reason }, 'federation refresh kept the held list');
    return {
      outcome: code === 'UPSTREAM_UNAVAILABLE' ? 'unreachable' : 'refused',
      code,
      ...(reason !== undefined && { reason }),
    };
  }
}
