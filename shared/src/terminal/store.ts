/**
 * The device's durable key-value storage the offline terminal keeps its lists, queue and replay memory
 * in. The mini-program provides it (IndexedDB on H5, Taro storage on weapp); values are strings so any
 * platform store fits, and no value is large (weapp refuses more than 1 MB under one key).
 */
export interface TerminalStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * A store in memory, for tests and for a page that has no durable storage. Two terminals built over the
 * same instance see each other's writes, which is what a reload over IndexedDB looks like.
 */
export function createMemoryTerminalStore(): TerminalStore & { keys(): string[] } {
  const map = new Map<string, string>();
  return {
    get: (key) => Promise.resolve(map.get(key) ?? null),
    set(key, value) {
      map.set(key, value);
      return Promise.resolve();
    },
    delete(key) {
      map.delete(key);
      return Promise.resolve();
    },
    keys: () => [...map.keys()],
  };
}

/**
 * Runs `work` calls one after another: each terminal part reads its state, changes it and writes it
 * back, and two overlapping calls (a scan while an upload finishes) must not lose each other's change.
 */
export function serial(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (work) => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}
