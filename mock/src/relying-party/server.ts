import type Koa from 'koa';
import QRCode from 'qrcode';
import { MockHttpError, startMockServer, systemClock } from '../lib/server';
import { createCallbackVerifier, type CallbackCheck, type HotelCallbackEvent } from './callbacks';
import { createRpClient, RpError, type HotelClock } from './client';
import { createOidcClient, CLAIMS_OF_SCOPE, type OidcClient, type SignedIn } from './oidc-client';
import { hotelPage } from './page';
import { addSignInRoutes } from './signin';
import { privateKeyFrom } from './signer';
import type { KeyObject } from 'node:crypto';

/** The example hotel (fictional). */
export const HOTEL_NAME = '悦途快捷酒店（济南泉城路店）';
export const HOTEL_NAME_EN = 'Yuetu Express Inn (Jinan, Quancheng Road)';
export const HOTEL_PURPOSE = 'hotel_check_in';
export const HOTEL_SCOPES = ['name_masked_id'] as const;
/** What "sign in with e-ID" asks for besides `openid`: those of its grant that sign-in offers. */
export const HOTEL_SIGNIN_SCOPES: readonly string[] = HOTEL_SCOPES.filter((s) => s in CLAIMS_OF_SCOPE);
/** Days the hotel keeps a guest's name and masked number (declared at registration and in each request). */
export const HOTEL_RETENTION_DAYS = 30;

export interface HotelParty {
  /** The party id the BFF gave at registration (`rp_…`). */
  id: string;
  /** The key id requests are signed with. */
  kid: string;
  /** Ed25519 private key: PKCS#8 PEM, a 32-byte seed (hex or base64url) or a KeyObject. */
  privateKey: string | Uint8Array | KeyObject;
  /** `whsec_…`, or the live ones newest first during a rotation. */
  webhookSecret: string | readonly string[];
}

export interface StartHotelOptions {
  bffUrl: string;
  party: HotelParty;
  port?: number;
  host?: string;
  /** Signs `created` and checks callback timestamps (v1a); the tests pass the stack's clock. */
  clock?: HotelClock;
  /**
   * The hotel's origin as browsers reach it (default the address it listens on): the sign-in redirect URI
   * is it + `/signin/callback`, as registered.
   */
  publicUrl?: string;
}

export type CheckInState = 'pending' | 'approved' | 'declined' | 'expired' | 'withdrawn' | 'deleted';

/** One check-in as the hotel keeps it; the guest's data only while the consent stands. */
export interface CheckIn {
  /** The consent id. */
  id: string;
  /** The hotel's own reference, sent with the request and echoed in callbacks. */
  reference: string;
  state: CheckInState;
  createdAt: number;
  expiresAt: number;
  requestCode?: string;
  requestUrl?: string;
  /** `data:image/svg+xml;base64,…` of the request code. */
  qr?: string;
  guest?: { name: string; idNumberMasked: string };
  /** The guest's pairwise identifier at this hotel. */
  subject?: string;
  deletion?: { deletedAt: number; acknowledged: boolean; bffState?: string };
  /** The last BFF error code met while following this check-in. */
  error?: string;
}

/** One callback as it arrived, for the tests and the log (no body content beyond the type). */
export interface CallbackLogEntry {
  webhookId?: string;
  type?: string;
  status: number;
  duplicate: boolean;
  check: Omit<CallbackCheck, 'event'>;
}

export interface HotelState {
  checkIns: Map<string, CheckIn>;
  callbacks: CallbackLogEntry[];
  /** Every verified "sign in with e-ID", oldest first. */
  signedIn: SignedIn[];
  /** Resolves when the work callbacks started (claims read, deletion acknowledged) has finished. */
  idle(): Promise<void>;
}

export interface Hotel {
  url: string;
  /** Where the BFF should send callbacks. */
  callbackUrl: string;
  /** Where the provider sends the browser back after a sign-in: register it (PartySignIn.redirectUris). */
  redirectUri: string;
  state: HotelState;
  stop(): Promise<void>;
}

interface ConsentAnswer {
  id: string;
  state: string;
  reference?: string;
  createdAt: number;
  expiresAt: number;
  requestCode?: string;
  requestUrl?: string;
  subject?: string;
  claims?: { name?: string; idNumberMasked?: string };
  deletion?: { state: string };
}

function view(c: CheckIn): CheckIn {
  return { ...c };
}

/**
 * Starts the example hotel: its page at `/`, its API for the page under `/api`, and `/callbacks` for the
 * BFF. It talks to the BFF only through the documented relying-party API, signing every request itself.
 *
 * @example const hotel = await startHotel({ bffUrl, party: { id, kid, privateKey, webhookSecret } });
 */
export async function startHotel(options: StartHotelOptions): Promise<Hotel> {
  const clock = options.clock ?? systemClock;
  const privateKey = privateKeyFrom(options.party.privateKey);
  const rp = createRpClient({ bffUrl: options.bffUrl, kid: options.party.kid, privateKey, clock });
  const secrets = () =>
    typeof options.party.webhookSecret === 'string'
      ? [options.party.webhookSecret]
      : options.party.webhookSecret;
  const verifier = createCallbackVerifier({ bffUrl: options.bffUrl, secrets, clock });

  const checkIns = new Map<string, CheckIn>();
  const callbacks: CallbackLogEntry[] = [];
  const signedIn: SignedIn[] = [];
  // Made once the server listens: its redirect URI holds the port it got.
  const made: { oidc?: OidcClient } = {};
  // A real hotel keeps these in its database: a webhook-id seen once is never acted on again.
  const seen = new Set<string>();
  const work = new Set<Promise<void>>();
  let sequence = 1000;

  function later(task: () => Promise<void>): void {
    const p = task()
      .catch((err) => console.error(`[hotel] callback work failed: ${(err as Error).message}`))
      .finally(() => work.delete(p));
    work.add(p);
  }

  function fromConsent(c: CheckIn, answer: ConsentAnswer): void {
    if (c.state === 'deleted') return;
    c.state = answer.state as CheckInState;
    c.expiresAt = answer.expiresAt;
    if (answer.state !== 'pending') {
      delete c.requestCode;
      delete c.requestUrl;
      delete c.qr;
    }
    if (answer.subject) c.subject = answer.subject;
    if (answer.state === 'approved' && answer.claims?.name && answer.claims.idNumberMasked)
      c.guest = { name: answer.claims.name, idNumberMasked: answer.claims.idNumberMasked };
    if (answer.state !== 'approved') delete c.guest;
  }

  async function readConsent(c: CheckIn): Promise<void> {
    try {
      fromConsent(c, await rp.ok<ConsentAnswer>('GET', `/api/v1/rp/consents/${encodeURIComponent(c.id)}`));
      delete c.error;
    } catch (err) {
      c.error = err instanceof RpError ? err.code : 'bff_unreachable';
    }
  }

  async function eraseAndAcknowledge(c: CheckIn): Promise<void> {
    // Erase first, then say so: the acknowledgement is a signed statement that the data is gone.
    delete c.guest;
    delete c.subject;
    c.state = 'deleted';
    c.deletion = { deletedAt: clock.now(), acknowledged: false };
    await acknowledge(c);
  }

  async function acknowledge(c: CheckIn): Promise<void> {
    const deletedAt = c.deletion!.deletedAt;
    try {
      const answer = await rp.ok<ConsentAnswer>(
        'POST',
        `/api/v1/rp/consents/${encodeURIComponent(c.id)}/deletion-ack`,
        { deletedAt, note: `已删除入住登记 #${c.reference} Check-in record deleted` },
      );
      c.deletion = { deletedAt, acknowledged: true, bffState: answer.deletion?.state };
      delete c.error;
    } catch (err) {
      // Kept unacknowledged: the desk's refresh sends it again (the deletion itself stands).
      c.error = err instanceof RpError ? err.code : 'bff_unreachable';
    }
  }

  function onEvent(event: HotelCallbackEvent): void {
    const c = event.data.consentId ? checkIns.get(event.data.consentId) : undefined;
    if (!c) return;
    switch (event.type) {
      case 'consent.approved':
        later(() => readConsent(c));
        break;
      case 'consent.declined':
      case 'consent.expired':
      case 'consent.withdrawn':
        fromConsent(c, {
          id: c.id,
          createdAt: c.createdAt,
          expiresAt: c.expiresAt,
          state: event.data.state ?? event.type.slice('consent.'.length),
        });
        break;
      case 'deletion.requested':
        later(() => eraseAndAcknowledge(c));
        break;
    }
  }

  async function receiveCallback(ctx: Koa.Context): Promise<void> {
    const raw = (ctx.request as unknown as { rawBody?: string }).rawBody ?? '';
    const id = ctx.get('webhook-id') || undefined;
    const check = await verifier.verify(ctx.headers, raw);
    const { event, ...logged } = check;
    if (!check.ok || !event) {
      // 401, never 410: a 410 would make the BFF switch our endpoint off.
      callbacks.push({ webhookId: id, status: 401, duplicate: false, check: logged });
      throw new MockHttpError(401, 'bad_signature', check.reason ?? 'callback not verified');
    }
    const duplicate = seen.has(id!);
    callbacks.push({ webhookId: id, type: event.type, status: 204, duplicate, check: logged });
    if (!duplicate) {
      seen.add(id!);
      onEvent(event);
    }
    // Answer at once; reading the claims or acknowledging a deletion happens after (later()).
    ctx.status = 204;
  }

  /** A BFF call made for the page: its refusal code goes to the desk as a 502, so is a network failure. */
  async function forDesk<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (err) {
      if (err instanceof RpError)
        throw new MockHttpError(502, err.code, err.message, { retryAfterS: err.retryAfterS });
      throw new MockHttpError(502, 'bff_unreachable', 'the e-ID service cannot be reached');
    }
  }

  async function createCheckIn(): Promise<CheckIn> {
    sequence += 1;
    const reference = `A${sequence}`;
    const answer = await forDesk(() =>
      rp.ok<ConsentAnswer>('POST', '/api/v1/rp/consents', {
        purpose: HOTEL_PURPOSE,
        scopes: [...HOTEL_SCOPES],
        reason:
          '入住登记：核对住客姓名和身份证号（公安机关要求）Check-in: guest name and ID number, as the police require',
        retentionDays: HOTEL_RETENTION_DAYS,
        reference,
      }),
    );
    const svg = answer.requestCode
      ? await QRCode.toString(answer.requestCode, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
      : undefined;
    const c: CheckIn = {
      id: answer.id,
      reference,
      state: answer.state as CheckInState,
      createdAt: answer.createdAt,
      expiresAt: answer.expiresAt,
      requestCode: answer.requestCode,
      requestUrl: answer.requestUrl,
      qr: svg ? `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}` : undefined,
    };
    checkIns.set(c.id, c);
    return c;
  }

  function find(id: string): CheckIn {
    const c = checkIns.get(id);
    if (!c) throw new MockHttpError(404, 'not_found', 'no such check-in');
    return c;
  }

  const server = await startMockServer({
    name: 'hotel',
    port: options.port,
    host: options.host,
    build(router) {
      router.get('/', function page(ctx) {
        ctx.type = 'html';
        ctx.body = hotelPage(`${HOTEL_NAME} ${HOTEL_NAME_EN}`);
      });
      router.get('/api/check-ins', function listCheckIns(ctx) {
        ctx.body = { checkIns: [...checkIns.values()].reverse().map(view) };
      });
      router.post('/api/check-ins', async function newCheckIn(ctx) {
        ctx.status = 201;
        ctx.body = view(await createCheckIn());
      });
      router.get('/api/check-ins/:id', function oneCheckIn(ctx) {
        ctx.body = view(find(ctx.params.id));
      });
      // The fallback when a callback is late: ask the BFF (a signed GET) instead of waiting.
      router.post('/api/check-ins/:id/refresh', async function refreshCheckIn(ctx) {
        const c = find(ctx.params.id);
        if (c.state !== 'deleted') await readConsent(c);
        else if (!c.deletion?.acknowledged) await acknowledge(c);
        ctx.body = view(c);
      });
      router.post('/api/verify', async function verifyCode(ctx) {
        const code = (ctx.request.body as { code?: unknown } | undefined)?.code;
        if (typeof code !== 'string' || code.length === 0 || code.length > 4096)
          throw new MockHttpError(400, 'bad_request', 'code: 1-4096 characters');
        ctx.body = await forDesk(() => rp.ok('POST', '/api/v1/rp/verify', { code, purpose: HOTEL_PURPOSE }));
      });
      router.post('/callbacks', receiveCallback);
      addSignInRoutes(router, {
        oidc: () => made.oidc!,
        hotelName: `${HOTEL_NAME} ${HOTEL_NAME_EN}`,
        clock,
        secure: (options.publicUrl ?? '').startsWith('https:'),
        signedIn,
      });
    },
  });
  const publicUrl = (options.publicUrl ?? server.url).replace(/\/+$/, '');
  const redirectUri = `${publicUrl}/signin/callback`;
  made.oidc = createOidcClient({
    bffUrl: options.bffUrl,
    clientId: options.party.id,
    kid: options.party.kid,
    privateKey,
    redirectUri,
    scopes: HOTEL_SIGNIN_SCOPES,
    clock,
  });

  return {
    url: server.url,
    callbackUrl: `${publicUrl}/callbacks`,
    redirectUri,
    state: {
      checkIns,
      callbacks,
      signedIn,
      async idle() {
        while (work.size > 0) await Promise.all([...work]);
      },
    },
    stop: () => server.stop(),
  };
}
