/**
 * Every way a transparency-log check refuses its input. Stable strings: the BFF maps each to its own error
 * code (or, at a witness endpoint, to the HTTP status c2sp.org/tlog-witness names), and tests switch on them.
 */
export const TLOG_FAILURE_REASONS = [
  // Merkle proofs (RFC 9162 section 2.1).
  'malformed_hash',
  'size_out_of_range',
  'empty_tree',
  'wrong_proof_length',
  'root_mismatch',
  // Signed notes and verifier keys (c2sp.org/signed-note).
  'malformed_note',
  'too_many_signatures',
  'duplicate_signature',
  'bad_signature',
  'no_known_signature',
  'malformed_key',
  'key_id_mismatch',
  'unsupported_key_type',
  'weak_key',
  'ambiguous_key',
  // Checkpoints and cosignatures (c2sp.org/tlog-checkpoint, c2sp.org/tlog-cosignature).
  'malformed_checkpoint',
  'empty_tree_root',
  'wrong_origin',
  'quorum_not_met',
  'invalid_policy',
] as const;
export type TlogFailureReason = (typeof TLOG_FAILURE_REASONS)[number];

/** A refusal with its reason; `message` is English for logs and carries no note text beyond names. */
export class TlogError extends Error {
  readonly reason: TlogFailureReason;

  constructor(reason: TlogFailureReason, message: string) {
    super(message);
    this.name = 'TlogError';
    this.reason = reason;
  }
}
