/**
 * `POST /api/v1/rp/verify` under load (50 connections, autocannon) beside its floor (floor.ts), in a forked
 * server process (this file with SERVE_FLAG: the BFF with stand-ins and a frozen clock, residents with cards,
 * a registered hotel, the floor server) so that the load generator does not share an event loop with what
 * it measures; the database (mock/src/mongo) in its own process.
 * Every request is signed before the runs (RFC 9421 by shared signRequest, node:crypto Ed25519): its own
 * nonce, `created` spread over the last four minutes, its own v2 hotel code of one of many residents, used
 * once. The pools are topped up between runs from the rate seen in the warm-up, so no signing happens
 * while a server is measured.
 */
import type { ChildProcess } from 'node:child_process';
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { cpus } from 'node:os';
import type { Server } from 'node:http';
import {
  base64urlDecode,
  base64urlEncode,
  buildCodeV2,
  createCredentialCache,
  decodeHolderSecrets,
  encodeHolderSecrets,
  findPurpose,
  signRequest,
  trustListOf,
} from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '../../bff/src/infra/ed25519';
import { codeSigner } from '../card/common';
import {
  autocannon,
  combine,
  CONNECTIONS,
  processCpu,
  profiling,
  serverCpu,
  type AutocannonResult,
} from '../card/load';
import { benchDatabase, forkBenchServer, serverReady, stopForkedServer } from '../forked';
import { scaled } from '../options';
import type { BenchResult } from '../types';
import {
  ask,
  commandsPerRequest,
  controlled,
  countCommands,
  monitorCommandsIfAsked,
  originOf,
} from './child';
import { rpFloorServer } from './floor';

export const SERVE_FLAG = '--rp-verify-bench-serve';
const PURPOSE = 'hotel_check_in';
const HOLDERS = 32;
const DURATION_S = scaled(4, 2);
// Long enough for V8 to optimise the endpoint's many functions; the floor has few.
const WARMUP_S = scaled(2, 1);
/** Signed requests made before the warm-up, per server; the measured runs' pools follow its rate. */
const FIRST_POOL = scaled(5000, 2500);

interface ServerInfo {
  bffUrl: string;
  floorUrl: string;
  partyId: string;
  kid: string;
  /** The party's Ed25519 private key, PKCS#8 DER, base64. */
  privateKey: string;
  /** base64url of each resident's v2 credential, device secret key and holder secrets (encodeHolderSecrets). */
  holders: { credential: string; deviceSecretKey: string; secrets: string }[];
  now: number;
}

/** Server-process side: the BFF, residents with cards, a hotel registered with room to spare, the floor. */
async function serve(): Promise<void> {
  const { startStack } = await import('../../test/helpers/stack');
  const { holderWithCard } = await import('../../test/helpers/card-flow');
  const { registerParty } = await import('../../test/helpers/party');
  const { trustedIssuersOf } = await import('../../bff/src/modules/trust/trust.service');
  monitorCommandsIfAsked();
  const stack = await startStack({ env: { LOG_LEVEL: 'warn' } });
  const commands = countCommands(stack.deps.db.getClient());
  // Many residents, as at a hotel desk: one resident's usage trace is a hash chain appended in order.
  const holders = [];
  for (let i = 0; i < HOLDERS; i += 8)
    holders.push(
      ...(await Promise.all(Array.from({ length: Math.min(8, HOLDERS - i) }, () => holderWithCard(stack)))),
    );
  // The default test hotel (check-in, result and name with masked number) with limits no run reaches: the
  // counters are still written on every request.
  const hotel = await registerParty(stack, { limits: { perMinute: 1_000_000, perDay: 100_000_000 } });
  const inspect = {
    trustList: trustListOf(trustedIssuersOf(stack.deps.keys)),
    clock: stack.clock,
    ed25519: createNodeEd25519(),
    sha256: nodeSha256,
    cache: createCredentialCache(),
  };
  const floor: Server = await rpFloorServer(stack.deps, inspect, {
    id: hotel.party.id,
    kid: hotel.kid,
    publicKey: base64urlDecode(hotel.publicKey),
  });
  const info: ServerInfo = {
    bffUrl: stack.url,
    floorUrl: originOf(floor),
    partyId: hotel.party.id,
    kid: hotel.kid,
    privateKey: hotel.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    holders: holders.map((h) => ({
      credential: base64urlEncode(h.credential),
      deviceSecretKey: base64urlEncode(h.device.keys.secretKey),
      secrets: base64urlEncode(encodeHolderSecrets(h.secrets)),
    })),
    now: stack.clock.now(),
  };
  process.send!(info);
  controlled(commands, async () => {
    floor.close();
    floor.closeAllConnections();
    await stack.stop();
  });
}

interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

/** Signed requests to one URL, each handed out once; `short` once one was asked for after the last. */
class Pool {
  private next = 0;
  readonly list: SignedRequest[] = [];
  short = false;
  constructor(
    readonly url: string,
    private readonly make: (url: string) => SignedRequest,
  ) {}
  /** Makes more until `count` are left unused. */
  fill(count: number): void {
    while (this.list.length - this.next < count) this.list.push(this.make(this.url));
  }
  take(): SignedRequest {
    if (this.next === this.list.length) {
      // Sent again it is refused (nonce reused): counted as non-2xx, and the run is thrown away below.
      this.short = true;
      return this.list[this.list.length - 1]!;
    }
    return this.list[this.next++]!;
  }
}

function load(pool: Pool, seconds: number): Promise<AutocannonResult> {
  const { origin, pathname } = new URL(pool.url);
  return autocannon({
    url: origin,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: pathname,
        setupRequest: (req) => ({ ...req, ...pool.take() }),
      },
    ],
  });
}

interface Target {
  name: 'endpoint' | 'floor';
  pool: Pool;
  spent: { server: number; db: number };
  runs: AutocannonResult[];
  /** Database commands by name and collection during the measured runs (BENCH_COMMANDS=1). */
  commands: Map<string, number>;
}

/** Requests per second, p99 and CPU per request of the endpoint and of its floor, 50 connections each. */
export async function measureRpVerify(): Promise<BenchResult[]> {
  const mongo = await benchDatabase();
  // BENCH_CPU_PROF=<dir> writes a CPU profile of the server process per measured run there.
  const profileDir = process.env.BENCH_CPU_PROF;
  let child: ChildProcess | undefined;
  try {
    child = forkBenchServer(__filename, SERVE_FLAG, mongo.uri);
    const info = await serverReady<ServerInfo>(child);
    const privateKey: KeyObject = createPrivateKey({
      key: Buffer.from(info.privateKey, 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    const holders = info.holders.map((h) => ({
      credential: base64urlDecode(h.credential),
      deviceSecretKey: base64urlDecode(h.deviceSecretKey),
      secrets: decodeHolderSecrets(base64urlDecode(h.secrets)),
    }));
    const purpose = findPurpose(PURPOSE)!;
    const ed = codeSigner;
    const nowS = Math.floor(info.now / 1000);
    let made = 0;
    // A v2 hotel code of the next resident in turn, in a body signed for `url` with a fresh nonce.
    const make = (url: string): SignedRequest => {
      const i = made++;
      const code = buildCodeV2({
        ...holders[i % holders.length]!,
        disclose: purpose.claims,
        purposeId: purpose.id,
        now: info.now,
        ed25519: ed,
        sha256: nodeSha256,
      });
      const body = JSON.stringify({ code, purpose: PURPOSE });
      const headers = { 'content-type': 'application/json' };
      return {
        body,
        headers: {
          ...headers,
          ...signRequest({
            method: 'POST',
            url,
            headers,
            body: Buffer.from(body),
            keyId: info.kid,
            sign: (m) => new Uint8Array(sign(null, m, privateKey)),
            // Within the five minutes either way of the frozen clock, one of 240 seconds.
            created: nowS - (i % 240),
            sha256: nodeSha256,
          }),
        },
      };
    };

    const endpoint = new Pool(`${info.bffUrl}/api/v1/rp/verify`, make);
    const check = await fetch(endpoint.url, { method: 'POST', ...(endpoint.fill(1), endpoint.take()) }).then(
      (r) => r.json() as Promise<{ verdict: string; subject?: string; code?: string }>,
    );
    if (check.verdict !== 'valid' || !check.subject) throw new Error(`bench setup: ${JSON.stringify(check)}`);
    const targets: Target[] = [
      { name: 'endpoint' as const, pool: endpoint },
      { name: 'floor' as const, pool: new Pool(`${info.floorUrl}/`, make) },
    ]
      // BENCH_TARGETS=endpoint measures only that one (for profiling it).
      .filter((t) => !process.env.BENCH_TARGETS || process.env.BENCH_TARGETS.split(',').includes(t.name))
      .map((t) => ({ ...t, spent: { server: 0, db: 0 }, runs: [], commands: new Map() }));

    for (const t of targets) t.pool.fill(FIRST_POOL);
    const warm = new Map<Target, number>();
    for (const t of targets) {
      const r = await load(t.pool, WARMUP_S);
      if (t.pool.short || r.non2xx + r.errors > 0)
        throw new Error(`bench warm-up ${t.name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
      warm.set(t, r.requests.average);
    }
    let profiles = 0;
    const counting = Boolean(process.env.BENCH_COMMANDS);
    const measure = async (target: Target, seconds: number) => {
      // Room for twice the warm-up rate: the pools are made now, not while a server is measured.
      target.pool.fill(Math.ceil(warm.get(target)! * seconds * 2) + 500);
      if (profileDir) await profiling(child!, 'start', profileDir);
      if (counting) await ask(child!, { commands: 'read' });
      const before = { server: await serverCpu(child!), db: processCpu(mongo.pid) };
      target.runs.push(await load(target.pool, seconds));
      target.spent.server += (await serverCpu(child!)) - before.server;
      target.spent.db += processCpu(mongo.pid) - before.db;
      if (counting)
        for (const [k, n] of Object.entries(await ask<Record<string, number>>(child!, { commands: 'read' })))
          target.commands.set(k, (target.commands.get(k) ?? 0) + n);
      if (profileDir) await profiling(child!, `${++profiles}-rp-${target.name}`, profileDir);
    };
    // AB BA: the database grows as the runs go, so each server gets an early and a late turn.
    for (const target of [...targets, ...[...targets].reverse()]) await measure(target, DURATION_S / 2);

    const results = new Map(
      targets.map((t) => {
        const r = combine(t.runs[0]!, t.runs[1]!);
        if (t.pool.short) throw new Error(`bench ${t.name}: ran out of signed requests`);
        if (r.non2xx + r.errors + r.timeouts > 0)
          throw new Error(`bench ${t.name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
        return [t.name, r];
      }),
    );
    const perRequest = (t: Target) => {
      const total = results.get(t.name)!.requests.total;
      return `${t.name} ${Math.round(t.spent.server / total)} + ${Math.round(t.spent.db / total)} µs`;
    };
    process.stdout.write(
      `   layout: autocannon in the bench process (requests signed before each run, each sent once); BFF,\n` +
        `           stand-ins and the floor in one forked process; the database (mock/src/mongo) in its own\n` +
        `           ${process.env.BENCH_MONGODB_URI ? '(BENCH_MONGODB_URI) ' : ''}process; ${cpus().length} CPUs\n` +
        `   CPU per request (server + database): ${targets.map(perRequest).join('; ')}\n`,
    );
    for (const t of targets)
      if (t.commands.size > 0)
        process.stdout.write(commandsPerRequest(t.name, t.commands, results.get(t.name)!.requests.total));
    const a = results.get('endpoint');
    const b = results.get('floor');
    if (!a || !b) return [];
    return [
      {
        name: `POST /api/v1/rp/verify (${CONNECTIONS} conn)`,
        opsPerSec: a.requests.average,
        p50Ms: a.latency.p50,
        p99Ms: a.latency.p99,
        reference: 'floor: same signature + code crypto, 1 read + 1 write per group',
        referenceOpsPerSec: b.requests.average,
        referenceP99Ms: b.latency.p99,
        ratio: a.requests.average / b.requests.average,
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
