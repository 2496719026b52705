import type { Locator, Page } from 'playwright-core';
import { freshPerson } from '../helpers/identity';
import { enrolThroughPages, startH5Session, type H5Session } from '../helpers/h5-session';
import { deskOf, lookUp } from '../helpers/oversight';
import { staffToken } from '../helpers/party';

/**
 * Issue 19 §4 on the resident's H5 pages in headless Chromium: an officer looks the resident up; the
 * resident finds the lookup in their usage records, in words, with the reason, and questions it from the
 * record; an auditor answers; the resident reads the finding and the answer on the same record, and a notice
 * on the list.
 */
const visible = (locator: Locator) => locator.filter({ visible: true }).first();
const front = (page: Page) => page.locator('.taro_page:not(.taro_page_shade)').last();

let session: H5Session;

beforeAll(async () => {
  session = await startH5Session({ stepMs: 20_000, terminalHeight: 800 });
}, 60_000);
afterAll(() => session?.stop());

it('when an officer looked the resident up, then the resident questions it from the record and reads the auditor’s answer there', async () => {
  const { page, h5, stack } = session;
  const person = freshPerson();
  await enrolThroughPages(page, h5.url, person, 'question');

  const officer = await deskOf(stack, 'officer');
  const looked = await lookUp(stack, officer, person.idNumber);
  expect(looked.status).toBe(200);

  await page.goto(`${h5.url}/#/usage/pages/list/index`);
  await page.getByRole('heading', { name: '使用记录' }).waitFor();
  const record = visible(page.getByRole('button', { name: /民警查询了您的信息/ }));
  await record.waitFor();
  await record.click();
  await page.getByRole('heading', { name: '记录详情' }).waitFor();
  // What the officer gave as the reason and the case, and the badge, are on the record.
  await visible(page.getByText(/核查盗窃案嫌疑人身份/)).waitFor();
  await visible(page.getByText(new RegExp(officer.badge))).waitFor();

  await visible(front(page).getByRole('button', { name: '对此次查询提出异议' })).click();
  const box = visible(front(page).getByLabel('您的异议'));
  await box.fill('我');
  await visible(front(page).getByRole('button', { name: '提交异议' })).click();
  // Too short: said at the field, nothing sent.
  await visible(front(page).getByText('请至少写 4 个字。')).waitFor();
  await box.fill('我没有涉及任何案件，请说明为何查询我的信息。');
  await visible(front(page).getByRole('button', { name: '提交异议' })).click();
  await visible(front(page).getByText(/正在等待审计人员核查/)).waitFor();

  const auditor = await staffToken(stack, 'auditor');
  const open = await stack.api('GET', '/api/v1/admin/questions', { token: auditor });
  const question = open.body.items.find((q: { text: string }) => q.text.includes('为何查询我的信息'));
  expect(question).toBeDefined();
  const answered = await stack.api('POST', `/api/v1/admin/questions/${question.id}/answer`, {
    token: auditor,
    body: { finding: 'justified', text: '经核查，该查询系办理盗窃案件所需，依据充分。' },
  });
  expect(answered.status).toBe(200);

  // The answer reaches the resident: a notice on the list, the finding and the answer on the record. A
  // fresh load: the list page opened earlier is still in the page stack with what it fetched then.
  await page.goto(`${h5.url}/#/usage/pages/list/index`);
  await page.reload();
  await page.getByRole('heading', { name: '使用记录' }).waitFor();
  await visible(page.getByText('您的质询已答复')).waitFor();
  await visible(page.getByRole('button', { name: /民警查询了您的信息/ })).click();
  await page.getByRole('heading', { name: '记录详情' }).waitFor();
  await visible(front(page).getByText('查询有正当理由')).waitFor();
  await visible(front(page).getByText('经核查，该查询系办理盗窃案件所需，依据充分。')).waitFor();
  await page.screenshot({ path: 'artifacts/screenshots/resident-question-answered.png' });
}, 180_000);
