/**
 * What every command handler receives, and the helpers they share: argument checks, the read view and
 * writer for the command's transaction (or for plain autocommit writes), and waiting out locks.
 */
import type { ObjectId } from 'bson';
import type { CursorRegistry } from '../cursors';
import { mongoError } from '../errors';
import type { SessionRegistry } from '../sessions';
import { duplicateKeyError, idKeyOf, type Collection } from '../storage/collection';
import type { Engine } from '../storage/engine';
import { LockedError } from '../storage/transactions';
import type { ReadView } from '../storage/view';
import type { Txn } from '../storage/txn';
import { isPlainObject, type Doc } from '../values';
import type { FailPoints } from './failpoints';

/** The injectable source of time for TTL expiry. */
export interface Clock {
  now(): number;
}

/** Facts about this server that `hello` and friends report. */
export interface ServerInfo {
  host: string;
  port: number;
  setName: string;
  /** Identifies this process in `topologyVersion`; a restart is a new topology. */
  processId: ObjectId;
  startedAt: Date;
}

/** What a connection's client said about itself in its handshake. */
export interface ClientInfo {
  /** `client.application.name` of the first `hello` (the driver's `appName`). */
  appName?: string;
}

/** Everything one command runs against. */
export interface CommandContext {
  engine: Engine;
  cursors: CursorRegistry;
  sessions: SessionRegistry;
  clock: Clock;
  info: ServerInfo;
  db: string;
  txn: Txn | null;
  connectionId: number;
  client: ClientInfo;
  failPoints: FailPoints;
  /** Aborted when the connection closes or the server stops (ends awaitable `hello`). */
  signal: AbortSignal;
}

/** A reply: a document (`ok: 1` is added unless present) or bytes already serialised. */
export type CommandResult = Doc | Buffer;

/** Runs one command; throws MongoCommandError (or anything) for an `ok: 0` reply. */
export type CommandHandler = (cmd: Doc, ctx: CommandContext) => CommandResult | Promise<CommandResult>;

/** The collection name a command names in its first field. */
export function collectionName(cmd: Doc, field: string): string {
  const name = cmd[field];
  if (typeof name !== 'string' || name === '') {
    throw mongoError('InvalidNamespace', `collection name has invalid type ${typeof name}`);
  }
  return name;
}

/** An optional document argument. */
export function docArg(cmd: Doc, field: string): Doc | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v))
    throw mongoError(
      'TypeMismatch',
      `BSON field '${field}' is the wrong type '${typeof v}', expected type 'object'`,
    );
  return v;
}

/** An optional non-negative integer argument. */
export function intArg(cmd: Doc, field: string): number | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw mongoError('TypeMismatch', `BSON field '${field}' must be a number`);
  return Math.trunc(n);
}

/** How the command's reader sees a collection: its transaction's snapshot, or the committed state. */
export function viewOf(ctx: CommandContext, coll: Collection | undefined): ReadView {
  return ctx.txn ? ctx.engine.txnView(ctx.txn, coll) : ctx.engine.committedView(coll);
}

/** Writes of one command, inside its transaction or committed at once. */
export interface Writer {
  insert(coll: Collection, doc: Doc): void;
  replace(coll: Collection, idKey: string, doc: Doc): void;
  remove(coll: Collection, idKey: string): void;
}

/** The writer for a command's context. */
export function writerOf(ctx: CommandContext): Writer {
  const { engine, txn } = ctx;
  if (!txn) return engine;
  return {
    insert(coll, doc) {
      const idKey = idKeyOf(doc);
      if (engine.txnView(txn, coll).get(idKey))
        throw duplicateKeyError(coll.ns, coll.indexes.get('_id_')!, [doc._id]);
      engine.txnWrite(txn, coll, idKey, doc);
    },
    replace: (coll, idKey, doc) => engine.txnWrite(txn, coll, idKey, doc),
    remove: (coll, idKey) => engine.txnWrite(txn, coll, idKey, null),
  };
}

/**
 * Runs a write step; when it meets a transaction's lock, waits for that transaction to end and runs the
 * step again (MongoDB blocks such writes the same way). Synchronous unless it has to wait.
 */
export function untilUnlocked<T>(step: () => T): T | Promise<T> {
  try {
    return step();
  } catch (err) {
    if (err instanceof LockedError) return err.txn.ended.then(() => untilUnlocked(step));
    throw err;
  }
}

/** The namespace string `db.collection`. */
export function nsOf(ctx: CommandContext, name: string): string {
  return `${ctx.db}.${name}`;
}
