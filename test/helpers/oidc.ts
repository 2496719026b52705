import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { PartyGrant, PartySignIn, SignInPageStatus } from '@eid/shared';
import type { Reply } from './http';
import { registerParty, type RegisteredParty } from './party';
import type { Stack } from './stack';

/**
 * A relying party's OpenID client in tests (issue 17), talking HTTP to the BFF's provider under `/oidc`
 * like a party's server and its user's browser would: `private_key_jwt` client assertions signed with the
 * party's registered Ed25519 key (node:crypto), PKCE S256, pushed authorization requests, the browser's
 * redirects with a cookie jar up to the sign-in page `/signin/<uid>` and back out to the redirect URI, and
 * the code exchange. Nothing of the BFF is called in-process.
 *
 * @example
 * const party = await oidcParty(stack);
 * const rp = oidcClient(stack, party);
 * const { uid, verifier } = await rp.begin({ scope: 'openid name_masked_id' });
 * // ... the resident approves on the phone (test/helpers/signin.ts) ...
 * const back = await rp.finish();
 * const tokens = await rp.token(back.code!, verifier);
 */

/** The redirect URI test parties register for sign-in (never fetched: the client stops at it). */
export const OIDC_REDIRECT_URI = 'https://hotel.example.com/eid/signin/callback';

/** The grant test parties sign residents in under. */
export const OIDC_GRANTS: PartyGrant[] = [
  { purpose: 'hotel_check_in', scopes: ['result', 'name_masked_id', 'age_over_18'] },
];

/** A party registered for sign-in (level 1, OIDC_REDIRECT_URI, hotel check-in) unless `signIn` says otherwise. */
export function oidcParty(
  stack: Stack,
  signIn: Partial<PartySignIn> = {},
  grants: PartyGrant[] = OIDC_GRANTS,
): Promise<RegisteredParty> {
  return registerParty(stack, {
    grants,
    signIn: { redirectUris: [OIDC_REDIRECT_URI], level: 1, purpose: 'hotel_check_in', ...signIn },
  });
}

/** A PKCE pair (RFC 7636, S256): the verifier the party keeps and the challenge it sends. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** What a test may change about one client assertion (defaults: the party's key and kid, iat now, 60 s). */
export interface AssertionOptions {
  /** Epoch seconds; default the stack's clock. */
  iat?: number;
  /**
   * Epoch seconds; default 60 s after the later of iat and the wall clock. node-oidc-provider judges `exp` by
   * Date.now (the BFF also by its own clock), so an assertion made at a test clock that has fallen behind the
   * wall clock must still be in its future there.
   */
  exp?: number;
  /** Default the issuer. */
  aud?: string | string[];
  /** Default a fresh random id. */
  jti?: string;
  /** The header's kid (default the key's, or the party's). */
  kid?: string;
  /** Sign with this key instead of the party's. */
  key?: KeyObject;
  iss?: string;
  sub?: string;
  /** Leave these claims out. */
  omit?: ('iat' | 'exp' | 'jti' | 'aud')[];
}

/** Where the browser ended up when it left the BFF: the redirect URI's parameters. */
export interface AuthorizationResponse {
  /** The full URL the browser was sent to. */
  url: string;
  code?: string;
  state?: string;
  iss?: string;
  error?: string;
  error_description?: string;
}

/** What following the browser's redirects gave: the last BFF answer, or where the browser left the BFF. */
export interface BrowserStop {
  /** The last answer from the BFF (the page, an error page, a JSON error). */
  last: Reply<any>;
  /** The path of that last answer. */
  lastPath: string;
  /** Set when the BFF redirected the browser to the party. */
  left?: AuthorizationResponse;
}

interface StoredCookie {
  value: string;
  path: string;
}

/** A browser's cookies for one origin: path-scoped, as the provider sets them (interaction, resume, session). */
export class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      let path = '/';
      let gone = value === '';
      for (const attr of attrs) {
        const [k, v = ''] = attr.split('=');
        const key = k!.trim().toLowerCase();
        if (key === 'path') path = v.trim();
        if (key === 'max-age' && Number(v) <= 0) gone = true;
        if (key === 'expires' && Date.parse(v) <= Date.now()) gone = true;
      }
      const id = `${name}\u0000${path}`;
      if (gone) this.#cookies.delete(id);
      else this.#cookies.set(id, { value, path });
    }
  }

  /** The Cookie header for `path` (undefined when none applies). */
  header(path: string): string | undefined {
    const pathname = path.split('?')[0]!;
    const sent = [...this.#cookies.entries()]
      .filter(
        ([, c]) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`),
      )
      .map(([id, c]) => `${id.split('\u0000')[0]}=${c.value}`);
    return sent.length > 0 ? sent.join('; ') : undefined;
  }

  /** Names of the cookies held (for tests of what the provider set). */
  names(): string[] {
    return [...new Set([...this.#cookies.keys()].map((id) => id.split('\u0000')[0]!))];
  }

  clear(): void {
    this.#cookies.clear();
  }
}

const form = (params: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));

async function replyOf(res: Response): Promise<Reply<any>> {
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
  return { status: res.status, body, headers: res.headers };
}

function authorizationResponse(url: string): AuthorizationResponse {
  const parsed = new URL(url);
  const out: AuthorizationResponse = { url };
  for (const key of ['code', 'state', 'iss', 'error', 'error_description'] as const) {
    const value = parsed.searchParams.get(key);
    if (value !== null) out[key] = value;
  }
  return out;
}

export type OidcClient = ReturnType<typeof oidcClient>;

/**
 * The OpenID client of `party` against the stack's BFF (or `baseUrl`, e.g. another instance). One browser
 * (cookie jar) and the uid of the interaction it is on.
 */
export function oidcClient(
  stack: Stack,
  party: Pick<RegisteredParty, 'party' | 'kid' | 'privateKey'>,
  options: { baseUrl?: string; redirectUri?: string } = {},
) {
  const baseUrl = options.baseUrl ?? stack.url;
  const issuer = `${baseUrl}/oidc`;
  const clientId = party.party.id;
  const redirectUri = options.redirectUri ?? party.party.signIn?.redirectUris[0] ?? OIDC_REDIRECT_URI;
  const jar = new CookieJar();
  let uid: string | undefined;

  /** A client assertion (RFC 7523) signed EdDSA with the party's key unless told otherwise. */
  function assertion(opts: AssertionOptions = {}): string {
    const iat = opts.iat ?? Math.floor(stack.clock.now() / 1000);
    const header = { alg: 'EdDSA', typ: 'JWT', kid: opts.kid ?? party.kid };
    const claims: Record<string, unknown> = {
      iss: opts.iss ?? clientId,
      sub: opts.sub ?? clientId,
      aud: opts.aud ?? issuer,
      iat,
      exp: opts.exp ?? Math.max(iat, Math.floor(Date.now() / 1000)) + 60,
      jti: opts.jti ?? randomBytes(16).toString('base64url'),
    };
    for (const claim of opts.omit ?? []) delete claims[claim];
    const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const signature = sign(null, Buffer.from(input), opts.key ?? party.privateKey).toString('base64url');
    return `${input}.${signature}`;
  }

  /** A form POST of the party's server to a provider endpoint, authenticated with a client assertion. */
  async function backChannel(
    path: string,
    params: Record<string, string | undefined>,
    auth: AssertionOptions | string = {},
  ): Promise<Reply<any>> {
    const res = await fetch(baseUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({
        client_id: clientId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: typeof auth === 'string' ? auth : assertion(auth),
        ...params,
      }),
    });
    return replyOf(res);
  }

  /** The browser's GET of `path`, following the BFF's redirects until a page, an error, or the party. */
  async function browse(
    path: string,
    init: { method?: string; body?: string; json?: boolean } = {},
  ): Promise<BrowserStop> {
    let current = path;
    let method = init.method ?? 'GET';
    let body = init.body;
    for (let hop = 0; hop < 10; hop++) {
      const headers: Record<string, string> = {};
      const cookie = jar.header(current);
      if (cookie) headers.cookie = cookie;
      if (body !== undefined && init.json) headers['content-type'] = 'application/json';
      const res = await fetch(baseUrl + current, { method, headers, body, redirect: 'manual' });
      jar.store(res);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        const next = new URL(location, baseUrl + current);
        if (next.origin !== new URL(baseUrl).origin) {
          await res.arrayBuffer();
          return {
            last: { status: res.status, body: '', headers: res.headers },
            lastPath: current,
            left: authorizationResponse(next.href),
          };
        }
        await res.arrayBuffer();
        current = next.pathname + next.search;
        const match = /^\/signin\/([^/?]+)$/.exec(next.pathname);
        if (match) uid = match[1];
        // 303 (and 302 after a POST, as browsers do) continue as GET without a body.
        method = 'GET';
        body = undefined;
        continue;
      }
      return { last: await replyOf(res), lastPath: current };
    }
    throw new Error(`too many redirects from ${path}`);
  }

  function mustUid(): string {
    if (!uid) throw new Error('no interaction yet: call authorize() first');
    return uid;
  }

  return {
    clientId,
    issuer,
    redirectUri,
    jar,
    assertion,
    /** The uid of the interaction the browser is on (from the redirect to /signin/<uid>). */
    get uid() {
      return uid;
    },
    set uid(value: string | undefined) {
      uid = value;
    },
    /** `GET /oidc/.well-known/openid-configuration`. */
    async discovery(): Promise<Reply<any>> {
      return replyOf(await fetch(`${issuer}/.well-known/openid-configuration`));
    },
    /**
     * `POST /oidc/request` (PAR) with these authorization parameters (client_id and the assertion added):
     * 201 `{ request_uri, expires_in }` or an OAuth error.
     */
    par(
      params: Record<string, string | undefined>,
      auth: AssertionOptions | string = {},
    ): Promise<Reply<any>> {
      return backChannel('/oidc/request', params, auth);
    },
    /**
     * The browser opens `/oidc/auth?client_id=..&request_uri=..` and follows the redirects: to the sign-in
     * page (then `uid` is set and `last` is the page) or back to the party with an error (`left`).
     */
    authorize(requestUri: string, extra: Record<string, string> = {}): Promise<BrowserStop> {
      const query = form({ client_id: clientId, request_uri: requestUri, ...extra });
      return browse(`/oidc/auth?${query}`);
    },
    /**
     * A whole start: PKCE, state and nonce, PAR with `params` (scope `openid name_masked_id`, the redirect
     * URI, response_type code by default), then authorize. Throws unless the browser lands on the sign-in page.
     */
    async begin(params: Record<string, string | undefined> = {}) {
      const { verifier, challenge } = pkcePair();
      const state = randomBytes(12).toString('base64url');
      const nonce = randomBytes(12).toString('base64url');
      const pushed = await backChannel('/oidc/request', {
        response_type: 'code',
        redirect_uri: redirectUri,
        scope: 'openid name_masked_id',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state,
        nonce,
        ...params,
      });
      if (pushed.status !== 201)
        throw new Error(`PAR answered ${pushed.status} ${JSON.stringify(pushed.body)}`);
      const stop = await browse(
        `/oidc/auth?${form({ client_id: clientId, request_uri: pushed.body.request_uri })}`,
      );
      if (stop.last.status !== 200 || !/^\/signin\/[^/]+$/.test(stop.lastPath))
        throw new Error(`authorize stopped at ${stop.lastPath} with ${stop.last.status}`);
      const page = String(stop.last.body);
      const requestCode = /data-request-code="([^"]+)"/.exec(page)?.[1];
      const controlCode = /id="control-code">(\d{4})</.exec(page)?.[1];
      return {
        uid: mustUid(),
        verifier,
        challenge,
        state,
        nonce,
        page,
        pageReply: stop.last,
        requestCode,
        controlCode,
      };
    },
    /** `GET /signin/<uid>` again (a reload). */
    page(): Promise<BrowserStop> {
      return browse(`/signin/${mustUid()}`);
    },
    /** `GET /signin/<uid>/status` with this browser's cookies: the status, or an error body (`code`). */
    async status(): Promise<Reply<SignInPageStatus & { code?: string; message?: string }>> {
      return (await browse(`/signin/${mustUid()}/status`)).last;
    },
    /** `GET /signin/<uid>/finish`, following the redirects back to the party (`left`) or to an error. */
    finish(): Promise<BrowserStop> {
      return browse(`/signin/${mustUid()}/finish`);
    },
    /** `POST /signin/<uid>/cancel` with `{}` (or `body`), following the redirects as a form post would. */
    cancel(body = '{}'): Promise<BrowserStop> {
      return browse(`/signin/${mustUid()}/cancel`, { method: 'POST', body, json: true });
    },
    /** `POST /oidc/token`: the code exchange. */
    token(
      code: string,
      verifier: string | undefined,
      auth: AssertionOptions | string = {},
      extra: Record<string, string | undefined> = {},
    ): Promise<Reply<any>> {
      return backChannel(
        '/oidc/token',
        {
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          code_verifier: verifier,
          ...extra,
        },
        auth,
      );
    },
    /** `GET /oidc/me` with an access token. */
    async userinfo(accessToken: string): Promise<Reply<any>> {
      return replyOf(await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } }));
    },
  };
}
