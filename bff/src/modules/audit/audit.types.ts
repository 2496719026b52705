/**
 * What other modules may use of the audit module (issue 19 §6, docs/admin.md "Audit"): the auditor's search,
 * chain check and export of the usage traces, the audit-actions log, and the signed checkpoints of the log of
 * chain heads, cosigned by other province nodes. Implemented by audit.service.ts; app.ts wires it.
 */
import type { AuditEventView } from '../usage/usage.types';

export type { AuditEventView };

/** The path of the cosigner's node route. */
export const AUDIT_COSIGN_PATH = '/api/v1/federation/node/audit-checkpoints/cosign';

/** The filters of a search or an export; at most one of idNumber/residentRef, one of staffId/partyId. */
export interface AuditQuery {
  idNumber?: string;
  residentRef?: string;
  staffId?: string;
  partyId?: string;
  purpose?: string;
  from?: number;
  to?: number;
  limit: number;
  /** The `nextBefore` of the previous page: `<at>:<id>`. */
  before?: string;
}

export interface AuditPage {
  items: AuditEventView[];
  nextBefore: string | null;
}

/** Who asks, for the audit-actions log. */
export interface Auditor {
  staffId: string;
  requestId?: string;
}

export type AuditProblemKind =
  | 'seq_gap'
  | 'prev_hash_mismatch'
  | 'hash_mismatch'
  | 'truncated'
  | 'checkpoint_mismatch'
  | 'checkpoint_invalid';

export interface AuditProblem {
  problem: AuditProblemKind;
  /** The first link concerned (0 when it is the checkpoint itself). */
  seq: number;
  detail: string;
}

/** Answer of `POST /api/v1/admin/audit/chains/verify`. */
export interface ChainVerification {
  ok: boolean;
  /** Links that hold, from seq 1. */
  length: number;
  /** Hash of the last link that holds; null for an empty chain. */
  head: string | null;
  problems: AuditProblem[];
  /** The chain's leaf in the latest checkpoint, with its inclusion proof; absent when not checkpointed yet. */
  checkpoint?: {
    size: number;
    leafIndex: number;
    seq: number;
    hash: string;
    /** base64 hashes, nearest sibling first (RFC 9162 §2.1.3). */
    inclusion: string[];
    cosignedBy: string[];
  };
}

/** A published checkpoint (`GET /api/v1/audit/checkpoint`, `POST /api/v1/admin/audit/checkpoints`). */
export interface CheckpointView {
  origin: string;
  size: number;
  /** base64 */
  rootHash: string;
  /** The signed note (c2sp.org/signed-note), cosignatures included. */
  note: string;
  /** The note key that signs it (c2sp.org/signed-note verifier key). */
  verifierKey: string;
  publishedAt: number;
  cosignatures: { province: string; at: number }[];
}

/** One entry of the audit-actions log. */
export interface AuditActionView {
  id: string;
  at: number;
  staffId: string;
  action: 'search' | 'export' | 'verify' | 'checkpoint';
  filter: Record<string, unknown>;
  rows?: number;
  truncated?: boolean;
  requestId?: string;
}

/** Body of the cosigner's node route: the checkpoint note and the proof from what it cosigned last. */
export interface CosignInput {
  checkpoint: string;
  consistency?: { fromSize: number; hashes: string[] };
}

export interface CosignAnswer {
  /** The cosignature line (c2sp.org/tlog-cosignature), newline included. */
  cosignature: string;
  treeSize: number;
}

export interface AuditService {
  search(auditor: Auditor, q: AuditQuery): Promise<AuditPage>;
  exportCsv(auditor: Auditor, q: AuditQuery): Promise<{ csv: string; rows: number; truncated: boolean }>;
  verifyChain(auditor: Auditor, residentRef: string): Promise<ChainVerification>;
  actions(q: {
    limit: number;
    before?: string;
  }): Promise<{ items: AuditActionView[]; nextBefore: string | null }>;
  /** Publishes a checkpoint now (and asks peers to cosign it); `auditor` absent for the timer. */
  publishCheckpoint(auditor?: Auditor): Promise<CheckpointView>;
  latestCheckpoint(): Promise<CheckpointView>;
  /** The cosigner's side: `province` is the signer of the node request. */
  cosign(province: string, input: CosignInput): Promise<CosignAnswer>;
  /** Publishes on a timer (background.ts); the returned function stops it. */
  startCheckpoints(intervalMs: number): () => Promise<void>;
}
