/**
 * `npm start -- --federation`: the national role and the provinces 37 (山东省), 42 (湖北省) and 11 (北京市),
 * each a BFF process of its own (bff/src/server.ts) with its own database (a database name of its own on
 * the one database server), its own stand-in systems and its own settings file (EID_CONFIG_FILE, written
 * to `<dataDir>/federation/`). The environment of each process carries only PATH, HOME and EID_CONFIG_FILE:
 * nothing is shared between the nodes but what the protocol sends (docs/federation.md). The national
 * publishes the first list once every province listens, and then every NATIONAL_REPUBLISH_S.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startMocks, type Mocks } from '@eid/mock';
import { NAMES, nationalProvinces, pinnedSettings, writeNodeConfig } from './federation-nodes';

const SERVER = path.resolve(__dirname, '../../bff/src/server.ts');
export const FEDERATION_PROVINCES = ['37', '42', '11'] as const;
/** The development national operator's bearer secret: printed by `npm start`, refused in production. */
export const DEV_OPERATOR_TOKEN = 'DEVELOPMENT-ONLY-national-operator-token';

export interface FederationNodeRun {
  who: string;
  url: string;
  mocks?: Mocks;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface RunningFederation {
  national: FederationNodeRun;
  provinces: Record<string, FederationNodeRun>;
  /** Stops the provinces, then the national, then the stand-ins; each process drains first (10 s at most). */
  stop(): Promise<void>;
}

function spawnNode(who: string, url: string, configFile: string): Promise<FederationNodeRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', EID_CONFIG_FILE: configFile },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 60_000;
    void exited.then(() => reject(new Error(`the ${who} node exited while starting`)));
    const poll = async (): Promise<void> => {
      const ok = await fetch(`${url}/healthz`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return resolve({ who, url, child, stop });
      if (Date.now() > deadline) {
        await stop();
        return reject(new Error(`the ${who} node did not answer /healthz within 60 s`));
      }
      setTimeout(() => void poll(), 200);
    };
    void poll();
  });
}

/** Starts the federation on `basePort` (national) and basePort + province code (provinces). */
export async function startFederationNodes(options: {
  mongoUri: string;
  dataDir: string;
  basePort: number;
  say(message: string): void;
}): Promise<RunningFederation> {
  const dir = path.join(options.dataDir, 'federation');
  mkdirSync(dir, { recursive: true });
  const urlOf = (port: number) => `http://127.0.0.1:${port}`;
  const nationalUrl = urlOf(options.basePort);
  const provinceUrls = Object.fromEntries(
    FEDERATION_PROVINCES.map((p) => [p, urlOf(options.basePort + Number(p))]),
  );
  const common = (who: string, port: number) => ({
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    MONGODB_URI: options.mongoUri,
    MONGODB_DB: `eid_${who}`,
    HOST: '127.0.0.1',
    PORT: port,
    PUBLIC_URL: urlOf(port),
  });
  const started: FederationNodeRun[] = [];
  const allMocks: Mocks[] = [];
  const stop = async () => {
    for (const n of [...started].reverse()) await n.stop();
    await Promise.all(allMocks.map((m) => m.stop()));
  };
  try {
    const national = await spawnNode(
      'national',
      nationalUrl,
      writeNodeConfig(dir, 'national', {
        ...common('national', options.basePort),
        NODE_ROLE: 'national',
        NATIONAL_OPERATOR_TOKEN: DEV_OPERATOR_TOKEN,
        NATIONAL_PROVINCES: nationalProvinces(provinceUrls),
      }),
    );
    started.push(national);
    const provinces: Record<string, FederationNodeRun> = {};
    for (const p of FEDERATION_PROVINCES) {
      const mocks = await startMocks({});
      allMocks.push(mocks);
      const port = options.basePort + Number(p);
      const node = await spawnNode(
        p,
        provinceUrls[p]!,
        writeNodeConfig(dir, p, {
          ...common(p, port),
          PROVINCE_CODE: p,
          FEDERATION_PROVINCE_NAME: NAMES[p] ?? p,
          SUPERAPP_URL: mocks.superapp.url,
          REGISTRY_URL: mocks.registry.url,
          FACE_URL: mocks.face.url,
          LICENCE_SYSTEM_URL: mocks.licence.url,
          FEDERATION_NATIONAL_URL: nationalUrl,
          ...pinnedSettings(FEDERATION_PROVINCES),
          FEDERATION_REFRESH_S: 5,
        }),
      );
      node.mocks = mocks;
      provinces[p] = node;
      started.push(node);
    }
    const res = await fetch(`${nationalUrl}/api/v1/national/publish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${DEV_OPERATOR_TOKEN}` },
      body: '{}',
    });
    if (res.status !== 200) throw new Error(`the first national publication answered ${res.status}`);
    const { sequence } = (await res.json()) as { sequence: number };
    options.say(`national trust list ${sequence} published, cosigned by the provinces' witnesses`);
    // The provinces take it at their next refresh; ask each now so that the pages work at once.
    await Promise.all(
      FEDERATION_PROVINCES.map(async (p) => {
        const deadline = Date.now() + 30_000;
        for (;;) {
          const state = (await fetch(`${provinceUrls[p]}/api/v1/federation/state`)
            .then((r) => r.json())
            .catch(() => ({}))) as { sequence?: number };
          if ((state.sequence ?? 0) >= sequence) return;
          if (Date.now() > deadline) throw new Error(`province ${p} did not take the national list`);
          await new Promise((r) => setTimeout(r, 250));
        }
      }),
    );
    return { national, provinces, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
