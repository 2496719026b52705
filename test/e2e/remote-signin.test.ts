import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { acrOfLevel, type SignInLevel } from '@eid/shared';
import {
  FIXTURES,
  HOTEL_NAME,
  hotelSignIn,
  registerHotel,
  startHotel,
  syntheticCaptureBytes,
  type Hotel,
} from '@eid/mock';
import { serveH5, type H5Server } from '../../scripts/serve-h5';
import { launchBrowser, type Browser } from '../helpers/browser';
import { enrolThroughPages, H5_DIR } from '../helpers/h5-session';
import { adminCall, supervisorToken } from '../helpers/party';
import { TEST_PASSCODE } from '../helpers/signin';
import { startStack, type Stack } from '../helpers/stack';

/**
 * Issue 17's remote sign-in in headless Chromium, two browsers as two devices: a desktop opens the example
 * hotel (mock/src/relying-party), presses "sign in with e-ID" at level 1, 2 or 3 and lands on the BFF's
 * sign-in page (party, return origin, level, QR code, control code); the resident's phone, the H5 build of
 * the mini-program with an enrolled card, opens that page's same-device link (MINIAPP_URL is this test's H5
 * server), checks the party and origin, taps the control code, enters the passcode (set on the passcode
 * page, reached from the sign-in) and passes the face check as the level asks, and approves; the desktop
 * page, polling, goes on by itself to the hotel, which shows the level and the pairwise member id. A wrong
 * control code stops the sign-in on both screens and the hotel gets access_denied.
 *
 * Relied on: the hotel's `signin-level-<n>` buttons, its signed-in page's `signin-done`, `signin-level`,
 * `signin-acr`, `signin-sub` and error page's `signin-error[data-reason]`; the BFF page's `#party-name`,
 * `#return-origin`, `#level[data-level]`, `#qr[data-request-code]`, `#control-code`, `#same-device`,
 * `#status`, `#back`; the phone's `registration-verified`, `signin-party`, `signin-origin`, `signin-level`,
 * `signin-code-<digits>`, `signin-passcode-missing`, `signin-set-passcode`, `#signin-passcode`,
 * `signin-face`, `#face-file`, `signin-approve`, `signin-result[data-state]`, `signin-mismatch`, and the
 * passcode page's `passcode-new`, `passcode-confirm`, `passcode-save`, `passcode-done`, `passcode-back`.
 * Screenshots go to a temporary directory, removed afterwards unless KEEP_SCREENSHOTS=1.
 */

const resident = FIXTURES.pass;
const STEP_MS = 30_000;

jest.setTimeout(120_000);

/** Holds a free port on 127.0.0.1 until released, so the BFF can be told the H5 origin before it is served. */
async function reservePort(): Promise<{ port: number; release(): Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return { port, release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Fails when a raw error code or a stack trace is on screen. */
async function expectNoRawCodes(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/\b[A-Z]{3,}(_[A-Z]+)+\b|Error:|at \w+ \(/);
}

describe('remote sign-in at the example hotel: the desktop page, the phone and back', () => {
  let stack: Stack;
  let h5: H5Server;
  let hotel: Hotel;
  let desktop: Browser;
  let phone: Browser;
  let desk: Page;
  let ticking: NodeJS.Timeout | undefined;
  let shots: string;
  /** The member id the hotel showed after each sign-in, by level. */
  const subs = new Map<SignInLevel, string>();

  /** A screenshot of the whole page (Taro's H5 pages scroll inside their own container); answers its path. */
  async function shot(page: Page, name: string): Promise<string> {
    const file = path.join(shots, `${name}.png`);
    const size = page.viewportSize();
    const height = await page.evaluate(() =>
      Math.max(
        document.body.scrollHeight,
        ...Array.from(document.querySelectorAll('.taro_page:not(.taro_page_shade)')).map(
          (p) => p.scrollHeight,
        ),
      ),
    );
    if (size && height > size.height)
      await page.setViewportSize({ width: size.width, height: Math.min(height, 8000) });
    try {
      await page.screenshot({ path: file, fullPage: true });
    } finally {
      if (size) await page.setViewportSize(size);
    }
    expect(statSync(file).size).toBeGreaterThan(1000);
    return file;
  }

  beforeAll(async () => {
    shots = mkdtempSync(path.join(os.tmpdir(), 'eid-remote-signin-'));
    mkdirSync(shots, { recursive: true });
    const held = await reservePort();
    const h5Origin = `http://127.0.0.1:${held.port}`;
    // The BFF builds the same-device link from MINIAPP_URL: this test's H5 server, so the link itself opens
    // the phone's page. The hotel's callbacks and return address are on 127.0.0.1 (allow-listed, as an
    // operator would for a test party). The clock follows real time: the phone signs with the browser's.
    stack = await startStack({
      startAt: Date.now(),
      env: { CALLBACK_ALLOW_HOSTS: '127.0.0.1', MINIAPP_URL: h5Origin },
    });
    ticking = setInterval(() => stack.clock.set(Date.now()), 100);
    await held.release();
    h5 = await serveH5({
      dir: H5_DIR,
      port: held.port,
      proxies: {
        '/api': stack.url,
        '/healthz': stack.url,
        '/readyz': stack.url,
        '/mock/superapp': stack.mocks.superapp.url,
        '/mock/face': stack.mocks.face.url,
      },
    });
    expect(h5.url).toBe(h5Origin);

    const registered = await registerHotel({
      bffUrl: stack.url,
      adminToken: await supervisorToken(stack),
      callbackUrl: 'https://hotel.example.com/callbacks',
    });
    hotel = await startHotel({
      bffUrl: stack.url,
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

    desktop = await launchBrowser({ width: 1280, height: 900 });
    phone = await launchBrowser({ width: 390, height: 844 });
    desk = await desktop.context.newPage();
    desk.setDefaultTimeout(STEP_MS);
    const enrolPage = await phone.context.newPage();
    enrolPage.setDefaultTimeout(STEP_MS);
    await enrolPage.emulateMedia({ reducedMotion: 'reduce' });
    await enrolThroughPages(enrolPage, h5.url, resident, 'remote-signin');
    // The card page has the card once issued to this phone (the heading shows while it is being issued).
    await enrolPage.getByRole('button', { name: '亮证' }).waitFor();
    await enrolPage.close();
  });

  afterAll(async () => {
    if (ticking) clearInterval(ticking);
    await phone?.close();
    await desktop?.close();
    await hotel?.stop();
    await h5?.stop();
    await stack?.stop();
    if (shots && process.env.KEEP_SCREENSHOTS !== '1') rmSync(shots, { recursive: true, force: true });
  });

  /** What the BFF's desktop page shows, read from the page. */
  interface DesktopPage {
    partyName: string;
    returnOrigin: string;
    level: number;
    controlCode: string;
    requestCode: string;
    sameDevice: string;
  }

  /** The desktop presses the level's button at the hotel and reads the BFF's sign-in page it lands on. */
  async function desktopStarts(level: SignInLevel): Promise<DesktopPage> {
    await desk.goto(`${hotel.url}/signin`);
    await desk.getByTestId(`signin-level-${level}`).click();
    await desk.waitForURL((url) => url.origin === stack.url && /^\/signin\/[^/]+$/.test(url.pathname));
    await desk.locator('#control-code').waitFor();
    const page: DesktopPage = {
      partyName: await desk.locator('#party-name').innerText(),
      returnOrigin: await desk.locator('#return-origin').innerText(),
      level: Number(await desk.locator('#level').getAttribute('data-level')),
      controlCode: (await desk.locator('#control-code').innerText()).trim(),
      requestCode: (await desk.locator('#qr').getAttribute('data-request-code')) ?? '',
      sameDevice: (await desk.locator('#same-device').getAttribute('href')) ?? '',
    };
    // Chinese first, English second.
    await expect(desk.locator('h1').innerText()).resolves.toMatch(
      /^使用电子身份证登录\s+Sign in with your e-ID$/,
    );
    await desk.locator('#qr svg').waitFor();
    expect(page.partyName).toBe(HOTEL_NAME);
    expect(page.returnOrigin).toBe(new URL(hotel.url).origin);
    expect(page.level).toBe(level);
    expect(page.controlCode).toMatch(/^\d{4}$/);
    expect(page.requestCode).toMatch(/^EIDS1:/);
    const link = new URL(page.sameDevice);
    expect(`${link.origin}${link.pathname}`).toBe(`${h5.url}/`);
    expect(link.hash).toBe(`#/signin/pages/approve/index?code=${encodeURIComponent(page.requestCode)}`);
    await expect(desk.locator('#status').innerText()).resolves.toBe('');
    return page;
  }

  /**
   * The phone opens the desktop page's same-device link in a new tab (the card and session stay in the
   * browser's storage) and checks who asks, where the browser returns and the level.
   */
  async function phoneOpens(shown: DesktopPage, level: SignInLevel): Promise<Page> {
    const page = await phone.context.newPage();
    page.setDefaultTimeout(STEP_MS);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(shown.sameDevice);
    await page.getByTestId('registration-verified').waitFor();
    await expect(page.getByTestId('signin-party').innerText()).resolves.toContain(HOTEL_NAME);
    await expect(page.getByTestId('signin-origin').innerText()).resolves.toBe(shown.returnOrigin);
    await expect(page.getByTestId('signin-level').getAttribute('data-level')).resolves.toBe(String(level));
    await page.getByTestId(`signin-code-${shown.controlCode}`).waitFor();
    const choices = await page
      .locator('[data-testid^="signin-code-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('signin-code-'.length)));
    expect(choices).toHaveLength(3);
    expect(choices).toContain(shown.controlCode);
    return page;
  }

  /** Sets the first passcode on the passcode page the sign-in links to, and comes back to the sign-in. */
  async function setPasscodeFromSignIn(page: Page): Promise<void> {
    await page.getByTestId('signin-passcode-missing').waitFor();
    await page.getByTestId('signin-set-passcode').click();
    await page.getByTestId('passcode-status').waitFor();
    await expect(page.getByTestId('passcode-status').getAttribute('data-set')).resolves.toBe('false');
    await page.getByTestId('passcode-new').fill(TEST_PASSCODE);
    await page.getByTestId('passcode-confirm').fill(TEST_PASSCODE);
    await page.getByTestId('passcode-save').click();
    await page.getByTestId('passcode-done').waitFor();
    await expect(page.getByTestId('passcode-status').getAttribute('data-set')).resolves.toBe('true');
    await page.getByTestId('passcode-back').click();
    // Back on the sign-in, read afresh: the passcode field instead of the link to set one.
    await page.locator('#signin-passcode').waitFor();
  }

  /** The steps of the level on the phone, then approve; resolves once the phone shows the result. */
  async function phoneApproves(page: Page, shown: DesktopPage, level: SignInLevel): Promise<void> {
    await page.getByTestId(`signin-code-${shown.controlCode}`).click();
    await expect(
      page.getByTestId(`signin-code-${shown.controlCode}`).getAttribute('aria-pressed'),
    ).resolves.toBe('true');
    if (level >= 2) await page.locator('#signin-passcode').fill(TEST_PASSCODE);
    if (level === 3) {
      const face = page.getByTestId('signin-face');
      await face.getByRole('button', { name: '开始人脸核验' }).click();
      await page.locator('#face-file').setInputFiles({
        name: 'reauth.png',
        mimeType: 'image/png',
        buffer: Buffer.from(syntheticCaptureBytes(`remote-signin-reauth-${Date.now()}`)),
      });
      await page.locator('[data-testid="signin-face"][data-done="true"]').waitFor();
    }
    await expectNoRawCodes(page);
    await shot(page, `phone-approve-level-${level}`);
    await page.getByTestId('signin-approve').click();
    const result = page.locator('[data-testid="signin-result"][data-state="approved"]');
    await result.waitFor();
    await expect(result.innerText()).resolves.toContain(`已登录 ${HOTEL_NAME}`);
    await expectNoRawCodes(page);
  }

  /** The desktop page, polling, hands over to the hotel by itself: the hotel's signed-in page. */
  async function hotelSignedIn(level: SignInLevel): Promise<string> {
    await desk.waitForURL((url) => url.origin === new URL(hotel.url).origin);
    await desk.getByTestId('signin-done').waitFor();
    await expect(desk.getByTestId('signin-level').innerText()).resolves.toBe(String(level));
    await expect(desk.getByTestId('signin-acr').innerText()).resolves.toBe(acrOfLevel(level));
    const sub = (await desk.getByTestId('signin-sub').innerText()).trim();
    expect(sub.length).toBeGreaterThanOrEqual(16);
    expect(sub).not.toContain(resident.idNumber);
    return sub;
  }

  it.each([1, 2, 3] as const)(
    'when the resident approves a level %i sign-in on the phone, then the desktop goes on to the hotel, signed in at that level',
    async (level) => {
      const shown = await desktopStarts(level);
      await shot(desk, `desktop-signin-level-${level}`);
      const page = await phoneOpens(shown, level);
      // Level 2 finds no passcode yet: the resident sets it on the passcode page and comes back.
      if (level === 2) await setPasscodeFromSignIn(page);
      await phoneApproves(page, shown, level);
      subs.set(level, await hotelSignedIn(level));
      await page.close();
    },
  );

  it('when the same resident signs in again at the hotel, then the hotel sees the same member id', () => {
    expect([...subs.keys()]).toEqual([1, 2, 3]);
    expect(new Set(subs.values()).size).toBe(1);
  });

  it('when the resident taps a code the desktop does not show, then both screens say the sign-in stopped and the hotel gets access_denied', async () => {
    const shown = await desktopStarts(1);
    const page = await phoneOpens(shown, 1);
    const choices = await page
      .locator('[data-testid^="signin-code-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('signin-code-'.length)));
    const wrong = choices.find((c) => c !== shown.controlCode)!;
    await page.getByTestId(`signin-code-${wrong}`).click();
    await page.getByTestId('signin-approve').click();
    const mismatch = page.getByTestId('signin-mismatch');
    await mismatch.waitFor();
    await expect(mismatch.innerText()).resolves.toContain('两边的数字不一致，为保护您，这次登录已被终止。');
    await expectNoRawCodes(page);
    await shot(page, 'phone-mismatch');

    // The desktop page learns it by polling: it says why and offers the way back to the hotel.
    await desk.locator('#back').waitFor({ state: 'visible' });
    await expect(desk.locator('#status').innerText()).resolves.toBe(
      '此次登录已取消。 This sign-in was cancelled.',
    );
    await expect(desk.locator('#control-code').isHidden()).resolves.toBe(true);
    await shot(desk, 'desktop-cancelled');
    await desk.locator('#back').click();
    await desk.waitForURL((url) => url.origin === new URL(hotel.url).origin);
    const error = desk.getByTestId('signin-error');
    await error.waitFor();
    await expect(error.getAttribute('data-reason')).resolves.toBe('access_denied');
    expect(new URL(desk.url()).searchParams.get('error')).toBe('access_denied');
    await page.close();
  });
});
