import { cardClaimSlot, maskIdNumber } from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import {
  codeOf,
  holderWithCard,
  issue,
  newDevice,
  reauthToken,
  residentIdOf,
  resignedCode,
  staffToken,
  type Holder,
} from '../../helpers/card-flow';
import { registerParty, type RegisteredParty } from '../../helpers/party';

/**
 * `POST /api/v1/rp/verify` (issue 16 §3): a relying party checks a code it scanned. By default it learns the
 * verdict and its own pairwise subject for the holder, nothing else; a code is single-use per party; the
 * holder's trace names the party, the purpose and the fields disclosed.
 */
describe('rp verify: the verdict and a pairwise subject by default, single use per party', () => {
  let stack: Stack;
  let hotel: RegisteredParty;
  let inn: RegisteredParty;
  let holder: Holder;

  beforeAll(async () => {
    stack = await startStack();
    hotel = await registerParty(stack);
    inn = await registerParty(stack);
    holder = await holderWithCard(stack);
  });
  afterAll(async () => {
    await stack.stop();
  });

  const verify = (party: RegisteredParty, code: unknown, purpose = 'hotel_check_in') =>
    party.signed('POST', '/api/v1/rp/verify', { code, purpose });
  /** A fresh code of `h`: the clock moves a second first, so each call makes different bytes. */
  const freshCode = (h: Holder) => {
    stack.clock.advance(1000);
    return codeOf(stack, h);
  };
  const usageOf = async (h: Holder) =>
    (await stack.api('GET', '/api/v1/usage?limit=100', { token: h.token })).body.items as {
      action: string;
      actor: Record<string, string>;
      fields: string[];
      purpose: string;
      result: string;
      detail?: Record<string, unknown>;
    }[];
  const subjectAt = (party: RegisteredParty, h: Holder) =>
    stack.deps.keys.pairwiseSubject(party.party.id, residentIdOf(h.token));

  it('when a hotel checks a valid code, then it gets the verdict and its pairwise subject only, though registered for fields', async () => {
    const res = await verify(hotel, freshCode(holder));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      verdict: 'valid',
      checkedAt: stack.clock.now(),
      subject: subjectAt(hotel, holder),
    });
  });

  it('when the holder is traced, then the entry names the party (name, credit code), the purpose and no fields', async () => {
    const h = await holderWithCard(stack);
    expect((await verify(hotel, freshCode(h))).body.verdict).toBe('valid');
    const events = (await usageOf(h)).filter((e) => e.action === 'card.verify');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: {
        type: 'third_party',
        id: hotel.party.id,
        displayName: hotel.party.name,
        org: hotel.party.uscc,
      },
      purpose: 'hotel_check_in',
      fields: [],
      result: 'ok',
      detail: { verdict: 'valid', format: 2 },
    });
  });

  it('when two parties check codes of one resident, then their subjects differ; one party gets the same subject for two fresh codes', async () => {
    const first = (await verify(hotel, freshCode(holder))).body;
    const second = (await verify(hotel, freshCode(holder))).body;
    const atInn = (await verify(inn, freshCode(holder))).body;
    expect([first.verdict, second.verdict, atInn.verdict]).toEqual(['valid', 'valid', 'valid']);
    expect(first.subject).toEqual(expect.any(String));
    expect(second.subject).toBe(first.subject);
    expect(atInn.subject).toEqual(expect.any(String));
    expect(atInn.subject).not.toBe(first.subject);
    // Another resident at the same party: another subject.
    const other = await holderWithCard(stack);
    const otherSubject = (await verify(hotel, freshCode(other))).body.subject;
    expect(otherSubject).toEqual(expect.any(String));
    expect(otherSubject).not.toBe(first.subject);
  });

  it('when a party checks the same code twice, then the second is replayed; another party and a staff terminal may still use it', async () => {
    const h = await holderWithCard(stack);
    const code = freshCode(h);
    expect((await verify(hotel, code)).body.verdict).toBe('valid');
    const again = await verify(hotel, code);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      verdict: 'replayed',
      checkedAt: stack.clock.now(),
      subject: subjectAt(hotel, h),
    });
    expect((await verify(inn, code)).body).toMatchObject({ verdict: 'valid', subject: subjectAt(inn, h) });
    const staff = await staffToken(stack);
    const atWindow = await stack.api('POST', '/api/v1/verify', {
      token: staff,
      body: { code, purpose: 'hotel_check_in' },
    });
    expect(atWindow.body.verdict).toBe('valid');
    // And the staff use, in turn, burns nothing for a party that has not used it.
    const third = await registerParty(stack);
    expect((await verify(third, code)).body.verdict).toBe('valid');
    expect((await verify(inn, code)).body.verdict).toBe('replayed');
    const verdicts = (await usageOf(h))
      .filter((e) => e.action === 'card.verify' && e.actor.id === hotel.party.id)
      .map((e) => [e.result, e.detail?.verdict]);
    expect(verdicts).toEqual(
      expect.arrayContaining([
        ['ok', 'valid'],
        ['denied', 'replayed'],
      ]),
    );
  });

  it('when a party sends one code five times at once, then exactly one is valid and four are replayed', async () => {
    const h = await holderWithCard(stack);
    const code = freshCode(h);
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => verify(hotel, code)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.map((a) => a.body.verdict).sort()).toEqual([
      'replayed',
      'replayed',
      'replayed',
      'replayed',
      'valid',
    ]);
    expect(new Set(answers.map((a) => a.body.subject))).toEqual(new Set([subjectAt(hotel, h)]));
  });

  it('when the purpose is not one the party is registered for, then 403 PARTY_PURPOSE_NOT_REGISTERED and nothing is traced', async () => {
    const h = await holderWithCard(stack);
    for (const purpose of ['finance', 'no_such_purpose']) {
      const res = await verify(hotel, freshCode(h), purpose);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'PARTY_PURPOSE_NOT_REGISTERED', details: { purpose } });
    }
    expect((await usageOf(h)).filter((e) => e.action === 'card.verify')).toEqual([]);
  });

  it('when the body is not a code and a purpose code, then 400 VALIDATION_FAILED', async () => {
    for (const body of [
      { code: '', purpose: 'hotel_check_in' },
      { code: 'x'.repeat(4097), purpose: 'hotel_check_in' },
      { code: codeOf(stack, holder), purpose: 'Hotel Check-in' },
      { code: { $gt: '' }, purpose: 'hotel_check_in' },
      { code: codeOf(stack, holder), purpose: 'hotel_check_in', fields: ['idNumber'] },
    ]) {
      const res = await hotel.signed('POST', '/api/v1/rp/verify', body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('when the request is not signed, then 401 SIGNATURE_MISSING and no verdict', async () => {
    const res = await stack.api('POST', '/api/v1/rp/verify', {
      body: { code: codeOf(stack, holder), purpose: 'hotel_check_in' },
    });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('SIGNATURE_MISSING');
    expect(res.body.verdict).toBeUndefined();
  });

  it('when the card was revoked, then revoked with the subject (a genuine code of a known card), traced as denied', async () => {
    const h = await holderWithCard(stack);
    const replaced = await issue(stack, h.token, newDevice(), await reauthToken(stack, h.token));
    expect(replaced.status).toBe(200);
    const res = await verify(hotel, freshCode(h));
    expect(res.body).toEqual({
      verdict: 'revoked',
      checkedAt: stack.clock.now(),
      subject: subjectAt(hotel, h),
    });
    const event = (await usageOf(h)).find((e) => e.action === 'card.verify' && e.actor.id === hotel.party.id);
    expect(event).toMatchObject({ result: 'denied', fields: [], detail: { verdict: 'revoked' } });
  });

  it('when a code is tampered, forged with another device key, or malformed, then its verdict and no subject', async () => {
    const h = await holderWithCard(stack);
    const tampered = resignedCode(h.device, freshCode(h), (v) => v.set(cardClaimSlot('name'), '张三'));
    const forged = codeOf(stack, { ...h, device: newDevice() });
    for (const [code, verdict] of [
      [tampered, 'tampered'],
      [forged, 'bad_signature'],
      ['EID2:not-a-code', 'malformed'],
    ] as const) {
      const res = await verify(hotel, code);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ verdict, checkedAt: stack.clock.now() });
    }
    // The holder still sees the attempts with genuine issuer signatures in their trace.
    const denied = (await usageOf(h)).filter((e) => e.action === 'card.verify').map((e) => e.detail?.verdict);
    expect(denied).toEqual(expect.arrayContaining(['tampered', 'bad_signature']));
  });

  it('when a party checks a code, then a verification.completed callback with the verdict, purpose and subject is queued for it', async () => {
    const h = await holderWithCard(stack);
    const res = await verify(inn, freshCode(h));
    expect(res.body.verdict).toBe('valid');
    const events = await stack.deps.db
      .collection('outbox')
      .find({ topic: 'webhook', 'payload.partyId': inn.party.id, 'payload.data.subject': res.body.subject })
      .toArray();
    expect(events.map((e) => e.payload)).toEqual([
      expect.objectContaining({
        type: 'verification.completed',
        data: { verdict: 'valid', purpose: 'hotel_check_in', subject: subjectAt(inn, h) },
      }),
    ]);
    // Nothing personal in the callback.
    expect(JSON.stringify(events[0]!.payload)).not.toContain(maskIdNumber(h.person.idNumber));
  });
});
