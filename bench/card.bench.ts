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
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import {
  base64urlDecode,
  base64urlEncode,
  buildCode,
  codeSigningInput,
  createCredentialCache,
  emptyStatusBits,
  inspectCode,
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
import { createServices, type AppDeps } from '../bff/src/app';
import { createStaffRepository } from '../bff/src/modules/staff/staff.repository';
import type { BenchResult } from './types';

const SERVE_FLAG = '--card-bench-serve';
const CONNECTIONS = 50;
const DURATION_S = 4;
const WARMUP_S = 1;
const OFFLINE_ROUNDS = 7;
const OFFLINE_BATCH = 3000;
const PURPOSE = 'hotel_check_in';
const HOLDERS = 32;
const CODES = 30_000;
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
  bareUrl: string;
  servicesUrl: string;
  staffToken: string;
  holders: { credential: string; deviceSecretKey: string }[];
  now: number;
}

/**
 * A bare node:http server in front of the very services the endpoint uses (token check, staff check,
 * verify service with its database work): what is left between it and the endpoint is the framework.
 */
async function servicesServer(deps: AppDeps): Promise<Server> {
  // A second instance of every service over the same database, as another BFF process would have.
  const { verify } = createServices(deps);
  const { keys } = deps;
  const staffRepo = createStaffRepository(deps.db);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = async () => {
        const claims = keys.verifyToken((req.headers.authorization ?? '').slice(7), 'staff');
        const staff = await staffRepo.byId(claims.sub);
        if (!staff || staff.disabled) throw new Error('staff not active');
        const { code, purpose } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          code: string;
          purpose: string;
        };
        return verify.verify(claims.sub, code, purpose);
      };
      answer().then(
        (body) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
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
  const bare: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { code } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code: string };
      const result = inspectCode(code, inspect, true);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ verdict: result.verdict, checkedAt: result.checkedAt }));
    });
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const services = await servicesServer(stack.deps);
  const address = bare.address();
  const servicesAddress = services.address();
  const info: ServerInfo = {
    bffUrl: stack.url,
    bareUrl: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    servicesUrl: `http://127.0.0.1:${typeof servicesAddress === 'object' && servicesAddress ? servicesAddress.port : 0}`,
    staffToken: token,
    holders: holders.map((h) => ({
      credential: base64urlEncode(h.credential),
      deviceSecretKey: base64urlEncode(h.device.keys.secretKey),
    })),
    now: stack.clock.now(),
  };
  process.send!(info);
  process.on('message', (message) => {
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send!({ cpuMicros: user + system });
      return;
    }
    for (const server of [bare, services]) {
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

async function load(url: string, path: string, token: string | undefined, codes: string[], seconds: number) {
  let next = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ code: codes[next++ % codes.length], purpose: PURPOSE }),
        }),
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
  // BENCH_CPU_PROF=<dir> writes a CPU profile of the server process there (node --cpu-prof).
  const profileDir = process.env.BENCH_CPU_PROF;
  let child: ChildProcess | undefined;
  try {
    child = fork(__filename, [SERVE_FLAG], {
      execArgv: [...process.execArgv, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
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
    const codes = Array.from({ length: CODES }, (_, i) =>
      buildCode({ ...holders[i % holders.length]!, now: info.now, ed25519: ed }),
    );
    const check = await fetch(`${info.bffUrl}/api/v1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${info.staffToken}` },
      body: JSON.stringify({ code: codes.pop(), purpose: PURPOSE }),
    }).then((r) => r.json() as Promise<{ verdict: string }>);
    if (check.verdict !== 'valid') throw new Error(`bench setup: verdict ${check.verdict}`);

    // Separate codes per run: the product and the services reference share one replay cache.
    const half = codes.length / 2;
    const forProduct = codes.slice(0, half);
    const forServices = codes.slice(half);
    // CPU seconds each process spent per request: unlike requests per second, this does not move with
    // whatever else the machine runs at the time, so it shows where the remaining gap is.
    const cpu = { server: 0, db: 0 };
    const spent = { product: { ...cpu }, services: { ...cpu }, reference: { ...cpu } };
    const measured = async (into: typeof cpu, run: () => Promise<AutocannonResult>) => {
      const before = { server: await serverCpu(child!), db: processCpu(mongo.pid) };
      const result = await run();
      into.server += (await serverCpu(child!)) - before.server;
      into.db += processCpu(mongo.pid) - before.db;
      return result;
    };
    const bff = (seconds: number) =>
      measured(spent.product, () =>
        load(info.bffUrl, '/api/v1/verify', info.staffToken, forProduct, seconds),
      );
    const direct = (seconds: number) =>
      measured(spent.services, () => load(info.servicesUrl, '/', info.staffToken, forServices, seconds));
    await load(info.bffUrl, '/api/v1/verify', info.staffToken, forProduct, WARMUP_S);
    await load(info.servicesUrl, '/', info.staffToken, forServices, WARMUP_S);
    // ABBA: the database grows as the runs go, so each side gets an early and a late turn.
    const runs = [
      await bff(DURATION_S / 2),
      await direct(DURATION_S / 2),
      await direct(DURATION_S / 2),
      await bff(DURATION_S / 2),
    ];
    const product = combine(runs[0]!, runs[3]!);
    const services = combine(runs[1]!, runs[2]!);
    await load(info.bareUrl, '/', undefined, codes, WARMUP_S);
    const reference = await measured(spent.reference, () =>
      load(info.bareUrl, '/', undefined, codes, DURATION_S),
    );
    const perRequest = (c: typeof cpu, r: AutocannonResult) =>
      `server ${Math.round(c.server / r.requests.total)} µs + database ${Math.round(c.db / r.requests.total)} µs`;
    process.stdout.write(
      `   layout: autocannon in the bench process; BFF, stand-ins and both bare servers in one forked process;\n` +
        `           the database (mock/src/mongo) in its own process${external ? ' (BENCH_MONGODB_URI)' : ''}; ${cpus().length} CPUs\n` +
        `   CPU per request: endpoint ${perRequest(spent.product, product)}; ` +
        `services ${perRequest(spent.services, services)}; bare ${perRequest(spent.reference, reference)}\n`,
    );
    for (const [name, r] of Object.entries({ product, services, reference })) {
      if (r.non2xx + r.errors + r.timeouts > 0) {
        throw new Error(`bench ${name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
      }
    }
    child.send('stop');
    const name = `POST /api/v1/verify (${CONNECTIONS} conn)`;
    return [
      {
        name,
        opsPerSec: product.requests.average,
        p99Ms: product.latency.p99,
        reference: 'bare node:http, same crypto',
        referenceOpsPerSec: reference.requests.average,
        referenceP99Ms: reference.latency.p99,
        ratio: product.requests.average / reference.requests.average,
      },
      {
        name,
        opsPerSec: product.requests.average,
        p99Ms: product.latency.p99,
        reference: 'bare node:http, same services and database work',
        referenceOpsPerSec: services.requests.average,
        referenceP99Ms: services.latency.p99,
        ratio: product.requests.average / services.requests.average,
      },
    ];
  } finally {
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(
          () => {
            child!.kill('SIGKILL');
            resolve();
          },
          profileDir ? 60_000 : 5000,
        );
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
