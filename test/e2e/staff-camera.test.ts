import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page, Response } from 'playwright-core';
import { CARD_FIELDS, findPurpose } from '@eid/shared';
import { MESSAGES } from '../../miniapp/src/i18n/messages';
import { serveH5, type H5Server } from '../../scripts/serve-h5';
import { ARTIFACTS, freePort, launchBrowser, type Browser } from '../helpers/browser';
import { codeOf, holderWithCard, type Holder } from '../helpers/card-flow';
import { fakeCameraArgs, writeQrVideo } from '../helpers/fake-camera';
import { DEV_STAFF, startStack, type Stack } from '../helpers/stack';

/**
 * The staff page scanning a bright code with the camera, in Chromium with a fake camera that plays a
 * video made from a real holder's code (issued through the real BFF). Chromium on Linux has no native
 * BarcodeDetector, so this is the polyfill path, its WebAssembly served by our own H5 server.
 *
 * What the test relies on in the page: `data-testid="camera-scanner"` with `data-phase`
 * (idle | starting | scanning | decoded | failed) and `data-decoder` (native | polyfill); the button
 * labels and sentences of staff/i18n.ts (`staff.camera.*`); `[data-verdict]` and `.verdict__card
 * .row__label` of VerdictView; the code field labelled 亮证码.
 */

const H5_DIR = path.resolve(__dirname, '../../miniapp/dist/h5');
const STEP_MS = 20_000;
const PURPOSE = 'hotel_check_in';
// The page's sentences (staff/i18n.ts, which loads Taro and so cannot be imported into a Node suite).
const SAY = {
  start: '用摄像头扫码',
  again: '再次扫码',
  stop: '关闭摄像头',
  scanning: '正在识别：请将居民手机上的二维码完整放入画面。',
  decoded: '已识别二维码，摄像头已关闭。',
  unclear:
    '还没有识别出二维码。请让二维码完整出现在画面中并保持稳定，靠近一些使其清晰；屏幕反光时请调整角度。',
  denied: '摄像头权限被拒绝。请在浏览器设置中允许本页使用摄像头后重试，或改用扫码枪、粘贴码文本。',
  noCamera: '没有找到可用的摄像头。请连接摄像头后重试，或改用扫码枪、粘贴码文本。',
  decoderFailed: '扫码组件加载失败。请刷新页面后重试，或改用扫码枪、粘贴码文本。',
};

jest.setTimeout(120_000);

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

describe('the staff page scanning with the camera', () => {
  let stack: Stack;
  let h5: H5Server;
  let holder: Holder;
  let videos: string;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(H5_DIR, 'index.html'))) {
      throw new Error('miniapp/dist/h5 is missing: run `npm run build:miniapp` first (npm test does)');
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    videos = mkdtempSync(path.join(os.tmpdir(), 'eid-camera-'));
    stack = await startStack({ startAt: Date.now() });
    h5 = await serveH5({
      dir: H5_DIR,
      proxies: {
        '/api': stack.url,
        '/healthz': stack.url,
        '/mock/superapp': stack.mocks.superapp.url,
        '/mock/face': stack.mocks.face.url,
      },
    });
    holder = await holderWithCard(stack);
  });

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await h5?.stop();
    await stack?.stop();
    if (videos) rmSync(videos, { recursive: true, force: true });
  });

  async function open(args: string[]): Promise<Page> {
    const browser = await launchBrowser({ width: 1024, height: 900, args });
    browsers.push(browser);
    const page = await browser.context.newPage();
    page.setDefaultTimeout(STEP_MS);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    return page;
  }

  async function signInAsStaff(page: Page, origin = h5.url): Promise<void> {
    await page.goto(`${origin}/#/staff/pages/verify/index`);
    await page.getByLabel('用户名').fill(DEV_STAFF.username);
    await page.getByLabel('密码').fill(DEV_STAFF.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByLabel('核验事由').selectOption(PURPOSE);
  }

  const scanner = (page: Page) => page.getByTestId('camera-scanner');

  it('when a real bright code is held to the camera, then the page reads it, stops the camera and shows valid with only the purpose’s fields, all from 127.0.0.1', async () => {
    const code = codeOf(stack, holder);
    const page = await open(fakeCameraArgs(writeQrVideo(path.join(videos, 'code.y4m'), code)));
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    const scripts: { url: string; body: string }[] = [];
    const wasm: Response[] = [];
    page.on('response', (response) => {
      const url = response.url();
      if (url.endsWith('.wasm')) wasm.push(response);
      if (url.endsWith('.js'))
        void response.text().then(
          (body) => scripts.push({ url, body }),
          () => undefined,
        );
    });

    // The welcome page first: none of the scripts it loads carries the decoder.
    await page.goto(`${h5.url}/`);
    await page.getByRole('heading', { name: '电子居民身份证' }).waitFor();
    await page.waitForLoadState('networkidle');
    const welcomeScripts = scripts.length;
    expect(welcomeScripts).toBeGreaterThan(0);
    expect(scripts.filter((s) => /zxing/i.test(s.body)).map((s) => s.url)).toEqual([]);

    await signInAsStaff(page);
    await expect(scanner(page).getAttribute('data-phase')).resolves.toBe('idle');
    await page.getByRole('button', { name: SAY.start }).click();

    const verdict = page.locator('[data-verdict]');
    await verdict.waitFor();
    await expect(verdict.getAttribute('data-verdict')).resolves.toBe('valid');
    await expect(verdict.innerText()).resolves.toBe('有效');
    // The decoded text is what went through the paste path: it is in the code field.
    await expect(page.getByLabel('亮证码').inputValue()).resolves.toBe(code);
    await expect(scanner(page).getAttribute('data-phase')).resolves.toBe('decoded');
    await expect(scanner(page).getAttribute('data-decoder')).resolves.toBe('polyfill');
    await expect(page.locator('video').count()).resolves.toBe(0);
    await page.getByText(SAY.decoded).waitFor();
    await page.getByRole('button', { name: SAY.again }).waitFor();

    // Only what hotel check-in may see, in the order the card lists them.
    const allowed = findPurpose(PURPOSE)!.fields;
    const expected = CARD_FIELDS.filter((f) => allowed.includes(f) && holder.card.face[f]).map(
      (f) => MESSAGES[`field.${f}` as keyof typeof MESSAGES].zh,
    );
    expect(expected.length).toBeGreaterThan(0);
    await expect(page.locator('.verdict__card .row__label').allInnerTexts()).resolves.toEqual(expected);
    await page.getByText(holder.person.name, { exact: true }).waitFor();
    const shown = await page.locator('body').innerText();
    expect(shown).not.toContain(holder.person.idNumber);
    expect(shown).not.toContain(holder.person.address);
    await shot(page, 'staff-camera-valid');

    // The decoder's WebAssembly came from our H5 server, as WebAssembly, and so did its script.
    expect(wasm.map((r) => new URL(r.url()).origin)).toEqual([h5.url]);
    expect(new URL(wasm[0]!.url()).pathname).toMatch(/^\/static\/wasm\/zxing_reader\.[0-9a-f]{8}\.wasm$/);
    expect(wasm[0]!.status()).toBe(200);
    expect(await wasm[0]!.headerValue('content-type')).toBe('application/wasm');
    const staffScripts = scripts.slice(welcomeScripts);
    expect(staffScripts.some((s) => /zxing/i.test(s.body) && s.url.startsWith(h5.url))).toBe(true);
    // Nothing left this machine: every request went to 127.0.0.1 (or stayed in the page).
    const outside = requested.filter((url) => {
      const { protocol, hostname } = new URL(url);
      return !(protocol === 'data:' || protocol === 'blob:' || hostname === '127.0.0.1');
    });
    expect(requested.length).toBeGreaterThan(welcomeScripts);
    expect(outside).toEqual([]);
  });

  it('when the code is held half out of the picture, then the page keeps scanning and says how to hold it', async () => {
    const partial = writeQrVideo(path.join(videos, 'partial.y4m'), codeOf(stack, holder), {
      visible: 0.55,
    });
    const page = await open(fakeCameraArgs(partial));
    await signInAsStaff(page);
    await page.getByRole('button', { name: SAY.start }).click();
    await page.getByTestId('camera-status').getByText(SAY.scanning).waitFor();
    await page.getByText(SAY.unclear).waitFor({ timeout: 60_000 });
    await expect(scanner(page).getAttribute('data-phase')).resolves.toBe('scanning');
    await expect(page.locator('[data-verdict]').count()).resolves.toBe(0);
    await shot(page, 'staff-camera-partial');
    await page.getByRole('button', { name: SAY.stop }).click();
    await expect(page.locator('video').count()).resolves.toBe(0);
    await expect(scanner(page).getAttribute('data-phase')).resolves.toBe('idle');
  });

  it('when camera permission is refused, then the page says so in words and paste still works', async () => {
    const video = writeQrVideo(path.join(videos, 'refused.y4m'), codeOf(stack, holder));
    const page = await open(fakeCameraArgs(video, { grant: false }));
    const wasm: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('.wasm')) wasm.push(request.url());
    });
    await signInAsStaff(page);
    await page.getByRole('button', { name: SAY.start }).click();
    await page.getByRole('alert').getByText(SAY.denied).waitFor();
    await expect(scanner(page).getAttribute('data-phase')).resolves.toBe('failed');
    // A refused camera costs no decoder download.
    expect(wasm).toEqual([]);
    await shot(page, 'staff-camera-denied');

    await page.getByLabel('亮证码').fill(codeOf(stack, holder));
    await page.getByRole('button', { name: '核验', exact: true }).click();
    await expect(page.locator('[data-verdict]').getAttribute('data-verdict')).resolves.toBe('valid');
  });

  it('when the decoder’s WebAssembly cannot be fetched, then the page says the reader could not load and releases the camera', async () => {
    // The same build, but its wasm path leads to a port where nothing listens (the server answers 502).
    const broken = await serveH5({
      dir: H5_DIR,
      proxies: { '/api': stack.url, '/static/wasm': `http://127.0.0.1:${await freePort()}` },
    });
    try {
      const video = writeQrVideo(path.join(videos, 'no-wasm.y4m'), codeOf(stack, holder));
      const page = await open(fakeCameraArgs(video));
      const wasm: number[] = [];
      page.on('response', (response) => {
        if (response.url().endsWith('.wasm')) wasm.push(response.status());
      });
      await signInAsStaff(page, broken.url);
      await page.getByRole('button', { name: SAY.start }).click();
      await page.getByRole('alert').getByText(SAY.decoderFailed).waitFor();
      expect(wasm.length).toBeGreaterThan(0);
      expect(wasm.every((status) => status === 502)).toBe(true);
      await expect(page.locator('video').count()).resolves.toBe(0);
      await expect(page.locator('[data-verdict]').count()).resolves.toBe(0);
    } finally {
      await broken.stop();
    }
  });

  it('when the terminal has no camera, then the page says no camera was found', async () => {
    const page = await open([
      '--use-fake-device-for-media-stream=device-count=0',
      '--use-fake-ui-for-media-stream',
    ]);
    await signInAsStaff(page);
    await page.getByRole('button', { name: SAY.start }).click();
    await page.getByRole('alert').getByText(SAY.noCamera).waitFor();
    await page.getByRole('button', { name: SAY.again }).waitFor();
    await shot(page, 'staff-camera-none');
  });
});
