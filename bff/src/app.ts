import Koa from 'koa';
import Router from '@koa/router';
import type { Connection } from 'mongoose';
import type { Config } from './config';
import type { Clock } from './infra/clock';
import type { KeyStore } from './infra/keystore';
import type { Logger } from './infra/logger';
import type { UpstreamClients } from './infra/upstream';
import { pingDatabase } from './infra/database';
import { requestId } from './middleware/request-id';
import { errorHandler } from './middleware/error-handler';
import { jsonBody } from './middleware/body';
import { createRateLimiter } from './middleware/rate-limit';
import { healthRoutes } from './modules/health/health.routes';

/** Everything the app needs from outside; tests build it with a frozen clock and real servers. */
export interface AppDeps {
  config: Config;
  db: Connection;
  keys: KeyStore;
  clock: Clock;
  logger: Logger;
  /** Adapters to the systems we do not own (super-app, registry, face service). */
  upstream: UpstreamClients;
}

/** Builds the Koa app and every service once. Never listens: server.ts and the tests do. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa({ proxy: false });
  const rateLimiter = createRateLimiter(deps.db, deps.clock);
  void rateLimiter;

  const router = new Router();
  router.use(healthRoutes(() => pingDatabase(deps.db)).routes());

  app.use(requestId());
  app.use(errorHandler(deps.logger));
  for (const mw of jsonBody(deps.config.BODY_LIMIT_BYTES)) app.use(mw);
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true }));
  return app;
}
