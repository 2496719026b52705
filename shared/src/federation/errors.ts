import type { TlogFailureReason } from '../tlog';

/**
 * Every way a federation check refuses its input (docs/formats/national-trust-list.md, "Refusals"). Stable
 * strings: the BFF maps them to its error codes and logs them, tests switch on them.
 */
export const FEDERATION_FAILURE_REASONS = [
  // The pinned trust itself (a configuration error, not the bundle's fault).
  'invalid_trust',
  // The bundle's outer JSON shape.
  'malformed_bundle',
  // The signed list.
  'bad_root_signature',
  'non_canonical_list',
  'malformed_list',
  'weak_key',
  'duplicate_kid',
  'duplicate_province',
  'unknown_province',
  'bad_history',
  // Time window and sequence.
  'not_yet_valid',
  'expired',
  'lower_sequence',
  'sequence_reused',
  // The checkpoint (c2sp.org/tlog-checkpoint, cosignature/v1).
  'malformed_checkpoint',
  'wrong_origin',
  'bad_log_signature',
  'bad_checkpoint_signature',
  'duplicate_signature',
  'quorum_not_met',
  // The log proofs (RFC 9162).
  'wrong_inclusion',
  'tree_shrank',
  'missing_consistency',
  'inconsistent',
  'split_view',
  // Terminal bundles.
  'malformed_terminal_bundle',
] as const;
export type FederationFailureReason = (typeof FEDERATION_FAILURE_REASONS)[number];

/** A refusal with its reason; `tlogReason` when a transparency-log check said why underneath. */
export class FederationError extends Error {
  readonly reason: FederationFailureReason;
  readonly tlogReason?: TlogFailureReason;

  constructor(reason: FederationFailureReason, message: string, tlogReason?: TlogFailureReason) {
    super(message);
    this.name = 'FederationError';
    this.reason = reason;
    if (tlogReason !== undefined) this.tlogReason = tlogReason;
  }
}
