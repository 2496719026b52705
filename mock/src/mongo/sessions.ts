/**
 * Logical sessions and the transaction state machine drivers expect: `startTransaction` with a new
 * `txnNumber` opens a transaction, later commands with `autocommit: false` and the same number run in
 * it, `commitTransaction` / `abortTransaction` end it, a retried commit of a committed transaction
 * succeeds, and any other use of an ended transaction is `NoSuchTransaction` (a transient error, so
 * `withTransaction` retries).
 */
import { MongoCommandError, mongoError } from './errors';
import type { Engine } from './storage/engine';
import type { Txn } from './storage/txn';
import { keyOf, type Doc } from './values';

/** MongoDB's defaults: sessions expire after 30 idle minutes, transactions after 60 s. */
export const SESSION_TIMEOUT_MINUTES = 30;
export const TRANSACTION_LIFETIME_MS = 60_000;

// Commands MongoDB accepts inside a multi-document transaction (`create` and `createIndexes` take
// effect at commit: storage/txn-catalogue.ts).
const TXN_COMMANDS = new Set([
  'find',
  'getMore',
  'killCursors',
  'insert',
  'update',
  'delete',
  'findAndModify',
  'aggregate',
  'distinct',
  'create',
  'createIndexes',
  'commitTransaction',
  'abortTransaction',
]);

/** One logical session (`lsid`). */
export interface Session {
  key: string;
  /** The session id as the client sent it (`{ id: UUID }`), for `$listLocalSessions`. */
  lsid: Doc;
  lastUsed: number;
  /** Wall-clock time of the last use, as `$listLocalSessions` reports it. */
  lastUse: Date;
  /** Highest txnNumber seen (transactions and retryable writes share the counter). */
  txnNumber: number;
  txn: Txn | null;
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && typeof (v as { toNumber?: unknown }).toNumber === 'function') {
    return (v as { toNumber(): number }).toNumber();
  }
  return undefined;
}

function noSuchTransaction(message: string): MongoCommandError {
  return new MongoCommandError('NoSuchTransaction', message, { labels: ['TransientTransactionError'] });
}

/** Sessions by lsid, and the transaction each command belongs to. */
export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly engine: Engine,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private session(lsid: unknown): Session | null {
    if (!lsid || typeof lsid !== 'object') return null;
    const key = keyOf((lsid as Doc).id);
    let session = this.sessions.get(key);
    if (!session) {
      session = {
        key,
        lsid: { id: (lsid as Doc).id },
        lastUsed: this.now(),
        lastUse: new Date(),
        txnNumber: -1,
        txn: null,
      };
      this.sessions.set(key, session);
    }
    session.lastUsed = this.now();
    session.lastUse = new Date();
    return session;
  }

  /** Registers a session the server handed out (`startSession`), or refreshes one. */
  touch(lsid: Doc): void {
    this.session(lsid);
  }

  /** The sessions this server knows, for `$listLocalSessions`. */
  list(): Session[] {
    return [...this.sessions.values()];
  }

  /**
   * The transaction a command runs in (null outside one), starting one on `startTransaction`. Throws
   * MongoDB's errors for commands that do not fit the session's transaction state.
   */
  transactionFor(name: string, cmd: Doc): Txn | null {
    const session = this.session(cmd.lsid);
    const txnNumber = toNumber(cmd.txnNumber);
    if (!session || txnNumber === undefined) {
      if (cmd.autocommit === false)
        throw mongoError('InvalidOptions', "'autocommit' field requires a transaction number");
      return null;
    }
    if (cmd.autocommit !== false) {
      // A retryable write: it supersedes any older transaction of the session.
      if (txnNumber > session.txnNumber) {
        if (session.txn) this.engine.abort(session.txn, 'superseded by a newer transaction number');
        session.txnNumber = txnNumber;
        session.txn = null;
      }
      return null;
    }
    if (cmd.startTransaction === true) {
      if (txnNumber < session.txnNumber) {
        throw mongoError(
          'TransactionTooOld',
          `Cannot start transaction ${txnNumber} on session because a newer transaction ${session.txnNumber} has already started`,
        );
      }
      if (txnNumber === session.txnNumber && session.txn) {
        throw mongoError(
          'OperationFailed',
          `Cannot start transaction ${txnNumber} on session because it has already started`,
        );
      }
      if (session.txn) this.engine.abort(session.txn, 'superseded by a newer transaction');
      if (!TXN_COMMANDS.has(name)) throw notInTransaction(name);
      session.txnNumber = txnNumber;
      session.txn = this.engine.begin(Date.now());
      return session.txn;
    }
    const txn = session.txn;
    if (txnNumber !== session.txnNumber || !txn) {
      throw noSuchTransaction(
        `Given transaction number ${txnNumber} does not match any in-progress transactions. The active transaction number is ${session.txnNumber}`,
      );
    }
    if (txn.state === 'aborted') {
      throw noSuchTransaction(
        `Transaction with { txnNumber: ${txnNumber} } has been aborted.${txn.abortReason ? ` (${txn.abortReason})` : ''}`,
      );
    }
    if (txn.state === 'committed' && name !== 'commitTransaction') {
      throw mongoError(
        'TransactionCommitted',
        `Transaction with { txnNumber: ${txnNumber} } has been committed.`,
      );
    }
    if (!TXN_COMMANDS.has(name)) throw notInTransaction(name);
    return txn;
  }

  /** Ends sessions (aborting their open transactions), as `endSessions` asks. */
  end(lsids: unknown[]): void {
    for (const lsid of lsids) {
      if (!lsid || typeof lsid !== 'object') continue;
      const key = keyOf((lsid as Doc).id);
      const session = this.sessions.get(key);
      if (session?.txn) this.engine.abort(session.txn, 'session ended');
      this.sessions.delete(key);
    }
  }

  /** Aborts transactions past their lifetime and forgets idle sessions. */
  sweep(): void {
    const now = Date.now();
    for (const txn of this.engine.activeTransactions()) {
      if (now - txn.startedAt > TRANSACTION_LIFETIME_MS)
        this.engine.abort(txn, 'transaction lifetime limit exceeded');
    }
    const idleCutoff = this.now() - SESSION_TIMEOUT_MINUTES * 60_000;
    for (const [key, session] of this.sessions) {
      if (session.lastUsed >= idleCutoff) continue;
      if (session.txn) this.engine.abort(session.txn, 'session expired');
      this.sessions.delete(key);
    }
  }

  /** Aborts every open transaction (shutdown). */
  clear(): void {
    for (const session of this.sessions.values())
      if (session.txn) this.engine.abort(session.txn, 'server shutting down');
    this.sessions.clear();
  }
}

function notInTransaction(name: string): MongoCommandError {
  return mongoError(
    'OperationNotSupportedInTransaction',
    `Cannot run '${name}' in a multi-document transaction.`,
  );
}
