import Taro from '@tarojs/taro';
import { base64urlEncode, type TerminalStore } from '@eid/shared';
import { secureRandom } from '../../platform/random';

const DB_NAME = 'eid-terminal';
const DB_STORE = 'kv';
const TARO_PREFIX = 'eid.terminal.';
const TERMINAL_ID_KEY = 'terminal-id';

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/**
 * The terminal's durable store on H5: one IndexedDB object store of strings. Unlike sessionStorage it
 * survives a reload and a closed tab, and unlike localStorage it does not block the page on large
 * status lists.
 */
export function indexedDbTerminalStore(idb: IDBFactory = indexedDB, name = DB_NAME): TerminalStore {
  let opened: Promise<IDBDatabase> | null = null;
  const db = () => {
    if (!opened) {
      const req = idb.open(name, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(DB_STORE);
      opened = done(req).catch((err: unknown) => {
        // A later call may find the database available again (a private window's quota, a blocked upgrade).
        opened = null;
        throw err;
      });
    }
    return opened;
  };
  const run = async <T>(mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest<T>) => {
    const tx = (await db()).transaction(DB_STORE, mode);
    const result = done(work(tx.objectStore(DB_STORE)));
    // A write counts only once its transaction has committed, so a reload right after it still finds it.
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
    return result;
  };
  return {
    async get(key) {
      const value: unknown = await run('readonly', (s) => s.get(key));
      return typeof value === 'string' ? value : null;
    },
    async set(key, value) {
      await run('readwrite', (s) => s.put(value, key));
    },
    async delete(key) {
      await run('readwrite', (s) => s.delete(key));
    },
  };
}

/** The terminal's durable store on weapp (and wherever IndexedDB is missing): Taro's async storage. */
export function taroTerminalStore(prefix = TARO_PREFIX): TerminalStore {
  return {
    async get(key) {
      try {
        const { data } = await Taro.getStorage<unknown>({ key: prefix + key });
        return typeof data === 'string' ? data : null;
      } catch {
        // Taro rejects a key that was never written ("data not found"): that is simply absent.
        return null;
      }
    },
    async set(key, value) {
      await Taro.setStorage({ key: prefix + key, data: value });
    },
    async delete(key) {
      await Taro.removeStorage({ key: prefix + key });
    },
  };
}

/** The device's durable store for the offline terminal: IndexedDB on H5, Taro storage on weapp. */
export function createTerminalStore(): TerminalStore {
  if (process.env.TARO_ENV === 'h5' && typeof indexedDB !== 'undefined') return indexedDbTerminalStore();
  return taroTerminalStore();
}

/**
 * This device's terminal id: random on first use, then stored, so uploads from one device share it (the
 * BFF's idempotency key is the terminal id with the check id) and two devices never do.
 */
export async function terminalIdOf(store: TerminalStore): Promise<string> {
  const known = await store.get(TERMINAL_ID_KEY);
  if (known) return known;
  const id = `t-${base64urlEncode(await secureRandom(12))}`;
  await store.set(TERMINAL_ID_KEY, id);
  return id;
}
