/**
 * The error labels MongoDB adds to a failed command (its ErrorLabelBuilder), from the error's code and
 * the command's session fields, whether the command failed by itself or `failCommand` injected the code.
 * Drivers act on the labels, not the codes: `withTransaction` retries a whole transaction on
 * TransientTransactionError and a commit on UnknownTransactionCommitResult, and retryable writes are
 * retried on RetryableWriteError.
 */
import { MONGO_ERROR_CODES as C, type ErrorLabel, type MongoCommandError } from './errors';
import type { Doc } from './values';

// ErrorCodes::isRetriableError: the node was busy, stepping down or unreachable; a retry may succeed.
const RETRIABLE = new Set<number>([
  C.HostUnreachable,
  C.HostNotFound,
  C.NetworkTimeout,
  C.ShutdownInProgress,
  C.PrimarySteppedDown,
  C.ExceededTimeLimit,
  C.SocketException,
  C.NotWritablePrimary,
  C.InterruptedAtShutdown,
  C.InterruptedDueToReplStateChange,
  C.NotPrimaryNoSecondaryOk,
  C.NotPrimaryOrSecondary,
  C.ReadConcernMajorityNotAvailableYet,
]);
// ErrorCodes::isShutdownError.
const SHUTDOWN = new Set<number>([C.ShutdownInProgress, C.InterruptedAtShutdown]);
// Codes that say a transaction failed with no lasting effect (isTransientTransactionError: conflicts,
// lock waits, snapshot errors, routing errors of a sharded cluster).
const TRANSIENT = new Set<number>([
  C.WriteConflict,
  C.LockTimeout,
  C.PreparedTransactionInProgress,
  C.SnapshotTooOld,
  C.SnapshotUnavailable,
  C.StaleConfig,
  C.StaleEpoch,
  C.StaleDbVersion,
]);

/** The labels of the reply to `cmd` failing with `err`. */
export function errorLabelsFor(err: MongoCommandError, cmd: Doc): ErrorLabel[] {
  // failCommand's errorLabels replace what the server would add.
  if (err.labelsFixed) return err.errorLabels;
  const name = Object.keys(cmd)[0] ?? '';
  const code = err.code;
  const hasTxnNumber = cmd.txnNumber !== undefined;
  const inTxn = hasTxnNumber && cmd.autocommit !== undefined;
  const commitOrAbort = name === 'commitTransaction' || name === 'abortTransaction';
  const labels = new Set<ErrorLabel>(err.errorLabels);

  const retryableWrite =
    ((hasTxnNumber && cmd.autocommit === undefined) || (inTxn && commitOrAbort)) &&
    (RETRIABLE.has(code) || SHUTDOWN.has(code));
  if (retryableWrite) labels.add('RetryableWriteError');

  if (inTxn) {
    const transient =
      TRANSIENT.has(code) ||
      (commitOrAbort ? code === C.NoSuchTransaction : RETRIABLE.has(code) || code === C.NoSuchTransaction);
    if (transient) labels.add('TransientTransactionError');
    // The commit may or may not have happened: the driver retries it and never the whole transaction.
    if (name === 'commitTransaction' && (retryableWrite || code === C.MaxTimeMSExpired))
      labels.add('UnknownTransactionCommitResult');
  }
  return [...labels];
}

// ErrorCodes::isNotPrimaryError and isShutdownError: the node's state changed (or says it did).
const STATE_CHANGE = new Set<number>([
  C.NotWritablePrimary,
  C.NotPrimaryNoSecondaryOk,
  C.NotPrimaryOrSecondary,
  C.InterruptedDueToReplStateChange,
  C.PrimarySteppedDown,
  ...SHUTDOWN,
]);

/**
 * True when MongoDB appends its `topologyVersion` to the error reply. A driver compares it with the one its
 * monitor last saw and ignores a state change error that is not newer (SDAM's stale-error rule): without it,
 * an injected ShutdownInProgress made the driver drop the server and wait for its streaming monitor (up to
 * heartbeatFrequencyMS, 10 s) before a retry could select it again.
 */
export function carriesTopologyVersion(code: number): boolean {
  return STATE_CHANGE.has(code);
}
