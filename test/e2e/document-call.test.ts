import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { FIXTURES } from '@eid/mock';
import type { H5Server } from '../../scripts/serve-h5';
import { ARTIFACTS, type Browser } from '../helpers/browser';
import { enrolThroughPages, startH5Session, staffSignIn, type H5Session } from '../helpers/h5-session';

/**
 * The licence wallet and a document call through the front doors, in headless Chromium on the H5 build
 * (issue 15's acceptance): a resident links document types and sees the wallet, with the stand-in's
 * expired passport and revoked Hong Kong/Macao permit shown as such; a service window (the staff window
 * page, signed in with the development staff account) creates a vehicle-transfer request and shows its
 * code; the resident pastes that code, sees who is asking verified, approves and gets the receipt; the
 * window reads the documents and downloads the annotated PDF; the public check page verifies that PDF.
 * Real BFF, real licence stand-in, real database. Screenshots: artifacts/screenshots/licence-*.png.
 *
 * Relied on in the pages: the resident's tiles and buttons by name, `data-testid` wallet-document,
 * document-face (data-status), request-verified, requester, receipt-verified, receipt-documents; the
 * window's 办理事项 / 调证事由 / 生成调证码, the request code `img` with `data-code`, window-state
 * (data-state), window-delivered-<type>, 下载加注件（PDF）; the check page's PDF input and `[data-verdict]`.
 */

const resident = FIXTURES.pass;
const STEP_MS = 30_000;
const PURPOSE = '办理机动车转移登记（二手车过户）';

jest.setTimeout(300_000);

/**
 * A screenshot of the whole front page: Taro's H5 pages scroll inside their own container, which a
 * full-page screenshot does not unroll, so the viewport is stretched to the content for the shot.
 */
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
    await page.screenshot({ path: path.join(ARTIFACTS, `licence-${name}.png`), fullPage: true });
  } finally {
    if (size) await page.setViewportSize(size);
  }
}

/** Fails when a raw error code or a stack trace is on screen. */
async function expectNoRawCodes(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/\b[A-Z]{3,}(_[A-Z]+)+\b|Error:|at \w+ \(/);
}

describe('a resident calls documents to a service window', () => {
  let session: H5Session;
  let h5: H5Server;
  let terminal: Browser;
  let page: Page;
  let staffPage: Page;
  const downloads = mkdtempSync(path.join(os.tmpdir(), 'eid-licence-pdf-'));

  beforeAll(async () => {
    // The phone checks the request code's answer-by time with the browser's clock; the BFF signs with its own.
    session = await startH5Session({ stepMs: STEP_MS, terminalHeight: 900 });
    ({ h5, terminal, page, staffPage } = session);
  });

  afterAll(async () => {
    await session?.stop();
    rmSync(downloads, { recursive: true, force: true });
  });

  it('when the resident enrols and links document types with consent, then the wallet shows each document, the expired and the revoked ones as such', async () => {
    await enrolThroughPages(page, h5.url, resident, 'licence');

    await page.goto(`${h5.url}/#/pages/home/index`);
    await page.getByRole('button', { name: /电子证照夹/ }).click();
    await page.getByRole('heading', { name: '电子证照夹' }).waitFor();
    await page.getByRole('button', { name: '关联电子证照' }).click();
    await page.getByRole('heading', { name: '关联电子证照' }).waitFor();
    for (const type of ['机动车驾驶证', '机动车行驶证', '居住证', '普通护照', '往来港澳通行证'])
      await page.getByLabel(type, { exact: true }).check();
    await expect(page.getByTestId('link-summary').innerText()).resolves.toContain('电子证照系统获取您名下的');
    await page.getByText(/将获取：.*准驾车型/).waitFor();
    await page.getByLabel(/我已阅读告知，同意从.*获取上述证照/).check();
    await shot(page, '01-link');
    await page.getByRole('button', { name: '同意并关联' }).click();

    await page.getByRole('heading', { name: '电子证照夹' }).waitFor();
    const faces = page.getByTestId('document-face');
    await faces.first().waitFor();
    await expect(
      page.locator('[data-testid="document-face"][data-type="driving_licence"]').count(),
    ).resolves.toBeGreaterThan(0);
    await expect(
      page.locator('[data-testid="document-face"][data-type="vehicle_registration"]').count(),
    ).resolves.toBeGreaterThan(0);
    const expired = page.locator(
      '[data-testid="document-face"][data-type="passport"][data-status="expired"]',
    );
    const revoked = page.locator(
      '[data-testid="document-face"][data-type="travel_permit_hk_macao"][data-status="revoked"]',
    );
    await expired.first().waitFor();
    await revoked.first().waitFor();
    await expect(expired.first().innerText()).resolves.toContain('已过期');
    await expect(revoked.first().innerText()).resolves.toContain('已注销');
    await page.getByText('发证机关已注销此证照，它不再有效。如有疑问，请联系发证机关。').first().waitFor();
    await expectNoRawCodes(page);
    await shot(page, '02-wallet');
  });

  it('when the resident shows the driving licence for government services, then its rotating code verifies on the public check page', async () => {
    await page.getByRole('button', { name: '查看机动车驾驶证详情' }).first().click();
    await page.getByRole('heading', { name: '机动车驾驶证' }).waitFor();
    await page.getByRole('button', { name: '政务服务' }).click();
    await expect(page.getByTestId('code-discloses').innerText()).resolves.toContain('准驾车型');
    const qr = page.getByRole('img', { name: '证照码，请核验方扫描' });
    await qr.waitFor();
    const code = (await qr.getAttribute('data-code')) ?? '';
    expect(code).toMatch(/^EIDD1:/);
    await shot(page, '03-document-code');

    const checker = await terminal.context.newPage();
    checker.setDefaultTimeout(STEP_MS);
    await checker.goto(`${h5.url}/#/check/pages/verify/index`);
    await checker.getByLabel('证照码或加注件二维码文本').fill(code);
    await checker.getByRole('button', { name: '核验', exact: true }).click();
    const verdict = checker.locator('[data-verdict]');
    await verdict.waitFor();
    await expect(verdict.getAttribute('data-verdict')).resolves.toBe('valid');
    await shot(checker, '04-document-code-checked');
    await checker.close();
  });

  let requestCode = '';

  it('when a window opens a vehicle-transfer request, then its screen shows the signed request code', async () => {
    await staffSignIn(staffPage, h5.url, '/staff/pages/window/index');
    await staffPage.getByLabel('办理事项').selectOption('vehicle_transfer');
    await staffPage.getByLabel('调证事由').fill(PURPOSE);
    await shot(staffPage, '05-window-form');
    await staffPage.getByRole('button', { name: '生成调证码' }).click();
    const qr = staffPage.getByRole('img', { name: '调证码：请居民用电子证照扫描' });
    await qr.waitFor();
    requestCode = (await qr.getAttribute('data-code')) ?? '';
    expect(requestCode).toMatch(/^EIDR1:/);
    await expect(staffPage.getByTestId('window-state').getAttribute('data-state')).resolves.toBe('pending');
    await shot(staffPage, '06-window-code');
  });

  it('when the resident opens that code, then who is asking is verified and they approve it, getting the receipt', async () => {
    await page.goto(`${h5.url}/#/pages/home/index`);
    await page.getByRole('button', { name: /窗口调证/ }).click();
    await page.getByRole('heading', { name: '窗口调证' }).waitFor();
    // The window's screen is read by pasting its code (H5 in a desktop browser; the camera path is the staff
    // terminal's scanner loop, tested in staff-camera.test.ts).
    await page.getByLabel('或粘贴请求码').fill(requestCode);
    await page.getByRole('button', { name: '打开请求' }).click();

    await page.getByTestId('request-verified').waitFor();
    const who = await page.getByTestId('requester').innerText();
    expect(who).toContain('工作人员');
    await page.getByText(PURPOSE).waitFor();
    await page.getByText('机动车转移登记', { exact: true }).waitFor();
    await page.locator('[data-testid="requested-document"][data-type="vehicle_registration"]').waitFor();
    await page.getByTestId('access-expiry').waitFor();
    await expectNoRawCodes(page);
    await shot(page, '07-approve');

    await page.getByRole('button', { name: '同意提供' }).click();
    await page.getByRole('heading', { name: '调证收据' }).waitFor();
    await page.getByTestId('receipt-verified').waitFor();
    await expect(page.getByTestId('receipt-documents').innerText()).resolves.toContain('机动车行驶证');
    await page.getByRole('button', { name: '撤回授权' }).waitFor();
    await expectNoRawCodes(page);
    await shot(page, '08-receipt');
  });

  let pdfPath = '';

  it('when the resident has approved, then the window reads the documents and downloads the annotated PDF', async () => {
    await staffPage.locator('[data-testid="window-state"][data-state="delivered"]').waitFor();
    // This resident owns two vehicles: both registrations are delivered.
    const delivered = staffPage.getByTestId('window-delivered-vehicle_registration').first();
    await delivered.waitFor();
    await expect(delivered.innerText()).resolves.toContain(resident.name);
    await shot(staffPage, '09-window-documents');

    const download = staffPage.waitForEvent('download');
    await delivered.getByRole('button', { name: '下载加注件（PDF）' }).click();
    pdfPath = path.join(downloads, 'annotated.pdf');
    await (await download).saveAs(pdfPath);
    expect(readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await shot(staffPage, '10-window-pdf');
  });

  it('when the PDF is uploaded to the public check page, then it verifies as genuine', async () => {
    const checker = await terminal.context.newPage();
    checker.setDefaultTimeout(STEP_MS);
    await checker.goto(`${h5.url}/#/check/pages/verify/index`);
    await checker.getByLabel('上传加注件 PDF').setInputFiles(pdfPath);
    const verdict = checker.locator('[data-verdict]');
    await verdict.waitFor();
    await expect(verdict.getAttribute('data-verdict')).resolves.toBe('valid');
    await checker.getByTestId('check-document').waitFor();
    await expectNoRawCodes(checker);
    await shot(checker, '11-check-pdf');
  });
});
