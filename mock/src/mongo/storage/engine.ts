/**
 * The storage engine: databases of collections, plain (autocommit) writes, transaction commits, and a
 * sequence number per committed change. Every committed change is handed to the journal (if any) in
 * sequence order; commands await `durable()` before they acknowledge. Snapshot isolation and locking
 * of open transactions live in transactions.ts.
 */
import { mongoError } from '../errors';
import { keyOf, type Doc } from '../values';
import { Collection, duplicateKeyError, idKeyOf } from './collection';
import { Index, normaliseIndexSpec, sameIndexOptions } from './indexes';
import { Transactions } from './transactions';
import type { Txn } from './txn';
import { committedView, type ReadView } from './view';

/** A journal operation: enough to redo a change on replay (after-images, so replay is idempotent). */
export type JournalOp =
  | { o: 'put'; ns: string; d: Doc }
  | { o: 'del'; ns: string; id: unknown }
  | { o: 'createColl'; ns: string; opts: Doc }
  | { o: 'dropColl'; ns: string }
  | { o: 'dropDb'; db: string }
  | { o: 'createIndex'; ns: string; spec: Doc }
  | { o: 'dropIndex'; ns: string; name: string }
  | { o: 'rename'; from: string; to: string };

/** Where committed changes go to become durable. */
export interface JournalSink {
  /** Queues one atomic record; records are written in the order appended. */
  append(seq: number, ops: JournalOp[]): void;
  /** Resolves once every record appended so far is on disk. */
  durable(): Promise<void>;
  /** The write error that broke the journal, if any; no change may be accepted after one. */
  readonly failure: Error | null;
}

function splitNs(ns: string): [string, string] {
  const dot = ns.indexOf('.');
  return [ns.slice(0, dot), ns.slice(dot + 1)];
}

/** Databases, collections, transactions and the committed sequence. */
export class Engine {
  /** Sequence number of the last committed change. */
  seq = 0;
  journal: JournalSink | null = null;
  private readonly dbs = new Map<string, Map<string, Collection>>();
  private readonly txns = new Transactions();

  // ---- catalogue -------------------------------------------------------------------------------

  collection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** The collection, created (and journaled) on first use as MongoDB does for writes. */
  ensureCollection(db: string, name: string, options: Doc = {}): Collection {
    return this.collection(db, name) ?? this.createCollection(db, name, options);
  }

  createCollection(db: string, name: string, options: Doc = {}): Collection {
    this.assertWritable();
    validateNames(db, name);
    if (this.collection(db, name))
      throw mongoError('NamespaceExists', `Collection ${db}.${name} already exists.`);
    const coll = new Collection(db, name, options);
    let colls = this.dbs.get(db);
    if (!colls) this.dbs.set(db, (colls = new Map()));
    colls.set(name, coll);
    this.log([{ o: 'createColl', ns: coll.ns, opts: options }]);
    return coll;
  }

  dropCollection(db: string, name: string): Collection | undefined {
    this.assertWritable();
    const coll = this.collection(db, name);
    if (!coll) return undefined;
    this.dbs.get(db)!.delete(name);
    if (this.dbs.get(db)!.size === 0) this.dbs.delete(db);
    this.txns.forget(coll);
    this.log([{ o: 'dropColl', ns: coll.ns }]);
    return coll;
  }

  dropDatabase(db: string): void {
    this.assertWritable();
    const colls = this.dbs.get(db);
    if (!colls) return;
    for (const coll of colls.values()) this.txns.forget(coll);
    this.dbs.delete(db);
    this.log([{ o: 'dropDb', db }]);
  }

  renameCollection(from: Collection, toDb: string, toName: string, dropTarget: boolean): void {
    this.assertWritable();
    validateNames(toDb, toName);
    if (this.collection(toDb, toName)) {
      if (!dropTarget) throw mongoError('NamespaceExists', 'target namespace exists');
      this.dropCollection(toDb, toName);
    }
    const fromNs = from.ns;
    this.dbs.get(from.db)!.delete(from.name);
    const moved = new Collection(toDb, toName, from.options);
    for (const index of from.indexes.values()) if (!index.isIdIndex) moved.addIndex(new Index(index.spec));
    for (const [idKey, doc] of from.docs) moved.put(idKey, doc);
    let colls = this.dbs.get(toDb);
    if (!colls) this.dbs.set(toDb, (colls = new Map()));
    colls.set(toName, moved);
    if (this.dbs.get(from.db)?.size === 0) this.dbs.delete(from.db);
    this.log([{ o: 'rename', from: fromNs, to: moved.ns }]);
  }

  databases(): string[] {
    return [...this.dbs.keys()];
  }

  collections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  /** Creates the indexes that do not exist yet; returns how many were new. */
  createIndexes(coll: Collection, rawSpecs: Doc[]): number {
    this.assertWritable();
    let created = 0;
    const specs = rawSpecs.map(normaliseIndexSpec);
    for (const spec of specs) {
      const existing = coll.indexes.get(spec.name as string);
      if (existing) {
        if (sameIndexOptions(existing.spec, spec)) continue;
        if (keyOf(existing.spec.key) === keyOf(spec.key)) {
          throw mongoError(
            'IndexOptionsConflict',
            `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing.spec)}`,
          );
        }
        throw mongoError(
          'IndexKeySpecsConflict',
          `An existing index has the same name as the requested index. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing.spec)}`,
        );
      }
      for (const other of coll.indexes.values()) {
        if (keyOf(other.spec.key) !== keyOf(spec.key)) continue;
        if (sameIndexOptions(other.spec, spec)) {
          throw mongoError(
            'IndexOptionsConflict',
            `Index already exists with a different name: ${other.name}`,
          );
        }
        if (other.spec.partialFilterExpression === undefined && spec.partialFilterExpression === undefined) {
          throw mongoError(
            'IndexOptionsConflict',
            `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(other.spec)}`,
          );
        }
      }
      coll.addIndex(new Index(spec));
      this.log([{ o: 'createIndex', ns: coll.ns, spec }]);
      created += 1;
    }
    return created;
  }

  dropIndex(coll: Collection, name: string): void {
    this.assertWritable();
    coll.dropIndex(name);
    this.log([{ o: 'dropIndex', ns: coll.ns, name }]);
  }

  // ---- reads -----------------------------------------------------------------------------------

  /** What a reader outside any transaction sees: the committed state. */
  committedView(coll: Collection | undefined): ReadView {
    return committedView(coll);
  }

  /** What a transaction sees: its snapshot with its own writes on top. */
  txnView(txn: Txn, coll: Collection | undefined): ReadView {
    return this.txns.view(txn, coll, committedView(coll));
  }

  // ---- plain (autocommit) writes ---------------------------------------------------------------

  /** Inserts a document outside a transaction. */
  insert(coll: Collection, doc: Doc): void {
    this.assertWritable();
    const idKey = idKeyOf(doc);
    this.txns.checkLocks(coll, idKey, doc);
    if (coll.docs.has(idKey)) throw duplicateKeyError(coll.ns, coll.indexes.get('_id_')!, [doc._id]);
    const conflict = coll.findConflict(idKey, doc);
    if (conflict) throw duplicateKeyError(coll.ns, conflict.index, conflict.key.values);
    this.remember(coll, idKey, undefined);
    coll.put(idKey, doc);
    this.log([{ o: 'put', ns: coll.ns, d: doc }]);
  }

  /** Replaces a stored document outside a transaction. */
  replace(coll: Collection, idKey: string, doc: Doc): void {
    this.assertWritable();
    this.txns.checkLocks(coll, idKey, doc);
    const conflict = coll.findConflict(idKey, doc);
    if (conflict) throw duplicateKeyError(coll.ns, conflict.index, conflict.key.values);
    this.remember(coll, idKey, coll.docs.get(idKey));
    coll.put(idKey, doc);
    this.log([{ o: 'put', ns: coll.ns, d: doc }]);
  }

  /** Deletes a stored document outside a transaction. */
  remove(coll: Collection, idKey: string): void {
    this.assertWritable();
    this.txns.checkLocks(coll, idKey, null);
    const old = coll.docs.get(idKey);
    if (!old) return;
    this.remember(coll, idKey, old);
    coll.delete(idKey);
    this.log([{ o: 'del', ns: coll.ns, id: old._id }]);
  }

  private remember(coll: Collection, idKey: string, previous: Doc | undefined): void {
    this.txns.remember(coll, idKey, previous, this.seq + 1);
  }

  // A journal that failed to write cannot make changes durable: refuse them rather than acknowledge
  // writes a restart would lose (MongoDB stops the process in that case).
  private assertWritable(): void {
    const failure = this.journal?.failure;
    if (failure)
      throw mongoError('InternalError', `the journal failed (${failure.message}); writes are refused`);
  }

  private log(ops: JournalOp[]): void {
    this.seq += 1;
    this.journal?.append(this.seq, ops);
  }

  /** Resolves when every change committed so far is durable (at once without a journal). */
  durable(): Promise<void> {
    return this.journal ? this.journal.durable() : Promise.resolve();
  }

  // ---- transactions ----------------------------------------------------------------------------

  /** Starts a transaction reading the current committed state. */
  begin(now: number): Txn {
    return this.txns.begin(this.seq, now);
  }

  /** Records a transaction's write (null: delete); see Transactions.write for the conflicts it raises. */
  txnWrite(txn: Txn, coll: Collection, idKey: string, doc: Doc | null): void {
    this.txns.write(txn, coll, idKey, doc);
  }

  /** Applies a transaction's writes as one journal record, or throws (and applies nothing). */
  commit(txn: Txn): void {
    this.assertWritable();
    if (txn.state !== 'active') return;
    const changes: [Collection, Map<string, Doc | null>][] = [];
    for (const [coll, writes] of txn.writes) {
      if (writes.docs.size === 0) continue;
      // A collection dropped during the transaction is re-created by its commit, as MongoDB would refuse.
      const live = this.ensureCollection(coll.db, coll.name);
      changes.push([live, writes.docs]);
    }
    for (const [coll, docs] of changes) coll.checkAll(docs);
    const ops: JournalOp[] = [];
    for (const [coll, docs] of changes) {
      for (const [idKey, doc] of docs) {
        const old = coll.docs.get(idKey);
        if (!old && !doc) continue;
        this.remember(coll, idKey, old);
        ops.push(doc ? { o: 'put', ns: coll.ns, d: doc } : { o: 'del', ns: coll.ns, id: old!._id });
      }
      coll.applyAll(docs);
    }
    if (ops.length > 0) this.log(ops);
    this.txns.end(txn, 'committed');
  }

  /** Discards a transaction's writes. */
  abort(txn: Txn, reason = 'aborted'): void {
    if (txn.state !== 'active') return;
    txn.abortReason = reason;
    this.txns.end(txn, 'aborted');
  }

  /** Transactions still open, for the lifetime sweep. */
  activeTransactions(): Txn[] {
    return this.txns.open();
  }

  // ---- recovery --------------------------------------------------------------------------------

  /** Re-applies one journal operation during recovery, without checks or journaling. */
  replay(op: JournalOp): void {
    const journal = this.journal;
    this.journal = null;
    try {
      switch (op.o) {
        case 'put': {
          const [db, name] = splitNs(op.ns);
          const coll = this.ensureCollection(db, name);
          coll.put(idKeyOf(op.d), op.d);
          break;
        }
        case 'del': {
          const [db, name] = splitNs(op.ns);
          this.collection(db, name)?.delete(keyOf(op.id));
          break;
        }
        case 'createColl': {
          const [db, name] = splitNs(op.ns);
          if (!this.collection(db, name)) this.createCollection(db, name, op.opts);
          break;
        }
        case 'dropColl': {
          const [db, name] = splitNs(op.ns);
          this.dropCollection(db, name);
          break;
        }
        case 'dropDb':
          this.dropDatabase(op.db);
          break;
        case 'createIndex': {
          const [db, name] = splitNs(op.ns);
          const coll = this.ensureCollection(db, name);
          if (!coll.indexes.has(op.spec.name as string)) coll.addIndex(new Index(op.spec));
          break;
        }
        case 'dropIndex': {
          const [db, name] = splitNs(op.ns);
          this.collection(db, name)?.dropIndex(op.name);
          break;
        }
        case 'rename': {
          const [fromDb, fromName] = splitNs(op.from);
          const [toDb, toName] = splitNs(op.to);
          const from = this.collection(fromDb, fromName);
          if (from) this.renameCollection(from, toDb, toName, true);
          break;
        }
      }
    } finally {
      this.journal = journal;
    }
  }
}

function validateNames(db: string, name: string): void {
  if (!db || /[/\\. "$\0]/.test(db) || db.length > 63)
    throw mongoError('InvalidNamespace', `Invalid database name: '${db}'`);
  if (!name || name.startsWith('.') || name.includes('$') || name.includes('\0')) {
    throw mongoError('InvalidNamespace', `Invalid collection name: ${name}`);
  }
}
