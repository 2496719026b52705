import type { EventEmitter } from 'node:events';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { AppError } from '@eid/shared';
import type { OidcDeps } from './deps';
import { buildProvider, COOKIE_NAMES, providerParts } from './provider';

/** The path the provider is mounted at: the issuer is an origin + this. */
export const OIDC_PREFIX = '/oidc';

/**
 * Providers kept at once when the issuer follows the request's origin. A node-oidc-provider instance has one
 * issuer, fixed at construction, and a party checks the ID token's `iss` against the discovery document it
 * fetched: outside production (no PUBLIC_URL) the BFF answers on whatever origin it was reached at (a test
 * stack on 127.0.0.1:<port>, a developer's LAN address, the example hotel's own view of it), so each origin gets
 * its own Provider, built on first use. All of them share the database, the keys and the clients, so a
 * sign-in started on one is found by any. The cap bounds what a stream of made-up Host headers can make the
 * process hold: past it the least recently used provider is dropped (nothing is lost, state is in the database).
 */
const MAX_ORIGINS = 8;

export interface ProviderRegistry {
  /** The provider of the origin this request is addressed to (PUBLIC_URL's when set). */
  providerFor(ctx: Context): Provider;
}

/** The origin of PUBLIC_URL (scheme, host, port), or undefined when unset. */
function publicOrigin(deps: OidcDeps): string | undefined {
  return deps.config.PUBLIC_URL ? new URL(deps.config.PUBLIC_URL).origin : undefined;
}

/**
 * Middleware inside each provider (before its router): strips the provider's session cookie from authorization
 * requests so each one starts afresh (no single sign-on, and no "log out the other resident first" detour when
 * someone else signed in on this browser before), and, with PUBLIC_URL, makes the provider see the public
 * origin (scheme and host) it builds its URLs and cookie flags from, whatever the proxy in front forwarded.
 * A path it has no route for is answered like any unknown path of the BFF (404 NOT_FOUND as JSON).
 */
function tuneProvider(provider: Provider, fixedOrigin: URL | undefined): void {
  const session = new RegExp(`^\\s*${COOKIE_NAMES.session}(\\.sig)?=`);
  provider.use(async function eidProviderRequest(ctx, next) {
    if (fixedOrigin) {
      Object.defineProperty(ctx.request, 'protocol', { value: fixedOrigin.protocol.slice(0, -1) });
      Object.defineProperty(ctx.request, 'host', { value: fixedOrigin.host });
    }
    if (ctx.path === '/auth' || ctx.path.startsWith('/auth/')) {
      const cookie = ctx.req.headers.cookie;
      if (cookie) {
        const kept = cookie
          .split(';')
          .filter((c) => !session.test(c))
          .join(';');
        if (kept.trim() === '') delete ctx.req.headers.cookie;
        else ctx.req.headers.cookie = kept;
      }
    }
    await next();
    // A path the provider has no route for answers as every unknown path of the BFF does.
    if (ctx.status === 404 && ctx.body === undefined) {
      ctx.status = 404;
      ctx.body = {
        code: 'NOT_FOUND',
        message: 'No such resource',
        requestId: String(ctx.response.get('x-request-id') ?? ''),
      };
    }
  });
}

/** What the provider's events say in the log: error codes and reasons only, never tokens or personal data. */
function logEvents(provider: Provider, deps: OidcDeps): void {
  const issuer = provider.issuer;
  // The typings declare each event on its own overload; a loop over names needs the plain emitter.
  const events = provider as unknown as EventEmitter;
  events.on('server_error', (_ctx, err: Error) => {
    deps.logger.error(
      { issuer, err: { name: err.name, message: err.message, stack: err.stack } },
      'oidc server error',
    );
  });
  const refusals = [
    'authorization.error',
    'pushed_authorization_request.error',
    'grant.error',
    'userinfo.error',
    'discovery.error',
    'jwks.error',
  ] as const;
  for (const event of refusals) {
    events.on(event, (_ctx: unknown, err: { error?: string; error_detail?: string }) => {
      deps.logger.info({ issuer, event, error: err.error, detail: err.error_detail }, 'oidc request refused');
    });
  }
  // Errors that escape the provider's own handlers (Koa's 'error' event): logged instead of printed.
  events.on('error', (err: Error) => {
    deps.logger.error(
      { issuer, err: { name: err.name, message: err.message, stack: err.stack } },
      'oidc error',
    );
  });
}

/** The origin a request is addressed to (its Host header); BAD_REQUEST when that is not a host. */
function originOf(ctx: Context): string {
  try {
    const url = new URL(`${ctx.protocol}://${ctx.host}`);
    if (ctx.host !== '' && url.host !== '') return url.origin;
  } catch {
    // Falls through to the refusal below.
  }
  throw new AppError('BAD_REQUEST', 'The request names no usable host');
}

export function createProviderRegistry(deps: OidcDeps): ProviderRegistry {
  const parts = providerParts(deps);
  const fixed = publicOrigin(deps);
  const byOrigin = new Map<string, Provider>();

  function build(origin: string): Provider {
    const provider = buildProvider(deps, parts, origin + OIDC_PREFIX);
    tuneProvider(provider, fixed ? new URL(fixed) : undefined);
    logEvents(provider, deps);
    return provider;
  }

  return {
    providerFor(ctx) {
      let origin = fixed;
      if (!origin) {
        // Only outside production: config.ts refuses production without PUBLIC_URL.
        origin = originOf(ctx);
      }
      const known = byOrigin.get(origin);
      if (known) {
        // Most recently used last: the first key is the one to drop.
        byOrigin.delete(origin);
        byOrigin.set(origin, known);
        return known;
      }
      const provider = build(origin);
      if (byOrigin.size >= MAX_ORIGINS) byOrigin.delete(byOrigin.keys().next().value!);
      byOrigin.set(origin, provider);
      return provider;
    },
  };
}
