import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import {
  base64DecodeStrict,
  createCosigner,
  createWitness,
  openTrustBundle,
  parseCheckpoint,
  parseNote,
  signRequest,
  newSignatureNonce,
  type BundleState,
  type BundleTrust,
  type TrustBundle,
  type WitnessRecord,
} from '@eid/shared';
import { loadConfig, type Config } from '@eid/bff/config';
import { manualClock, type Clock, type ManualClock } from '@eid/bff/infra/clock';
import { connectDatabase } from '@eid/bff/infra/database';
import { createNodeEd25519, nodeSha256 } from '@eid/bff/infra/ed25519';
import { createKeyStore, devFederationKeys, type KeyStore } from '@eid/bff/infra/keystore';
import { createLogger } from '@eid/bff/infra/logger';
import { NODE_REQUEST_TAG } from '@eid/bff/modules/federation/node-signature-profile';
import { createNationalApp, createNationalServices, type NationalServices } from '@eid/bff/national/app';
import { DEV_NATIONAL_OPERATOR_TOKEN, type NationalDeps } from '@eid/bff/national/national.types';
import { client, type CallOptions, type Reply } from './http';

/** The national log's origin (NATIONAL_LOG_ORIGIN's default). */
export const LOG_ORIGIN = 'eid.gov.cn/national-trust-log';

/** The development provinces of the federation tests: Shandong, Hubei, Beijing. */
export const PROVINCES = ['37', '42', '11'] as const;

const keyStores = new Map<string, KeyStore>();
/** The development key store of a province (`37`) or of the national role (`national`). */
export function devKeys(who: string, clock: Clock): KeyStore {
  const key = who;
  let keys = keyStores.get(key);
  if (!keys) {
    const config = loadConfig(
      who === 'national'
        ? { NODE_ENV: 'test', NODE_ROLE: 'national' }
        : { NODE_ENV: 'test', PROVINCE_CODE: who },
    );
    // The clock only judges tokens, which these key stores never verify.
    keys = createKeyStore(config, clock);
    keyStores.set(key, keys);
  }
  return keys;
}

/** What a node pins to accept the development national's bundles: its root, its log, the three witnesses. */
export function devBundleTrust(clock: Clock, quorum = 2): BundleTrust {
  const national = devKeys('national', clock);
  return {
    rootPublicKey: national.trustRootPublicKey(),
    logVerifierKey: national.logVerifierKey(),
    witnessVerifierKeys: PROVINCES.map((p) => devFederationKeys(p).witnessVerifierKey),
    quorum,
    skewMs: 5 * 60_000,
  };
}

/** openTrustBundle through node:crypto (the BFF's Ed25519 and SHA-256): the portable path is far slower. */
export function openBundle(bundle: TrustBundle, trust: BundleTrust, now: number, last?: BundleState) {
  return openTrustBundle(bundle, trust, now, last, createNodeEd25519(), nodeSha256);
}

/**
 * A province's witness and push endpoints as a small real HTTP server: test scaffolding standing in for a
 * province node (bff/src/modules/federation) with the province's development witness key, running the shared
 * witness decision (shared/src/tlog createWitness) and the shared bundle check (openTrustBundle).
 */
export interface WitnessProvince {
  province: string;
  url: string;
  /** `up` answers; `down` answers 503; `hang` never answers (the national's timeout ends it). */
  mode: 'up' | 'down' | 'hang';
  /** Every checkpoint note it was sent, and what it cosigned (its record). */
  submitted: string[];
  record: WitnessRecord | undefined;
  /** Every bundle pushed to it, with its verdict. */
  pushes: { bundle: TrustBundle; accepted: boolean; reason?: string }[];
  /** The bundle state it accepted last (by push). */
  accepted: BundleState | undefined;
  acceptedCheckpoint: string | undefined;
  stop(): Promise<void>;
}

function readJson(req: IncomingMessage): Promise<any> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve(undefined);
      }
    });
  });
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startWitnessProvince(province: string, clock: Clock): Promise<WitnessProvince> {
  const keys = devKeys(province, clock);
  const national = devKeys('national', clock);
  const cosigner = createCosigner(keys.witnessName(), keys.witnessPublicKey(), (m) => keys.signAsWitness(m));
  const witness = createWitness(
    { origin: LOG_ORIGIN, logKeys: [national.logVerifierKey()], cosigner },
    { ed25519: createNodeEd25519(), sha256: nodeSha256 },
  );
  const trust = devBundleTrust(clock);
  let lastNote: { note: string; line: string } | undefined;
  const hanging = new Set<ServerResponse>();

  const state: WitnessProvince = {
    province,
    url: '',
    mode: 'up',
    submitted: [],
    record: undefined,
    pushes: [],
    accepted: undefined,
    acceptedCheckpoint: undefined,
    stop: async () => undefined,
  };

  const server: Server = http.createServer(async (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (state.mode === 'hang') {
      hanging.add(res);
      return;
    }
    if (state.mode === 'down') return answer(res, 503, { code: 'NOT_READY' });
    if (req.method === 'POST' && path === '/api/v1/federation/witness') {
      const body = await readJson(req);
      const note = String(body?.checkpoint ?? '');
      state.submitted.push(note);
      const proof = ((body?.consistency?.hashes ?? []) as string[]).map((h) => base64DecodeStrict(h)!);
      const last = state.record;
      const same =
        last !== undefined &&
        lastNote !== undefined &&
        (() => {
          try {
            const c = parseCheckpoint(parseNote(note).text);
            return c.size === last.size && Buffer.from(c.rootHash).equals(Buffer.from(last.rootHash));
          } catch {
            return false;
          }
        })();
      const decision = witness.decide(
        last,
        same || !last || last.size === 0
          ? { note, proof: [] }
          : { note, proof, oldSize: body?.consistency?.fromSize },
        clock.now(),
      );
      if (!decision.accepted)
        return answer(res, 409, {
          code: 'FEDERATION_INCONSISTENT',
          message: decision.detail,
          details: {
            reason: decision.reason,
            ...(decision.latestSize !== undefined && { latestSize: decision.latestSize }),
          },
        });
      if (same) return answer(res, 200, { cosignature: lastNote!.line, treeSize: last!.size });
      state.record = decision.record;
      lastNote = { note, line: decision.cosignature };
      return answer(res, 200, { cosignature: decision.cosignature, treeSize: decision.record.size });
    }
    if (req.method === 'POST' && path === '/api/v1/federation/trust-push') {
      const bundle = (await readJson(req)) as TrustBundle;
      try {
        const opened = openBundle(bundle, trust, clock.now(), state.accepted);
        state.accepted = opened.state;
        state.acceptedCheckpoint = bundle.checkpoint;
        state.pushes.push({ bundle, accepted: true });
        return answer(res, 200, { province, sequence: opened.state.sequence });
      } catch (err) {
        const reason = String((err as { reason?: unknown }).reason ?? 'unknown');
        state.pushes.push({ bundle, accepted: false, reason });
        return answer(res, 400, { code: 'FEDERATION_BUNDLE_INVALID', details: { reason } });
      }
    }
    if (req.method === 'GET' && path === '/api/v1/federation/checkpoint') {
      if (!state.acceptedCheckpoint) return answer(res, 404, { code: 'FEDERATION_NOT_CONFIGURED' });
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(state.acceptedCheckpoint);
      return;
    }
    answer(res, 404, { code: 'NOT_FOUND' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  state.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  state.stop = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}

export interface National {
  url: string;
  api: ReturnType<typeof client>;
  /** A call with the operator's bearer token. */
  operator<T = any>(method: string, path: string, options?: CallOptions): Promise<Reply<T>>;
  config: Config;
  deps: NationalDeps;
  services: NationalServices;
  clock: ManualClock;
  keys: KeyStore;
  logs: string[];
  /** A second national process over the same database (its own services, lease holder and listener). */
  second(): Promise<{ url: string; services: NationalServices; stop(): Promise<void> }>;
  stop(): Promise<void>;
}

export interface NationalOptions {
  /** The enrolled provinces (NATIONAL_PROVINCES entries): `{ province, url }` takes the development keys. */
  provinces: Record<string, unknown>[];
  env?: Record<string, string>;
  /** The clock to drive it with (the witnesses' too); a new manual one at the current time by default. */
  clock?: ManualClock;
}

async function listen(app: { listen: (...a: any[]) => Server }): Promise<{ server: Server; url: string }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * The national role in-process (bff/src/national/app.ts) on port 0 over a database of its own, with the
 * development national keys, a manual clock and a short witness timeout; nothing starts the republish timer
 * (a test calls services.startBackground when it wants it).
 */
export async function startNational(options: NationalOptions): Promise<National> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run the suites through jest');
  const clock = options.clock ?? manualClock(Date.now());
  const config = loadConfig({
    NODE_ENV: 'test',
    NODE_ROLE: 'national',
    LOG_LEVEL: 'info',
    MONGODB_URI: uri,
    MONGODB_DB: `t_${randomBytes(6).toString('hex')}`,
    NATIONAL_PROVINCES: JSON.stringify(options.provinces),
    FEDERATION_TIMEOUT_MS: '500',
    ...options.env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(line);
      done();
    },
  });
  const logger = createLogger(config.LOG_LEVEL, sink);
  const keys = createKeyStore(config, clock);
  const db = await connectDatabase(config.MONGODB_URI, config.MONGODB_DB);
  const deps: NationalDeps = { config, db, keys, clock, logger };
  const services = createNationalServices(deps);
  const { server, url } = await listen(createNationalApp(deps, services));
  const api = client(url);
  const seconds: (() => Promise<void>)[] = [];
  return {
    url,
    api,
    operator: (method, path, opts = {}) => api(method, path, { token: DEV_NATIONAL_OPERATOR_TOKEN, ...opts }),
    config,
    deps,
    services,
    clock,
    keys,
    logs,
    async second() {
      const otherDb = await connectDatabase(config.MONGODB_URI, config.MONGODB_DB);
      const otherDeps: NationalDeps = { ...deps, db: otherDb };
      const otherServices = createNationalServices(otherDeps);
      const other = await listen(createNationalApp(otherDeps, otherServices));
      const stop = async () => {
        await close(other.server);
        await otherDb.close();
      };
      seconds.push(stop);
      return { url: other.url, services: otherServices, stop };
    },
    async stop() {
      for (const s of seconds) await s().catch(() => undefined);
      await close(server);
      await services.stop();
      await db.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}

/** The NATIONAL_PROVINCES entries of witness stand-ins: development keys, their URLs. */
export const enrolmentOf = (witnesses: readonly WitnessProvince[]) =>
  witnesses.map((w) => ({ province: w.province, url: w.url }));

/**
 * Headers of a key submission signed as a province node signs its requests (RFC 9421, the node profile's
 * tag), with `keys`' node key (the province's development one unless another signer is given).
 */
export function signedSubmission(
  url: string,
  body: unknown,
  signer: { kid: string; sign: (m: Uint8Array) => Uint8Array },
  now: number,
  nonce = newSignatureNonce(),
): { headers: Record<string, string>; raw: string } {
  const raw = JSON.stringify(body);
  const headers = { 'content-type': 'application/json' };
  const signed = signRequest({
    method: 'POST',
    url,
    headers,
    body: new TextEncoder().encode(raw),
    keyId: signer.kid,
    sign: signer.sign,
    created: Math.floor(now / 1000),
    nonce,
    tag: NODE_REQUEST_TAG,
    sha256: nodeSha256,
  });
  return { headers: { ...headers, ...signed }, raw };
}

/** The development node key of `province` as a signer. */
export function devNodeSigner(
  province: string,
  clock: Clock,
): { kid: string; sign: (m: Uint8Array) => Uint8Array } {
  const keys = devKeys(province, clock);
  return { kid: keys.nodeKeys()[0]!.kid, sign: (m) => keys.signAsNode(m).signature };
}
