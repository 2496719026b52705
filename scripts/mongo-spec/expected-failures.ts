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

const NO_WRITE_CONCERN_ERROR_FAIL_POINT =
  "Documented limitation of the stand-in (docs/mongo-local.md, What is not supported): failCommand's writeConcernError field is ignored, so the command succeeds and the driver has no write concern error to label or retry.";

const VALIDATOR_NOT_SUPPORTED =
  'Documented limitation of the stand-in (docs/mongo-local.md, What is not supported): collection validators are not enforced, so collMod and create refuse a validator (NotImplemented) rather than accept one they would ignore; the test cannot reach the validation error whose errInfo it checks.';

function each(because: string, failsWith: string, tests: string[]): Record<string, AcceptedFailure> {
  return Object.fromEntries(tests.map((t) => [t, { because, failsWith }]));
}

export const EXPECTED_FAILURES: Record<string, Record<string, AcceptedFailure>> = {
  'transactions/error-labels-errorLabels': each(
    NO_WRITE_CONCERN_ERROR_FAIL_POINT,
    'expected an error, got success',
    [
      'add RetryableWriteError and UnknownTransactionCommitResult labels to writeConcernError ShutdownInProgress',
    ],
  ),
  'transactions/retryable-abort-errorLabels': each(
    NO_WRITE_CONCERN_ERROR_FAIL_POINT,
    'expected 3 event(s) on client0, got 2',
    [
      'abortTransaction succeeds after WriteConcernError InterruptedAtShutdown',
      'abortTransaction succeeds after WriteConcernError InterruptedDueToReplStateChange',
      'abortTransaction succeeds after WriteConcernError PrimarySteppedDown',
      'abortTransaction succeeds after WriteConcernError ShutdownInProgress',
    ],
  ),
  'transactions/retryable-commit-errorLabels': each(
    NO_WRITE_CONCERN_ERROR_FAIL_POINT,
    'expected 3 event(s) on client0, got 2',
    [
      'commitTransaction succeeds after WriteConcernError InterruptedAtShutdown',
      'commitTransaction succeeds after WriteConcernError InterruptedDueToReplStateChange',
      'commitTransaction succeeds after WriteConcernError PrimarySteppedDown',
      'commitTransaction succeeds after WriteConcernError ShutdownInProgress',
    ],
  ),
  'transactions-convenient-api/commit-writeconcernerror': {
    ...each(NO_WRITE_CONCERN_ERROR_FAIL_POINT, 'got 2 [insert, commitTransaction]', [
      'commitTransaction is retried after WriteConcernTimeout timeout error',
      'commitTransaction is retried after WriteConcernTimeout non-timeout error',
    ]),
    ...each(NO_WRITE_CONCERN_ERROR_FAIL_POINT, 'expected an error, got success', [
      'commitTransaction is not retried after UnknownReplWriteConcern error',
      'commitTransaction is not retried after UnsatisfiableWriteConcern error',
      'commitTransaction is not retried after MaxTimeMSExpired error',
    ]),
  },
  'transactions/retryable-commit': each(NO_WRITE_CONCERN_ERROR_FAIL_POINT, 'expected an error, got success', [
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
    ...each(NO_WRITE_CONCERN_ERROR_FAIL_POINT, 'expected an error, got success', [
      'do not add RetryableWriteError label to writeConcernError ShutdownInProgress that occurs within transaction',
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
};

/** The accepted failure entry of a test, if any. */
export function expectedFailure(file: string, description: string): AcceptedFailure | undefined {
  return EXPECTED_FAILURES[file]?.[description];
}
