import { nextBeijingMidnight } from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import { expectError } from '../../helpers/enrollment';
import { registerParty } from '../../helpers/party';

// Per-party limits: a per-minute rate and a quota per Beijing day, both 429 with Retry-After and a code.
let stack: Stack;
beforeAll(async () => {
  // 10:00:30 Beijing time: the minute's window has 30 s left, the day 14 h.
  stack = await startStack({ startAt: Date.UTC(2031, 4, 6, 2, 0, 30) });
});
afterAll(() => stack.stop());

const REGISTRATION = '/api/v1/rp/registration';

it('when a party goes over its per-minute limit, then 429 PARTY_RATE_LIMITED with Retry-After until the minute ends', async () => {
  const hotel = await registerParty(stack, { limits: { perMinute: 3 } });
  for (let i = 0; i < 3; i++) expect((await hotel.signed('GET', REGISTRATION)).status).toBe(200);
  const over = await hotel.signed('GET', REGISTRATION);
  expectError(over, 429, 'PARTY_RATE_LIMITED');
  expect(over.headers.get('retry-after')).toBe('30');
  expect(over.body.details.retryAfterS).toBe(30);
  // Another party is counted on its own.
  const bank = await registerParty(stack, { limits: { perMinute: 3 } });
  expect((await bank.signed('GET', REGISTRATION)).status).toBe(200);
  stack.clock.advance(30_000);
  expect((await hotel.signed('GET', REGISTRATION)).status).toBe(200);
});

it('when a party uses up its daily quota, then 429 PARTY_QUOTA_EXCEEDED until the next Beijing midnight', async () => {
  const hotel = await registerParty(stack, { limits: { perDay: 2 } });
  expect((await hotel.signed('GET', REGISTRATION)).status).toBe(200);
  stack.clock.advance(3600_000);
  expect((await hotel.signed('GET', REGISTRATION)).status).toBe(200);
  const over = await hotel.signed('GET', REGISTRATION);
  expectError(over, 429, 'PARTY_QUOTA_EXCEEDED');
  const now = stack.clock.now();
  const expected = Math.ceil((nextBeijingMidnight(now) - now) / 1000);
  expect(over.headers.get('retry-after')).toBe(String(expected));
  // Just before Beijing midnight still over; just after it a new day's quota.
  stack.clock.set(nextBeijingMidnight(now) - 1_000);
  expectError(await hotel.signed('GET', REGISTRATION), 429, 'PARTY_QUOTA_EXCEEDED');
  stack.clock.set(nextBeijingMidnight(now));
  expect((await hotel.signed('GET', REGISTRATION)).status).toBe(200);
});

it('when a request is refused for its signature, then it is not counted', async () => {
  const hotel = await registerParty(stack, { limits: { perMinute: 1 } });
  const forged = { kid: hotel.kid, privateKey: (await registerParty(stack)).privateKey };
  for (let i = 0; i < 3; i++)
    expectError(
      await hotel.signed('GET', REGISTRATION, undefined, { key: forged }),
      401,
      'SIGNATURE_INVALID',
    );
  expect((await hotel.signed('GET', REGISTRATION)).status).toBe(200);
  expectError(await hotel.signed('GET', REGISTRATION), 429, 'PARTY_RATE_LIMITED');
});
