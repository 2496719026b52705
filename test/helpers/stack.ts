import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { startMocks, type Mocks } from '@eid/mock';
import { createApp, createServices, type AppDeps, type Services } from '@eid/bff/app';
import { loadConfig, type Config } from '@eid/bff/config';
import { manualClock, type Clock, type ManualClock } from '@eid/bff/infra/clock';
import { connectDatabase } from '@eid/bff/infra/database';
import { createKeyStore } from '@eid/bff/infra/keystore';
import { createLogger } from '@eid/bff/infra/logger';
import { createUpstreamClients } from '@eid/bff/infra/upstream/index';
import { client } from './http';

export const DEV_STAFF = { username: 'staff01', password: 'dev-staff-password-01' };

export interface Stack {
  /** `http://127.0.0.1:PORT` of the BFF. */
  url: string;
  api: ReturnType<typeof client>;
  mocks: Mocks;
  config: Config;
  deps: AppDeps;
  /** The very service instances the running app uses. */
  services: Services;
  clock: ManualClock;
  /** Every log line the BFF wrote, as JSON strings. */
  logs: string[];
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Extra configuration (environment variable names). */
  env?: Record<string, string>;
  /** Start the clock here (epoch ms); defaults to now. */
  startAt?: number;
  /** Keep the database between stop() and the next start (for restart tests). */
  dbName?: string;
  keepDatabase?: boolean;
  /** Use an existing mocks instance instead of starting new ones. */
  mocks?: Mocks;
}

/**
 * Starts what a request needs, all real: the stand-in systems on port 0, a connection to the test
 * database server (its own database per stack), and the BFF listening on port 0. One manual clock
 * drives the BFF and the stand-ins.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const uri = process.env.MONGODB_URI;
  if (!uri)
    throw new Error('MONGODB_URI is not set: run the suites through jest (global setup starts the database)');
  // Real time by default: the database sweeps TTL indexes by its own clock, so a frozen date in the past
  // would expire fresh records mid-test.
  const clock = manualClock(options.startAt ?? Date.now());
  const mocks = options.mocks ?? (await startMocks({ clock, faceHangMs: 2000 }));
  const dbName = options.dbName ?? `t_${randomBytes(6).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    MONGODB_URI: uri,
    MONGODB_DB: dbName,
    SUPERAPP_URL: mocks.superapp.url,
    REGISTRY_URL: mocks.registry.url,
    FACE_URL: mocks.face.url,
    // The BFF signs licence requests with its development key (LICENCE_CLIENT_KEY unset), the one the
    // stand-in trusts by default (docs/mock-systems.md, licence system).
    LICENCE_SYSTEM_URL: mocks.licence.url,
    UPSTREAM_TIMEOUT_MS: '800',
    STAFF_DEV_ACCOUNT: `${DEV_STAFF.username}:${DEV_STAFF.password}:officer:济南市公安局历下分局 窗口 3`,
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
  const deps: AppDeps = {
    config,
    db,
    keys,
    clock: clock as Clock,
    logger,
    upstream: createUpstreamClients(config),
  };
  const services = createServices(deps);
  const app = createApp(deps, services);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    url,
    api: client(url),
    mocks,
    config,
    deps,
    services,
    clock,
    logs,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.stop();
      if (!options.keepDatabase) await db.dropDatabase().catch(() => undefined);
      await db.close();
      if (!options.mocks) await mocks.stop();
    },
  };
}

/**
 * Runs `use` against a second app instance over the stack's deps (same database, same connection: what
 * another BFF process shares with this one, short of a process of its own; see bff-process.ts), listening
 * on port 0, and closes it afterwards.
 */
export async function withSecondInstance<T>(
  stack: Stack,
  use: (api: ReturnType<typeof client>) => Promise<T>,
): Promise<T> {
  const server: Server = await new Promise((resolve) => {
    const s = createApp(stack.deps).listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const address = server.address();
    return await use(client(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`));
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
