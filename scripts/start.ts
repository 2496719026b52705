/**
 * `npm start`: everything a person needs on one machine, in one terminal. The database (a real MongoDB
 * when MONGODB_URI is set, otherwise the local stand-in as its own process), the stand-in external
 * systems, the BFF, the example hotel (a relying party registered by the development supervisor, with "sign
 * in with e-ID"), and the H5 build of the mini-program served over HTTP. Ctrl-C stops all of it, in
 * dependency order, letting requests in flight finish.
 *
 * package.json runs it as `node --import tsx`, not through the tsx command: that one relays signals to
 * its child and SIGKILLs it when the child's event loop has not acknowledged one within about 60 ms,
 * which a busy moment of the drain can take.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { licenceClientKeysFromEnv, registerHotel, startHotel, startMocks, type Hotel } from '@eid/mock';
import { loadConfig, type DevStaffAccount } from '@eid/bff/config';
import { main as startBff } from '@eid/bff/server';
import { systemClock } from '@eid/bff/infra/clock';
import { createKeyStore } from '@eid/bff/infra/keystore';
import { TRUST_ROOT_KID } from '@eid/bff/modules/trust/trust.types';
import { toHex } from '@eid/shared';
import { spawnLocalMongo, type MongoProcess } from './lib/local-mongo-process';
import { DEV_OPERATOR_TOKEN, FEDERATION_PROVINCES, startFederationNodes } from './lib/federation-start';
import { serveH5 } from './serve-h5';

const ROOT = path.resolve(__dirname, '..');
/** `npm start -- --federation` (docs/federation.md "Running it"). */
const FEDERATION = process.argv.includes('--federation');
const H5_DIR = path.join(ROOT, 'miniapp/dist/h5');
/** The admin pages (docs/admin.md), served under /admin/ by the same H5 server. */
const ADMIN_DIR = path.join(ROOT, 'miniapp/dist/admin');
const env = process.env;

function say(message: string): void {
  process.stdout.write(`[start] ${message}\n`);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the H5 bundle when it is missing or older than the sources it is made of. */
function ensureH5Build(): void {
  const index = path.join(H5_DIR, 'index.html');
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'miniapp/src')),
    newestMtime(path.join(ROOT, 'shared/src')),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return ensureAdminBuild();
  say('building the mini-program for H5 (about 20 s)...');
  const build = spawnSync('npm', ['run', 'build:h5', '-w', 'miniapp'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the H5 build failed');
  ensureAdminBuild();
}

/** Builds the admin pages when missing or older than their sources (about a second). */
function ensureAdminBuild(): void {
  const script = path.join(ADMIN_DIR, 'admin.js');
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'miniapp/admin')),
    newestMtime(path.join(ROOT, 'shared/src')),
  );
  if (existsSync(script) && statSync(script).mtimeMs >= sources) return;
  say('building the admin pages...');
  const build = spawnSync('npm', ['run', 'build:admin', '-w', 'miniapp'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the admin build failed');
}

/** `preferred` when nothing listens there, else any free port (the example hotel's port matters to no one). */
function portOr(preferred: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () => {
      const any = createServer();
      any.once('error', reject);
      any.listen(0, '127.0.0.1', () => {
        const { port } = any.address() as { port: number };
        any.close(() => resolve(port));
      });
    });
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(preferred)));
  });
}

/**
 * Registers the example hotel afresh (a new key each start: its state lives in memory only) with the
 * development supervisor, the way an admin registers a party (docs/relying-party.md), and starts it.
 */
async function startExampleHotel(bffUrl: string, admin: DevStaffAccount, port: number): Promise<Hotel> {
  const login = await fetch(`${bffUrl}/api/v1/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: admin.username, password: admin.password }),
  });
  const { accessToken } = (await login.json().catch(() => ({}))) as { accessToken?: string };
  if (login.status !== 200 || !accessToken)
    throw new Error(`the development supervisor ${admin.username} could not sign in (${login.status})`);
  const origin = `http://127.0.0.1:${port}`;
  const reg = await registerHotel({ bffUrl, adminToken: accessToken, callbackUrl: `${origin}/callbacks` });
  return startHotel({
    bffUrl,
    party: { id: reg.id, kid: reg.kid, privateKey: reg.privateKey, webhookSecret: reg.webhookSecret },
    port,
    publicUrl: origin,
  });
}

/** Something started, with how to stop it; stopped in reverse order, so each part outlives its users. */
interface Part {
  name: string;
  stop(): Promise<void>;
}

const parts: Part[] = [];
let signalled: string | undefined;
let stopping: Promise<void> | undefined;

/** Stops the H5 server, then the BFF (each draining its requests), then the stand-ins, then the database. */
function stopAll(): Promise<void> {
  return (stopping ??= (async () => {
    for (const part of parts.reverse()) {
      try {
        await part.stop();
      } catch (err) {
        process.stderr.write(`[start] stopping ${part.name} failed: ${(err as Error).message}\n`);
      }
    }
  })());
}

async function run(): Promise<void> {
  let mongo: MongoProcess | undefined;
  let mongoUri = env.MONGODB_URI;
  if (!mongoUri) {
    const dataDir = env.EID_DATA_DIR ?? path.join(ROOT, '.data/mongo');
    // Its own process group: the terminal's Ctrl-C reaches only this process, which stops it last.
    mongo = await spawnLocalMongo(
      ['--port', env.EID_MONGO_PORT ?? '27018', '--data-dir', dataDir],
      undefined,
      {
        ownProcessGroup: true,
      },
    );
    parts.push({ name: 'the local database', stop: mongo.stop });
    mongoUri = mongo.uri;
    say(
      `WARNING: MONGODB_URI is not set: using the local MongoDB stand-in (data in ${dataDir}). Not for production.`,
    );
  }
  if (signalled) return;
  if (FEDERATION) {
    await runFederation(mongoUri, mongo !== undefined);
    return;
  }

  const mocks = await startMocks({
    ports: {
      superapp: Number(env.MOCK_SUPERAPP_PORT ?? 7101),
      registry: Number(env.MOCK_REGISTRY_PORT ?? 7102),
      face: Number(env.MOCK_FACE_PORT ?? 7103),
      licence: Number(env.MOCK_LICENCE_PORT ?? 7104),
    },
    // The public half of the BFF's LICENCE_CLIENT_KEY when one is set, else its development key.
    licenceClientKeys: licenceClientKeysFromEnv(env),
  });
  parts.push({ name: 'the stand-ins', stop: mocks.stop });
  if (signalled) return;
  ensureH5Build();

  const bffPort = env.PORT ?? '8080';
  const hotelPort = env.HOTEL_PORT ? Number(env.HOTEL_PORT) : await portOr(7110);
  const bffEnv = {
    ...env,
    PORT: bffPort,
    MONGODB_URI: mongoUri,
    MONGODB_STANDIN: mongo ? '1' : '0',
    SUPERAPP_URL: env.SUPERAPP_URL ?? mocks.superapp.url,
    REGISTRY_URL: env.REGISTRY_URL ?? mocks.registry.url,
    FACE_URL: env.FACE_URL ?? mocks.face.url,
    LICENCE_SYSTEM_URL: env.LICENCE_SYSTEM_URL ?? mocks.licence.url,
    // The example hotel is plain http on loopback: its callbacks and sign-in return need this one host.
    CALLBACK_ALLOW_HOSTS: [env.CALLBACK_ALLOW_HOSTS, `127.0.0.1:${hotelPort}`].filter(Boolean).join(','),
  };
  const bff = await startBff(bffEnv);
  parts.push({ name: 'the BFF', stop: bff.close });
  if (signalled) return;
  // The same parse the BFF just did (it would have stopped on a bad value), for what it created.
  const config = loadConfig(bffEnv);
  const staff = config.staffDevAccount;
  // Public, derived from the same configuration: what a verifier pins (docs/formats/trust-list.md).
  const trustRoot = toHex(createKeyStore(config, systemClock).trustRootPublicKey());
  const bffUrl = `http://127.0.0.1:${bffPort}`;
  let hotel: Hotel | undefined;
  if (config.staffDevAdmin) {
    try {
      hotel = await startExampleHotel(bffUrl, config.staffDevAdmin, hotelPort);
      parts.push({ name: 'the example hotel', stop: hotel.stop });
    } catch (err) {
      // The product runs without its example; say why it is missing.
      say(`WARNING: the example hotel did not start: ${(err as Error).message}`);
    }
  }
  if (signalled) return;
  const h5 = await serveH5({
    dir: H5_DIR,
    adminDir: ADMIN_DIR,
    port: Number(env.H5_PORT ?? 8000),
    proxies: {
      '/api': bffUrl,
      '/healthz': bffUrl,
      '/readyz': bffUrl,
      '/mock/superapp': mocks.superapp.url,
      '/mock/face': mocks.face.url,
    },
  });
  // Requests in flight through the page get the BFF's own grace period.
  parts.push({ name: 'the H5 server', stop: () => h5.stop({ graceMs: config.SHUTDOWN_GRACE_MS }) });
  if (signalled) return;

  say('ready:');
  say(`  mini-program (H5)   ${h5.url}/`);
  say(`  staff verifier      ${h5.url}/#/staff/pages/verify/index`);
  say(`  admin pages         ${h5.url}/admin/  (staff sign-in with TOTP; docs/admin.md)`);
  if (staff) {
    say(
      `  staff sign-in       ${staff.username} / ${staff.password}  (development account, ${staff.role}; STAFF_DEV_ACCOUNT)`,
    );
  }
  // One development account per role, for the admin pages.
  for (const other of [config.staffDevAdmin, ...config.staffDevOthers]) {
    if (other) say(`                      ${other.username} / ${other.password}  (${other.role})`);
  }
  say(`  trust root key      ${trustRoot}  (kid ${TRUST_ROOT_KID}, hex; docs/formats/trust-list.md)`);
  say(`  BFF                 ${bffUrl}  (/healthz, /readyz, /api/v1, /oidc)`);
  if (hotel) {
    say(
      `  example hotel (RP)  ${hotel.url}/  (front desk; sign in with e-ID: ${hotel.url}/signin; registered by ${config.staffDevAdmin!.username})`,
    );
  }
  say(`  database            ${mongo ? 'local stand-in ' : ''}${mongoUri.replace(/\/\/[^@/]*@/, '//***@')}`);
  say(`  super-app (mock)    ${mocks.superapp.url}`);
  say(`  registry (mock)     ${mocks.registry.url}`);
  say(`  face service (mock) ${mocks.face.url}`);
  say(`  licence (mock)      ${mocks.licence.url}  (development issuer keys; docs/mock-systems.md)`);
  say('Ctrl-C stops everything.');
}

/**
 * `--federation`: the national role and three provinces as separate BFF processes (scripts/lib/
 * federation-start.ts), and one H5 server whose API and stand-in proxies follow the page's choice of
 * province (the `eid_province` cookie the province switch sets; Shandong without one).
 */
async function runFederation(mongoUri: string, standIn: boolean): Promise<void> {
  ensureH5Build();
  const basePort = Number(env.FEDERATION_BASE_PORT ?? 8100);
  say(
    `starting the national role and provinces ${FEDERATION_PROVINCES.join(', ')} (ports from ${basePort})...`,
  );
  const federation = await startFederationNodes({
    mongoUri,
    dataDir: env.EID_DATA_DIR ?? path.join(ROOT, '.data'),
    basePort,
    say,
  });
  parts.push({ name: 'the federation', stop: federation.stop });
  if (signalled) return;
  const proxiesOf = (p: string): Record<string, string> => {
    const node = federation.provinces[p]!;
    return {
      '/api': node.url,
      '/healthz': node.url,
      '/readyz': node.url,
      '/mock/superapp': node.mocks!.superapp.url,
      '/mock/face': node.mocks!.face.url,
    };
  };
  const h5 = await serveH5({
    dir: H5_DIR,
    adminDir: ADMIN_DIR,
    port: Number(env.H5_PORT ?? 8000),
    proxies: proxiesOf('37'),
    variants: {
      cookie: 'eid_province',
      proxies: Object.fromEntries(FEDERATION_PROVINCES.map((p) => [p, proxiesOf(p)])),
    },
  });
  parts.push({ name: 'the H5 server', stop: () => h5.stop({ graceMs: 5000 }) });
  say('ready (federation):');
  say(`  mini-program (H5)   ${h5.url}/  (山东省 first; the banner switches province)`);
  say(
    `  national role       ${federation.national.url}  (operator token ${DEV_OPERATOR_TOKEN}: development only)`,
  );
  for (const p of FEDERATION_PROVINCES) {
    const node = federation.provinces[p]!;
    say(`  province ${p}         ${node.url}  (its own database eid_${p}, stand-ins, config file)`);
  }
  say(
    `  database            ${standIn ? 'local stand-in ' : ''}${mongoUri.replace(/\/\/[^@/]*@/, '//***@')}`,
  );
  say('Ctrl-C stops everything.');
}

/**
 * Ctrl-C reaches this process more than once (from the terminal, and again relayed by npm), so the
 * handler stays installed and a repeat is ignored: the stop finishes within the grace periods.
 */
function onSignal(signal: string): void {
  if (signalled) return;
  signalled = signal;
  say(`${signal}: stopping...`);
  if (starting === undefined) void stopAll().then(() => exitAfterStop(0));
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => onSignal(signal));

function exitAfterStop(code: number): void {
  say('stopped.');
  process.exit(code);
}

let starting: Promise<void> | undefined = run();
starting.then(
  () => {
    starting = undefined;
    // A signal during start-up waited for this point, so that nothing starts after the stop.
    if (signalled) void stopAll().then(() => exitAfterStop(0));
  },
  (err: unknown) => {
    starting = undefined;
    if (!signalled) process.stderr.write(`[start] failed: ${(err as Error).message}\n`);
    void stopAll().then(() => {
      if (signalled) exitAfterStop(0);
      else process.exit(1);
    });
  },
);
