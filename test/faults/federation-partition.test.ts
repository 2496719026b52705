/**
 * Issue 21 §3, fault 4: a province node partitioned from the others. Shandong (37) keeps running, but
 * Hubei (42) reaches it only through a TCP proxy (test/helpers/fault-proxy.ts) that, once partitioned,
 * accepts connections and never answers (packets dropped, not refused). What must hold at the Hubei
 * window: every check of a Shandong code still ends within the node timeout with 200 and an honest
 * `status: 'unknown'` (never `live`, never a 5xx), the circuit to Shandong opens so later checks cost
 * nothing, and a suspension Shandong made during the partition is not hidden behind a "live" answer; once
 * the partition heals, Hubei's next checks are live again and show the suspension. Shandong records in the
 * resident's trace only the checks it actually answered.
 */
import { codeOf, holderWithCard, staffToken, type Holder } from '../helpers/card-flow';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy';
import { listOf, NationalLog, startNationalStandIn, type NationalStandIn } from '../helpers/national-log';
import { startStack, type Stack } from '../helpers/stack';

const TIMEOUT_MS = 300;
// Long enough that the checks expected to meet the open circuit do, on a loaded machine too.
const HALF_OPEN_MS = 2000;
const HUBEI_WINDOW = '武汉市公安局江岸分局 窗口 5';
const HUBEI_STAFF = { username: 'staff42', password: 'dev-staff-password-42' };

let national: NationalStandIn;
let shandong: Stack;
let hubei: Stack;
let toShandong: FaultProxy;
let hubeiStaff: string;

beforeAll(async () => {
  const clock = { now: () => hubei?.clock.now() ?? Date.now() };
  const log = new NationalLog(clock);
  national = await startNationalStandIn(log);
  const env = (province: string) => ({
    PROVINCE_CODE: province,
    FEDERATION_NATIONAL_URL: national.url,
    FEDERATION_TIMEOUT_MS: String(TIMEOUT_MS),
    FEDERATION_CIRCUIT_HALF_OPEN_MS: String(HALF_OPEN_MS),
  });
  shandong = await startStack({ env: env('37') });
  hubei = await startStack({
    env: {
      ...env('42'),
      STAFF_DEV_ACCOUNT: `${HUBEI_STAFF.username}:${HUBEI_STAFF.password}:officer:${HUBEI_WINDOW}`,
    },
  });
  toShandong = await startFaultProxy(shandong.url);
  log.append(
    listOf(1, clock.now() - 60_000, [
      { province: '37', url: toShandong.url },
      { province: '42', url: hubei.url },
    ]),
  );
  await log.pushTo([shandong, hubei]);
  hubeiStaff = await staffToken(hubei, HUBEI_STAFF);
});

afterAll(async () => {
  await hubei?.stop();
  await shandong?.stop();
  await toShandong?.stop();
  await national?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function verifyAtHubei(holder: Holder) {
  const started = performance.now();
  const res = await hubei.api('POST', '/api/v1/verify', {
    token: hubeiStaff,
    body: { code: codeOf(shandong, holder, hubei.clock.now()), purpose: 'hotel_check_in' },
  });
  return { status: res.status, body: res.body, ms: performance.now() - started };
}

/** Checks of the holder's card that Shandong recorded in the resident's trace (the home node's own count). */
async function checksRecordedAtShandong(holder: Holder): Promise<number> {
  const res = await shandong.api('GET', '/api/v1/usage?limit=100', { token: holder.token });
  expect(res.status).toBe(200);
  return (res.body.items as { action: string }[]).filter((e) => e.action === 'card.verify').length;
}

it('when Shandong is partitioned from Hubei, then Hubei answers every check within the timeout with status unknown, opens the circuit, hides no suspension behind "live", and is live again after the partition heals', async () => {
  const holder = await holderWithCard(shandong);
  // Hubei's copy of Shandong's status list, as its peer-status timer would fetch it.
  await hubei.services.federation.fetchPeerStatusLists();
  const before = await verifyAtHubei(holder);
  expect(before.body).toMatchObject({ verdict: 'valid', status: 'live' });
  expect(await checksRecordedAtShandong(holder)).toBe(1);

  toShandong.setMode('hang');
  // Shandong itself is fine: the resident suspends the card there while Hubei cannot reach it.
  expect((await shandong.api('POST', '/api/v1/card/suspend', { token: holder.token })).status).toBe(200);
  const during = [];
  for (let i = 0; i < 8; i++) during.push(await verifyAtHubei(holder));
  for (const check of during) {
    expect(check.status).toBe(200);
    // The offline verdict from a copy older than the suspension, marked for what it is.
    expect(check.body).toMatchObject({ status: 'unknown' });
    expect(check.body.status).not.toBe('live');
    // 'timeout' is the node client's own timer ending the call: nothing waits on the dropped packets.
    expect(['timeout', 'circuit_open']).toContain(check.body.statusReason);
    expect(check.body.card).toBeUndefined();
  }
  const reasons = during.map((c) => c.body.statusReason as string);
  const timeouts = reasons.filter((r) => r === 'timeout').length;
  expect(reasons.at(-1)).toBe('circuit_open');
  expect(hubei.services.federation.nodeClient.circuitOf('37')).toBe('open');
  const fast = await verifyAtHubei(holder);
  expect(fast.body.statusReason).toBe('circuit_open');
  // circuit_open is the breaker refusing before any call. Nothing reached Shandong: nothing recorded there.
  expect(await checksRecordedAtShandong(holder)).toBe(1);

  toShandong.setMode('pass');
  await sleep(HALF_OPEN_MS + 100);
  const healedAt = performance.now();
  const after = await verifyAtHubei(holder);
  expect(after.body).toMatchObject({ verdict: 'suspended', status: 'live' });
  expect(hubei.services.federation.nodeClient.circuitOf('37')).toBe('closed');
  console.log(
    `federation partition: ${JSON.stringify({
      checksDuring: during.length + 1,
      timeouts,
      circuitOpenAnswers: reasons.filter((r) => r === 'circuit_open').length + 1,
      slowestDuringMs: Math.round(Math.max(...during.map((c) => c.ms))),
      openAnswerMs: Math.round(fast.ms),
      verdictsDuring: [...new Set(during.map((c) => c.body.verdict))],
      firstLiveAfterHealMs: Math.round(performance.now() - healedAt),
    })}`,
  );
});
