import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { OfflineCheck, UsageEvent } from '@eid/shared';
import { serveH5, type H5Server } from '../../scripts/serve-h5';
import { ARTIFACTS, launchBrowser, type Browser } from '../helpers/browser';
import { codeOf, holderWithCard, residentIdOf, staffToken, type Holder } from '../helpers/card-flow';
import { DEV_STAFF, startStack, type Stack } from '../helpers/stack';

/**
 * The staff terminal losing the network, in Chromium against the real BFF, stand-ins and database, with
 * a real holder whose card the BFF issued and real codes from that holder's device key. The terminal
 * caches the lists while online; `context.setOffline(true)` cuts it off; a check is "valid, offline"
 * with the status data's age; the same code again is refused; the network returns and the queue
 * uploads, its first answer lost on the way back so the upload is retried; the resident's trace holds
 * each check once, marked offline. Then the BFF alone is cut (the page's own files still load), a check
 * is made offline and the page reloaded: the queue is still there and uploads at the next sign-in.
 *
 * What the test relies on in the page: `[data-verdict]` with `data-offline="true"`, the test ids
 * `verdict-offline`, `offline-lists`, `offline-queue` (with `data-size`), `offline-flagged` (staff page)
 * and `usage-offline` (resident's usage list), and the sentences quoted below (staff/i18n.ts).
 */

const H5_DIR = path.resolve(__dirname, '../../miniapp/dist/h5');
const STEP_MS = 20_000;
const PURPOSE = 'hotel_check_in';

jest.setTimeout(180_000);

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The number of offline checks waiting on the page (0 when the queue line is gone), read in one step. */
function queueSize(page: Page): Promise<number> {
  return page.evaluate(() =>
    Number(document.querySelector('[data-testid="offline-queue"]')?.getAttribute('data-size') ?? 0),
  );
}

/** Waits (bounded) until the page's queue holds `n` checks. */
async function waitForQueue(page: Page, n: number, attempts = 300): Promise<void> {
  let size = -1;
  for (let i = 0; i < attempts && size !== n; i += 1) {
    size = await queueSize(page);
    if (size !== n) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(size).toBe(n);
}

describe('the staff terminal offline', () => {
  let stack: Stack;
  let h5: H5Server;
  let holder: Holder;
  let terminal: Browser;
  let context: BrowserContext;
  let page: Page;
  let ticking: ReturnType<typeof setInterval>;
  // Every upload the page sent, as its body.
  const uploads: OfflineCheck[][] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(H5_DIR, 'index.html'))) {
      throw new Error('miniapp/dist/h5 is missing: run `npm run build:miniapp` first (npm test does)');
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startStack({ startAt: Date.now() });
    // The page uploads on its own timers and stamps checks with the browser's clock, and the BFF
    // re-verifies each at that time: its manual clock follows the real one throughout.
    ticking = setInterval(() => stack.clock.set(Date.now()), 100);
    h5 = await serveH5({
      dir: H5_DIR,
      proxies: { '/api': stack.url, '/healthz': stack.url },
    });
    holder = await holderWithCard(stack);
    terminal = await launchBrowser({ width: 1024, height: 900 });
    context = terminal.context;
    page = await context.newPage();
    page.setDefaultTimeout(STEP_MS);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    page.on('request', (request) => {
      if (request.url().endsWith('/api/v1/verify/offline-checks'))
        uploads.push((JSON.parse(request.postData() ?? '{}') as { checks: OfflineCheck[] }).checks);
    });
  });

  afterAll(async () => {
    clearInterval(ticking);
    await terminal?.close();
    await h5?.stop();
    await stack?.stop();
  });

  async function signIn(): Promise<void> {
    await page.getByLabel('用户名').fill(DEV_STAFF.username);
    await page.getByLabel('密码').fill(DEV_STAFF.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByLabel('核验事由').selectOption(PURPOSE);
  }

  async function check(code: string): Promise<string | null> {
    const next = page.getByRole('button', { name: '核验下一位' });
    if (await next.count()) await next.click();
    await page.getByLabel('亮证码').fill(code);
    await page.getByRole('button', { name: '核验', exact: true }).click();
    const verdict = page.locator('[data-verdict]');
    await verdict.waitFor();
    return verdict.getAttribute('data-verdict');
  }

  /** The resident's trace, as the resident reads it through the BFF. */
  async function offlineRecords(): Promise<UsageEvent[]> {
    const res = await stack.api('GET', '/api/v1/usage?limit=100', { token: holder.token });
    expect(res.status).toBe(200);
    return (res.body as { items: UsageEvent[] }).items.filter((e) => e.detail?.offline === true);
  }

  const codeNow = () => codeOf(stack, holder, Date.now());
  let first = '';

  it('when a staff member signs in, then the page downloads and keeps the lists and says how old they are', async () => {
    await page.goto(`${h5.url}/#/staff/pages/verify/index`);
    await signIn();
    await page.getByText('离线核验数据：不到 1 分钟前更新').waitFor();
    // Kept in IndexedDB, which outlives a reload.
    const keys = await page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const open = indexedDB.open('eid-terminal');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction('kv').objectStore('kv').getAllKeys();
            all.onsuccess = () => resolve(all.result.map(String));
          };
        }),
    );
    expect(keys).toEqual(expect.arrayContaining(['lists.trust', 'terminal-id']));
    expect(keys.some((k) => k.startsWith('lists.status.'))).toBe(true);
    await shot(page, 'offline-01-lists-kept');
  });

  it('when the network is cut and a real code is checked, then it is valid, checked offline, with the status data’s age', async () => {
    await context.setOffline(true);
    first = codeNow();
    await expect(check(first)).resolves.toBe('valid');
    await expect(page.locator('[data-verdict]').getAttribute('data-offline')).resolves.toBe('true');
    await expect(page.getByTestId('verdict-offline').innerText()).resolves.toMatch(
      /^（离线核验，状态数据 (不到 1 分钟前|\d+ 分钟前)）$/,
    );
    // Hotel check-in's fields, from the code itself: the name, never the full number or the address.
    await page.getByText(holder.person.name, { exact: true }).waitFor();
    const shown = await page.locator('body').innerText();
    expect(shown).not.toContain(holder.person.idNumber);
    expect(shown).not.toContain(holder.person.address);
    await waitForQueue(page, 1);
    await shot(page, 'offline-02-valid-offline');
  });

  it('when the same code is shown to this terminal again offline, then it is refused as already used', async () => {
    await expect(check(first)).resolves.toBe('replayed');
    await expect(page.locator('[data-verdict]').getAttribute('data-offline')).resolves.toBe('true');
    await page.getByText('这个二维码已经核验过，请居民出示新的二维码。').waitFor();
    await waitForQueue(page, 2);
    await shot(page, 'offline-03-replayed-offline');
  });

  it('when the network returns, then the queue uploads, again after a lost answer, and the resident’s trace has each check once, marked offline', async () => {
    // The BFF records the first upload, but its answer never reaches the page: the page must send again.
    let lost = 0;
    await context.route('**/api/v1/verify/offline-checks', async (route) => {
      if (lost === 0) {
        const answer = await route.fetch().catch(() => null);
        if (answer?.status() === 200) {
          lost += 1;
          return route.abort('internetdisconnected');
        }
      }
      return route.continue().catch(() => undefined);
    });
    const before = uploads.length;
    await context.setOffline(false);
    await waitForQueue(page, 0);
    await context.unroute('**/api/v1/verify/offline-checks');
    expect(lost).toBe(1);
    const sent = uploads.slice(before).filter((b) => b.length > 0);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(sent[1]!.map((c) => c.id)).toEqual(sent[0]!.map((c) => c.id));

    const records = await offlineRecords();
    const ids = sent[0]!.map((c) => c.id);
    expect(records.map((r) => r.detail!.checkId).sort()).toEqual([...ids].sort());
    const valid = records.find((r) => r.detail!.verdict === 'valid')!;
    expect(valid).toMatchObject({ action: 'card.verify', purpose: PURPOSE, result: 'ok' });
    expect(valid.detail!.checkedAt).toBe(sent[0]!.find((c) => c.verdict === 'valid')!.checkedAt);
    expect(valid.detail!.uploadedAt).toBeGreaterThanOrEqual(valid.detail!.checkedAt as number);
    expect(records.find((r) => r.detail!.verdict === 'replayed')).toMatchObject({ result: 'denied' });

    // One more upload of the very same batch, straight to the BFF: still once each.
    const again = await stack.api('POST', '/api/v1/verify/offline-checks', {
      token: await staffToken(stack),
      body: { checks: sent[0] },
    });
    expect(again.status).toBe(200);
    expect((again.body as { results: { status: string }[] }).results.map((r) => r.status)).toEqual(
      sent[0]!.map(() => 'already_recorded'),
    );
    await expect(offlineRecords()).resolves.toHaveLength(2);
  });

  it('when the resident opens the usage records, then the offline checks show as such, each once', async () => {
    const phone = await launchBrowser({ width: 390, height: 844 });
    try {
      const resident = await phone.context.newPage();
      resident.setDefaultTimeout(STEP_MS);
      await resident.emulateMedia({ reducedMotion: 'reduce' });
      // The holder's session as the mini-program keeps it after login (services/session.ts writes it
      // with Taro's storage, which wraps each value as `{ data }`).
      await resident.goto(`${h5.url}/`);
      await resident.evaluate(
        (tokens) => localStorage.setItem('eid.session', JSON.stringify({ data: JSON.stringify(tokens) })),
        {
          accessToken: holder.token,
          refreshToken: 'unused-here',
          accessExpiresAt: Date.now() + 10 * 60_000,
          residentId: residentIdOf(holder.token),
        },
      );
      // A fresh load of the usage page itself, not a hash change under the welcome page.
      await resident.goto('about:blank');
      await resident.goto(`${h5.url}/#/usage/pages/list/index`);
      await resident
        .getByRole('heading', { name: '使用记录' })
        .waitFor()
        .catch(async (err: unknown) => {
          await shot(resident, 'offline-04-resident-usage-FAILED');
          throw err;
        });
      const marks = resident.getByTestId('usage-offline');
      await marks.first().waitFor();
      await expect(marks.count()).resolves.toBe(2);
      await expect(marks.first().innerText()).resolves.toMatch(
        /^离线核验：工作人员终端断网时于 .+ 核验，.+ 联网后上传$/,
      );
      await shot(resident, 'offline-04-resident-usage');
    } finally {
      await phone.close();
    }
  });

  it('when only the BFF is cut and the page reloads, then the queued check is still there and uploads at the next sign-in, flagged if the code was used elsewhere', async () => {
    // The page's own files still load; every call to the BFF fails as an unreachable server does.
    await context.route('**/api/**', (route) => route.abort('connectionrefused'));
    const third = codeNow();
    await expect(check(third)).resolves.toBe('valid');
    await expect(page.locator('[data-verdict]').getAttribute('data-offline')).resolves.toBe('true');
    await waitForQueue(page, 1);
    // Meanwhile the same code is accepted online at another terminal: a copy, found at upload.
    const elsewhere = await stack.api('POST', '/api/v1/verify', {
      token: await staffToken(stack),
      body: { code: third, purpose: PURPOSE },
    });
    expect(elsewhere.body).toMatchObject({ verdict: 'valid' });

    await page.reload();
    // A reload signs staff out (their session lives in memory); the queue lives in IndexedDB.
    await page.getByLabel('用户名').waitFor();
    await waitForQueue(page, 1);
    await page.getByText('登录后自动上传。', { exact: false }).waitFor();
    await shot(page, 'offline-05-reloaded-queue-kept');

    await context.unroute('**/api/**');
    await signIn();
    await waitForQueue(page, 0);
    await page.getByTestId('offline-flagged').waitFor();
    await expect(page.getByTestId('offline-flagged').innerText()).resolves.toContain(
      '也在其他终端或联网核验时使用过',
    );
    await shot(page, 'offline-06-replayed-elsewhere');
    const records = await offlineRecords();
    expect(records).toHaveLength(3);
    const flagged = records.filter((r) => r.detail!.replayedElsewhere === true);
    expect(flagged).toHaveLength(1);
  });
});
