import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader, importJWK, SignJWT } from 'jose';
import { maskIdNumber } from '@eid/shared';
import {
  hotelSignIn,
  registerHotel,
  startHotel,
  HOTEL_NAME,
  type Hotel,
  type RegisteredHotel,
} from '@eid/mock';
import { codeOf, holderWithCard, type Holder } from '../helpers/card-flow';
import { call } from '../helpers/http';
import { CookieJar } from '../helpers/oidc';
import { adminCall, supervisorToken } from '../helpers/party';
import { approveSignIn, setPasscode, TEST_PASSCODE } from '../helpers/signin';
import { startStack, type Stack } from '../helpers/stack';

/*
 * "Sign in with e-ID" at the example hotel (mock/src/relying-party) against the real BFF's provider, over
 * HTTP with a browser's cookies and redirects. The hotel reaches the BFF through a recording relay, the
 * network between them as the hotel sees it: it lets the tests read what the hotel pushed (its state and
 * nonce, which a browser never sees) and, to play an attacker on that path, answer the code exchange with
 * an ID token the test made. Everything else (discovery, JWKS, PAR, authorization, sign-in page, token)
 * is the BFF's own answer, the relay only passing it on under its own origin.
 */

interface Relay {
  url: string;
  /** Every pushed authorization request's form, in order. */
  pushed: URLSearchParams[];
  /** Every code exchange's form, in order (answered by the BFF or by `tokenAnswer`). */
  exchanged: URLSearchParams[];
  /** The BFF's answers to the code exchanges, parsed. */
  tokens: Record<string, unknown>[];
  /** When set, the code exchange is answered with this instead of the BFF's answer. */
  tokenAnswer?: () => Record<string, unknown>;
  stop(): Promise<void>;
}

async function startRelay(target: string): Promise<Relay> {
  const to = new URL(target);
  const relay: Relay = { url: '', pushed: [], exchanged: [], tokens: [], stop: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? '/';
      if (req.method === 'POST' && path.startsWith('/oidc/request'))
        relay.pushed.push(new URLSearchParams(body.toString()));
      if (req.method === 'POST' && path.startsWith('/oidc/token')) {
        relay.exchanged.push(new URLSearchParams(body.toString()));
        if (relay.tokenAnswer) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(relay.tokenAnswer()));
          return;
        }
      }
      // The Host stays the relay's: the BFF builds its issuer and URLs from it (no PUBLIC_URL in tests).
      const up = http.request(
        { host: to.hostname, port: to.port, method: req.method, path, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          if (path.startsWith('/oidc/token')) {
            const got: Buffer[] = [];
            answer.on('data', (c: Buffer) => got.push(c));
            answer.on('end', () => relay.tokens.push(JSON.parse(Buffer.concat(got).toString() || '{}')));
          }
          answer.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  relay.stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return relay;
}

interface Page {
  status: number;
  /** Where the browser ended up. */
  url: string;
  html: string;
}

/** A browser: cookies per origin, following redirects across the hotel and the BFF until a page. */
function browser() {
  const jars = new Map<string, CookieJar>();
  const jar = (origin: string) => jars.get(origin) ?? jars.set(origin, new CookieJar()).get(origin)!;
  return {
    /** Opens `url`; with `stopAt`, a redirect to a URL it matches is not followed (`url` is where it pointed). */
    async go(
      url: string,
      init: { method?: string; json?: unknown; stopAt?: (url: URL) => boolean } = {},
    ): Promise<Page> {
      let current = new URL(url);
      let method = init.method ?? 'GET';
      let body = init.json === undefined ? undefined : JSON.stringify(init.json);
      for (let hop = 0; hop < 12; hop++) {
        const headers: Record<string, string> = {};
        const cookie = jar(current.origin).header(current.pathname);
        if (cookie) headers.cookie = cookie;
        if (body !== undefined) headers['content-type'] = 'application/json';
        const res = await fetch(current, { method, headers, body, redirect: 'manual' });
        jar(current.origin).store(res);
        const location = res.headers.get('location');
        if (res.status >= 300 && res.status < 400 && location) {
          await res.arrayBuffer();
          current = new URL(location, current);
          if (init.stopAt?.(current)) return { status: res.status, url: current.href, html: '' };
          method = 'GET';
          body = undefined;
          continue;
        }
        return { status: res.status, url: current.href, html: await res.text() };
      }
      throw new Error(`too many redirects from ${url}`);
    },
  };
}

/** The text of the element with this test id on a server-rendered page (undefined when absent). */
function testId(html: string, id: string): string | undefined {
  const m = new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(html);
  return m?.[1];
}

/** The reason attribute of the hotel's error page. */
const reasonOf = (html: string) => /data-testid="signin-error" data-reason="([a-z_]+)"/.exec(html)?.[1];

let stack: Stack;
let relay: Relay;
let hotel: Hotel;
let registered: RegisteredHotel;
let holder: Holder;
let issuer: string;

beforeAll(async () => {
  stack = await startStack({ env: { CALLBACK_ALLOW_HOSTS: '127.0.0.1' } });
  relay = await startRelay(stack.url);
  issuer = `${relay.url}/oidc`;
  registered = await registerHotel({
    bffUrl: stack.url,
    adminToken: await supervisorToken(stack),
    callbackUrl: 'https://hotel.example.com/callbacks',
  });
  hotel = await startHotel({
    bffUrl: relay.url,
    party: {
      id: registered.id,
      kid: registered.kid,
      privateKey: registered.privateKey,
      webhookSecret: registered.webhookSecret,
    },
    clock: stack.clock,
  });
  // Registered before the hotel had a port: now its real callback and return addresses.
  const moved = await adminCall(stack, 'PATCH', `/api/v1/admin/parties/${registered.id}`, {
    callbackUrl: hotel.callbackUrl,
    signIn: hotelSignIn(hotel.callbackUrl),
  });
  expect(moved.status).toBe(200);
  holder = await holderWithCard(stack);
});

afterAll(async () => {
  await hotel?.stop();
  await relay?.stop();
  await stack?.stop();
});

afterEach(() => {
  delete relay.tokenAnswer;
});

/** The browser presses a level button and follows the redirects to the BFF's sign-in page. */
async function startSignIn(level: 1 | 2 | 3) {
  const b = browser();
  const page = await b.go(`${hotel.url}/signin/start?level=${level}`);
  const pushed = relay.pushed.at(-1)!;
  return { b, page, pushed, state: pushed.get('state')!, nonce: pushed.get('nonce')! };
}

/** An ID token as the BFF would make it for the sign-in `pushed` started, signed by `key`, with `claims` changed. */
async function idToken(
  pushed: URLSearchParams,
  key: CryptoKey | Uint8Array | Parameters<SignJWT['sign']>[0],
  kid: string,
  claims: Record<string, unknown> = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: issuer,
    aud: registered.id,
    iat: now,
    exp: now + 300,
    sub: 'forged-subject',
    nonce: pushed.get('nonce'),
    acr: pushed.get('acr_values'),
    amr: ['swk'],
    auth_time: now,
    name: '伪造',
    id_number_masked: '3701**********0011',
    ...claims,
  })
    .setProtectedHeader({ alg: 'EdDSA', kid })
    .sign(key);
}

const realSigningKey = async () => {
  const jwk = stack.deps.keys.oidcSigningJwks()[0]!;
  return { key: await importJWK({ ...jwk }, 'EdDSA'), kid: jwk.kid };
};

it('when the hotel registers, then its sign-in is level 1 under its check-in purpose, returning to its callback', async () => {
  const view = await adminCall(stack, 'GET', `/api/v1/admin/parties/${registered.id}`);
  expect(view.status).toBe(200);
  expect(view.body.signIn).toEqual({
    redirectUris: [hotel.redirectUri],
    level: 1,
    purpose: 'hotel_check_in',
  });
  expect(hotel.redirectUri).toBe(`${hotel.url}/signin/callback`);
  const desk = await (await fetch(`${hotel.url}/`)).text();
  for (const n of [1, 2, 3]) expect(desk).toContain(`href="/signin/start?level=${n}"`);
});

it('when a level button is pressed, then the hotel pushes a request the BFF accepts (PKCE S256, acr, a fresh EdDSA assertion) and the browser lands on the BFF sign-in page', async () => {
  const { page, pushed } = await startSignIn(2);
  expect(pushed.get('client_id')).toBe(registered.id);
  expect(pushed.get('response_type')).toBe('code');
  expect(pushed.get('scope')).toBe('openid name_masked_id');
  expect(pushed.get('redirect_uri')).toBe(hotel.redirectUri);
  expect(pushed.get('code_challenge_method')).toBe('S256');
  expect(pushed.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(pushed.get('acr_values')).toBe('urn:cn:eid:loa:2');
  expect(pushed.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(pushed.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(pushed.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  const assertion = pushed.get('client_assertion')!;
  expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'EdDSA', kid: registered.kid });
  const claims = decodeJwt(assertion);
  expect(claims).toMatchObject({ iss: registered.id, sub: registered.id, aud: issuer });
  expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(60);
  expect(claims.iat).toBe(Math.floor(stack.clock.now() / 1000));

  expect(page.status).toBe(200);
  expect(page.url).toMatch(new RegExp(`^${relay.url}/signin/[A-Za-z0-9_-]+$`));
  expect(page.html).toContain(HOTEL_NAME);
  // Each attempt its own state, each request its own assertion.
  const other = await startSignIn(1);
  expect(other.state).not.toBe(pushed.get('state'));
  expect(decodeJwt(other.pushed.get('client_assertion')!).jti).not.toBe(claims.jti);
});

it('when the answer carries another state, or comes to a browser that started nothing, then the hotel refuses it before any exchange', async () => {
  const { b, state } = await startSignIn(1);
  const exchanges = relay.exchanged.length;
  const wrong = await b.go(
    `${hotel.url}/signin/callback?code=abc&state=not-${state}&iss=${encodeURIComponent(issuer)}`,
  );
  expect(wrong.status).toBe(400);
  expect(reasonOf(wrong.html)).toBe('state_mismatch');
  expect(wrong.html).toContain('登录回应与本浏览器发起的登录不符');

  // The right state, but in another browser (no cookie): a login CSRF attempt.
  const elsewhere = await browser().go(
    `${hotel.url}/signin/callback?code=abc&state=${state}&iss=${encodeURIComponent(issuer)}`,
  );
  expect(elsewhere.status).toBe(400);
  expect(reasonOf(elsewhere.html)).toBe('no_signin');
  expect(relay.exchanged.length).toBe(exchanges);
});

it('when the answer names another issuer, then the hotel refuses it, and the attempt is spent', async () => {
  const { b, state } = await startSignIn(1);
  const exchanges = relay.exchanged.length;
  const mixUp = await b.go(
    `${hotel.url}/signin/callback?code=abc&state=${state}&iss=${encodeURIComponent('https://idp.example.com/oidc')}`,
  );
  expect(mixUp.status).toBe(400);
  expect(reasonOf(mixUp.html)).toBe('iss_mismatch');
  // The same state again, now with the right issuer: one answer per attempt.
  const again = await b.go(
    `${hotel.url}/signin/callback?code=abc&state=${state}&iss=${encodeURIComponent(issuer)}`,
  );
  expect(reasonOf(again.html)).toBe('state_mismatch');
  expect(relay.exchanged.length).toBe(exchanges);
});

it('when the code exchange brings an ID token signed by another key under the real kid, then the hotel refuses it', async () => {
  const { b, state, pushed } = await startSignIn(1);
  const { kid } = await realSigningKey();
  const forged = await idToken(pushed, generateKeyPairSync('ed25519').privateKey, kid);
  relay.tokenAnswer = () => ({ id_token: forged, access_token: 'x', token_type: 'Bearer', expires_in: 60 });
  const page = await b.go(
    `${hotel.url}/signin/callback?code=abc&state=${state}&iss=${encodeURIComponent(issuer)}`,
  );
  expect(page.status).toBe(400);
  expect(reasonOf(page.html)).toBe('id_token_invalid');
  expect(testId(page.html, 'signin-error-detail')).toContain('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  expect(page.html).not.toContain('forged-subject');
  // The exchange the hotel sent: the code, its PKCE verifier, a fresh assertion.
  const sent = relay.exchanged.at(-1)!;
  expect(sent.get('grant_type')).toBe('authorization_code');
  expect(sent.get('code')).toBe('abc');
  expect(sent.get('redirect_uri')).toBe(hotel.redirectUri);
  expect(sent.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(decodeJwt(sent.get('client_assertion')!).jti).not.toBe(
    decodeJwt(pushed.get('client_assertion')!).jti,
  );
});

it('when the ID token is the BFF key’s but for another sign-in (nonce), another party, or a lower level, then the hotel refuses it', async () => {
  const { key, kid } = await realSigningKey();
  const cases: [string, Record<string, unknown>, string][] = [
    ['nonce', { nonce: 'another-sign-in' }, 'nonce_mismatch'],
    ['audience', { aud: 'rp_another_party' }, 'id_token_invalid'],
    ['level', { acr: 'urn:cn:eid:loa:1' }, 'level_too_low'],
  ];
  for (const [what, claims, reason] of cases) {
    const { b, state, pushed } = await startSignIn(2);
    const token = await idToken(pushed, key, kid, claims);
    relay.tokenAnswer = () => ({ id_token: token, access_token: 'x', token_type: 'Bearer', expires_in: 60 });
    const page = await b.go(
      `${hotel.url}/signin/callback?code=abc&state=${state}&iss=${encodeURIComponent(issuer)}`,
    );
    expect([what, page.status, reasonOf(page.html)]).toEqual([what, 400, reason]);
  }
  // The same key with nothing changed passes: the refusals above are the changed claim's.
  const { b, state, pushed } = await startSignIn(2);
  const token = await idToken(pushed, key, kid);
  relay.tokenAnswer = () => ({ id_token: token, access_token: 'x', token_type: 'Bearer', expires_in: 60 });
  const page = await b.go(
    `${hotel.url}/signin/callback?code=abc&state=${state}&iss=${encodeURIComponent(issuer)}`,
  );
  expect(page.status).toBe(200);
  expect(testId(page.html, 'signin-sub')).toBe('forged-subject');
});

it('when the person at the computer cancels on the BFF page, then the browser returns to the hotel, which says so', async () => {
  const { b, page } = await startSignIn(1);
  const cancelled = await b.go(`${page.url}/cancel`, { method: 'POST', json: {} });
  expect(cancelled.url).toMatch(new RegExp(`^${hotel.redirectUri}\\?`));
  expect(cancelled.status).toBe(400);
  expect(reasonOf(cancelled.html)).toBe('access_denied');
  expect(cancelled.html).toContain('居民拒绝或取消了登录');
});

describe('the whole sign-in, approved on the phone', () => {
  /** Starts at the hotel, approves on `who`'s phone, and follows the BFF page's finish back to the hotel. */
  async function signInThrough(
    level: 1 | 2 | 3,
    approve: Parameters<typeof approveSignIn>[3] = {},
    who: Holder = holder,
    stopAt?: (url: URL) => boolean,
  ) {
    const { b, page } = await startSignIn(level);
    const requestCode = /data-request-code="([^"]+)"/.exec(page.html)?.[1];
    expect(requestCode).toMatch(/^EIDS1/);
    const { approve: answer } = await approveSignIn(stack, who, requestCode!, approve);
    expect(answer.status).toBe(200);
    return { b, page, done: await b.go(`${page.url}/finish`, { stopAt }) };
  }

  it('when the resident approves at level 1, then the hotel shows them signed in with the pairwise subject rp/verify gives it', async () => {
    const { done } = await signInThrough(1);
    expect(done.url).toMatch(new RegExp(`^${hotel.redirectUri}\\?code=`));
    expect(done.status).toBe(200);
    expect(done.html).toContain('已登录 Signed in');
    expect(testId(done.html, 'signin-level')).toBe('1');
    expect(testId(done.html, 'signin-acr')).toBe('urn:cn:eid:loa:1');
    expect(testId(done.html, 'signin-amr')).toBe('swk');
    expect(testId(done.html, 'signin-auth-time')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(testId(done.html, 'signin-claim-name')).toBe(holder.person.name);
    expect(testId(done.html, 'signin-claim-id_number_masked')).toBe(maskIdNumber(holder.person.idNumber));
    const sub = testId(done.html, 'signin-sub')!;
    const verified = await call<any>(hotel.url, 'POST', '/api/verify', {
      body: { code: codeOf(stack, holder) },
    });
    expect(verified.status).toBe(200);
    expect(verified.body.subject).toBe(sub);
    expect(hotel.state.signedIn.at(-1)).toMatchObject({ sub, level: 1 });

    // The same answer again (a reload, or a stolen URL): the attempt is spent, nothing is exchanged.
    const exchanges = relay.exchanged.length;
    const reload = await browser().go(done.url);
    expect(reasonOf(reload.html)).toBe('no_signin');
    expect(relay.exchanged.length).toBe(exchanges);
  });

  it('when the hotel asks level 2 or 3 and the resident gives the passcode (and the face), then the hotel shows that level and its methods', async () => {
    await setPasscode(stack, holder);
    const two = (await signInThrough(2, { passcode: TEST_PASSCODE })).done;
    expect(two.status).toBe(200);
    expect(testId(two.html, 'signin-level')).toBe('2');
    expect(testId(two.html, 'signin-acr')).toBe('urn:cn:eid:loa:2');
    expect(testId(two.html, 'signin-amr')).toBe('swk pin mfa');
    const three = (await signInThrough(3, { passcode: TEST_PASSCODE, reauthToken: true })).done;
    expect(three.status).toBe(200);
    expect(testId(three.html, 'signin-level')).toBe('3');
    expect(testId(three.html, 'signin-amr')).toBe('swk pin face mfa');
    // One resident, one subject at this hotel, whatever the level.
    expect(testId(three.html, 'signin-sub')).toBe(testId(two.html, 'signin-sub'));
  });

  it('when the card is suspended after the approval but before the hotel exchanges the code, then the exchange is refused and nobody is signed in', async () => {
    const other = await holderWithCard(stack);
    const signedIn = hotel.state.signedIn.length;
    const { b, done } = await signInThrough(1, {}, other, (url) => url.href.startsWith(hotel.redirectUri));
    expect(done.url).toMatch(/[?&]code=/);
    const suspended = await stack.api('POST', '/api/v1/card/suspend', { token: other.token, body: {} });
    expect(suspended.status).toBe(200);
    const page = await b.go(done.url);
    expect(reasonOf(page.html)).toBe('token_refused');
    expect(testId(page.html, 'signin-error-detail')).toContain('invalid_grant');
    expect(hotel.state.signedIn.length).toBe(signedIn);
  });
});
