import http, { type Server } from 'node:http';
import type { Socket } from 'node:net';
import { toHex } from '@eid/shared';
import { ConfigError, loadConfig, type Config } from './config';
import type Koa from 'koa';
import { createApp, createServices, type AppDeps } from './app';
import { startBackgroundWork } from './background';
import { systemClock } from './infra/clock';
import { connectDatabase } from './infra/database';
import { createKeyStore, type KeyStore } from './infra/keystore';
import { createLogger, type Logger } from './infra/logger';
import { createUpstreamClients } from './infra/upstream';
import { createNationalApp, createNationalServices } from './national/app';
import type { NationalDeps } from './national/national.types';
import { TRUST_ROOT_KID } from './modules/trust/trust.types';

/** Says loudly, once, everything about this process that must never reach production. */
function warnAboutDevelopmentSettings(config: Config, logger: Logger): void {
  if (config.devFallbacks.length > 0) {
    logger.warn(
      { variables: config.devFallbacks },
      '!!! DEVELOPMENT KEYS IN USE: these keys are derived from a public seed and protect nothing. Set the listed variables before real data arrives. !!!',
    );
  }
  if (config.MONGODB_STANDIN === '1') {
    logger.warn(
      'The database is the local MongoDB stand-in (mock/src/mongo), not a real MongoDB. Set MONGODB_URI for a real one.',
    );
  }
}

/**
 * Logs the public key that signs the trust list, so a verifier can pin it (docs/formats/trust-list.md
 * publishes the development one and says how production distributes its own).
 */
export function announceTrustRoot(keys: Pick<KeyStore, 'trustRootPublicKey'>, logger: Logger): void {
  logger.info(
    { kid: TRUST_ROOT_KID, publicKey: toHex(keys.trustRootPublicKey()) },
    'trust root public key (hex); verifiers pin it, see docs/formats/trust-list.md',
  );
}

/**
 * Logs the public half of the key that signs requests to the electronic licence system, which that system
 * is configured with (docs/mock-systems.md, "Configuration (the BFF side)").
 */
export function announceLicenceClient(
  keys: Pick<KeyStore, 'licenceClientKid' | 'licenceClientPublicKey'>,
  logger: Logger,
): void {
  logger.info(
    { kid: keys.licenceClientKid(), publicKey: toHex(keys.licenceClientPublicKey()) },
    'licence client public key (hex); the electronic licence system trusts requests signed by it',
  );
}

/** What server.ts runs: the app, its background work, and what to stop once requests have drained. */
interface Node {
  app: Koa;
  startBackground(): () => Promise<void>;
  stopServices(): Promise<void>;
}

/** A province node: residents, cards, windows (NODE_ROLE=province, the default). */
function provinceNode(deps: AppDeps): Node {
  const services = createServices(deps);
  return {
    app: createApp(deps, services),
    startBackground: () => startBackgroundWork(services),
    stopServices: () => services.stop(),
  };
}

/** The national role (NODE_ROLE=national, docs/federation.md): the trust list, its log and its witnesses. */
function nationalNode(deps: NationalDeps): Node {
  const services = createNationalServices(deps);
  deps.logger.info(
    {
      rootPublicKey: Buffer.from(deps.keys.trustRootPublicKey()).toString('base64url'),
      logKey: deps.keys.logVerifierKey(),
    },
    'national root and log keys; nodes pin them as FEDERATION_ROOT_PUBLIC_KEY and FEDERATION_LOG_KEY',
  );
  return {
    app: createNationalApp(deps, services),
    startBackground: () => services.startBackground(),
    stopServices: () => services.stop(),
  };
}

/** Starts the BFF: config, database, app, listen; drains in-flight requests on SIGTERM/SIGINT. */
export async function main(env = process.env): Promise<{ server: Server; close(): Promise<void> }> {
  const config = loadConfig(env);
  const logger = createLogger(config.LOG_LEVEL);
  warnAboutDevelopmentSettings(config, logger);
  const keys = createKeyStore(config, systemClock);
  announceTrustRoot(keys, logger);
  announceLicenceClient(keys, logger);
  const db = await connectDatabase(config.MONGODB_URI, config.MONGODB_DB);
  const { app, startBackground, stopServices } =
    config.NODE_ROLE === 'national'
      ? nationalNode({ config, db, keys, clock: systemClock, logger })
      : provinceNode({
          config,
          db,
          keys,
          clock: systemClock,
          logger,
          upstream: createUpstreamClients(config),
        });

  // A client sending its request a byte at a time is cut off once REQUEST_TIMEOUT_MS have passed since it
  // began (headers and body; Node's default was 300 s), checked every second rather than every 30 s.
  const server = http.createServer(
    {
      requestTimeout: config.REQUEST_TIMEOUT_MS,
      headersTimeout: config.REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: Math.min(1000, config.REQUEST_TIMEOUT_MS),
    },
    app.callback(),
  );
  server.listen(config.PORT, config.HOST);
  // A busy port is a start-up failure with a sentence (main's caller prints it), not an unhandled 'error'.
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ url: `http://${config.HOST}:${port}` }, 'bff listening');
  const stopBackground = startBackground();

  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      logger.info('draining: no new connections, waiting for in-flight requests');
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      // A keep-alive connection whose request was in flight turns idle once answered; sweep those too, or
      // each would hold the exit back until Node's keep-alive timeout.
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      const grace = setTimeout(() => {
        logger.warn({ open: sockets.size }, 'grace period over: closing remaining connections');
        server.closeAllConnections();
      }, config.SHUTDOWN_GRACE_MS);
      await drained;
      clearTimeout(grace);
      clearInterval(sweep);
      // Timers stop and their runs finish before the database they write to closes.
      await stopBackground();
      await stopServices();
      await db.close();
      logger.info('stopped');
    })());
  return { server, close };
}

if (require.main === module) {
  main().then(
    ({ close }) => {
      const stop = (signal: string) => {
        process.stdout.write(`${JSON.stringify({ level: 'info', msg: `received ${signal}` })}\n`);
        close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    },
    (err: unknown) => {
      if (err instanceof ConfigError) {
        process.stderr.write(`${err.message}\n`);
        process.exit(78);
      }
      process.stderr.write(`bff failed to start: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
