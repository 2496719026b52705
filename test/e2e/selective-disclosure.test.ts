import path from 'node:path';
import type { Page } from 'playwright-core';
import { FIXTURES } from '@eid/mock';
import { parseCodeV2 } from '@eid/shared';
import type { H5Server } from '../../scripts/serve-h5';
import { ARTIFACTS, type Browser } from '../helpers/browser';
import { enrolThroughPages, startH5Session, staffSignIn, type H5Session } from '../helpers/h5-session';

/**
 * Selective disclosure through the front doors (issue 14): a new resident in Chromium gets a v2 card from
 * the real BFF, picks "over 18" (满18周岁) on the bright page, reads that only 已满18周岁：是 will be
 * shown, and shows the code; a staff terminal in another browser checks it and shows exactly
 * 已满18周岁：是, no name and no number, online and then with the network off (the offline terminal).
 * A code made for over 18 and checked for hotel check-in shows no personal data at all.
 *
 * Relied on in the pages: the purpose buttons by name, `data-testid` disclosure, disclosure-hidden,
 * bright-purpose, the QR `img` with `data-code`; `[data-verdict]`, `.verdict__card .row` (staff).
 */

const resident = FIXTURES.pass;
const masked = `${resident.idNumber.slice(0, 4)}**********${resident.idNumber.slice(-4)}`;
const STEP_MS = 20_000;
const QR = '亮证二维码，请工作人员扫描';

jest.setTimeout(180_000);

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `disclosure-${name}.png`), fullPage: true });
}

/** The staff page's card rows as `label：value`, read in one step. */
function staffRows(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.verdict__card .row')).map(
      (row) =>
        `${row.querySelector('.row__label')?.textContent ?? ''}：${row.querySelector('.row__value')?.textContent ?? ''}`,
    ),
  );
}

describe('a resident shows "over 18" only', () => {
  let session: H5Session;
  let h5: H5Server;
  let terminal: Browser;
  let page: Page;
  let staffPage: Page;

  beforeAll(async () => {
    // The phone stamps codes with the browser's clock and the BFF checks them with its own.
    session = await startH5Session({ stepMs: STEP_MS, terminalHeight: 900 });
    ({ h5, terminal, page, staffPage } = session);
  });

  afterAll(async () => {
    await session?.stop();
  });

  /** Reads the code the bright page shows (the QR's text, as a camera would). */
  async function shownCode(): Promise<string> {
    const qr = page.getByRole('img', { name: QR });
    await qr.waitFor();
    return (await qr.getAttribute('data-code')) ?? '';
  }

  /** The staff page checks `code` for `purpose`; answers the verdict. */
  async function check(code: string, purpose: string): Promise<string | null> {
    const next = staffPage.getByRole('button', { name: '核验下一位' });
    if (await next.count()) await next.click();
    await staffPage.getByLabel('核验事由').selectOption(purpose);
    await staffPage.getByLabel('亮证码').fill(code);
    await staffPage.getByRole('button', { name: '核验', exact: true }).click();
    const verdict = staffPage.locator('[data-verdict]');
    await verdict.waitFor();
    return verdict.getAttribute('data-verdict');
  }

  it('when a new resident enrols through the pages, then the card page issues the card to the phone', async () => {
    await enrolThroughPages(page, h5.url, resident, 'enroll');
    await page.getByText(resident.name, { exact: true }).waitFor();
    // The wallet holds what a v2 credential needs beside it.
    const wallet = await page.evaluate(() => {
      // Taro's H5 storage wraps each value as { data }.
      const raw = JSON.parse(localStorage.getItem('eid.wallet') ?? 'null') as { data?: unknown } | null;
      const value = raw && typeof raw === 'object' && 'data' in raw ? raw.data : raw;
      return (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown> | null;
    });
    expect(typeof wallet?.holderSecrets).toBe('string');
  });

  let code = '';

  it('when the resident picks over 18, then the page lists only 已满18周岁：是 before any code is shown', async () => {
    await page.getByRole('button', { name: '亮证' }).click();
    await page.getByRole('heading', { name: '亮证' }).waitFor();
    await page.getByTestId('purpose-list').waitFor();
    await expect(page.getByRole('img', { name: QR }).count()).resolves.toBe(0);
    await shot(page, '01-choose');
    await page.getByRole('button', { name: '满18周岁' }).click();
    const listed = page.getByTestId('disclosure').locator('.disclosure__claim');
    await expect(listed.allInnerTexts()).resolves.toEqual(['已满18周岁：是']);
    const hidden = await page.getByTestId('disclosure-hidden').innerText();
    expect(hidden).toMatch(/^不会显示：姓名、/);
    expect(hidden).toContain('部分隐藏的身份号码');
    await expect(page.getByRole('img', { name: QR }).count()).resolves.toBe(0);
    await shot(page, '02-preview');
  });

  it('when the resident shows the code, then it carries over 18 only and the screen shows no name', async () => {
    await page.getByRole('button', { name: '出示二维码' }).click();
    code = await shownCode();
    expect(code).toMatch(/^EID2:[0-9A-Z $%*+\-./:]+$/);
    expect([...parseCodeV2(code).disclosure.values.values()]).toEqual([true]);
    await expect(page.getByTestId('bright-purpose').innerText()).resolves.toBe('出示事由：满18周岁');
    const screen = await page.locator('body').innerText();
    expect(screen).toContain('已满18周岁：是');
    expect(screen).not.toContain(resident.name);
    expect(screen).not.toContain(masked);
    await shot(page, '03-code');
  });

  it('when the staff terminal checks that code for an age check, then it shows exactly 已满18周岁：是', async () => {
    await staffSignIn(staffPage, h5.url, '/staff/pages/verify/index');
    await expect(check(code, 'age_over_18')).resolves.toBe('valid');
    await expect(staffRows(staffPage)).resolves.toEqual(['已满18周岁：是']);
    const shown = await staffPage.locator('body').innerText();
    for (const secret of [resident.name, resident.idNumber, masked, resident.address, '1988'])
      expect(shown).not.toContain(secret);
    await shot(staffPage, '04-staff-online');
  });

  it('when a fresh over-18 code is checked for hotel check-in, then the terminal learns no personal data', async () => {
    await page.reload();
    await page.getByRole('button', { name: '出示二维码' }).click();
    const fresh = await shownCode();
    expect(fresh).not.toBe(code);
    await expect(check(fresh, 'hotel_check_in')).resolves.toBe('valid');
    await expect(staffRows(staffPage)).resolves.toEqual([]);
    await staffPage.getByText('持证有效，未显示个人信息').waitFor();
    await staffPage.getByTestId('verdict-code-purpose').waitFor();
    await expect(staffPage.locator('body').innerText()).resolves.not.toContain(resident.name);
  });

  it('when the terminal is offline, then its own check of an over-18 code shows exactly 已满18周岁：是 too', async () => {
    // The lists were kept at sign-in; a new code is needed, as the last one was checked online.
    await staffPage.getByText(/离线核验数据：/).waitFor();
    await page.reload();
    await page.getByRole('button', { name: '出示二维码' }).click();
    const fresh = await shownCode();
    await terminal.context.setOffline(true);
    try {
      await expect(check(fresh, 'age_over_18')).resolves.toBe('valid');
      await expect(staffPage.locator('[data-verdict]').getAttribute('data-offline')).resolves.toBe('true');
      await expect(staffRows(staffPage)).resolves.toEqual(['已满18周岁：是']);
      await expect(staffPage.locator('body').innerText()).resolves.not.toContain(resident.name);
      await shot(staffPage, '05-staff-offline');
    } finally {
      await terminal.context.setOffline(false);
    }
  });
});
