import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { z } from 'zod';

/** The stand-ins' source of time; structurally the BFF's Clock, so one frozen clock drives both. */
export interface MockClock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: MockClock = { now: () => Date.now() };

/** What `build` gets besides the router: the app, and a signal that fires when the server stops. */
export interface MockBuildContext {
  name: string;
  app: Koa;
  /** Aborted by stop(), so deliberately slow handlers end instead of holding the process open. */
  stopping: AbortSignal;
}

export interface MockServerOptions {
  name: string;
  port?: number;
  host?: string;
  /** Largest accepted JSON body in bytes; larger bodies answer 413. */
  bodyLimitBytes?: number;
  build(router: Router, ctx: MockBuildContext): void;
}

export interface MockServer {
  name: string;
  /** `http://host:port` without a trailing slash. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** An error a stand-in answers with: `{ error, message, ...extra }` and the given status. */
export class MockHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'MockHttpError';
  }
}

const DEFAULT_BODY_LIMIT = 64 * 1024;
const ALLOWED_HEADERS = 'Content-Type, X-Api-Key, Authorization';

function errorHandler(name: string): Koa.Middleware {
  return async function renderError(ctx, next) {
    try {
      await next();
    } catch (err) {
      if (err instanceof MockHttpError) {
        ctx.status = err.status;
        ctx.body = { error: err.error, message: err.message, ...err.extra };
        return;
      }
      const status = (err as { status?: unknown }).status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        ctx.status = status;
        ctx.body = {
          error: status === 413 ? 'body_too_large' : 'bad_request',
          message: status === 413 ? 'body too large' : 'malformed request body',
        };
        return;
      }
      // Paths can carry ID numbers; the route pattern says enough, and bodies never reach a log.
      const route = (ctx as { _matchedRoute?: unknown })._matchedRoute ?? 'unmatched route';
      console.error(`[mock:${name}] ${ctx.method} ${String(route)} failed: ${(err as Error).message}`);
      ctx.status = 500;
      ctx.body = { error: 'internal_error', message: 'internal error' };
    }
  };
}

async function cors(ctx: Koa.Context, next: Koa.Next): Promise<void> {
  // The H5 page talks to the face and super-app stand-ins straight from the browser.
  ctx.set('Access-Control-Allow-Origin', ctx.get('Origin') || '*');
  ctx.set('Vary', 'Origin');
  if (ctx.method === 'OPTIONS') {
    ctx.set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    ctx.set('Access-Control-Allow-Headers', ctx.get('Access-Control-Request-Headers') || ALLOWED_HEADERS);
    ctx.set('Access-Control-Max-Age', '600');
    ctx.status = 204;
    return;
  }
  await next();
}

/**
 * Runs one stand-in as its own Koa server with `/healthz`, JSON errors, CORS and a body limit.
 *
 * @example const s = await startMockServer({ name: 'registry', build: (r) => r.get('/x', (ctx) => { ctx.body = {} }) })
 */
export async function startMockServer(options: MockServerOptions): Promise<MockServer> {
  const { name, port = 0, host = '127.0.0.1' } = options;
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  const app = new Koa();
  const stopping = new AbortController();
  const router = new Router();
  router.get('/healthz', function healthz(ctx) {
    ctx.body = { status: 'ok', name };
  });
  options.build(router, { name, app, stopping: stopping.signal });

  app.use(errorHandler(name));
  app.use(cors);
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: limit, encoding: 'utf-8' }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use(async function notFound(ctx) {
    throw new MockHttpError(404, 'not_found', `no route ${ctx.method} ${ctx.path}`);
  });

  const server = app.listen(port, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    name,
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    async stop() {
      stopping.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Parses `value` with `schema` or answers 400 `bad_request` naming the failing paths. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const paths = parsed.error.issues.map((i) => i.path.join('.') || '(body)');
    throw new MockHttpError(400, 'bad_request', 'invalid request', { paths });
  }
  return parsed.data;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Answers 401 unless the `X-Api-Key` header equals `expected` (compared in constant time). */
export function requireApiKey(expected: string): Koa.Middleware {
  return async function apiKey(ctx, next) {
    const given = ctx.get('X-Api-Key');
    if (!given || !timingSafeEqual(digest(given), digest(expected))) {
      throw new MockHttpError(401, 'unauthorized', 'missing or wrong API key');
    }
    await next();
  };
}

/**
 * Waits `ms`, or less when the server stops or the caller hangs up, so a deliberately slow answer
 * never outlives its test.
 */
export function sleepUnlessGone(ms: number, ctx: Koa.Context, stopping: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stopping.removeEventListener('abort', done);
      ctx.res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stopping.addEventListener('abort', done);
    ctx.res.on('close', done);
  });
}

/** Constant-time string equality for secrets the stand-ins check. */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
