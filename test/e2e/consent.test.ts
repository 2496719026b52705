import path from 'node:path';
import type { Page } from 'playwright-core';
import { FIXTURES, HOTEL_NAME, registerHotel, startHotel, type Hotel, type RegisteredHotel } from '@eid/mock';
import type { H5Server } from '../../scripts/serve-h5';
import { ARTIFACTS } from '../helpers/browser';
import { enrolThroughPages, startH5Session, type H5Session } from '../helpers/h5-session';
import { adminCall, supervisorToken } from '../helpers/party';
import { runOutbox } from '../helpers/webhook-receiver';

/**
 * Issue 16's acceptance in headless Chromium on the H5 build: the example hotel (mock/src/relying-party, its
 * own server and page, registered through the admin API) starts a check-in and shows its consent request;
 * the resident, enrolled through the pages, opens the request's link, sees who asks with the registration
 * verified on the phone, approves, and finds the hotel in their list of parties; the hotel's desk shows
 * the guest after the signed callback; the resident withdraws, the hotel erases the guest and acknowledges
 * with a signed request on the deletion.requested callback, and the resident sees the deletion confirmed
 * by the hotel's key. Real BFF, real hotel, real database. Screenshots: artifacts/screenshots/consent-*.png.
 *
 * Relied on in the pages: the hotel's 新入住 New check-in button, `#current` with data-request-code and
 * data-request-url, `#state` data-state, `#guest-name`; the resident's `data-testid` registration-verified,
 * asker, consent-items, consent-countdown, consent-approved, party, held-consent, deletion-status
 * (data-state); buttons 同意提供, 查看我的第三方授权, 撤回授权, 确定撤回; the home tile 第三方授权.
 */

const resident = FIXTURES.pass;
const STEP_MS = 30_000;

jest.setTimeout(300_000);

/** A screenshot of the whole page (Taro's H5 pages scroll inside their own container). */
async function shot(page: Page, name: string): Promise<void> {
  const size = page.viewportSize();
  const height = await page.evaluate(() =>
    Math.max(
      document.body.scrollHeight,
      ...Array.from(document.querySelectorAll('.taro_page:not(.taro_page_shade)')).map((p) => p.scrollHeight),
    ),
  );
  if (size && height > size.height)
    await page.setViewportSize({ width: size.width, height: Math.min(height, 8000) });
  try {
    await page.screenshot({ path: path.join(ARTIFACTS, `consent-${name}.png`), fullPage: true });
  } finally {
    if (size) await page.setViewportSize(size);
  }
}

/** Fails when a raw error code or a stack trace is on screen. */
async function expectNoRawCodes(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/\b[A-Z]{3,}(_[A-Z]+)+\b|Error:|at \w+ \(/);
}

describe('a resident consents to the example hotel, withdraws, and sees the deletion confirmed', () => {
  let session: H5Session;
  let h5: H5Server;
  let page: Page;
  let desk: Page;
  let hotel: Hotel;
  let registered: RegisteredHotel;

  /** Delivers the due callbacks (the stack runs no background worker) and waits for the hotel's work on them. */
  async function deliverCallbacks(): Promise<void> {
    for (let round = 0; round < 5; round += 1) {
      const delivered = await runOutbox(session.stack);
      await hotel.state.idle();
      if (delivered === 0) break;
    }
  }

  beforeAll(async () => {
    // The hotel's callback endpoint listens on 127.0.0.1: allow-listed, as an operator would for a test party.
    session = await startH5Session({
      stepMs: STEP_MS,
      terminalHeight: 900,
      env: { CALLBACK_ALLOW_HOSTS: '127.0.0.1' },
    });
    ({ h5, page, staffPage: desk } = session);
    const { stack } = session;
    registered = await registerHotel({
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
    // Registered before it listened: now pointed at the port it got.
    const moved = await adminCall(stack, 'PATCH', `/api/v1/admin/parties/${registered.id}`, {
      callbackUrl: hotel.callbackUrl,
    });
    expect(moved.status).toBe(200);
  });

  afterAll(async () => {
    await hotel?.stop();
    await session?.stop();
  });

  let requestCode = '';
  let requestUrl = '';

  it('when the hotel starts a check-in, then its page shows the consent request code and link', async () => {
    await enrolThroughPages(page, h5.url, resident, 'consent');

    await desk.goto(hotel.url);
    await desk.getByRole('button', { name: '新入住 New check-in' }).click();
    const current = desk.locator('#current');
    await desk.locator('#state[data-state="pending"]').waitFor();
    requestCode = (await current.getAttribute('data-request-code')) ?? '';
    requestUrl = (await current.getAttribute('data-request-url')) ?? '';
    expect(requestCode).toMatch(/^EIDC1:[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
    expect(requestUrl).toContain('#/consent/pages/open/index?code=');
    await desk.getByRole('img', { name: /同意请求二维码/ }).waitFor();
    await shot(desk, '01-hotel-request');
  });

  it('when the resident opens the link, then who asks is verified on the phone, with why, which fields and for how long, and they approve', async () => {
    // The link names the mini-program's address (MINIAPP_URL); here the H5 build is served elsewhere, so its
    // page and query are opened on this server.
    const link = new URL(requestUrl);
    await page.goto(`${h5.url}/${link.hash}`);
    await page.getByRole('heading', { name: '授权请求' }).waitFor();
    await expect(page.getByTestId('registration-verified').innerText()).resolves.toContain('登记信息已核验');
    const asker = await page.getByTestId('asker').innerText();
    expect(asker).toContain(HOTEL_NAME);
    expect(asker).toContain('旅馆');
    await page.getByText('旅馆住宿登记', { exact: true }).first().waitFor();
    const items = await page.getByTestId('consent-items').innerText();
    expect(items).toContain('姓名和部分隐藏的身份证号');
    await expect(page.getByTestId('consent-retention').innerText()).resolves.toContain('30 天');
    await expect(page.getByTestId('consent-countdown').innerText()).resolves.toMatch(
      /请在 \d+ 分 \d{2} 秒 内答复/,
    );
    await expectNoRawCodes(page);
    await shot(page, '02-request');

    await page.getByRole('button', { name: '同意提供' }).click();
    await expect(page.getByTestId('consent-approved').innerText()).resolves.toContain(HOTEL_NAME);
    await shot(page, '03-approved');
  });

  it('when the callback reaches the hotel, then its desk shows the guest', async () => {
    await deliverCallbacks();
    // The desk's page polls the hotel's own server, which learnt the answer by the callback.
    await desk.locator('#state[data-state="approved"]').waitFor();
    await expect(desk.locator('#guest-name').innerText()).resolves.toBe(resident.name);
    await shot(desk, '04-hotel-guest');
  });

  it('when the resident opens their parties, then the hotel is listed with what it got, and they withdraw', async () => {
    await page.getByRole('button', { name: '查看我的第三方授权' }).click();
    await page.getByRole('heading', { name: '第三方授权' }).waitFor();
    const held = page.locator('[data-testid="held-consent"][data-state="approved"]');
    await held.waitFor();
    await page.getByRole('heading', { name: HOTEL_NAME }).waitFor();
    await expect(held.innerText()).resolves.toContain('姓名和部分隐藏的身份证号');
    await expect(held.innerText()).resolves.toContain('已同意');
    await expectNoRawCodes(page);
    await shot(page, '05-parties');

    await page.getByRole('button', { name: '撤回授权' }).click();
    await page.getByRole('button', { name: '确定撤回' }).click();
    const status = page.locator('[data-testid="deletion-status"][data-state="pending"]');
    await status.waitFor();
    await expect(status.innerText()).resolves.toContain('尚未确认删除');
    await shot(page, '06-withdrawn');
  });

  it('when the hotel has acknowledged the deletion, then the resident sees it confirmed by the hotel’s key', async () => {
    await deliverCallbacks();
    await desk.locator('#state[data-state="deleted"]').waitFor();
    await expect(desk.locator('#guest').isHidden()).resolves.toBe(true);

    // Back to home and in again: the list is read afresh.
    await page.goto(`${h5.url}/#/pages/home/index`);
    await page.getByRole('button', { name: /第三方授权/ }).click();
    const status = page.locator('[data-testid="deletion-status"][data-state="confirmed"]');
    await status.waitFor();
    const text = await status.innerText();
    expect(text).toMatch(/^已于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 删除，由 .+ 确认/);
    expect(text).toContain(registered.kid);
    await expect(page.locator('[data-testid="held-consent"]').getAttribute('data-state')).resolves.toBe(
      'withdrawn',
    );
    await expectNoRawCodes(page);
    await shot(page, '07-deletion-confirmed');
  });
});
