import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { StaffRole } from '@eid/shared';
import { serveH5, type H5Server } from '../../scripts/serve-h5';
import { ARTIFACTS, launchBrowser, type Browser } from '../helpers/browser';
import { holderWithCard, residentIdOf, type Holder } from '../helpers/card-flow';
import { login } from '../helpers/identity';
import { enrolledAccount as enrolled, type AdminAccount as Account } from '../helpers/admin-accounts';
import { deskOf, lookUp, usageOf, type Desk } from '../helpers/oversight';
import { startStack, type Stack } from '../helpers/stack';

/** The audit pages' accounts work at the inspectorate. */
const enrolledAccount = (stack: Stack, role: StaffRole) => enrolled(stack, role, '山东省公安厅督察处');

/**
 * The auditor's and administrator's admin pages (docs/admin.md "Audit pages") in headless Chromium at
 * 1280×800 against the real BFF: a trace searched by ID number, its chain verified, the CSV exported and
 * seen in the actions log; a resident's question answered; staff accounts managed; a deferred access shown
 * when its period ends.
 */
const H5_DIR = path.resolve(__dirname, '../../miniapp/dist/h5');
const ADMIN_DIR = path.resolve(__dirname, '../../miniapp/dist/admin');
const STEP_MS = 30_000;
const DAY = 24 * 3600 * 1000;
jest.setTimeout(120_000);

describe('the audit, questions and staff-account pages', () => {
  let stack: Stack;
  let h5: H5Server;
  let auditor: Account;
  let holder: Holder;
  let officer: Desk;
  let lookupId: string;
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
    auditor = await enrolledAccount(stack, 'auditor');
    // A random person's name may hold a character the stand-in licence seed cannot spell: draw again.
    let drawn: Holder | undefined;
    for (let i = 0; i < 5 && !drawn; i += 1) drawn = await holderWithCard(stack).catch(() => undefined);
    if (!drawn) throw new Error('no holder with a card');
    holder = drawn;
    officer = await deskOf(stack, 'officer');
    const found = await lookUp(stack, officer, holder.person.idNumber);
    expect(found.status).toBe(200);
    lookupId = found.body.lookupId;
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
    stack.clock.advance(STEP_MS);
    await page.getByLabel('动态码').fill(account.app.generate({ timestamp: stack.clock.now() }));
    await page.getByRole('button', { name: '验证' }).click();
    await page.getByTestId('who').waitFor();
  }

  async function openAudit(page: Page): Promise<void> {
    await page.getByRole('navigation').getByRole('link', { name: /审计/ }).click();
    await page.getByRole('heading', { name: /使用记录审计/ }).waitFor();
  }

  it('when an auditor searches a trace by ID number, then the staff lookup is listed, the chain verifies and the CSV export is downloaded and logged', async () => {
    const page = await open();
    await signIn(page, auditor);
    await openAudit(page);
    await page.getByLabel('公民身份号码').fill(holder.person.idNumber);
    await page.getByRole('button', { name: /^查询/ }).click();
    const results = page.getByTestId('audit-results');
    await results.locator('tr[data-action="staff.lookup"]').first().waitFor();
    // Metadata only: the officer's badge and reason are there, the resident's number and name are not.
    await expect(results.innerText()).resolves.toContain(officer.badge);
    await expect(results.innerText()).resolves.toContain('核查盗窃案嫌疑人身份');
    const shown = await page.locator('main').innerText();
    expect(shown).not.toContain(holder.person.name);

    await results
      .locator('tr[data-action="staff.lookup"]')
      .first()
      .getByRole('button', { name: /核验链/ })
      .click();
    await expect(page.getByTestId('chain-result').getAttribute('data-ok')).resolves.toBe('true');
    await expect(page.getByTestId('chain-result').innerText()).resolves.toMatch(/完整 Intact/);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /导出 CSV/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
    const file = path.join(ARTIFACTS, 'audit-export.csv');
    await download.saveAs(file);
    const csv = readFileSync(file, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('staff.lookup');
    await page.getByTestId('export-done').waitFor();
    const log = page.getByTestId('audit-actions');
    await log.locator('tr[data-action="export"]').first().waitFor();
    await expect(log.locator('tr[data-action="verify"]').count()).resolves.toBeGreaterThan(0);
    await expect(log.locator('tr[data-action="search"]').count()).resolves.toBeGreaterThan(0);
    // The log holds the search by the references it found, never the number.
    expect(await log.innerText()).not.toContain(holder.person.idNumber);

    await page.getByRole('button', { name: /发布检查点/ }).click();
    await page.getByTestId('checkpoint-done').waitFor();
    await log.locator('tr[data-action="checkpoint"]').first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-audit.png'), fullPage: true });
  });

  it('when an ID number with a wrong check digit is searched, then the page says so in words', async () => {
    const page = await open();
    await signIn(page, auditor);
    await openAudit(page);
    const wrong = holder.person.idNumber.slice(0, 17) + (holder.person.idNumber.endsWith('1') ? '2' : '1');
    await page.getByLabel('公民身份号码').fill(wrong);
    await page.getByRole('button', { name: /^查询/ }).click();
    await page.getByRole('alert').filter({ hasText: '校验位不对' }).waitFor();
  });

  it('when the auditor uses the keyboard alone, then Tab and Enter search the trace and verify its chain', async () => {
    const page = await open();
    await signIn(page, auditor);
    await openAudit(page);
    const focused = () =>
      page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? '');
    let reached = false;
    for (let i = 0; i < 30 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = (await focused()) === 'idNumber';
    }
    expect(reached).toBe(true);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.type(holder.person.idNumber);
    // Enter in a field submits the form, as a browser's own form does.
    await page.keyboard.press('Enter');
    await page.getByTestId('audit-results').locator('tr[data-action="staff.lookup"]').first().waitFor();
    let onVerify = false;
    for (let i = 0; i < 40 && !onVerify; i += 1) {
      await page.keyboard.press('Tab');
      onVerify = await page.evaluate(() => /核验链/.test(document.activeElement?.textContent ?? ''));
    }
    expect(onVerify).toBe(true);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('chain-result').getAttribute('data-ok')).resolves.toBe('true');
  });

  it('when a record of a trace was altered in the database, then verifying the chain says so in words with its seq', async () => {
    let other: Holder | undefined;
    for (let i = 0; i < 5 && !other; i += 1) other = await holderWithCard(stack).catch(() => undefined);
    if (!other) throw new Error('no holder with a card');
    const residentRef = residentIdOf(other.token);
    const events = stack.deps.db.collection('usage_events');
    const target = await events.findOne({ residentId: residentRef, seq: 2 });
    await events.updateOne({ _id: target!._id }, { $set: { purpose: 'internet_cafe' } });

    const page = await open();
    await signIn(page, auditor);
    await openAudit(page);
    await page.getByLabel('居民编号').fill(residentRef);
    await page.getByRole('button', { name: /^查询/ }).click();
    await page
      .getByTestId('audit-results')
      .getByRole('button', { name: /核验链/ })
      .first()
      .click();
    const result = page.getByTestId('chain-result');
    await expect(result.getAttribute('data-ok')).resolves.toBe('false');
    const problem = result.locator('li[data-problem="hash_mismatch"]');
    await expect(problem.innerText()).resolves.toMatch(/记录内容被改动.*序号 seq 2/);
    await expect(result.innerText()).resolves.toContain('前 1 条记录可验证');
  });

  it('when a resident questions the lookup, then it is on the Questions page, the auditor answers and the resident reads the answer', async () => {
    const record = (await usageOf(stack, holder.token)).find(
      (e) => e.action === 'staff.lookup' && e.detail?.lookupId === lookupId,
    );
    const text = '我近期没有办理任何业务，为何查询我的信息？';
    const asked = await stack.api('POST', `/api/v1/usage/${record.id}/questions`, {
      token: holder.token,
      body: { text },
    });
    expect(asked.status).toBe(201);

    const page = await open();
    await signIn(page, auditor);
    await page
      .getByRole('navigation')
      .getByRole('link', { name: /居民异议/ })
      .click();
    const card = page.locator(`[data-question="${asked.body.id}"]`);
    await card.waitFor();
    await expect(card.innerText()).resolves.toContain(text);
    await expect(card.innerText()).resolves.toContain(officer.badge);
    await expect(card.innerText()).resolves.toContain('济公历刑字〔2026〕1234号');
    await card.getByLabel('核查结论').selectOption('not_justified');
    const answer = '经核查，该次查询缺少案件依据，已责令整改。';
    await card.getByLabel(/答复内容/).fill(answer);
    await card.getByRole('button', { name: /提交答复/ }).click();
    await page.getByTestId('answer-done').waitFor();
    await card.waitFor({ state: 'detached' });

    const seen = await stack.api('GET', '/api/v1/questions', { token: holder.token });
    expect(seen.body.items).toEqual([
      expect.objectContaining({
        id: asked.body.id,
        status: 'answered',
        answer: expect.objectContaining({ text: answer, finding: 'not_justified' }),
      }),
    ]);
  });

  it('when an administrator creates an account, changes its role and tries to disable their own, then the list changes and the refusal is said in words', async () => {
    const admin = await enrolledAccount(stack, 'administrator');
    const page = await open();
    await signIn(page, admin);
    await page
      .getByRole('navigation')
      .getByRole('link', { name: /民警账号/ })
      .click();
    await page.getByRole('button', { name: /新建账号/ }).click();
    const username = `new-${randomBytes(3).toString('hex')}`;
    await page.getByLabel('账号用户名').fill(username);
    await page.getByLabel(/初始密码/).fill('an-initial-password-1');
    await page.getByLabel('角色', { exact: false }).first().selectOption('officer');
    await page.getByLabel('姓名').fill('王警官');
    await page.getByLabel('所属单位').fill('济南市公安局历下分局');
    await page.getByLabel(/警号/).fill(String(100000 + Math.floor(Math.random() * 899999)));
    await page.getByRole('button', { name: /^创建/ }).click();
    const row = page.locator(`tr[data-username="${username}"]`);
    await row.waitFor();
    await row.getByLabel(/角色 Role/).selectOption('supervisor');
    await row.getByRole('button', { name: /改角色/ }).click();
    await page.getByTestId('staff-status').filter({ hasText: '角色已更改' }).waitFor();
    // The row is drawn again from the BFF's answer: the new role is the account's, nothing left to set.
    await row.locator('button:disabled', { hasText: '改角色' }).waitFor();
    await expect(row.getByLabel(/角色 Role/).inputValue()).resolves.toBe('supervisor');

    await page.locator(`tr[data-username="${admin.username}"]`).getByRole('button', { name: /停用/ }).click();
    await page.getByRole('alert').filter({ hasText: '不能对自己的账号' }).waitFor();
  });

  it('when a deferred lookup’s period ends, then the auditor saw it at once and the resident finds it with a notice', async () => {
    const supervisor = await deskOf(stack, 'supervisor');
    const held = await lookUp(stack, officer, holder.person.idNumber, { deferralRequested: true });
    expect(held.status).toBe(200);
    const deferred = await stack.api('POST', `/api/v1/admin/lookups/${held.body.lookupId}/deferral`, {
      token: supervisor.token,
      body: { seconds: 2 * 24 * 3600, reason: '侦查期间告知将妨碍侦查' },
    });
    expect(deferred.status).toBe(200);
    const ofLookup = (events: any[]) => events.filter((e) => e.detail?.lookupId === held.body.lookupId);
    expect(ofLookup(await usageOf(stack, holder.token))).toEqual([]);

    const page = await open();
    await signIn(page, auditor);
    await openAudit(page);
    await page.getByLabel('公民身份号码').fill(holder.person.idNumber);
    await page.getByRole('button', { name: /^查询/ }).click();
    await page
      .getByTestId('audit-results')
      .locator('tr[data-action="staff.lookup.deferred"]')
      .first()
      .waitFor();

    stack.clock.advance(2 * DAY + 1000);
    const resident = await login(stack, holder.userKey);
    expect(
      ofLookup(await usageOf(stack, resident.accessToken))
        .map((e) => e.action)
        .sort(),
    ).toEqual(['staff.lookup', 'staff.lookup.deferred']);
    const notices = await stack.api('GET', '/api/v1/notices', { token: resident.accessToken });
    expect(notices.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'deferred_access_shown' })]),
    );
  });
});
