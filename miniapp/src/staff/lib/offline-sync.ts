import {
  AppError,
  errorCodeOf,
  OFFLINE_CHECKS_PER_UPLOAD,
  type ErrorCode,
  type OfflineCheck,
  type OfflineCheckResult,
  type OfflineChecksAnswer,
  type OfflineQueue,
  type Verdict,
} from '@eid/shared';

/**
 * Whether a failed request means the BFF could not be reached, so the terminal checks offline: the
 * request never got an answer (services/request.ts throws UPSTREAM_UNAVAILABLE or UPSTREAM_TIMEOUT with
 * `details.network` and status 0), or a gateway in front of the BFF answered 502 for it (the BFF itself
 * never answers 502). Any other answer came from a BFF that is there, and its verdict or error stands.
 */
export function isUnreachable(err: unknown): boolean {
  if (!(err instanceof AppError)) return false;
  if (err.details?.network === true) return true;
  return err.code === 'UPSTREAM_UNAVAILABLE' && err.status === 502;
}

// A staff token that no longer works: uploading waits for the next sign-in instead of retrying.
const SIGNED_OUT: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'TOKEN_INVALID',
  'SESSION_REVOKED',
]);

/** A check the BFF found replayed elsewhere (another terminal, or online), for the staff member to see. */
export interface FlaggedCheck {
  id: string;
  checkedAt: number;
  /** The BFF's verdict on the code at `checkedAt`. */
  verdict: Verdict;
}

export interface SyncState {
  /** Checks waiting for upload. */
  queueSize: number;
  uploading: boolean;
  /** The upload that failed last is retried then (epoch ms); null when nothing waits for a retry. */
  retryAt: number | null;
  /** Newest first. */
  flagged: FlaggedCheck[];
}

export interface Timers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface OfflineSyncOptions {
  queue: Pick<OfflineQueue, 'pending' | 'markUploaded' | 'size'>;
  upload: (checks: OfflineCheck[]) => Promise<OfflineChecksAnswer>;
  clock: { now(): number };
  timers?: Timers;
  /** First retry after this long, doubling on each failure up to `maxRetryMs`. */
  baseRetryMs?: number;
  maxRetryMs?: number;
  onChange?: (state: SyncState) => void;
}

/**
 * A refused check stays queued only when waiting can change the answer: a terminal clock ahead of the
 * BFF's is caught up with. Every other refusal is final (the BFF says why), so it leaves the queue.
 */
const keepQueued = (r: OfflineCheckResult) => r.status === 'refused' && r.reason === 'checked_at_future';

/**
 * Uploads the offline queue: in batches of `OFFLINE_CHECKS_PER_UPLOAD`, a check leaving the queue only
 * once the BFF has answered for it, so a lost answer means the batch goes again (the BFF records each
 * check once by terminal and id). A failed upload is retried after a delay doubling up to `maxRetryMs`;
 * `kick` (the network is back, a request just succeeded, a new check was queued) tries at once.
 */
export function createOfflineSync(options: OfflineSyncOptions) {
  const timers = options.timers ?? realTimers;
  const base = options.baseRetryMs ?? 5_000;
  const max = options.maxRetryMs ?? 5 * 60_000;
  const state: SyncState = { queueSize: 0, uploading: false, retryAt: null, flagged: [] };
  let failures = 0;
  let timer: unknown = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const changed = () => options.onChange?.({ ...state, flagged: [...state.flagged] });

  function schedule(delay: number) {
    if (stopped) return;
    if (timer !== null) timers.clear(timer);
    state.retryAt = options.clock.now() + delay;
    timer = timers.set(() => {
      timer = null;
      void uploadNow();
    }, delay);
  }

  function cancelRetry() {
    if (timer !== null) timers.clear(timer);
    timer = null;
    state.retryAt = null;
  }

  async function pass(): Promise<void> {
    const waiting = await options.queue.pending();
    let kept = 0;
    for (let i = 0; i < waiting.length; i += OFFLINE_CHECKS_PER_UPLOAD) {
      const batch = waiting.slice(i, i + OFFLINE_CHECKS_PER_UPLOAD);
      const sent = new Map(batch.map((c) => [c.id, c]));
      const { results } = await options.upload(batch);
      const answered: string[] = [];
      for (const result of results) {
        const check = sent.get(result.id);
        if (!check) continue;
        if (keepQueued(result)) {
          kept += 1;
          continue;
        }
        answered.push(result.id);
        if (result.replayedElsewhere && !state.flagged.some((f) => f.id === result.id))
          state.flagged.unshift({ id: result.id, checkedAt: check.checkedAt, verdict: result.verdict });
      }
      await options.queue.markUploaded(answered);
      state.queueSize = await options.queue.size();
      changed();
    }
    if (kept > 0) throw new AppError('CONFLICT', 'Some checks wait for the BFF clock', { kept });
  }

  /**
   * One upload of everything queued now; resolves when it is done or has failed (and a retry is set). A
   * call while one runs is not lost: another pass follows at once, even after a failure, since the
   * reason for the call (the network is back) may be news to the pass that failed.
   */
  function uploadNow(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      state.uploading = true;
      changed();
      try {
        for (;;) {
          again = false;
          try {
            await pass();
          } catch (err) {
            if (again && !stopped) continue;
            throw err;
          }
          if (!again || stopped) break;
        }
        failures = 0;
        cancelRetry();
      } catch (err) {
        if (SIGNED_OUT.has(errorCodeOf(err) as ErrorCode)) {
          cancelRetry();
        } else {
          failures += 1;
          schedule(Math.min(max, base * 2 ** (failures - 1)));
        }
      } finally {
        state.queueSize = await options.queue.size().catch(() => state.queueSize);
        state.uploading = false;
        running = null;
        changed();
      }
    })();
    return running;
  }

  return {
    uploadNow,
    /** Try now: the network is back or a request just got through, so the backoff starts over. */
    kick: () => {
      if (stopped) return;
      failures = 0;
      cancelRetry();
      void uploadNow();
    },
    /** Reads the queue's size again (a check was just queued). */
    async refresh() {
      state.queueSize = await options.queue.size();
      changed();
    },
    state: (): SyncState => ({ ...state, flagged: [...state.flagged] }),
    /** Resolves once no upload runs (the one a timer or a kick started). */
    idle: (): Promise<void> => running ?? Promise.resolve(),
    stop() {
      stopped = true;
      cancelRetry();
    },
  };
}
