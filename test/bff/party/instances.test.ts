import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp, createServices } from '@eid/bff/app';
import { LOOKUP_TTL_MS } from '@eid/bff/modules/party/deps';
import { startStack, type Stack } from '../../helpers/stack';
import { expectError } from '../../helpers/enrollment';
import { adminCall, newPartyKey, registerParty } from '../../helpers/party';

// Several BFF processes share one database: a change made through one is honoured by the others once their
// short-lived copies (LOOKUP_TTL_MS, real time) lapse, and the limits count every process's requests.
let stack: Stack;
let server: Server;
let second: string;
const REGISTRATION = '/api/v1/rp/registration';

beforeAll(async () => {
  stack = await startStack();
  server = await new Promise((resolve) => {
    const s = createApp(stack.deps, createServices(stack.deps)).listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  second = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await stack.stop();
});

/** Waits out the other instance's cached party and key copies. */
const lapse = () => sleep(LOOKUP_TTL_MS + 200);

it('when a party is suspended and its keys change at one instance, then the other instance honours it after its copies lapse', async () => {
  const hotel = await registerParty(stack);
  const atSecond = { baseUrl: second };
  // The second instance now holds copies of the party and its key, and has looked up the next key in vain.
  const next = newPartyKey();
  expect((await hotel.signed('GET', REGISTRATION, undefined, atSecond)).status).toBe(200);
  expectError(
    await hotel.signed('GET', REGISTRATION, undefined, { ...atSecond, key: next }),
    401,
    'SIGNATURE_UNKNOWN_KEY',
  );

  const keys = `/api/v1/admin/parties/${hotel.party.id}/keys`;
  expect((await adminCall(stack, 'POST', keys, { kid: next.kid, publicKey: next.publicKey })).status).toBe(
    200,
  );
  const at = stack.clock.now() + 60_000;
  expect((await adminCall(stack, 'POST', `${keys}/${hotel.kid}/retire`, { at })).status).toBe(200);
  await lapse();
  expect((await hotel.signed('GET', REGISTRATION, undefined, { ...atSecond, key: next })).status).toBe(200);
  expect((await hotel.signed('GET', REGISTRATION, undefined, atSecond)).status).toBe(200);
  // The retirement time read there is compared with the clock on every request.
  stack.clock.advance(60_000);
  expectError(await hotel.signed('GET', REGISTRATION, undefined, atSecond), 401, 'SIGNATURE_RETIRED_KEY');

  const patch = await adminCall(stack, 'PATCH', `/api/v1/admin/parties/${hotel.party.id}`, {
    status: 'suspended',
  });
  expect(patch.status).toBe(200);
  await lapse();
  expectError(
    await hotel.signed('GET', REGISTRATION, undefined, { ...atSecond, key: next }),
    403,
    'PARTY_SUSPENDED',
  );
  expectError(await hotel.signed('GET', REGISTRATION, undefined, { key: next }), 403, 'PARTY_SUSPENDED');
});

it('when a party sends its requests to two instances, then both count them against one limit', async () => {
  const hotel = await registerParty(stack, { limits: { perMinute: 3 } });
  expect((await hotel.signed('GET', REGISTRATION)).status).toBe(200);
  expect((await hotel.signed('GET', REGISTRATION, undefined, { baseUrl: second })).status).toBe(200);
  expect((await hotel.signed('GET', REGISTRATION)).status).toBe(200);
  const over = await hotel.signed('GET', REGISTRATION, undefined, { baseUrl: second });
  expectError(over, 429, 'PARTY_RATE_LIMITED');
  expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
  expectError(await hotel.signed('GET', REGISTRATION), 429, 'PARTY_RATE_LIMITED');
});
