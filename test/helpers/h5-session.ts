import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { syntheticCaptureBytes } from '@eid/mock';
import { serveH5, type H5Server } from '../../scripts/serve-h5';
import { ARTIFACTS, launchBrowser, type Browser } from './browser';
import { DEV_STAFF, startStack, type Stack } from './stack';

export const H5_DIR = path.resolve(__dirname, '../../miniapp/dist/h5');

/** A resident's phone and a staff terminal on the H5 build, served against a real stack. */
export interface H5Session {
  stack: Stack;
  h5: H5Server;
  phone: Browser;
  terminal: Browser;
  page: Page;
  staffPage: Page;
  stop(): Promise<void>;
}

/**
 * Starts the stack with its clock following real time (the phone stamps and checks times with the
 * browser's clock, the BFF with its own), serves the H5 build with the BFF and stand-ins proxied, and
 * opens a phone and a terminal page with reduced motion, so screenshots catch pages at rest.
 */
export async function startH5Session(options: {
  stepMs: number;
  terminalHeight: number;
  /** Extra BFF configuration (e.g. CALLBACK_ALLOW_HOSTS for a party's callbacks on 127.0.0.1). */
  env?: Record<string, string>;
}): Promise<H5Session> {
  if (!existsSync(path.join(H5_DIR, 'index.html'))) {
    throw new Error('miniapp/dist/h5 is missing: run `npm run build:miniapp` first (npm test does)');
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const stack = await startStack({ startAt: Date.now(), env: options.env });
  const ticking = setInterval(() => stack.clock.set(Date.now()), 100);
  const h5 = await serveH5({
    dir: H5_DIR,
    proxies: {
      '/api': stack.url,
      '/healthz': stack.url,
      '/readyz': stack.url,
      '/mock/superapp': stack.mocks.superapp.url,
      '/mock/face': stack.mocks.face.url,
    },
  });
  const phone = await launchBrowser({ width: 390, height: 844 });
  const terminal = await launchBrowser({ width: 1024, height: options.terminalHeight });
  const page = await phone.context.newPage();
  const staffPage = await terminal.context.newPage();
  for (const p of [page, staffPage]) {
    p.setDefaultTimeout(options.stepMs);
    await p.emulateMedia({ reducedMotion: 'reduce' });
  }
  return {
    stack,
    h5,
    phone,
    terminal,
    page,
    staffPage,
    async stop() {
      clearInterval(ticking);
      await phone.close();
      await terminal.close();
      await h5.stop();
      await stack.stop();
    },
  };
}

/**
 * A new resident enrols through the pages: consent, real-name check, face check with a fresh photo
 * (labelled `photo`), then takes the card; resolves on the card page.
 */
export async function enrolThroughPages(
  page: Page,
  h5Url: string,
  who: { name: string; idNumber: string },
  photo: string,
): Promise<void> {
  await page.goto(`${h5Url}/`);
  await page.getByLabel('我已阅读并同意《个人信息保护告知》').check();
  await page.getByRole('button', { name: '同意并继续' }).click();
  await page.getByRole('heading', { name: '实名认证' }).waitFor();
  await page.getByLabel('姓名').fill(who.name);
  await page.getByLabel('公民身份号码').fill(who.idNumber);
  await page.getByRole('button', { name: '提交核对' }).click();
  await page.getByRole('heading', { name: '人脸核验' }).waitFor();
  await page.getByRole('button', { name: '开始人脸核验' }).click();
  await page.locator('#face-file').setInputFiles({
    name: 'enroll.png',
    mimeType: 'image/png',
    buffer: Buffer.from(syntheticCaptureBytes(`${photo}-${Date.now()}`)),
  });
  await page.getByRole('button', { name: '领取我的电子证照' }).click();
  await page.getByRole('heading', { name: '我的电子证照' }).waitFor();
}

/** Opens a staff page at `hashPath` and signs in with the development staff account. */
export async function staffSignIn(staffPage: Page, h5Url: string, hashPath: string): Promise<void> {
  await staffPage.goto(`${h5Url}/#${hashPath}`);
  await staffPage.getByLabel('用户名').fill(DEV_STAFF.username);
  await staffPage.getByLabel('密码').fill(DEV_STAFF.password);
  await staffPage.getByRole('button', { name: '登录' }).click();
}
