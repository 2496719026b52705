import {
  base64DecodeStrict,
  bytesEqual,
  createCheckpointVerifier,
  errorCodeOf,
  TlogError,
  verifyConsistencyProof,
  type Checkpoint,
  type CheckpointVerifier,
} from '@eid/shared';
import { nodeSha256 } from '../../infra/ed25519';
import { reloadBundle } from './accept-bundle';
import { nodeUrlOf, type FederationDeps } from './deps';
import { exchange } from './peer-http';
import { fetchNationalBundle } from './refresh';
import { recordSplitView } from './split-view';

/** Where every node serves its latest accepted checkpoint note. */
export const CHECKPOINT_PATH = '/api/v1/federation/checkpoint';

interface SeenCheckpoint {
  note: string;
  checkpoint: Checkpoint;
}

/** Checkpoints the national log signed; cosignatures are not needed for evidence of two views. */
function logSignatureVerifier(deps: FederationDeps): CheckpointVerifier {
  const pinned = deps.pinned!;
  return createCheckpointVerifier(
    { origin: pinned.logOrigin, logKeys: [pinned.logKey], witnesses: [], quorum: 0 },
    { ed25519: deps.ed25519, sha256: nodeSha256 },
  );
}

type Verdict =
  | { kind: 'consistent'; national: SeenCheckpoint }
  | { kind: 'split'; national: SeenCheckpoint }
  | { kind: 'inconclusive' };

/**
 * Asks the national for a consistency proof from `seen` to its current checkpoint (the bundle route with
 * `?from=`): a proof that fails, or the same size with another root, means `seen` is not on the national's
 * tree. A national that does not answer, or answers with a smaller tree, decides nothing.
 */
async function againstNational(
  deps: FederationDeps,
  verifier: CheckpointVerifier,
  seen: SeenCheckpoint,
): Promise<Verdict> {
  let body: unknown;
  try {
    body = await fetchNationalBundle(deps, seen.checkpoint.size);
  } catch (err) {
    if (errorCodeOf(err) === undefined) throw err;
    return { kind: 'inconclusive' };
  }
  const bundle = body as { checkpoint?: unknown; consistency?: { fromSize?: unknown; hashes?: unknown } };
  if (typeof bundle?.checkpoint !== 'string') return { kind: 'inconclusive' };
  let national: SeenCheckpoint;
  try {
    national = {
      note: bundle.checkpoint,
      checkpoint: verifier.verify(bundle.checkpoint, deps.clock.now()).checkpoint,
    };
  } catch (err) {
    if (err instanceof TlogError) return { kind: 'inconclusive' };
    throw err;
  }
  const { size, rootHash } = seen.checkpoint;
  if (national.checkpoint.size < size) return { kind: 'inconclusive' };
  if (national.checkpoint.size === size)
    return bytesEqual(national.checkpoint.rootHash, rootHash)
      ? { kind: 'consistent', national }
      : { kind: 'split', national };
  const hashes = Array.isArray(bundle.consistency?.hashes) ? bundle.consistency.hashes : [];
  const proof = hashes.map((h) => (typeof h === 'string' ? base64DecodeStrict(h) : undefined));
  if (bundle.consistency?.fromSize !== size || proof.some((p) => p === undefined))
    return { kind: 'split', national };
  try {
    verifyConsistencyProof(
      {
        oldSize: size,
        oldRoot: rootHash,
        newSize: national.checkpoint.size,
        newRoot: national.checkpoint.rootHash,
        proof: proof as Uint8Array[],
      },
      nodeSha256,
    );
    return { kind: 'consistent', national };
  } catch (err) {
    if (err instanceof TlogError) return { kind: 'split', national };
    throw err;
  }
}

/**
 * Gossip: every peer node's latest checkpoint (`GET <peer>/api/v1/federation/checkpoint`, URLs from the
 * list) against this node's. The same size with another root is a split view at once; different sizes are
 * each checked against the national's current tree by a consistency proof, and a proof that fails is a split
 * view too. A peer that does not answer, or whose note the national log did not sign, proves nothing.
 */
export async function gossipCheckpoints(deps: FederationDeps): Promise<void> {
  if (!deps.pinned) return;
  await reloadBundle(deps);
  const held = deps.held.current;
  if (!held || (await deps.repo.splitView())) return;
  const verifier = logSignatureVerifier(deps);
  const ours: SeenCheckpoint = {
    note: held.bundle.checkpoint,
    checkpoint: verifier.verify(held.bundle.checkpoint, deps.clock.now()).checkpoint,
  };

  for (const peer of held.list.provinces) {
    if (peer.province === deps.config.PROVINCE_CODE) continue;
    const theirs = await peerCheckpoint(deps, verifier, peer.province, nodeUrlOf(held.list, peer.province)!);
    if (!theirs) continue;
    const split = await conflictOf(deps, verifier, ours, theirs);
    if (!split) continue;
    await recordSplitView(deps, {
      detectedAt: deps.clock.now(),
      source: { kind: 'peer', province: peer.province },
      reason: split.reason,
      ours: ours.note,
      theirs: theirs.note,
      ...(split.national && { national: split.national }),
    });
    return;
  }
}

async function peerCheckpoint(
  deps: FederationDeps,
  verifier: CheckpointVerifier,
  province: string,
  base: string,
): Promise<SeenCheckpoint | undefined> {
  try {
    const answer = await deps.policies.run(province, true, (signal) =>
      exchange(
        deps.fetch,
        base + CHECKPOINT_PATH,
        { method: 'GET', headers: { accept: 'text/plain' } },
        signal,
        64 * 1024,
      ),
    );
    if (answer.status !== 200) return undefined;
    const note = new TextDecoder().decode(answer.bytes);
    return { note, checkpoint: verifier.verify(note, deps.clock.now()).checkpoint };
  } catch (err) {
    if (err instanceof TlogError || errorCodeOf(err) !== undefined) {
      deps.logger.info(
        { province, reason: err instanceof TlogError ? err.reason : errorCodeOf(err) },
        'federation peer checkpoint not usable',
      );
      return undefined;
    }
    throw err;
  }
}

async function conflictOf(
  deps: FederationDeps,
  verifier: CheckpointVerifier,
  ours: SeenCheckpoint,
  theirs: SeenCheckpoint,
): Promise<{ reason: 'same_size_other_root' | 'not_an_extension'; national?: string } | undefined> {
  if (ours.checkpoint.size === theirs.checkpoint.size)
    return bytesEqual(ours.checkpoint.rootHash, theirs.checkpoint.rootHash)
      ? undefined
      : { reason: 'same_size_other_root' };
  const heads: SeenCheckpoint[] = [];
  for (const seen of [ours, theirs]) {
    const verdict = await againstNational(deps, verifier, seen);
    if (verdict.kind === 'split') return { reason: 'not_an_extension', national: verdict.national.note };
    if (verdict.kind === 'inconclusive') return undefined;
    heads.push(verdict.national);
  }
  // A national answering each question from another tree shows two heads: they must agree as well.
  const [a, b] = heads.sort((x, y) => x.checkpoint.size - y.checkpoint.size) as [
    SeenCheckpoint,
    SeenCheckpoint,
  ];
  if (a.checkpoint.size === b.checkpoint.size)
    return bytesEqual(a.checkpoint.rootHash, b.checkpoint.rootHash)
      ? undefined
      : { reason: 'same_size_other_root', national: b.note };
  const verdict = await againstNational(deps, verifier, a);
  if (verdict.kind === 'split') return { reason: 'not_an_extension', national: verdict.national.note };
  return undefined;
}
