import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { registerHotel, startHotel, type Hotel } from '@eid/mock';
import { ARTIFACTS, launchBrowser, type Browser } from '../helpers/browser';
import { codeOf, holderWithCard, type Holder } from '../helpers/card-flow';
import { decodeQrCodes } from '../helpers/pdf';
import { adminCall, supervisorToken } from '../helpers/party';
import { startStack, type Stack } from '../helpers/stack';
import { runOutbox } from '../helpers/webhook-receiver';

/*
 * The example hotel's one page in headless Chromium, as the front-desk clerk uses it: 新入住 shows the
 * consent QR and link, the guest's approval (through the BFF's resident API) reaches the page by callback and
 * the page's own polling, a shown code is verified, and after the guest withdraws the page says deleted.
 */

let stack: Stack;
let hotel: Hotel;
let holder: Holder;
let browser: Browser;
let page: Page;

async function deliver(): Promise<void> {
  for (let round = 0; round < 5 && (await runOutbox(stack)) > 0; round += 1) await hotel.state.idle();
  await hotel.state.idle();
}

beforeAll(async () => {
  stack = await startStack({ env: { CALLBACK_ALLOW_HOSTS: '127.0.0.1' } });
  const reg = await registerHotel({
    bffUrl: stack.url,
    adminToken: await supervisorToken(stack),
    callbackUrl: 'https://hotel.example.com/callbacks',
  });
  hotel = await startHotel({
    bffUrl: stack.url,
    party: { id: reg.id, kid: reg.kid, privateKey: reg.privateKey, webhookSecret: reg.webhookSecret },
    clock: stack.clock,
  });
  await adminCall(stack, 'PATCH', `/api/v1/admin/parties/${reg.id}`, { callbackUrl: hotel.callbackUrl });
  holder = await holderWithCard(stack);
  browser = await launchBrowser({ width: 1100, height: 800 });
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await hotel?.stop();
  await stack?.stop();
});

it('when the clerk starts a check-in and the guest approves, then the page shows the QR, then the name and masked number, verifies a code, and shows the deletion after a withdrawal', async () => {
  await page.goto(hotel.url);
  await page.getByRole('button', { name: '新入住 New check-in' }).click();
  const current = page.locator('#current[data-request-code^="EIDC1:"]');
  await current.waitFor();
  const requestCode = (await current.getAttribute('data-request-code'))!;
  const requestUrl = (await current.getAttribute('data-request-url'))!;
  const consentId = (await current.getAttribute('data-check-in-id'))!;
  expect(requestUrl).toContain(encodeURIComponent(requestCode));
  // The QR on the screen is the request code itself (what the resident's scanner reads).
  const qr = await page.locator('#qr img').screenshot();
  expect(await decodeQrCodes(new Uint8Array(qr))).toEqual([requestCode]);
  expect(await page.locator('#request-link').getAttribute('href')).toBe(requestUrl);
  expect(await page.locator('#state').getAttribute('data-state')).toBe('pending');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'hotel-check-in-qr.png') });

  const opened = await stack.api('POST', '/api/v1/consents/open', {
    token: holder.token,
    body: { requestCode },
  });
  expect(opened.status).toBe(200);
  const approved = await stack.api('POST', `/api/v1/consents/${consentId}/approve`, {
    token: holder.token,
    body: {},
  });
  expect(approved.status).toBe(200);
  await deliver();

  await page.locator('#state[data-state="approved"]').waitFor();
  expect(await page.locator('#guest-name').textContent()).toBe(holder.person.name);
  expect(await page.locator('#guest-id').textContent()).toMatch(/^\d{4}\*+[\dX]{4}$/);
  expect(await page.locator('#qr img').count()).toBe(0);
  expect(await page.locator('#instructions').isHidden()).toBe(true);
  await page.screenshot({ path: path.join(ARTIFACTS, 'hotel-check-in-approved.png') });

  await page.locator('#code').fill(codeOf(stack, holder));
  await page.getByRole('button', { name: '核验 Verify' }).click();
  await page.locator('#verify-result[data-verdict="valid"]').waitFor();
  expect(await page.locator('#verify-result').textContent()).toContain('有效 Valid');

  const withdrawn = await stack.api('POST', `/api/v1/consents/${consentId}/withdraw`, {
    token: holder.token,
    body: {},
  });
  expect(withdrawn.status).toBe(200);
  await deliver();
  // The page keeps polling while approved, so it sees the deletion by itself; the clerk's button asks the BFF.
  await page.locator('#state[data-state="deleted"]').waitFor();
  await page.locator(`#list tr[data-check-in-id="${consentId}"][data-state="deleted"]`).waitFor();
  await page.getByRole('button', { name: '查询 Check now' }).click();
  expect(await page.locator('#state').textContent()).toBe('已删除并确认 Deleted and acknowledged');
  expect(await page.locator('#guest').isHidden()).toBe(true);
  expect(await page.content()).not.toContain(holder.person.name);
});
