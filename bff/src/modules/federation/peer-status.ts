import { z } from 'zod';
import {
  base64urlDecode,
  CborShapeError,
  errorCodeOf,
  issuersOfList,
  openStatusList,
  trustListOf,
  type TrustedIssuer,
} from '@eid/shared';
import { liveList, nodeUrlOf, type FederationDeps } from './deps';
import type { PeerStatusList } from './federation.types';
import { exchange } from './peer-http';

/** How often a node fetches its peers' status lists (each is re-issued every 5 minutes; ETags make it cheap). */
export const PEER_STATUS_INTERVAL_MS = 60_000;

const StatusListAnswer = z.object({
  kid: z.string().min(1).max(64),
  issuedAt: z.number().int().nonnegative(),
  ttlSeconds: z.number().int().positive(),
  statusList: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .max(8 * 1024 * 1024),
});

/**
 * Fetches every peer province's status lists (`GET <peer>/api/v1/status-lists/:kid`, one per issuer key of
 * that province the list gives as usable), verifies each under its issuer key from the list, and keeps it in
 * fed_peer_status unless a later one is kept already. A peer that does not answer keeps its last copy, whose
 * fetch time tells how old it is.
 */
export async function fetchPeerStatusLists(deps: FederationDeps): Promise<void> {
  const list = liveList(deps);
  if (!list) return;
  const now = deps.clock.now();
  const byProvince = new Map<string, TrustedIssuer[]>();
  for (const issuer of issuersOfList(list, now)) {
    if (issuer.province === deps.config.PROVINCE_CODE) continue;
    byProvince.set(issuer.province, [...(byProvince.get(issuer.province) ?? []), issuer]);
  }
  await Promise.all(
    [...byProvince].map(async ([province, issuers]) => {
      const base = nodeUrlOf(list, province);
      if (!base) return;
      for (const issuer of issuers) await fetchOne(deps, province, base, issuer);
    }),
  );
}

async function fetchOne(
  deps: FederationDeps,
  province: string,
  base: string,
  issuer: TrustedIssuer,
): Promise<void> {
  const stored = await deps.repo.peerStatus(issuer.kid);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (stored?.etag) headers['if-none-match'] = stored.etag;
  try {
    const answer = await deps.policies.run(province, true, (signal) =>
      exchange(
        deps.fetch,
        `${base}/api/v1/status-lists/${encodeURIComponent(issuer.kid)}`,
        { method: 'GET', headers },
        signal,
      ),
    );
    const fetchedAt = deps.clock.now();
    if (answer.status === 304 && stored)
      return void (await deps.repo.confirmPeerStatus(issuer.kid, fetchedAt));
    if (answer.status !== 200) return;
    const parsed = StatusListAnswer.safeParse(JSON.parse(new TextDecoder().decode(answer.bytes)));
    if (!parsed.success || parsed.data.kid !== issuer.kid) return;
    const bytes = base64urlDecode(parsed.data.statusList);
    const opened = openStatusList(bytes, trustListOf([issuer]), deps.ed25519);
    await deps.repo.storePeerStatus({
      kid: issuer.kid,
      province,
      list: parsed.data.statusList,
      issuedAt: opened.issuedAt,
      ...(answer.headers.etag && { etag: answer.headers.etag }),
      fetchedAt,
    });
  } catch (err) {
    if (err instanceof CborShapeError || err instanceof SyntaxError || errorCodeOf(err) !== undefined) {
      deps.logger.info(
        {
          province,
          kid: issuer.kid,
          reason: err instanceof CborShapeError ? err.message : (errorCodeOf(err) ?? 'not_json'),
        },
        'federation peer status list not refreshed',
      );
      return;
    }
    throw err;
  }
}

/** The kept status list of `kid`, decoded. */
export async function peerStatusList(deps: FederationDeps, kid: string): Promise<PeerStatusList | undefined> {
  const stored = await deps.repo.peerStatus(kid);
  if (!stored) return undefined;
  return {
    province: stored.province,
    kid: stored.kid,
    bytes: base64urlDecode(stored.list),
    issuedAt: stored.issuedAt,
    fetchedAt: stored.fetchedAt,
  };
}
