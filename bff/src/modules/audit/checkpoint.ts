import {
  AppError,
  addNoteSignatures,
  base64Encode,
  formatCheckpoint,
  merkleRoot,
  parseCheckpoint,
  parseNote,
  signNote,
} from '@eid/shared';
import { nodeSha256 } from '../../infra/ed25519';
import type { AuditCheckpointDoc, AuditLeafDoc } from './audit.model';
import type { CheckpointView } from './audit.types';
import { requestCosignatures } from './cosign-request';
import type { AuditDeps } from './deps';
import { auditLeafHash, auditLogOrigin, auditSigner, auditVerifierKeys } from './log-format';

const LEASE = 'audit-checkpoint';
const LEASE_MS = 60_000;

/**
 * Publishes a checkpoint of the log of chain heads (docs/formats/audit-checkpoint.md): every chain whose
 * head moved since it was last logged gets a leaf (resident chain, seq, head hash), appended in resident
 * order; the new tree's size and RFC 6962 root are signed as a C2SP checkpoint with this node's key; then
 * every peer province of the federation is asked to cosign it (none when standalone).
 *
 * The log only grows, so each checkpoint extends the one before it, which is what lets a cosigner demand a
 * consistency proof and refuse a fork. One process publishes at a time (a lease); another one asking
 * meanwhile is answered CONFLICT (retryable), the timer just skips.
 */
export async function publishCheckpoint(deps: AuditDeps): Promise<CheckpointView> {
  const { repo, leases, processId } = deps;
  if (!(await leases.acquire(LEASE, processId, LEASE_MS)))
    throw new AppError('CONFLICT', 'A checkpoint is being published; try again', { retryable: true });
  let published: { doc: AuditCheckpointDoc; leaves: AuditLeafDoc[] };
  try {
    published = await appendAndSign(deps);
  } finally {
    await leases.release(LEASE, processId);
  }
  await requestCosignatures(deps, published.doc, published.leaves.map(auditLeafHash));
  return checkpointView(deps, (await repo.checkpoint(published.doc._id)) ?? published.doc);
}

async function appendAndSign(deps: AuditDeps): Promise<{ doc: AuditCheckpointDoc; leaves: AuditLeafDoc[] }> {
  const { repo, usage, clock, logger } = deps;
  await deps.flushHeads();
  const [heads, logged, start, previous] = await Promise.all([
    usage.heads(),
    repo.loggedSeqs(),
    repo.leafCount(),
    repo.latestCheckpoint(),
  ]);
  const due = heads.filter((h) => (logged.get(h.residentId) ?? 0) < h.seq);
  const behind = heads.filter((h) => (logged.get(h.residentId) ?? 0) > h.seq).length;
  // A head behind what was logged means a chain lost links after a checkpoint: verification reports it.
  if (behind > 0) logger.warn({ chains: behind }, 'usage heads behind the audit log');
  const added = due.map((h, i) => ({ _id: start + i, residentId: h.residentId, seq: h.seq, hash: h.hash }));
  if (!(await repo.appendLeaves(added)))
    throw new AppError('CONFLICT', 'Another process appended to the audit log; try again', {
      retryable: true,
    });
  await repo.markLogged(due);

  const size = start + added.length;
  const leaves = await repo.leaves(size);
  if (leaves.length !== size) throw new Error(`the audit log holds ${leaves.length} of its ${size} leaves`);
  const hashes = leaves.map(auditLeafHash);
  // The stored leaves must still make the tree last signed: otherwise this one would sign a rewritten log.
  if (previous && base64Encode(merkleRoot(hashes, previous._id, nodeSha256)) !== previous.rootHash)
    throw new Error('the audit log no longer matches its last checkpoint');
  const rootHash = merkleRoot(hashes, size, nodeSha256);
  const origin = auditLogOrigin(deps.province);
  const text = formatCheckpoint({ origin, size, rootHash, extensions: [] });
  const doc: AuditCheckpointDoc = {
    _id: size,
    rootHash: base64Encode(rootHash),
    note: signNote(text, [auditSigner(deps.keys, origin)]),
    at: clock.now(),
  };
  await repo.saveCheckpoint(doc);
  logger.info({ treeSize: size, added: added.length }, 'audit checkpoint published');
  return { doc, leaves };
}

/** The latest published checkpoint; NOT_FOUND before the first. */
export async function latestCheckpoint(deps: AuditDeps): Promise<CheckpointView> {
  const doc = await deps.repo.latestCheckpoint();
  if (!doc) throw new AppError('NOT_FOUND', 'No audit checkpoint has been published yet');
  return checkpointView(deps, doc);
}

/** The note with its cosignatures added, as monitors and cosigners read it. */
export function cosignedNote(doc: AuditCheckpointDoc): string {
  const lines = Object.values(doc.cosignatures ?? {}).map((c) => c.line);
  return lines.length === 0 ? doc.note : addNoteSignatures(doc.note, lines.join(''));
}

function checkpointView(deps: AuditDeps, doc: AuditCheckpointDoc): CheckpointView {
  const checkpoint = parseCheckpoint(parseNote(doc.note).text);
  return {
    origin: checkpoint.origin,
    size: checkpoint.size,
    rootHash: doc.rootHash,
    note: cosignedNote(doc),
    verifierKey: auditVerifierKeys(deps.keys, checkpoint.origin)[0]!,
    publishedAt: doc.at,
    cosignatures: Object.entries(doc.cosignatures ?? {})
      .map(([province, c]) => ({ province, at: c.at }))
      .sort((a, b) => a.province.localeCompare(b.province)),
  };
}
