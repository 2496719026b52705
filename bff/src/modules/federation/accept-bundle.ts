import { z } from 'zod';
import {
  AppError,
  FederationError,
  openTrustBundle,
  type BundleState,
  type NationalTrustList,
  type TrustBundle,
} from '@eid/shared';
import { nodeSha256 } from '../../infra/ed25519';
import { validate } from '../../middleware/validate';
import type { FederationDeps } from './deps';
import type { StoredBundle } from './federation.repository';
import type { AcceptedList } from './federation.types';
import { recordSplitView } from './split-view';

const b64 = z.string().max(100);
const sizeOf = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** A trust bundle's outer shape (docs/formats/national-trust-list.md); openTrustBundle checks the rest. */
export const TrustBundleBody = z
  .object({
    signed: z
      .object({
        list: z.string().min(2).max(2_000_000),
        kid: z.string().min(1).max(256),
        signature: z.string().min(1).max(200),
      })
      .strict(),
    checkpoint: z
      .string()
      .min(1)
      .max(64 * 1024),
    inclusion: z.object({ index: sizeOf, hashes: z.array(b64).max(64) }).strict(),
    consistency: z
      .object({ fromSize: sizeOf, hashes: z.array(b64).max(128) })
      .strict()
      .optional(),
  })
  .strict();

export type BundleSource = 'refresh' | 'push' | 'reload';

/** The held form of a stored bundle: the list is the one its signature covered when it was accepted. */
export function acceptedOf(stored: StoredBundle): AcceptedList {
  return {
    list: JSON.parse(stored.bundle.signed.list) as NationalTrustList,
    bundle: stored.bundle,
    sequence: stored.sequence,
    treeSize: stored.treeSize,
    rootHash: stored.rootHash,
    acceptedAt: stored.acceptedAt,
  };
}

function stateOf(stored: StoredBundle | undefined): BundleState | undefined {
  if (!stored) return undefined;
  const { sequence, treeSize, rootHash, listHash } = stored;
  return { sequence, treeSize, rootHash, ...(listHash !== undefined && { listHash }) };
}

/**
 * Accepts a national trust bundle (the refresh's or a push's): refused while a split view is recorded; then
 * openTrustBundle with the pinned trust, this node's clock and the last accepted state (root signature,
 * expiry with 5 minutes' skew, never a lower sequence, the log signature, the witness quorum, inclusion and
 * consistency). A checkpoint of a size this node cosigned with another root is a split view. Stored only if
 * no process stored a later one meanwhile, and applied at once: the trust module's issuers follow.
 */
export async function acceptBundle(
  deps: FederationDeps,
  body: unknown,
  source: BundleSource,
): Promise<AcceptedList> {
  const pinned = deps.pinned;
  if (!pinned) throw new AppError('FEDERATION_NOT_CONFIGURED', 'This node is not part of a federation');
  const seen = await deps.repo.splitView();
  if (seen)
    throw new AppError('FEDERATION_SPLIT_VIEW', 'This node has seen a split view and accepts no new list', {
      reason: 'split_view_recorded',
      ours: seen.ours,
      theirs: seen.theirs,
    });
  const bundle = validate(TrustBundleBody, body) as TrustBundle;
  const stored = await deps.repo.bundle();
  const now = deps.clock.now();

  let opened: ReturnType<typeof openTrustBundle>;
  try {
    opened = openTrustBundle(bundle, pinned.bundleTrust, now, stateOf(stored), deps.ed25519, nodeSha256);
  } catch (err) {
    if (!(err instanceof FederationError)) throw err;
    const { reason } = err;
    deps.logger.warn({ reason, source }, 'federation trust bundle refused');
    // The same tree size with another root, both under the log's signature: evidence, whoever sent it.
    if (reason === 'split_view' && stored) {
      await recordSplitView(deps, {
        detectedAt: now,
        source: { kind: 'bundle' },
        reason: 'same_size_other_root',
        ours: stored.bundle.checkpoint,
        theirs: bundle.checkpoint,
      });
      throw new AppError(
        'FEDERATION_SPLIT_VIEW',
        'The bundle shows another tree of the size this node holds',
        { reason, ours: stored.bundle.checkpoint, theirs: bundle.checkpoint },
      );
    }
    throw new AppError('FEDERATION_BUNDLE_INVALID', 'The trust bundle is refused; this node keeps its list', {
      reason,
    });
  }
  const { list, state } = opened;

  const witnessed = await deps.repo.witness();
  if (witnessed && witnessed.size === state.treeSize && witnessed.rootHash !== state.rootHash) {
    await recordSplitView(deps, {
      detectedAt: now,
      source: { kind: 'bundle' },
      reason: 'same_size_other_root',
      ours: witnessed.note,
      theirs: bundle.checkpoint,
    });
    throw new AppError(
      'FEDERATION_SPLIT_VIEW',
      'The bundle shows another tree than the one this node cosigned',
      { reason: 'same_size_other_root', ours: witnessed.note, theirs: bundle.checkpoint },
    );
  }

  if (stored && stored.treeSize === state.treeSize) {
    deps.held.current ??= acceptedOf(stored);
    return deps.held.current;
  }
  const next: StoredBundle = {
    bundle,
    sequence: state.sequence,
    treeSize: state.treeSize,
    rootHash: state.rootHash,
    ...(state.listHash !== undefined && { listHash: state.listHash }),
    issuedAt: list.issuedAt,
    expiresAt: list.expiresAt,
    acceptedAt: now,
  };
  if (await deps.repo.storeBundle(next)) {
    deps.held.current = acceptedOf(next);
    deps.logger.info(
      { sequence: next.sequence, treeSize: next.treeSize, expiresAt: next.expiresAt, source },
      'federation trust list accepted',
    );
    return deps.held.current;
  }
  // Another process stored one at least as new: that one is what this node holds.
  await reloadBundle(deps);
  return deps.held.current!;
}

/** Applies the stored bundle when it is newer than the held one (another process took a push or refresh). */
export async function reloadBundle(deps: FederationDeps): Promise<void> {
  const stored = await deps.repo.bundle();
  if (!stored) return;
  if (deps.held.current && deps.held.current.treeSize >= stored.treeSize) return;
  deps.held.current = acceptedOf(stored);
}
