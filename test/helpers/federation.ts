import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startMocks, type Mocks } from '@eid/mock';
import { manualClock, systemClock } from '@eid/bff/infra/clock';
import { devFederationKeys } from '@eid/bff/infra/keystore';
import {
  DEV_ROOT_PUBLIC_KEY,
  LOG_ORIGIN,
  NAMES,
  nationalProvinces,
  pinnedSettings,
  writeNodeConfig,
} from '../../scripts/lib/federation-nodes';
import { spawnBff, type BffProcess } from './bff-process';
import { client, type CallOptions, type Reply } from './http';
import { DEV_STAFF, type Stack } from './stack';

export { DEV_ROOT_PUBLIC_KEY, LOG_ORIGIN, NAMES, pinnedSettings };
/** The national operator's bearer secret in these runs (32+ characters). */
export const OPERATOR_TOKEN = 'federation-test-operator-token-0123456789';

/** One node of the federation: a BFF process of its own, with its own database, stand-ins and config file. */
export interface FederationNode {
  /** `national` or a province code. */
  who: string;
  port: number;
  url: string;
  dbName: string;
  configFile: string;
  /** The node's settings as written to its config file. */
  settings: Record<string, string | number>;
  /** The province's own stand-ins (absent for the national). */
  mocks?: Mocks;
  api: ReturnType<typeof client>;
  /** The running process (undefined while killed). */
  process: BffProcess | undefined;
}

export interface Federation {
  national: FederationNode | undefined;
  /** The sequence the national published as soon as every province listened (none without a national). */
  firstSequence: number | undefined;
  provinces: Record<string, FederationNode>;
  nodes: FederationNode[];
  /** The national operator's call (Bearer OPERATOR_TOKEN). */
  operator<T = any>(method: string, path: string, options?: CallOptions): Promise<Reply<T>>;
  /** POST /api/v1/national/publish; answers the new sequence. */
  publish(): Promise<number>;
  /** Waits until the node's federation state shows `sequence` or later; answers the state. */
  waitForList(node: FederationNode, sequence: number, timeoutMs?: number): Promise<any>;
  /** Waits until `check` answers true (polled), or fails naming `what`. */
  until(what: string, check: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  /** SIGKILL: the node dies without draining, as a crash. */
  kill(node: FederationNode): Promise<void>;
  /** Starts the node again with the same port, database and config file. */
  restart(node: FederationNode): Promise<void>;
  stop(): Promise<void>;
}

export interface FederationOptions {
  provinces?: string[];
  /**
   * Where each province fetches the national bundle. Unset: the national node is started as a process too;
   * set (e.g. stand-ins of a lying national): no national process.
   */
  nationalUrlOf?: (province: string) => string;
  /** Reserved ports of the provinces, when the caller needs the URLs before starting (its own lists). */
  ports?: Record<string, number>;
  /** Extra settings for every province. */
  provinceSettings?: Record<string, string | number>;
}

// Node ports are named in lists and config files before the processes start, so they are reserved by a
// bind-and-release; a port the kernel hands out for port 0 in that gap (another jest worker's server, a
// client's source port) would then take it. Ports below the ephemeral range (32768-60999 on Linux) are never
// handed out for port 0, and each jest worker draws from its own thousand, so the gap is safe.
const handedOut = new Set<number>();
const WORKER_BASE = 20_000 + ((Number(process.env.JEST_WORKER_ID ?? '1') - 1) % 12) * 1000;

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free local port outside the ephemeral range, so the node can be named (in lists, config) before it starts. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = WORKER_BASE + Math.floor(Math.random() * 1000);
    if (handedOut.has(port)) continue;
    if (await bindable(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error("no free port in this worker's range");
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/**
 * Starts a federation as separate OS processes (bff/src/server.ts): the national role (unless
 * `nationalUrlOf` points elsewhere) and one BFF per province, each with its own database, its own stand-ins
 * and its own config file in a temp dir; the environment carries only PATH, HOME, EID_CONFIG_FILE (and the
 * reserved PORT). Refreshes every second, so tests wait on conditions instead of timers.
 */
export async function startFederation(options: FederationOptions = {}): Promise<Federation> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run the suites through jest');
  const codes = options.provinces ?? ['37', '42', '11'];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'eid-federation-'));
  const run = randomBytes(4).toString('hex');
  const nodes: FederationNode[] = [];
  const started: BffProcess[] = [];

  const node = async (who: string, port: number, settings: Record<string, string | number>) => {
    const dbName = `fed_${run}_${who}`;
    const url = `http://127.0.0.1:${port}`;
    const all = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      MONGODB_URI: uri,
      MONGODB_DB: dbName,
      HOST: '127.0.0.1',
      PORT: port,
      PUBLIC_URL: url,
      ...settings,
    };
    const configFile = writeNodeConfig(dir, who, all);
    const n: FederationNode = {
      who,
      port,
      url,
      dbName,
      configFile,
      settings: all,
      api: client(url),
      process: undefined,
    };
    nodes.push(n);
    return n;
  };

  const spawn = async (n: FederationNode) => {
    // PORT in the environment too: spawnBff's PORT=0 would otherwise win over the file.
    n.process = await spawnBff({ EID_CONFIG_FILE: n.configFile, PORT: String(n.port) });
    started.push(n.process);
  };

  const stopAll = async () => {
    // Bounded: a process that has not drained within 10 s is killed.
    await Promise.all(
      nodes.map(async (n) => {
        const p = n.process;
        if (!p) return;
        const timer = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
        await p.stop();
        clearTimeout(timer);
      }),
    );
    await Promise.all(nodes.map((n) => n.mocks?.stop()));
    const mongo = await new MongoClient(uri).connect();
    try {
      await Promise.all(nodes.map((n) => mongo.db(n.dbName).dropDatabase()));
    } finally {
      await mongo.close();
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const ports: Record<string, number> = {};
    for (const p of codes) ports[p] = options.ports?.[p] ?? (await freePort());
    const nationalPort = options.nationalUrlOf ? undefined : await freePort();
    const nationalUrl = nationalPort ? `http://127.0.0.1:${nationalPort}` : undefined;

    const provinces: Record<string, FederationNode> = {};
    for (const p of codes) {
      const mocks = await startMocks({ clock: manualClock(Date.now()), faceHangMs: 2000 });
      const n = await node(p, ports[p]!, {
        PROVINCE_CODE: p,
        FEDERATION_PROVINCE_NAME: NAMES[p] ?? p,
        SUPERAPP_URL: mocks.superapp.url,
        REGISTRY_URL: mocks.registry.url,
        FACE_URL: mocks.face.url,
        LICENCE_SYSTEM_URL: mocks.licence.url,
        UPSTREAM_TIMEOUT_MS: 800,
        STAFF_DEV_ACCOUNT: `${DEV_STAFF.username}:${DEV_STAFF.password}:officer:${NAMES[p] ?? p} 窗口 1`,
        FEDERATION_NATIONAL_URL: options.nationalUrlOf?.(p) ?? nationalUrl!,
        ...pinnedSettings(),
        FEDERATION_REFRESH_S: 1,
        FEDERATION_TIMEOUT_MS: 500,
        ...options.provinceSettings,
      });
      n.mocks = mocks;
      provinces[p] = n;
    }
    let national: FederationNode | undefined;
    if (nationalPort)
      national = await node('national', nationalPort, {
        NODE_ROLE: 'national',
        NATIONAL_OPERATOR_TOKEN: OPERATOR_TOKEN,
        NATIONAL_PROVINCES: nationalProvinces(Object.fromEntries(codes.map((p) => [p, provinces[p]!.url]))),
        NATIONAL_REPUBLISH_S: 0,
        FEDERATION_TIMEOUT_MS: 1000,
      });
    // The national first: provinces that refresh against a national not yet listening open their circuit
    // to it. It publishes only when asked (NATIONAL_REPUBLISH_S 0), so it needs no witnesses yet.
    if (national) await spawn(national);
    await Promise.all(codes.map((p) => spawn(provinces[p]!)));
    // A first list at once: until then every refresh is a refusal, and five in a row open the provinces'
    // circuit to the national for 30 s.
    let firstSequence: number | undefined;
    if (national) {
      const res = await national.api('POST', '/api/v1/national/publish', { body: {}, token: OPERATOR_TOKEN });
      if (res.status !== 200)
        throw new Error(`first publish answered ${res.status} ${JSON.stringify(res.body)}`);
      firstSequence = res.body.sequence;
    }

    const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (await check().catch(() => false)) return;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    const operator = <T = any>(method: string, p: string, callOptions: CallOptions = {}) => {
      if (!national) throw new Error('no national process in this federation');
      return national.api<T>(method, p, { ...callOptions, token: OPERATOR_TOKEN });
    };

    return {
      national,
      firstSequence,
      provinces,
      nodes,
      operator,
      async publish() {
        const res = await operator('POST', '/api/v1/national/publish', { body: {} });
        if (res.status !== 200 && res.status !== 201)
          throw new Error(`publish answered ${res.status} ${JSON.stringify(res.body)}`);
        return res.body.sequence as number;
      },
      async waitForList(n, sequence, timeoutMs) {
        let state: any;
        await until(
          `${n.who} to accept list ${sequence}`,
          async () => {
            const res = await n.api('GET', '/api/v1/federation/state');
            state = res.body;
            return res.status === 200 && (state.sequence ?? 0) >= sequence;
          },
          timeoutMs,
        );
        return state;
      },
      until,
      async kill(n) {
        const p = n.process;
        n.process = undefined;
        if (!p) return;
        p.child.kill('SIGKILL');
        await p.stop();
      },
      async restart(n) {
        if (n.process) await n.process.stop();
        await spawn(n);
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
}

/** The development issuer kid of a province (dev-37-1). */
export const devIssuerKid = (province: string) => devFederationKeys(province).issuerKid;
export const devNodePublicKey = (province: string) => b64url(devFederationKeys(province).nodePublicKey);

/**
 * A node process as the stack-taking helpers (card-flow, identity, document-call) need it: its API, its
 * stand-ins and its URL, on the wall clock the process runs on. Nothing else of a Stack is there.
 */
export const stackOf = (node: FederationNode): Stack =>
  ({ api: node.api, mocks: node.mocks!, clock: systemClock, url: node.url }) as unknown as Stack;
