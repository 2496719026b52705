/**
 * Failures of the specification tests that are accepted, each with why: `<suite>/<file>` → test
 * description → the reason and the text the failure must contain. A listed test that fails with that
 * text is reported as "expected"; one that fails otherwise is unexpected (a second fault surfaced); one
 * that passes is reported as "fixed" so the entry can go. Only the Node driver's own behaviour is
 * accepted here: server faults stay unexpected until the server is fixed.
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

function each(because: string, failsWith: string, tests: string[]): Record<string, AcceptedFailure> {
  return Object.fromEntries(tests.map((t) => [t, { because, failsWith }]));
}

export const EXPECTED_FAILURES: Record<string, Record<string, AcceptedFailure>> = {
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
  'transactions/error-labels': each(COMMIT_WTIMEOUT, 'writeConcern: unexpected field(s) wtimeout', [
    'add UnknownTransactionCommitResult label to MaxTimeMSExpired',
  ]),
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
