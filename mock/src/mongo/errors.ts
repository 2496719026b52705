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
  FailedToParse: 9,
  InvalidLength: 16,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  MaxTimeMSExpired: 50,
  CommandNotFound: 59,
  DollarPrefixedFieldName: 52,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  UnknownReplWriteConcern: 79,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  OperationFailed: 96,
  UnsatisfiableWriteConcern: 100,
  WriteConflict: 112,
  CommandNotSupported: 115,
  CommandNotSupportedOnView: 166,
  InvalidIndexSpecificationOption: 197,
  TransactionTooOld: 225,
  NotImplemented: 238,
  NoSuchTransaction: 251,
  TransactionCommitted: 256,
  OperationNotSupportedInTransaction: 263,
  APIVersionError: 322,
  APIStrictError: 323,
  DuplicateKey: 11000,
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
  /** Extra fields MongoDB puts next to the code, e.g. `keyPattern` and `keyValue` for 11000. */
  readonly extra: Record<string, unknown>;

  constructor(
    codeName: MongoCodeName,
    message: string,
    options: { labels?: ErrorLabel[]; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'MongoCommandError';
    this.codeName = codeName;
    this.code = MONGO_ERROR_CODES[codeName];
    this.errorLabels = options.labels ?? [];
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

/** The `ok: 0` reply document for an error. */
export function errorReply(err: unknown): Record<string, unknown> {
  const e = toMongoError(err);
  const reply: Record<string, unknown> = { ok: 0, errmsg: e.message, code: e.code, codeName: e.codeName };
  Object.assign(reply, e.extra);
  if (e.errorLabels.length > 0) reply.errorLabels = e.errorLabels;
  return reply;
}
