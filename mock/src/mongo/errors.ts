/**
 * MongoDB's own error vocabulary. Drivers and mongoose switch on these numbers (11000 for a duplicate key,
 * 112 for a write conflict, 251 for a lost transaction), so the server must answer with exactly MongoDB's
 * code and codeName; the product's AppError codes do not apply on this wire.
 */
import { MingoError } from 'mingo/util';

/** MongoDB's numeric code for each codeName this server reports. */
export const MONGO_ERROR_CODES = {
  InternalError: 1,
  BadValue: 2,
  NoSuchKey: 4,
  HostUnreachable: 6,
  HostNotFound: 7,
  UnknownError: 8,
  FailedToParse: 9,
  InvalidLength: 16,
  Unauthorized: 13,
  TypeMismatch: 14,
  IllegalOperation: 20,
  LockTimeout: 24,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  MaxTimeMSExpired: 50,
  ManualInterventionRequired: 51,
  CommandNotFound: 59,
  DollarPrefixedFieldName: 52,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  UnknownReplWriteConcern: 79,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  NetworkTimeout: 89,
  ShutdownInProgress: 91,
  OperationFailed: 96,
  UnsatisfiableWriteConcern: 100,
  WriteConflict: 112,
  CommandNotSupported: 115,
  DocumentValidationFailure: 121,
  ReadConcernMajorityNotAvailableYet: 134,
  StaleEpoch: 150,
  CommandNotSupportedOnView: 166,
  PrimarySteppedDown: 189,
  InvalidIndexSpecificationOption: 197,
  TransactionTooOld: 225,
  NotImplemented: 238,
  SnapshotTooOld: 239,
  SnapshotUnavailable: 246,
  StaleDbVersion: 249,
  NoSuchTransaction: 251,
  TransactionCommitted: 256,
  ExceededTimeLimit: 262,
  OperationNotSupportedInTransaction: 263,
  FailPointSetFailed: 266,
  PreparedTransactionInProgress: 267,
  APIVersionError: 322,
  APIStrictError: 323,
  SocketException: 9001,
  NotWritablePrimary: 10107,
  DuplicateKey: 11000,
  InterruptedAtShutdown: 11600,
  Interrupted: 11601,
  InterruptedDueToReplStateChange: 11602,
  StaleConfig: 13388,
  NotPrimaryNoSecondaryOk: 13435,
  NotPrimaryOrSecondary: 13436,
  Location40324: 40324,
  Location40602: 40602,
  Location40415: 40415,
} as const;

export type MongoCodeName = keyof typeof MONGO_ERROR_CODES;

/** Error labels MongoDB attaches so drivers know an operation or transaction may simply be retried. */
export type ErrorLabel =
  'TransientTransactionError' | 'UnknownTransactionCommitResult' | 'RetryableWriteError';

/** A command failure as MongoDB reports it: `{ ok: 0, errmsg, code, codeName, ...extra }`. */
export class MongoCommandError extends Error {
  readonly code: number;
  readonly codeName: MongoCodeName;
  readonly errorLabels: ErrorLabel[];
  /** The labels are final (failCommand's `errorLabels`): the server adds none of its own (error-labels.ts). */
  readonly labelsFixed: boolean;
  /** Extra fields MongoDB puts next to the code, e.g. `keyPattern` and `keyValue` for 11000. */
  readonly extra: Record<string, unknown>;

  constructor(
    codeName: MongoCodeName,
    message: string,
    options: { labels?: ErrorLabel[]; labelsFixed?: boolean; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'MongoCommandError';
    this.codeName = codeName;
    this.code = MONGO_ERROR_CODES[codeName];
    this.errorLabels = options.labels ?? [];
    this.labelsFixed = options.labelsFixed ?? false;
    this.extra = options.extra ?? {};
  }
}

/** Shorthand for throwing a MongoDB-shaped error. */
export function mongoError(codeName: MongoCodeName, message: string, extra?: Record<string, unknown>) {
  return new MongoCommandError(codeName, message, { extra });
}

/**
 * Turns anything thrown while running a command into MongoDB's reply shape. Errors from mingo are bad
 * input (an unknown operator, a wrong argument type); anything else is a bug of this server.
 */
export function toMongoError(err: unknown): MongoCommandError {
  if (err instanceof MongoCommandError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof MingoError) return new MongoCommandError('BadValue', message);
  return new MongoCommandError('InternalError', message);
}

/** The `ok: 0` reply document for an error, with `labels` instead of the error's own when given. */
export function errorReply(err: unknown, labels?: ErrorLabel[]): Record<string, unknown> {
  const e = toMongoError(err);
  const reply: Record<string, unknown> = { ok: 0, errmsg: e.message, code: e.code, codeName: e.codeName };
  Object.assign(reply, e.extra);
  const errorLabels = labels ?? e.errorLabels;
  if (errorLabels.length > 0) reply.errorLabels = errorLabels;
  return reply;
}
