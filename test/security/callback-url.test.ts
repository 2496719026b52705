import { randomBytes } from 'node:crypto';
import { adminCall, newPartyKey, partyRegistration, registerParty, supervisorToken } from '../helpers/party';
import { startStack, type Stack } from '../helpers/stack';
import {
  attemptsOf,
  enqueueEvent,
  runOutbox,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../helpers/webhook-receiver';

/**
 * Header injection through a relying party's callback URL. WHATWG URL silently drops tabs and line breaks and
 * trims the ends, so a URL with CR/LF once passed the check while the text kept them; it is refused now at
 * registration and update, and a stored one (written before) is refused at delivery without connecting.
 */
describe('callback URLs with CR, LF and other controls', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  const INJECTED = [
    'https://hotel.example.com/cb\r\nX-Injected: 1',
    'https://hotel.example.com/cb\nX-Injected: 1',
    'https://hotel.example.com/cb\r',
    'https://hotel.example.com/c\tb',
    'https://hotel.example.com/cb\u0000',
    ' https://hotel.example.com/cb',
    'https://hotel.example.com/cb ',
    'https://hotel.example.com/c b',
    'https://hotel.example.com/cb\u2028',
    'https://hotel.example.com/cb\u0085X-Injected: 1',
    'https://hotel.example.com\r\nHost: evil.example/cb',
  ];

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    stack = await startStack({ env: { CALLBACK_ALLOW_HOSTS: '127.0.0.1' } });
  });
  afterAll(async () => {
    await stack.stop();
    await receiver.close();
  });

  it('when a party registers or updates to a callback URL with a control character or a space, then 400 CALLBACK_URL_REFUSED (malformed) and nothing is stored', async () => {
    const hotel = await registerParty(stack);
    for (const url of INJECTED) {
      const key = newPartyKey();
      const reg = await adminCall(stack, 'POST', '/api/v1/admin/parties', {
        ...partyRegistration(key),
        callbackUrl: url,
      });
      expect([JSON.stringify(url), reg.status, reg.body.code, reg.body.details?.reason]).toEqual([
        JSON.stringify(url),
        400,
        'CALLBACK_URL_REFUSED',
        'malformed',
      ]);
      const upd = await adminCall(stack, 'PATCH', `/api/v1/admin/parties/${hotel.party.id}`, {
        callbackUrl: url,
      });
      expect([JSON.stringify(url), upd.status, upd.body.code]).toEqual([
        JSON.stringify(url),
        400,
        'CALLBACK_URL_REFUSED',
      ]);
    }
    const stored = await stack.deps.db.collection('parties').findOne({ _id: hotel.party.id as never });
    expect(stored?.callbackUrl).toBe(partyRegistration(hotel.key).callbackUrl);
    // The same URL written cleanly is accepted: the refusal is about the characters.
    const ok = await adminCall(stack, 'PATCH', `/api/v1/admin/parties/${hotel.party.id}`, {
      callbackUrl: 'https://hotel.example.com/cb%0D%0AX-Injected:%201',
    });
    expect(ok.status).toBe(200);
  });

  it('when a stored callback URL carries CR/LF (written before the check), then delivery is refused before connecting and no injected header is ever sent', async () => {
    const dbName = `t_cb_${randomBytes(6).toString('hex')}`;
    const before = await startStack({
      env: { CALLBACK_ALLOW_HOSTS: '127.0.0.1' },
      dbName,
      keepDatabase: true,
    });
    const hotel = await registerParty(before, { callbackUrl: receiver.url });
    expect(await enqueueEvent(before, hotel.party.id)).toBeTruthy();
    expect(await runOutbox(before)).toBe(1);
    const delivered = receiver.requests.length;
    await before.deps.db
      .collection('parties')
      .updateOne(
        { _id: hotel.party.id as never },
        { $set: { callbackUrl: `${receiver.url}\r\nX-Injected: 1` } },
      );
    await before.stop();
    // A process started on that database (its party cache empty) reads the stored URL as it is.
    const after = await startStack({
      env: { CALLBACK_ALLOW_HOSTS: '127.0.0.1' },
      dbName,
      startAt: before.clock.now(),
    });
    try {
      const id = await enqueueEvent(after, hotel.party.id);
      expect(await runOutbox(after)).toBe(0);
      const attempts = await attemptsOf(after, await supervisorToken(after), id);
      expect(attempts).toEqual([expect.objectContaining({ attempt: 1, error: 'refused: malformed' })]);
      expect(receiver.requests).toHaveLength(delivered);
      expect(receiver.requests.some((r) => 'x-injected' in r.headers)).toBe(false);
    } finally {
      await after.stop();
    }
  });
});
