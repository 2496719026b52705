import { randomBytes } from 'node:crypto';
import type Koa from 'koa';
import type Router from '@koa/router';
import { isSignInLevel } from '@eid/shared';
import type { HotelClock } from './client';
import { SignInError, type OidcClient, type PendingSignIn, type SignedIn } from './oidc-client';
import { signedInPage, signInErrorPage, signInStartPage } from './signin-page';

/*
 * "Sign in with e-ID" at the hotel: `GET /signin` (the level buttons), `GET /signin/start?level=n` (pushes
 * the request, sends the browser to the provider) and `GET /signin/callback` (checks the answer, shows who
 * signed in). Each attempt is bound to the browser that started it by a cookie; the secrets (state, nonce,
 * PKCE verifier) stay on this server.
 */

const COOKIE = 'hotel_signin';
/** Longer than the resident's time to approve on the phone (SIGNIN_TTL_S, 5 min by default). */
const PENDING_TTL_MS = 10 * 60_000;
/** A bound on memory: the oldest attempts go first. */
const MAX_PENDING = 10_000;

interface Attempt extends PendingSignIn {
  browser: string;
}

export interface SignInRoutesOptions {
  /** The hotel's client (made once the server listens, so a getter). */
  oidc: () => OidcClient;
  hotelName: string;
  clock: HotelClock;
  /** Set the cookie `Secure` (the hotel is served over https). */
  secure: boolean;
  /** Each verified sign-in, newest last (for the tests; a real site starts its own session here). */
  signedIn: SignedIn[];
}

/** Adds the sign-in routes to the hotel's router. */
export function addSignInRoutes(router: Router, options: SignInRoutesOptions): void {
  const { hotelName, clock } = options;
  const attempts = new Map<string, Attempt>();

  function sweep(): void {
    const now = clock.now();
    for (const [state, a] of attempts)
      if (now - a.createdAt > PENDING_TTL_MS || now < a.createdAt) attempts.delete(state);
    while (attempts.size >= MAX_PENDING) attempts.delete(attempts.keys().next().value!);
  }

  function page(ctx: Koa.Context, status: number, html: string): void {
    ctx.status = status;
    ctx.type = 'html';
    // The callback's URL holds a code and the page a pairwise identifier: neither belongs in a cache.
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.body = html;
  }

  function failed(ctx: Koa.Context, err: unknown): void {
    if (!(err instanceof SignInError)) throw err;
    // The provider failing or refusing the hotel's own request is a 502; an answer that does not hold, 400.
    const upstream = [
      'bff_unreachable',
      'discovery_invalid',
      'par_refused',
      'token_refused',
      'userinfo_refused',
    ];
    const status = upstream.includes(err.reason) ? 502 : 400;
    page(ctx, status, signInErrorPage(hotelName, err.reason, err.message));
  }

  router.get('/signin', function signInPage(ctx) {
    page(ctx, 200, signInStartPage(hotelName));
  });

  router.get('/signin/start', async function startSignIn(ctx) {
    const level = Number(ctx.query.level ?? 1);
    if (!isSignInLevel(level)) {
      page(ctx, 400, signInErrorPage(hotelName, 'authorization_error', 'level: 1, 2 or 3'));
      return;
    }
    try {
      const { authorizationUrl, pending } = await options.oidc().start(level);
      const existing = ctx.cookies.get(COOKIE);
      const browser =
        existing && /^[A-Za-z0-9_-]{22}$/.test(existing) ? existing : randomBytes(16).toString('base64url');
      sweep();
      attempts.set(pending.state, { ...pending, browser });
      // Lax: the provider's redirect back is a top-level GET from another site, which Lax lets through.
      ctx.cookies.set(COOKIE, browser, {
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secure,
        path: '/signin',
        maxAge: PENDING_TTL_MS,
        overwrite: true,
      });
      ctx.set('Cache-Control', 'no-store');
      ctx.status = 303;
      ctx.redirect(authorizationUrl);
    } catch (err) {
      failed(ctx, err);
    }
  });

  router.get('/signin/callback', async function signInCallback(ctx) {
    const query: Record<string, string | undefined> = {};
    for (const k of ['code', 'state', 'iss', 'error', 'error_description'])
      if (typeof ctx.query[k] === 'string') query[k] = ctx.query[k] as string;
    try {
      const browser = ctx.cookies.get(COOKIE);
      sweep();
      if (!browser) throw new SignInError('no_signin', 'no sign-in cookie in this browser');
      const attempt = query.state ? attempts.get(query.state) : undefined;
      // An unknown state, or one another browser started: a forged or replayed answer (login CSRF).
      if (!attempt || attempt.browser !== browser)
        throw new SignInError('state_mismatch', 'the state is not one this browser started');
      // One answer per attempt, whatever it turns out to be.
      attempts.delete(attempt.state);
      const signedIn = await options.oidc().finish(attempt, query);
      options.signedIn.push(signedIn);
      page(ctx, 200, signedInPage(hotelName, signedIn));
    } catch (err) {
      failed(ctx, err);
    }
  });
}
