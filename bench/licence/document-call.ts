/**
 * A whole document call over HTTP (issue 15 section 3) at 10 windows at once: each window creates a vehicle
 * transfer request, its resident opens the request code and approves it (the BFF pulls the documents from the
 * licence stand-in, delivers and signs the receipt), and the window reads the documents; then the window's
 * next resident. The BFF, the stand-in systems and the database are real: the BFF with the stand-ins in a
 * forked process (this file with SERVE_FLAG), the database (mock/src/mongo) in its own, the windows here, so
 * that the load generator does not share an event loop with what it measures. Traffic goes to 127.0.0.1 only.
 * Beside it, in the same run, a bare reference: the same number of HTTP round trips (4 per call, 10 loops) to
 * the BFF's trivial `GET /healthz`, so the ratio is what the call's work costs on top of its round trips.
 * Bounded: about 6 s of calls and 6 s of reference, turn about (ABBA), plus the setup.
 */
import type { ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import type { DeliveredDocuments, DocumentCallAnswer, WindowDocumentCall } from '@eid/shared';
import { benchDatabase, forkBenchServer, serverReady, stopForkedServer } from '../forked';
import { processCpu, serverCpu } from '../card/load';
import { scaled } from '../options';
import type { BenchResult } from '../types';

export const SERVE_FLAG = '--licence-call-bench-serve';
const WINDOWS = 10;
/** Residents of each window's own, taken in turn: a resident answers one call at a time, as at a counter. */
const RESIDENTS_PER_WINDOW = 3;
const WARMUP_MS = scaled(1500, 800);
/** Measured time of each side, in two turns (ABBA). */
const DURATION_MS = scaled(4000, 2000);
/** Upper bound on the measured calls, whatever the machine. */
const MAX_CALLS = 2000;
const STEPS = ['create', 'open', 'approve', 'read'] as const;
type Step = (typeof STEPS)[number];

/** A vehicle transfer: the required vehicle registration and the optional residence permit. */
const VEHICLE_TRANSFER = {
  service: 'vehicle_transfer',
  purpose: '办理机动车转移登记',
  documents: [{ type: 'vehicle_registration' }, { type: 'residence_permit' }],
};

interface ServerInfo {
  bffUrl: string;
  windows: { token: string; residents: string[] }[];
}

/** Child-process side: the BFF with stand-ins, windows signed in, residents enrolled. */
async function serve(): Promise<void> {
  const { startStack } = await import('../../test/helpers/stack');
  const { callResident, windowStaff } = await import('../../test/helpers/document-call');
  const stack = await startStack({ env: { LOG_LEVEL: 'warn' } });
  const windows: ServerInfo['windows'] = [];
  for (let w = 0; w < WINDOWS; w++) {
    const staff = await windowStaff(stack);
    const residents = await Promise.all(
      Array.from({ length: RESIDENTS_PER_WINDOW }, () => callResident(stack)),
    );
    windows.push({ token: staff.token, residents: residents.map((r) => r.token) });
  }
  process.send!({ bffUrl: stack.url, windows } satisfies ServerInfo);
  process.on('message', (message) => {
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send!({ cpuMicros: user + system });
      return;
    }
    stack.stop().finally(() => process.exit(0));
  });
}

interface Call {
  method: 'GET' | 'POST';
  path: string;
  token?: string;
  body?: unknown;
  /** The status a working call answers; anything else stops the bench. */
  expect: number;
}

async function request<T>(url: string, { method, path, token, body, expect }: Call): Promise<T> {
  const res = await fetch(url + path, {
    method,
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== expect) throw new Error(`bench ${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

type Timings = Record<Step | 'call', number[]>;
const emptyTimings = (): Timings => ({ create: [], open: [], approve: [], read: [], call: [] });

/** One document call through the front door, each step timed (ms). */
async function documentCall(url: string, window: string, resident: string, into: Timings): Promise<void> {
  let t = performance.now();
  const start = t;
  const lap = (step: Step) => {
    const now = performance.now();
    into[step].push(now - t);
    t = now;
  };
  const created = await request<WindowDocumentCall>(url, {
    method: 'POST',
    path: '/api/v1/document-calls',
    token: window,
    body: VEHICLE_TRANSFER,
    expect: 201,
  });
  lap('create');
  await request(url, {
    method: 'POST',
    path: '/api/v1/document-calls/open',
    token: resident,
    body: { requestCode: created.requestCode },
    expect: 200,
  });
  lap('open');
  const approved = await request<DocumentCallAnswer>(url, {
    method: 'POST',
    path: `/api/v1/document-calls/${created.id}/approve`,
    token: resident,
    body: { requestDigest: created.requestDigest },
    expect: 200,
  });
  if (approved.call.state !== 'delivered') throw new Error(`bench approve: ${approved.call.state}`);
  lap('approve');
  const read = await request<DeliveredDocuments>(url, {
    method: 'GET',
    path: `/api/v1/document-calls/${created.id}/documents`,
    token: window,
    expect: 200,
  });
  if (read.documents.length === 0) throw new Error('bench read: no documents');
  lap('read');
  into.call.push(performance.now() - start);
}

/** The reference: as many round trips as a call makes, to the BFF's trivial liveness route. */
async function bareRoundTrips(url: string, into: Timings): Promise<void> {
  const start = performance.now();
  for (let i = 0; i < STEPS.length; i++) await request(url, { method: 'GET', path: '/healthz', expect: 200 });
  into.call.push(performance.now() - start);
}

/** Runs `one` in each of the windows' loops until `ms` have passed or `maxCalls` are done; calls per second. */
async function loops(
  ms: number,
  maxCalls: number,
  one: (window: number, turn: number) => Promise<void>,
): Promise<{ calls: number; seconds: number }> {
  let calls = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: WINDOWS }, async (_, w) => {
      for (let turn = 0; performance.now() - start < ms && calls < maxCalls; turn++) {
        await one(w, turn);
        calls++;
      }
    }),
  );
  return { calls, seconds: (performance.now() - start) / 1000 };
}

/** Nearest-rank percentile of `values` (ms). */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;
}

/** Document calls per second at 10 windows, with p50/p99 per step, beside the same round trips to /healthz. */
export async function measureDocumentCall(): Promise<BenchResult[]> {
  const mongo = await benchDatabase();
  let child: ChildProcess | undefined;
  try {
    child = forkBenchServer(__filename, SERVE_FLAG, mongo.uri);
    const info = await serverReady<ServerInfo>(child);
    const { bffUrl, windows } = info;
    const call = (into: Timings) => (w: number, turn: number) =>
      documentCall(bffUrl, windows[w]!.token, windows[w]!.residents[turn % RESIDENTS_PER_WINDOW]!, into);
    const bare = (into: Timings) => () => bareRoundTrips(bffUrl, into);

    await loops(WARMUP_MS, MAX_CALLS, call(emptyTimings()));
    await loops(WARMUP_MS / 2, Infinity, bare(emptyTimings()));

    const ours = emptyTimings();
    const reference = emptyTimings();
    const totals = { ours: { calls: 0, seconds: 0 }, reference: { calls: 0, seconds: 0 } };
    const spent = { server: 0, db: 0 };
    const add = (side: 'ours' | 'reference', r: { calls: number; seconds: number }) => {
      totals[side].calls += r.calls;
      totals[side].seconds += r.seconds;
    };
    const measured = async () => {
      const before = { server: await serverCpu(child!), db: processCpu(mongo.pid) };
      add('ours', await loops(DURATION_MS / 2, MAX_CALLS / 2, call(ours)));
      spent.server += (await serverCpu(child!)) - before.server;
      spent.db += processCpu(mongo.pid) - before.db;
    };
    // ABBA: the database grows as the calls go, so each side gets an early and a late turn.
    await measured();
    add('reference', await loops(DURATION_MS / 2, Infinity, bare(reference)));
    add('reference', await loops(DURATION_MS / 2, Infinity, bare(reference)));
    await measured();

    const rate = (side: 'ours' | 'reference') => totals[side].calls / totals[side].seconds;
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const line = (label: string, values: number[]) =>
      `     ${label.padEnd(42)} p50 ${ms(percentile(values, 0.5)).padStart(9)} | p99 ${ms(percentile(values, 0.99)).padStart(9)}\n`;
    process.stdout.write(
      `   document call (create, open, approve, read):\n` +
        `   layout: ${WINDOWS} windows in the bench process (fetch, keep-alive); BFF and stand-ins in one forked\n` +
        `           process; the database (mock/src/mongo) in its own${process.env.BENCH_MONGODB_URI ? ' (BENCH_MONGODB_URI)' : ''}; ${cpus().length} CPUs\n` +
        `   document calls: ${totals.ours.calls} in ${totals.ours.seconds.toFixed(1)} s; ` +
        `CPU per call ${Math.round(spent.server / totals.ours.calls)} µs BFF + stand-ins, ` +
        `${Math.round(spent.db / totals.ours.calls)} µs database\n` +
        STEPS.map((step) => line(`${step}`, ours[step])).join('') +
        line('whole call (create, open, approve, read)', ours.call) +
        line(`reference: ${STEPS.length} x GET /healthz`, reference.call),
    );
    const opsPerSec = rate('ours');
    const referenceOpsPerSec = rate('reference');
    return [
      {
        name: `document call, ${WINDOWS} windows (calls/s)`,
        opsPerSec,
        p50Ms: percentile(ours.call, 0.5),
        p99Ms: percentile(ours.call, 0.99),
        reference: `${STEPS.length} x GET /healthz, ${WINDOWS} loops`,
        referenceOpsPerSec,
        referenceP99Ms: percentile(reference.call, 0.99),
        ratio: opsPerSec / referenceOpsPerSec,
      },
    ];
  } finally {
    await stopForkedServer(child);
    await mongo.stop();
  }
}

if (process.argv.includes(SERVE_FLAG)) {
  serve().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
