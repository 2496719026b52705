import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES } from '@eid/mock';
import { maskIdNumber } from '@eid/shared';
import type { Page } from 'playwright-core';
import { serveH5, type H5Server } from '../../scripts/serve-h5';
import { ARTIFACTS, launchBrowser, type Browser } from '../helpers/browser';
import { codeOf, holderWithCard, type Holder } from '../helpers/card-flow';
import { windowStaff } from '../helpers/document-call';
import { giveConsent, login, realName, realPerson } from '../helpers/identity';
import { enrolledAccount, type AdminAccount as Account } from '../helpers/admin-accounts';
import { usageOf } from '../helpers/oversight';
import { startStack, type Stack } from '../helpers/stack';

/**
 * The admin pages of staff work on residents (docs/admin.md "Resident lookup and accountability", "Card
 * actions", "Review queue") in headless Chromium at a 1280 px desk, against the real BFF and mock systems:
 * an officer looks a resident up and reveals the name with a reason, a supervisor suspends and restores the
 * card from the lookup page (a window's online check answers suspended in between), defers another lookup,
 * and approves an enrolment waiting in the review queue; the resident's trace shows what was done.
 */
const H5_DIR = path.resolve(__dirname, '../../miniapp/dist/h5');
const ADMIN_DIR = path.resolve(__dirname, '../../miniapp/dist/admin');
const STEP_MS = 30_000;
jest.setTimeout(120_000);

describe('the admin pages of staff work on residents', () => {
  let stack: Stack;
  let h5: H5Server;
  let holder: Holder;
  let officer: Account;
  let supervisor: Account;
  let officerPage: Page;
  let supervisorPage: Page;
  let deferredLookupId: string;
  const browsers: Browser[] = [];

  /** The next unspent code: every step is accepted once, so the clock moves a step first. */
  const nextCode = (account: Account) => {
    stack.clock.advance(STEP_MS);
    return account.app.generate({ timestamp: stack.clock.now() });
  };

  async function signedIn(account: Account): Promise<Page> {
    const browser = await launchBrowser({ width: 1280, height: 800 });
    browsers.push(browser);
    const page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${h5.url}/admin/`);
    await page.getByLabel('用户名').fill(account.username);
    await page.getByLabel('密码').fill(account.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByLabel('动态码').fill(nextCode(account));
    await page.getByRole('button', { name: '验证' }).click();
    await page.getByTestId('who').waitFor();
    return page;
  }

  async function lookUp(page: Page, idNumber: string, options: { defer?: boolean } = {}) {
    await page
      .getByRole('navigation')
      .getByRole('link', { name: /居民查询/ })
      .click();
    const form = page.getByRole('form', { name: /查询条件/ });
    await form.getByLabel('公民身份号码').fill(idNumber);
    await form.getByLabel('查询事由').fill('核查盗窃案嫌疑人身份');
    await form.getByLabel('法律依据').selectOption('case');
    await form.getByLabel('案件编号').fill('济公历刑字〔2026〕1234号');
    if (options.defer) await form.getByLabel(/申请暂缓告知/).check();
    await form.getByRole('button', { name: /^查询/ }).click();
    await page.getByTestId('lookup-result').waitFor();
  }

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
    // A random person's name may hold a character the stand-in licence seed cannot spell: draw again.
    let found: Holder | undefined;
    for (let i = 0; i < 5 && !found; i += 1) found = await holderWithCard(stack).catch(() => undefined);
    if (!found) throw new Error('no holder with a card');
    holder = found;
    officer = await enrolledAccount(stack, 'officer');
    supervisor = await enrolledAccount(stack, 'supervisor');
  });

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await h5?.stop();
    await stack?.stop();
  });

  it('when an officer looks a resident up, then the answer is masked, and the name is shown in full only after a reveal with its reason (keyboard alone)', async () => {
    officerPage = await signedIn(officer);
    const page = officerPage;
    const menu = await page.getByRole('navigation').getByRole('link').allInnerTexts();
    expect(menu.map((m) => m.split(' ')[0])).toEqual(['居民查询']);
    await lookUp(page, holder.person.idNumber);
    const result = page.getByTestId('lookup-result');
    const nameRow = page.getByTestId('field-name');
    await expect(nameRow.innerText()).resolves.not.toContain(holder.person.name);
    await expect(page.getByTestId('field-idNumber').innerText()).resolves.toContain(
      maskIdNumber(holder.person.idNumber),
    );
    await expect(page.getByTestId('enrolment-state').innerText()).resolves.toContain('可领电子证');
    await expect(page.getByTestId('card-status').innerText()).resolves.toContain(holder.card.cardId);
    await expect(page.getByTestId('card-status').innerText()).resolves.toContain('有效');
    // Nothing full on the page yet, and no card actions for an officer.
    expect(await result.innerText()).not.toContain(holder.person.idNumber);
    await expect(page.getByRole('form', { name: /电子证处置/ }).count()).resolves.toBe(0);

    // The reveal with the keyboard: Enter on the button, the reason field takes the focus, Enter sends.
    await nameRow.getByRole('button', { name: /查看完整姓名/ }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => (document.activeElement as HTMLInputElement | null)?.name === 'reveal-name-reason',
    );
    await page.keyboard.type('核对嫌疑人姓名');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('full-name').innerText()).resolves.toBe(holder.person.name);
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-lookup.png'), fullPage: true });

    // A second lookup asks for a deferral: held from the resident, its id for the supervisor.
    await lookUp(page, holder.person.idNumber, { defer: true });
    await page.getByRole('status').filter({ hasText: '暂不向居民显示' }).waitFor();
    deferredLookupId = (await page.getByTestId('lookup-id').innerText()).trim();
    expect(deferredLookupId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when a supervisor suspends the card from the lookup page, then a window’s check answers suspended, and after the restore valid again', async () => {
    supervisorPage = await signedIn(supervisor);
    const page = supervisorPage;
    const menu = await page.getByRole('navigation').getByRole('link').allInnerTexts();
    expect(menu.map((m) => m.split(' ')[0])).toEqual(['运行概况', '居民查询', '人工审核', '暂缓告知']);
    await lookUp(page, holder.person.idNumber);
    const actions = page.getByRole('form', { name: /电子证处置/ });
    // A reason is asked for before anything is sent.
    await actions.getByRole('button', { name: /^暂停/ }).click();
    await expect(page.getByTestId('card-action-done').count()).resolves.toBe(0);
    await actions.getByLabel('处置理由').fill('涉嫌冒用，暂停使用');
    await actions.getByLabel(/案件编号/).fill('济公历刑字〔2026〕1234号');
    await actions.getByRole('button', { name: /^暂停/ }).click();
    await page.getByTestId('card-action-done').filter({ hasText: '已暂停' }).waitFor();
    await expect(page.getByTestId('card-status').innerText()).resolves.toContain('已暂停');

    const window = await windowStaff(stack);
    const check = () =>
      stack.api('POST', '/api/v1/verify', {
        token: window.token,
        body: { code: codeOf(stack, holder), purpose: 'hotel_check_in' },
      });
    expect((await check()).body.verdict).toBe('suspended');

    // Revoking asks first; cancelling sends nothing.
    await actions.getByRole('button', { name: /^注销/ }).click();
    const confirm = page.getByRole('alertdialog');
    await expect(confirm.innerText()).resolves.toContain('不能恢复');
    await expect(
      page.evaluate(() => document.activeElement?.textContent?.startsWith('确认注销')),
    ).resolves.toBe(true);
    await confirm.getByRole('button', { name: /取消/ }).click();
    await expect(page.getByRole('alertdialog').count()).resolves.toBe(0);

    await actions.getByLabel('处置理由').fill('核实无误，恢复使用');
    await actions.getByRole('button', { name: /^恢复/ }).click();
    await page.getByTestId('card-action-done').filter({ hasText: '已恢复' }).waitFor();
    await expect(page.getByTestId('card-status').innerText()).resolves.toContain('有效');
    expect((await check()).body.verdict).toBe('valid');
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-card-actions.png'), fullPage: true });
  });

  it('when a supervisor defers the officer’s lookup by its id, then the page says until when, and a too long or a second deferral is said in words', async () => {
    const page = supervisorPage;
    await page
      .getByRole('navigation')
      .getByRole('link', { name: /暂缓告知/ })
      .click();
    const form = page.getByRole('form', { name: /推迟告知居民/ });
    await form.getByLabel(/查询编号/).fill(deferredLookupId);
    await form.getByLabel('推迟天数').fill('60');
    await form.getByLabel('暂缓理由').fill('告知将妨碍侦查');
    await form.getByRole('button', { name: /暂缓告知/ }).click();
    await page.getByRole('alert').filter({ hasText: '最多 30 天' }).waitFor();
    await form.getByLabel('推迟天数').fill('7');
    await form.getByRole('button', { name: /暂缓告知/ }).click();
    await expect(page.getByTestId('deferral-done').innerText()).resolves.toMatch(/已暂缓.*共 \d+ 条记录/);
    // A second deferral of the same lookup is said in words.
    await form.getByRole('button', { name: /暂缓告知/ }).click();
    await page.getByRole('alert').filter({ hasText: '已经暂缓告知过了' }).waitFor();
  });

  it('when enrolments wait in the review queue, then the supervisor sees their evidence masked, approves one and rejects the other, and each leaves the list', async () => {
    /** A fresh account of `person` taken through consent, real name and a face check that goes to review. */
    const inReview = async (person: typeof FIXTURES.faceBorderline) => {
      const { accessToken: token } = await login(stack);
      expect((await giveConsent(stack, token)).status).toBe(200);
      expect((await realName(stack, token, person)).status).toBe(200);
      expect((await realPerson(stack, token)).body.state).toBe('in_review');
      return token;
    };
    const borderline = FIXTURES.faceBorderline;
    const flagged = FIXTURES.registryFlagged;
    const borderlineToken = await inReview(borderline);
    const flaggedToken = await inReview(flagged);

    const page = supervisorPage;
    await page
      .getByRole('navigation')
      .getByRole('link', { name: /人工审核/ })
      .click();
    const items = page.getByTestId('review-item');
    await items.first().waitFor();
    await expect(items.count()).resolves.toBe(2);
    // Oldest first: the borderline face, then the flagged record.
    const first = items.filter({ hasText: maskIdNumber(borderline.idNumber) });
    const text = await first.innerText();
    expect(text).toContain('略低于合格线');
    expect(text).toContain('0.800');
    expect(text).toContain('0.750 – 0.800');
    expect(text).not.toContain(borderline.name);
    expect(text).not.toContain(borderline.idNumber);
    const similarity = Number(await first.getByTestId('similarity').innerText());
    expect(similarity).toBeGreaterThanOrEqual(0.75);
    expect(similarity).toBeLessThan(0.8);
    const second = items.filter({ hasText: maskIdNumber(flagged.idNumber) });
    await expect(second.innerText()).resolves.toContain('人口库照片质量差');
    expect(await second.innerText()).not.toContain(flagged.idNumber);
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-reviews.png'), fullPage: true });

    await first.getByLabel(/决定理由/).fill('人工比对照片，确认为本人');
    // Enter in the reason field decides nothing: only the buttons do.
    await first.getByLabel(/决定理由/).press('Enter');
    await page.waitForTimeout(300); // long enough for a decision call to come back, were one sent
    await expect(page.getByTestId('review-decided').count()).resolves.toBe(0);
    await first.getByRole('button', { name: /批准/ }).click();
    await expect(page.getByTestId('review-decided').innerText()).resolves.toContain('批准');
    await expect(items.count()).resolves.toBe(1);
    await second.getByLabel(/决定理由/).fill('证件照片无法辨认，请到派出所更新照片后再试');
    await second.getByRole('button', { name: /驳回/ }).click();
    await page.getByTestId('reviews-empty').waitFor();
    await expect(page.getByTestId('review-decided').innerText()).resolves.toContain('已处理 2 件');

    const enrolmentOf = async (token: string) =>
      (await stack.api('GET', '/api/v1/enrollment', { token })).body;
    expect((await enrolmentOf(borderlineToken)).state).toBe('eligible');
    expect(await enrolmentOf(flaggedToken)).toMatchObject({
      state: 'real_name_verified',
      review: { status: 'rejected', reason: '证件照片无法辨认，请到派出所更新照片后再试' },
    });
  });

  it('when the resident reads their trace, then the lookup and the reveal are there with the badge and the reason, the deferred lookup is not', async () => {
    const trace = await usageOf(stack, holder.token);
    const lookups = trace.filter((e) => e.action === 'staff.lookup');
    const byOfficer = lookups.filter((e) => e.detail?.badge === officer.badge);
    expect(byOfficer).toHaveLength(1);
    expect(byOfficer[0]).toMatchObject({
      actor: { type: 'staff' },
      purpose: 'staff_lookup',
      detail: { reason: '核查盗窃案嫌疑人身份', legalBasis: 'case', caseNumber: '济公历刑字〔2026〕1234号' },
    });
    expect(byOfficer[0].detail.lookupId).not.toBe(deferredLookupId);
    const reveal = trace.find((e) => e.action === 'staff.reveal');
    expect(reveal).toMatchObject({
      fields: ['name'],
      detail: { badge: officer.badge, reason: '核对嫌疑人姓名', field: 'name' },
    });
    expect(JSON.stringify(trace)).not.toContain(deferredLookupId);
    // The supervisor's card actions are there too, with their stated reasons.
    expect(trace.find((e) => e.action === 'card.suspend')).toMatchObject({
      detail: { by: 'staff', statedReason: '涉嫌冒用，暂停使用' },
    });
    expect(trace.find((e) => e.action === 'card.restore')).toMatchObject({
      detail: { by: 'staff', statedReason: '核实无误，恢复使用' },
    });
  });
});
