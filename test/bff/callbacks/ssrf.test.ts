import { randomBytes } from 'node:crypto';
import { promises as dns } from 'node:dns';
import { hostname } from 'node:os';
import { isInternalAddress } from '@eid/bff/infra/safe-http';
import { registerParty, supervisorToken } from '../../helpers/party';
import { startStack } from '../../helpers/stack';
import {
  attemptsOf,
  enqueueEvent,
  runOutbox,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../helpers/webhook-receiver';

// SSRF at delivery: the sender judges the addresses it resolves and the allow-list of the BFF that sends,
// not what was true at registration. A refused attempt never opens a connection.
let receiver: WebhookReceiver;
beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(() => receiver.close());

it('when a party registered https://<a name that resolves to loopback>/, then every attempt is refused before connecting', async () => {
  // The machine's own host name: a public-looking name (registration cannot resolve it; DNS may change
  // after) that /etc/hosts resolves to a loopback or private address here.
  const name = hostname();
  const addresses = await dns.lookup(name, { all: true });
  expect(addresses.length).toBeGreaterThan(0);
  expect(addresses.every((a) => isInternalAddress(a.address))).toBe(true);
  // 127.0.0.1 is allow-listed by address literal only: the name is judged by what it resolves to.
  const stack = await startStack({ env: { CALLBACK_ALLOW_HOSTS: '127.0.0.1' } });
  try {
    const admin = await supervisorToken(stack);
    const { party } = await registerParty(stack, { callbackUrl: `https://${name}:${receiver.port}/hook` });
    const id = await enqueueEvent(stack, party.id);
    expect(await runOutbox(stack)).toBe(0);
    stack.clock.advance(6_000);
    expect(await runOutbox(stack)).toBe(0);
    expect(await attemptsOf(stack, admin, id)).toEqual([
      expect.objectContaining({ attempt: 1, error: 'refused: internal_address' }),
      expect.objectContaining({ attempt: 2, error: 'refused: internal_address' }),
    ]);
    expect(receiver.connections()).toBe(0);
    expect(receiver.requests).toEqual([]);
  } finally {
    await stack.stop();
  }
});

it('when the allow-list that let a party register http://127.0.0.1 is gone after a restart, then delivery is refused and nothing connects', async () => {
  const dbName = `t_cb_${randomBytes(6).toString('hex')}`;
  const allowed = await startStack({
    env: { CALLBACK_ALLOW_HOSTS: '127.0.0.1' },
    dbName,
    keepDatabase: true,
  });
  const { party } = await registerParty(allowed, { callbackUrl: receiver.url });
  const id = await enqueueEvent(allowed, party.id);
  await allowed.stop();

  const strict = await startStack({ dbName, startAt: allowed.clock.now() });
  try {
    const admin = await supervisorToken(strict);
    expect(await runOutbox(strict)).toBe(0);
    expect(await attemptsOf(strict, admin, id)).toEqual([
      expect.objectContaining({ attempt: 1, error: 'refused: internal_address' }),
    ]);
    expect(receiver.connections()).toBe(0);
  } finally {
    await strict.stop();
  }
});
