import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { signWebhook } from '@eid/shared';
import {
  createRpClient,
  privateKeyFrom,
  publicKeyOf,
  registerHotel,
  startHotel,
  HOTEL_NAME,
  type Hotel,
  type RegisteredHotel,
} from '@eid/mock';
import { codeOf, holderWithCard, type Holder } from '../helpers/card-flow';
import { call } from '../helpers/http';
import { adminCall, supervisorToken } from '../helpers/party';
import { startStack, type Stack } from '../helpers/stack';
import { runOutbox } from '../helpers/webhook-receiver';

/*
 * The example hotel (mock/src/relying-party) against the real BFF, through the front door: it registers,
 * starts a check-in, the resident approves in the BFF's resident API, the callback arrives and verifies (v1 by
 * the standardwebhooks library, v1a by the published callback key), the hotel reads and shows the claims,
 * verifies a shown code, and after a withdrawal erases the guest and acknowledges with a signed request that
 * the resident then sees confirmed.
 */

let stack: Stack;
let hotel: Hotel;
let registered: RegisteredHotel;
let holder: Holder;

const hotelApi = (method: string, path: string, body?: unknown) =>
  call<any>(hotel.url, method, path, body === undefined ? {} : { body });

/** Delivers every due callback, then waits for the work the hotel started after answering. */
async function deliver(): Promise<number> {
  let n = 0;
  for (let round = 0; round < 5; round += 1) {
    const delivered = await runOutbox(stack);
    await hotel.state.idle();
    if (delivered === 0) break;
    n += delivered;
  }
  return n;
}

beforeAll(async () => {
  stack = await startStack({ env: { CALLBACK_ALLOW_HOSTS: '127.0.0.1' } });
  const adminToken = await supervisorToken(stack);
  // Registered first (the hotel needs its key and secret to start), then pointed at the port it got.
  registered = await registerHotel({
    bffUrl: stack.url,
    adminToken,
    callbackUrl: 'https://hotel.example.com/callbacks',
  });
  hotel = await startHotel({
    bffUrl: stack.url,
    party: {
      id: registered.id,
      kid: registered.kid,
      privateKey: registered.privateKey,
      webhookSecret: registered.webhookSecret,
    },
    clock: stack.clock,
  });
  const moved = await adminCall(stack, 'PATCH', `/api/v1/admin/parties/${registered.id}`, {
    callbackUrl: hotel.callbackUrl,
  });
  expect(moved.status).toBe(200);
  holder = await holderWithCard(stack);
});

afterAll(async () => {
  await hotel?.stop();
  await stack?.stop();
});

async function newCheckIn() {
  const res = await hotelApi('POST', '/api/check-ins');
  expect(res.status).toBe(201);
  return res.body;
}

async function residentOpens(requestCode: string) {
  const opened = await stack.api('POST', '/api/v1/consents/open', {
    token: holder.token,
    body: { requestCode },
  });
  expect(opened.status).toBe(200);
  return opened.body;
}

it('when the hotel registers, then the BFF holds it as a hotel for check-in with name and masked number, signed', async () => {
  expect(registered.id).toMatch(/^rp_/);
  expect(registered.webhookSecret).toMatch(/^whsec_/);
  const view = await adminCall(stack, 'GET', `/api/v1/admin/parties/${registered.id}`);
  expect(view.status).toBe(200);
  expect(view.body).toMatchObject({
    name: HOTEL_NAME,
    category: 'hotel',
    grants: [{ purpose: 'hotel_check_in', scopes: ['name_masked_id'] }],
    callbackUrl: hotel.callbackUrl,
    keys: [{ kid: registered.kid, publicKey: registered.publicKey }],
  });
  // The hotel's own signed client reads the statement residents are shown.
  const rp = createRpClient({
    bffUrl: stack.url,
    kid: registered.kid,
    privateKey: privateKeyFrom(registered.privateKey),
    clock: stack.clock,
  });
  const statement = await rp.call<any>('GET', '/api/v1/rp/registration');
  expect(statement.status).toBe(200);
  expect(statement.body.payload).toMatchObject({
    partyId: registered.id,
    name: HOTEL_NAME,
    kids: [registered.kid],
  });
  expect((await stack.api('GET', '/api/v1/rp/registration')).body.code).toBe('SIGNATURE_MISSING');
});

it('when the page is opened, then it is the front desk with the new check-in button and the verify box', async () => {
  const res = await fetch(`${hotel.url}/`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  const html = await res.text();
  expect(html).toContain('新入住 New check-in');
  expect(html).toContain('核验 Verify');
  expect(html).toContain('dataset.requestCode');
  expect(html).toContain(HOTEL_NAME);
});

it('when a guest checks in and approves, then the verified callback brings the name and masked number to the desk, and a withdrawal ends in a confirmed deletion', async () => {
  const checkIn = await newCheckIn();
  expect(checkIn).toMatchObject({ state: 'pending', reference: expect.stringMatching(/^A\d+$/) });
  expect(checkIn.requestCode).toMatch(/^EIDC1:[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
  expect(checkIn.requestUrl).toContain(encodeURIComponent(checkIn.requestCode));
  expect(checkIn.qr).toMatch(/^data:image\/svg\+xml;base64,/);
  expect(Buffer.from(checkIn.qr.split(',')[1], 'base64').toString('utf8')).toContain('<svg');

  const shown = await residentOpens(checkIn.requestCode);
  expect(shown).toMatchObject({
    id: checkIn.id,
    state: 'pending',
    party: { name: HOTEL_NAME, category: 'hotel' },
    purpose: { code: 'hotel_check_in' },
    retentionDays: 30,
  });
  const approved = await stack.api('POST', `/api/v1/consents/${checkIn.id}/approve`, {
    token: holder.token,
    body: {},
  });
  expect(approved.status).toBe(200);
  expect((await hotelApi('GET', `/api/check-ins/${checkIn.id}`)).body.state).toBe('pending');

  const before = hotel.state.callbacks.length;
  expect(await deliver()).toBeGreaterThanOrEqual(1);
  const arrived = hotel.state.callbacks.slice(before);
  expect(arrived).toContainEqual(
    expect.objectContaining({
      type: 'consent.approved',
      status: 204,
      duplicate: false,
      check: expect.objectContaining({ ok: true, v1: true, v1a: true }),
    }),
  );

  const desk = (await hotelApi('GET', `/api/check-ins/${checkIn.id}`)).body;
  expect(desk.state).toBe('approved');
  expect(desk.guest).toEqual({
    name: holder.person.name,
    idNumberMasked: expect.stringMatching(/^\d{4}\*+[\dX]{4}$/),
  });
  expect(desk.guest.idNumberMasked.slice(0, 4)).toBe(holder.person.idNumber.slice(0, 4));
  expect(desk.guest.idNumberMasked).not.toContain(holder.person.idNumber.slice(6, 14));
  expect(desk.subject).toEqual(expect.any(String));
  expect(desk.requestCode).toBeUndefined();

  // The guest then shows their bright code at the desk: genuine, and the same pairwise subject.
  const verified = await hotelApi('POST', '/api/verify', { code: codeOf(stack, holder) });
  expect(verified.status).toBe(200);
  expect(verified.body).toMatchObject({ verdict: 'valid', subject: desk.subject });

  const withdrawn = await stack.api('POST', `/api/v1/consents/${checkIn.id}/withdraw`, {
    token: holder.token,
    body: {},
  });
  expect(withdrawn.status).toBe(200);
  const mark = hotel.state.callbacks.length;
  await deliver();
  const types = hotel.state.callbacks.slice(mark).map((c) => c.type);
  expect(types).toEqual(expect.arrayContaining(['consent.withdrawn', 'deletion.requested']));

  const after = (await hotelApi('GET', `/api/check-ins/${checkIn.id}`)).body;
  expect(after.state).toBe('deleted');
  expect(after.guest).toBeUndefined();
  expect(after.subject).toBeUndefined();
  expect(after.deletion).toMatchObject({ acknowledged: true, bffState: 'confirmed' });
  expect(JSON.stringify(hotel.state.checkIns.get(checkIn.id))).not.toContain(holder.person.name);

  const resident = await stack.api('GET', `/api/v1/consents/${checkIn.id}`, { token: holder.token });
  expect(resident.status).toBe(200);
  expect(resident.body.deletion).toMatchObject({
    state: 'confirmed',
    confirmedByKid: registered.kid,
    deletedAt: after.deletion.deletedAt,
  });
  const proof = await stack.api('GET', `/api/v1/consents/${checkIn.id}/deletion-proof`, {
    token: holder.token,
  });
  expect(proof.status).toBe(200);
  expect(proof.body).toMatchObject({
    consentId: checkIn.id,
    kid: registered.kid,
    publicKey: registered.publicKey,
  });
  expect(JSON.parse(proof.body.body)).toMatchObject({ deletedAt: after.deletion.deletedAt });
});

it('when the guest declines, then the callback marks the check-in declined and no guest data appears', async () => {
  const checkIn = await newCheckIn();
  await residentOpens(checkIn.requestCode);
  const declined = await stack.api('POST', `/api/v1/consents/${checkIn.id}/decline`, {
    token: holder.token,
    body: {},
  });
  expect(declined.status).toBe(200);
  await deliver();
  const desk = (await hotelApi('GET', `/api/check-ins/${checkIn.id}`)).body;
  expect(desk).toMatchObject({ state: 'declined' });
  expect(desk.guest).toBeUndefined();
  expect(desk.qr).toBeUndefined();
});

it('when the desk asks the BFF instead of waiting for the callback, then the signed poll gives the same answer', async () => {
  const checkIn = await newCheckIn();
  await residentOpens(checkIn.requestCode);
  await stack.api('POST', `/api/v1/consents/${checkIn.id}/approve`, { token: holder.token, body: {} });
  const polled = await hotelApi('POST', `/api/check-ins/${checkIn.id}/refresh`);
  expect(polled.status).toBe(200);
  expect(polled.body).toMatchObject({ state: 'approved', guest: { name: holder.person.name } });
  await deliver();
});

describe("the hotel's callback endpoint", () => {
  const keys = () => stack.deps.keys;
  const event = (consentId: string) =>
    JSON.stringify({
      type: 'consent.declined',
      timestamp: new Date(stack.clock.now()).toISOString(),
      data: { consentId, state: 'declined' },
    });

  async function post(
    body: string,
    opts: { id?: string; ts?: number; secrets?: string[]; v1a?: boolean } = {},
  ) {
    const id = opts.id ?? `msg_${randomBytes(16).toString('base64url')}`;
    const timestampS = opts.ts ?? Math.floor(stack.clock.now() / 1000);
    const signers =
      opts.v1a === false
        ? []
        : keys()
            .callbackKeys()
            .map((k) => (m: Uint8Array) => keys().signAsCallback(k.kid, m));
    const signature = signWebhook({
      id,
      timestampS,
      body,
      secrets: opts.secrets ?? [registered.webhookSecret],
      signers,
    });
    const res = await fetch(hotel.callbackUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(timestampS),
        'webhook-signature': signature,
      },
      body,
    });
    return { status: res.status, id };
  }

  it('when a callback is signed with another secret, only v1, only v1a, or 10 minutes old, then it is refused 401 and the check-in is untouched', async () => {
    const checkIn = await newCheckIn();
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    const now = Math.floor(stack.clock.now() / 1000);
    expect((await post(event(checkIn.id), { secrets: [other] })).status).toBe(401);
    expect((await post(event(checkIn.id), { v1a: false })).status).toBe(401);
    expect((await post(event(checkIn.id), { secrets: [], v1a: true })).status).toBe(401);
    expect((await post(event(checkIn.id), { ts: now - 600 })).status).toBe(401);
    expect(hotel.state.checkIns.get(checkIn.id)?.state).toBe('pending');
    expect(hotel.state.callbacks.at(-1)).toMatchObject({ status: 401, check: { ok: false } });
  });

  it('when the same webhook-id comes twice, then the second is answered 2xx and not acted on', async () => {
    const checkIn = await newCheckIn();
    const first = await post(event(checkIn.id));
    expect(first.status).toBe(204);
    expect(hotel.state.checkIns.get(checkIn.id)?.state).toBe('declined');
    hotel.state.checkIns.get(checkIn.id)!.state = 'pending';
    const again = await post(event(checkIn.id), { id: first.id });
    expect(again.status).toBe(204);
    expect(hotel.state.callbacks.at(-1)).toMatchObject({ webhookId: first.id, duplicate: true });
    expect(hotel.state.checkIns.get(checkIn.id)?.state).toBe('pending');
  });

  it('when the secret rotates, then the hotel verifies with either live secret', async () => {
    const checkIn = await newCheckIn();
    const rotated = await startHotel({
      bffUrl: stack.url,
      party: {
        id: registered.id,
        kid: registered.kid,
        privateKey: registered.privateKey,
        webhookSecret: [`whsec_${randomBytes(32).toString('base64')}`, registered.webhookSecret],
      },
      clock: stack.clock,
    });
    try {
      const body = event(checkIn.id);
      const id = `msg_${randomBytes(16).toString('base64url')}`;
      const ts = Math.floor(stack.clock.now() / 1000);
      const signature = signWebhook({
        id,
        timestampS: ts,
        body,
        secrets: [registered.webhookSecret],
        signers: keys()
          .callbackKeys()
          .map((k) => (m: Uint8Array) => keys().signAsCallback(k.kid, m)),
      });
      const res = await fetch(rotated.callbackUrl, {
        method: 'POST',
        headers: {
          'webhook-id': id,
          'webhook-timestamp': String(ts),
          'webhook-signature': signature,
          'content-type': 'application/json',
        },
        body,
      });
      expect(res.status).toBe(204);
      expect(rotated.state.callbacks.at(-1)).toMatchObject({ check: { ok: true, v1: true, v1a: true } });
    } finally {
      await rotated.stop();
    }
  });
});

it("when the hotel is suspended, then a new check-in fails with the BFF's code shown to the desk, and works again once active", async () => {
  expect(
    (await adminCall(stack, 'PATCH', `/api/v1/admin/parties/${registered.id}`, { status: 'suspended' }))
      .status,
  ).toBe(200);
  const refused = await hotelApi('POST', '/api/check-ins');
  expect(refused.status).toBe(502);
  expect(refused.body.error).toBe('PARTY_SUSPENDED');
  expect(
    (await adminCall(stack, 'PATCH', `/api/v1/admin/parties/${registered.id}`, { status: 'active' })).status,
  ).toBe(200);
  expect((await hotelApi('POST', '/api/check-ins')).status).toBe(201);
});

it('when the hotel rotates its request key as the guide says, then both keys work until the old one retires, then the old one is refused', async () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const kid = `${registered.kid}-2`;
  const added = await adminCall(stack, 'POST', `/api/v1/admin/parties/${registered.id}/keys`, {
    kid,
    publicKey: publicKeyOf(privateKey),
  });
  expect(added.status).toBeLessThan(300);
  const renewed = await startHotel({
    bffUrl: stack.url,
    party: { id: registered.id, kid, privateKey, webhookSecret: registered.webhookSecret },
    clock: stack.clock,
  });
  try {
    expect((await call<any>(renewed.url, 'POST', '/api/check-ins')).status).toBe(201);
    expect((await hotelApi('POST', '/api/check-ins')).status).toBe(201);
    const retired = await adminCall(
      stack,
      'POST',
      `/api/v1/admin/parties/${registered.id}/keys/${registered.kid}/retire`,
      { at: stack.clock.now() + 60_000 },
    );
    expect(retired.status).toBeLessThan(300);
    expect((await hotelApi('POST', '/api/check-ins')).status).toBe(201);
    stack.clock.advance(60_000);
    const refused = await hotelApi('POST', '/api/check-ins');
    expect(refused).toMatchObject({ status: 502, body: { error: 'SIGNATURE_RETIRED_KEY' } });
    expect((await call<any>(renewed.url, 'POST', '/api/check-ins')).status).toBe(201);
  } finally {
    await renewed.stop();
  }
});
