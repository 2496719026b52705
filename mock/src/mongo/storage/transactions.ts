/**
 * Snapshot isolation for multi-document transactions without copying collections.
 *
 * - While any transaction is open, every committed change remembers the version it replaced (the
 *   "history"), so a transaction reads each document as of its snapshot.
 * - A transaction's writes live in its overlay (see txn.ts). Writing a document, or a unique key, takes
 *   a lock. Another transaction touching a held lock, or a document changed after the snapshot, is a
 *   WriteConflict (labelled TransientTransactionError). A plain write that meets a lock gets a
 *   LockedError and waits for the holder to end, as on MongoDB.
 */
import { MongoCommandError } from '../errors';
import type { Doc } from '../values';
import { duplicateKeyError, type Collection } from './collection';
import type { Index } from './indexes';
import { Txn } from './txn';
import { EMPTY_VIEW, type ReadView } from './view';

/** Thrown by a plain write that meets a transaction's lock; the caller waits for `txn.ended` and retries. */
export class LockedError extends Error {
  constructor(readonly txn: Txn) {
    super('document is locked by a transaction');
  }
}

interface HistoryEntry {
  seq: number;
  /** The version before the change at `seq`; undefined when the document did not exist. */
  doc: Doc | undefined;
}

const WRITE_CONFLICT =
  'Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction.';

function writeConflict(): MongoCommandError {
  return new MongoCommandError('WriteConflict', WRITE_CONFLICT, { labels: ['TransientTransactionError'] });
}

function docLock(coll: Collection, idKey: string): string {
  return `${coll.uid}\u0000_id\u0000${idKey}`;
}

function keyLock(coll: Collection, index: Index, key: string): string {
  return `${coll.uid}\u0000${index.name}\u0000${key}`;
}

/** Open transactions, their locks, and the history their snapshots need. */
export class Transactions {
  private readonly active = new Set<Txn>();
  private readonly history = new Map<Collection, Map<string, HistoryEntry[]>>();
  private readonly locks = new Map<string, Txn>();

  /** Starts a transaction whose snapshot is the committed state at `snapshot`. */
  begin(snapshot: number, now: number): Txn {
    const txn = new Txn(snapshot, now);
    this.active.add(txn);
    return txn;
  }

  /** Transactions still open, for the lifetime sweep. */
  open(): Txn[] {
    return [...this.active];
  }

  /** Records the version a committed change at `seq` replaces, if any transaction may still need it. */
  remember(coll: Collection, idKey: string, previous: Doc | undefined, seq: number): void {
    if (this.active.size === 0) return;
    let byId = this.history.get(coll);
    if (!byId) this.history.set(coll, (byId = new Map()));
    let entries = byId.get(idKey);
    if (!entries) byId.set(idKey, (entries = []));
    entries.push({ seq, doc: previous });
  }

  /** Forgets a dropped collection. */
  forget(coll: Collection): void {
    this.history.delete(coll);
  }

  /** Throws LockedError when a plain write of `doc` (null: delete) under `idKey` meets a transaction's lock. */
  checkLocks(coll: Collection, idKey: string, doc: Doc | null): void {
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

  /** What a transaction sees: the committed state at its snapshot, with its own writes on top. */
  view(txn: Txn, coll: Collection | undefined, committed: ReadView): ReadView {
    if (!coll) return EMPTY_VIEW;
    const writes = txn.writes.get(coll);
    const history = this.history.get(coll);
    // No history means nothing was committed to the collection since the snapshot.
    if (!writes && !history) return committed;
    const resolve = (id: string): Doc | undefined => {
      if (writes?.docs.has(id)) return writes.docs.get(id) ?? undefined;
      const entries = history?.get(id);
      if (entries) for (const e of entries) if (e.seq > txn.snapshot) return e.doc;
      return coll.docs.get(id);
    };
    const changedIds = (): string[] => [...(history?.keys() ?? []), ...(writes?.docs.keys() ?? [])];
    const all = function* (): Iterable<Doc> {
      for (const id of coll.docs.keys()) {
        const d = resolve(id);
        if (d) yield d;
      }
      const seen = new Set<string>();
      for (const id of changedIds()) {
        if (coll.docs.has(id) || seen.has(id)) continue;
        seen.add(id);
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

  /**
   * Records a transaction's write of `doc` (null: delete) under `idKey`. Throws WriteConflict when
   * another transaction holds the document or one of its unique keys, or when the document changed
   * after the snapshot; DuplicateKey when a unique key is taken in what the transaction would commit.
   */
  write(txn: Txn, coll: Collection, idKey: string, doc: Doc | null): void {
    const lock = docLock(coll, idKey);
    const holder = this.locks.get(lock);
    if (holder && holder !== txn) throw writeConflict();
    if (
      this.history
        .get(coll)
        ?.get(idKey)
        ?.some((e) => e.seq > txn.snapshot)
    )
      throw writeConflict();
    const writes = txn.writesTo(coll);
    const newKeys: [Index, string][] = [];
    if (doc) {
      for (const index of coll.secondary()) {
        if (!index.unique) continue;
        const overlay = writes.uniq.get(index);
        for (const key of index.keysOf(doc)) {
          const keyHolder = this.locks.get(keyLock(coll, index, key.key));
          if (keyHolder && keyHolder !== txn) throw writeConflict();
          const overlayOwner = overlay?.get(key.key);
          if (overlayOwner !== undefined && overlayOwner !== idKey)
            throw duplicateKeyError(coll.ns, index, key.values);
          // A committed holder counts unless this transaction rewrote it (its overlay decides then).
          const owner = index.ownerOf(key.key);
          if (owner !== undefined && owner !== idKey && !writes.docs.has(owner)) {
            throw duplicateKeyError(coll.ns, index, key.values);
          }
          newKeys.push([index, key.key]);
        }
      }
    }
    this.lock(txn, lock);
    const previous = writes.docs.get(idKey);
    if (previous) {
      for (const index of coll.secondary()) {
        const overlay = index.unique ? writes.uniq.get(index) : undefined;
        if (!overlay) continue;
        for (const key of index.keysOf(previous)) if (overlay.get(key.key) === idKey) overlay.delete(key.key);
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

  /** Releases a finished transaction's locks and the history no open snapshot needs any more. */
  end(txn: Txn, state: 'committed' | 'aborted'): void {
    for (const name of txn.locks) if (this.locks.get(name) === txn) this.locks.delete(name);
    txn.locks.clear();
    this.active.delete(txn);
    txn.finish(state);
    this.prune();
  }

  private prune(): void {
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
}
