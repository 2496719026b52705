/**
 * The storage engine: databases of collections, a sequence number per committed change, and the
 * machinery that gives transactions snapshot isolation without copying collections.
 *
 * - A committed write replaces a document object in its collection and, while any transaction is
 *   active, remembers the previous version (the "history") so that transactions keep reading the state
 *   as of their snapshot.
 * - A transaction's writes live in its own overlay. Writing a document or a unique key takes a lock;
 *   another transaction touching the same lock, or a document changed after the snapshot, is a
 *   WriteConflict. A plain write that meets a lock waits until the transaction ends, as on MongoDB.
 * - Every committed change is handed to the journal (if any) in sequence order before the command
 *   that made it is acknowledged.
 */
import { MongoCommandError, mongoError } from '../errors';
import { keyOf, type Doc } from '../values';
import { Collection, duplicateKeyError, idKeyOf } from './collection';
import { Index, normaliseIndexSpec, sameIndexOptions } from './indexes';
import { Txn } from './txn';

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
}

/** Thrown by a plain write that meets a transaction's lock; the caller waits for `txn.ended` and retries. */
export class LockedError extends Error {
  constructor(readonly txn: Txn) {
    super('document is locked by a transaction');
  }
}

/** Reads of one collection as seen by one reader (plain reads, or a transaction's snapshot). */
export interface ReadView {
  get(idKey: string): Doc | undefined;
  /** Every document that may match `filter` (a superset), in natural order where it can. */
  candidates(filter: Doc): Iterable<Doc>;
  /** Every document, in natural order. */
  all(): Iterable<Doc>;
}

interface HistoryEntry {
  seq: number;
  /** The version before the change at `seq`; undefined when the document did not exist. */
  doc: Doc | undefined;
}

const EMPTY_VIEW: ReadView = { get: () => undefined, candidates: () => [], all: () => [] };

const WRITE_CONFLICT =
  'Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction.';

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
  private readonly active = new Set<Txn>();
  private readonly history = new Map<Collection, Map<string, HistoryEntry[]>>();
  private readonly locks = new Map<string, Txn>();

  // ---- catalogue -------------------------------------------------------------------------------

  collection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** The collection, created (and journaled) on first use as MongoDB does for writes. */
  ensureCollection(db: string, name: string, options: Doc = {}): Collection {
    return this.collection(db, name) ?? this.createCollection(db, name, options);
  }

  createCollection(db: string, name: string, options: Doc = {}): Collection {
    validateNames(db, name);
    if (this.collection(db, name)) throw mongoError('NamespaceExists', `Collection ${db}.${name} already exists.`);
    const coll = new Collection(db, name, options);
    let colls = this.dbs.get(db);
    if (!colls) this.dbs.set(db, (colls = new Map()));
    colls.set(name, coll);
    this.log([{ o: 'createColl', ns: coll.ns, opts: options }]);
    return coll;
  }

  dropCollection(db: string, name: string): Collection | undefined {
    const coll = this.collection(db, name);
    if (!coll) return undefined;
    this.dbs.get(db)!.delete(name);
    if (this.dbs.get(db)!.size === 0) this.dbs.delete(db);
    this.history.delete(coll);
    this.log([{ o: 'dropColl', ns: coll.ns }]);
    return coll;
  }

  dropDatabase(db: string): void {
    const colls = this.dbs.get(db);
    if (!colls) return;
    for (const coll of colls.values()) this.history.delete(coll);
    this.dbs.delete(db);
    this.log([{ o: 'dropDb', db }]);
  }

  renameCollection(from: Collection, toDb: string, toName: string, dropTarget: boolean): void {
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
    coll.dropIndex(name);
    this.log([{ o: 'dropIndex', ns: coll.ns, name }]);
  }

  // ---- reads -----------------------------------------------------------------------------------

  /** What a reader outside any transaction sees: the committed state. */
  committedView(coll: Collection | undefined): ReadView {
    if (!coll) return EMPTY_VIEW;
    return {
      get: (idKey) => coll.docs.get(idKey),
      candidates: (filter) => {
        const ids = coll.plan(filter);
        if (!ids) return coll.docs.values();
        const docs: Doc[] = [];
        for (const id of ids) {
          const d = coll.docs.get(id);
          if (d) docs.push(d);
        }
        return docs;
      },
      all: () => coll.docs.values(),
    };
  }

  /** What a transaction sees: the committed state at its snapshot, with its own writes on top. */
  txnView(txn: Txn, coll: Collection | undefined): ReadView {
    if (!coll) return EMPTY_VIEW;
    const writes = txn.writes.get(coll);
    const history = this.history.get(coll);
    if (!writes && !history) return this.committedView(coll);
    const resolve = (id: string): Doc | undefined => {
      if (writes?.docs.has(id)) return writes.docs.get(id) ?? undefined;
      return this.versionAt(coll, id, txn.snapshot);
    };
    const changedIds = (): string[] => [
      ...(history ? history.keys() : []),
      ...(writes ? writes.docs.keys() : []),
    ];
    const all = function* (): Iterable<Doc> {
      for (const id of coll.docs.keys()) {
        const d = resolve(id);
        if (d) yield d;
      }
      for (const id of changedIds()) {
        if (coll.docs.has(id)) continue;
        const d = resolve(id);
        if (d) yield d;
      }
    };
    return {
      get: resolve,
      all,
      candidates: (filter) => {
        const ids = coll.plan(filter);
        if (!ids) return all();
        const out: Doc[] = [];
        const seen = new Set<string>();
        for (const id of [...ids, ...changedIds()]) {
          if (seen.has(id)) continue;
          seen.add(id);
          const d = resolve(id);
          if (d) out.push(d);
        }
        return out;
      },
    };
  }

  private versionAt(coll: Collection, id: string, snapshot: number): Doc | undefined {
    const entries = this.history.get(coll)?.get(id);
    if (entries) for (const e of entries) if (e.seq > snapshot) return e.doc;
    return coll.docs.get(id);
  }

  // ---- plain (autocommit) writes ---------------------------------------------------------------

  /** Inserts a document outside a transaction. */
  insert(coll: Collection, doc: Doc): void {
    const idKey = idKeyOf(doc);
    this.checkLocks(coll, idKey, doc);
    if (coll.docs.has(idKey)) throw duplicateKeyError(coll.ns, coll.indexes.get('_id_')!, [doc._id]);
    const conflict = coll.findConflict(idKey, doc);
    if (conflict) throw duplicateKeyError(coll.ns, conflict.index, conflict.key.values);
    this.remember(coll, idKey, undefined);
    coll.put(idKey, doc);
    this.log([{ o: 'put', ns: coll.ns, d: doc }]);
  }

  /** Replaces a stored document outside a transaction. */
  replace(coll: Collection, idKey: string, doc: Doc): void {
    this.checkLocks(coll, idKey, doc);
    const conflict = coll.findConflict(idKey, doc);
    if (conflict) throw duplicateKeyError(coll.ns, conflict.index, conflict.key.values);
    this.remember(coll, idKey, coll.docs.get(idKey));
    coll.put(idKey, doc);
    this.log([{ o: 'put', ns: coll.ns, d: doc }]);
  }

  /** Deletes a stored document outside a transaction. */
  remove(coll: Collection, idKey: string): void {
    this.checkLocks(coll, idKey, null);
    const old = coll.docs.get(idKey);
    if (!old) return;
    this.remember(coll, idKey, old);
    coll.delete(idKey);
    this.log([{ o: 'del', ns: coll.ns, id: old._id }]);
  }

  private checkLocks(coll: Collection, idKey: string, doc: Doc | null): void {
    if (this.locks.size === 0) return;
    const holder = this.locks.get(docLock(coll, idKey));
    if (holder) throw new LockedError(holder);
    if (!doc) return;
    for (const index of coll.secondary()) {
      if (!index.unique) continue;
      for (const key of index.keysOf(doc)) {
        const keyHolder = this.locks.get(keyLock(coll, index, key.key));
        if (keyHolder) throw new LockedError(keyHolder);
      }
    }
  }

  private remember(coll: Collection, idKey: string, previous: Doc | undefined): void {
    if (this.active.size === 0) return;
    let byId = this.history.get(coll);
    if (!byId) this.history.set(coll, (byId = new Map()));
    let entries = byId.get(idKey);
    if (!entries) byId.set(idKey, (entries = []));
    entries.push({ seq: this.seq + 1, doc: previous });
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
    const txn = new Txn(this.seq, now);
    this.active.add(txn);
    return txn;
  }

  /**
   * Records a transaction's write of `doc` (null: delete) under `idKey`. Throws WriteConflict when
   * another transaction holds the document or one of its unique keys, or when the document changed
   * after the snapshot; DuplicateKey when a unique key is taken in what the transaction would commit.
   */
  txnWrite(txn: Txn, coll: Collection, idKey: string, doc: Doc | null): void {
    const lock = docLock(coll, idKey);
    const holder = this.locks.get(lock);
    if (holder && holder !== txn) throw writeConflict();
    const entries = this.history.get(coll)?.get(idKey);
    if (entries?.some((e) => e.seq > txn.snapshot)) throw writeConflict();
    const writes = txn.writesTo(coll);
    const newKeys: [Index, string, unknown[]][] = [];
    if (doc) {
      for (const index of coll.secondary()) {
        if (!index.unique) continue;
        const overlay = writes.uniq.get(index);
        for (const key of index.keysOf(doc)) {
          const keyHolder = this.locks.get(keyLock(coll, index, key.key));
          if (keyHolder && keyHolder !== txn) throw writeConflict();
          const overlayOwner = overlay?.get(key.key);
          if (overlayOwner !== undefined && overlayOwner !== idKey) {
            throw duplicateKeyError(coll.ns, index, key.values);
          }
          const owner = index.ownerOf(key.key);
          if (owner !== undefined && owner !== idKey && !writes.docs.has(owner)) {
            throw duplicateKeyError(coll.ns, index, key.values);
          }
          newKeys.push([index, key.key, key.values]);
        }
      }
    }
    this.lock(txn, lock);
    const previous = writes.docs.get(idKey);
    if (previous) {
      for (const index of coll.secondary()) {
        if (!index.unique) continue;
        const overlay = writes.uniq.get(index);
        for (const key of index.keysOf(previous)) if (overlay?.get(key.key) === idKey) overlay.delete(key.key);
      }
    }
    writes.docs.set(idKey, doc);
    for (const [index, key] of newKeys) {
      this.lock(txn, keyLock(coll, index, key));
      let overlay = writes.uniq.get(index);
      if (!overlay) writes.uniq.set(index, (overlay = new Map()));
      overlay.set(key, idKey);
    }
  }

  private lock(txn: Txn, name: string): void {
    if (txn.locks.has(name)) return;
    this.locks.set(name, txn);
    txn.locks.add(name);
  }

  /** Applies a transaction's writes as one journal record, or throws (and applies nothing). */
  commit(txn: Txn): void {
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
    this.end(txn, 'committed');
  }

  /** Discards a transaction's writes. */
  abort(txn: Txn, reason = 'aborted'): void {
    if (txn.state !== 'active') return;
    txn.abortReason = reason;
    this.end(txn, 'aborted');
  }

  private end(txn: Txn, state: 'committed' | 'aborted'): void {
    for (const name of txn.locks) if (this.locks.get(name) === txn) this.locks.delete(name);
    txn.locks.clear();
    this.active.delete(txn);
    txn.finish(state);
    this.pruneHistory();
  }

  /** Transactions still open, for the lifetime sweep. */
  activeTransactions(): Txn[] {
    return [...this.active];
  }

  private pruneHistory(): void {
    if (this.active.size === 0) {
      this.history.clear();
      return;
    }
    const oldest = Math.min(...[...this.active].map((t) => t.snapshot));
    for (const [coll, byId] of this.history) {
      for (const [id, entries] of byId) {
        const kept = entries.filter((e) => e.seq > oldest);
        if (kept.length === 0) byId.delete(id);
        else if (kept.length !== entries.length) byId.set(id, kept);
      }
      if (byId.size === 0) this.history.delete(coll);
    }
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

function docLock(coll: Collection, idKey: string): string {
  return `${coll.uid}\u0000_id\u0000${idKey}`;
}

function keyLock(coll: Collection, index: Index, key: string): string {
  return `${coll.uid}\u0000${index.name}\u0000${key}`;
}

function writeConflict(): MongoCommandError {
  return new MongoCommandError('WriteConflict', WRITE_CONFLICT, { labels: ['TransientTransactionError'] });
}

function validateNames(db: string, name: string): void {
  if (!db || /[/\\. "$\0]/.test(db) || db.length > 63) throw mongoError('InvalidNamespace', `Invalid database name: '${db}'`);
  if (!name || name.startsWith('.') || name.includes('$') || name.includes('\0')) {
    throw mongoError('InvalidNamespace', `Invalid collection name: ${name}`);
  }
}
