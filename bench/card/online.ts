/** Online verification: `POST /api/v1/verify` under load, beside bare servers, in a forked server process. */
import type { ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { base64urlDecode, buildCodeV2, decodeHolderSecrets } from '@eid/shared';
import { nodeSha256 } from '../../bff/src/infra/ed25519';
import { benchDatabase, forkBenchServer, serverReady, stopForkedServer } from '../forked';
import { scaled } from '../options';
import type { BenchResult } from '../types';
import { codeSigner, PURPOSE } from './common';
import { purposeClaims } from './offline-v2';
import { Codes, combine, CONNECTIONS, load, processCpu, profiling, serverCpu, type Target } from './load';
import { SERVE_FLAG, type ServerInfo } from './serve';
import { areasPerRequest } from '../profile-summary';
import { ask, commandsPerRequest } from '../rp/child';

const DURATION_S = scaled(4, 2);
// Long enough for V8 to optimise the endpoint's many functions; the bare servers have few.
const WARMUP_S = scaled(2, 1);
/**
 * Codes per second a server is given for its warm-up (handed out again when it is faster: the warm-up is
 * not measured); the measured runs get distinct codes, twice the rate the warm-up saw (a warm server is
 * faster), as a code is accepted once per verifier.
 */
const WARMUP_CODES_PER_S = 2500;
/** Issue 21: the endpoint at least 0.8 of its floor, p99 under 50 ms at 50 connections. */
export const ONLINE_GOAL = { ratio: 0.8, maxP99Ms: 50 };

/** Requests per second and p99 of the endpoint and of the bare server, 50 connections each. */
export async function measureOnline(): Promise<BenchResult[]> {
  // BENCH_MONGODB_URI points at a database started by hand (e.g. under node --cpu-prof) instead.
  const mongo = await benchDatabase();
  // BENCH_CPU_PROF=<dir> writes a CPU profile of the server process per measured run there.
  const profileDir = process.env.BENCH_CPU_PROF;
  let child: ChildProcess | undefined;
  try {
    child = forkBenchServer(join(__dirname, 'serve.ts'), SERVE_FLAG, mongo.uri);
    const info = await serverReady<ServerInfo>(child);
    const holders = info.holders.map((h) => ({
      credential: base64urlDecode(h.credential),
      deviceSecretKey: base64urlDecode(h.deviceSecretKey),
      secrets: decodeHolderSecrets(base64urlDecode(h.secrets)),
    }));
    // v2 codes made for the purpose checked (its claims), every code distinct (a code is accepted once per
    // verifier), residents taking turns.
    const claims = purposeClaims(PURPOSE);
    const makeCodes = (count: number) =>
      Array.from({ length: count }, (_, i) =>
        buildCodeV2({
          ...holders[i % holders.length]!,
          ...claims,
          now: info.now,
          ed25519: codeSigner,
          sha256: nodeSha256,
        }),
      );
    const check = await fetch(`${info.bffUrl}/api/v1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${info.staffToken}` },
      body: JSON.stringify({ code: makeCodes(1)[0], purpose: PURPOSE }),
    }).then((r) => r.json() as Promise<{ verdict: string; format?: number }>);
    if (check.verdict !== 'valid' || check.format !== 2)
      throw new Error(`bench setup: verdict ${check.verdict}, format ${check.format}`);

    // Codes of their own for each server with a replay cache; the crypto-only server has none and reuses.
    const endpointCodes = new Codes([], false, makeCodes);
    const targets: Target[] = (
      [
        {
          name: 'endpoint',
          url: info.bffUrl,
          path: '/api/v1/verify',
          token: info.staffToken,
          codes: endpointCodes,
        },
        {
          name: 'sameCrypto',
          url: info.references.sameCrypto,
          path: '/',
          token: info.bareToken,
          codes: new Codes(endpointCodes.list, true),
        },
        {
          name: 'signatureOnly',
          url: info.references.signatureOnly,
          path: '/',
          token: info.bareToken,
          codes: new Codes(endpointCodes.list, true),
        },
        {
          name: 'floor',
          url: info.references.floor,
          path: '/',
          token: info.bareToken,
          codes: new Codes([], false, makeCodes),
        },
        {
          name: 'services',
          url: info.references.services,
          path: '/',
          token: info.staffToken,
          codes: new Codes([], false, makeCodes),
        },
      ] satisfies Omit<Target, 'spent' | 'runs'>[]
    )
      // BENCH_TARGETS=endpoint,sameCrypto measures only those (for profiling one of them).
      .filter((t) => !process.env.BENCH_TARGETS || process.env.BENCH_TARGETS.split(',').includes(t.name))
      .map((t) => ({ ...t, spent: { server: 0, db: 0 }, runs: [] }));

    let profiles = 0;
    const profiled = new Map<Target['name'], string[]>();
    // CPU seconds each process spent per request: unlike requests per second, this does not move with
    // whatever else the machine runs at the time, so it shows where the remaining gap is.
    const warmRate = new Map<Target, number>();
    // BENCH_COMMANDS=1: the database commands of each server's measured runs, by name and collection.
    const counting = Boolean(process.env.BENCH_COMMANDS);
    const commands = new Map<Target['name'], Map<string, number>>();
    const measure = async (target: Target, seconds: number) => {
      target.codes.fill(Math.ceil(Math.max(warmRate.get(target)!, 1000) * seconds * 2) + 500);
      if (profileDir) await profiling(child!, 'start', profileDir);
      if (counting) await ask(child!, { commands: 'read' });
      const before = { server: await serverCpu(child!), db: processCpu(mongo.pid) };
      target.runs.push(await load(target, seconds));
      target.spent.server += (await serverCpu(child!)) - before.server;
      target.spent.db += processCpu(mongo.pid) - before.db;
      if (counting) {
        const counted = commands.get(target.name) ?? new Map<string, number>();
        for (const [k, n] of Object.entries(await ask<Record<string, number>>(child!, { commands: 'read' })))
          counted.set(k, (counted.get(k) ?? 0) + n);
        commands.set(target.name, counted);
      }
      if (profileDir) {
        const name = `${++profiles}-${target.name}`;
        await profiling(child!, name, profileDir);
        profiled.set(target.name, [
          ...(profiled.get(target.name) ?? []),
          join(profileDir, `${name}.cpuprofile`),
        ]);
      }
    };
    for (const target of targets) {
      target.codes.fill(WARMUP_CODES_PER_S * WARMUP_S);
      warmRate.set(target, (await load(target, WARMUP_S)).requests.average);
      // A code handed out twice in the warm-up only warms the replay path too; the measured runs get fresh ones.
      target.codes.wrapped = false;
    }
    // ABCD DCBA: the database grows as the runs go, so each server gets an early and a late turn.
    for (const target of [...targets, ...[...targets].reverse()]) await measure(target, DURATION_S / 2);

    const results = new Map(
      targets.map((t) => {
        const r = combine(t.runs[0]!, t.runs[1]!);
        if (r.non2xx + r.errors + r.timeouts > 0)
          throw new Error(`bench ${t.name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
        if (t.codes.wrapped) throw new Error(`bench ${t.name}: ran out of codes`);
        return [t.name, r];
      }),
    );
    const perRequest = (t: Target) => {
      const total = results.get(t.name)!.requests.total;
      return `${t.name} ${Math.round(t.spent.server / total)} + ${Math.round(t.spent.db / total)} µs`;
    };
    process.stdout.write(
      `   layout: autocannon in the bench process; BFF, stand-ins and the bare servers in one forked process;\n` +
        `           the database (mock/src/mongo) in its own process${process.env.BENCH_MONGODB_URI ? ' (BENCH_MONGODB_URI)' : ''}; ${cpus().length} CPUs\n` +
        `   CPU per request (server + database): ${targets.map(perRequest).join('; ')}\n`,
    );
    // Under BENCH_CPU_PROF: where the server process's CPU goes per request, the endpoint beside its floor.
    if (profiled.has('endpoint') && profiled.has('floor'))
      process.stdout.write(
        areasPerRequest(
          ['endpoint', 'floor'].map((name) => ({
            name,
            files: profiled.get(name as Target['name'])!,
            requests: results.get(name as Target['name'])!.requests.total,
          })),
        ),
      );
    for (const [name, counted] of commands)
      process.stdout.write(commandsPerRequest(name, counted, results.get(name)!.requests.total));
    child.send('stop');
    const row = (
      name: string,
      ours: Target['name'],
      theirs: Target['name'],
      reference: string,
      goal?: BenchResult['goal'],
    ): BenchResult | undefined => {
      const a = results.get(ours);
      const b = results.get(theirs);
      if (!a || !b) return undefined;
      return {
        name,
        opsPerSec: a.requests.average,
        p50Ms: a.latency.p50,
        p99Ms: a.latency.p99,
        reference,
        referenceOpsPerSec: b.requests.average,
        referenceP99Ms: b.latency.p99,
        ratio: a.requests.average / b.requests.average,
        ...(goal && { goal }),
      };
    };
    const endpoint = `POST /api/v1/verify (${CONNECTIONS} conn)`;
    return [
      row(endpoint, 'endpoint', 'sameCrypto', 'bare node:http, same crypto'),
      row(endpoint, 'endpoint', 'signatureOnly', 'bare node:http, code signature only'),
      row(endpoint, 'endpoint', 'floor', 'floor: same crypto + 1 read + 1 write per group', ONLINE_GOAL),
      row(endpoint, 'endpoint', 'services', 'bare node:http, same services and database work'),
      row(
        'floor (the most any endpoint can reach here)',
        'floor',
        'sameCrypto',
        'bare node:http, same crypto',
      ),
    ].filter((r): r is BenchResult => r !== undefined);
  } finally {
    await stopForkedServer(child);
    await mongo.stop();
  }
}
