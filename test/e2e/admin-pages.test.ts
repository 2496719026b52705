import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import type { ProvinceKeysView } from '@eid/shared';
import { serveH5, type H5Server } from '../../scripts/serve-h5';
import { ARTIFACTS, launchBrowser, type Browser } from '../helpers/browser';
import { codeOf, holderWithCard } from '../helpers/card-flow';
import { windowStaff } from '../helpers/document-call';
import {
  enrolledAccount,
  newAccount,
  nextCode,
  type AdminAccount as Account,
} from '../helpers/admin-accounts';
import { newPartyKey, testUscc } from '../helpers/party';
import { startStack, type Stack } from '../helpers/stack';

/**
 * The admin pages (docs/admin.md) in headless Chromium at a 1280 px desk: sign-in with a TOTP code, the
 * dashboard's charts drawn, a party registered, a key warning, and the sign-in to the dashboard done with
 * the keyboard alone. Served from miniapp/dist/admin under /admin/ by the same server as the H5 build.
 */
const H5_DIR = path.resolve(__dirname, '../../miniapp/dist/h5');
const ADMIN_DIR = path.resolve(__dirname, '../../miniapp/dist/admin');
jest.setTimeout(120_000);

/** How many pixels of a canvas are neither transparent nor white, and how many are near `rgb`. */
async function inked(page: Page, testId: string, rgb: [number, number, number]) {
  return page.getByTestId(testId).evaluate((box, [r, g, b]) => {
    let ink = 0;
    let series = 0;
    for (const canvas of Array.from(box.querySelectorAll('canvas'))) {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3]! === 0) continue;
        if (data[i]! < 245 || data[i + 1]! < 245 || data[i + 2]! < 245) ink += 1;
        if (Math.abs(data[i]! - r!) + Math.abs(data[i + 1]! - g!) + Math.abs(data[i + 2]! - b!) < 40)
          series += 1;
      }
    }
    return { ink, series };
  }, rgb);
}

describe('the admin pages', () => {
  let stack: Stack;
  let h5: H5Server;
  let admin: Account;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    for (const [dir, what] of [
      [H5_DIR, 'miniapp/dist/h5'],
      [ADMIN_DIR, 'miniapp/dist/admin'],
    ] as const) {
      if (!existsSync(path.join(dir, 'index.html')))
        throw new Error(`${what} is missing: run \`npm run build:miniapp\` first (npm test does)`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startStack({ startAt: Date.now() });
    h5 = await serveH5({ dir: H5_DIR, adminDir: ADMIN_DIR, proxies: { '/api': stack.url } });
    admin = await enrolledAccount(stack, 'administrator');
    // Something for the charts to draw: one card checked at a window.
    // A random person's name may hold a character the stand-in licence seed cannot spell: draw again.
    let holder: Awaited<ReturnType<typeof holderWithCard>> | undefined;
    for (let i = 0; i < 5 && !holder; i += 1) holder = await holderWithCard(stack).catch(() => undefined);
    if (!holder) throw new Error('no holder with a card');
    const officer = await windowStaff(stack);
    const verified = await stack.api('POST', '/api/v1/verify', {
      token: officer.token,
      body: { code: codeOf(stack, holder), purpose: 'hotel_check_in' },
    });
    expect(verified.body.verdict).toBe('valid');
  });

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await h5?.stop();
    await stack?.stop();
  });

  async function open(): Promise<Page> {
    const browser = await launchBrowser({ width: 1280, height: 800 });
    browsers.push(browser);
    const page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  async function signIn(page: Page, account: Account): Promise<void> {
    await page.goto(`${h5.url}/admin/`);
    await page.getByLabel('用户名').fill(account.username);
    await page.getByLabel('密码').fill(account.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByLabel('动态码').fill(nextCode(stack, account));
    await page.getByRole('button', { name: '验证' }).click();
    await page.getByTestId('who').waitFor();
  }

  it('when /admin is asked for, then it is the admin bundle, not the resident app, and /admin redirects to /admin/', async () => {
    const res = await fetch(`${h5.url}/admin`, { redirect: 'manual' });
    expect([res.status, res.headers.get('location')]).toEqual([301, '/admin/']);
    const page = await fetch(`${h5.url}/admin/`);
    expect(await page.text()).toContain('admin-root');
    const resident = await fetch(`${h5.url}/`);
    expect(await resident.text()).not.toContain('admin-root');
  });

  it('when a wrong code and then the right one are given, then the page says why and signs in; the menu shows the administrator’s pages only', async () => {
    const page = await open();
    await page.goto(`${h5.url}/admin/`);
    await page.getByLabel('用户名').fill(admin.username);
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').filter({ hasText: '用户名或密码不正确' }).waitFor();
    await page.getByLabel('密码').fill(admin.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByLabel('动态码').fill('000000');
    await page.getByRole('button', { name: '验证' }).click();
    await page.getByRole('alert').filter({ hasText: '动态码不正确' }).waitFor();
    await page.getByLabel('动态码').fill(nextCode(stack, admin));
    await page.getByRole('button', { name: '验证' }).click();
    await page.getByTestId('who').waitFor();
    const menu = await page.getByRole('navigation').getByRole('link').allInnerTexts();
    expect(menu.map((m) => m.split(' ')[0])).toEqual(['运行概况', '第三方机构', '密钥', '民警账号']);
    // The token is kept for this tab only, never in localStorage.
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
    expect(await page.evaluate(() => Object.keys(sessionStorage))).toEqual(['eid-admin-session']);
  });

  it('when the dashboard opens, then its numbers are shown and its charts are drawn on canvas', async () => {
    const page = await open();
    await signIn(page, admin);
    await page
      .getByRole('navigation')
      .getByRole('link', { name: /运行概况/ })
      .click();
    await page.getByRole('heading', { name: /运行概况/ }).waitFor();
    await expect(page.getByTestId('tile-verifications').innerText()).resolves.toMatch(/^1\b/);
    await page.getByTestId('chart-by-hour').locator('canvas').waitFor();
    for (const id of ['chart-by-hour', 'chart-by-purpose', 'chart-by-province']) {
      const drawn = await inked(page, id, [0x1f, 0x5f, 0xbf]);
      expect(drawn.ink).toBeGreaterThan(500);
      if (id !== 'chart-by-province') expect(drawn.series).toBeGreaterThan(20);
    }
    expect((await inked(page, 'chart-failures', [0xc0, 0x39, 0x2b])).ink).toBeGreaterThan(500);
    await expect(page.getByRole('rowheader', { name: '旅馆住宿登记' }).count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-dashboard.png'), fullPage: true });
  });

  it('when a party is registered through the form, then its secret is shown once and it joins the list', async () => {
    const page = await open();
    await signIn(page, admin);
    await page
      .getByRole('navigation')
      .getByRole('link', { name: /第三方机构/ })
      .click();
    await page.getByRole('button', { name: /登记第三方/ }).click();
    const name = `测试银行 ${randomBytes(2).toString('hex')}`;
    const key = newPartyKey();
    const form = page.getByRole('form', { name: /登记第三方/ });
    await form.getByLabel('机构名称').fill(name);
    await form.getByLabel('统一社会信用代码').fill(testUscc());
    await form.getByLabel('类别').selectOption('bank');
    await form.getByLabel('用途').selectOption('hotel_check_in');
    await form.getByLabel('回调地址').fill('https://bank.example.com/eid/callbacks');
    await form.getByLabel('请求签名密钥编号').fill(key.kid);
    await form.getByLabel(/请求签名公钥/).fill(key.publicKey);
    await form.getByRole('button', { name: /^登记/ }).click();
    await expect(page.getByTestId('webhook-secret').first().innerText()).resolves.toMatch(/whsec_/);
    await page.getByTestId('party-list').getByRole('cell', { name }).waitFor();
    const listed = await stack.api('GET', '/api/v1/admin/parties', {
      token: (
        await stack.api('POST', '/api/v1/staff/login', {
          body: { username: admin.username, password: admin.password, totp: nextCode(stack, admin) },
        })
      ).body.accessToken,
    });
    expect(listed.body.parties.map((p: { name: string }) => p.name)).toContain(name);
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-parties.png'), fullPage: true });
  });

  it('when a key has fewer than 90 days left, then its row carries the warning', async () => {
    const page = await open();
    await signIn(page, admin);
    // No key of a standalone node has a known end (the warning logic is tested in test/bff/admin-keys):
    // the page is shown an answer with one.
    const now = Date.now();
    const crafted: ProvinceKeysView = {
      generatedAt: now,
      province: '37',
      keys: [
        {
          kid: 'issuer-37-2025',
          use: 'issuer',
          publicKey: 'A'.repeat(43),
          notBefore: now - 300 * 86_400_000,
          notAfter: now + 30 * 86_400_000,
          daysLeft: 30,
          warning: true,
          status: 'active',
        },
        { kid: 'node-37-1', use: 'node', publicKey: 'B'.repeat(43), daysLeft: null, warning: false },
      ],
      trustList: {
        sequence: 12,
        issuedAt: now - 3_600_000,
        expiresAt: now + 86_400_000,
        provinces: [{ province: '37', name: '山东省', issuerKids: ['issuer-37-2025'] }],
      },
    };
    await page.route('**/api/v1/admin/keys', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(crafted) }),
    );
    await page.getByRole('navigation').getByRole('link', { name: /密钥/ }).click();
    await page.getByTestId('keys-warning').waitFor();
    const warned = page.locator('tr[data-warning="true"]');
    await expect(warned.count()).resolves.toBe(1);
    await expect(warned.innerText()).resolves.toContain('issuer-37-2025');
    await expect(warned.innerText()).resolves.toContain('即将到期');
    await expect(page.getByRole('cell', { name: '山东省' }).count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-keys.png'), fullPage: true });
  });

  it('when a supervisor signs in and opens the dashboard with the keyboard alone, then Tab and Enter are enough and the focus is visible', async () => {
    const supervisor = await enrolledAccount(stack, 'supervisor');
    const page = await open();
    await page.goto(`${h5.url}/admin/`);
    // The username field has the focus on arrival (once React has drawn the form).
    await page.waitForFunction(
      () => (document.activeElement as HTMLInputElement | null)?.name === 'username',
    );
    await page.keyboard.type(supervisor.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(supervisor.password);
    await page.keyboard.press('Enter');
    // The code field takes the focus by itself.
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'totp');
    await page.keyboard.type(nextCode(stack, supervisor));
    await page.keyboard.press('Enter');
    await page.getByTestId('who').waitFor();
    let reached = false;
    for (let i = 0; i < 8 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.getAttribute('href') === '#/dashboard');
    }
    expect(reached).toBe(true);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /运行概况/ }).waitFor();
    await page.getByTestId('chart-by-hour').locator('canvas').waitFor();
    // The supervisor's menu: the dashboard and the work on residents, not the parties nor the keys.
    const menu = await page.getByRole('navigation').getByRole('link').allInnerTexts();
    expect(menu.map((m) => m.split(' ')[0])).toEqual(['运行概况', '居民查询', '人工审核', '暂缓告知']);
  });

  it('when an account that must enrol signs in, then it is shown its QR code and recovery codes once and confirms with a first code', async () => {
    const strict = await startStack({ startAt: Date.now(), env: { STAFF_TOTP_REQUIRED: 'true' } });
    const server = await serveH5({ dir: H5_DIR, adminDir: ADMIN_DIR, proxies: { '/api': strict.url } });
    try {
      const account = await newAccount(strict, 'auditor');
      const page = await open();
      await page.goto(`${server.url}/admin/`);
      await page.getByLabel('用户名').fill(account.username);
      await page.getByLabel('密码').fill(account.password);
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByTestId('totp-qr').waitFor();
      expect(await page.getByTestId('totp-qr').locator('path').getAttribute('d')).toMatch(/^M\d/);
      await expect(page.getByTestId('recovery-codes').locator('li').count()).resolves.toBe(10);
      const secret = (await page.getByTestId('totp-secret').innerText()).trim();
      const app = new TOTP({ secret: Secret.fromBase32(secret) });
      // Confirming waits for the promise that the recovery codes are written down.
      await expect(page.getByRole('button', { name: /确认绑定/ }).isDisabled()).resolves.toBe(true);
      await page.getByLabel(/我已抄下恢复码/).check();
      await page.getByLabel('动态码').fill(app.generate({ timestamp: strict.clock.now() }));
      await page.getByRole('button', { name: /确认绑定/ }).click();
      await page.getByTestId('who').waitFor();
      const menu = await page.getByRole('navigation').getByRole('link').allInnerTexts();
      expect(menu.map((m) => m.split(' ')[0])).toEqual(['运行概况', '审计', '居民异议', '密钥']);
      await page.screenshot({ path: path.join(ARTIFACTS, 'admin-enrolled.png'), fullPage: true });
    } finally {
      await server.stop();
      await strict.stop();
    }
  });
});
