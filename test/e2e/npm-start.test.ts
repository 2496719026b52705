import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort, launchBrowser } from '../helpers/browser';

const ROOT = path.resolve(__dirname, '../..');
const H5_INDEX = path.join(ROOT, 'miniapp/dist/h5/index.html');

interface Ports {
  bff: number;
  h5: number;
  mongo: number;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Started {
  child: ChildProcess;
  ports: Ports;
  output(): string;
  exited: Promise<Exit>;
  cleanup(): void;
}

/**
 * Runs `npm start` (or scripts/start.ts itself) as a person would, on free ports, in a process group of
 * its own as a terminal would make, and resolves once it prints its ready block.
 */
async function startEverything(how: 'npm start' | 'start.ts', extraEnv: Record<string, string> = {}) {
  if (!existsSync(H5_INDEX))
    throw new Error('miniapp/dist/h5 is missing: run `npm run build:miniapp` first (npm test does)');
  const [bff, h5, superapp, registry, face, licence, mongo] = await Promise.all(
    Array.from({ length: 7 }, freePort),
  );
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'eid-start-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: String(bff),
    H5_PORT: String(h5),
    MOCK_SUPERAPP_PORT: String(superapp),
    MOCK_REGISTRY_PORT: String(registry),
    MOCK_FACE_PORT: String(face),
    MOCK_LICENCE_PORT: String(licence),
    EID_MONGO_PORT: String(mongo),
    EID_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const [command, args] =
    how === 'npm start'
      ? ['npm', ['start']]
      : [process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/start.ts')]];
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const started: Started = {
    child,
    ports: { bff, h5, mongo },
    output: () => out,
    exited,
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  };
  try {
    await waitFor(
      () => out.includes('Ctrl-C stops everything'),
      90000,
      () => `not ready:\n${out}`,
      exited,
    );
  } catch (err) {
    killGroup(child, 'SIGKILL');
    throw err;
  }
  return started;
}

/** Polls a condition; fails early when the process has exited. */
async function waitFor(
  done: () => boolean,
  timeoutMs: number,
  why: () => string,
  exited?: Promise<Exit>,
): Promise<void> {
  let exit: Exit | undefined;
  void exited?.then((how) => (exit = how));
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (exit) throw new Error(`exited early (${exit.code ?? exit.signal}): ${why()}`);
    if (Date.now() > deadline) throw new Error(why());
    await new Promise((r) => setTimeout(r, 50));
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** Alive and not a zombie: a reaped or defunct process counts as gone. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The local database's process, found by the free port this test gave it. */
function mongoPid(port: number): number {
  const pids = execFileSync('pgrep', ['-f', `mongo/cli\\.ts --port ${port} `], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map(Number);
  expect(pids).toHaveLength(1);
  return pids[0]!;
}

/**
 * A sign-in whose headers are sent now and whose body is sent when `finish` is called. `Expect:
 * 100-continue` makes the server say when it has taken the request in, so "in flight" is a fact, not a guess.
 */
function slowSignIn(port: number, body: string) {
  const req = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/api/v1/staff/login',
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      expect: '100-continue',
      connection: 'keep-alive',
    },
  });
  const accepted = new Promise<void>((resolve) => req.once('continue', () => resolve()));
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.once('error', reject);
    });
  });
  answer.catch(() => undefined);
  req.flushHeaders();
  return { accepted, answer, finish: () => req.end(body) };
}

/**
 * The acceptance check of `npm start`: the real script, as a person runs it, on free ports. It must
 * print its URLs, answer /healthz and /readyz, serve a page that renders in Chromium, and stop cleanly on Ctrl-C.
 */
describe('npm start', () => {
  it('when started, then every part answers and the H5 page renders; when interrupted, then it all stops', async () => {
    const started = await startEverything('start.ts');
    const { bff, h5 } = started.ports;
    const out = started.output;
    try {
      expect(out()).toContain(`http://127.0.0.1:${h5}/`);
      expect(out()).toMatch(/MONGODB_URI is not set: using the local MongoDB stand-in/);
      expect(out()).toMatch(/DEVELOPMENT KEYS IN USE/);
      // The development trust root a docs-only verifier pins is the one this run signs with.
      const published = /development root public key \(hex\): `([0-9a-f]{64})`/.exec(
        readFileSync(path.join(ROOT, 'docs/formats/trust-list.md'), 'utf8'),
      );
      expect(published).not.toBeNull();
      expect(out()).toMatch(new RegExp(`\\[start\\] +trust root key +${published![1]} `));

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
      started.child.kill('SIGINT');
      const { code } = await started.exited;
      started.cleanup();
      expect(code).toBe(0);
    }
    expect(out()).toContain('[start] stopped.');
  }, 180000);

  it('when started, then the ready block names the development staff account, and it signs in', async () => {
    const started = await startEverything('start.ts', {
      STAFF_DEV_ACCOUNT: 'window07:a-dev-password-7:officer:窗口 7 (window 7)',
    });
    try {
      const ready = started.output().slice(started.output().indexOf('[start] ready:'));
      const line = /\[start\] +staff sign-in +(\S+) \/ (\S+) /.exec(ready);
      expect(line?.slice(1)).toEqual(['window07', 'a-dev-password-7']);
      const signIn = await fetch(`http://127.0.0.1:${started.ports.h5}/api/v1/staff/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: line![1], password: line![2] }),
      });
      expect(signIn.status).toBe(200);
    } finally {
      started.child.kill('SIGINT');
      await started.exited;
      started.cleanup();
    }
  }, 180000);

  it('when Ctrl-C reaches the whole process group with requests in flight, then each gets its whole answer, nothing logs a 500, and every process exits', async () => {
    const started = await startEverything('npm start', { LOG_LEVEL: 'info' });
    const { bff, h5, mongo } = started.ports;
    const pgid = started.child.pid!;
    const database = mongoPid(mongo);
    try {
      const account = /\[start\] +staff sign-in +(\S+) \/ (\S+) /.exec(started.output());
      expect(account).not.toBeNull();
      const body = JSON.stringify({ username: account![1], password: account![2] });
      // One through the H5 page's origin (the proxy), one straight to the BFF.
      const viaPage = slowSignIn(h5, body);
      const direct = slowSignIn(bff, body);
      await Promise.all([viaPage.accepted, direct.accepted]);

      // What a terminal does on Ctrl-C: SIGINT to every process of the foreground group at once.
      process.kill(-pgid, 'SIGINT');
      await waitFor(
        () => started.output().includes('[start] SIGINT: stopping'),
        30000,
        () => `no stopping line:\n${started.output()}`,
      );
      viaPage.finish();
      direct.finish();

      for (const { answer } of [viaPage, direct]) {
        const { status, body: text } = await answer;
        expect(status).toBe(200);
        expect(JSON.parse(text)).toEqual(expect.objectContaining({ accessToken: expect.any(String) }));
      }
      // start.ts exits 0; the shell npm runs it in then re-raises the interrupt, as shells do.
      const { code, signal } = await started.exited;
      expect([0, 'SIGINT']).toContain(code ?? signal);
    } finally {
      killGroup(started.child, 'SIGKILL');
      if (isAlive(database)) process.kill(database, 'SIGKILL');
      started.cleanup();
    }
    const out = started.output();
    expect(out).not.toMatch(/"status":5\d\d|"level":"error"|MongoTopologyClosedError/);
    expect(out).toContain('[start] stopped.');
    expect(isAlive(database)).toBe(false);
    expect(groupExists(pgid)).toBe(false);
  }, 180000);

  it('when start.ts itself is killed outright, then the database it started does not linger', async () => {
    const started = await startEverything('start.ts');
    const database = mongoPid(started.ports.mongo);
    try {
      expect(isAlive(database)).toBe(true);
      started.child.kill('SIGKILL');
      await started.exited;
      await waitFor(
        () => !isAlive(database),
        15000,
        () => `the local database (pid ${database}) outlived start.ts`,
      );
    } finally {
      killGroup(started.child, 'SIGKILL');
      if (isAlive(database)) process.kill(database, 'SIGKILL');
      started.cleanup();
    }
  }, 180000);
});
