import Taro from '@tarojs/taro';
import {
  base64urlDecode,
  createOfflineTerminal,
  errorCodeOf,
  openTrustList,
  PURPOSES,
  type PublishedPurpose,
  type OfflineTerminal,
  type OfflineVerdict,
  type StatusListAnswer,
  type TerminalStore,
  tweetnaclEd25519,
} from '@eid/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { clock } from '../../lib/clock';
import { DEV_TRUST_ROOT, trustRootPublicKey } from '../../lib/trust-root';
import { useStore } from '../../lib/store';
import { staffStore } from '../../services/request';
import { getPurposes } from '../../services/card';
import { getStatusList, getTrustList, uploadOfflineChecks } from '../../services/staff';
import { preparePlatformRandom } from '../../wallet/random';
import { createTerminalStore, terminalIdOf } from './terminal-store';

// The upload loop and the offline decision live in offline-sync.ts; the page's callers reach them here.
export { createOfflineSync, isUnreachable, type FlaggedCheck, type SyncState } from './offline-sync';
import { createOfflineSync, isUnreachable, type SyncState } from './offline-sync';

type AgeKey = 'offline.age.now' | `offline.${'age' | 'maxAge'}.${'min' | 'hour' | 'day'}`;

/**
 * A duration in words for the staff member: "3 分钟前 / 3 min old" (`age`), or "1 小时 / 1 h" for a
 * configured limit (`maxAge`): whole minutes up to two hours, then hours up to two days, then days, each
 * rounded down as a clock reads; an age under a minute reads "under a minute old".
 *
 * @example ageText(3 * 60_000 + 5_000, t) // '3 分钟前' / '3 min old'

 */
export function ageText(
  ms: number,
  t: (key: AgeKey, params?: Record<string, number>) => string,
  kind: 'age' | 'maxAge' = 'age',
): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1 && kind === 'age') return t('offline.age.now');
  // A configured limit reads in its own unit: an hour is "1 小时", not "60 分钟".
  const whole = kind === 'maxAge' && minutes >= 60 && minutes % 60 === 0;
  if (minutes < 120 && !whole) return t(`offline.${kind}.min`, { n: Math.max(1, minutes) });
  const hours = Math.floor(minutes / 60);
  if (hours < 48 && !(kind === 'maxAge' && hours % 24 === 0)) return t(`offline.${kind}.hour`, { n: hours });
  return t(`offline.${kind}.day`, { n: Math.floor(hours / 24) });
}

/** How often the lists are fetched again while the page is open and the BFF answers. */
export const LISTS_REFRESH_MS = 60_000;

/** The longest a status list decides a verdict offline here; the BFF's published limit can only lower it. */
export const MAX_STATUS_AGE_MS = 24 * 60 * 60 * 1000;

// The limit the BFF published with the last trust list, kept for the sentence of a too-old verdict.
const PUBLISHED_MAX_AGE_KEY = 'ui.maxStatusAgeMs';

// The pin lives in lib/ so the window's receipts and the public check page trust the same root.
export { DEV_TRUST_ROOT };
const trustRoot = trustRootPublicKey;

export interface OfflineTerminalParts {
  store: TerminalStore;
  terminalId: string;
  terminal: OfflineTerminal;
}

let parts: Promise<OfflineTerminalParts> | null = null;

/** The device's one offline terminal, built on first use over the durable store. */
export function offlineTerminal(): Promise<OfflineTerminalParts> {
  parts ??= (async () => {
    // Check ids are random: on weapp the pool behind shared's random source is filled first.
    await preparePlatformRandom();
    const store = createTerminalStore();
    const terminalId = await terminalIdOf(store);
    const terminal = createOfflineTerminal({
      store,
      clock,
      trustRootPublicKey: trustRoot(),
      maxStatusAgeMs: MAX_STATUS_AGE_MS,
    });
    return { store, terminalId, terminal };
  })().catch((err: unknown) => {
    parts = null;
    throw err;
  });
  return parts;
}

/** The status-age limit offline verdicts use: the smaller of this build's and the BFF's published one. */
export async function maxStatusAgeOf(store: TerminalStore): Promise<number> {
  const published = Number(await store.get(PUBLISHED_MAX_AGE_KEY));
  return published > 0 ? Math.min(published, MAX_STATUS_AGE_MS) : MAX_STATUS_AGE_MS;
}

/**
 * Downloads the trust list and the status list of every issuer key it names, and hands them to the
 * terminal, which verifies them before keeping them with the time they were fetched.
 */
export async function refreshLists({ store, terminal }: OfflineTerminalParts): Promise<void> {
  const trustList = await getTrustList();
  // Opened here only to learn which issuers' lists to fetch; the terminal verifies everything it keeps.
  const kids = [
    ...openTrustList(base64urlDecode(trustList.trustList), trustRoot(), tweetnaclEd25519).issuers.keys(),
  ];
  const statusLists: StatusListAnswer[] = [];
  for (const kid of kids) {
    try {
      statusLists.push(await getStatusList(kid));
    } catch (err) {
      // An issuer with no list yet (no card issued) answers ISSUER_UNKNOWN: its cards get status_unknown.
      if (errorCodeOf(err) !== 'ISSUER_UNKNOWN') throw err;
    }
  }
  await terminal.saveLists({ trustList, statusLists, fetchedAt: clock.now() });
  await store.set(PUBLISHED_MAX_AGE_KEY, String(trustList.maxStatusAgeMs));
}

/**
 * The purposes to choose from: the published list, or this build's own when the BFF cannot be reached
 * (the offline terminal checks against the build's list anyway).
 */
export async function terminalPurposes(): Promise<readonly PublishedPurpose[]> {
  try {
    return await getPurposes();
  } catch (err) {
    if (isUnreachable(err)) return PURPOSES;
    throw err;
  }
}

/** What the page shows of an offline check: the terminal's verdict and the age limit it applied. */
export interface OfflineOutcome extends OfflineVerdict {
  maxStatusAgeMs: number;
}

const IDLE: SyncState = { queueSize: 0, uploading: false, retryAt: null, flagged: [] };

/**
 * The staff page's offline terminal: keeps the lists fresh while the BFF answers (on opening, at
 * sign-in, every minute, after a request got through), checks a code offline when it does not, and
 * uploads what was checked offline when it answers again (the `online` event, the next request that
 * gets through, or the retry timer).
 */
export function useOfflineTerminal() {
  const staff = useStore(staffStore);
  const [sync, setSync] = useState<SyncState>(IDLE);
  const [listsAge, setListsAge] = useState<number | null>(null);
  const syncer = useRef<ReturnType<typeof createOfflineSync> | null>(null);
  const fetchedAt = useRef<number | null>(null);

  const readAge = useCallback(async () => {
    const { terminal } = await offlineTerminal();
    setListsAge(await terminal.listsAge());
  }, []);

  useEffect(() => {
    let live = true;
    let mine: ReturnType<typeof createOfflineSync> | null = null;
    void offlineTerminal()
      .then(({ terminal }) => {
        if (!live) return;
        mine = createOfflineSync({
          queue: terminal.queue,
          upload: uploadOfflineChecks,
          clock,
          onChange: (s) => live && setSync(s),
        });
        syncer.current = mine;
        // Whatever a reload left in the queue goes up as soon as a staff member is signed in.
        if (staffStore.get()) mine.kick();
        else void mine.refresh();
        return readAge();
      })
      .catch(() => undefined);
    return () => {
      live = false;
      mine?.stop();
      syncer.current = null;
    };
  }, [readAge]);

  /**
   * The BFF answered (or may again): the queue goes up, and the lists are fetched again when `force`d or
   * older than a refresh period.
   */
  const online = useCallback(
    async (force = false) => {
      syncer.current?.kick();
      const last = fetchedAt.current;
      if (!force && last !== null && clock.now() - last < LISTS_REFRESH_MS) return;
      try {
        await refreshLists(await offlineTerminal());
        fetchedAt.current = clock.now();
      } catch {
        // Unreachable again, or lists that do not verify: the terminal keeps what it had, and its age shows.
      }
      await readAge().catch(() => undefined);
    },
    [readAge],
  );

  useEffect(() => {
    if (!staff) return;
    void online(true);
    const every = setInterval(() => void online(true), LISTS_REFRESH_MS);
    // The age on screen keeps moving while nothing can be fetched.
    const tick = setInterval(() => void readAge().catch(() => undefined), 15_000);
    return () => {
      clearInterval(every);
      clearInterval(tick);
    };
  }, [staff, online, readAge]);

  // The network coming back is the moment to upload, without waiting for the retry timer.
  useEffect(() => {
    const back = () => void online(true);
    if (process.env.TARO_ENV === 'h5') {
      window.addEventListener('online', back);
      return () => window.removeEventListener('online', back);
    }
    const onStatus = ({ isConnected }: { isConnected: boolean }) => {
      if (isConnected) back();
    };
    Taro.onNetworkStatusChange(onStatus);
    return () => Taro.offNetworkStatusChange(onStatus);
  }, [online]);

  /** Checks a code with the lists on the device and queues the check for upload. */
  const check = useCallback(
    async (code: string, purpose: string): Promise<OfflineOutcome> => {
      const parts = await offlineTerminal();
      const verdict = await parts.terminal.check(code, purpose, parts.terminalId);
      const maxStatusAgeMs = await maxStatusAgeOf(parts.store);
      // Tried at once and then with backoff: the network may be back already.
      syncer.current?.kick();
      await readAge().catch(() => undefined);
      return { ...verdict, maxStatusAgeMs };
    },
    [readAge],
  );

  return { ...sync, listsAge, check, online };
}
