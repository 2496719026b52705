import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, launchBrowser } from '../helpers/browser';

const ROOT = path.resolve(__dirname, '../..');
const H5_INDEX = path.join(ROOT, 'miniapp/dist/h5/index.html');

/** True when nothing listens on `port` (bound and released at once). */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * A base port whose national (base) and province ports (base + 11, 37, 42) are all free. Drawn from 10000-19999:
 * below the ephemeral range (32768-60999), where a port free at the probe could be handed to another test's
 * port-0 server or outgoing connection before npm start binds it (a CI run met EADDRINUSE that way), and below
 * the jest workers' own ranges (test/helpers/federation.ts, from 20000).
 */
async function freeBase(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const base = 10_000 + Math.floor(Math.random() * 9_900);
    const all = await Promise.all([0, 11, 37, 42].map((d) => isFree(base + d)));
    if (all.every(Boolean)) return base;
  }
  throw new Error('no free base port');
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/**
 * Issue 18 §5: `npm start -- --federation` starts the national role and three provinces, and the H5 pages
 * say which province they talk to and switch to another one's node.
 */
describe('npm start -- --federation', () => {
  it('when started, then the national and three provinces answer, and the H5 banner names Shandong and switches to Hubei', async () => {
    if (!existsSync(H5_INDEX))
      throw new Error('miniapp/dist/h5 is missing: run `npm run build:miniapp` first (npm test does)');
    const [h5, mongo, base] = [await freePort(), await freePort(), await freeBase()];
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'eid-start-fed-'));
    const child = spawn('npm', ['start', '--', '--federation'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        H5_PORT: String(h5),
        EID_MONGO_PORT: String(mongo),
        EID_DATA_DIR: dataDir,
        FEDERATION_BASE_PORT: String(base),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 150_000;
      while (!out.includes('Ctrl-C stops everything')) {
        if (child.exitCode !== null) throw new Error(`npm start exited early:\n${out}`);
        if (Date.now() > deadline) throw new Error(`not ready:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(out).toContain('ready (federation)');

      // Each node is its own process on its own port, and says which province it is.
      for (const [p, name] of [
        ['37', '山东省'],
        ['42', '湖北省'],
        ['11', '北京市'],
      ] as const) {
        const state = await fetch(`http://127.0.0.1:${base + Number(p)}/api/v1/federation/state`);
        expect(state.status).toBe(200);
        expect(await state.json()).toMatchObject({ province: p, name });
      }
      const bundle = await fetch(`http://127.0.0.1:${base}/api/v1/national/trust-bundle`);
      expect(bundle.status).toBe(200);

      const browser = await launchBrowser();
      try {
        const page = await browser.context.newPage();
        await page.goto(`http://127.0.0.1:${h5}/`);
        await page.waitForSelector('text=当前省份：山东省', { timeout: 30_000 });
        await page.getByRole('button', { name: '切换到 湖北省' }).click();
        await page.waitForSelector('text=当前省份：湖北省', { timeout: 30_000 });
        // The choice is remembered: a new visit talks to Hubei's node still.
        await page.goto(`http://127.0.0.1:${h5}/`);
        await page.waitForSelector('text=当前省份：湖北省', { timeout: 30_000 });
        const cookies = await browser.context.cookies();
        expect(cookies.find((c) => c.name === 'eid_province')?.value).toBe('42');
        // And the pages' API calls now reach 42's node.
        const state = await page.evaluate(async () => (await fetch('/api/v1/federation/state')).json());
        expect(state).toMatchObject({ province: '42', name: '湖北省' });
      } finally {
        await browser.close();
      }
    } finally {
      killGroup(child, 'SIGINT');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
