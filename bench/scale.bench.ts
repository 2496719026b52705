/**
 * Scale-out and issuance (issue 21), each beside a reference measured in the same run:
 * - two BFF processes (bff/src/server.ts, each its own OS process and connection pool) on one database
 *   against one: `POST /api/v1/verify` with v2 hotel check-in codes at 50 connections in all (25 per process
 *   when there are two), the replay cache, usage traces and card status shared through the database. The
 *   goal is at least 1.4 times one process's rate. On two cores the second process competes with the load
 *   generator and the database for the same CPUs, which is why the goal is not 2;
 * - card issuance (`POST /api/v1/card/issue`: device proof, credential signed, status slot, sealed
 *   holder secrets, usage record) for residents enrolled beforehand (not timed), 8 at a time, against as
 *   many `GET /healthz` round trips to the same process at the same concurrency.
 * The stand-in systems run in this process, the database in its own. Bounded: about a minute.
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { manualClock } from '../bff/src/infra/clock';
import { startMocks, type Mocks } from '@eid/mock';
import { bffEnv, spawnBff, type BffProcess } from '../test/helpers/bff-process';
import { enroll, freshPerson } from '../test/helpers/identity';
import { DEV_STAFF } from '../test/helpers/stack';
import {
  combine,
  Codes,
  CONNECTIONS,
  load,
  processCpu,
  type AutocannonResult,
  type Target,
} from './card/load';
import { benchDatabase } from './forked';
import { hotelCodes, issueCard, type Holder } from './holders';
import { concurrently } from './loops';
import { scaled } from './options';
import type { BenchResult } from './types';

const HOLDERS = 32;
const DURATION_S = scaled(4, 2);
const WARMUP_S = scaled(2, 1);
/** Codes per second handed to a warm-up; the measured runs get 1.5 times the rate it saw. */
const WARMUP_CODES_PER_S = 2500;
const ISSUES = scaled(120, 40);
const ISSUE_CONCURRENCY = 8;

/** Enrols `count` residents at `bff`, 8 at a time; with `card`, each gets a card on a new device. */
async function residents(bff: BffProcess, mocks: Mocks, count: number, card: boolean) {
  const out: { token: string; holder?: Holder }[] = [];
  for (let i = 0; i < count; i += 8)
    out.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(8, count - i) }, async () => {
          const { token } = await enroll({ api: bff.api, mocks }, freshPerson());
          if (!card) return { token };
          return { token, holder: await issueCard(bff.api, token) };
        }),
      )),
    );
  return out;
}

/** Two autocannon runs side by side as one: summed rates, worse p99. */
function sideBySide(a: AutocannonResult, b: AutocannonResult): AutocannonResult {
  return {
    requests: {
      average: a.requests.average + b.requests.average,
      total: a.requests.total + b.requests.total,
    },
    latency: { p50: Math.max(a.latency.p50, b.latency.p50), p99: Math.max(a.latency.p99, b.latency.p99) },
    non2xx: a.non2xx + b.non2xx,
    errors: a.errors + b.errors,
    timeouts: a.timeouts + b.timeouts,
  };
}

export async function run(): Promise<BenchResult[]> {
  const mongo = await benchDatabase();
  const previousUri = process.env.MONGODB_URI;
  process.env.MONGODB_URI = mongo.uri;
  const mocks = await startMocks({ clock: manualClock(Date.now()) });
  const processes: BffProcess[] = [];
  try {
    // LOG_LEVEL stays info: spawnBff waits for the `bff listening` line.
    // The stand-ins share this process with the load generator: the tests' 800 ms upstream timeout is too
    // short for enrolling residents on a busy machine.
    const env = bffEnv({
      mocks,
      dbName: `bench_${randomBytes(4).toString('hex')}`,
      env: { UPSTREAM_TIMEOUT_MS: '10000' },
    });
    // Generous: on a busy machine a BFF process takes a while to compile and connect.
    const spawned = await Promise.allSettled([spawnBff(env, 120_000), spawnBff(env, 120_000)]);
    for (const s of spawned) if (s.status === 'fulfilled') processes.push(s.value);
    for (const s of spawned) if (s.status === 'rejected') throw s.reason;
    const [a, b] = processes as [BffProcess, BffProcess];
    const holders = (await residents(a, mocks, HOLDERS, true)).map((r) => r.holder!);
    const toIssue = await residents(a, mocks, ISSUES, false);
    const login = await a.api('POST', '/api/v1/staff/login', { body: DEV_STAFF });
    if (login.status !== 200) throw new Error(`staff login: ${login.status}`);
    const token = login.body.accessToken as string;

    // Card issuance first: a resident's first card, 8 at a time, then as many health round trips.
    const issued = await concurrently(ISSUES, ISSUE_CONCURRENCY, (i) => issueCard(a.api, toIssue[i]!.token));
    const health = await concurrently(ISSUES * 4, ISSUE_CONCURRENCY, async () => {
      const res = await a.api('GET', '/healthz');
      if (res.status !== 200) throw new Error(`healthz: ${res.status}`);
    });

    // A resident's usage trace is one hash chain: two processes appending to the same chains at once lose
    // races and retry, which a resident at one window at a time never causes. So with two processes each
    // serves its own half of the residents, as a load balancer keeps a terminal on one process; alone, one
    // process serves them all.
    const target = (p: BffProcess, of: Holder[]): Target => ({
      name: 'endpoint',
      url: p.url,
      path: '/api/v1/verify',
      token,
      codes: new Codes([], false, hotelCodes(of)),
      spent: { server: 0, db: 0 },
      runs: [],
    });
    // One process at 50 connections; two at 25 each (load() takes its connections from the target).
    const one = target(a, holders);
    const pair = [
      target(
        a,
        holders.filter((_, i) => i % 2 === 0),
      ),
      target(
        b,
        holders.filter((_, i) => i % 2 === 1),
      ),
    ];
    const half = Math.floor(CONNECTIONS / 2);
    const warm = { one: 0, pair: 0 };
    one.codes.fill(WARMUP_CODES_PER_S * WARMUP_S);
    warm.one = (await load(one, WARMUP_S)).requests.average;
    for (const t of pair) t.codes.fill((WARMUP_CODES_PER_S * WARMUP_S) / 2);
    warm.pair = sideBySide(
      ...((await Promise.all(pair.map((t) => load(t, WARMUP_S, half)))) as [
        AutocannonResult,
        AutocannonResult,
      ]),
    ).requests.average;
    const runs = { one: [] as AutocannonResult[], pair: [] as AutocannonResult[] };
    // CPU (µs) of the BFF processes, the database and this process (load generator, stand-ins) per side.
    const cpu = { one: [0, 0, 0, 0], pair: [0, 0, 0, 0] };
    const pids = [a.child.pid, b.child.pid, mongo.pid];
    const cpuNow = () => [...pids.map(processCpu), process.cpuUsage().user + process.cpuUsage().system];
    const timed = async (side: 'one' | 'pair', work: () => Promise<AutocannonResult>) => {
      const before = cpuNow();
      runs[side].push(await work());
      cpuNow().forEach((v, i) => (cpu[side][i]! += v - before[i]!));
    };
    const seconds = DURATION_S / 2;
    const measureOne = async () => {
      // Codes are made now, not while a server is measured; they stay fresh for the code's 60 s.
      one.codes.fill(Math.ceil(warm.one * seconds * 1.5) + 500);
      await timed('one', () => load(one, seconds));
    };
    const measurePair = async () => {
      for (const t of pair) t.codes.fill(Math.ceil((warm.pair / 2) * seconds * 1.5) + 500);
      await timed('pair', async () => {
        const [x, y] = await Promise.all(pair.map((t) => load(t, seconds, half)));
        return sideBySide(x!, y!);
      });
    };
    // AB BA: the database grows as the runs go.
    await measureOne();
    await measurePair();
    await measurePair();
    await measureOne();
    for (const [name, r, codes] of [
      ['one', combine(runs.one[0]!, runs.one[1]!), [one.codes]],
      ['two', combine(runs.pair[0]!, runs.pair[1]!), pair.map((t) => t.codes)],
    ] as const) {
      if (r.non2xx + r.errors + r.timeouts > 0)
        throw new Error(
          `bench scale ${name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`,
        );
      if (codes.some((c) => c.wrapped)) throw new Error(`bench scale ${name}: ran out of codes`);
    }
    const single = combine(runs.one[0]!, runs.one[1]!);
    const double = combine(runs.pair[0]!, runs.pair[1]!);
    const perRequest = (side: 'one' | 'pair', r: AutocannonResult) => {
      const [x, y, db, gen] = cpu[side].map((v) => Math.round(v / r.requests.total));
      return `BFF a ${x} + BFF b ${y} + database ${db} + load generator ${gen} µs`;
    };
    const busy = (side: 'one' | 'pair') =>
      (cpu[side].reduce((t, v) => t + v, 0) / 1e6 / (2 * seconds)).toFixed(2);
    // What the CPU per request allows on this many otherwise idle CPUs: all the processes' CPU shared among
    // them, and no more than one CPU for any one process (each is one event loop).
    const ceiling = (side: 'one' | 'pair', r: AutocannonResult) => {
      const perRequest = cpu[side].map((v) => v / r.requests.total).filter((v) => v > 0);
      const total = perRequest.reduce((t, v) => t + v, 0);
      return Math.min((cpus().length * 1e6) / total, 1e6 / Math.max(...perRequest));
    };
    const projected = { one: ceiling('one', single), two: ceiling('pair', double) };
    process.stdout.write(
      `   layout: autocannon and the stand-ins in the bench process; two BFF processes (bff/src/server.ts);\n` +
        `           the database (mock/src/mongo) in its own process; ${cpus().length} CPUs\n` +
        `   CPU per request: one process ${perRequest('one', single)}; two ${perRequest('pair', double)}\n` +
        `   CPUs busy with these processes: one ${busy('one')}, two ${busy('pair')} (of ${cpus().length}; ` +
        `the rest went to other work on the machine)\n` +
        `   ceiling from CPU per request on ${cpus().length} idle CPUs: one process ${Math.round(projected.one)}/s, ` +
        `two ${Math.round(projected.two)}/s\n`,
    );
    return [
      {
        name: `two BFF processes, POST /api/v1/verify (${CONNECTIONS} conn)`,
        opsPerSec: double.requests.average,
        p50Ms: double.latency.p50,
        p99Ms: double.latency.p99,
        reference: 'one BFF process, same database',
        referenceOpsPerSec: single.requests.average,
        referenceP99Ms: single.latency.p99,
        goal: { ratio: 1.4 },
      },
      {
        name: `two BFF processes, ceiling on ${cpus().length} idle CPUs (from CPU per request)`,
        opsPerSec: projected.two,
        reference: 'one BFF process, same',
        referenceOpsPerSec: projected.one,
      },
      {
        name: `card issuance, ${ISSUE_CONCURRENCY} at a time (cards/s)`,
        opsPerSec: issued.rate,
        p50Ms: issued.p50,
        p99Ms: issued.p99,
        reference: `GET /healthz, ${ISSUE_CONCURRENCY} at a time`,
        referenceOpsPerSec: health.rate,
        referenceP99Ms: health.p99,
      },
    ];
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await mocks.stop();
    await mongo.stop();
    if (previousUri === undefined) delete process.env.MONGODB_URI;
    else process.env.MONGODB_URI = previousUri;
  }
}
