/**
 * Callback deliveries per second: N `verification.completed` events queued for a party whose callback URL is
 * a local receiver (http://127.0.0.1, allow-listed by CALLBACK_ALLOW_HOSTS), delivered by the outbox worker
 * (`runDue` in a loop, what the background timer calls; topic `webhook`, 8 at a time: signed v1 and v1a per
 * attempt, sent through the SSRF-safe sender, each attempt recorded) until the receiver acknowledged all.
 * Beside it, in the same run: a bare loop POSTing the very bodies with the very headers the receiver got from
 * the BFF (captured), to the same receiver, 8 at a time, over node:http keep-alive.
 * The BFF and the bare loop run in a forked server process (this file with SERVE_FLAG), the receiver here,
 * the database in its own process; the turns go ABBA.
 */
import type { ChildProcess } from 'node:child_process';
import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import { cpus } from 'node:os';
import { processCpu } from '../card/load';
import { benchDatabase, forkBenchServer, serverReady, stopForkedServer } from '../forked';
import { scaled } from '../options';
import type { BenchResult } from '../types';
import { ask, controlled, originOf } from './child';

export const SERVE_FLAG = '--rp-callback-bench-serve';
/** Events per measured turn. */
const EVENTS = scaled(1000, 600);
const WARMUP_EVENTS = scaled(200, 100);
/** The webhook topic's concurrency (callbacks.service.ts), and the bare loop's. */
const CONCURRENCY = 8;

/** One callback as the receiver got it: what the bare loop sends again. */
interface Captured {
  headers: Record<string, string>;
  body: string;
}

/** A timed turn in the server process: seconds of wall time and its CPU (µs). */
interface Turn {
  seconds: number;
  cpuMicros: number;
  sent: number;
}

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** Server-process side: the BFF (frozen clock, callbacks to 127.0.0.1 allowed), answering the turns. */
async function serve(): Promise<void> {
  const { startStack } = await import('../../test/helpers/stack');
  const { registerParty } = await import('../../test/helpers/party');
  const stack = await startStack({ env: { LOG_LEVEL: 'warn', CALLBACK_ALLOW_HOSTS: '127.0.0.1' } });
  let partyId = '';
  let made = 0;

  /** Queues `n` events (not timed), then runs the outbox until all of them were delivered. */
  async function deliver(n: number): Promise<Turn> {
    for (let i = 0; i < n; i += 100)
      await Promise.all(
        Array.from({ length: Math.min(100, n - i) }, () =>
          stack.services.callbacks.enqueue(partyId, {
            type: 'verification.completed',
            data: {
              verdict: 'valid',
              purpose: 'hotel_check_in',
              subject: stack.deps.keys.pairwiseSubject(partyId, `resident-${made++}`),
            },
          }),
        ),
      );
    const cpu = cpuNow();
    const start = performance.now();
    let delivered = 0;
    for (let idle = 0; delivered < n;) {
      const ran = await stack.services.outbox.runDue(n - delivered);
      delivered += ran;
      // A failed attempt waits 5 s on the frozen clock, i.e. for ever: say so rather than spin.
      if (ran === 0 && ++idle > 20) throw new Error(`outbox delivered ${delivered} of ${n}, then nothing`);
    }
    return { seconds: (performance.now() - start) / 1000, cpuMicros: cpuNow() - cpu, sent: delivered };
  }

  /** POSTs `requests` to `url`, `CONCURRENCY` at a time over keep-alive connections, each once. */
  async function bare(url: string, requests: Captured[]): Promise<Turn> {
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const post = ({ headers, body }: Captured) =>
      new Promise<void>((resolve, reject) => {
        const req = request(url, { method: 'POST', headers, agent }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${res.statusCode}`))));
        });
        req.on('error', reject);
        req.end(body);
      });
    const cpu = cpuNow();
    const start = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) await post(requests[next++]!);
      }),
    );
    const turn = { seconds: (performance.now() - start) / 1000, cpuMicros: cpuNow() - cpu, sent: next };
    agent.destroy();
    return turn;
  }

  process.send!({ ready: true });
  controlled(
    async (question) => {
      if (typeof question.register === 'string') {
        const hotel = await registerParty(stack, { callbackUrl: question.register });
        partyId = hotel.party.id;
        return { partyId };
      }
      if (typeof question.deliver === 'number') return deliver(question.deliver);
      if (typeof question.bare === 'string') return bare(question.bare, question.requests as Captured[]);
      throw new Error(`unknown question ${JSON.stringify(Object.keys(question))}`);
    },
    () => stack.stop(),
  );
}

/** The party's endpoint: answers 200 at once, counts, and keeps the requests while `capture` is on. */
async function startReceiver() {
  const state = { count: 0, capture: false, captured: [] as Captured[] };
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.count++;
      if (state.capture) {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers))
          // The connection's own fields are the sender's business; everything else goes again as it came.
          if (name !== 'host' && name !== 'connection' && typeof value === 'string') headers[name] = value;
        state.captured.push({ headers, body: Buffer.concat(chunks).toString('utf8') });
      }
      res.writeHead(200, { 'content-length': '0' });
      res.end();
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { state, url: `${originOf(server)}/hook`, server };
}

/** Deliveries per second through the outbox against the bare keep-alive loop, with CPU per delivery. */
export async function measureCallbacks(): Promise<BenchResult[]> {
  const mongo = await benchDatabase();
  const receiver = await startReceiver();
  let child: ChildProcess | undefined;
  try {
    child = forkBenchServer(__filename, SERVE_FLAG, mongo.uri);
    await serverReady(child);
    await ask(child, { register: receiver.url });
    const totals = {
      ours: { sent: 0, seconds: 0, server: 0, db: 0 },
      bare: { sent: 0, seconds: 0, server: 0, db: 0 },
    };
    /** One measured turn; with `keep`, the receiver keeps what it got (for the bare loop to send again). */
    const turn = async (side: 'ours' | 'bare', question: Record<string, unknown>, keep = false) => {
      const before = { received: receiver.state.count, db: processCpu(mongo.pid) };
      receiver.state.capture = keep;
      receiver.state.captured = [];
      const t = await ask<Turn>(child!, question);
      receiver.state.capture = false;
      const received = receiver.state.count - before.received;
      if (received !== t.sent || t.sent === 0)
        throw new Error(`bench callbacks ${side}: ${t.sent} sent, ${received} received`);
      totals[side].sent += t.sent;
      totals[side].seconds += t.seconds;
      totals[side].server += t.cpuMicros;
      totals[side].db += processCpu(mongo.pid) - before.db;
      return receiver.state.captured;
    };

    // Warm-up of both sides (not counted), then AB BA; the bare loop sends what the first turn delivered.
    const warm = await turn('ours', { deliver: WARMUP_EVENTS }, true);
    await turn('bare', { bare: receiver.url, requests: warm });
    totals.ours = { sent: 0, seconds: 0, server: 0, db: 0 };
    totals.bare = { sent: 0, seconds: 0, server: 0, db: 0 };
    const requests = await turn('ours', { deliver: EVENTS }, true);
    if (requests.length !== EVENTS)
      throw new Error(`bench callbacks: ${requests.length} of ${EVENTS} received`);
    await turn('bare', { bare: receiver.url, requests });
    await turn('bare', { bare: receiver.url, requests });
    await turn('ours', { deliver: EVENTS });

    const rate = (side: 'ours' | 'bare') => totals[side].sent / totals[side].seconds;
    const per = (side: 'ours' | 'bare') =>
      `${Math.round(totals[side].server / totals[side].sent)} + ${Math.round(totals[side].db / totals[side].sent)} µs`;
    process.stdout.write(
      `   callbacks: ${EVENTS} events a turn, AB BA; the outbox worker (runDue in a loop, ${CONCURRENCY} at a time)\n` +
        `           and the bare loop in one forked process, the receiver (200 at once) in the bench process,\n` +
        `           the database in its own; ${cpus().length} CPUs\n` +
        `   CPU per delivery (server + database): outbox ${per('ours')}; bare loop ${per('bare')}\n`,
    );
    const opsPerSec = rate('ours');
    const referenceOpsPerSec = rate('bare');
    return [
      {
        name: `callback deliveries (${CONCURRENCY} at a time, /s)`,
        opsPerSec,
        reference: 'bare node:http keep-alive POST loop, same bodies and headers',
        referenceOpsPerSec,
        ratio: opsPerSec / referenceOpsPerSec,
      },
    ];
  } finally {
    await stopForkedServer(child);
    receiver.server.close();
    receiver.server.closeAllConnections();
    await mongo.stop();
  }
}

if (process.argv.includes(SERVE_FLAG)) {
  serve().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
