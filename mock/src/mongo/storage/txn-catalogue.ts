/**
 * Collections and indexes a transaction creates. As on MongoDB, a collection created inside a
 * transaction (by `create`, `createIndexes` or the first write to it) and the indexes created on it exist
 * for that transaction alone until it commits, and vanish if it aborts: nobody else sees them, nothing
 * is journaled before the commit.
 *
 * The commands of a transaction see the engine through `transactionEngine`, which answers catalogue
 * calls from the transaction's own pending collections (detached Collection objects its overlay writes
 * go to) before the committed catalogue. `commitCatalogue` creates them for real just before the
 * engine applies the transaction's writes.
 */
import { mongoError } from '../errors';
import type { Doc } from '../values';
import { Collection } from './collection';
import { Engine } from './engine';
import type { Txn } from './txn';

interface Pending {
  coll: Collection;
  /** Created by `create` (its options count, and someone else creating it first is a conflict). */
  explicit: boolean;
}

const catalogues = new WeakMap<Txn, Map<string, Pending>>();
const targets = new WeakMap<Engine, Engine>();

function catalogueOf(txn: Txn): Map<string, Pending> {
  let cat = catalogues.get(txn);
  if (!cat) catalogues.set(txn, (cat = new Map()));
  return cat;
}

// Builds indexes on detached collections with the engine's own checks, without journaling them.
const scratch = new Engine();

/** The engine as the commands of `txn` see it. */
export function transactionEngine(engine: Engine, txn: Txn): Engine {
  const cat = catalogueOf(txn);
  const pending = (db: string, name: string) => cat.get(`${db}.${name}`)?.coll;
  const create = (db: string, name: string, options: Doc, explicit: boolean): Collection => {
    if (pending(db, name) || engine.collection(db, name))
      throw mongoError('NamespaceExists', `Collection ${db}.${name} already exists.`);
    // Names are checked now by the engine's own rules, on a scratch catalogue.
    const coll = new Collection(db, name, options);
    scratch.createCollection(db, name, options);
    scratch.dropCollection(db, name);
    cat.set(coll.ns, { coll, explicit });
    return coll;
  };
  const overrides: Partial<Engine> = {
    collection: (db, name) => pending(db, name) ?? engine.collection(db, name),
    ensureCollection: (db, name, options = {}) =>
      pending(db, name) ?? engine.collection(db, name) ?? create(db, name, options, false),
    createCollection: (db, name, options = {}) => {
      if (options.viewOn !== undefined)
        throw mongoError(
          'OperationNotSupportedInTransaction',
          'Cannot create a view in a multi-document transaction.',
        );
      return create(db, name, options, true);
    },
    createIndexes: (coll, specs) => {
      if (cat.get(coll.ns)?.coll !== coll)
        throw mongoError(
          'OperationNotSupportedInTransaction',
          `Cannot create new indexes on existing collection ${coll.ns} in a multi-document transaction.`,
        );
      return scratch.createIndexes(coll, specs);
    },
  };
  const proxy = new Proxy(engine, {
    get(target, prop) {
      if (Object.prototype.hasOwnProperty.call(overrides, prop)) return overrides[prop as keyof Engine];
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
    set: (target, prop, value) => Reflect.set(target, prop, value, target),
  });
  targets.set(proxy, engine);
  return proxy;
}

/**
 * Creates the transaction's pending collections and their indexes, then applies its writes; if the
 * writes fail (a duplicate key), the collections just created are dropped again, so the commit applies
 * nothing. Runs synchronously: no other command interleaves.
 */
export function commitWithCatalogue(engine: Engine, txn: Txn): void {
  const raw = targets.get(engine) ?? engine;
  const created: Collection[] = [];
  try {
    for (const { coll, explicit } of catalogues.get(txn)?.values() ?? []) {
      const existing = raw.collection(coll.db, coll.name);
      if (existing) {
        if (explicit)
          throw mongoError('NamespaceExists', `Collection ${coll.ns} was created by another operation.`);
        // Created by a write in both places: the commit merges into the one that now exists.
        continue;
      }
      const live = raw.createCollection(coll.db, coll.name, coll.options);
      created.push(live);
      const specs = [...coll.indexes.values()].filter((i) => !i.isIdIndex).map((i) => i.spec);
      if (specs.length > 0) raw.createIndexes(live, specs);
    }
    raw.commit(txn);
  } catch (err) {
    for (const live of created) if (live.docs.size === 0) raw.dropCollection(live.db, live.name);
    throw err;
  } finally {
    catalogues.delete(txn);
  }
}
