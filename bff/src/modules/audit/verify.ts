import {
  AppError,
  base64Encode,
  bytesEqual,
  merkleInclusionProof,
  merkleRoot,
  openNote,
  parseCheckpoint,
  verifyInclusionProof,
} from '@eid/shared';
import { nodeSha256 } from '../../infra/ed25519';
import type { AuditCheckpointDoc } from './audit.model';
import type { AuditProblem, Auditor, ChainVerification } from './audit.types';
import type { AuditDeps } from './deps';
import { auditLeafHash, auditLogOrigin, auditVerifierKeys, noteVerifiers } from './log-format';
import { recordAction } from './search';

/**
 * Verifies one resident's chain (usage-chain.ts: seq, prevHash and HMAC of every link, and the head), then
 * against the latest checkpoint: its signature, the stored log of heads against its root, the chain's leaf
 * in it by inclusion proof; the chain must still reach the checkpointed seq (else `truncated`: a tail cut
 * off after the checkpoint, even with the head moved back too) with the checkpointed hash there (else
 * `checkpoint_mismatch`). The check is recorded in the audit-actions log.
 */
export async function verifyResidentChain(
  deps: AuditDeps,
  auditor: Auditor,
  residentRef: string,
): Promise<ChainVerification> {
  const check = await deps.usage.verify(residentRef);
  const problems: AuditProblem[] = check.broken ? [check.broken] : [];
  const doc = await deps.repo.latestCheckpoint();
  const checkpoint = doc ? await againstCheckpoint(deps, doc, residentRef, check, problems) : undefined;
  if (!check.exists && !checkpoint)
    throw new AppError('NOT_FOUND', 'No usage chain has that resident reference');
  await recordAction(deps, auditor, {
    action: 'verify',
    filter: { residentRef },
    rows: check.length,
  });
  return {
    ok: problems.length === 0,
    length: check.length,
    head: check.head,
    problems,
    ...(checkpoint && { checkpoint }),
  };
}

async function againstCheckpoint(
  deps: AuditDeps,
  doc: AuditCheckpointDoc,
  residentRef: string,
  check: Awaited<ReturnType<AuditDeps['usage']['verify']>>,
  problems: AuditProblem[],
): Promise<ChainVerification['checkpoint']> {
  const invalid = (detail: string) => {
    problems.push({ problem: 'checkpoint_invalid', seq: 0, detail });
    return undefined;
  };
  const origin = auditLogOrigin(deps.province);
  let size: number;
  let root: Uint8Array;
  try {
    const opened = openNote(doc.note, noteVerifiers(auditVerifierKeys(deps.keys, origin), deps.ed25519));
    ({ size, rootHash: root } = parseCheckpoint(opened.text));
  } catch {
    return invalid('the latest checkpoint is not signed by this node');
  }
  const leaves = await deps.repo.leaves(size);
  const hashes = leaves.map(auditLeafHash);
  if (leaves.length !== size || !bytesEqual(merkleRoot(hashes, size, nodeSha256), root))
    return invalid(`the stored log of heads no longer makes the checkpoint of size ${size}`);
  let index = -1;
  for (let i = leaves.length - 1; i >= 0 && index < 0; i--)
    if (leaves[i]!.residentId === residentRef) index = i;
  if (index < 0) return undefined;
  const leaf = leaves[index]!;
  const inclusion = merkleInclusionProof(hashes, index, size, nodeSha256);
  // The proof a page or a monitor would check, from the leaf's own content up to the signed root.
  verifyInclusionProof(
    { leafHash: auditLeafHash(leaf), index, treeSize: size, proof: inclusion, rootHash: root },
    nodeSha256,
  );

  if (!check.broken && check.length < leaf.seq) {
    problems.push({
      problem: 'truncated',
      seq: check.length + 1,
      detail: `the chain ends at seq ${check.length} but the checkpoint of size ${size} holds its seq ${leaf.seq}: the last links were removed`,
    });
  } else {
    // Also on a chain broken earlier: whether the checkpointed link itself survived is worth saying.
    const link = await deps.usage.linkAt(residentRef, leaf.seq);
    if (link && link.hash !== leaf.hash)
      problems.push({
        problem: 'checkpoint_mismatch',
        seq: leaf.seq,
        detail: `the link at seq ${leaf.seq} is not the one the checkpoint of size ${size} holds: the chain was rewritten`,
      });
  }
  return {
    size,
    leafIndex: index,
    seq: leaf.seq,
    hash: leaf.hash,
    inclusion: inclusion.map(base64Encode),
    cosignedBy: Object.keys(doc.cosignatures ?? {}).sort(),
  };
}
