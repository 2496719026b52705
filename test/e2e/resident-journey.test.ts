import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { FIXTURES, syntheticCaptureBytes } from '@eid/mock';
import { serveH5, type H5Server } from '../../scripts/serve-h5';
import { ARTIFACTS, launchBrowser, type Browser } from '../helpers/browser';
import { DEV_STAFF, startStack, type Stack } from '../helpers/stack';

/**
 * The whole product through its front doors: a new resident in Chromium consents, signs in, passes the
 * real-name and face checks, gets the card, shows the bright code; a staff terminal in another browser
 * checks that code for a purpose and sees "valid"; the resident then finds that check in the usage
 * records. Real BFF, real stand-in systems, real database; the H5 build served as in `npm start`.
 */

const H5_DIR = path.resolve(__dirname, '../../miniapp/dist/h5');
const resident = FIXTURES.pass;
const STEP_MS = 15_000;

jest.setTimeout(180_000);

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const visible = (locator: Locator) => locator.filter({ visible: true }).first();
// Taro keeps earlier pages in the DOM and hides them once the new one has slid in: the front page is
// the last one not yet hidden.
const front = (page: Page) => page.locator('.taro_page:not(.taro_page_shade)').last();

/** Waits (bounded) until the locator matches `n` elements; the list reloads after a filter is chosen. */
async function waitForCount(locator: Locator, n: number): Promise<void> {
  let count = -1;
  for (let i = 0; i < 100 && count !== n; i += 1) {
    count = await locator.count();
    if (count !== n) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(count).toBe(n);
}

/** Fails when any raw error code or stack trace is on screen. */
async function expectNoRawCodes(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/\b[A-Z]{3,}(_[A-Z]+)+\b|Error:|at \w+ \(/);
}

/** Takes the face step with a photo from the file picker; every photo is new, as a camera frame is. */
async function passFaceCheck(page: Page, label: string, start = '开始人脸核验'): Promise<void> {
  await page.getByRole('button', { name: start }).click();
  await page.locator('#face-file').setInputFiles({
    name: `${label}.png`,
    mimeType: 'image/png',
    buffer: Buffer.from(syntheticCaptureBytes(`${label}-${Date.now()}`)),
  });
}

describe('a resident, end to end', () => {
  let stack: Stack;
  let h5: H5Server;
  let phone: Browser;
  let terminal: Browser;
  let page: Page;
  let staffPage: Page;
  // Every request the phone's browser makes, in order, as Playwright sees it leave the page.
  const sent: { method: string; url: string; body: string }[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(H5_DIR, 'index.html'))) {
      throw new Error('miniapp/dist/h5 is missing: run `npm run build:miniapp` first (npm test does)');
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    // The phone builds codes with its own clock; the BFF's injected clock starts at the same moment.
    stack = await startStack({ startAt: Date.now() });
    h5 = await serveH5({
      dir: H5_DIR,
      proxies: {
        '/api': stack.url,
        '/healthz': stack.url,
        '/readyz': stack.url,
        '/mock/superapp': stack.mocks.superapp.url,
        '/mock/face': stack.mocks.face.url,
      },
    });
    phone = await launchBrowser({ width: 390, height: 844 });
    terminal = await launchBrowser({ width: 1024, height: 800 });
    page = await phone.context.newPage();
    page.on('request', (request) =>
      sent.push({ method: request.method(), url: request.url(), body: request.postData() ?? '' }),
    );
    staffPage = await terminal.context.newPage();
    page.setDefaultTimeout(STEP_MS);
    staffPage.setDefaultTimeout(STEP_MS);
    // No page slide-in (the app honours reduced motion), so screenshots catch pages at rest.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await staffPage.emulateMedia({ reducedMotion: 'reduce' });
  });

  afterAll(async () => {
    await phone?.close();
    await terminal?.close();
    await h5?.stop();
    await stack?.stop();
  });

  it('when a new resident reads the notice and agrees, then they are signed in and asked for their identity', async () => {
    await page.goto(`${h5.url}/`);
    await page.getByText('电子居民身份证隐私政策').waitFor();
    await shot(page, '01-welcome');
    await page.getByRole('button', { name: '同意并继续' }).click();
    await page.getByText('请先阅读告知并勾选同意。').waitFor();
    await page.getByLabel('我已阅读并同意《个人信息保护告知》').check();
    await page.getByRole('button', { name: '同意并继续' }).click();
    await page.getByRole('heading', { name: '实名认证' }).waitFor();
    expect(page.url()).toContain('#/enroll/pages/real-name/index');
  });

  /** What the phone sent to the BFF since request number `from`. */
  const apiCalls = (from: number) =>
    sent.slice(from).filter((r) => new URL(r.url).pathname.startsWith('/api/'));

  it('when the ID number is mistyped, then the form says so before anything is sent', async () => {
    const from = sent.length;
    const wrong = resident.idNumber.slice(0, 17) + (resident.idNumber.endsWith('0') ? '1' : '0');
    await page.getByLabel('姓名').fill(resident.name);
    await page.getByLabel('公民身份号码').fill(wrong);
    await page.getByText('号码校验未通过，可能有数字输错，请逐位核对。').waitFor();
    // Even the submit button sends nothing while the number fails its check digit.
    await page.getByRole('button', { name: '提交核对' }).click();
    await page.getByText('号码校验未通过，可能有数字输错，请逐位核对。').waitFor();
    await shot(page, '02-real-name-error');
    expect(apiCalls(from)).toEqual([]);
    expect(sent.slice(from).filter((r) => r.url.includes(wrong) || r.body.includes(wrong))).toEqual([]);
  });

  it('when the right name and number are sent, then the registry agrees and the face step follows', async () => {
    const from = sent.length;
    await page.getByLabel('公民身份号码').fill(resident.idNumber);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    await page.getByRole('button', { name: '提交核对' }).click();
    await page.getByRole('heading', { name: '人脸核验' }).waitFor();
    await shot(page, '03-real-person');
    // The same capture sees this submission, so the empty list before is not a deaf listener.
    expect(
      apiCalls(from).filter((r) => r.method === 'POST' && r.url.endsWith('/api/v1/enrollment/real-name')),
    ).toHaveLength(1);
  });

  it('when a photo is taken for the face check, then enrollment completes', async () => {
    await passFaceCheck(page, 'enroll');
    await page.getByText('认证完成！您现在可以领取电子证照。').waitFor();
    await expectNoRawCodes(page);
    await page.getByRole('button', { name: '领取我的电子证照' }).click();
  });

  it('when the card page opens, then the card is issued to this phone and shows the card face', async () => {
    await page.getByRole('heading', { name: '我的电子证照' }).waitFor();
    await page.getByText(resident.name, { exact: true }).waitFor();
    await page.getByRole('img', { name: '证件照' }).waitFor();
    const masked = `${resident.idNumber.slice(0, 4)}**********${resident.idNumber.slice(-4)}`;
    await expect(page.getByTestId('id-number').innerText()).resolves.toBe(masked);
    await expect(page.getByText(resident.address).isVisible()).resolves.toBe(true);
    await shot(page, '04-card-front');
    await page.getByRole('button', { name: '查看国徽面' }).click();
    await page.getByText(resident.issuingAuthority).waitFor();
    await shot(page, '05-card-back');
    await page.getByRole('button', { name: '查看人像面' }).click();
  });

  it('when the full number is asked for, then it shows only after a fresh face check', async () => {
    await page.getByRole('button', { name: '显示完整号码' }).click();
    await passFaceCheck(page, 'reveal');
    await page.getByTestId('id-number').getByText(resident.idNumber, { exact: true }).waitFor();
    await page.getByRole('button', { name: '隐藏号码' }).click();
    await expect(page.getByTestId('id-number').innerText()).resolves.not.toBe(resident.idNumber);
  });

  let code = '';

  it('when the bright card opens and hotel check-in is chosen, then a large QR code with a countdown is shown', async () => {
    await page.getByRole('button', { name: '亮证' }).click();
    await page.getByRole('heading', { name: '亮证' }).waitFor();
    // The resident says what the code is for (test/e2e/selective-disclosure.test.ts looks at the choice).
    await page.getByRole('button', { name: '旅馆住宿登记' }).click();
    await page.getByRole('button', { name: '出示二维码' }).click();
    const qr = page.getByRole('img', { name: '亮证二维码，请工作人员扫描' });
    await qr.waitFor();
    code = (await qr.getAttribute('data-code')) ?? '';
    expect(code).toMatch(/^EID2:[0-9A-Z $%*+\-./:]+$/);
    const box = await qr.boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(300);
    await page
      .getByRole('timer')
      .getByText(/秒后自动更新/)
      .waitFor();
    await page.getByText('截图无效：每个二维码 60 秒后失效，每 30 秒自动更新。').waitFor();
    await shot(page, '06-bright-card');
  });

  it('when the staff terminal checks that code for hotel check-in, then it says valid and shows only what that purpose allows', async () => {
    await staffPage.goto(`${h5.url}/#/staff/pages/verify/index`);
    await staffPage.getByLabel('用户名').fill(DEV_STAFF.username);
    await staffPage.getByLabel('密码').fill(DEV_STAFF.password);
    await staffPage.getByRole('button', { name: '登录' }).click();
    await staffPage.getByLabel('核验事由').selectOption('hotel_check_in');
    await staffPage.getByLabel('亮证码').fill(code);
    // The terminal and the phone share one time: the BFF's clock is moved to the moment of the check.
    stack.clock.set(Date.now());
    await staffPage.getByRole('button', { name: '核验', exact: true }).click();
    const verdict = staffPage.locator('[data-verdict]');
    await verdict.waitFor();
    await expect(verdict.getAttribute('data-verdict')).resolves.toBe('valid');
    await expect(verdict.innerText()).resolves.toBe('有效');
    await staffPage.getByText(resident.name, { exact: true }).waitFor();
    // Hotel check-in sees the masked number, never the full one or the address.
    const shown = await staffPage.locator('body').innerText();
    expect(shown).not.toContain(resident.idNumber);
    expect(shown).not.toContain(resident.address);
    await expectNoRawCodes(staffPage);
    await shot(staffPage, '07-staff-valid');
  });

  it('when the same code is checked again, then the terminal says it was already used', async () => {
    await staffPage.getByRole('button', { name: '核验下一位' }).click();
    await staffPage.getByLabel('亮证码').fill(code);
    await staffPage.getByRole('button', { name: '核验', exact: true }).click();
    const verdict = staffPage.locator('[data-verdict]');
    await verdict.waitFor();
    await expect(verdict.getAttribute('data-verdict')).resolves.toBe('replayed');
    await staffPage.getByText('这个二维码已经核验过，请居民出示新的二维码。').waitFor();
  });

  it('when the resident opens the usage records, then the check by the staff window is there, with its purpose', async () => {
    await page.goto(`${h5.url}/#/usage/pages/list/index`);
    await page.getByRole('heading', { name: '使用记录' }).waitFor();
    const checks = page.getByRole('button', { name: /核验证照/ });
    const accepted = checks.filter({ hasText: '成功' });
    await accepted.waitFor();
    await expect(accepted.innerText()).resolves.toContain('旅馆住宿登记');
    await expect(accepted.innerText()).resolves.toContain('济南市公安局历下分局 窗口 3');
    // The replayed code is on record too, as refused.
    await expect(checks.filter({ hasText: '被拒绝' }).count()).resolves.toBe(1);
    await shot(page, '08-usage-list');
    await page.getByRole('button', { name: '窗口工作人员' }).click();
    await waitForCount(front(page).getByRole('button', { name: /查看详情/ }), 2);
    await accepted.click();
    await page.getByRole('heading', { name: '记录详情' }).waitFor();
    // Earlier pages stay in the DOM, hidden, under the one in front: look at what is visible.
    await visible(page.getByText('旅馆住宿登记')).waitFor();
    await visible(page.getByText(/姓名/)).waitFor();
    await expectNoRawCodes(page);
    await shot(page, '09-usage-detail');
  });

  it('when the page is switched to English, then the records read in English', async () => {
    await front(page).getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Record details' }).waitFor();
    await visible(page.getByText('Hotel check-in')).waitFor();
  });

  it('when the resident reports the phone lost, then the card is suspended after a confirmation', async () => {
    await page.goto(`${h5.url}/#/account/pages/manage/index`);
    await page.getByRole('heading', { name: 'Manage your card' }).waitFor();
    await page.getByText('Active', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Report lost (suspend)' }).click();
    await page.getByText('Suspend your card? You will need a face check to resume it.').waitFor();
    await page.getByRole('button', { name: 'Report lost (suspend)' }).click();
    await page.getByText('Your card is suspended.').waitFor();
    await page.getByText('Suspended (reported lost)', { exact: true }).waitFor();
    await shot(page, '10-manage-suspended');
  });

  it('when a code from the suspended card is checked, then the terminal says suspended', async () => {
    await page.goto(`${h5.url}/#/card/pages/bright/index`);
    await page.getByText('Your card is suspended, so checks will fail until you resume it.').waitFor();
    // The last choice (hotel check-in) is offered again, to confirm.
    await page.getByRole('button', { name: 'Show the QR code' }).click();
    const qr = page.getByRole('img', { name: 'Your card’s QR code, for the staff member to scan' });
    const fresh = (await qr.getAttribute('data-code')) ?? '';
    expect(fresh).not.toBe(code);
    await staffPage.getByRole('button', { name: '核验下一位' }).click();
    await staffPage.getByLabel('亮证码').fill(fresh);
    stack.clock.set(Date.now());
    await staffPage.getByRole('button', { name: '核验', exact: true }).click();
    const verdict = staffPage.locator('[data-verdict]');
    await verdict.waitFor();
    await expect(verdict.getAttribute('data-verdict')).resolves.toBe('suspended');
    await staffPage.getByText('持证人已挂失暂停此证照，请查验实体身份证。').waitFor();
    await expect(staffPage.locator('body').innerText()).resolves.not.toContain(resident.name);
  });

  it('when the resident resumes the card with a face check, then it works again', async () => {
    await page.goto(`${h5.url}/#/account/pages/manage/index`);
    await page.getByRole('button', { name: 'Resume the card' }).click();
    await passFaceCheck(page, 'resume', 'Start face check');
    await page.getByText('Your card works again.').waitFor();
    await page.getByText('Active', { exact: true }).waitFor();
    await expectNoRawCodes(page);
  });
});
