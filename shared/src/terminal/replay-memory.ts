import type { Clock } from '../verifier/verifier';
import { serial, type TerminalStore } from './store';

const SEEN_KEY = 'replay.seen';

/** The codes a terminal has accepted, kept on the device until each code has expired. */
export interface ReplayMemory {
  /** Checks the store can be read; call it when the page opens, so a broken store shows before the first scan. */
  load(): Promise<void>;
  /**
   * True the first time this code digest is offered, false while a code seen before has not expired
   * (also after a reload); the memory is durable before it answers true.
   */
  firstSight(codeDigest: string, expiresAt: number): Promise<boolean>;
}

/**
 * The offline terminal's replay memory: as the shared `createMemoryReplayGuard`, but in the device's
 * store, so that reloading the page does not make a code it accepted acceptable again. A code lives a
 * minute, so the memory holds a few hundred digests at most and is one small value.
 */
export function createReplayMemory(store: TerminalStore, clock: Clock): ReplayMemory {
  const one = serial();

  async function read(): Promise<Map<string, number>> {
    let stored: unknown;
    try {
      stored = JSON.parse((await store.get(SEEN_KEY)) ?? '{}');
    } catch {
      stored = {};
    }
    const map = new Map<string, number>();
    if (stored && typeof stored === 'object')
      for (const [digest, exp] of Object.entries(stored)) if (typeof exp === 'number') map.set(digest, exp);
    return map;
  }

  return {
    load: () =>
      one(async () => {
        await read();
      }),
    firstSight: (digest, expiresAt) =>
      one(async () => {
        // Read each time: another tab of the same terminal may have accepted a code meanwhile.
        const seen = await read();
        const now = clock.now();
        for (const [d, exp] of seen) if (exp <= now) seen.delete(d);
        if (seen.has(digest)) return false;
        seen.set(digest, expiresAt);
        await store.set(SEEN_KEY, JSON.stringify(Object.fromEntries(seen)));
        return true;
      }),
  };
}
