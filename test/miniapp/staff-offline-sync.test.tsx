import {
  createMemoryTerminalStore,
  createOfflineQueue,
  OFFLINE_CHECKS_PER_UPLOAD,
  type OfflineCheck,
  type OfflineCheckResult,
} from '@eid/shared';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJson, reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';

/**
 * The staff terminal's upload loop and its offline decision, against a real HTTP server answering
 * `POST /api/v1/verify/offline-checks` as the BFF does (each check recorded once by terminal and id).
 * The retry timer is injected: a test fires it when it chooses and reads the delay asked for.
 */

type Mods = {
  sync: typeof import('../../miniapp/src/staff/lib/useOfflineTerminal');
  request: typeof import('../../miniapp/src/services/request');
  staff: typeof import('../../miniapp/src/services/staff');
};

const SESSION = {
  accessToken: 'staff-token',
  expiresIn: 900,
  staff: { id: 's-1', displayName: '窗口 3', role: 'officer', org: '历下分局' },
};

/** How the fake BFF treats the next uploads: each entry is used once, then `answer` is the default. */
type Behaviour =
  | 'answer'
  | 'drop' // the connection is cut before any answer
  | 'record-then-drop' // recorded, but the answer is lost on the way back
  | 'not-ready' // the BFF answers 503 NOT_READY
  | 'revoked'; // the staff session was revoked

let bff: FakeBff;
let mods: Mods;
const behaviours: Behaviour[] = [];
/** What the BFF recorded, by `terminalId/id`. */
const recorded = new Map<string, OfflineCheck>();
const batches: string[][] = [];
/** Answers to force for chosen ids (a refusal, a replay seen elsewhere). */
const forced = new Map<string, Partial<OfflineCheckResult>>();

function answerFor(checks: OfflineCheck[]) {
  return checks.map((c): OfflineCheckResult => {
    const key = `${c.terminalId}/${c.id}`;
    const special = forced.get(c.id);
    if (special?.status === 'refused')
      return { id: c.id, status: 'refused', verdict: c.verdict, replayedElsewhere: false, ...special };
    const already = recorded.has(key);
    recorded.set(key, c);
    return {
      id: c.id,
      status: already ? 'already_recorded' : 'recorded',
      verdict: c.verdict,
      replayedElsewhere: false,
      ...special,
    };
  });
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  if (req.url !== '/api/v1/verify/offline-checks' || req.method !== 'POST')
    return reply(res, 404, { code: 'NOT_FOUND', message: 'no', requestId: 'r' });
  const { checks } = (await readJson(req)) as unknown as { checks: OfflineCheck[] };
  batches.push(checks.map((c) => c.id));
  const behaviour = behaviours.shift() ?? 'answer';
  if (behaviour === 'drop') return req.socket.destroy();
  if (behaviour === 'not-ready') return reply(res, 503, { code: 'NOT_READY', message: 'db', requestId: 'r' });
  if (behaviour === 'revoked')
    return reply(res, 401, { code: 'SESSION_REVOKED', message: 'x', requestId: 'r' });
  const results = answerFor(checks);
  if (behaviour === 'record-then-drop') return req.socket.destroy();
  reply(res, 200, { results });
}

const realError = console.error;

beforeAll(async () => {
  // jsdom reports every dropped connection on the console as a browser would; dropping them is the point
  // of several tests here, so those reports (and only those) are kept out of the output.
  jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    if (/socket hang up|ECONNREFUSED|ECONNRESET/.test(String(args[0]))) return;
    realError(...args);
  });
  bff = await startFakeBff(handle);
  await jest.isolateModulesAsync(async () => {
    // The BFF's origin is fixed when the request module loads.
    process.env.TARO_APP_API_BASE = bff.base;
    mods = {
      sync: await import('../../miniapp/src/staff/lib/useOfflineTerminal'),
      request: await import('../../miniapp/src/services/request'),
      staff: await import('../../miniapp/src/services/staff'),
    };
  });
});

afterAll(async () => {
  await bff.close();
  jest.restoreAllMocks();
});

beforeEach(() => {
  behaviours.length = 0;
  recorded.clear();
  batches.length = 0;
  forced.clear();
  mods.request.staffStore.set(SESSION as never);
});

const clock = { now: () => 1_780_000_000_000 };

function check(n: number): OfflineCheck {
  return {
    id: `c-${String(n).padStart(4, '0')}`,
    code: `EID1:code-${n}`,
    purpose: 'hotel_check_in',
    terminalId: 't-1',
    checkedAt: clock.now() - 60_000 + n,
    verdict: 'valid',
  };
}

/** A timer the test fires itself; `delays` are what the loop asked for, in order. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  const delays: number[] = [];
  let next = 1;
  return {
    delays,
    pending: () => pending.size,
    async fire() {
      const [handle, run] = [...pending.entries()][0]!;
      pending.delete(handle);
      run();
    },
    timers: {
      set(run: () => void, ms: number) {
        delays.push(ms);
        pending.set(next, run);
        return next++;
      },
      clear(handle: unknown) {
        pending.delete(handle as number);
      },
    },
  };
}

async function queueOf(count: number) {
  const store = createMemoryTerminalStore();
  const queue = createOfflineQueue(store, clock);
  for (let i = 0; i < count; i++) await queue.add(check(i));
  return { store, queue };
}

function syncOver(queue: ReturnType<typeof createOfflineQueue>, t = manualTimers()) {
  const sync = mods.sync.createOfflineSync({
    queue,
    upload: mods.staff.uploadOfflineChecks,
    clock,
    timers: t.timers,
    baseRetryMs: 1000,
    maxRetryMs: 4000,
  });
  return { sync, t };
}

describe('uploading the offline queue', () => {
  it('when the BFF answers, then every check is uploaded in batches of the most one upload carries and the queue is empty', async () => {
    const most = OFFLINE_CHECKS_PER_UPLOAD;
    const { queue } = await queueOf(most + 7);
    const { sync, t } = syncOver(queue);
    await sync.uploadNow();
    expect(batches.map((b) => b.length)).toEqual([most, 7]);
    expect(recorded.size).toBe(most + 7);
    expect(await queue.size()).toBe(0);
    expect(sync.state()).toMatchObject({ queueSize: 0, uploading: false, retryAt: null });
    expect(t.pending()).toBe(0);
  });

  it('when the connection drops, then nothing leaves the queue and the retries wait longer each time, up to the cap', async () => {
    const { queue } = await queueOf(3);
    const { sync, t } = syncOver(queue);
    behaviours.push('drop', 'drop', 'drop', 'drop');
    await sync.uploadNow();
    expect(await queue.size()).toBe(3);
    expect(sync.state().retryAt).toBe(clock.now() + 1000);
    for (let i = 0; i < 3; i++) {
      await t.fire();
      await sync.idle();
    }
    expect(t.delays).toEqual([1000, 2000, 4000, 4000]);
    expect(await queue.size()).toBe(3);
    expect(recorded.size).toBe(0);
    // The fifth try gets through: the queue empties and no retry is left waiting.
    await t.fire();
    await sync.idle();
    expect(await queue.size()).toBe(0);
    expect(recorded.size).toBe(3);
    expect(t.pending()).toBe(0);
    expect(sync.state().retryAt).toBeNull();
  });

  it('when the network comes back (a kick), then the backoff starts over from the first delay', async () => {
    const { queue } = await queueOf(1);
    const { sync, t } = syncOver(queue);
    behaviours.push('drop', 'drop', 'drop');
    await sync.uploadNow();
    await t.fire();
    await sync.idle();
    expect(t.delays).toEqual([1000, 2000]);
    sync.kick();
    await sync.idle();
    expect(t.delays).toEqual([1000, 2000, 1000]);
    expect(await queue.size()).toBe(1);
  });

  it('when the BFF recorded a batch but the answer was lost, then the batch goes again and is recorded once', async () => {
    const { queue } = await queueOf(2);
    const { sync, t } = syncOver(queue);
    behaviours.push('record-then-drop');
    await sync.uploadNow();
    // Recorded at the BFF, yet kept here: only an answer takes a check off the queue.
    expect(recorded.size).toBe(2);
    expect(await queue.size()).toBe(2);
    await t.fire();
    await sync.idle();
    expect(batches).toEqual([
      ['c-0000', 'c-0001'],
      ['c-0000', 'c-0001'],
    ]);
    expect(recorded.size).toBe(2);
    expect(await queue.size()).toBe(0);
  });

  it('when the BFF answers an error (503), then the queue is kept and retried later', async () => {
    const { queue } = await queueOf(1);
    const { sync, t } = syncOver(queue);
    behaviours.push('not-ready');
    await sync.uploadNow();
    expect(await queue.size()).toBe(1);
    expect(t.delays).toEqual([1000]);
    await t.fire();
    await sync.idle();
    expect(await queue.size()).toBe(0);
  });

  it('when the BFF answers for some checks only, then only those leave the queue', async () => {
    const { queue } = await queueOf(3);
    const { sync } = syncOver(queue);
    // A check the BFF did not answer for (an answer that lists other ids) stays queued.
    const original = mods.staff.uploadOfflineChecks;
    const partial = mods.sync.createOfflineSync({
      queue,
      upload: async (checks) => {
        const answer = await original(checks.slice(0, 2));
        return answer;
      },
      clock,
      timers: manualTimers().timers,
    });
    await partial.uploadNow();
    expect((await queue.pending()).map((c) => c.id)).toEqual(['c-0002']);
    await sync.uploadNow();
    expect(await queue.size()).toBe(0);
  });

  it('when a check is refused for a clock ahead of the BFF, then it stays for later; other refusals leave', async () => {
    const { queue } = await queueOf(3);
    const { sync, t } = syncOver(queue);
    forced.set('c-0000', { status: 'refused', reason: 'checked_at_future' });
    forced.set('c-0001', { status: 'refused', reason: 'checked_at_too_old' });
    await sync.uploadNow();
    expect((await queue.pending()).map((c) => c.id)).toEqual(['c-0000']);
    expect(t.delays).toEqual([1000]);
    forced.delete('c-0000');
    await t.fire();
    await sync.idle();
    expect(await queue.size()).toBe(0);
  });

  it('when the BFF says a code was also accepted elsewhere, then the check is flagged for the staff member', async () => {
    const { queue } = await queueOf(2);
    const { sync } = syncOver(queue);
    forced.set('c-0001', { replayedElsewhere: true });
    await sync.uploadNow();
    expect(sync.state().flagged).toEqual([{ id: 'c-0001', checkedAt: check(1).checkedAt, verdict: 'valid' }]);
  });

  it('when the staff session was revoked, then the queue is kept and waits for the next sign-in, not a timer', async () => {
    const { queue } = await queueOf(1);
    const { sync, t } = syncOver(queue);
    behaviours.push('revoked');
    await sync.uploadNow();
    expect(await queue.size()).toBe(1);
    expect(t.pending()).toBe(0);
    mods.request.staffStore.set(SESSION as never);
    sync.kick();
    await sync.uploadNow();
    expect(await queue.size()).toBe(0);
  });
});

describe('when the terminal falls back to offline', () => {
  async function failureOf(path: string): Promise<unknown> {
    return mods.request.request({ path, auth: 'none' }).then(
      () => new Error('answered'),
      (err: unknown) => err,
    );
  }

  it('when nothing answers at all, then the check goes offline', async () => {
    const gone = await startFakeBff((req) => req.socket.destroy());
    const err = await mods.request
      .request({ path: `${gone.base}/api/v1/verify`, auth: 'none' })
      .catch((e: unknown) => e);
    await gone.close();
    expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 0, details: { network: true } });
    expect(mods.sync.isUnreachable(err)).toBe(true);
  });

  it('when a gateway in front of the BFF answers 502, then the check goes offline', async () => {
    const gateway = await startFakeBff((_req, res) =>
      reply(res, 502, { code: 'UPSTREAM_UNAVAILABLE', message: 'not answering', requestId: '' }),
    );
    const err = await mods.request
      .request({ path: `${gateway.base}/api/v1/verify`, auth: 'none' })
      .catch((e: unknown) => e);
    await gateway.close();
    expect(mods.sync.isUnreachable(err)).toBe(true);
  });

  it('when the BFF answers a 4xx or its own 5xx, then the check does not go offline', async () => {
    const notFound = await failureOf('/api/v1/nothing-here');
    expect(notFound).toMatchObject({ code: 'NOT_FOUND' });
    expect(mods.sync.isUnreachable(notFound)).toBe(false);
    const bffDown = await startFakeBff((_req, res) =>
      reply(res, 503, { code: 'UPSTREAM_UNAVAILABLE', message: 'registry down', requestId: 'r' }),
    );
    const own = await mods.request
      .request({ path: `${bffDown.base}/x`, auth: 'none' })
      .catch((e: unknown) => e);
    await bffDown.close();
    expect(own).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
    expect(mods.sync.isUnreachable(own)).toBe(false);
    expect(mods.sync.isUnreachable(new Error('not an AppError'))).toBe(false);
  });
});
