import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { parseWebhookPublicKey, verifyWebhook } from '@eid/shared';
import { registerParty, supervisorToken, type RegisteredParty } from '../../helpers/party';
import { startStack, type Stack } from '../../helpers/stack';
import {
  enqueueEvent,
  runOutbox,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../helpers/webhook-receiver';

// Rotation without downtime: during a webhook secret's overlap both secrets sign (two v1 entries), and with
// two callback keys configured both sign (two v1a entries); a party holding either one verifies.
const seed = () => randomBytes(32).toString('base64');
let stack: Stack;
let receiver: WebhookReceiver;
let admin: string;
// Registered before any test moves the clock past the supervisor's token.
let rotating: RegisteredParty;
let other: RegisteredParty;
beforeAll(async () => {
  stack = await startStack({
    env: {
      CALLBACK_ALLOW_HOSTS: '127.0.0.1',
      EID_CALLBACK_KEYS: `cb-2026-02:${seed()},cb-2025-08:${seed()}`,
    },
  });
  receiver = await startWebhookReceiver();
  admin = await supervisorToken(stack);
  rotating = await registerParty(stack, { callbackUrl: receiver.url });
  other = await registerParty(stack, { callbackUrl: receiver.url });
});
afterAll(async () => {
  await stack.stop();
  await receiver.close();
});

const deliverOne = async (partyId: string) => {
  const before = receiver.requests.length;
  await enqueueEvent(stack, partyId);
  expect(await runOutbox(stack)).toBe(1);
  expect(receiver.requests).toHaveLength(before + 1);
  return receiver.requests[before]!;
};
const versions = (signature: string) => signature.split(' ').map((e) => e.split(',')[0]);

it('when the webhook secret is rotated, then both secrets sign during the overlap (each verifies alone with standardwebhooks), and only the new one after it', async () => {
  const { party, webhookSecret: old } = rotating;
  expect(versions((await deliverOne(party.id)).signature)).toEqual(['v1', 'v1a', 'v1a']);

  const rotated = await stack.api('POST', `/api/v1/admin/parties/${party.id}/webhook-secrets`, {
    token: admin,
    body: { overlapMs: 3600_000 },
  });
  expect(rotated.status).toBe(200);
  const fresh = rotated.body.webhookSecret as string;
  expect(fresh).not.toBe(old);

  const during = await deliverOne(party.id);
  expect(versions(during.signature)).toEqual(['v1', 'v1', 'v1a', 'v1a']);
  for (const secret of [old, fresh]) {
    expect(new Webhook(secret).verify(during.body, during.headers)).toEqual(JSON.parse(during.body));
  }
  // Each v1 entry on its own is the signature of exactly one of the two secrets, newest first.
  const [newV1, oldV1] = during.signature.split(' ');
  const alone = (entry: string) => ({ ...during.headers, 'webhook-signature': entry });
  expect(() => new Webhook(fresh).verify(during.body, alone(newV1!))).not.toThrow();
  expect(() => new Webhook(old).verify(during.body, alone(oldV1!))).not.toThrow();
  expect(() => new Webhook(old).verify(during.body, alone(newV1!))).toThrow();

  stack.clock.advance(3600_000 + 1);
  const after = await deliverOne(party.id);
  expect(versions(after.signature)).toEqual(['v1', 'v1a', 'v1a']);
  const nowMs = stack.clock.now();
  expect(verifyWebhook(after.headers, after.body, { secrets: [fresh], nowMs })).toMatchObject({ ok: true });
  expect(verifyWebhook(after.headers, after.body, { secrets: [old], nowMs })).toEqual({
    ok: false,
    reason: 'no_matching_signature',
  });
});

it('when two callback keys are configured, then GET /api/v1/rp/callback-keys lists both, newest first, and each one verifies its own v1a entry', async () => {
  const { party } = other;
  const keys = await stack.api('GET', '/api/v1/rp/callback-keys');
  expect(keys.status).toBe(200);
  expect(keys.body.keys.map((k: { kid: string }) => k.kid)).toEqual(['cb-2026-02', 'cb-2025-08']);
  const [newer, older] = keys.body.keys.map((k: { publicKey: string }) =>
    parseWebhookPublicKey(k.publicKey)!,
  );

  const r = await deliverOne(party.id);
  const [, a, b] = r.signature.split(' ');
  const nowMs = stack.clock.now();
  const check = (entry: string, key: Uint8Array) =>
    verifyWebhook({ ...r.headers, 'webhook-signature': entry }, r.body, { publicKeys: [key], nowMs }).ok;
  expect([check(a!, newer), check(b!, older)]).toEqual([true, true]);
  expect([check(a!, older), check(b!, newer)]).toEqual([false, false]);
});
