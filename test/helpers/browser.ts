import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where tests save screenshots for people to look at (git-ignored). */
export const ARTIFACTS = path.resolve(__dirname, '../../artifacts/screenshots');

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, in a fresh profile. The flags keep it off the network this machine
 * does not have; Playwright refuses --user-data-dir in launch(), hence the persistent context.
 */
export async function launchBrowser(
  options: {
    width?: number;
    height?: number;
    locale?: string;
    /** More Chromium flags, e.g. a fake camera (helpers/fake-camera.ts). */
    args?: string[];
  } = {},
): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: npm test installs it (scripts/provision.sh), or set CHROMIUM_PATH`,
    );
  }
  const profile = mkdtempSync(path.join(os.tmpdir(), 'eid-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale: options.locale ?? 'zh-CN',
    viewport: { width: options.width ?? 390, height: options.height ?? 844 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.args ?? []),
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A free TCP port on 127.0.0.1 (for processes that must be told their port up front). */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
