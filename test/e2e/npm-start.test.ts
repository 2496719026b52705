import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, launchBrowser } from '../helpers/browser';

const ROOT = path.resolve(__dirname, '../..');
const H5_INDEX = path.join(ROOT, 'miniapp/dist/h5/index.html');

/**
 * The acceptance check of `npm start`: the real script, as a person runs it, on free ports. It must
 * print its URLs, answer /healthz and /readyz, serve a page that renders in Chromium, and stop cleanly on Ctrl-C.
 */
describe('npm start', () => {
  it('when started, then every part answers and the H5 page renders; when interrupted, then it all stops', async () => {
    if (!existsSync(H5_INDEX))
      throw new Error('miniapp/dist/h5 is missing: run `npm run build:miniapp` first (npm test does)');
    const [bff, h5, superapp, registry, face, mongo] = await Promise.all(Array.from({ length: 6 }, freePort));
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'eid-start-'));
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(bff),
      H5_PORT: String(h5),
      MOCK_SUPERAPP_PORT: String(superapp),
      MOCK_REGISTRY_PORT: String(registry),
      MOCK_FACE_PORT: String(face),
      EID_MONGO_PORT: String(mongo),
      EID_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/start.ts')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`npm start did not get ready:\n${out}`)), 60000);
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('Ctrl-C stops everything')) {
            clearTimeout(timer);
            resolve();
          }
        });
        void exited.then((code) => reject(new Error(`npm start exited early with ${code}:\n${out}`)));
      });
      expect(out).toContain(`http://127.0.0.1:${h5}/`);
      expect(out).toMatch(/MONGODB_URI is not set: using the local MongoDB stand-in/);
      expect(out).toMatch(/DEVELOPMENT KEYS IN USE/);

      for (const base of [`http://127.0.0.1:${bff}`, `http://127.0.0.1:${h5}`]) {
        expect((await fetch(`${base}/healthz`)).status).toBe(200);
        const ready = await fetch(`${base}/readyz`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toEqual({ status: 'ready' });
      }

      const browser = await launchBrowser();
      try {
        const page = await browser.context.newPage();
        await page.goto(`http://127.0.0.1:${h5}/`);
        await page.waitForSelector('text=电子身份证', { timeout: 20000 });
        expect(await page.title()).not.toBe('');
      } finally {
        await browser.close();
      }
    } finally {
      child.kill('SIGINT');
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      expect(code).toBe(0);
    }
    expect(out).toContain('[start] stopped.');
  }, 120000);
});
