import { AppError, base64urlEncode, issuersOfList, type TerminalBundle } from '@eid/shared';
import { reloadBundle } from './accept-bundle';
import { liveList, type FederationDeps } from './deps';

/**
 * What a staff terminal fetches to verify every province's codes offline: the national trust bundle as this
 * node accepted it (the terminal checks it itself against its pinned trust) and the status lists of every
 * issuer key the list gives as usable: this node's own, freshly signed, and the peers' as last fetched, each
 * with the time it was fetched, so a terminal can tell how old a peer's copy is.
 */
export async function terminalBundle(deps: FederationDeps): Promise<TerminalBundle> {
  await reloadBundle(deps);
  const list = liveList(deps);
  const held = deps.held.current;
  if (!list || !held)
    throw new AppError('FEDERATION_NOT_CONFIGURED', 'This node holds no valid national trust list');
  const now = deps.clock.now();
  const usable = new Map(issuersOfList(list, now).map((i) => [i.kid, i]));
  const named = new Set(list.keys.map((k) => k.kid));
  const own = deps.ownStatusLists.kids().filter((kid) => usable.has(kid) || !named.has(kid));
  const statusLists: TerminalBundle['statusLists'] = [];
  for (const kid of own) {
    const doc = await deps.ownStatusLists.signed(kid);
    statusLists.push({
      province: deps.config.PROVINCE_CODE,
      kid,
      list: base64urlEncode(doc.bytes),
      fetchedAt: now,
    });
  }
  for (const peer of await deps.repo.peerStatuses()) {
    const issuer = usable.get(peer.kid);
    if (!issuer || issuer.province !== peer.province || peer.province === deps.config.PROVINCE_CODE) continue;
    statusLists.push({ province: peer.province, kid: peer.kid, list: peer.list, fetchedAt: peer.fetchedAt });
  }
  return { trust: held.bundle, statusLists };
}
