import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import { OIDC_PREFIX, type ProviderRegistry } from './issuers';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Hands every `/oidc/...` request to the provider of its origin, with the prefix stripped. The provider runs
 * as the Koa application it is (its own context, so its cookies are signed with its own keys, which a
 * koa-mount-style shared context would not do), reads its own bodies (this runs before jsonBody) and writes
 * the response itself; the app's request id and error handler stay outside. `req.originalUrl` is how the
 * provider learns the mount path when it builds its URLs (its OIDCContext.urlFor reads it).
 */
export function mountProvider(registry: ProviderRegistry): Middleware {
  const handlers = new WeakMap<Provider, Handler>();
  return async function oidcProvider(ctx, next) {
    if (ctx.path !== OIDC_PREFIX && !ctx.path.startsWith(`${OIDC_PREFIX}/`)) return next();
    const provider = registry.providerFor(ctx);
    let handle = handlers.get(provider);
    if (!handle) {
      handle = provider.callback() as unknown as Handler;
      handlers.set(provider, handle);
    }
    const original = ctx.req.url ?? ctx.url;
    const req = ctx.req as IncomingMessage & { originalUrl?: string };
    req.originalUrl = original;
    req.url = original.slice(OIDC_PREFIX.length) || '/';
    if (!req.url.startsWith('/')) req.url = `/${req.url}`;
    ctx.respond = false;
    try {
      await handle(ctx.req, ctx.res);
    } finally {
      req.url = original;
    }
  };
}
