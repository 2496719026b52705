import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { createUsageRepository } from '@eid/bff/modules/usage/usage.repository';
import { verifyAllChains } from '@eid/bff/modules/usage/verify-all';
import { startStack, type Stack } from '../../test/helpers/stack';
import { holderWithCard, codeOf, type Holder } from '../../test/helpers/card-flow';
import { login } from '../../test/helpers/identity';
import { registerParty, staffToken, type RegisteredParty } from '../../test/helpers/party';
import { CHECK_IN, residentPost } from '../../test/helpers/consent';
import { SIGNIN_GRANTS, RETURN_URI, approveSignIn, startSignIn } from '../../test/helpers/signin';
import {
  approveCall,
  createCall,
  openCall,
  windowStaff,
  type Window,
} from '../../test/helpers/document-call';
import { deskOf, lookUp, type Desk } from '../../test/helpers/oversight';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/helpers/webhook-receiver';

/**
 * The bounded soak of issue 21 §2: mixed traffic against one BFF (in-process, listening on loopback, with
 * the real stand-ins and the database over TCP) for a fixed time, then the invariants counted from the
 * database. `npm run soak` (scripts/soak/cli.ts) and test/load/soak.test.ts run this same code.
 */

export const KINDS = [
  'login',
  'verify',
  'rp_verify',
  'consent',
  'signin',
  'document_call',
  'admin_lookup',
] as const;
export type Kind = (typeof KINDS)[number];

/** How often each kind is picked, relative: verifications dominate, as at a hotel desk at rush hour. */
const WEIGHTS: Record<Kind, number> = {
  login: 10,
  verify: 30,
  rp_verify: 20,
  consent: 12,
  signin: 8,
  document_call: 6,
  admin_lookup: 6,
};

export interface SoakOptions {
  seconds: number;
  /** Flows in flight at once (default 8). */
  concurrency?: number;
  residents?: number;
  parties?: number;
  /** Progress lines (the CLI prints them; the test does not). */
  progress?: (line: string) => void;
}

export interface KindFigures {
  /** Flows of this kind begun, and those that ended as the flow expects. */
  flows: number;
  ok: number;
  /** HTTP requests to the BFF made by these flows, by status class. */
  requests: number;
  status2xx: number;
  status4xx: number;
  status429: number;
  status5xx: number;
  p50Ms: number;
  p99Ms: number;
}

export interface Invariant {
  name: string;
  ok: boolean;
  detail: string;
}

export interface SoakReport {
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  status5xx: number;
  status429: number;
  /** Flows that failed for a reason other than a rate limit (with a sample of the errors). */
  unexpected: number;
  errors: string[];
  kinds: Record<Kind, KindFigures>;
  callbacks: { expected: number; delivered: number; dead: number; receivedDistinct: number };
  invariants: Invariant[];
  ok: boolean;
}

/** Thrown inside a flow when the BFF answered a rate limit: counted apart, not a failure. */
class RateLimited extends Error {}

interface Sample {
  kind: Kind;
  status: number;
  ms: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const round = (n: number) => Math.round(n * 10) / 10;

/** What the flows share: the stack and the actors set up before the clock starts. */
interface World {
  stack: Stack;
  holders: Holder[];
  parties: RegisteredParty[];
  staff: string[];
  windows: Window[];
  desk: Desk;
  /** Request ids of verifications the BFF acknowledged (200 with a verdict): each needs one usage record. */
  acknowledged: string[];
  rpAcknowledged: number;
  consentDecisions: number;
}

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

function pickKind(): Kind {
  const total = KINDS.reduce((s, k) => s + WEIGHTS[k], 0);
  let r = Math.random() * total;
  for (const k of KINDS) {
    r -= WEIGHTS[k];
    if (r < 0) return k;
  }
  return 'verify';
}

/** A reply the flow did not expect: a rate limit is told apart from a real failure. */
function expect(res: { status: number; body: unknown }, status: number, what: string) {
  if (res.status === status) return;
  if (res.status === 429) throw new RateLimited(what);
  throw new Error(`${what} answered ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
}

const requestId = () => `soak-${randomBytes(9).toString('base64url')}`;

const FLOWS: Record<Kind, (w: World) => Promise<void>> = {
  async login(w) {
    // A returning resident opens the mini-program: login through the super-app, then their usage trace.
    const h = pick(w.holders);
    const session = await login(w.stack, h.userKey).catch((err: Error) => {
      if (/ 429 /.test(err.message)) throw new RateLimited('login');
      throw err;
    });
    expect(await w.stack.api('GET', '/api/v1/usage?limit=10', { token: session.accessToken }), 200, 'usage');
  },
  async verify(w) {
    const id = requestId();
    const res = await w.stack.api('POST', '/api/v1/verify', {
      token: pick(w.staff),
      body: { code: codeOf(w.stack, pick(w.holders)), purpose: 'hotel_check_in' },
      headers: { 'x-request-id': id },
    });
    expect(res, 200, 'verify');
    w.acknowledged.push(id);
    if (res.body.verdict !== 'valid') throw new Error(`verify verdict ${res.body.verdict}`);
  },
  async rp_verify(w) {
    const id = requestId();
    const res = await pick(w.parties).signed(
      'POST',
      '/api/v1/rp/verify',
      { code: codeOf(w.stack, pick(w.holders)), purpose: 'hotel_check_in' },
      { headers: { 'x-request-id': id } },
    );
    expect(res, 200, 'rp verify');
    w.acknowledged.push(id);
    w.rpAcknowledged += 1;
    if (res.body.verdict !== 'valid') throw new Error(`rp verify verdict ${res.body.verdict}`);
  },
  async consent(w) {
    const party = pick(w.parties);
    const h = pick(w.holders);
    const created = await party.signed('POST', '/api/v1/rp/consents', CHECK_IN);
    expect(created, 201, 'consent create');
    const opened = await residentPost(w.stack, h, '/open', { requestCode: created.body.requestCode });
    expect(opened, 200, 'consent open');
    // Most approve; some decline: both end in a callback to the party.
    const answer = Math.random() < 0.8 ? 'approve' : 'decline';
    expect(await residentPost(w.stack, h, `/${created.body.id}/${answer}`), 200, `consent ${answer}`);
    w.consentDecisions += 1;
    expect(await party.signed('GET', `/api/v1/rp/consents/${created.body.id}`), 200, 'consent poll');
  },
  async signin(w) {
    const party = pick(w.parties);
    const started = await startSignIn(w.stack, party);
    const { approve } = await approveSignIn(w.stack, pick(w.holders), started.requestCode).catch(
      (err: Error) => {
        if (/ 429 /.test(err.message)) throw new RateLimited('signin open');
        throw err;
      },
    );
    expect(approve, 200, 'signin approve');
  },
  async document_call(w) {
    const win = pick(w.windows);
    const h = pick(w.holders);
    const created = await createCall(w.stack, win);
    expect(created, 201, 'document call create');
    const opened = await openCall(w.stack, h, created.body.requestCode);
    expect(opened, 200, 'document call open');
    expect(await approveCall(w.stack, h, created.body), 200, 'document call approve');
    const read = await w.stack.api('GET', `/api/v1/document-calls/${created.body.id}/documents`, {
      token: win.token,
    });
    expect(read, 200, 'document call read');
  },
  async admin_lookup(w) {
    const res = await lookUp(w.stack, w.desk, pick(w.holders).person.idNumber);
    if (res.status !== 200 && res.status !== 201) expect(res, 200, 'admin lookup');
  },
};

async function setUp(
  stack: Stack,
  options: Required<Pick<SoakOptions, 'residents' | 'parties'>>,
  receiver: WebhookReceiver,
): Promise<World> {
  const holders: Holder[] = [];
  for (let i = 0; i < options.residents; i++) holders.push(await holderWithCard(stack));
  const parties: RegisteredParty[] = [];
  for (let i = 0; i < options.parties; i++)
    parties.push(
      await registerParty(stack, {
        category: 'hotel',
        grants: SIGNIN_GRANTS,
        retentionDays: 30,
        callbackUrl: receiver.url,
        signIn: { redirectUris: [RETURN_URI], level: 1, purpose: 'hotel_check_in' },
      }),
    );
  const staff = [await staffToken(stack, 'officer'), await staffToken(stack, 'officer')];
  const windows = [await windowStaff(stack), await windowStaff(stack)];
  const desk = await deskOf(stack, 'supervisor');
  return {
    stack,
    holders,
    parties,
    staff,
    windows,
    desk,
    acknowledged: [],
    rpAcknowledged: 0,
    consentDecisions: 0,
  };
}

/**
 * Starts a stack of its own (a fresh database on the server MONGODB_URI names, the stand-ins, a webhook
 * receiver that de-duplicates), sets the actors up, runs the mix for `seconds`, lets the outbox drain, and
 * checks the invariants. Stops everything it started before answering.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const progress = options.progress ?? (() => undefined);
  const receiver = await startWebhookReceiver({ dedupe: true });
  const dbName = `soak_${randomBytes(6).toString('hex')}`;
  const stack = await startStack({
    dbName,
    env: {
      CALLBACK_ALLOW_HOSTS: `127.0.0.1:${receiver.port}`,
      // The checkpoint is published by hand below, before and after, to check the audit log.
      AUDIT_CHECKPOINT_INTERVAL_S: '0',
    },
  });
  // The stack's clock is a manual one; the soak runs in real time, so it follows the wall clock.
  const ticker = setInterval(() => stack.clock.set(Date.now()), 20);
  const stopOutbox = stack.services.outbox.start(200);
  const samples: Sample[] = [];
  const flows = Object.fromEntries(KINDS.map((k) => [k, { flows: 0, ok: 0 }])) as Record<
    Kind,
    { flows: number; ok: number }
  >;
  const errors: string[] = [];
  let unexpected = 0;
  const current = new AsyncLocalStorage<Kind>();
  const realFetch = globalThis.fetch;
  try {
    progress(`setting up ${options.residents ?? 6} residents with cards, ${options.parties ?? 4} parties`);
    const world = await setUp(
      stack,
      { residents: options.residents ?? 6, parties: options.parties ?? 4 },
      receiver,
    );
    await stack.services.audit.publishCheckpoint();

    // Every request a flow makes to the BFF is timed and its status kept, whichever helper sends it.
    globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
      const kind = current.getStore();
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!kind || !url.startsWith(stack.url)) return realFetch(input, init);
      const started = performance.now();
      const res = await realFetch(input, init);
      samples.push({ kind, status: res.status, ms: performance.now() - started });
      return res;
    };

    progress(`running the mix for ${options.seconds} s with ${options.concurrency ?? 8} flows at once`);
    const startedAt = performance.now();
    const deadline = startedAt + options.seconds * 1000;
    const worker = async () => {
      while (performance.now() < deadline) {
        const kind = pickKind();
        flows[kind].flows += 1;
        try {
          await current.run(kind, () => FLOWS[kind](world));
          flows[kind].ok += 1;
        } catch (err) {
          if (err instanceof RateLimited) continue;
          unexpected += 1;
          if (errors.length < 10) errors.push(`${kind}: ${(err as Error).message}`);
        }
      }
    };
    let lastLine = performance.now();
    const reporter = setInterval(() => {
      const now = performance.now();
      if (now - lastLine < 10_000) return;
      lastLine = now;
      progress(`${Math.round((now - startedAt) / 1000)} s: ${samples.length} requests`);
    }, 1000);
    await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
    clearInterval(reporter);
    const elapsed = (performance.now() - startedAt) / 1000;
    globalThis.fetch = realFetch;

    progress('traffic stopped; draining the callbacks');
    const mongo = await new MongoClient(process.env.MONGODB_URI!).connect();
    try {
      const db = mongo.db(dbName);
      const drainBy = Date.now() + 30_000;
      while (Date.now() < drainBy && (await db.collection('outbox').countDocuments({ topic: 'webhook' })) > 0)
        await new Promise((r) => setTimeout(r, 200));
      const invariants = await checkInvariants(stack, db, world, receiver);
      await stack.services.audit
        .publishCheckpoint()
        .then(() =>
          invariants.push({
            name: 'audit log of chain heads matches its checkpoints',
            ok: true,
            detail: 'a second checkpoint extended the first',
          }),
        )
        .catch((err: Error) =>
          invariants.push({
            name: 'audit log of chain heads matches its checkpoints',
            ok: false,
            detail: err.message,
          }),
        );
      const behind = stack.logs.some((l) => l.includes('usage heads behind the audit log'));
      invariants.push({
        name: 'no usage chain behind the audit log',
        ok: !behind,
        detail: behind ? 'the checkpoint logged heads behind the audit log' : 'none',
      });
      const status5xx = samples.filter((s) => s.status >= 500).length;
      invariants.unshift({ name: 'zero 5xx', ok: status5xx === 0, detail: `${status5xx} answers of 5xx` });
      invariants.push({
        name: 'every flow ended as expected (429 aside)',
        ok: unexpected === 0,
        detail: `${unexpected} unexpected${errors.length ? `: ${errors.slice(0, 3).join(' | ')}` : ''}`,
      });

      const callbacks = await callbackCounts(db, world, receiver);
      const kinds = Object.fromEntries(
        KINDS.map((k) => {
          const mine = samples.filter((s) => s.kind === k);
          const ms = mine.map((s) => s.ms).sort((x, y) => x - y);
          return [
            k,
            {
              ...flows[k],
              requests: mine.length,
              status2xx: mine.filter((s) => s.status >= 200 && s.status < 300).length,
              status4xx: mine.filter((s) => s.status >= 400 && s.status < 500 && s.status !== 429).length,
              status429: mine.filter((s) => s.status === 429).length,
              status5xx: mine.filter((s) => s.status >= 500).length,
              p50Ms: round(percentile(ms, 50)),
              p99Ms: round(percentile(ms, 99)),
            },
          ];
        }),
      ) as Record<Kind, KindFigures>;
      return {
        seconds: round(elapsed),
        requests: samples.length,
        requestsPerSecond: round(samples.length / elapsed),
        status5xx,
        status429: samples.filter((s) => s.status === 429).length,
        unexpected,
        errors,
        kinds,
        callbacks,
        invariants,
        ok: invariants.every((i) => i.ok),
      };
    } finally {
      await mongo.close();
    }
  } finally {
    globalThis.fetch = realFetch;
    clearInterval(ticker);
    await stopOutbox();
    await stack.stop();
    await receiver.close();
  }
}

async function callbackCounts(db: ReturnType<MongoClient['db']>, world: World, receiver: WebhookReceiver) {
  const delivered = await db
    .collection('callback_attempts')
    .distinct('key', { status: { $gte: 200, $lt: 300 } });
  return {
    expected: world.rpAcknowledged + world.consentDecisions,
    delivered: delivered.length,
    dead: await db.collection('outbox_dead').countDocuments({ topic: 'webhook' }),
    receivedDistinct: new Set(receiver.handled).size,
  };
}

/** The invariants of §2, read from the database with the driver (and the chains with the BFF's checker). */
async function checkInvariants(
  stack: Stack,
  db: ReturnType<MongoClient['db']>,
  world: World,
  receiver: WebhookReceiver,
): Promise<Invariant[]> {
  const out: Invariant[] = [];

  const perRequest = await db
    .collection('usage_events')
    .aggregate<{ _id: string; n: number }>([
      { $match: { requestId: { $in: world.acknowledged }, action: 'card.verify' } },
      { $group: { _id: '$requestId', n: { $sum: 1 } } },
    ])
    .toArray();
  const counted = new Map(perRequest.map((r) => [r._id, r.n]));
  const missing = world.acknowledged.filter((id) => !counted.has(id)).length;
  const doubled = perRequest.filter((r) => r.n !== 1).length;
  out.push({
    name: 'every acknowledged verification has exactly one usage record',
    ok: missing === 0 && doubled === 0,
    detail: `${world.acknowledged.length} acknowledged, ${missing} without a record, ${doubled} with more than one`,
  });

  const waiting = await db.collection('outbox').countDocuments({ topic: 'webhook' });
  const attempts = db.collection('callback_attempts');
  const delivered = new Set(await attempts.distinct('key', { status: { $gte: 200, $lt: 300 } }));
  const deadKeys = new Set(await db.collection('outbox_dead').distinct('key', { topic: 'webhook' }));
  const attempted: string[] = await attempts.distinct('key');
  const limbo = attempted.filter((k) => !delivered.has(k) && !deadKeys.has(k));
  const expected = world.rpAcknowledged + world.consentDecisions;
  const accounted = new Set([...delivered, ...deadKeys]).size;
  out.push({
    name: 'every callback event was delivered or is in the dead letters',
    ok: waiting === 0 && limbo.length === 0 && accounted === expected,
    detail: `${expected} events expected (rp verifications + consent answers), ${delivered.size} delivered, ${deadKeys.size} dead, ${waiting} still waiting, ${limbo.length} attempted but neither`,
  });
  const distinct = new Set(receiver.handled).size;
  out.push({
    name: 'the de-duplicating receiver saw each delivered event once',
    ok: distinct === delivered.size && receiver.handled.length === distinct,
    detail: `${distinct} distinct webhook ids, ${receiver.requests.length} requests received`,
  });

  const report = await verifyAllChains(createUsageRepository(stack.deps.db), stack.deps.keys);
  out.push({
    name: 'every usage chain verifies',
    ok: report.broken.length === 0 && report.chains >= world.holders.length,
    detail: `${report.chains} chains, ${report.events} intact events, ${report.broken.length} broken`,
  });
  return out;
}

/** The report as the lines the CLI prints. */
export function formatReport(r: SoakReport): string[] {
  const lines = [
    `soak: ${r.requests} requests in ${r.seconds} s = ${r.requestsPerSecond} req/s; 5xx ${r.status5xx}, 429 ${r.status429}, unexpected flows ${r.unexpected}`,
    'kind            flows     ok  requests   2xx   4xx   429   5xx   p50 ms   p99 ms',
  ];
  for (const k of KINDS) {
    const f = r.kinds[k];
    lines.push(
      `${k.padEnd(14)} ${String(f.flows).padStart(6)} ${String(f.ok).padStart(6)} ${String(f.requests).padStart(9)} ${String(f.status2xx).padStart(5)} ${String(f.status4xx).padStart(5)} ${String(f.status429).padStart(5)} ${String(f.status5xx).padStart(5)} ${String(f.p50Ms).padStart(8)} ${String(f.p99Ms).padStart(8)}`,
    );
  }
  lines.push(
    `callbacks: ${r.callbacks.expected} expected, ${r.callbacks.delivered} delivered, ${r.callbacks.dead} dead, ${r.callbacks.receivedDistinct} distinct at the receiver`,
  );
  for (const i of r.invariants) lines.push(`${i.ok ? 'OK  ' : 'FAIL'} ${i.name}: ${i.detail}`);
  for (const e of r.errors) lines.push(`  error: ${e}`);
  lines.push(r.ok ? 'SOAK PASSED' : 'SOAK FAILED');
  return lines;
}
