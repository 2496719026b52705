import QRCode from 'qrcode';
import { parseSignInCode } from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import { oidcClient, oidcParty } from '../../helpers/oidc';
import { controlCodeOfRequest } from '../../helpers/signin';
import type { RegisteredParty } from '../../helpers/party';

// The desktop sign-in page the provider sends the browser to (issue 17, docs/remote-signin.md step 3):
// bound to the interaction cookie of the browser that was sent there, showing who asks, where the browser
// returns, the level, the QR code and the control code, and answering status, finish and cancel.
let stack: Stack;
let party: RegisteredParty;
beforeAll(async () => {
  stack = await startStack();
  party = await oidcParty(stack, { level: 1 });
});
afterAll(() => stack.stop());

const signinIdOf = (requestCode: string) => parseSignInCode(requestCode)!.id;
const attr = (page: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(page)?.[1];

describe('sign-in page', () => {
  it('when the browser arrives from the provider, then the page shows the verified name, the return origin, the level, the QR code of the request code and the control code', async () => {
    const rp = oidcClient(stack, party);
    const started = await rp.begin({ scope: 'openid name_masked_id' });
    const { page, pageReply } = started;
    expect(pageReply.headers.get('content-type')).toMatch(/^text\/html/);
    // The name the page shows is the one in the party's signed registration.
    expect(party.party.registration.payload.name).toBe(party.party.name);
    expect(page).toContain(`<dd id="party-name">${party.party.name}</dd>`);
    expect(page).toContain('<dd id="return-origin">https://hotel.example.com</dd>');
    expect(attr(page, 'data-level')).toBe('1');
    // The QR code is the request code's, the control code the one the phone will compute from it.
    const requestCode = started.requestCode!;
    expect(requestCode).toMatch(/^EIDS1:/);
    const svg = await QRCode.toString(requestCode, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    expect(page).toContain(svg);
    expect(started.controlCode).toBe(controlCodeOfRequest(requestCode));
    // The same-device button opens the mini-program's approval page with the code.
    expect(attr(page, 'id="same-device" href')).toBe(
      `${stack.config.MINIAPP_URL}/#/signin/pages/approve/index?code=${encodeURIComponent(requestCode)}`,
    );
    expect(page).toContain('id="cancel"');
    // Chinese first, English second.
    expect(page.indexOf('使用电子身份证登录')).toBeLessThan(page.indexOf('Sign in with your e-ID'));
    // And the sign-in it started is pending for this party at level 1.
    expect(await stack.services.signins.outcome(signinIdOf(requestCode))).toMatchObject({
      state: 'pending',
      scopes: ['name_masked_id'],
      fields: ['name', 'idNumberMasked'],
    });
  });

  it('when the page is served, then it is never cached, cannot be framed, and runs only its own nonce script', async () => {
    const rp = oidcClient(stack, party);
    const { page, pageReply } = await rp.begin();
    const headers = pageReply.headers;
    expect(headers.get('cache-control')).toBe('no-store');
    expect(headers.get('x-frame-options')).toBe('DENY');
    const csp = headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(page).toContain(`<script nonce="${nonce}">`);
    expect(page).not.toMatch(/\son[a-z]+=/);
    // A second page gets another nonce.
    const again = await rp.page();
    const second = /script-src 'nonce-([^']+)'/.exec(again.last.headers.get('content-security-policy')!)?.[1];
    expect(second).not.toBe(nonce);
  });

  it('when the page is reloaded, then it shows the same sign-in (same request and control code)', async () => {
    const rp = oidcClient(stack, party);
    const first = await rp.begin();
    const reload = await rp.page();
    expect(reload.last.status).toBe(200);
    expect(attr(String(reload.last.body), 'data-request-code')).toBe(first.requestCode);
  });

  it('when acr_values asks for more than the party registered, then the page asks for that level; never less than registered', async () => {
    const rp = oidcClient(stack, party);
    const higher = await rp.begin({ acr_values: 'urn:cn:eid:loa:3' });
    expect(attr(higher.page, 'data-level')).toBe('3');
    const strict = await oidcParty(stack, { level: 2 });
    const lower = await oidcClient(stack, strict).begin({ acr_values: 'urn:cn:eid:loa:1 something-else' });
    expect(attr(lower.page, 'data-level')).toBe('2');
  });

  it('when the page polls its status, then it answers the state, control code and expiry, uncached', async () => {
    const rp = oidcClient(stack, party);
    const { controlCode, requestCode } = await rp.begin();
    const res = await rp.status();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const outcome = await stack.services.signins.outcome(signinIdOf(requestCode!));
    expect(res.body).toEqual({ state: 'pending', controlCode, expiresAt: outcome.expiresAt });
    expect(res.body.expiresAt).toBe(stack.clock.now() + stack.config.SIGNIN_TTL_S * 1000);
  });

  it('when another browser (no interaction cookie) opens the page or its status, then 404 NOT_FOUND', async () => {
    const rp = oidcClient(stack, party);
    const { uid } = await rp.begin();
    const stranger = oidcClient(stack, party);
    stranger.uid = uid;
    for (const res of [
      (await stranger.page()).last,
      await stranger.status(),
      (await stranger.finish()).last,
    ]) {
      expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
    }
    // The browser's cookie does not open another interaction's page either, nor a malformed uid.
    const other = oidcClient(stack, party);
    const second = await other.begin();
    rp.uid = second.uid;
    expect((await rp.status()).body.code).toBe('NOT_FOUND');
    rp.uid = 'not a uid';
    expect((await rp.status()).status).toBe(404);
  });

  it('when the page asks to finish before the resident answered, then 409 SIGNIN_WRONG_STATE and the sign-in goes on', async () => {
    const rp = oidcClient(stack, party);
    const { requestCode } = await rp.begin();
    const res = (await rp.finish()).last;
    expect([res.status, res.body.code, res.body.details]).toEqual([
      409,
      'SIGNIN_WRONG_STATE',
      { state: 'pending' },
    ]);
    expect((await rp.status()).body.state).toBe('pending');
    expect((await stack.services.signins.outcome(signinIdOf(requestCode!))).state).toBe('pending');
  });

  it('when the browser cancels, then the sign-in is cancelled and the party receives access_denied with its state and our issuer', async () => {
    const rp = oidcClient(stack, party);
    const { requestCode, state } = await rp.begin();
    const stop = await rp.cancel();
    expect(stop.left).toMatchObject({ error: 'access_denied', state, iss: `${stack.url}/oidc` });
    expect(stop.left!.url.startsWith(`${rp.redirectUri}?`)).toBe(true);
    expect(stop.left!.code).toBeUndefined();
    expect((await stack.services.signins.outcome(signinIdOf(requestCode!))).state).toBe('cancelled');
    // The interaction is over: the page and its status answer 410 SIGNIN_EXPIRED to the same browser.
    const after = await rp.status();
    expect([after.status, after.body.code]).toEqual([410, 'SIGNIN_EXPIRED']);
  });

  it('when cancel carries a body with unknown keys, then 400 VALIDATION_FAILED and nothing is cancelled', async () => {
    const rp = oidcClient(stack, party);
    const { requestCode } = await rp.begin();
    const stop = await rp.cancel('{"reason":"bored"}');
    expect([stop.last.status, stop.last.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(stop.left).toBeUndefined();
    expect((await stack.services.signins.outcome(signinIdOf(requestCode!))).state).toBe('pending');
  });

  it('when the page script cancels (fetch without following) and then finishes, then the party still receives access_denied', async () => {
    const rp = oidcClient(stack, party);
    const { uid } = await rp.begin();
    const cookie = rp.jar.header(`/signin/${uid}/cancel`)!;
    const res = await fetch(`${stack.url}/signin/${uid}/cancel`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect((await rp.status()).body.state).toBe('cancelled');
    const stop = await rp.finish();
    expect(stop.left).toMatchObject({ error: 'access_denied' });
  });

  it('when the resident does not answer in time, then the status says expired and finish sends the party access_denied', async () => {
    const local = await startStack();
    try {
      const hotel = await oidcParty(local);
      const rp = oidcClient(local, hotel);
      await rp.begin();
      local.clock.advance(local.config.SIGNIN_TTL_S * 1000 + 1000);
      expect((await rp.status()).body.state).toBe('expired');
      const stop = await rp.finish();
      expect(stop.left).toMatchObject({
        error: 'access_denied',
        error_description: 'the sign-in was not approved in time',
      });
    } finally {
      await local.stop();
    }
  });

  it('when the browser comes back after the interaction itself lapsed, then 410 SIGNIN_EXPIRED', async () => {
    const local = await startStack();
    try {
      const hotel = await oidcParty(local);
      const rp = oidcClient(local, hotel);
      await rp.begin();
      // The interaction lives a while past the sign-in, so the page can still say why; then it is gone.
      local.clock.advance((local.config.SIGNIN_TTL_S + 301) * 1000);
      for (const res of [(await rp.page()).last, await rp.status(), (await rp.finish()).last]) {
        expect([res.status, res.body.code]).toEqual([410, 'SIGNIN_EXPIRED']);
      }
    } finally {
      await local.stop();
    }
  });
});
