/**
 * Failures of the specification tests that are accepted, each with why: `<suite>/<file>` → test
 * description → the reason and the text the failure must contain. A listed test that fails with that
 * text is reported as "expected"; one that fails otherwise is unexpected (a second fault surfaced); one
 * that passes is reported as "fixed" so the entry can go. Accepted are the Node driver's own behaviour
 * and what docs/mongo-local.md lists under "What is not supported"; any other server fault stays
 * unexpected until the server is fixed.
 */
export interface AcceptedFailure {
  because: string;
  /** A substring of the failure's one-line reason. */
  failsWith: string;
}

const COMMIT_WTIMEOUT =
  'The Node driver (7.x) adds wtimeout: 10000 to the write concern of every commitTransaction/abortTransaction that carries one (the spec adds it only when retrying a commit); the server is not involved.';

const BYPASS_FALSE_OMITTED =
  'The Node driver omits bypassDocumentValidation: false from the command (it sends the option only when true); the server is not involved.';

const NULL_ID_REPLACED =
  'The Node driver replaces _id: null with a new ObjectId before sending an insert (utils.maybeAddIdToDocuments, unless forceServerObjectId), so no document with _id null reaches the server; upserts with _id null do pass.';

const VALIDATOR_NOT_SUPPORTED =
  'Documented limitation of the stand-in (docs/mongo-local.md, What is not supported): collection validators are not enforced, so collMod and create refuse a validator (NotImplemented) rather than accept one they would ignore; the test cannot reach the validation error whose errInfo it checks.';

const SNAPSHOT_REFUSAL = 'readConcern level snapshot outside a transaction is not supported';
const SNAPSHOT_READS_REFUSED =
  'Documented limitation of the stand-in (docs/mongo-local.md, What is not supported): reads outside a transaction always see the latest data, so readConcern level snapshot there (snapshot sessions) is refused with NotImplemented rather than answered with data newer than the snapshot.';

function each(because: string, failsWith: string, tests: string[]): Record<string, AcceptedFailure> {
  return Object.fromEntries(tests.map((t) => [t, { because, failsWith }]));
}

export const EXPECTED_FAILURES: Record<string, Record<string, AcceptedFailure>> = {
  'transactions/error-labels-errorLabels': each(
    COMMIT_WTIMEOUT,
    'writeConcern: unexpected field(s) wtimeout',
    [
      'add RetryableWriteError and UnknownTransactionCommitResult labels to writeConcernError ShutdownInProgress',
    ],
  ),
  'transactions/retryable-abort-errorLabels': each(
    COMMIT_WTIMEOUT,
    'writeConcern: unexpected field(s) wtimeout',
    [
      'abortTransaction succeeds after WriteConcernError InterruptedAtShutdown',
      'abortTransaction succeeds after WriteConcernError InterruptedDueToReplStateChange',
      'abortTransaction succeeds after WriteConcernError PrimarySteppedDown',
      'abortTransaction succeeds after WriteConcernError ShutdownInProgress',
    ],
  ),
  'transactions/retryable-commit-errorLabels': each(
    COMMIT_WTIMEOUT,
    'writeConcern: unexpected field(s) wtimeout',
    [
      'commitTransaction succeeds after WriteConcernError InterruptedAtShutdown',
      'commitTransaction succeeds after WriteConcernError InterruptedDueToReplStateChange',
      'commitTransaction succeeds after WriteConcernError PrimarySteppedDown',
      'commitTransaction succeeds after WriteConcernError ShutdownInProgress',
    ],
  ),

  'transactions/retryable-commit': each(COMMIT_WTIMEOUT, 'writeConcern: unexpected field(s) wtimeout', [
    'commitTransaction is not retried after UnsatisfiableWriteConcern error',
  ]),
  'crud/bypassDocumentValidation': each(BYPASS_FALSE_OMITTED, 'bypassDocumentValidation: missing', [
    'Aggregate with $out passes bypassDocumentValidation: false',
    'BulkWrite passes bypassDocumentValidation: false',
    'FindOneAndReplace passes bypassDocumentValidation: false',
    'FindOneAndUpdate passes bypassDocumentValidation: false',
    'InsertMany passes bypassDocumentValidation: false',
  ]),
  'crud/create-null-ids': each(NULL_ID_REPLACED, 'expected 1, got 0', [
    'inserting _id with type null via insertOne',
    'inserting _id with type null via insertMany',
    'inserting _id with type null via bulkWrite',
    'inserting _id with type null via clientBulkWrite',
  ]),
  'transactions-convenient-api/transaction-options': each(
    COMMIT_WTIMEOUT,
    'writeConcern: unexpected field(s) wtimeout',
    [
      'withTransaction inherits transaction options from client',
      'withTransaction inherits transaction options from defaultTransactionOptions',
      'withTransaction explicit transaction options',
      'withTransaction explicit transaction options override defaultTransactionOptions',
      'withTransaction explicit transaction options override client options',
    ],
  ),
  'transactions/delete': each(COMMIT_WTIMEOUT, 'writeConcern: unexpected field(s) wtimeout', [
    'collection writeConcern ignored for delete',
  ]),
  'transactions/error-labels': {
    ...each(COMMIT_WTIMEOUT, 'writeConcern: unexpected field(s) wtimeout', [
      'add UnknownTransactionCommitResult label to MaxTimeMSExpired',
    ]),
    ...each(COMMIT_WTIMEOUT, 'writeConcern: unexpected field(s) wtimeout', [
      'add UnknownTransactionCommitResult label to writeConcernError WriteConcernTimeout',
      'add UnknownTransactionCommitResult label to writeConcernError WriteConcernTimeout with wtimeout',
      'omit UnknownTransactionCommitResult label from writeConcernError UnsatisfiableWriteConcern',
      'omit UnknownTransactionCommitResult label from writeConcernError UnknownReplWriteConcern',
      'add UnknownTransactionCommitResult label to writeConcernError MaxTimeMSExpired',
    ]),
  },
  'transactions/findOneAndDelete': each(COMMIT_WTIMEOUT, 'writeConcern: unexpected field(s) wtimeout', [
    'collection writeConcern ignored for findOneAndDelete',
  ]),
  'transactions/findOneAndReplace': each(COMMIT_WTIMEOUT, 'writeConcern: unexpected field(s) wtimeout', [
    'collection writeConcern ignored for findOneAndReplace',
  ]),
  'transactions/findOneAndUpdate': each(COMMIT_WTIMEOUT, 'writeConcern: unexpected field(s) wtimeout', [
    'collection writeConcern ignored for findOneAndUpdate',
  ]),
  'transactions/insert': each(COMMIT_WTIMEOUT, 'writeConcern: unexpected field(s) wtimeout', [
    'collection writeConcern ignored for insert',
  ]),
  'transactions/retryable-abort': each(COMMIT_WTIMEOUT, 'writeConcern: unexpected field(s) wtimeout', [
    'abortTransaction does not retry after WriteConcernError Interrupted',
  ]),
  'transactions/transaction-options': each(COMMIT_WTIMEOUT, 'writeConcern: unexpected field(s) wtimeout', [
    'transaction options inherited from client',
    'transaction options inherited from defaultTransactionOptions',
    'startTransaction options override defaults',
    'defaultTransactionOptions override client options',
    'readConcern local in defaultTransactionOptions',
    'client writeConcern ignored for bulk',
  ]),
  'crud/findOneAndUpdate-errorResponse': each(
    VALIDATOR_NOT_SUPPORTED,
    "BSON field 'collMod.validator' is not supported",
    ['findOneAndUpdate document validation errInfo is accessible'],
  ),
  'transactions/update': each(COMMIT_WTIMEOUT, 'writeConcern: unexpected field(s) wtimeout', [
    'collections writeConcern ignored for update',
  ]),
  'transactions/write-concern': each(COMMIT_WTIMEOUT, 'writeConcern: unexpected field(s) wtimeout', [
    'commit with majority',
    'abort with majority',
  ]),
  'sessions/implicit-sessions-default-causal-consistency': each(SNAPSHOT_READS_REFUSED, SNAPSHOT_REFUSAL, [
    'afterClusterTime is not sent on retried read in implicit session when readConcern level is snapshot',
  ]),
  'sessions/snapshot-sessions': each(SNAPSHOT_READS_REFUSED, SNAPSHOT_REFUSAL, [
    'Find operation with snapshot',
    'Distinct operation with snapshot',
    'Aggregate operation with snapshot',
    'countDocuments operation with snapshot',
    'Mixed operation with snapshot',
    'Write commands with snapshot session do not affect snapshot reads',
    'First snapshot read does not send atClusterTime',
    'Find operation with snapshot and snapshot time',
    'Distinct operation with snapshot and snapshot time',
    'Aggregate operation with snapshot and snapshot time',
    'countDocuments operation with snapshot and snapshot time',
    'Mixed operation with snapshot and snapshotTime',
  ]),
};

/** The accepted failure entry of a test, if any. */
export function expectedFailure(file: string, description: string): AcceptedFailure | undefined {
  return EXPECTED_FAILURES[file]?.[description];
}
