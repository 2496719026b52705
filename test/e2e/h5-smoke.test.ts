import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { serveH5, type H5Server } from '../../scripts/serve-h5';
import { ARTIFACTS, freePort, launchBrowser, type Browser } from '../helpers/browser';

const H5_DIR = path.resolve(__dirname, '../../miniapp/dist/h5');

function requireBuild(): void {
  if (!existsSync(path.join(H5_DIR, 'index.html'))) {
    throw new Error('miniapp/dist/h5 is missing: run `npm run build:miniapp` first (npm test does)');
  }
}

/** A real upstream that answers with the path it was asked for, standing in for the BFF and a mock. */
async function echoServer(): Promise<{ url: string; server: Server }> {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'echo' });
    res.end(JSON.stringify({ path: req.url, method: req.method, host: req.headers.host }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function rawGet(port: number, rawPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: rawPath }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('serveH5', () => {
  let h5: H5Server;
  let echo: { url: string; server: Server };

  beforeAll(async () => {
    requireBuild();
    echo = await echoServer();
    h5 = await serveH5({
      dir: H5_DIR,
      proxies: { '/api': echo.url, '/healthz': echo.url, '/mock/face': echo.url },
    });
  });

  afterAll(async () => {
    await h5?.stop();
    await new Promise((resolve) => echo?.server.close(resolve));
  });

  it('when the root is asked for, then index.html comes back revalidated on every load', async () => {
    const res = await fetch(`${h5.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain('<div id="app">');
  });

  it('when a hashed script is asked for, then it is served as JavaScript and cached for a year', async () => {
    const script = readdirSync(path.join(H5_DIR, 'js')).find((f) => /^app\.[0-9a-f]{8}\.js$/.test(f));
    expect(script).toBeDefined();
    const res = await fetch(`${h5.url}/js/${script}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('when a client-side route is loaded directly, then the single-page app answers it', async () => {
    const res = await fetch(`${h5.url}/usage/pages/list/index`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="app">');
  });

  it('when a missing asset or a path outside the build is asked for, then the answer is 404', async () => {
    expect((await fetch(`${h5.url}/js/missing.12345678.js`)).status).toBe(404);
    expect((await rawGet(h5.port, '/%2e%2e/package.json')).status).toBe(404);
    expect((await rawGet(h5.port, '/../../package.json')).status).not.toBe(200);
  });

  it('when /api and /healthz are called, then they reach the BFF with their path kept', async () => {
    const api = await fetch(`${h5.url}/api/v1/purposes?x=1`);
    expect(api.headers.get('x-upstream')).toBe('echo');
    expect(await api.json()).toMatchObject({ path: '/api/v1/purposes?x=1', method: 'GET' });
    expect(await (await fetch(`${h5.url}/healthz`)).json()).toMatchObject({ path: '/healthz' });
  });

  it('when a stand-in is called under /mock, then its prefix is stripped and the body is forwarded', async () => {
    const res = await fetch(`${h5.url}/mock/face/v1/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verifyId: 'v', image: 'x' }),
    });
    const echoed = (await res.json()) as { path: string; method: string; host: string };
    expect(echoed).toMatchObject({ path: '/v1/capture', method: 'POST' });
    expect(echoed.host).toBe(new URL(echo.url).host);
  });

  it('when the upstream is down, then the proxy answers 502 with a stable code', async () => {
    const dead = await serveH5({ dir: H5_DIR, proxies: { '/api': `http://127.0.0.1:${await freePort()}` } });
    try {
      const res = await fetch(`${dead.url}/api/v1/privacy-notice`);
      expect(res.status).toBe(502);
      expect(await res.json()).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    } finally {
      await dead.stop();
    }
  });
});

describe('the H5 build in Chromium', () => {
  let h5: H5Server;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    requireBuild();
    mkdirSync(ARTIFACTS, { recursive: true });
    // The API points at a port where nothing listens: the page must say so in words.
    h5 = await serveH5({ dir: H5_DIR, proxies: { '/api': `http://127.0.0.1:${await freePort()}` } });
    browser = await launchBrowser({ width: 375, height: 760 });
    page = await browser.context.newPage();
    page.setDefaultTimeout(10000);
  });

  afterAll(async () => {
    await browser?.close();
    await h5?.stop();
  });

  it('when opened, then the welcome page renders in Chinese with the service explained', async () => {
    await page.goto(`${h5.url}/`);
    await page.getByRole('heading', { name: '电子居民身份证' }).waitFor();
    await expect(page.getByText('不联网也能亮证').isVisible()).resolves.toBe(true);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
  });

  it('when the service cannot be reached, then a plain sentence and a retry button show, never a code', async () => {
    await page.getByText('暂时无法连接服务，请检查网络后重试。').waitFor();
    await expect(page.getByRole('button', { name: '重试' }).isVisible()).resolves.toBe(true);
    const text = await page.locator('body').innerText();
    expect(text).not.toMatch(/UPSTREAM|HTTP 50|Error:/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'smoke-welcome-offline.png'), fullPage: true });
  });

  it('when the language switch is pressed, then the page changes to English and remembers it', async () => {
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Electronic Resident ID Card' }).waitFor();
    await page
      .getByText('We cannot reach the service right now. Check your connection and try again.')
      .waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.reload();
    await page.getByRole('heading', { name: 'Electronic Resident ID Card' }).waitFor();
    await page.getByRole('button', { name: '切换到中文' }).click();
    await page.getByRole('heading', { name: '电子居民身份证' }).waitFor();
  });

  it('when the staff entry is followed, then the staff sign-in form renders with labelled fields', async () => {
    await page.getByRole('button', { name: '工作人员核验入口' }).click();
    await page.getByRole('heading', { name: '证照核验' }).waitFor();
    await expect(page.getByLabel('用户名').isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('密码').isVisible()).resolves.toBe(true);
    expect(page.url()).toContain('#/staff/pages/verify/index');
  });

  it('when the screen is 320 px wide, then nothing overflows sideways', async () => {
    await page.setViewportSize({ width: 320, height: 640 });
    // A fresh load rather than a hash change, so the welcome page is the only one.
    await page.goto('about:blank');
    await page.goto(`${h5.url}/`);
    await page.getByRole('heading', { name: '电子居民身份证' }).waitFor();
    await page.getByText('暂时无法连接服务，请检查网络后重试。').waitFor();
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    await page.screenshot({ path: path.join(ARTIFACTS, 'smoke-welcome-320.png'), fullPage: true });
  });

  it('when the reader’s text size is doubled at 320 px, then the text grows and still nothing overflows', async () => {
    const before = await page
      .getByRole('heading', { name: '电子居民身份证' })
      .evaluate((h) => getComputedStyle(h).fontSize);
    // What a browser's "text size 200%" setting does: the root font size, which every size derives from.
    await page.evaluate(() => {
      document.documentElement.style.fontSize = '32px';
    });
    const after = await page
      .getByRole('heading', { name: '电子居民身份证' })
      .evaluate((h) => getComputedStyle(h).fontSize);
    expect(parseFloat(after)).toBeCloseTo(parseFloat(before) * 2, 0);
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    await page.screenshot({ path: path.join(ARTIFACTS, 'smoke-welcome-320-large-text.png') });
  });
});
