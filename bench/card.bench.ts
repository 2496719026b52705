/**
 * The bright card's hot paths, each beside a bare reference measured in the same run:
 * - offline verification (node:crypto, issuer signature cached by credential digest) against one bare
 *   node:crypto Ed25519 verify of the same bytes: the goal is at least 0.8 of it;
 * - `POST /api/v1/verify` with 50 connections (autocannon) against a bare node:http server doing the
 *   same crypto: the goal is at least 0.75 of it.
 * The online part forks this file as a server process (BFF, stand-in systems, bare server) so that the
 * load generator does not share an event loop with what it measures. Bounded: well under 60 s.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import type { Server } from 'node:http';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import {
  base64urlDecode,
  base64urlEncode,
  buildCode,
  codeSigningInput,
  createCredentialCache,
  emptyStatusBits,
  issueCredential,
  openStatusList,
  parseCode,
  signStatusList,
  trustListOf,
  tweetnaclEd25519,
  verifyCode,
  type CredentialClaims,
  type VerifyOptions,
} from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '../bff/src/infra/ed25519';
import { spawnLocalMongo } from '../scripts/lib/local-mongo-process';
import {
  bareCrypto,
  floorServer,
  sameCryptoServer,
  servicesServer,
  signatureOnlyServer,
} from './card-references';
import type { BenchResult } from './types';

const SERVE_FLAG = '--card-bench-serve';
const CONNECTIONS = 50;
const DURATION_S = 4;
// Long enough for V8 to optimise the endpoint's many functions; the bare servers have few.
const WARMUP_S = 2;
const OFFLINE_ROUNDS = 7;
const OFFLINE_BATCH = 3000;
const PURPOSE = 'hotel_check_in';
const HOLDERS = 32;
/** Distinct codes per measured server: a code is accepted once per verifier, and no run may reuse one. */
const CODES_PER_SERVER = 40_000;
type ReferenceName = 'sameCrypto' | 'signatureOnly' | 'floor' | 'services';
// USER_HZ: Linux reports process times in these ticks on every mainstream architecture.
const CLOCK_TICKS_PER_S = 100;

const ed = createNodeEd25519();
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  setupRequest(req: AutocannonRequest & { body?: string }): AutocannonRequest & { body: string };
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;
// autocannon ships no types; this is the slice of its API we use.
const autocannon = createRequire(__filename)('autocannon') as Autocannon;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function rate(count: number, fn: (i: number) => void): number {
  const start = performance.now();
  for (let i = 0; i < count; i++) fn(i);
  return count / ((performance.now() - start) / 1000);
}

/** A card, its codes and verifier options, all from fixed seeds. */
function offlineFixture(codeCount: number) {
  const issuer = ed.keyPairFromSeed(new Uint8Array(32).fill(1));
  const device = ed.keyPairFromSeed(new Uint8Array(32).fill(2));
  const now = Date.UTC(2026, 10, 23, 8, 0, 0);
  const claims: CredentialClaims = {
    province: '37',
    cardId: new Uint8Array(16).fill(3),
    issuedAt: now - 86_400_000,
    expiresAt: now + 29 * 86_400_000,
    devicePublicKey: device.publicKey,
    statusIndex: 4242,
    holder: {
      name: '阿卜杜热合曼·买买提明·阿卜杜克热木',
      sex: 1,
      birthDate: '1993-01-29',
      idNumberMasked: '6531**********0016',
      portraitDigest: new Uint8Array(16).fill(4),
    },
  };
  const credential = issueCredential('bench-37-1', claims, (tbs) => ed.sign(issuer.secretKey, tbs));
  const trustList = trustListOf([{ kid: 'bench-37-1', province: '37', publicKey: issuer.publicKey }]);
  const size = 65_536;
  const list = signStatusList(
    { kid: 'bench-37-1', issuedAt: now, ttlSeconds: 300, size, bits: emptyStatusBits(size) },
    (t) => ed.sign(issuer.secretKey, t),
  );
  const statusLists = new Map([['bench-37-1', openStatusList(list, trustList, ed)]]);
  const codes = Array.from({ length: codeCount }, (_, i) =>
    buildCode({ credential, deviceSecretKey: device.secretKey, now: now - (i % 50) * 1000, ed25519: ed }),
  );
  const options: VerifyOptions = {
    trustList,
    statusLists,
    clock: { now: () => now },
    ed25519: ed,
    sha256: nodeSha256,
    cache: createCredentialCache(),
    maxStatusAgeMs: 3_600_000,
  };
  return { codes, options, device };
}

/** Offline verifications per second next to one bare node:crypto verify of the same bytes. */
function measureOffline(): BenchResult[] {
  const { codes, options, device } = offlineFixture(2000);
  const keyObject = createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, device.publicKey]),
    format: 'der',
    type: 'spki',
  });
  const bare = codes.map((text) => {
    const p = parseCode(text);
    return { message: codeSigningInput(p.credential, p.timestamp / 1000, p.nonce), signature: p.signature };
  });
  const ours = (i: number) => {
    if (verifyCode(codes[i % codes.length], options).verdict !== 'valid')
      throw new Error('bench code not valid');
  };
  const reference = (i: number) => {
    const b = bare[i % bare.length]!;
    if (!nodeVerify(null, b.message, keyObject, b.signature)) throw new Error('bench signature not valid');
  };
  const uncached = (i: number) => verifyCode(codes[i % codes.length], { ...options, cache: undefined });
  // Warm-up, then alternate so that both sides see the same machine noise.
  rate(OFFLINE_BATCH, ours);
  rate(OFFLINE_BATCH, reference);
  const oursRates: number[] = [];
  const refRates: number[] = [];
  for (let round = 0; round < OFFLINE_ROUNDS; round++) {
    oursRates.push(rate(OFFLINE_BATCH, ours));
    refRates.push(rate(OFFLINE_BATCH, reference));
  }
  const opsPerSec = median(oursRates);
  const referenceOpsPerSec = median(refRates);
  const noCache = rate(OFFLINE_BATCH / 2, uncached);
  const portable = {
    ...options,
    ed25519: tweetnaclEd25519,
    sha256: undefined,
    cache: createCredentialCache(),
  };
  const tweetnacl = rate(60, (i) => verifyCode(codes[i], portable));
  const reference1 = 'bare node:crypto Ed25519 verify';
  return [
    {
      name: 'offline verify (issuer sig cached)',
      opsPerSec,
      reference: reference1,
      referenceOpsPerSec,
      ratio: opsPerSec / referenceOpsPerSec,
    },
    {
      name: 'offline verify (no cache)',
      opsPerSec: noCache,
      reference: reference1,
      referenceOpsPerSec,
      ratio: noCache / referenceOpsPerSec,
    },
    { name: 'offline verify (tweetnacl, mini-program)', opsPerSec: tweetnacl },
  ];
}

interface ServerInfo {
  bffUrl: string;
  /** The references of card-references.ts by name. */
  references: Record<ReferenceName, string>;
  staffToken: string;
  /** The bare servers' own bearer token. */
  bareToken: string;
  holders: { credential: string; deviceSecretKey: string }[];
  now: number;
}

/** Child-process side: the BFF with stand-ins and a frozen clock, a resident with a card, and the bare server. */
async function serve(): Promise<void> {
  const { startStack } = await import('../test/helpers/stack');
  const { holderWithCard, staffToken } = await import('../test/bff/card-flow');
  const { trustedIssuersOf } = await import('../bff/src/modules/card/status-list.service');
  const stack = await startStack({ env: { LOG_LEVEL: 'warn' } });
  // Many residents, as at real windows: one resident's usage trace is a hash chain appended in order.
  const holders = [];
  for (let i = 0; i < HOLDERS; i += 8) {
    holders.push(
      ...(await Promise.all(Array.from({ length: Math.min(8, HOLDERS - i) }, () => holderWithCard(stack)))),
    );
  }
  const token = await staffToken(stack);

  const inspect = {
    trustList: trustListOf(trustedIssuersOf(stack.deps.keys)),
    clock: stack.clock,
    ed25519: createNodeEd25519(),
    sha256: nodeSha256,
    cache: createCredentialCache(),
  };
  const crypto = bareCrypto(stack.deps, inspect);
  const servers: Record<ReferenceName, Server> = {
    sameCrypto: await sameCryptoServer(crypto),
    signatureOnly: await signatureOnlyServer(inspect),
    floor: await floorServer(stack.deps, crypto),
    services: await servicesServer(stack.deps),
  };
  const urlOf = (server: Server) => {
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  };
  const info: ServerInfo = {
    bffUrl: stack.url,
    references: {
      sameCrypto: urlOf(servers.sameCrypto),
      signatureOnly: urlOf(servers.signatureOnly),
      floor: urlOf(servers.floor),
      services: urlOf(servers.services),
    },
    bareToken: crypto.token,
    staffToken: token,
    holders: holders.map((h) => ({
      credential: base64urlEncode(h.credential),
      deviceSecretKey: base64urlEncode(h.device.keys.secretKey),
    })),
    now: stack.clock.now(),
  };
  process.send!(info);
  // BENCH_CPU_PROF=<dir>: one CPU profile of this process per measured run, named after the run.
  const profiler = new Session();
  profiler.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      profiler.post(method, (err, result) => (err ? reject(err) : resolve(result))),
    );
  process.on('message', (message) => {
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send!({ cpuMicros: user + system });
      return;
    }
    if (typeof message === 'object' && message !== null && 'profile' in message) {
      const { profile, dir } = message as { profile: string; dir: string };
      const done = () => process.send!({ profiled: profile });
      if (profile === 'start')
        void post('Profiler.enable')
          .then(() => post('Profiler.start'))
          .then(done);
      else
        void post('Profiler.stop').then((result) => {
          mkdirSync(dir, { recursive: true });
          writeFileSync(
            join(dir, `${profile}.cpuprofile`),
            JSON.stringify((result as { profile: unknown }).profile),
          );
          done();
        });
      return;
    }
    for (const server of Object.values(servers)) {
      server.close();
      server.closeAllConnections();
    }
    stack.stop().finally(() => process.exit(0));
  });
}

/** Two runs of equal length as one: mean rate, worse p99, summed failures. */
function combine(a: AutocannonResult, b: AutocannonResult): AutocannonResult {
  return {
    requests: {
      average: (a.requests.average + b.requests.average) / 2,
      total: a.requests.total + b.requests.total,
    },
    latency: { p99: Math.max(a.latency.p99, b.latency.p99) },
    non2xx: a.non2xx + b.non2xx,
    errors: a.errors + b.errors,
    timeouts: a.timeouts + b.timeouts,
  };
}

/** A list of codes handed out in turn; `wrapped` once a code had to be handed out twice. */
class Codes {
  private next = 0;
  wrapped = false;
  constructor(
    readonly list: string[],
    /** Reuse is harmless for a server without a replay cache. */
    private readonly reusable = false,
  ) {}
  take(): string {
    if (this.next === this.list.length) {
      this.next = 0;
      if (!this.reusable) this.wrapped = true;
    }
    return this.list[this.next++]!;
  }
}

interface Target {
  name: 'endpoint' | ReferenceName;
  url: string;
  path: string;
  token: string;
  codes: Codes;
  spent: { server: number; db: number };
  runs: AutocannonResult[];
}

function load({ url, path, token, codes }: Target, seconds: number) {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ code: codes.take(), purpose: PURPOSE }) }),
      },
    ],
  });
}

/** CPU time (µs) the forked server process has used so far, asked over IPC. */
function serverCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (m: unknown) => {
      if (typeof m !== 'object' || m === null || !('cpuMicros' in m)) return;
      child.off('message', onMessage);
      resolve((m as { cpuMicros: number }).cpuMicros);
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

/** Starts the server process's profiler, or stops it and writes the profile as `<name>.cpuprofile`. */
function profiling(child: ChildProcess, profile: string, dir: string): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (m: unknown) => {
      if (typeof m !== 'object' || m === null || !('profiled' in m)) return;
      child.off('message', onMessage);
      resolve();
    };
    child.on('message', onMessage);
    child.send({ profile, dir });
  });
}

/** CPU time (µs) a process has used so far, from /proc; 0 where that is not available. */
function processCpu(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name) are utime and stime in ticks.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
}

/** Requests per second and p99 of the endpoint and of the bare server, 50 connections each. */
async function measureOnline(): Promise<BenchResult[]> {
  // BENCH_MONGODB_URI points at a database started by hand (e.g. under node --cpu-prof) instead.
  const external = process.env.BENCH_MONGODB_URI;
  const mongo = external
    ? { uri: external, pid: undefined, stop: async () => undefined }
    : await spawnLocalMongo().then((m) => ({ ...m, pid: m.child.pid }));
  // BENCH_CPU_PROF=<dir> writes a CPU profile of the server process per measured run there.
  const profileDir = process.env.BENCH_CPU_PROF;
  let child: ChildProcess | undefined;
  try {
    child = fork(__filename, [SERVE_FLAG], {
      execArgv: process.execArgv,
      env: { ...process.env, MONGODB_URI: mongo.uri },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const info = await new Promise<ServerInfo>((resolve, reject) => {
      child!.once('message', (m) => resolve(m as ServerInfo));
      child!.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    });
    const holders = info.holders.map((h) => ({
      credential: base64urlDecode(h.credential),
      deviceSecretKey: base64urlDecode(h.deviceSecretKey),
    }));
    // Every code distinct (a code is accepted once per verifier), residents taking turns.
    const makeCodes = (count: number) =>
      Array.from({ length: count }, (_, i) =>
        buildCode({ ...holders[i % holders.length]!, now: info.now, ed25519: ed }),
      );
    const check = await fetch(`${info.bffUrl}/api/v1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${info.staffToken}` },
      body: JSON.stringify({ code: makeCodes(1)[0], purpose: PURPOSE }),
    }).then((r) => r.json() as Promise<{ verdict: string }>);
    if (check.verdict !== 'valid') throw new Error(`bench setup: verdict ${check.verdict}`);

    // Codes of their own for each server with a replay cache; the crypto-only server has none and reuses.
    const endpointCodes = new Codes(makeCodes(CODES_PER_SERVER));
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
          codes: new Codes(makeCodes(CODES_PER_SERVER)),
        },
        {
          name: 'services',
          url: info.references.services,
          path: '/',
          token: info.staffToken,
          codes: new Codes(makeCodes(CODES_PER_SERVER)),
        },
      ] satisfies Omit<Target, 'spent' | 'runs'>[]
    )
      // BENCH_TARGETS=endpoint,sameCrypto measures only those (for profiling one of them).
      .filter((t) => !process.env.BENCH_TARGETS || process.env.BENCH_TARGETS.split(',').includes(t.name))
      .map((t) => ({ ...t, spent: { server: 0, db: 0 }, runs: [] }));

    let profiles = 0;
    // CPU seconds each process spent per request: unlike requests per second, this does not move with
    // whatever else the machine runs at the time, so it shows where the remaining gap is.
    const measure = async (target: Target, seconds: number) => {
      if (profileDir) await profiling(child!, 'start', profileDir);
      const before = { server: await serverCpu(child!), db: processCpu(mongo.pid) };
      target.runs.push(await load(target, seconds));
      target.spent.server += (await serverCpu(child!)) - before.server;
      target.spent.db += processCpu(mongo.pid) - before.db;
      if (profileDir) await profiling(child!, `${++profiles}-${target.name}`, profileDir);
    };
    for (const target of targets) await load(target, WARMUP_S);
    // ABCD DCBA: the database grows as the runs go, so each server gets an early and a late turn.
    for (const target of [...targets, ...[...targets].reverse()]) await measure(target, DURATION_S / 2);

    const results = new Map(
      targets.map((t) => {
        const r = combine(t.runs[0]!, t.runs[1]!);
        if (r.non2xx + r.errors + r.timeouts > 0)
          throw new Error(`bench ${t.name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
        if (t.codes.wrapped) throw new Error(`bench ${t.name}: ran out of codes, raise CODES_PER_SERVER`);
        return [t.name, r];
      }),
    );
    const perRequest = (t: Target) => {
      const total = results.get(t.name)!.requests.total;
      return `${t.name} ${Math.round(t.spent.server / total)} + ${Math.round(t.spent.db / total)} µs`;
    };
    process.stdout.write(
      `   layout: autocannon in the bench process; BFF, stand-ins and the bare servers in one forked process;\n` +
        `           the database (mock/src/mongo) in its own process${external ? ' (BENCH_MONGODB_URI)' : ''}; ${cpus().length} CPUs\n` +
        `   CPU per request (server + database): ${targets.map(perRequest).join('; ')}\n`,
    );
    child.send('stop');
    const row = (
      name: string,
      ours: Target['name'],
      theirs: Target['name'],
      reference: string,
    ): BenchResult | undefined => {
      const a = results.get(ours);
      const b = results.get(theirs);
      if (!a || !b) return undefined;
      return {
        name,
        opsPerSec: a.requests.average,
        p99Ms: a.latency.p99,
        reference,
        referenceOpsPerSec: b.requests.average,
        referenceP99Ms: b.latency.p99,
        ratio: a.requests.average / b.requests.average,
      };
    };
    const endpoint = `POST /api/v1/verify (${CONNECTIONS} conn)`;
    return [
      row(endpoint, 'endpoint', 'sameCrypto', 'bare node:http, same crypto'),
      row(endpoint, 'endpoint', 'signatureOnly', 'bare node:http, code signature only'),
      row(endpoint, 'endpoint', 'floor', 'floor: same crypto + 1 read + 1 write per group'),
      row(endpoint, 'endpoint', 'services', 'bare node:http, same services and database work'),
      row(
        'floor (the most any endpoint can reach here)',
        'floor',
        'sameCrypto',
        'bare node:http, same crypto',
      ),
    ].filter((r): r is BenchResult => r !== undefined);
  } finally {
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          child!.kill('SIGKILL');
          resolve();
        }, 5000);
        child!.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        if (child!.connected) child!.send('stop');
      });
    }
    await mongo.stop();
  }
}

/** Offline then online measurements. */
export async function run(): Promise<BenchResult[]> {
  return [...measureOffline(), ...(await measureOnline())];
}

if (process.argv.includes(SERVE_FLAG)) {
  serve().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
