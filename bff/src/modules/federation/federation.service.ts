import { AppError, errorCodeOf, issuersOfList } from '@eid/shared';
import { createNodeEd25519 } from '../../infra/ed25519';
import { runEvery } from '../../infra/interval';
import type { FederatedIssuers, IssuerSource } from '../trust/trust.types';
import { acceptBundle, reloadBundle } from './accept-bundle';
import { liveList, pinnedTrustOf, type FederationDeps, type FederationServiceDeps } from './deps';
import { createFederationRepository } from './federation.repository';
import type { FederationService, FederationStateView } from './federation.types';
import { gossipCheckpoints } from './gossip';
import { createNodeClient } from './node-client';
import { requireNodeSignature } from './node-guard';
import { fetchPeerStatusLists, peerStatusList, PEER_STATUS_INTERVAL_MS } from './peer-status';
import { refreshBundle } from './refresh';
import { createPeerPolicies } from './resilience';
import { terminalBundle } from './terminal-bundle';
import { createLogWitness, witnessCheckpoint, type WitnessInput } from './witness';

/** Refusals of a pushed bundle that a refresh from this node's own tree size may cure. */
const PROOF_REASONS: ReadonlySet<string> = new Set(['missing_consistency', 'inconsistent']);

/** How often a process reads the bundle another process of this node stored (a push reaches one process). */
export const FEDERATION_RELOAD_INTERVAL_MS = 30_000;

/**
 * The province side of the federation (issue 18, docs/federation.md): the witness, the accepted national
 * list and its refresh and push, the gossip that catches a split view, the signed node client and guard, and
 * the peers' status lists. Each use case is its own file; this composes them over one set of deps and starts
 * nothing until start(). A node without FEDERATION_NATIONAL_URL is standalone: it trusts its own keys only.
 */
export function createFederationService(d: FederationServiceDeps): FederationService & {
  witness(input: WitnessInput): ReturnType<typeof witnessCheckpoint>;
  push(bundle: unknown): Promise<unknown>;
} {
  const deps: FederationDeps = {
    repo: createFederationRepository(d.db),
    keys: d.keys,
    clock: d.clock,
    config: d.config,
    logger: d.logger,
    replays: d.replays,
    ed25519: createNodeEd25519(),
    fetch: d.fetch ?? fetch,
    policies: createPeerPolicies(d.config.FEDERATION_TIMEOUT_MS, d.config.FEDERATION_CIRCUIT_HALF_OPEN_MS),
    ownStatusLists: d.ownStatusLists,
    pinned: pinnedTrustOf(d.config, d.keys),
    held: { current: undefined },
  };
  const witness = createLogWitness(deps);

  // The trust module asks on every verification: answered from what is held, rebuilt once per list and minute.
  let source: { key: string; value: FederatedIssuers | undefined } | undefined;
  const issuerSource: IssuerSource = (now) => {
    const held = deps.held.current;
    if (!held) return undefined;
    const list = liveList(deps);
    const minute = Math.floor(now / 60_000);
    const key = `${held.treeSize}:${list ? minute : 'lapsed'}`;
    if (source?.key === key) return source.value;
    const issuers = list ? issuersOfList(list, now) : [];
    const usable = new Set(issuers.map((i) => i.kid));
    // A lapsed list vouches for nobody, yet an own key it marked unusable stays out.
    const excluded = new Set(
      held.list.keys.filter((k) => k.use === 'issuer' && !usable.has(k.kid)).map((k) => k.kid),
    );
    source = { key, value: { version: key, issuers, excluded, issuedAt: held.list.issuedAt } };
    return source.value;
  };

  /** A background run logs what went wrong and never stops the timer. */
  const quietly = (what: string, work: () => Promise<void>) => async () => {
    try {
      await work();
    } catch (err) {
      deps.logger.error({ err, code: errorCodeOf(err) }, `federation ${what} failed`);
    }
  };
  const refresh = quietly('refresh', async () => {
    await refreshBundle(deps);
    await gossipCheckpoints(deps);
  });
  const peers = quietly('peer status lists', () => fetchPeerStatusLists(deps));

  return {
    enabled: deps.pinned !== undefined,
    issuerSource,
    current: () => deps.held.current,
    provinceName: (province) =>
      deps.held.current?.list.provinces.find((p) => p.province === province)?.name ?? province,
    async clearSplitView(by) {
      const cleared = await deps.repo.clearSplitView(by, deps.clock.now());
      if (cleared)
        deps.logger.warn(
          { staffId: by.staffId, detectedAt: cleared.detectedAt, reason: cleared.reason },
          'federation split view cleared by an operator',
        );
      return cleared;
    },
    async state(): Promise<FederationStateView> {
      await reloadBundle(deps);
      const held = deps.held.current;
      const [stored, witnessed, splitView] = await Promise.all([
        deps.repo.bundle(),
        deps.repo.witness(),
        deps.repo.splitView(),
      ]);
      const view: FederationStateView = { province: d.config.PROVINCE_CODE };
      if (held && stored) {
        view.sequence = held.sequence;
        view.treeSize = held.treeSize;
        view.rootHash = held.rootHash;
        view.acceptedAt = stored.acceptedAt;
        view.expiresAt = stored.expiresAt;
        const listed = held.list.provinces;
        const own = listed.find((p) => p.province === view.province);
        if (own) view.name = own.name;
        view.provinces = listed.map((p) => ({ province: p.province, name: p.name }));
      }
      if (witnessed)
        view.witnessed = { treeSize: witnessed.size, rootHash: witnessed.rootHash, at: witnessed.at };
      if (splitView) view.splitView = splitView;
      return view;
    },
    nodeClient: createNodeClient(deps),
    requireNodeSignature: () => requireNodeSignature(deps),
    peerStatusList: (kid) => peerStatusList(deps, kid),
    terminalBundle: () => terminalBundle(deps),
    refresh: () => refreshBundle(deps),
    gossip: () => gossipCheckpoints(deps),
    fetchPeerStatusLists: () => fetchPeerStatusLists(deps),
    reload: () => reloadBundle(deps),
    witness: (input) => witnessCheckpoint(deps, witness, input),
    async push(bundle) {
      try {
        return await acceptBundle(deps, bundle, 'push');
      } catch (err) {
        // The national pushes one bundle to all; a node on another tree size (it missed a publication) has
        // no proof in it from its own, and asks for one at once rather than at the next refresh.
        const reason = err instanceof AppError ? err.details?.reason : undefined;
        if (
          err instanceof AppError &&
          err.code === 'FEDERATION_BUNDLE_INVALID' &&
          PROOF_REASONS.has(String(reason))
        ) {
          const outcome = await refreshBundle(deps);
          if (outcome?.outcome === 'accepted') return deps.held.current;
        }
        throw err;
      }
    },
    start() {
      if (!deps.pinned) return async () => undefined;
      const onError = (err: unknown) => deps.logger.error({ err }, 'federation background run failed');
      // Once at start, without holding the start up: the stored list is applied first, then the national asked.
      const first = quietly('start', async () => {
        await reloadBundle(deps);
        await refresh();
        await peers();
      })();
      const stops: (() => Promise<void>)[] = [
        () => first,
        runEvery(
          FEDERATION_RELOAD_INTERVAL_MS,
          quietly('reload', () => reloadBundle(deps)),
          onError,
        ),
        runEvery(PEER_STATUS_INTERVAL_MS, peers, onError),
      ];
      if (d.config.FEDERATION_REFRESH_S > 0)
        stops.push(runEvery(d.config.FEDERATION_REFRESH_S * 1000, refresh, onError));
      return async () => {
        await Promise.all(stops.map((stop) => stop()));
      };
    },
  };
}
