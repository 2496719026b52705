import http, { type Server } from 'node:http';
import { findPurpose } from '@eid/shared';
import { signNodeResponse } from '@eid/bff/modules/federation/node-signature-profile';
import { codeOf, holderWithCard, residentIdOf, staffToken, type Holder } from '../../helpers/card-flow';
import {
  devKeyStore,
  listOf,
  NationalLog,
  startNationalStandIn,
  type NationalStandIn,
} from '../../helpers/national-log';
import { startStack, type Stack } from '../../helpers/stack';

// Online recognition (issue 18 §2): a Shandong (37) resident's code checked at a Hubei (42) window. Hubei
// checks it offline, asks Shandong's node (signed both ways) for the live status and the purpose's fields,
// and Shandong records the use in the resident's own trace as "湖北省 <window>". When Shandong cannot answer
// (stopped, or a forged answer), Hubei answers the offline verdict with `status: 'unknown'`, never a 5xx.
const HUBEI_WINDOW = '武汉市公安局江岸分局 窗口 5';
const HUBEI_STAFF = { username: 'staff42', password: 'dev-staff-password-42' };

let national: NationalStandIn;
let log: NationalLog;
let shandong: Stack;
let hubei: Stack;
let shandongStopped = false;
let hubeiStaff: string;

beforeAll(async () => {
  const clock = { now: () => hubei?.clock.now() ?? Date.now() };
  log = new NationalLog(clock);
  national = await startNationalStandIn(log);
  const env = (province: string) => ({
    PROVINCE_CODE: province,
    FEDERATION_NATIONAL_URL: national.url,
    FEDERATION_TIMEOUT_MS: '500',
  });
  shandong = await startStack({ env: env('37') });
  hubei = await startStack({
    env: {
      ...env('42'),
      STAFF_DEV_ACCOUNT: `${HUBEI_STAFF.username}:${HUBEI_STAFF.password}:officer:${HUBEI_WINDOW}`,
    },
  });
  log.append(
    listOf(1, clock.now() - 60_000, [
      { province: '37', url: shandong.url },
      { province: '42', url: hubei.url },
    ]),
  );
  await log.pushTo([shandong, hubei]);
  hubeiStaff = await staffToken(hubei, HUBEI_STAFF);
});
afterAll(async () => {
  await hubei.stop();
  if (!shandongStopped) await shandong.stop();
  await national.stop();
});

const verifyAtHubei = (code: string, purpose: string) =>
  hubei.api('POST', '/api/v1/verify', { token: hubeiStaff, body: { code, purpose } });

async function usageAtShandong(holder: Holder) {
  const res = await shandong.api('GET', '/api/v1/usage?limit=100', { token: holder.token });
  expect(res.status).toBe(200);
  return res.body.items as any[];
}

/** Every document of every collection of Hubei's database, as text: to find what it kept about a resident. */
async function everythingAtHubei(): Promise<string> {
  const db = hubei.deps.db.db!;
  const texts: string[] = [];
  for (const c of await db.listCollections().toArray())
    texts.push(JSON.stringify(await db.collection(c.name).find({}).toArray()));
  return texts.join('\n');
}

describe('Shandong answers live', () => {
  it('when a Shandong code is checked at a Hubei window, then Hubei shows the live answer and the purpose fields, and Shandong records "湖北省 <window>"', async () => {
    const holder = await holderWithCard(shandong);
    const staff = (await hubei.api('GET', '/api/v1/staff/me', { token: hubeiStaff })).body;
    const code = codeOf(shandong, holder, hubei.clock.now(), { purpose: 'finance' });
    const res = await verifyAtHubei(code, 'finance');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ verdict: 'valid', status: 'live', issuer: { province: '37' } });
    // The fields no code carries (address, full ID number) come from Shandong's record: only online.
    const fields = findPurpose('finance')!.fields;
    expect(Object.keys(res.body.card).sort()).toEqual([...fields].sort());
    expect(res.body.card.name).toBe(holder.person.name);
    expect(res.body.card.idNumber).toBe(holder.person.idNumber);

    const entry = (await usageAtShandong(holder)).find((e) => e.action === 'card.verify');
    expect(entry).toMatchObject({
      actor: {
        type: 'staff',
        id: `42:${staff.id}`,
        displayName: `湖北省 ${staff.displayName}`,
        org: staff.org,
      },
      purpose: 'finance',
      result: 'ok',
    });
    expect([...entry.fields].sort()).toEqual([...fields].sort());

    // Hubei keeps nothing about the resident: no card id, name or ID number in any of its collections.
    const kept = await everythingAtHubei();
    for (const secret of [holder.card.cardId, holder.person.name, holder.person.idNumber])
      expect(kept).not.toContain(secret);

    // Single use per window, kept at the home node.
    const again = await verifyAtHubei(code, 'finance');
    expect(again.body).toMatchObject({ verdict: 'replayed', status: 'live' });
    expect(again.body.card).toBeUndefined();
  });

  it('when the code is checked for a purpose it was not made for, then Hubei sees no more than that purpose allows', async () => {
    const holder = await holderWithCard(shandong);
    const code = codeOf(shandong, holder, hubei.clock.now(), { purpose: 'hotel_check_in' });
    const res = await verifyAtHubei(code, 'taxation');
    expect(res.body.verdict).toBe('valid');
    const allowed = new Set<string>(findPurpose('taxation')!.fields);
    for (const field of Object.keys(res.body.card)) expect(allowed.has(field)).toBe(true);
    expect(res.body.card.idNumber).toBeUndefined();
    expect(res.body.card.address).toBeUndefined();
  });

  it('when the card is suspended or revoked at Shandong, then Hubei answers suspended or revoked at once', async () => {
    const suspended = await holderWithCard(shandong);
    expect((await shandong.api('POST', '/api/v1/card/suspend', { token: suspended.token })).status).toBe(200);
    const s = await verifyAtHubei(codeOf(shandong, suspended, hubei.clock.now()), 'hotel_check_in');
    expect(s.body).toMatchObject({ verdict: 'suspended', status: 'live' });
    expect(s.body.card).toBeUndefined();

    const revoked = await holderWithCard(shandong);
    await shandong.services.card.revokeCard({ residentId: residentIdOf(revoked.token) }, 'account_closed', {
      type: 'system',
      id: 'test',
      displayName: 'test',
    });
    const r = await verifyAtHubei(codeOf(shandong, revoked, hubei.clock.now()), 'hotel_check_in');
    expect(r.body).toMatchObject({ verdict: 'revoked', status: 'live' });
    const entry = (await usageAtShandong(revoked)).find((e) => e.action === 'card.verify');
    expect(entry).toMatchObject({ result: 'denied', detail: { verdict: 'revoked' } });
  });
});

describe('the home side', () => {
  it('when a node asks for a window of another province than its own, then the home node refuses it, signed, and records nothing', async () => {
    const holder = await holderWithCard(shandong);
    const code = codeOf(shandong, holder, hubei.clock.now());
    const res = await hubei.services.federation.nodeClient.call<any>(
      '37',
      'POST',
      '/api/v1/federation/node/verify',
      {
        code,
        purpose: 'hotel_check_in',
        window: { province: '11', id: 'w1', org: '北京市公安局', displayName: '窗口 1' },
      },
    );
    expect([res.status, res.body.code, res.kid]).toEqual([403, 'FORBIDDEN', 'dev-node-37-1']);
    expect((await usageAtShandong(holder)).filter((e) => e.action === 'card.verify')).toEqual([]);
  });

  it('when the request is not signed by a node, then the home node answers nothing about the card', async () => {
    const res = await shandong.api('POST', '/api/v1/federation/node/verify', {
      body: {
        code: 'EID2:x',
        purpose: 'hotel_check_in',
        window: { province: '42', id: 'w', org: 'o', displayName: 'd' },
      },
    });
    expect([res.status, res.body.code]).toEqual([401, 'NODE_SIGNATURE_INVALID']);
  });
});

describe('Shandong cannot answer', () => {
  let holder: Holder;
  beforeAll(async () => {
    holder = await holderWithCard(shandong);
    // Hubei's copy of Shandong's status lists, as its timer keeps them.
    await hubei.services.federation.fetchPeerStatusLists();
  });

  it('when Shandong is stopped, then Hubei answers 200 with the offline verdict, status unknown and the age of its copy', async () => {
    await shandong.stop();
    shandongStopped = true;
    const res = await verifyAtHubei(codeOf(shandong, holder, hubei.clock.now()), 'hotel_check_in');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ verdict: 'valid', status: 'unknown', statusReason: 'unreachable' });
    expect(res.body.card).toBeUndefined();
    expect(res.body.statusList.ageMs).toBeGreaterThanOrEqual(0);
    expect(res.body.statusList.ageMs).toBe(res.body.checkedAt - res.body.statusList.issuedAt);

    // A copy older than the allowed age decides nothing: status_unknown, never a guess.
    hubei.clock.advance(2 * 3_600_000);
    hubeiStaff = await staffToken(hubei, HUBEI_STAFF);
    const later = await verifyAtHubei(codeOf(shandong, holder, hubei.clock.now()), 'hotel_check_in');
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ verdict: 'status_unknown', status: 'unknown' });
    expect(later.body.statusList.ageMs).toBeGreaterThan(2 * 3_600_000 - 1);
  });

  it('when a fake "37" answers revoked under another node key, then Hubei does not trust it: status unknown, not revoked', async () => {
    const beijing = devKeyStore('11', hubei.clock);
    const fake: Server = http.createServer((req, res) => {
      const nonce = /nonce="([^"]+)"/.exec(String(req.headers['signature-input']))?.[1] ?? 'none';
      req.resume();
      req.on('end', () => {
        const bytes = Buffer.from(JSON.stringify({ verdict: 'revoked', checkedAt: hubei.clock.now() }));
        const headers = signNodeResponse({
          keys: beijing,
          method: req.method!,
          url: fakeUrl + req.url,
          status: 200,
          requestNonce: nonce,
          body: bytes,
          now: hubei.clock.now(),
        });
        res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(bytes);
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const address = fake.address();
    const fakeUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      log.append(
        listOf(2, hubei.clock.now() - 60_000, [
          { province: '37', url: fakeUrl },
          { province: '42', url: hubei.url },
        ]),
      );
      expect(
        (await hubei.api('POST', '/api/v1/federation/trust-push', { body: log.bundle({ from: 1 }) })).status,
      ).toBe(200);
      const res = await verifyAtHubei(codeOf(shandong, holder, hubei.clock.now()), 'hotel_check_in');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'unknown', statusReason: 'bad_answer' });
      expect(res.body.verdict).not.toBe('revoked');
    } finally {
      fake.closeAllConnections();
      await new Promise<void>((resolve) => fake.close(() => resolve()));
    }
  });
});
